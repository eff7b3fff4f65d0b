"""Yoast-style SEO checks: the focus keyphrase, the title, the meta description, length, headings, images, links."""

from __future__ import annotations

from .assessment import BAD, GOOD, OK, SEO, Assessment, banded, make
from .document import Document
from .markdown import HEADING

# Checks that cannot run without a focus keyphrase; they say so and are left out of the SEO score.
NEEDS_KEYPHRASE = frozenset(
    {
        "keyphrase_density",
        "keyphrase_in_introduction",
        "keyphrase_in_title",
        "keyphrase_in_subheadings",
        "keyphrase_in_meta_description",
    }
)

_TITLE_MAX_PX = 600
_TITLE_MIN_PX = 400
# Approximate glyph widths (px) of the 20 px Arial used for titles on result pages.
_NARROW = frozenset("iljI.,;:'!|ft()[]{}/\\ \"`")
_WIDE = frozenset("mwMW@%")


def title_width(title: str) -> int:
    width = 0.0
    for char in title:
        if char in _NARROW:
            width += 5.6
        elif char in _WIDE:
            width += 16.7
        elif char.isupper():
            width += 13.3
        else:
            width += 10.6
    return round(width)


def _no_keyphrase(id: str, title: str, what: str) -> Assessment:
    return make(id, SEO, title, BAD, f"No focus keyphrase was set. Set one to check {what}.", score=0)


def keyphrase_checks(doc: Document) -> list[Assessment]:
    focus = doc.focus
    if focus is None:
        return [
            make(
                "keyphrase_length",
                SEO,
                "Keyphrase length",
                BAD,
                "No focus keyphrase was set. Set the phrase you want this content to rank for to get the keyphrase "
                "checks and a complete SEO score.",
                score=0,
            ),
            _no_keyphrase("keyphrase_density", "Keyphrase density", "how often it appears"),
            _no_keyphrase("keyphrase_in_introduction", "Keyphrase in introduction", "the introduction"),
            _no_keyphrase("keyphrase_in_title", "Keyphrase in SEO title", "the title"),
            _no_keyphrase("keyphrase_in_subheadings", "Keyphrase in subheadings", "the subheadings"),
            _no_keyphrase("keyphrase_in_meta_description", "Keyphrase in meta description", "the meta description"),
        ]
    checks: list[Assessment] = []
    n = focus.content_words
    rating = banded(n, (1, 4), (5, 8)) if n else BAD
    length_message = {
        GOOD: f"The keyphrase has {n} content word(s). Good job!",
        OK: f"The keyphrase has {n} content words. Consider a shorter, more focused keyphrase (1–4 words).",
        BAD: f"The keyphrase has {n} content words: far too long to rank for. Use 1–4 words.",
    }[rating]
    if not n:
        length_message = "The keyphrase has no words. Set the phrase you want to rank for."
    checks.append(make("keyphrase_length", SEO, "Keyphrase length", rating, length_message, n))

    density = focus.density
    rating = banded(density, (0.5, 3.0), (0.3, 3.5))
    if rating == GOOD:
        message = f"The keyphrase was found {focus.occurrences} time(s) ({density:.2f}%). Great!"
    elif density < 0.5:
        needed = max(1, round(0.005 * doc.stats.words) - focus.occurrences)
        message = (
            f"The keyphrase was found {focus.occurrences} time(s) ({density:.2f}%), below the recommended 0.5%. "
            f"Use it about {needed} more time(s)."
        )
    else:
        message = (
            f"The keyphrase was found {focus.occurrences} time(s) ({density:.2f}%), above the recommended 3%. "
            "Don't over-optimize: replace some occurrences with synonyms."
        )
    checks.append(make("keyphrase_density", SEO, "Keyphrase density", rating, message, density))

    if focus.in_introduction:
        rating, message = GOOD, "The first paragraph has it."
    else:
        rating, message = BAD, "The keyphrase does not appear in the first paragraph. Mention it right at the start."
    checks.append(make("keyphrase_in_introduction", SEO, "Keyphrase in introduction", rating, message))

    if focus.title_starts_with_keyphrase:
        rating, message = GOOD, "The title starts with it."
    elif focus.in_title:
        rating = OK
        message = "The title contains the keyphrase, but not at the beginning. Move it to the start of the title."
    else:
        rating = BAD
        message = "The title does not contain the keyphrase. Put it in the title, ideally at the beginning."
    checks.append(make("keyphrase_in_title", SEO, "Keyphrase in SEO title", rating, message))

    total = focus.subheadings
    if total == 0:
        checks.append(
            make(
                "keyphrase_in_subheadings",
                SEO,
                "Keyphrase in subheadings",
                OK,
                "There are no subheadings. Add H2/H3 subheadings and use the keyphrase in some of them.",
            )
        )
    else:
        share = 100.0 * focus.subheadings_with_keyphrase / total
        if 30.0 <= share <= 75.0:
            rating, message = GOOD, f"{focus.subheadings_with_keyphrase} of {total} subheadings reflect the topic."
        elif share > 75.0:
            rating = OK
            message = f"{focus.subheadings_with_keyphrase} of {total} subheadings use the keyphrase. Vary them more."
        else:
            rating = OK if focus.subheadings_with_keyphrase else BAD
            message = (
                f"{focus.subheadings_with_keyphrase} of {total} subheadings use the keyphrase. "
                "Use it (or a synonym) in about a third to three quarters of them."
            )
        checks.append(make("keyphrase_in_subheadings", SEO, "Keyphrase in subheadings", rating, message, share))

    if not doc.meta_description:
        rating, message = BAD, "There is no meta description to check. Write one that contains the keyphrase."
    elif focus.in_meta_description:
        rating, message = GOOD, "It appears there."
    else:
        rating, message = BAD, "The meta description does not contain the keyphrase. Add it."
    checks.append(make("keyphrase_in_meta_description", SEO, "Keyphrase in meta description", rating, message))
    return checks


