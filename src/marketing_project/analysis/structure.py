"""The document's Markdown structure as reported: headings, lists, links and images."""

from __future__ import annotations

from dataclasses import dataclass

from .markdown import HEADING, LIST_ITEM, PARAGRAPH, QUOTE, Parsed

# Lists in a result are capped so that one pathological document cannot produce a huge response; counts stay exact.
MAX_LISTED = 100


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True, slots=True)
class LinkInfo:
    url: str
    text: str
    kind: str


@dataclass(frozen=True, slots=True)
class ImageInfo:
    src: str
    alt: str


@dataclass(frozen=True, slots=True)
class Structure:
    headings: tuple[Heading, ...]
    heading_counts: dict[str, int]
    paragraphs: int
    lists: int
    list_items: int
    blockquotes: int
    code_blocks: int
    tables: int
    links: tuple[LinkInfo, ...]
    internal_links: int
    external_links: int
    other_links: int
    broken_links: int
    images: tuple[ImageInfo, ...]
    images_without_alt: int
    html_detected: bool


def paragraph_count(parsed: Parsed) -> int:
    return sum(1 for b in parsed.blocks if b.kind in (PARAGRAPH, QUOTE))


def describe(parsed: Parsed) -> Structure:
    blocks = parsed.blocks
    headings = [Heading(b.level, b.text) for b in blocks if b.kind == HEADING]
    counts = {f"h{level}": 0 for level in range(1, 7)}
    for heading in headings:
        counts[f"h{heading.level}"] += 1
    internal = parsed.internal_links
    external = parsed.external_links
    return Structure(
        headings=tuple(headings[:MAX_LISTED]),
        heading_counts=counts,
        paragraphs=paragraph_count(parsed),
        lists=parsed.lists,
        list_items=sum(1 for b in blocks if b.kind == LIST_ITEM),
        blockquotes=sum(1 for b in blocks if b.kind == QUOTE),
        code_blocks=parsed.code_blocks,
        tables=parsed.tables,
        links=tuple(LinkInfo(link.url, link.text, link.kind) for link in parsed.links[:MAX_LISTED]),
        internal_links=internal,
        external_links=external,
        other_links=len(parsed.links) - internal - external,
        broken_links=parsed.broken_links,
        images=tuple(ImageInfo(image.src, image.alt) for image in parsed.images[:MAX_LISTED]),
        images_without_alt=sum(1 for image in parsed.images if not image.alt),
        html_detected=parsed.html,
    )
