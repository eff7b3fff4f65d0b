"""Sentences and word tokens: the single tokenization pass that every metric shares."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import ABBREVIATIONS, NUMBER_ABBREVIATIONS

# Candidate sentence ends; whether one really ends a sentence is decided in Python (see split_sentences).
_TERMINATOR = re.compile(r"[.!?…。！？][.!?…\"'”’»)\]]*")
_CJK_TERMINATORS = "。！？"
_INITIALS = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")
_HAS_WORD_CHAR = re.compile(r"[^\W_]")
_OPENERS = "(\"'“‘[«"
_APOSTROPHES = ("’", "‘", "ʼ")
# Punctuation that separates phrases inside a sentence becomes a separate BREAK token: keyphrases never span it.
BREAK = "\x00"
_BREAK_CHARS = tuple(',;()[]{}"“”«»—–|!?…')
_SPACED_BREAK = f" {BREAK} "
# Punctuation trimmed from both ends of a whitespace-separated token ("(MDR)," -> "MDR", "e.g." -> "e.g").
_TRIM = "".join(sorted(set(".,;:!?\"'“”‘’«»()[]{}<>*_`~#|/\\-–—…•·@$%^&+=")))


@dataclass(slots=True)
class Sentence:
    text: str
    words: list[str]  # original case
    lower: list[str]
    marked: list[str]  # `lower` with a BREAK token wherever phrase punctuation stood (the same list when none did)
    block: int


def _mark_breaks(text: str) -> str:
    # str.replace per character present beats str.translate (a Python-level lookup per character) by far
    for char in _BREAK_CHARS:
        if char in text:
            text = text.replace(char, _SPACED_BREAK)
    return text


def _clean(raw: str) -> str:
    """A non-alphanumeric token trimmed of punctuation, or "" when no letter or digit is left (BREAK stays)."""
    if raw == BREAK:
        return raw
    token = raw.strip(_TRIM)
    return token if token and (token.isalnum() or _HAS_WORD_CHAR.search(token) is not None) else ""


def _tokens(marked: str) -> list[str]:
    clean = _clean
    # most tokens are plain words: they skip the function call
    tokens = [raw if raw.isalnum() else clean(raw) for raw in marked.split()]
    if "" in tokens:
        tokens = [t for t in tokens if t]
    return tokens


def count_words(text: str) -> int:
    """Number of words in `text` by the same rule as the analysis: cheap enough to enforce a limit before analyzing.

    A word is a whitespace-separated token, with phrase punctuation split off and surrounding punctuation trimmed,
    that holds at least one letter or digit ("don't", "3.5", "real-time" and a URL are one word each).
    """
    tokens = _tokens(_mark_breaks(text))
    return len(tokens) - tokens.count(BREAK)


def normalize(text: str) -> str:
    """One spelling for the apostrophe, so that "don’t" and "don't" are the same word; no NUL, which is our BREAK."""
    if BREAK in text:
        text = text.replace(BREAK, " ")
    for char in _APOSTROPHES:
        if char in text:
            text = text.replace(char, "'")
    return text


def _is_abbreviation(text: str, start: int, dot: int, next_char: str) -> bool:
    space = text.rfind(" ", start, dot) + 1
    word = text[space:dot].lstrip(_OPENERS).lower()
    if not word:
        return False
    if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or _INITIALS.fullmatch(word):
        return True
    return word in NUMBER_ABBREVIATIONS and next_char.isdigit()


def split_sentences(text: str) -> list[str]:
    """Split one block of prose into sentences.

    A period ends a sentence only when whitespace follows (so "3.5" and "arthur.ai/blog" stay whole), the next word
    does not start in lower case (so "e.g. this" and "wait... and" stay whole) and the word before it is not a known
    abbreviation or an initial ("Dr.", "U.S.", "J.").
    """
    sentences: list[str] = []
    start = 0
    size = len(text)
    for match in _TERMINATOR.finditer(text):
        end = match.end()
        mark = match.group()
        if mark[0] not in _CJK_TERMINATORS:
            if end < size and not text[end].isspace():
                continue
            if "!" not in mark and "?" not in mark:
                following = end
                while following < size and text[following].isspace():
                    following += 1
                if following < size:
                    next_char = text[following]
                    if next_char.islower():
                        continue
                    if mark[0] == "." and mark[:2] != ".." and _is_abbreviation(text, start, match.start(), next_char):
                        continue
        piece = text[start:end].strip()
        if piece:
            sentences.append(piece)
        start = end
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def tokenize(sentence: str, block: int, marked: str | None = None) -> Sentence:
    """Words of a sentence: whitespace-separated tokens trimmed of punctuation, kept if they hold a letter or digit.

    `marked` is the sentence with its phrase punctuation already replaced by BREAK tokens, when the caller did that
    for many sentences at once.
    """
    tokens = _tokens(_mark_breaks(sentence) if marked is None else marked)
    if not tokens:
        return Sentence(sentence, tokens, tokens, tokens, block)
    joined = " ".join(tokens)
    if BREAK not in joined:
        lower = joined.lower().split(" ")
        return Sentence(sentence, tokens, lower, lower, block)
    # drop the BREAK tokens with string operations rather than a loop over the words
    plain = f" {joined}".replace(_SPACED_BREAK[:2], "").lstrip(" ")
    words = plain.split(" ") if plain else []
    return Sentence(sentence, words, plain.lower().split(" ") if plain else [], joined.lower().split(" "), block)


def sentences_of(blocks: list[str]) -> list[Sentence]:
    """Tokenized sentences of every block, skipping those without a single word (emoji, lone punctuation)."""
    pieces: list[str] = []
    owners: list[int] = []
    for index, block in enumerate(blocks):
        for piece in split_sentences(block.replace("\n", " ") if "\n" in block else block):
            pieces.append(piece)
            owners.append(index)
    if not pieces:
        return []
    marked = _mark_breaks("\n".join(pieces)).split("\n")
    result: list[Sentence] = []
    for piece, marks, owner in zip(pieces, marked, owners, strict=True):
        sentence = tokenize(piece, owner, marks)
        if sentence.words:
            result.append(sentence)
    return result
