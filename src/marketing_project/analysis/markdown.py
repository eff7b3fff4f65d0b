"""Reads Markdown (or plain text) into prose blocks plus the document's structure: headings, lists, links, images.

One pass over the lines, then one pass of the inline patterns over all block texts joined together. Character
classes exclude their own delimiters so that no pattern can backtrack more than linearly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .html import html_to_markdown, looks_like_html
from .links import EXTERNAL, INTERNAL, link_kind

HEADING = "heading"
PARAGRAPH = "paragraph"
LIST_ITEM = "list_item"
QUOTE = "quote"

_ATX = re.compile(r"(#{1,6})(?:[ \t]+|$)(.*?)(?:[ \t]+#+)?[ \t]*$")
_LIST = re.compile(r"(?:[-*+•]|\d{1,9}[.)])[ \t]+(.*)$")
_FENCE = re.compile(r"(`{3,}|~{3,})")
_RULE = re.compile(r"(?:[-*_][ \t]*){3,}$")
_SETEXT = re.compile(r"(=+|-+)[ \t]*$")
_REF_DEFINITION = re.compile(r"\[([^\[\]\n]+)\]:[ \t]*(\S+)")

_IMAGE = re.compile(r"!\[([^\[\]\n]*)\]\(([^()\s]*)(?:[ \t]+\"[^\"\n]*\")?\)")
_LINK = re.compile(r"\[([^\[\]\n]*)\]\(([^()\s]*)(?:[ \t]+\"[^\"\n]*\")?\)")
_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^<>\s]+)>")
_BARE_URL = re.compile(r"(?<![\w/\"'(=])(?:https?://|www\.)[^\s<>\"'()\[\]{}]+")
# Emphasis and code marks; underscores are trimmed from word edges by the tokenizer instead.
_EMPHASIS_MARKS = ("**", "__", "*", "`", "~~")
_TRAILING_PUNCT = ".,;:!?"

_SENTENCE_END = frozenset(".!?:;\"'”’)…")


@dataclass(slots=True)
class Block:
    kind: str
    text: str
    level: int = 0


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    text: str
    kind: str


@dataclass(frozen=True, slots=True)
class Image:
    src: str
    alt: str


@dataclass(slots=True)
class Parsed:
    blocks: list[Block] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    lists: int = 0
    code_blocks: int = 0
    tables: int = 0
    broken_links: int = 0
    html: bool = False

    @property
    def internal_links(self) -> int:
        return sum(1 for link in self.links if link.kind == INTERNAL)

    @property
    def external_links(self) -> int:
        return sum(1 for link in self.links if link.kind == EXTERNAL)


def _read_lines(text: str, parsed: Parsed) -> list[Block]:
    blocks: list[Block] = []
    fence: str | None = None
    previous_blank = True
    in_table = False
    last_ordered = False
    for raw in text.splitlines():
        line = raw.strip()
        if fence is not None:
            if line.startswith(fence):
                fence = None
            previous_blank = False
            continue
        if not line:
            previous_blank = True
            in_table = False
            continue
        first = line[0]
        if first in "`~" and (match := _FENCE.match(line)):
            fence = match.group(1)[:3]
            parsed.code_blocks += 1
            previous_blank = False
            continue
        if first == "#" and (match := _ATX.match(line)):
            blocks.append(Block(HEADING, match.group(2), len(match.group(1))))
        elif first in "=-" and _SETEXT.match(line) and not previous_blank and blocks and blocks[-1].kind == PARAGRAPH:
            blocks[-1].kind = HEADING
            blocks[-1].level = 1 if first == "=" else 2
        elif first in "-*_" and _RULE.match(line):
            pass
        elif (first in "-*+•" or first.isdigit()) and (match := _LIST.match(line)):
            ordered = first.isdigit()
            if not blocks or blocks[-1].kind != LIST_ITEM or ordered != last_ordered:
                parsed.lists += 1
            last_ordered = ordered
            blocks.append(Block(LIST_ITEM, match.group(1)))
        elif first == ">":
            blocks.append(Block(QUOTE, line.lstrip("> \t")))
        elif first == "|" or (in_table and "|" in line):
            if not in_table:
                parsed.tables += 1
                in_table = True
        elif first == "[" and (match := _REF_DEFINITION.match(line)) and match.end() == len(line):
            parsed.links.append(Link(match.group(2), match.group(1), ""))
        elif (
            not previous_blank
            and blocks
            and blocks[-1].kind == PARAGRAPH
            and blocks[-1].text[-1:] not in _SENTENCE_END
            and first.islower()
        ):
            # a hard-wrapped line continues its paragraph
            blocks[-1].text += " " + line
        else:
            blocks.append(Block(PARAGRAPH, line))
        previous_blank = False
    return blocks


def _clean_url(url: str) -> str:
    return url.rstrip(_TRAILING_PUNCT)


def parse(text: str, site_host: str | None) -> Parsed:
    parsed = Parsed()
    if looks_like_html(text):
        parsed.html = True
        text = html_to_markdown(text)
    blocks = _read_lines(text, parsed)
    # reference definitions were collected with an empty kind: classify them now
    parsed.links = [Link(link.url, link.text, link_kind(link.url, site_host)) for link in parsed.links]
    if not blocks:
        parsed.blocks = blocks
        return parsed
    joined = "\n".join(block.text for block in blocks)
    links = parsed.links
    images = parsed.images

    def on_image(match: re.Match[str]) -> str:
        images.append(Image(match.group(2), match.group(1).strip()))
        return " "

    def on_link(match: re.Match[str]) -> str:
        url = match.group(2)
        label = match.group(1)
        if url:
            links.append(Link(url, label.strip(), link_kind(url, site_host)))
        else:
            parsed.broken_links += 1
        return label

    def on_url(match: re.Match[str]) -> str:
        url = _clean_url(match.group(0))
        links.append(Link(url, "", link_kind(url, site_host)))
        return " "

    def on_autolink(match: re.Match[str]) -> str:
        url = match.group(1)
        links.append(Link(url, "", link_kind(url, site_host)))
        return " "

    if "](" in joined:
        joined = _IMAGE.sub(on_image, joined)
        joined = _LINK.sub(on_link, joined)
        if "](" in joined:
            # what is left is a link the patterns could not close: "[text](http://x" or a URL with spaces
            parsed.broken_links += joined.count("](")
            # keep the "(" so that the bare-URL pattern does not count the broken link's target as a link
            joined = joined.replace("](", " (")
    if "<" in joined:
        joined = _AUTOLINK.sub(on_autolink, joined)
    if "://" in joined or "www." in joined:
        joined = _BARE_URL.sub(on_url, joined)
    for mark in _EMPHASIS_MARKS:
        if mark in joined:
            joined = joined.replace(mark, "")
    for block, cleaned in zip(blocks, joined.split("\n"), strict=True):
        block.text = cleaned.strip()
    parsed.blocks = [block for block in blocks if block.text]
    return parsed
