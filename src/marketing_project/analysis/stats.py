"""Text statistics: counts over the shared tokens, reading time and the inputs of the readability formulas."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from operator import mul

from .lexicon import FAMILIAR_POLYSYLLABLES
from .readability import ReadabilityCounts
from .syllables import count_many
from .text import Sentence


@dataclass(frozen=True, slots=True)
class TextStats:
    characters: int
    words: int
    unique_words: int
    sentences: int
    paragraphs: int
    syllables: int
    avg_words_per_sentence: float
    avg_syllables_per_word: float
    long_sentences: int
    reading_time_seconds: int
    reading_time_minutes: float


LONG_SENTENCE_WORDS = 20


def measure(
    sentences: list[Sentence], paragraphs: int, characters: int, words_per_minute: int
) -> tuple[TextStats, ReadabilityCounts, Counter[str]]:
    """Statistics, the inputs of the readability formulas, and how often each (lower-case) word occurs."""
    all_lower: list[str] = []
    long_sentences = 0
    for sentence in sentences:
        all_lower += sentence.lower
        if len(sentence.words) > LONG_SENTENCE_WORDS:
            long_sentences += 1
    words = len(all_lower)
    word_counts = Counter(all_lower)
    # per distinct word rather than per token: a text repeats most of its words
    distinct = list(word_counts)
    per_word = count_many(distinct)
    frequency = list(word_counts.values())
    syllables = sum(map(mul, per_word, frequency))
    polysyllables = sum([f for n, f in zip(per_word, frequency, strict=True) if n >= 3])
    familiar = sum([word_counts[w] for w in FAMILIAR_POLYSYLLABLES.intersection(distinct)])
    joined = " ".join(all_lower)
    # letters and digits only: drop the separating spaces and the joiners inside words ("don't", "3.5", "x-ray")
    letters = len(joined) - max(words - 1, 0) - joined.count("'") - joined.count("-") - joined.count(".")
    if "://" in joined or "www." in joined:
        letters -= joined.count("/") + joined.count(":") + joined.count("?") + joined.count("=") + joined.count("&")
    seconds = round(words * 60 / words_per_minute)
    stats = TextStats(
        characters=characters,
        words=words,
        unique_words=len(word_counts),
        sentences=len(sentences),
        paragraphs=paragraphs,
        syllables=syllables,
        avg_words_per_sentence=round(words / len(sentences), 2) if sentences else 0.0,
        avg_syllables_per_word=round(syllables / words, 2) if words else 0.0,
        long_sentences=long_sentences,
        reading_time_seconds=seconds,
        reading_time_minutes=round(words / words_per_minute, 2),
    )
    counts = ReadabilityCounts(
        words=words,
        sentences=len(sentences),
        syllables=syllables,
        polysyllables=polysyllables,
        complex_words=max(polysyllables - familiar, 0),
        letters=max(letters, 0),
    )
    return stats, counts, word_counts
