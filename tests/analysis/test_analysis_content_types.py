from __future__ import annotations

from marketing_project.analysis import AnalysisInput, analyze
from marketing_project.analysis.transcript import parse_duration


def test_transcript_speakers_from_labels_and_header(transcript_text: str) -> None:
    result = analyze(AnalysisInput("transcript", "Episode 12", transcript_text))
    t = result.transcript
    assert t is not None
    assert t.speaker_source == "labels"
    assert [s.name for s in t.speakers] == ["Mike Chen", "Sarah Johnson"]
    assert t.turns == 4
    assert sum(s.turns for s in t.speakers) == 4
    assert abs(sum(s.share for s in t.speakers) - 100.0) < 0.2
    assert t.speakers[0].words > t.speakers[1].words
    assert t.dominant_speaker == "Mike Chen"
    assert t.duration_seconds == 600.0
    assert t.speaking_rate_wpm is not None
    fillers = {f.filler: f.count for f in t.fillers}
    assert fillers == {"um": 1, "uh": 1, "you know": 1, "i mean": 1, "like": 1}
    assert t.filler_words == 5
    # labels and header lines are not part of the analyzed text
    assert all("johnson" not in k.phrase.lower() for k in result.keyphrases)
    assert result.blog_post is None and result.release_notes is None


def test_transcript_plain_labels_and_srt_timestamps() -> None:
    content = (
        "1\n00:00:01,000 --> 00:00:04,000\nAlice: Hello there, this is the start.\n\n"
        "2\n00:00:05,000 --> 00:00:09,000\nBob: Hi Alice. Uh, glad to be here.\n\n"
        "3\n00:00:10,000 --> 00:00:12,000\nAlice: Let's begin.\nWe have a lot to cover.\n"
    )
    t = analyze(AnalysisInput("transcript", "Call", content)).transcript
    assert t is not None
    assert t.timestamps_removed == 6
    assert {s.name: s.words for s in t.speakers} == {"Alice": 14, "Bob": 7}
    assert {s.name: s.turns for s in t.speakers} == {"Alice": 2, "Bob": 1}


def test_transcript_speakers_from_fields_without_labels() -> None:
    result = analyze(
        AnalysisInput(
            "transcript",
            "Talk",
            "We talked about growth. Note: this is not a label.",
            fields={"speakers": ["Ann (Host)", "Ben"], "duration": "1:00", "transcript_type": "podcast"},
        )
    )
    t = result.transcript
    assert t is not None
    assert t.speaker_source == "fields"
    assert [s.name for s in t.speakers] == ["Ann", "Ben"]
    assert t.duration_seconds == 60.0
    assert t.transcript_type == "podcast"
    assert "Note" not in [s.name for s in t.speakers]


def test_transcript_without_speakers_is_flagged() -> None:
    result = analyze(AnalysisInput("transcript", "T", "Just some words spoken without any labels at all."))
    check = next(a for a in result.assessments if a.id == "speakers_identified")
    assert check.rating == "bad"


def test_parse_duration() -> None:
    assert parse_duration("45:30") == 2730.0
    assert parse_duration("1:02:03") == 3723.0
    assert parse_duration(90) == 90.0
    assert parse_duration("90.5") == 90.5
    assert parse_duration("soon") is None
    assert parse_duration(True) is None
    assert parse_duration(-1) is None


def test_release_notes_sections(release_notes_text: str) -> None:
    result = analyze(AnalysisInput("release_notes", "Release 2.4.0", release_notes_text))
    r = result.release_notes
    assert r is not None
    assert r.version == "2.4.0"
    assert r.release_date == "2024-03-01"
    assert r.features == ("Add dark mode to the dashboard", "New export to CSV")
    assert r.fixes == ("Fix login loop on Safari", "Fixed a crash when the report is empty")
    assert len(r.breaking_changes) == 1
    assert r.has_migration_notes
    checks = {a.id: a.rating for a in result.assessments}
    assert checks["release_version"] == "good"
    assert checks["changes_listed"] == "good"
    assert checks["breaking_changes"] == "good"
    assert result.pipeline_ready


def test_release_notes_from_fields_and_item_leads() -> None:
    result = analyze(
        AnalysisInput(
            "release_notes",
            "Spring update",
            "- Added SSO login\n- Fixed broken export\n- Updated the docs\n- Removed support for IE11",
            fields={"version": "v3", "release_date": "2024-04-01", "bug_fixes": ["Fix typo in emails"]},
        )
    )
    r = result.release_notes
    assert r is not None
    assert r.version == "v3"
    assert r.features == ("Added SSO login",)
    assert r.fixes == ("Fixed broken export", "Fix typo in emails")
    assert r.changes == ("Updated the docs", "Removed support for IE11")
    assert r.breaking_changes == ("Removed support for IE11",)
    assert not r.has_migration_notes
    assert next(a for a in result.assessments if a.id == "breaking_changes").rating == "bad"


def test_release_notes_without_items_are_not_pipeline_ready() -> None:
    result = analyze(AnalysisInput("release_notes", "Notes", "We made the product better in many ways this month."))
    assert result.release_notes is not None
    assert result.release_notes.total_items == 0
    assert not result.pipeline_ready
    assert any("no changes" in reason for reason in result.pipeline_reasons)


def test_blog_post_cta_and_snippet(blog_post_text: str) -> None:
    result = analyze(
        AnalysisInput(
            "blog_post",
            "Email Marketing Automation for Small Teams",
            blog_post_text,
            snippet="How small teams use email marketing automation to save hours every week and get better results.",
            fields={"author": "Ann", "tags": ["email", "automation"], "category": "Guides"},
            focus_keyphrase="email marketing automation",
        )
    )
    b = result.blog_post
    assert b is not None
    assert b.has_call_to_action
    assert b.call_to_action_in_closing
    assert "sign up" in [c.phrase for c in b.calls_to_action]
    assert b.snippet.rating == "good"
    assert b.author == "Ann" and b.tags == ("email", "automation") and b.category == "Guides"
    checks = {a.id: a.rating for a in result.assessments}
    assert checks["call_to_action"] == "good"
    assert checks["snippet_quality"] == "good"


def test_blog_post_snippet_problems() -> None:
    result = analyze(AnalysisInput("blog_post", "T", "Cats and dogs. " * 20, snippet="Cats..."))
    b = result.blog_post
    assert b is not None
    assert b.snippet.rating == "bad"
    assert len(b.snippet.issues) == 2
    assert not b.has_call_to_action
