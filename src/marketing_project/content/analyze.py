"""Running the analysis engine on content: limits, the engine's input, and off-loop execution for long texts."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool

from marketing_project.analysis import (
    ANALYZER_VERSION,
    AnalysisInput,
    AnalysisOptions,
    AnalysisResult,
    EmptyContentError,
    analyze,
    count_words,
)
from marketing_project.cache import MISSING, Cache, make_key
from marketing_project.content.models import now
from marketing_project.errors import InvalidInput, PayloadTooLarge

_SALT = ANALYZER_VERSION.encode()[:16]
# below this many words the analysis takes a few milliseconds: cheaper inline than a thread hop
_INLINE_WORDS = 3000
_COMMON = frozenset({"id", "type", "title", "content", "snippet", "metadata", "created_at", "updated_at", "analysis"})


def build_input(
    content: Mapping[str, Any],
    *,
    focus_keyphrase: str | None,
    meta_description: str | None,
    options: Mapping[str, Any] | None,
    max_words: int,
) -> tuple[AnalysisInput, int]:
    """The engine's input for one content object (API shape), checked against the limits. Returns (input, words)."""
    text = content["content"]
    if not text or not text.strip():
        raise InvalidInput(
            "content.content is empty: there is nothing to analyze",
            details=[{"field": "content.content", "in": "body", "message": "empty"}],
        )
    words = count_words(text)
    if words > max_words:
        raise PayloadTooLarge(
            f"content has {words} words; the limit for analysis is {max_words} (MAX_CONTENT_WORDS). "
            "Split it into parts."
        )
    try:
        parsed_options = AnalysisOptions.from_mapping(options or {})
    except ValueError as exc:
        raise InvalidInput(
            f"options: {exc}", details=[{"field": "options", "in": "body", "message": str(exc)}]
        ) from None
    fields = {k: v for k, v in content.items() if k not in _COMMON}
    inp = AnalysisInput(
        content_type=content["type"],
        title=content["title"],
        content=text,
        snippet=content.get("snippet"),
        fields=fields,
        focus_keyphrase=focus_keyphrase,
        meta_description=meta_description,
        options=parsed_options,
    )
    return inp, words


def analyze_checked(inp: AnalysisInput) -> AnalysisResult:
    try:
        return analyze(inp)
    except EmptyContentError as exc:
        detail = {"field": "content.content", "in": "body", "message": str(exc)}
        raise InvalidInput(str(exc), details=[detail]) from None


def _run(inp: AnalysisInput) -> dict[str, Any]:
    return analyze_checked(inp).to_dict()


async def run_analysis(inp: AnalysisInput, words: int) -> dict[str, Any]:
    """Short texts inline; long ones in a worker thread so the event loop keeps serving other requests."""
    if words <= _INLINE_WORDS:
        return _run(inp)
    return await run_in_threadpool(_run, inp)


def response_key(raw_request: bytes, *, gzip: bool = False) -> str:
    """Key of a whole /analyze response by the request's exact bytes: a repeat skips parsing and validation too."""
    digest = hashlib.blake2b(raw_request, digest_size=16, salt=_SALT).hexdigest()
    return f"analysis:{'gz' if gzip else 'raw'}:{digest}"


async def analyze_cached(cache: Cache, inp: AnalysisInput, words: int) -> tuple[dict[str, Any], bool]:
    """(result, served_from_cache). The key covers everything the result depends on, the engine version included."""
    key = make_key(
        "analysis",
        ANALYZER_VERSION,
        inp.content_type,
        inp.title,
        inp.content,
        inp.snippet,
        dict(inp.fields),
        inp.focus_keyphrase,
        inp.meta_description,
        inp.options.to_dict(),
    )
    cached = await cache.get(key, MISSING)
    if cached is not MISSING:
        return cached, True
    # concurrent misses for the same content compute once
    return await cache.get_or_set(key, lambda: run_analysis(inp, words)), False


def stored_analysis(
    result: dict[str, Any], focus_keyphrase: str | None, meta_description: str | None
) -> dict[str, Any]:
    return {
        **result,
        "analyzed_at": now().isoformat().replace("+00:00", "Z"),
        "request": {"focus_keyphrase": focus_keyphrase, "meta_description": meta_description},
    }
