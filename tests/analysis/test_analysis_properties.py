"""Property-based: analyze() never raises (except on empty content) and keeps every score in range."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketing_project.analysis import AnalysisInput, EmptyContentError, analyze

MARKUP = st.sampled_from(
    [
        "# ",
        "## ",
        "- ",
        "1. ",
        "**",
        "_",
        "`",
        "```",
        "[",
        "](",
        ")",
        "![",
        "<p>",
        "</a>",
        "<h2>",
        "\n",
        "\n\n",
        ". ",
        "? ",
        "! ",
        "...",
        ", ",
        ": ",
        "Name: ",
        "**Sam:** ",
        "e.g. ",
        "3.5 ",
        "https://x.org/a.b ",
        "\u200f",
        "😀",
        "中文",
        "عربي",
    ]
)
WORDS = st.sampled_from(["the", "marketing", "automation", "um", "like", "was", "written", "However", "Dr.", "U.S."])
TEXT = st.lists(st.one_of(st.text(max_size=30), MARKUP, WORDS), max_size=60).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    content=TEXT,
    title=st.text(max_size=80),
    content_type=st.sampled_from(["blog_post", "transcript", "release_notes"]),
    keyphrase=st.one_of(st.none(), st.text(max_size=20), WORDS),
)
def test_analyze_never_raises_and_scores_stay_in_range(
    content: str, title: str, content_type: str, keyphrase: str | None
) -> None:
    try:
        result = analyze(AnalysisInput(content_type, title, content, focus_keyphrase=keyphrase))
    except EmptyContentError:
        assert not content.strip()
        return
    assert content.strip()
    for score in (
        result.seo_score,
        result.readability_score,
        result.content_quality.score,
        result.marketing_value.score,
        result.marketing_value.engagement.score,
        result.marketing_value.conversion.score,
        result.marketing_value.shareability.score,
    ):
        assert 0 <= score <= 100
    assert all(0 <= a.score <= 100 and a.rating in ("good", "ok", "bad") for a in result.assessments)
    assert all(0.0 <= k.score <= 1.0 for k in result.keyphrases)
    assert result.stats.words >= 0 and result.stats.sentences >= 0
    assert result.to_dict()["analyzer_version"] == result.analyzer_version
