from __future__ import annotations

import pytest

from marketing_project.analysis import syllables


@pytest.mark.parametrize(
    ("word", "expected"),
    [("cat", 1), ("table", 2), ("beautiful", 3), ("organization", 5), ("the", 1), ("don't", 1)],
)
def test_dictionary_words(word: str, expected: int) -> None:
    assert syllables.cmu_table()[word] == expected
    assert syllables.count(word) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [("observability", 6), ("cybersecurity", 6), ("upsolve", 2), ("llm", 3), ("2024", 1), ("zorblat", 2)],
)
def test_fallback_for_unknown_words(word: str, expected: int) -> None:
    assert word not in syllables.cmu_table()
    assert syllables.estimate(word) == expected


def test_hyphenated_words_sum_their_parts() -> None:
    assert syllables.count("real-time") == syllables.count("real") + syllables.count("time")


def test_count_many_keeps_order_and_handles_unknowns() -> None:
    assert syllables.count_many(["cat", "zorblat", "beautiful"]) == [1, 2, 3]
