"""CRUD for content items: /api/v1/content."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Path, Query, Request
from pydantic import ValidationError
from starlette.responses import Response

from marketing_project.api.compression import maybe_gzip
from marketing_project.api.deps import Editor, ServicesDep, Viewer
from marketing_project.api.errors import validation_details, validation_message
from marketing_project.api.responses import FastJSONResponse
from marketing_project.api.schemas.content import COMMON_FIELDS, ID_PATTERN, ContentIn, ContentPage, ContentPublic
from marketing_project.content.models import ContentItem, now
from marketing_project.errors import InvalidInput, NotFound

router = APIRouter(prefix="/api/v1/content", tags=["content"])
ContentId = Annotated[str, Path(pattern=ID_PATTERN, description="Content id")]
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing or invalid API key"},
    403: {"description": "The key's role does not allow this"},
    422: {"description": "Invalid input; `error.details` names each field"},
    503: {"description": "Database unavailable or busy"},
}


def _to_item(body: Any, *, content_id: str | None = None, previous: ContentItem | None = None) -> ContentItem:
    fields = body.model_dump()
    attributes = {k: v for k, v in fields.items() if k not in COMMON_FIELDS}
    if "release_date" in attributes and attributes["release_date"] is not None:
        attributes["release_date"] = attributes["release_date"].isoformat()
    timestamp = now()
    return ContentItem(
        id=content_id or fields["id"] or uuid.uuid4().hex,
        type=fields["type"],
        title=fields["title"],
        content=fields["content"],
        snippet=fields["snippet"],
        source_url=fields["source_url"],
        metadata=fields["metadata"],
        attributes=attributes,
        analysis=None,
        created_at=fields["created_at"] or (previous.created_at if previous else timestamp),
        updated_at=timestamp,
    )


def _validate(data: Any) -> Any:
    try:
        return ContentIn.model_validate(data).root
    except ValidationError as exc:
        details = validation_details(exc.errors())
        raise InvalidInput(validation_message(details), details=details) from None


def _check_id(content_id: str, body_id: str | None) -> None:
    if body_id is not None and body_id != content_id:
        raise InvalidInput(
            f"id in the body ({body_id!r}) differs from the id in the path ({content_id!r}); ids cannot be changed",
            details=[{"field": "id", "in": "body", "message": "must match the path"}],
        )


def _public(item: ContentItem, status: int = 200) -> Response:
    return FastJSONResponse(item.to_public(), status_code=status)


@router.post("", status_code=201, response_model=ContentPublic, responses={409: {"description": "Id taken"}, **_ERRORS})
async def create_content(body: Annotated[ContentIn, Body()], services: ServicesDep, _: Editor) -> Response:
    """Store a blog post, transcript or release notes (`type` or `content_type` picks which)."""
    item = await services.repository.create(_to_item(body.root))
    response = _public(item, 201)
    response.headers["Location"] = f"/api/v1/content/{item.id}"
    return response


@router.get("/{content_id}", response_model=ContentPublic, responses={404: {"description": "No such id"}, **_ERRORS})
async def get_content(content_id: ContentId, services: ServicesDep, _: Viewer) -> Response:
    item = await services.repository.get(content_id)
    if item is None:
        raise NotFound(f"content {content_id!r} does not exist")
    return _public(item)


@router.get("", response_model=ContentPage, responses=_ERRORS)
async def list_content(
    request: Request,
    services: ServicesDep,
    _: Viewer,
    type: Annotated[
        Literal["blog_post", "transcript", "release_notes"] | None, Query(description="Only this type")
    ] = None,
    content_type: Annotated[
        Literal["blog_post", "transcript", "release_notes"] | None, Query(description="Same as type")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="Items per page")] = 20,
    cursor: Annotated[str | None, Query(max_length=512, description="next_cursor of the previous page")] = None,
) -> Response:
    """Newest first, cursor-paginated. Large pages are gzip-compressed when the client accepts it."""
    if type and content_type and type != content_type:
        raise InvalidInput("type and content_type disagree; pass one of them")
    page = await services.repository.list(content_type=type or content_type, limit=limit, cursor=cursor)
    body = {"items": [item.to_public() for item in page.items], "next_cursor": page.next_cursor}
    return maybe_gzip(request, FastJSONResponse(body))


@router.put("/{content_id}", response_model=ContentPublic, responses={404: {"description": "No such id"}, **_ERRORS})
async def replace_content(
    content_id: ContentId, body: Annotated[ContentIn, Body()], services: ServicesDep, _: Editor
) -> Response:
    """Replace every field (the stored analysis is dropped, since the text may have changed)."""
    new = body.root
    _check_id(content_id, new.id)
    item = await services.repository.update(
        content_id, lambda previous: _to_item(new, content_id=content_id, previous=previous)
    )
    return _public(item)


@router.patch("/{content_id}", response_model=ContentPublic, responses={404: {"description": "No such id"}, **_ERRORS})
async def update_content(
    content_id: ContentId,
    changes: Annotated[dict[str, Any], Body(description="Only the fields to change; null clears an optional field")],
    services: ServicesDep,
    _: Editor,
) -> Response:
    """Change some fields; the result is validated as a whole against its type."""
    _check_id(content_id, changes.get("id"))

    if "content_type" in changes:
        changes = {**changes, "type": changes["content_type"]}
        del changes["content_type"]

    def merge(previous: ContentItem) -> ContentItem:
        current = previous.to_public()
        if changes.get("type", previous.type) != previous.type:
            # the old type's own fields mean nothing to the new type
            current = {k: v for k, v in current.items() if k in COMMON_FIELDS}
        for derived in ("updated_at", "analysis"):
            current.pop(derived, None)
        merged = _validate({**current, **changes})
        item = _to_item(merged, content_id=content_id, previous=previous)
        text_unchanged = (item.title, item.content, item.type) == (previous.title, previous.content, previous.type)
        return item.with_changes(analysis=previous.analysis if text_unchanged else None)

    item = await services.repository.update(content_id, merge)
    return _public(item)


@router.delete("/{content_id}", status_code=204, responses={404: {"description": "No such id"}, **_ERRORS})
async def delete_content(content_id: ContentId, services: ServicesDep, _: Editor) -> Response:
    if not await services.repository.delete(content_id):
        raise NotFound(f"content {content_id!r} does not exist")
    return Response(status_code=204)
