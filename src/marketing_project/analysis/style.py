"""Yoast-style readability checks: Flesch ease, sentence and paragraph length, subheadings, passive voice,
transition words and repeated sentence openings."""

from __future__ import annotations

from .assessment import BAD, GOOD, OK, READABILITY, Assessment, banded, make
from .document import Document
from .lexicon import (
    IRREGULAR_PARTICIPLES,
    NOT_PARTICIPLES,
    PASSIVE_AUXILIARIES,
    PASSIVE_INTERVENERS,
    TRANSITION_PHRASES,
    TRANSITION_WORDS,
)
from .markdown import HEADING, LIST_ITEM
from .stats import LONG_SENTENCE_WORDS
from .text import Sentence

# Like Yoast, transition words are only judged in texts long enough for the share to mean something.
TRANSITION_MIN_WORDS = 200
# Each phrase is looked up by its longest word, the rarest one, so that the phrase search runs only in the few
# sentences that contain that word.
_PHRASES_BY_KEY: dict[str, tuple[str, ...]] = {}
for _phrase in TRANSITION_PHRASES:
    _key = max(_phrase.split(" "), key=len)
    _PHRASES_BY_KEY[_key] = (*_PHRASES_BY_KEY.get(_key, ()), f" {_phrase} ")
_PHRASE_KEYS = frozenset(_PHRASES_BY_KEY)


def _is_participle(word: str) -> bool:
    return word in IRREGULAR_PARTICIPLES or (len(word) > 4 and word.endswith("ed") and word not in NOT_PARTICIPLES)


def is_passive(tokens: list[str]) -> bool:
    """A form of "to be" followed (allowing up to two adverbs) by a past participle: "was quickly adopted"."""
    if PASSIVE_AUXILIARIES.isdisjoint(tokens):
        return False
    size = len(tokens)
    for i, word in enumerate(tokens):
        if word not in PASSIVE_AUXILIARIES:
            continue
        j = i + 1
        while j < size and j <= i + 3 and (tokens[j] in PASSIVE_INTERVENERS or tokens[j].endswith("ly")):
            j += 1
        if j < size and _is_participle(tokens[j]):
            return True
    return False


def has_transition(tokens: list[str]) -> bool:
    if not TRANSITION_WORDS.isdisjoint(tokens):
        return True
    keys = _PHRASE_KEYS.intersection(tokens)
    if not keys:
        return False
    joined = f" {' '.join(tokens)} "
    return any(phrase in joined for key in keys for phrase in _PHRASES_BY_KEY[key])


def _body(doc: Document) -> list[Sentence]:
    """Sentences of the running text: headings are not sentences to a reader."""
    blocks = doc.blocks
    return [s for s in doc.sentences if blocks[s.block].kind != HEADING]


def flesch_check(doc: Document) -> Assessment:
    ease = doc.readability.flesch_reading_ease
    label = doc.readability.reading_ease_label
    if doc.stats.words == 0:
        return make("flesch_reading_ease", READABILITY, "Flesch reading ease", BAD, "There is no text to score.", 0)
    rating = GOOD if ease > 60 else OK if ease >= 50 else BAD
    if rating == GOOD:
        message = f"The text scores {ease:.1f} ({label}): easy to read. Good job!"
    else:
        message = (
            f"The text scores {ease:.1f} ({label}). Aim for over 60: use shorter sentences and simpler, shorter words."
        )
    score = 100 if rating == GOOD else max(0, min(80, round(ease + 10)))
    return make("flesch_reading_ease", READABILITY, "Flesch reading ease", rating, message, ease, score)


def sentence_length_check(sentences: list[Sentence]) -> Assessment:
    if not sentences:
        return make("sentence_length", READABILITY, "Sentence length", GOOD, "There are no sentences to check.", 0)
    long = sum(1 for s in sentences if len(s.words) > LONG_SENTENCE_WORDS)
    share = 100.0 * long / len(sentences)
    rating = banded(share, (0, 25), (25, 30))
    if rating == GOOD:
        message = f"{share:.1f}% of the sentences have more than {LONG_SENTENCE_WORDS} words. Great!"
    else:
        message = (
            f"{share:.1f}% of the sentences ({long} of {len(sentences)}) have more than {LONG_SENTENCE_WORDS} words, "
            "over the recommended maximum of 25%. Split the long ones."
        )
    return make("sentence_length", READABILITY, "Sentence length", rating, message, share)


