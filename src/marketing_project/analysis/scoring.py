"""Overall scores, content quality, recommendations ordered by impact, pipeline readiness and warnings."""

from __future__ import annotations

from dataclasses import dataclass

from .assessment import CONTENT, GOOD, READABILITY, SEO, Assessment
from .document import Document
from .lexicon import STOPWORDS
from .seo import NEEDS_KEYPHRASE
from .signals import Signal, signal, total

# How much each check matters, relative to the others of its category; also the scale of a recommendation's impact.
WEIGHTS: dict[str, float] = {
    "keyphrase_length": 3.0,
    "keyphrase_density": 2.0,
    "keyphrase_in_introduction": 2.0,
    "keyphrase_in_title": 3.0,
    "keyphrase_in_subheadings": 1.0,
    "keyphrase_in_meta_description": 1.0,
    "meta_description_length": 2.0,
    "seo_title_width": 2.0,
    "text_length": 3.0,
    "single_h1": 1.0,
    "image_alt_text": 1.0,
    "internal_links": 1.5,
    "outbound_links": 1.0,
    "flesch_reading_ease": 3.0,
    "sentence_length": 2.0,
    "paragraph_length": 1.5,
    "subheading_distribution": 2.0,
    "passive_voice": 1.5,
    "transition_words": 1.5,
    "consecutive_sentences": 1.0,
    "speakers_identified": 2.0,
    "filler_words": 2.0,
    "release_version": 2.0,
    "release_date": 1.0,
    "changes_listed": 3.0,
    "breaking_changes": 2.0,
    "call_to_action": 2.5,
    "snippet_quality": 1.5,
}
SHORT_TEXT_WORDS = 100
LONG_SENTENCE_WARNING = 80


@dataclass(frozen=True, slots=True)
class Recommendation:
    id: str
    category: str
    priority: str
    impact: float
    message: str


@dataclass(frozen=True, slots=True)
class ContentQuality:
    score: int
    grade: str
    signals: tuple[Signal, ...]


@dataclass(frozen=True, slots=True)
class PipelineReadiness:
    ready: bool
    reasons: tuple[str, ...]


def _counted(checks: list[Assessment], category: str, has_keyphrase: bool) -> list[Assessment]:
    return [c for c in checks if c.category == category and (has_keyphrase or c.id not in NEEDS_KEYPHRASE)]


def weighted_score(checks: list[Assessment]) -> int:
    weight = sum(WEIGHTS.get(c.id, 1.0) for c in checks)
    if not weight:
        return 0
    return round(sum(WEIGHTS.get(c.id, 1.0) * c.score for c in checks) / weight)


def seo_score(checks: list[Assessment], has_keyphrase: bool) -> int:
    return weighted_score(_counted(checks, SEO, has_keyphrase))


def readability_score(checks: list[Assessment]) -> int:
    return weighted_score(_counted(checks, READABILITY, True))


def recommendations(checks: list[Assessment], has_keyphrase: bool) -> list[Recommendation]:
    found = []
    for check in checks:
        if check.rating == GOOD or (not has_keyphrase and check.id in NEEDS_KEYPHRASE):
            continue
        impact = round(WEIGHTS.get(check.id, 1.0) * (100 - check.score) / 100, 2)
        priority = "high" if impact >= 1.5 else "medium" if impact >= 0.75 else "low"
        found.append(Recommendation(check.id, check.category, priority, impact, check.message))
    found.sort(key=lambda r: (-r.impact, r.id))
    return found


