from __future__ import annotations

import json
import time

import pytest

from marketing_project.analysis import (
    ANALYZER_VERSION,
    AnalysisInput,
    AnalysisOptions,
    AnalysisResult,
    EmptyContentError,
    analyze,
    count_words,
    render_report,
)


def test_empty_content_raises() -> None:
    for content in ("", "   ", "\n\t \n"):
        with pytest.raises(EmptyContentError):
            analyze(AnalysisInput("blog_post", "T", content))
    assert issubclass(EmptyContentError, ValueError)


def test_tiny_payload_gives_results_and_warnings() -> None:
    result = analyze(AnalysisInput("blog_post", "Test", "Test content"))
    assert result.stats.words == 2
    assert result.analyzer_version == ANALYZER_VERSION
    assert any("very short" in w for w in result.warnings)
    assert not result.pipeline_ready
    assert result.recommendations
    assert 0 <= result.seo_score <= 100 and 0 <= result.readability_score <= 100


def test_deterministic_and_json_ready(blog_post_text: str) -> None:
    def run() -> AnalysisResult:
        return analyze(AnalysisInput("blog_post", "Email automation", blog_post_text, focus_keyphrase="email"))

    first, second = run().to_dict(), run().to_dict()
    assert first == second
    assert json.dumps(first, sort_keys=False) == json.dumps(second, sort_keys=False)
    assert first["analyzer_version"] == ANALYZER_VERSION
    assert list(first)[:3] == ["analyzer_version", "content_type", "language"]


def test_recommendations_are_ordered_by_impact(blog_post_text: str) -> None:
    result = analyze(AnalysisInput("blog_post", "x", blog_post_text))
    impacts = [r.impact for r in result.recommendations]
    assert impacts == sorted(impacts, reverse=True)
    assert all(r.priority in ("high", "medium", "low") for r in result.recommendations)


def test_scores_reflect_quality(blog_post_text: str) -> None:
    good = analyze(
        AnalysisInput(
            "blog_post",
            "Email marketing automation: a guide for small teams",
            blog_post_text,
            snippet="How small teams use email marketing automation to save hours every week and get better results.",
            meta_description="Email marketing automation for small teams: plan campaigns, segment your audience and "
            "measure results. A practical guide.",
            focus_keyphrase="email marketing automation",
            fields={"source_url": "https://example.com/blog/email"},
        )
    )
    poor = analyze(AnalysisInput("blog_post", "x", "word " * 40))
    assert good.seo_score > poor.seo_score + 30
    assert good.marketing_value.score > poor.marketing_value.score
    assert good.content_quality.score > poor.content_quality.score
    assert good.pipeline_ready


def test_options_from_mapping() -> None:
    options = AnalysisOptions.from_mapping(
        {"top_n_keywords": 5, "language": "en-US", "site_host": "https://www.Example.com/x"}
    )
    assert options.top_n_keywords == 5
    assert options.language == "en"
    assert options.site_host == "example.com"
    assert AnalysisOptions.from_mapping(None) == AnalysisOptions()
    with pytest.raises(ValueError, match=r"unknown option.*colour"):
        AnalysisOptions.from_mapping({"colour": "red"})
    with pytest.raises(ValueError, match="top_n_keywords"):
        AnalysisOptions.from_mapping({"top_n_keywords": 0})
    with pytest.raises(ValueError, match=r"max_keyphrase_words.*integer"):
        AnalysisOptions.from_mapping({"max_keyphrase_words": "3"})
    with pytest.raises(ValueError, match=r"words_per_minute.*integer"):
        AnalysisOptions.from_mapping({"words_per_minute": True})
    with pytest.raises(ValueError, match="language"):
        AnalysisOptions.from_mapping({"language": "fr"})
    with pytest.raises(ValueError, match="options must be an object"):
        AnalysisOptions.from_mapping([1, 2])  # type: ignore[arg-type]


def test_reading_time_uses_words_per_minute() -> None:
    text = "word " * 476
    slow = analyze(AnalysisInput("blog_post", "t", text, options=AnalysisOptions(words_per_minute=238)))
    assert slow.stats.reading_time_seconds == 120
    assert slow.stats.reading_time_minutes == 2.0


