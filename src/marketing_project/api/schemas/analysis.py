"""Response models of content analysis, shaped exactly like `AnalysisResult.to_dict()`.

Every model forbids unknown keys and every field is required, so `AnalysisResponse.model_validate(result.to_dict())`
fails if the engine's output and this schema ever drift apart.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Rating = Literal["good", "ok", "bad"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ContentSignal(_Model):
    id: str = Field(description="Signal identifier, e.g. `call_to_action`.")
    found: bool = Field(description="Whether the signal was found in the content.")
    points: int = Field(description="Points this signal earned (0 when not found).")
    max_points: int = Field(description="Points this signal can earn.")
    detail: str = Field(description="What was found (or is missing), in plain words.")


class ContentQualityOut(_Model):
    score: int = Field(ge=0, le=100, description="Overall content quality, 0–100.")
    grade: Literal["excellent", "good", "fair", "poor"] = Field(description="Grade band of the score.")
    signals: list[ContentSignal] = Field(description="Components of the score: length, readability, vocabulary...")


class MarketingDimension(_Model):
    score: int = Field(ge=0, le=100, description="Score of this dimension, 0–100.")
    signals: list[ContentSignal] = Field(description="Each signal checked, with an explanation.")


class MarketingValueOut(_Model):
    score: int = Field(ge=0, le=100, description="Mean of engagement, conversion and shareability, 0–100.")
    engagement: MarketingDimension = Field(description="Will readers stay and read: questions, 'you', data, visuals.")
    conversion: MarketingDimension = Field(description="Will readers act: calls to action, benefits, social proof.")
    shareability: MarketingDimension = Field(description="Will readers share: title, statistics, quotable lines.")


class RecommendationOut(_Model):
    id: str = Field(description="Id of the check this recommendation comes from.")
    category: Literal["seo", "readability", "content"] = Field(description="Category of that check.")
    priority: Literal["high", "medium", "low"] = Field(description="Priority band of the impact.")
    impact: float = Field(ge=0, description="Expected gain from acting on it (check weight × missing score share).")
    message: str = Field(description="What to do.")


class TextStatsOut(_Model):
    characters: int = Field(ge=0, description="Characters of the content as given.")
    words: int = Field(ge=0, description="Words of the analyzed text (Markdown syntax, URLs, code left out).")
    unique_words: int = Field(ge=0, description="Distinct words (case-insensitive).")
    sentences: int = Field(ge=0, description="Sentences, headings and list items included.")
    paragraphs: int = Field(ge=0, description="Paragraphs (and block quotes).")
    syllables: int = Field(ge=0, description="Syllables (CMU Pronouncing Dictionary, estimated for unknown words).")
    avg_words_per_sentence: float = Field(ge=0, description="Mean words per sentence.")
    avg_syllables_per_word: float = Field(ge=0, description="Mean syllables per word.")
    long_sentences: int = Field(ge=0, description="Sentences of more than 20 words.")
    reading_time_seconds: int = Field(ge=0, description="Reading time in seconds at `options.words_per_minute`.")
    reading_time_minutes: float = Field(ge=0, description="Reading time in minutes.")


class HeadingOut(_Model):
    level: int = Field(ge=1, le=6, description="Heading level, 1–6.")
    text: str = Field(description="Heading text without markup.")


class LinkOut(_Model):
    url: str = Field(description="Link target as written.")
    text: str = Field(description="Link text (empty for a bare URL).")
    kind: Literal["internal", "external", "other"] = Field(
        description="internal: relative or same site; external: another host; other: mailto:, tel:..."
    )


class ImageOut(_Model):
    src: str = Field(description="Image source.")
    alt: str = Field(description="Alt text (empty when missing).")


class StructureOut(_Model):
    headings: list[HeadingOut] = Field(description="Headings in order (first 100).")
    heading_counts: dict[str, int] = Field(description="Number of headings per level, keys `h1`–`h6`.")
    paragraphs: int = Field(ge=0, description="Paragraphs.")
    lists: int = Field(ge=0, description="Bulleted or numbered lists.")
    list_items: int = Field(ge=0, description="List items.")
    blockquotes: int = Field(ge=0, description="Block quote paragraphs.")
    code_blocks: int = Field(ge=0, description="Fenced code blocks (left out of the text statistics).")
    tables: int = Field(ge=0, description="Tables.")
    links: list[LinkOut] = Field(description="Links in order (first 100).")
    internal_links: int = Field(ge=0, description="Links to the same site (relative, or the site's host).")
    external_links: int = Field(ge=0, description="Outbound links to other hosts.")
    other_links: int = Field(ge=0, description="mailto:, tel: and other non-web links.")
    broken_links: int = Field(ge=0, description="Markdown links that are unclosed or have an empty target.")
    images: list[ImageOut] = Field(description="Images in order (first 100).")
    images_without_alt: int = Field(ge=0, description="Images without alt text.")
    html_detected: bool = Field(description="Whether HTML markup was found (and converted).")


class ReadabilityOut(_Model):
    flesch_reading_ease: float = Field(description="Flesch Reading Ease: higher is easier; 60–70 is plain English.")
    flesch_kincaid_grade: float = Field(description="Flesch–Kincaid grade level (US school grade).")
    gunning_fog: float = Field(description="Gunning Fog index (years of schooling).")
    smog_index: float = Field(description="SMOG index (grade).")
    coleman_liau_index: float = Field(description="Coleman–Liau index (grade).")
    automated_readability_index: float = Field(description="Automated Readability Index (grade).")
    grade_level: float = Field(ge=0, description="Mean of the five grade-level formulas.")
    reading_ease_label: str = Field(description="Band of the Flesch score, e.g. 'fairly easy'.")


class KeywordOut(_Model):
    term: str = Field(description="Keyword (capitalized when the text mostly capitalizes it).")
    score: float = Field(ge=0, le=1, description="Relevance, 1.0 for the best candidate.")
    count: int = Field(ge=0, description="Occurrences.")


class KeyphraseOut(_Model):
    phrase: str = Field(description="Keyphrase of 1 to `options.max_keyphrase_words` words.")
    score: float = Field(ge=0, le=1, description="Relevance, 1.0 for the best candidate.")
    count: int = Field(ge=0, description="Occurrences.")
    words: int = Field(ge=1, description="Number of words in the phrase.")


class FocusKeyphraseOut(_Model):
    keyphrase: str = Field(description="The focus keyphrase as given.")
    content_words: int = Field(ge=0, description="Its words other than stopwords.")
    occurrences: int = Field(ge=0, description="Occurrences (all content words in one sentence, any order).")
    density: float = Field(ge=0, description="Occurrences per 100 words.")
    in_title: bool = Field(description="The title contains all of its content words.")
    title_starts_with_keyphrase: bool = Field(description="The title starts with the keyphrase.")
    in_introduction: bool = Field(description="The first paragraph contains it.")
    in_meta_description: bool = Field(description="The meta description contains it.")
    subheadings: int = Field(ge=0, description="H2–H6 subheadings.")
    subheadings_with_keyphrase: int = Field(ge=0, description="Subheadings with at least half of its content words.")


class AssessmentOut(_Model):
    id: str = Field(description="Check id, e.g. `keyphrase_density`, `passive_voice`.")
    category: Literal["seo", "readability", "content"] = Field(description="What the check is about.")
    title: str = Field(description="Human-readable name of the check.")
    rating: Rating = Field(description="Traffic light: good, ok or bad.")
    score: int = Field(ge=0, le=100, description="Score of the check, 0–100.")
    value: float | None = Field(description="The measured value (percentage, count, width...), when there is one.")
    message: str = Field(description="What was found and what to do.")


class SpeakerOut(_Model):
    name: str = Field(description="Speaker name.")
    words: int = Field(ge=0, description="Words spoken.")
    turns: int = Field(ge=0, description="Turns taken.")
    share: float = Field(ge=0, le=100, description="Share of all spoken words, percent.")


class FillerOut(_Model):
    filler: str = Field(description="Filler word or phrase (um, uh, you know, like...).")
    count: int = Field(ge=0, description="Occurrences.")


class TranscriptOut(_Model):
    speakers: list[SpeakerOut] = Field(description="Speakers, most talkative first.")
    speaker_source: Literal["labels", "fields", "header", "none"] = Field(
        description="Where the speakers came from: 'Name:' labels, the request fields, a 'Speakers:' header line."
    )
    turns: int = Field(ge=0, description="Labeled speaker turns.")
    dominant_speaker: str | None = Field(description="Speaker with the most words.")
    filler_words: int = Field(ge=0, description="Filler words and phrases.")
    filler_rate: float = Field(ge=0, description="Filler words per 100 words.")
    fillers: list[FillerOut] = Field(description="Count per filler, most frequent first.")
    duration_seconds: float | None = Field(description="Duration from the fields or a 'Duration:' header line.")
    speaking_rate_wpm: float | None = Field(description="Words per minute, when the duration is known.")
    transcript_type: str | None = Field(description="Transcript type from the fields (podcast, meeting...).")
    timestamps_removed: int = Field(ge=0, description="Cue numbers and timestamps removed before analysis.")


class ReleaseNotesOut(_Model):
    version: str | None = Field(description="Version from the fields, else found in the title or text.")
    release_date: str | None = Field(description="Release date from the fields, else found in the text.")
    features: list[str] = Field(description="New features.")
    fixes: list[str] = Field(description="Bug fixes.")
    changes: list[str] = Field(description="Other changes.")
    breaking_changes: list[str] = Field(description="Breaking changes (stated or detected).")
    has_migration_notes: bool = Field(description="Whether the text explains how to migrate or upgrade.")
    total_items: int = Field(ge=0, description="Features, fixes and changes together.")


class CallToActionOut(_Model):
    phrase: str = Field(description="The call to action, e.g. 'book a demo'.")
    position: float = Field(ge=0, le=1, description="Where it first occurs: 0 = start, 1 = end.")


class SnippetQualityOut(_Model):
    present: bool = Field(description="Whether a snippet was given.")
    length: int = Field(ge=0, description="Snippet length in characters.")
    rating: Rating = Field(description="Traffic light for the snippet.")
    issues: list[str] = Field(description="What to improve.")


class BlogPostOut(_Model):
    calls_to_action: list[CallToActionOut] = Field(description="Calls to action in order of appearance.")
    has_call_to_action: bool = Field(description="Whether there is any call to action.")
    call_to_action_in_closing: bool = Field(description="Whether the closing part has one.")
    snippet: SnippetQualityOut = Field(description="Quality of the listing snippet.")
    author: str | None = Field(description="Author from the fields.")
    category: str | None = Field(description="Category from the fields.")
    tags: list[str] = Field(description="Tags from the fields.")


class AnalysisOptionsOut(_Model):
    top_n_keywords: int = Field(description="How many keywords and keyphrases were requested.")
    max_keyphrase_words: int = Field(description="Longest keyphrase considered, in words.")
    words_per_minute: int = Field(description="Reading speed used for the reading time.")
    language: str = Field(description="Language of the analysis.")
    site_host: str | None = Field(description="Site host used to tell internal links from outbound ones.")


class AnalysisResponse(_Model):
    analyzer_version: str = Field(description="Version of the analysis rules that produced this result.")
    content_type: Literal["blog_post", "transcript", "release_notes"] = Field(description="Content type analyzed.")
    language: str = Field(description="Language of the analysis.")
    seo_score: int = Field(ge=0, le=100, description="Weighted mean of the SEO checks, 0–100.")
    readability_score: int = Field(ge=0, le=100, description="Weighted mean of the readability checks, 0–100.")
    content_quality: ContentQualityOut = Field(description="Overall quality with its components.")
    marketing_value: MarketingValueOut = Field(description="Engagement, conversion and shareability signals.")
    pipeline_ready: bool = Field(description="Whether the content can go to the content pipeline.")
    pipeline_reasons: list[str] = Field(description="Why (blocking problems when not ready).")
    warnings: list[str] = Field(description="Caveats about this analysis, e.g. very short content.")
    recommendations: list[RecommendationOut] = Field(description="What to improve, highest impact first.")
    stats: TextStatsOut = Field(description="Text statistics.")
    structure: StructureOut = Field(description="Markdown structure: headings, lists, links, images.")
    readability: ReadabilityOut = Field(description="The six readability formulas.")
    keywords: list[KeywordOut] = Field(description="Top single-word keywords.")
    keyphrases: list[KeyphraseOut] = Field(description="Top keyphrases (single and multi-word), best first.")
    focus_keyphrase: FocusKeyphraseOut | None = Field(description="Usage of the focus keyphrase, when one was set.")
    assessments: list[AssessmentOut] = Field(description="Every check with its rating, score and message.")
    transcript: TranscriptOut | None = Field(description="Transcript analysis (transcripts only).")
    release_notes: ReleaseNotesOut | None = Field(description="Release notes analysis (release notes only).")
    blog_post: BlogPostOut | None = Field(description="Blog post analysis (blog posts only).")
    options: AnalysisOptionsOut = Field(description="The options the analysis ran with.")
