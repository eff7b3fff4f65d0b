"""The six classic readability formulas, computed from counts gathered in one pass.

Definitions follow textstat 0.7.x so that the figures can be checked against it: a "complex" word (Gunning Fog) has
three or more syllables and is not a familiar word, a polysyllable (SMOG) has three or more syllables, and letters
(Coleman–Liau) and characters (ARI) are the letters and digits of the words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReadabilityCounts:
    words: int
    sentences: int
    syllables: int
    polysyllables: int
    complex_words: int
    letters: int


@dataclass(frozen=True, slots=True)
class Readability:
    flesch_reading_ease: float
    flesch_kincaid_grade: float
    gunning_fog: float
    smog_index: float
    coleman_liau_index: float
    automated_readability_index: float
    grade_level: float
    reading_ease_label: str


# Lower bounds of the Flesch Reading Ease bands and how the band reads.
_EASE_BANDS: tuple[tuple[float, str], ...] = (
    (90.0, "very easy"),
    (80.0, "easy"),
    (70.0, "fairly easy"),
    (60.0, "standard"),
    (50.0, "fairly difficult"),
    (30.0, "difficult"),
)


def ease_label(score: float) -> str:
    for bound, label in _EASE_BANDS:
        if score >= bound:
            return label
    return "very difficult"


def compute(counts: ReadabilityCounts) -> Readability:
    words, sentences = counts.words, counts.sentences
    if words == 0 or sentences == 0:
        return Readability(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, "unknown")
    words_per_sentence = words / sentences
    syllables_per_word = counts.syllables / words
    letters_per_word = counts.letters / words
    fre = 206.835 - 1.015 * words_per_sentence - 84.6 * syllables_per_word
    fkgl = 0.39 * words_per_sentence + 11.8 * syllables_per_word - 15.59
    fog = 0.4 * (words_per_sentence + 100.0 * counts.complex_words / words)
    smog = 1.043 * math.sqrt(30.0 * counts.polysyllables / sentences) + 3.1291
    cli = 0.058 * letters_per_word * 100.0 - 0.296 * (sentences / words) * 100.0 - 15.8
    ari = 4.71 * letters_per_word + 0.5 * words_per_sentence - 21.43
    grade = (fkgl + fog + smog + cli + ari) / 5.0
    return Readability(
        flesch_reading_ease=round(fre, 2),
        flesch_kincaid_grade=round(fkgl, 2),
        gunning_fog=round(fog, 2),
        smog_index=round(smog, 2),
        coleman_liau_index=round(cli, 2),
        automated_readability_index=round(ari, 2),
        grade_level=round(max(grade, 0.0), 2),
        reading_ease_label=ease_label(fre),
    )
