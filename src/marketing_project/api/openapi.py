"""Request bodies that a route parses itself (to look at the raw bytes first) still get documented."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

_REF = "#/components/schemas/{model}"
_documented: list[type[BaseModel]] = []


def json_body(model: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` for a route that reads `model` from its raw body."""
    _documented.append(model)
    schema = {"$ref": _REF.format(model=model.__name__)}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        _document_api_key(schema)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in _documented:
            model_schema = model.model_json_schema(ref_template=_REF)
            components.update(model_schema.pop("$defs", {}))
            components[model.__name__] = model_schema
        app.openapi_schema = schema
        return schema

    setattr(app, "openapi", openapi)  # noqa: B010


OpenAPIFactory = Callable[[], dict[str, Any]]


def _document_api_key(schema: dict[str, Any]) -> None:
    """The key check is a plain dependency (cheaper than FastAPI's security classes); describe it here instead."""
    schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
    schemes["APIKeyHeader"] = {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": "API key; roles: viewer (read), editor (write content, analyze), admin (also caches).",
    }
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            if "401" in operation.get("responses", {}):
                operation["security"] = [{"APIKeyHeader": []}]
