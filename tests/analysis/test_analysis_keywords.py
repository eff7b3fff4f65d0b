from __future__ import annotations

from marketing_project.analysis import AnalysisInput, AnalysisOptions, analyze
from marketing_project.analysis.keywords import extract
from marketing_project.analysis.text import sentences_of

TEXT = (
    "Content marketing builds trust with buyers. A content marketing plan needs clear goals. "
    "Good content marketing answers the questions buyers ask. Search engines reward useful content. "
    "Measure content marketing results every month, and improve the weakest pages. "
    "Acme Analytics helps teams track content marketing results. Acme Analytics is free to try."
)


def test_repeated_phrase_ranks_first() -> None:
    keywords, phrases = extract(sentences_of([TEXT]), top_n=5, max_words=3)
    assert phrases[0].phrase == "content marketing"
    assert phrases[0].score == 1.0
    assert phrases[0].count == 5
    assert phrases[0].words == 2
    assert keywords[0].term == "content"
    assert all(0.0 <= p.score <= 1.0 for p in phrases)
    assert [p.score for p in phrases] == sorted((p.score for p in phrases), reverse=True)


def test_names_keep_their_capitals() -> None:
    _, phrases = extract(sentences_of([TEXT]), top_n=10, max_words=3)
    assert "Acme Analytics" in [p.phrase for p in phrases]


def test_phrases_never_cross_punctuation_or_start_with_stopwords() -> None:
    _, phrases = extract(sentences_of(["Apples, oranges and pears. Apples, oranges and pears."]), 10, 3)
    texts = [p.phrase.lower() for p in phrases]
    assert "apples oranges" not in texts
    assert all(not t.startswith(("and ", "the ")) for t in texts)


def test_options_limit_count_and_length() -> None:
    result = analyze(
        AnalysisInput("blog_post", "T", TEXT, options=AnalysisOptions(top_n_keywords=3, max_keyphrase_words=1))
    )
    assert len(result.keyphrases) == 3
    assert len(result.keywords) == 3
    assert all(k.words == 1 for k in result.keyphrases)


def test_empty_when_only_stopwords() -> None:
    assert extract(sentences_of(["It is what it is."]), 10, 3) == ([], [])


def test_stopwords_inside_a_phrase() -> None:
    text = "Return on investment matters. We measure return on investment weekly. Return on investment grows."
    _, phrases = extract(sentences_of([text]), 10, 3)
    assert "return on investment" in [p.phrase for p in phrases]