def content_quality(doc: Document, checks: list[Assessment]) -> ContentQuality:
    words = doc.stats.words
    profile = doc.profile
    length_share = min(1.0, words / profile.good_words)
    ease = doc.readability.flesch_reading_ease
    ease_share = min(1.0, max(0.0, (ease - 20.0) / 50.0))
    root_ttr = doc.stats.unique_words / (2.0 * words) ** 0.5 if words else 0.0
    diversity_share = min(1.0, max(0.0, (root_ttr - 2.0) / 5.0))
    style = [c for c in checks if c.category == READABILITY]
    style_share = sum(c.score for c in style) / (100 * len(style)) if style else 0.0
    specific = [c for c in checks if c.category == CONTENT]
    specific_share = sum(c.score for c in specific) / (100 * len(specific)) if specific else 1.0
    label = profile.name.replace("_", " ")
    signals = (
        signal(
            "length",
            length_share >= 1.0,
            25,
            f"{words} words ({'enough' if length_share >= 1 else 'short'} for a {label}; "
            f"{profile.good_words}+ recommended).",
            round(25 * length_share),
        ),
        signal(
            "readability",
            ease >= 50,
            20,
            f"Flesch reading ease {ease:.0f} ({doc.readability.reading_ease_label}).",
            round(20 * ease_share),
        ),
        signal(
            "vocabulary",
            diversity_share >= 0.5,
            15,
            f"{doc.stats.unique_words} distinct words; lexical diversity (root type-token ratio) {root_ttr:.1f}.",
            round(15 * diversity_share),
        ),
        signal(
            "style",
            style_share >= 0.7,
            20,
            f"{sum(1 for c in style if c.rating == GOOD)} of {len(style)} readability checks pass.",
            round(20 * style_share),
        ),
        signal(
            "type_specific",
            specific_share >= 0.7,
            20,
            f"{sum(1 for c in specific if c.rating == GOOD)} of {len(specific)} {label} checks pass."
            if specific
            else f"No {label}-specific checks apply.",
            round(20 * specific_share),
        ),
    )
    score = total(signals)
    grade = "excellent" if score >= 85 else "good" if score >= 70 else "fair" if score >= 50 else "poor"
    return ContentQuality(score, grade, signals)


def non_english_share(text: str) -> float:
    """Share of characters outside ASCII among the non-space characters (cheap language hint)."""
    spaces = text.count(" ")
    size = len(text) - spaces
    if size <= 0:
        return 0.0
    return 1.0 - (len(text.encode("ascii", "ignore")) - spaces) / size


def looks_english(doc: Document) -> bool:
    words = doc.stats.words
    if non_english_share(doc.prose_lower) > 0.3:
        return False
    if words < 20:
        return True
    counts = doc.word_counts
    stop = sum(counts[w] for w in STOPWORDS.intersection(counts))
    return stop / words >= 0.1


def pipeline_readiness(doc: Document, english: bool, release_items: int | None = None) -> PipelineReadiness:
    profile = doc.profile
    label = profile.name.replace("_", " ")
    words = doc.stats.words
    blocking = []
    passed = []
    if words < profile.pipeline_min_words:
        blocking.append(
            f"too short: {words} words, the pipeline needs at least {profile.pipeline_min_words} for a {label}"
        )
    else:
        passed.append(f"{words} words, at least the {profile.pipeline_min_words} needed for a {label}")
    if not doc.title.strip():
        blocking.append("the title is missing")
    else:
        passed.append("has a title")
    if not english:
        blocking.append("the text does not look like English, the only language the pipeline handles")
    if release_items == 0:
        blocking.append("no changes are listed: nothing to announce")
    if blocking:
        return PipelineReadiness(False, tuple(blocking))
    return PipelineReadiness(True, tuple(passed))


def warnings(doc: Document, english: bool) -> list[str]:
    found = []
    words = doc.stats.words
    if words == 0:
        found.append("no words were found in the content (only symbols, emoji or markup); scores are meaningless")
    elif words < SHORT_TEXT_WORDS:
        found.append(f"content is very short ({words} words); scores are unreliable")
    if not english:
        found.append("the text does not look like English; readability formulas and word lists are English-only")
    if doc.parsed.html:
        found.append("HTML markup was found and converted before analysis")
    if doc.parsed.broken_links:
        found.append(f"{doc.parsed.broken_links} Markdown link(s) look broken (unclosed or empty target)")
    longest = max((len(s.words) for s in doc.sentences), default=0)
    if longest >= LONG_SENTENCE_WARNING:
        found.append(f"a sentence of {longest} words was found; check the punctuation (sentence counts may be off)")
    if doc.focus is not None and doc.focus.occurrences == 0:
        found.append(f"the focus keyphrase '{doc.focus.keyphrase}' does not occur in the text")
    if doc.parsed.code_blocks:
        found.append(f"{doc.parsed.code_blocks} code block(s) were left out of the text statistics")
    return found
