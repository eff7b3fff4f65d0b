from __future__ import annotations

import pytest

from marketing_project.analysis import count_words
from marketing_project.analysis.text import sentences_of, split_sentences, tokenize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two words here. Three!", ["One.", "Two words here.", "Three!"]),
        ("Dr. Smith met Mr. Jones. They talked.", ["Dr. Smith met Mr. Jones.", "They talked."]),
        ("It costs 3.5 dollars. Cheap.", ["It costs 3.5 dollars.", "Cheap."]),
        ("Use tools, e.g. Zapier. It works.", ["Use tools, e.g. Zapier.", "It works."]),
        ("The U.S. Army is large. It trains.", ["The U.S. Army is large.", "It trains."]),
        (
            "See https://arthur.ai/blog/x.html for more. Then go.",
            ["See https://arthur.ai/blog/x.html for more.", "Then go."],
        ),
        ("Wait... and then it rained. Done.", ["Wait... and then it rained.", "Done."]),
        ("Really? Yes! Fine.", ["Really?", "Yes!", "Fine."]),
        ('He said "stop." Then left.', ['He said "stop."', "Then left."]),
        ("No. 5 is next. No. We stop.", ["No. 5 is next.", "No.", "We stop."]),
        ("今日は晴れです。明日は雨です。", ["今日は晴れです。", "明日は雨です。"]),
        ("no terminal punctuation at all", ["no terminal punctuation at all"]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_tokenize_keeps_contractions_decimals_hyphens_and_marks_phrase_breaks() -> None:
    sentence = tokenize("Don't pay $3.50 for real-time data, (MDR) alerts—now!", 0)
    assert sentence.words == ["Don't", "pay", "3.50", "for", "real-time", "data", "MDR", "alerts", "now"]
    assert sentence.lower[0] == "don't"
    # phrase punctuation becomes BREAK tokens in `marked` only
    assert len(sentence.marked) > len(sentence.lower)
    assert [w for w in sentence.marked if w != "\x00"] == sentence.lower


def test_count_words() -> None:
    assert count_words("") == 0
    assert count_words("  \n ") == 0
    assert count_words("Hello, world!") == 2
    assert count_words("It's a well-known fact: 3.5% of https://x.com/a users — 🙂 — agree.") == 9
    assert count_words("## Heading\n\n- item one\n- item two") == 5


def test_sentences_skip_blocks_without_words() -> None:
    sentences = sentences_of(["🙂 🙂", "Real words here.", "!!!"])
    assert [s.text for s in sentences] == ["Real words here."]
    assert sentences[0].block == 1
