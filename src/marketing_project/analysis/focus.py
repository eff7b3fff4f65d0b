"""Where and how often the focus keyphrase occurs.

Like Yoast, a sentence contains the keyphrase when it contains all of its content words, in any order and in simple
inflected forms: "email campaign" is found in "campaigns sent by email".
"""

from __future__ import annotations

from dataclasses import dataclass

from .lexicon import STOPWORDS
from .markdown import HEADING, PARAGRAPH, Block
from .text import Sentence, tokenize


@dataclass(frozen=True, slots=True)
class FocusKeyphrase:
    keyphrase: str
    content_words: int
    occurrences: int
    density: float
    in_title: bool
    title_starts_with_keyphrase: bool
    in_introduction: bool
    in_meta_description: bool
    subheadings: int
    subheadings_with_keyphrase: int


def variants(word: str) -> frozenset[str]:
    """Simple English inflections of a word, both ways (singular/plural, -ing, -ed)."""
    forms = {word}
    stems = {word}
    if word.endswith("ies") and len(word) > 4:
        stems.add(word[:-3] + "y")
    elif word.endswith("es") and len(word) > 4:
        stems.update((word[:-2], word[:-1]))
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        stems.add(word[:-1])
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stems.update((word[: -len(suffix)], word[: -len(suffix)] + "e"))
    for stem in stems:
        forms.update((stem, stem + "s", stem + "es", stem + "ing", stem + "ed", stem + "d", stem + "'s"))
        if stem.endswith("y"):
            forms.update((stem[:-1] + "ies", stem[:-1] + "ied"))
        if stem.endswith("e"):
            forms.update((stem[:-1] + "ing", stem[:-1] + "ed"))
    return frozenset(forms)


def keyphrase_words(keyphrase: str) -> list[str]:
    words = tokenize(keyphrase, 0).lower
    content = [w for w in words if w not in STOPWORDS]
    return content or words


def _matches(tokens: list[str], forms: list[frozenset[str]]) -> int:
    """How many times every word of the keyphrase occurs in `tokens` (the scarcest word decides)."""
    if not forms:
        return 0
    return min(sum(map(form.__contains__, tokens)) for form in forms)


def _contains(tokens: list[str], forms: list[frozenset[str]], share: float = 1.0) -> bool:
    if not forms:
        return False
    found = sum(1 for form in forms if not form.isdisjoint(tokens))
    return found >= share * len(forms)


def locate(
    keyphrase: str,
    title: str,
    meta_description: str | None,
    blocks: list[Block],
    sentences: list[Sentence],
    total_words: int,
) -> FocusKeyphrase:
    words = keyphrase_words(keyphrase)
    forms = [variants(w) for w in words]
    occurrences = sum(_matches(s.lower, forms) for s in sentences if not forms[0].isdisjoint(s.lower)) if forms else 0
    title_tokens = tokenize(title, 0).lower
    phrase_tokens = tokenize(keyphrase, 0).lower
    intro_block = next((i for i, b in enumerate(blocks) if b.kind == PARAGRAPH), None)
    intro = [s.lower for s in sentences if s.block == intro_block]
    in_intro = any(_contains(tokens, forms) for tokens in intro) or _contains(
        [w for tokens in intro for w in tokens], forms
    )
    subheadings = [b for b in blocks if b.kind == HEADING and b.level >= 2]
    with_keyphrase = sum(1 for b in subheadings if _contains(tokenize(b.text, 0).lower, forms, share=0.5))
    return FocusKeyphrase(
        keyphrase=keyphrase.strip(),
        content_words=len(words),
        occurrences=occurrences,
        density=round(100.0 * occurrences / total_words, 2) if total_words else 0.0,
        in_title=_contains(title_tokens, forms),
        title_starts_with_keyphrase=bool(phrase_tokens) and title_tokens[: len(phrase_tokens)] == phrase_tokens,
        in_introduction=in_intro,
        in_meta_description=bool(meta_description) and _contains(tokenize(meta_description or "", 0).lower, forms),
        subheadings=len(subheadings),
        subheadings_with_keyphrase=with_keyphrase,
    )
