"""Unsupervised keyword and keyphrase extraction from word statistics of the single document.

Our own design, in the statistical family of RAKE and YAKE:

* candidates are runs of up to `max_words` words inside one phrase (no sentence or punctuation boundary inside),
  starting and ending with a content word; stopwords may sit inside ("return on investment");
* a word scores by its frequency (log-damped), how widely it spreads over the sentences, how early it first
  appears and how often it is capitalized away from the start of a sentence (names, products, acronyms);
* a phrase scores by the geometric mean score of its content words times its cohesion (the Dice coefficient: how
  often its words occur together rather than apart). In longer texts a phrase or word must occur twice to count.

Scores are normalized so that the best candidate scores 1.0. The work is done with C-level list, zip and Counter
operations over one flat token list, because a per-token Python loop would dominate the analysis time.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter

from .lexicon import STOPWORDS
from .text import BREAK, Sentence

_OTHER, _STOP, _CONTENT = 0, 1, 2
# Below this many tokens every candidate counts; above it, only those that occur at least twice.
_SHORT_TEXT_TOKENS = 400
_SINGLETON_PHRASE_WEIGHT = 0.35

_SENTENCE_BREAK = f" {BREAK} "
_kinds: dict[str, int] = {BREAK: _OTHER}
_KINDS_MAX = 100_000
_POSITION = [0.6 + 0.4 / math.log2(2.0 + i) for i in range(4096)]


@dataclass(frozen=True, slots=True)
class Keyword:
    term: str
    score: float
    count: int


@dataclass(frozen=True, slots=True)
class Keyphrase:
    phrase: str
    score: float
    count: int
    words: int


def _kind(word: str) -> int:
    if word in STOPWORDS:
        return _STOP
    if len(word) > 1 and not word[0].isdigit() and "://" not in word:
        return _CONTENT
    return _OTHER


def _kinds_of(tokens: list[str]) -> dict[str, int]:
    """The kind of every distinct token (cached across calls: the vocabulary of a language is bounded)."""
    kinds = _kinds
    missing = [t for t in tokens if t not in kinds]
    if missing:
        if len(kinds) > _KINDS_MAX:
            kinds.clear()
            kinds[BREAK] = _OTHER
        for token in missing:
            kinds[token] = _kind(token)
    return kinds


def _flatten(sentences: list[Sentence]) -> list[str]:
    """All lower-case tokens with a BREAK after each sentence; possessive "'s" dropped ("expel's" -> "expel")."""
    text = _SENTENCE_BREAK.join([" ".join(s.marked) for s in sentences]) + _SENTENCE_BREAK
    if "'s " in text:
        text = text.replace("'s ", " ")
        # stripping can leave words never seen alone ("let's" -> "let"): make sure each one has a kind
        tokens = text.split()
        _kinds_of(list(set(tokens)))
        return tokens
    return text.split()


def _ngrams(tokens: list[str], kinds: dict[str, int], max_words: int, short: bool) -> dict[tuple[str, ...], int]:
    """Count every run of 2..max_words tokens that starts and ends with a content word and has no boundary inside.

    Tuples are counted in C first; only distinct (and, in longer texts, repeated) runs are then checked in Python.
    """
    found: dict[tuple[str, ...], int] = {}
    for size in range(2, max_words + 1):
        counted = Counter(zip(*[tokens[i:] for i in range(size)], strict=False))
        items = counted.items() if short else [(g, f) for g, f in counted.items() if f > 1]
        for gram, freq in items:
            if kinds[gram[0]] == _CONTENT and kinds[gram[-1]] == _CONTENT and all(kinds[m] for m in gram[1:-1]):
                found[gram] = freq
    return found


def extract(
    sentences: list[Sentence], top_n: int, max_words: int, word_counts: Mapping[str, int] | None = None
) -> tuple[list[Keyword], list[Keyphrase]]:
    """Top keywords and keyphrases; `word_counts` (lower-case word -> occurrences), when the caller has it, saves a
    count."""
    tokens = _flatten(sentences)
    if word_counts is None:
        word_counts = Counter(tokens)
    kinds = _kinds_of(list(word_counts))
    term_freq = {w: f for w, f in word_counts.items() if kinds[w] == _CONTENT}
    if any(w.endswith("'s") for w in term_freq):
        # the same word with and without the possessive "'s" counts as one ("Expel's" -> "expel")
        merged: dict[str, int] = {}
        for w, f in term_freq.items():
            w = w.removesuffix("'s")
            merged[w] = merged.get(w, 0) + f
        term_freq = merged
        kinds = _kinds_of(list(term_freq))
    if not term_freq:
        return [], []
    short = len(tokens) < _SHORT_TEXT_TOKENS
    phrase_freq = _ngrams(tokens, kinds, max_words, short) if max_words > 1 else {}

    sets = [set(s.lower) for s in sentences]
    sentence_freq = Counter(chain.from_iterable(sets))
    first_seen: dict[str, int] = {}
    seen: set[str] = set()
    for index, words in enumerate(sets):
        new = words - seen
        if new:
            seen |= new
            first_seen.update(dict.fromkeys(new, index))
    # capitalized anywhere, and at the start of a sentence (where capitals say nothing about names)
    forms = Counter([w for s in sentences for w in s.words if not w.islower()])
    capitalized_all: dict[str, int] = {}
    surface: dict[str, str] = {}
    for form, freq in forms.items():
        lowered = form.lower()
        if form != lowered:
            if lowered.endswith("'s"):
                form, lowered = form[:-2], lowered[:-2]
            capitalized_all[lowered] = capitalized_all.get(lowered, 0) + freq
            surface[lowered] = form
    initial = Counter([s.lower[0] for s in sentences if s.words[0] != s.lower[0]])
    capitalized = {w: n - initial.get(w, 0) for w, n in capitalized_all.items() if n > initial.get(w, 0)}

    sentence_count = len(sentences)
    take_all = short or len(term_freq) < top_n * 4
    position = _POSITION
    log2 = math.log2
    word_score = {
        w: log2(1.0 + f)
        * (1.0 + sentence_freq.get(w, 1) / sentence_count)
        * (position[first] if (first := first_seen.get(w, 0)) < 4096 else 0.6)
        * (1.0 + 0.5 * min(capitalized.get(w, 0) / f, 1.0))
        for w, f in term_freq.items()
        if take_all or f > 1
    }
    # a word keeps its capitals when it never appears in lower case and is not just a sentence opener seen once
    display = {
        w: surface[w]
        for w in word_score
        if capitalized_all.get(w, 0) >= term_freq[w] and (capitalized.get(w, 0) or term_freq[w] > 1)
    }

    candidates: list[tuple[float, str, int, int]] = [
        (score, display.get(w, w), term_freq[w], 1) for w, score in word_score.items()
    ]
    for parts, freq in phrase_freq.items():
        content = [p for p in parts if p in word_score]
        if not content:
            continue
        dice = len(content) * freq / sum(term_freq[p] for p in content)
        weight = 1.0 if freq > 1 else _SINGLETON_PHRASE_WEIGHT
        # geometric mean: one strong word must not carry weak partners ("gave Expel")
        mean = math.prod([word_score[p] for p in content]) ** (1.0 / len(content))
        score = mean * (0.25 + 1.5 * dice) * weight * (1.0 + 0.15 * (len(content) - 1))
        candidates.append((score, " ".join([display.get(p, p) for p in parts]), freq, len(parts)))

    # nlargest is stable: ties keep the order of first appearance, so results are deterministic
    ranked = heapq.nlargest(top_n * 4, candidates, key=itemgetter(0))
    best = ranked[0][0] or 1.0
    keywords: list[Keyword] = []
    phrases: list[Keyphrase] = []
    taken: set[str] = set()
    for score, text, freq, size in ranked:
        key = _fold(text)
        if key in taken:
            continue
        taken.add(key)
        normalized = round(score / best, 4)
        if size == 1 and len(keywords) < top_n:
            keywords.append(Keyword(text, normalized, freq))
        if len(phrases) < top_n:
            phrases.append(Keyphrase(text, normalized, freq, size))
    return keywords, phrases


def _fold(text: str) -> str:
    """Key under which singular and plural forms of the same candidate count as one ("model", "models")."""
    text = text.lower()
    if text.endswith("s") and not text.endswith("ss") and len(text) > 3:
        return text[:-1]
    return text
