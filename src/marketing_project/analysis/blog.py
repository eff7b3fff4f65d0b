"""Blog posts: calls to action and the quality of the snippet shown in listings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .assessment import BAD, CONTENT, GOOD, OK, Assessment, make

# Phrases that ask the reader to act (searched in the lower-cased text).
CTA_PHRASES: tuple[str, ...] = (
    "sign up",
    "subscribe",
    "contact us",
    "get in touch",
    "book a demo",
    "request a demo",
    "schedule a demo",
    "get a demo",
    "start your free trial",
    "start a free trial",
    "free trial",
    "try it",
    "try it free",
    "get started",
    "learn more",
    "download",
    "register",
    "join us",
    "join our",
    "buy now",
    "shop now",
    "order now",
    "talk to",
    "reach out",
    "read more",
    "click here",
    "follow us",
    "share this",
    "let us know",
    "start today",
    "see how",
    "find out",
)

SNIPPET_MIN = 50
SNIPPET_MAX = 160


@dataclass(frozen=True, slots=True)
class CallToAction:
    phrase: str
    position: float  # where it first occurs, 0.0 (start) to 1.0 (end)


@dataclass(frozen=True, slots=True)
class SnippetQuality:
    present: bool
    length: int
    rating: str
    issues: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BlogPostAnalysis:
    calls_to_action: tuple[CallToAction, ...]
    has_call_to_action: bool
    call_to_action_in_closing: bool
    snippet: SnippetQuality
    author: str | None
    category: str | None
    tags: tuple[str, ...]


_CTA_FIRST_WORDS = {phrase: phrase.split(" ", 1)[0] for phrase in CTA_PHRASES}


def find_calls_to_action(prose_lower: str, word_counts: Mapping[str, int] | None = None) -> list[CallToAction]:
    """Calls to action in order of appearance. `word_counts` (word -> count) lets phrases whose first word never
    occurs be skipped without scanning the text."""
    size = max(len(prose_lower), 1)
    padded = f" {prose_lower} "
    found = []
    for phrase in CTA_PHRASES:
        if word_counts is not None and _CTA_FIRST_WORDS[phrase] not in word_counts:
            continue
        at = padded.find(f" {phrase}")
        if at >= 0:
            end = at + 1 + len(phrase)
            if end >= len(padded) or not padded[end].isalpha():
                found.append(CallToAction(phrase, round(min(at / size, 1.0), 2)))
    found.sort(key=lambda c: (c.position, c.phrase))
    return found


def snippet_quality(snippet: str | None, top_terms: list[str], focus: str | None) -> SnippetQuality:
    text = (snippet or "").strip()
    if not text:
        return SnippetQuality(False, 0, BAD, ("no snippet: listings will show the first words of the text",))
    issues = []
    if len(text) < SNIPPET_MIN:
        issues.append(f"short ({len(text)} characters; aim for {SNIPPET_MIN}–{SNIPPET_MAX})")
    elif len(text) > SNIPPET_MAX:
        issues.append(f"long ({len(text)} characters): it will be cut off after about {SNIPPET_MAX}")
    if text.endswith(("...", "…")):
        issues.append("ends with an ellipsis: it reads as truncated; finish the sentence")
    lowered = text.lower()
    wanted = [focus.lower()] if focus else [t.lower() for t in top_terms[:3]]
    if wanted and not any(term in lowered for term in wanted):
        issues.append("does not mention the focus keyphrase or the main topic" if focus else "misses the main topic")
    rating = GOOD if not issues else OK if len(issues) == 1 else BAD
    return SnippetQuality(True, len(text), rating, tuple(issues))


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def analyze(
    prose_lower: str,
    snippet: str | None,
    fields: dict[str, Any],
    top_terms: list[str],
    focus: str | None,
    ctas: list[CallToAction],
) -> BlogPostAnalysis:
    tags = fields.get("tags")
    if isinstance(tags, str):
        tags = tags.split(",")
    tag_list = (
        tuple(t.strip() for t in tags if isinstance(t, str) and t.strip()) if isinstance(tags, list | tuple) else ()
    )
    return BlogPostAnalysis(
        calls_to_action=tuple(ctas),
        has_call_to_action=bool(ctas),
        call_to_action_in_closing=any(c.position >= 0.75 for c in ctas)
        or any(f" {c.phrase}" in f" {prose_lower[-400:]}" for c in ctas),
        snippet=snippet_quality(snippet, top_terms, focus),
        author=_text(fields.get("author")),
        category=_text(fields.get("category")),
        tags=tag_list,
    )


def assess(result: BlogPostAnalysis) -> list[Assessment]:
    checks = []
    if result.call_to_action_in_closing:
        checks.append(
            make(
                "call_to_action",
                CONTENT,
                "Call to action",
                GOOD,
                f"The post ends with a call to action ('{result.calls_to_action[-1].phrase}').",
                len(result.calls_to_action),
            )
        )
    elif result.has_call_to_action:
        checks.append(
            make(
                "call_to_action",
                CONTENT,
                "Call to action",
                OK,
                "There is a call to action, but not in the closing part. Repeat it at the end, where readers decide.",
                len(result.calls_to_action),
            )
        )
    else:
        checks.append(
            make(
                "call_to_action",
                CONTENT,
                "Call to action",
                BAD,
                "No call to action found. Tell readers what to do next (subscribe, book a demo, read more...).",
                0,
            )
        )
    snippet = result.snippet
    message = (
        "The snippet is a good length and on topic."
        if not snippet.issues
        else "Snippet: " + "; ".join(snippet.issues) + "."
    )
    checks.append(make("snippet_quality", CONTENT, "Snippet", snippet.rating, message, snippet.length))
    return checks
