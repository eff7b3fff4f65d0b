from __future__ import annotations

from typing import Any

import pytest

from marketing_project.analysis import AnalysisInput, AnalysisResult, analyze
from marketing_project.analysis.style import has_transition, is_passive


def run(content: str, **kwargs: Any) -> AnalysisResult:
    kwargs.setdefault("title", "A title")
    return analyze(AnalysisInput(kwargs.pop("content_type", "blog_post"), content=content, **kwargs))


def check(result: AnalysisResult, id: str) -> Any:
    found = [a for a in result.assessments if a.id == id]
    assert len(found) == 1, id
    return found[0]


def filler(words: int) -> str:
    sentence = "Teams plan small steps and review the work each week."  # 10 words, no keyphrase
    return " ".join([sentence] * (words // 10))


def test_keyphrase_checks_ask_for_a_keyphrase_when_none_is_set() -> None:
    result = run(filler(300))
    for id in ("keyphrase_length", "keyphrase_density", "keyphrase_in_introduction", "keyphrase_in_title"):
        a = check(result, id)
        assert a.rating == "bad"
        assert "Set" in a.message and "keyphrase" in a.message
    # one recommendation covers them all
    assert [r.id for r in result.recommendations].count("keyphrase_density") == 0
    assert "keyphrase_length" in [r.id for r in result.recommendations]


@pytest.mark.parametrize(("mentions", "rating"), [(0, "bad"), (1, "ok"), (2, "good"), (9, "good"), (11, "bad")])
def test_keyphrase_density_bands(mentions: int, rating: str) -> None:
    # 300 words; each mention sentence adds 10 words
    text = " ".join(["Email marketing works when you plan it well and stay consistent."] * mentions)
    text = text + " " + filler(300 - 10 * mentions)
    result = run(text, focus_keyphrase="email marketing")
    density = check(result, "keyphrase_density")
    assert density.rating == rating, density.message
    assert result.focus_keyphrase is not None
    assert result.focus_keyphrase.occurrences == mentions


def test_keyphrase_matches_inflections_in_any_order() -> None:
    result = run(
        "We sent campaigns by email last week. Campaign results came back fast.", focus_keyphrase="email campaign"
    )
    assert result.focus_keyphrase is not None
    assert result.focus_keyphrase.occurrences == 1


def test_keyphrase_position_checks() -> None:
    content = "## Email marketing basics\n\nEmail marketing is simple. " + filler(200) + "\n\n## Other things\n\nMore."
    result = run(
        content,
        title="Email marketing for teams",
        focus_keyphrase="email marketing",
        meta_description="Learn email marketing in ten minutes.",
    )
    assert check(result, "keyphrase_in_title").rating == "good"
    assert check(result, "keyphrase_in_introduction").rating == "good"
    assert check(result, "keyphrase_in_meta_description").rating == "good"
    assert check(result, "keyphrase_in_subheadings").rating == "good"  # 1 of 2
    other = run(content, title="Teams and email marketing", focus_keyphrase="email marketing")
    assert check(other, "keyphrase_in_title").rating == "ok"
    assert check(other, "keyphrase_in_meta_description").rating == "bad"


@pytest.mark.parametrize(("words", "rating"), [(1, "good"), (4, "good"), (6, "ok"), (9, "bad")])
def test_keyphrase_length(words: int, rating: str) -> None:
    phrase = " ".join(["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota"][:words])
    assert check(run(filler(100), focus_keyphrase=phrase), "keyphrase_length").rating == rating


@pytest.mark.parametrize(("size", "rating"), [(0, "bad"), (100, "ok"), (121, "good"), (156, "good"), (157, "ok")])
def test_meta_description_length(size: int, rating: str) -> None:
    meta = ("x" * size) or None
    assert check(run(filler(50), meta_description=meta), "meta_description_length").rating == rating


def test_snippet_stands_in_for_meta_description() -> None:
    a = check(run(filler(50), snippet="s" * 130), "meta_description_length")
    assert a.rating == "good"
    assert "snippet" in a.message


@pytest.mark.parametrize(
    ("title", "rating"),
    [("", "bad"), ("Short", "ok"), ("A practical guide to email marketing for teams", "good"), ("W" * 60, "bad")],
)
def test_title_width(title: str, rating: str) -> None:
    assert check(run(filler(50), title=title), "seo_title_width").rating == rating


@pytest.mark.parametrize(("words", "rating"), [(300, "good"), (260, "ok"), (100, "bad")])
def test_text_length(words: int, rating: str) -> None:
    assert check(run(filler(words)), "text_length").rating == rating


def test_text_length_depends_on_content_type() -> None:
    assert check(run(filler(120), content_type="release_notes"), "text_length").rating == "good"
    assert check(run(filler(120)), "text_length").rating == "bad"


def test_flesch_bands() -> None:
    easy = run("The cat sat on the mat. The dog ran to the park. We had fun in the sun.")
    assert check(easy, "flesch_reading_ease").rating == "good"
    hard = run(
        "Organizational transformation necessitates comprehensive reconsideration of institutional "
        "responsibilities, particularly regarding interdepartmental communication methodologies."
    )
    assert check(hard, "flesch_reading_ease").rating == "bad"


def test_sentence_length() -> None:
    long = "This sentence is written to be rather long so that it has more than twenty words in it for sure today."
    short = "This one is short."
    assert check(run(" ".join([long] + [short] * 3)), "sentence_length").rating == "good"  # 25%
    assert check(run(" ".join([long] * 2 + [short] * 5)), "sentence_length").rating == "ok"  # 28.6%
    assert check(run(" ".join([long] * 2 + [short] * 2)), "sentence_length").rating == "bad"  # 50%


def test_paragraph_length() -> None:
    assert check(run(filler(150)), "paragraph_length").rating == "good"
    assert check(run(filler(180)), "paragraph_length").rating == "ok"
    assert check(run(filler(250)), "paragraph_length").rating == "bad"
    assert check(run(filler(100) + "\n\n" + filler(100) + "\n\n" + filler(100)), "paragraph_length").rating == "good"


def test_subheading_distribution() -> None:
    assert check(run(filler(200)), "subheading_distribution").rating == "good"
    assert check(run(filler(400)), "subheading_distribution").rating == "bad"
    split = "\n\n".join([filler(100), "## A", filler(250), "## B", filler(200)])
    assert check(run(split), "subheading_distribution").rating == "good"
    uneven = "\n\n".join([filler(50), "## A", filler(330)])
    assert check(run(uneven), "subheading_distribution").rating == "ok"


@pytest.mark.parametrize(
    ("sentence", "passive"),
    [
        ("The report was written by the team.", True),
        ("The data is quickly processed every night.", True),
        ("Mistakes were not made.", True),
        ("The team wrote the report.", False),
        ("She is interested in red cars.", True),
        ("The sky was red.", False),
        ("It is indeed true.", False),
        ("Get started today.", False),
    ],
)
def test_passive_detection(sentence: str, passive: bool) -> None:
    assert is_passive(sentence.lower().rstrip(".").split()) is passive


def test_passive_voice_bands() -> None:
    passive = "The email was sent by the system."
    active = "The team sends a short email."
    assert check(run(" ".join([passive] + [active] * 9)), "passive_voice").rating == "good"  # 10%
    assert check(run(" ".join([passive] * 2 + [active] * 14)), "passive_voice").rating == "ok"  # 12.5%
    assert check(run(" ".join([passive] * 3 + [active] * 7)), "passive_voice").rating == "bad"  # 30%


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("However, it works.", True),
        ("For example, this one.", True),
        ("It is on the other hand fine.", True),
        ("Plain words.", False),
    ],
)
def test_transition_detection(sentence: str, found: bool) -> None:
    assert has_transition(sentence.lower().replace(",", "").rstrip(".").split()) is found