def paragraph_length_check(doc: Document, block_words: list[int]) -> Assessment:
    sizes = [block_words[i] for i, b in enumerate(doc.blocks) if b.kind not in (HEADING, LIST_ITEM)]
    longest = max(sizes, default=0)
    too_long = sum(1 for size in sizes if size > 150)
    rating = banded(longest, (0, 150), (151, 200))
    if rating == GOOD:
        message = "No paragraph is longer than 150 words. Great!"
    else:
        message = (
            f"{too_long} paragraph(s) exceed the recommended 150 words (the longest has {longest}). "
            "Break them into shorter paragraphs."
        )
    return make("paragraph_length", READABILITY, "Paragraph length", rating, message, longest)


def subheading_distribution_check(doc: Document, block_words: list[int]) -> Assessment:
    sections: list[int] = [0]
    headings = 0
    for block, words in zip(doc.blocks, block_words, strict=True):
        if block.kind == HEADING and block.level >= 2:
            headings += 1
            sections.append(0)
        elif block.kind != HEADING:
            sections[-1] += words
    longest = max(sections)
    total = doc.stats.words
    if headings == 0:
        if total <= 300:
            return make(
                "subheading_distribution",
                READABILITY,
                "Subheading distribution",
                GOOD,
                "The text is short enough not to need subheadings.",
                longest,
            )
        return make(
            "subheading_distribution",
            READABILITY,
            "Subheading distribution",
            BAD,
            f"The text has {total} words and no subheadings. Add H2/H3 subheadings at least every 300 words.",
            longest,
        )
    rating = banded(longest, (0, 300), (301, 350))
    message = (
        "Sections between subheadings are at most 300 words. Great!"
        if rating == GOOD
        else f"A section runs {longest} words without a subheading. Add subheadings at least every 300 words."
    )
    return make("subheading_distribution", READABILITY, "Subheading distribution", rating, message, longest)


def passive_voice_check(sentences: list[Sentence]) -> Assessment:
    if not sentences:
        return make("passive_voice", READABILITY, "Passive voice", GOOD, "There are no sentences to check.", 0)
    passive = sum(1 for s in sentences if is_passive(s.lower))
    share = 100.0 * passive / len(sentences)
    rating = banded(share, (0, 10), (10, 15))
    message = (
        f"{share:.1f}% of the sentences use the passive voice. That's fine."
        if rating == GOOD
        else f"{share:.1f}% of the sentences ({passive}) use the passive voice, over the recommended 10%. "
        "Rewrite some in the active voice: say who does what."
    )
    return make("passive_voice", READABILITY, "Passive voice", rating, message, share)


def transition_words_check(sentences: list[Sentence]) -> Assessment:
    if not sentences:
        return make("transition_words", READABILITY, "Transition words", BAD, "There are no sentences to check.", 0)
    found = sum(1 for s in sentences if has_transition(s.lower))
    share = 100.0 * found / len(sentences)
    rating = GOOD if share >= 30 else OK if share >= 20 else BAD
    message = (
        f"{share:.1f}% of the sentences contain a transition word. Well done!"
        if rating == GOOD
        else f"Only {share:.1f}% of the sentences contain a transition word (aim for 30%). Link ideas with words "
        "such as 'however', 'for example', 'as a result'."
    )
    return make("transition_words", READABILITY, "Transition words", rating, message, share)


def consecutive_sentences_check(doc: Document, sentences: list[Sentence]) -> Assessment:
    blocks = doc.blocks
    longest, run, word, opener = (1 if sentences else 0), 0, "", ""
    for s in sentences:
        if blocks[s.block].kind == LIST_ITEM:
            # list items often share an opening verb by design
            run = 0
            continue
        first = s.lower[0]
        if first == word and run:
            run += 1
        else:
            run, word = 1, first
        if run > longest:
            longest, opener = run, word
    if longest >= 3:
        return make(
            "consecutive_sentences",
            READABILITY,
            "Consecutive sentences",
            BAD,
            f"{longest} consecutive sentences start with '{opener}'. Vary how your sentences begin.",
            longest,
        )
    return make(
        "consecutive_sentences",
        READABILITY,
        "Consecutive sentences",
        GOOD,
        "There is enough variety in how the sentences begin.",
        longest,
    )


def assess(doc: Document) -> list[Assessment]:
    body = _body(doc)
    block_words = doc.block_words()
    checks = [flesch_check(doc), sentence_length_check(body)]
    if doc.profile.paragraphs:
        checks.append(paragraph_length_check(doc, block_words))
    if doc.profile.subheadings:
        checks.append(subheading_distribution_check(doc, block_words))
    checks.append(passive_voice_check(body))
    if doc.profile.transitions and doc.stats.words >= TRANSITION_MIN_WORDS:
        checks.append(transition_words_check(body))
    checks.append(consecutive_sentences_check(doc, body))
    return checks