def meta_description_check(doc: Document) -> Assessment:
    text = (doc.meta_description or "").strip()
    source = "meta description"
    if not text and doc.snippet and doc.snippet.strip():
        text, source = doc.snippet.strip(), "snippet (used as meta description)"
    size = len(text)
    if size == 0:
        rating = BAD
        message = (
            "No meta description was given. Write one of 121–156 characters; otherwise search engines pick a "
            "random part of the text."
        )
    elif 121 <= size <= 156:
        rating, message = GOOD, f"The {source} is {size} characters: well done!"
    elif size < 121:
        rating = OK
        message = f"The {source} is {size} characters. Use the space up to 156 characters to make it more compelling."
    else:
        rating = OK
        message = f"The {source} is {size} characters, over 156: search engines will cut it off. Shorten it."
    return make("meta_description_length", SEO, "Meta description length", rating, message, size)


def title_check(doc: Document) -> Assessment:
    title = doc.title.strip()
    width = title_width(title)
    if not title:
        rating, message = BAD, "There is no title. Add one."
    elif width > _TITLE_MAX_PX:
        rating = BAD
        message = (
            f"The title is about {width}px wide ({len(title)} characters), over the {_TITLE_MAX_PX}px shown on "
            "result pages: it will be cut off. Shorten it."
        )
    elif width < _TITLE_MIN_PX:
        rating = OK
        message = (
            f"The title is short (about {width}px, {len(title)} characters). Use the space to add the keyphrase "
            "or a compelling benefit."
        )
    else:
        rating, message = GOOD, f"The title is {len(title)} characters: good."
    return make("seo_title_width", SEO, "SEO title width", rating, message, width)


def text_length_check(doc: Document) -> Assessment:
    words = doc.stats.words
    profile = doc.profile
    label = profile.name.replace("_", " ")
    score = round(100 * min(1.0, words / profile.good_words))
    if words >= profile.good_words:
        return make("text_length", SEO, "Text length", GOOD, f"The text has {words} words. Good job!", words)
    rating = OK if words >= profile.ok_words else BAD
    return make(
        "text_length",
        SEO,
        "Text length",
        rating,
        f"The text has {words} words; at least {profile.good_words} are recommended for a {label}. Add content.",
        words,
        score=score if rating == OK else min(score, 40),
    )


def single_h1_check(doc: Document) -> Assessment:
    h1 = sum(1 for b in doc.blocks if b.kind == HEADING and b.level == 1)
    if h1 <= 1:
        return make("single_h1", SEO, "Single title (H1)", GOOD, "There is at most one H1 heading.", h1)
    return make(
        "single_h1",
        SEO,
        "Single title (H1)",
        BAD,
        f"The text has {h1} H1 headings. Keep one H1 (the title) and turn the others into H2 subheadings.",
        h1,
    )


def image_alt_check(doc: Document) -> Assessment:
    images = doc.parsed.images
    if not images:
        return make(
            "image_alt_text",
            SEO,
            "Image alt attributes",
            OK,
            "There are no images. Add at least one relevant image with descriptive alt text.",
            0,
        )
    missing = sum(1 for image in images if not image.alt)
    if missing:
        return make(
            "image_alt_text",
            SEO,
            "Image alt attributes",
            BAD,
            f"{missing} of {len(images)} image(s) have no alt text. Describe each image in its alt text.",
            missing,
        )
    return make("image_alt_text", SEO, "Image alt attributes", GOOD, "All images have alt text.", 0)


def link_checks(doc: Document) -> list[Assessment]:
    internal = doc.parsed.internal_links
    external = doc.parsed.external_links
    if internal:
        rating, message = GOOD, f"{internal} internal link(s)."
    else:
        rating, message = BAD, "There are no internal links. Link to related pages of your own site."
    checks = [make("internal_links", SEO, "Internal links", rating, message, internal)]
    if external:
        rating, message = GOOD, f"{external} outbound link(s)."
    else:
        rating, message = OK, "There are no outbound links. Link to a few authoritative sources."
    checks.append(make("outbound_links", SEO, "Outbound links", rating, message, external))
    return checks


def assess(doc: Document) -> list[Assessment]:
    checks = keyphrase_checks(doc)
    checks.append(meta_description_check(doc))
    checks.append(title_check(doc))
    checks.append(text_length_check(doc))
    checks.append(single_h1_check(doc))
    if doc.profile.links:
        checks.append(image_alt_check(doc))
        checks.extend(link_checks(doc))
    return checks