def test_transition_words_bands() -> None:
    base = filler(200)  # 20 sentences without transitions
    assert check(run(base), "transition_words").rating == "bad"
    with_some = base + " " + " ".join(["However, we adapt."] * 6)  # 6 of 26
    assert check(run(with_some), "transition_words").rating == "ok"
    with_many = base + " " + " ".join(["Therefore, we adapt."] * 10)  # 10 of 30
    assert check(run(with_many), "transition_words").rating == "good"


def test_transition_words_skipped_for_short_texts() -> None:
    assert not [a for a in run("Short text. Only a few words.").assessments if a.id == "transition_words"]


def test_consecutive_sentences() -> None:
    assert check(run("We plan. We build. We ship. Then we rest."), "consecutive_sentences").rating == "bad"
    assert check(run("We plan. We build. Then we ship."), "consecutive_sentences").rating == "good"
    # list items may share an opener
    assert check(run("- Add a thing\n- Add another\n- Add more"), "consecutive_sentences").rating == "good"


def test_single_h1() -> None:
    assert check(run("# One\n\nText."), "single_h1").rating == "good"
    assert check(run("# One\n\nText.\n\n# Two\n\nMore."), "single_h1").rating == "bad"


def test_images_and_links() -> None:
    result = run("Text. ![](/a.png) ![Chart](/b.png)")
    assert check(result, "image_alt_text").rating == "bad"
    assert check(run("Text. ![Chart](/b.png)"), "image_alt_text").rating == "good"
    assert check(run("Text."), "image_alt_text").rating == "ok"
    linked = run("See [docs](/docs) and [source](https://other.org).", fields={"source_url": "https://example.com/x"})
    assert check(linked, "internal_links").rating == "good"
    assert check(linked, "outbound_links").rating == "good"
    bare = run("No links at all here.")
    assert check(bare, "internal_links").rating == "bad"
    assert check(bare, "outbound_links").rating == "ok"


def test_every_check_has_rating_score_and_message() -> None:
    result = run(filler(320), focus_keyphrase="weekly review")
    for a in result.assessments:
        assert a.rating in ("good", "ok", "bad")
        assert 0 <= a.score <= 100
        assert a.message
        assert a.category in ("seo", "readability", "content")