def test_bad_input_values_are_rejected() -> None:
    with pytest.raises(ValueError, match="content_type"):
        AnalysisInput("podcast", "t", "x")
    with pytest.raises(ValueError, match="options"):
        AnalysisInput("blog_post", "t", "x", options={"top_n_keywords": 3})  # type: ignore[arg-type]


ROBUSTNESS = {
    "html": "<html><body><h1>Title</h1><p>Some <b>bold</b> text &amp; more.</p><p>Unclosed <a href='x'>link",
    "emoji": "🚀🚀🚀 Launch day! 🎉 We shipped it 💯. " * 5,
    "only_emoji": "🙂🙂🙂 🎉",
    "cjk": "这是一个测试。我们正在分析中文文本。これは日本語の文です。",
    "rtl": "هذا نص عربي للاختبار. שלום עולם, זהו טקסט בעברית.",
    "long_sentence": "word " * 1000,
    "no_spaces": "a" * 5000,
    "broken_markdown": "[unclosed](http://x.com and ![img]( and [[[nested]]] ]]]((( ** __ ``` unclosed fence",
    "brackets": "[" * 3000 + "(" * 3000 + "<" * 3000,
    "dots": ". " * 3000 + "..." * 2000,
    "colons": "A: " * 3000,
    "digits": "1.2.3.4.5 " * 500,
    "control": "text\x00with\x01control\x7fchars and\r\nwindows\rline endings",
}


@pytest.mark.parametrize("name", sorted(ROBUSTNESS))
@pytest.mark.parametrize("content_type", ["blog_post", "transcript", "release_notes"])
def test_robust_on_odd_input(name: str, content_type: str) -> None:
    result = analyze(AnalysisInput(content_type, "Title", ROBUSTNESS[name], focus_keyphrase="test"))
    data = result.to_dict()
    json.dumps(data)
    assert 0 <= result.seo_score <= 100
    assert render_report(result)


def test_long_transcript_is_linear_enough() -> None:
    turn = "Speaker One: So, um, we think the agent loop is, you know, the key part of the product.\n\n"
    other = "Speaker Two: Right, and the evaluation step decides what ships to customers next week.\n\n"
    content = (turn + other) * 360  # about 10,000 words
    started = time.perf_counter()
    result = analyze(AnalysisInput("transcript", "Long call", content))
    elapsed = time.perf_counter() - started
    assert result.stats.words > 9000
    assert result.transcript is not None
    assert {s.name for s in result.transcript.speakers} == {"Speaker One", "Speaker Two"}
    assert elapsed < 20  # a hang guard, not a performance threshold


def test_non_english_is_warned() -> None:
    result = analyze(AnalysisInput("blog_post", "T", "Dies ist ein deutscher Text über Marketing und Vertrieb. " * 10))
    assert any("English" in w for w in result.warnings)
    assert not result.pipeline_ready


def test_count_words_matches_analysis_on_plain_text(blog_post_text: str) -> None:
    plain = "Plain text, with punctuation. And two sentences!"
    assert count_words(plain) == analyze(AnalysisInput("blog_post", "t", plain)).stats.words == 7


def test_render_report(blog_post_text: str, transcript_text: str, release_notes_text: str) -> None:
    blog = render_report(analyze(AnalysisInput("blog_post", "T", blog_post_text, focus_keyphrase="email")))
    assert "SEO score" in blog and "Recommendations" in blog and "Focus keyphrase 'email'" in blog
    transcript = render_report(analyze(AnalysisInput("transcript", "T", transcript_text)))
    assert "Mike Chen" in transcript and "filler words" in transcript
    notes = render_report(analyze(AnalysisInput("release_notes", "T", release_notes_text)))
    assert "version 2.4.0" in notes and "Fix login loop on Safari" in notes


def test_nul_characters_in_the_text_do_not_break_the_analysis() -> None:
    # NUL marks sentence boundaries inside the engine; text carrying its own must not collide with them
    result = analyze(AnalysisInput("blog_post", "Title\x00", "\x00:0 and more \x00 words. Another sentence here."))
    assert result.stats.words >= 5
