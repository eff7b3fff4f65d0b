"""Every error, whatever raised it, rendered in the one JSON shape with the request id."""

from __future__ import annotations

import logging
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from marketing_project.content.models import CONTENT_TYPES
from marketing_project.errors import AppError

logger = logging.getLogger("marketing_project.api")

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    503: "service_unavailable",
}


_PLACES = ("body", "query", "path", "header")


def error_body(code: str, message: str, request_id: str | None, details: Any = None) -> bytes:
    error: dict[str, Any] = {"code": code, "message": message, "request_id": request_id}
    if details is not None:
        error["details"] = details
    return orjson.dumps({"error": error})


def _response(
    request: Request,
    status: int,
    code: str,
    message: str,
    details: Any = None,
    headers: dict[str, str] | None = None,
) -> Response:
    request_id = request.scope.get("state", {}).get("request_id")
    body = error_body(code, message, request_id, details)
    return Response(body, status_code=status, media_type="application/json", headers=headers)


_TAG_ERRORS = frozenset({"union_tag_invalid", "union_tag_not_found"})


def _field(error: dict[str, Any]) -> str:
    loc = tuple(error.get("loc", ()))
    # users know the field, not FastAPI's body/query/path prefix nor the union tag pydantic inserts
    parts = loc[1:] if loc and loc[0] in _PLACES else loc
    # the union tag is pydantic's bookkeeping, not a field; real fields never take those names
    return ".".join(str(part) for part in parts if part not in CONTENT_TYPES) or "body"


def _detail(error: dict[str, Any]) -> dict[str, Any]:
    loc = tuple(error.get("loc", ()))
    where = loc[0] if loc and loc[0] in _PLACES else "body"
    kind = error.get("type")
    if kind in _TAG_ERRORS:
        got = error.get("ctx", {}).get("tag")
        message = "must be one of blog_post, transcript, release_notes" + (f" (got {got!r})" if got else "")
        parent = _field(error)
        return {"field": "type" if parent == "body" else f"{parent}.type", "in": where, "message": message}
    if kind == "json_invalid":
        reason = error.get("ctx", {}).get("error", "syntax error")
        return {"field": "body", "in": where, "message": f"not valid JSON ({reason})"}
    message = error.get("msg", "invalid value")
    if kind == "string_too_short" and error.get("ctx", {}).get("min_length") == 1:
        message = "must not be empty or only whitespace"
    return {"field": _field(error), "in": where, "message": message}


def validation_details(errors: Any) -> list[dict[str, Any]]:
    return [_detail(error) for error in errors]


def validation_message(details: list[dict[str, Any]]) -> str:
    first = details[0] if details else {"field": "body", "message": "invalid request"}
    message = f"{first['field']}: {first['message']}"
    if len(details) > 1:
        message += f" (and {len(details) - 1} more problem{'s' if len(details) > 2 else ''}, see details)"
    return message


async def _app_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    if exc.status_code >= 500:
        logger.warning("%s: %s", exc.code, exc.message)
    return _response(request, exc.status_code, exc.code, exc.message, exc.details, exc.headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = _CODES.get(exc.status_code, "error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    if exc.status_code == 404 and exc.detail == "Not Found":
        message = f"No route for {request.method} {request.url.path}; see /docs for the API"
    elif exc.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}"
    headers = dict(exc.headers or {})
    if exc.status_code == 413:
        headers["Connection"] = "close"
    return _response(request, exc.status_code, code, message, headers=headers)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    details = validation_details(exc.errors())
    return _response(request, 422, "validation_error", validation_message(details), details)


async def _unhandled(request: Request, exc: Exception) -> Response:
    logger.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    response = _response(request, 500, "internal_error", "An unexpected error occurred; it has been logged.")
    # this handler runs outside the request-id middleware, so it adds the header itself
    request_id = request.scope.get("state", {}).get("request_id")
    if request_id:
        response.headers["X-Request-ID"] = request_id
    return response


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unhandled)
