"""Content analysis: POST /api/v1/analyze, /api/v1/analyze/batch and /api/v1/content/{id}/analyze."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, TypeVar

import orjson
from fastapi import APIRouter, Body, Request
from pydantic import BaseModel, ValidationError
from starlette.responses import Response

from marketing_project.api.compression import accepts_gzip, gzip_bytes, maybe_gzip
from marketing_project.api.deps import Editor, ServicesDep
from marketing_project.api.errors import validation_details, validation_message
from marketing_project.api.openapi import json_body
from marketing_project.api.responses import FastJSONResponse
from marketing_project.api.routes.content import ContentId
from marketing_project.api.schemas.analyze import (
    AnalyzeRequest,
    AnalyzeResult,
    AnalyzeStoredRequest,
    BatchRequest,
    BatchResponse,
)
from marketing_project.cache import Cache
from marketing_project.content.analyze import analyze_cached, build_input, response_key, stored_analysis
from marketing_project.content.models import ContentItem
from marketing_project.errors import AppError, Conflict, InvalidInput, NotFound

router = APIRouter(tags=["analysis"])
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing or invalid API key"},
    403: {"description": "Needs the editor role"},
    413: {"description": "Body over MAX_REQUEST_SIZE or content over MAX_CONTENT_WORDS"},
    422: {"description": "Invalid input (empty content, unknown type or option); `error.details` names the field"},
}


_HIT = {"X-Cache": "HIT"}
_MISS = {"X-Cache": "MISS"}
M = TypeVar("M", bound=BaseModel)


def _parse(model: type[M], raw: bytes) -> M:
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        details = validation_details([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()])
        raise InvalidInput(validation_message(details), details=details) from None


async def _analyze(body: AnalyzeRequest, max_words: int, cache: Cache) -> dict[str, Any]:
    content = body.content.root.model_dump(mode="json")
    inp, words = build_input(
        content,
        focus_keyphrase=body.focus_keyphrase,
        meta_description=body.meta_description,
        options=body.options,
        max_words=max_words,
    )
    result, cached = await analyze_cached(cache, inp, words)
    return {**result, "content_id": content.get("id"), "cached": cached}


@router.post(
    "/api/v1/analyze", response_model=AnalyzeResult, responses=_ERRORS, openapi_extra=json_body(AnalyzeRequest)
)
async def analyze_content(request: Request, services: ServicesDep, _: Editor) -> Response:
    """Readability, keyphrases, SEO checks, marketing signals and recommendations for one content object.

    Results are cached: a repeat is served from the cache, marked `cached: true` and `X-Cache: HIT`."""
    cache = services.cache
    raw = await request.body()
    body = _parse(AnalyzeRequest, raw)
    result = await _analyze(body, services.settings.max_content_words, cache)
    # CachedAnalysisMiddleware answers the next identical body with these bytes, before routing
    hit = orjson.dumps({**result, "cached": True})
    await cache.set(response_key(raw), hit)
    if accepts_gzip(request):
        await cache.set(response_key(raw, gzip=True), gzip_bytes(hit))
    response = FastJSONResponse(result, headers=_HIT if result["cached"] else _MISS)
    return maybe_gzip(request, response)


@router.post("/api/v1/analyze/batch", response_model=BatchResponse, responses=_ERRORS)
async def analyze_batch(
    request: Request, body: Annotated[BatchRequest, Body()], services: ServicesDep, _: Editor
) -> Response:
    """Up to 100 analyses in one call; each item succeeds or fails on its own."""
    items: list[dict[str, Any]] = []
    for index, raw in enumerate(body.items):
        # one item at a time, letting other requests run in between: a batch must not stall the server
        await asyncio.sleep(0)
        try:
            parsed = AnalyzeRequest.model_validate(raw)
            items.append(
                {
                    "index": index,
                    "status": "ok",
                    "result": await _analyze(parsed, services.settings.max_content_words, services.cache),
                }
            )
        except ValidationError as exc:
            details = validation_details([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()])
            error = {"code": "validation_error", "message": validation_message(details), "details": details}
            items.append({"index": index, "status": "error", "error": error})
        except AppError as exc:
            error = {"code": exc.code, "message": exc.message, "details": exc.details}
            items.append({"index": index, "status": "error", "error": error})
    failed = sum(item["status"] == "error" for item in items)
    response = {"succeeded": len(items) - failed, "failed": failed, "items": items}
    return maybe_gzip(request, FastJSONResponse(response))


@router.post(
    "/api/v1/content/{content_id}/analyze",
    response_model=AnalyzeResult,
    responses={404: {"description": "No such id"}, 409: {"description": "Changed during analysis"}, **_ERRORS},
)
async def analyze_stored(
    request: Request,
    content_id: ContentId,
    services: ServicesDep,
    _: Editor,
    body: Annotated[AnalyzeStoredRequest | None, Body()] = None,
) -> Response:
    """Analyze stored content and keep the result with it (returned by GET /api/v1/content/{id} as `analysis`)."""
    body = body or AnalyzeStoredRequest()
    item = await services.repository.get(content_id)
    if item is None:
        raise NotFound(f"content {content_id!r} does not exist")
    inp, words = build_input(
        item.to_public(),
        focus_keyphrase=body.focus_keyphrase,
        meta_description=body.meta_description,
        options=body.options,
        max_words=services.settings.max_content_words,
    )
    result, cached = await analyze_cached(services.cache, inp, words)
    analysis = stored_analysis(result, body.focus_keyphrase, body.meta_description)

    def attach(current: ContentItem) -> ContentItem:
        if current.updated_at != item.updated_at:
            raise Conflict("the content changed while it was being analyzed; run the analysis again")
        return current.with_changes(analysis=analysis)

    await services.repository.update(content_id, attach)
    return maybe_gzip(request, FastJSONResponse({**result, "content_id": content_id, "cached": cached}))
