"""Dependencies of the routes: the app's services and the caller's identity, as Annotated aliases."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from marketing_project.cache import Cache
from marketing_project.content.repository import ContentRepository
from marketing_project.errors import Forbidden, Unauthorized
from marketing_project.security.api_keys import ApiKeyStore, Principal, Role
from marketing_project.settings import Settings

_api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="API key; roles: viewer (read), editor (write), admin."
)


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_repository(request: Request) -> ContentRepository:
    repository: ContentRepository = request.app.state.repository
    return repository


def requires(role: Role) -> Callable[..., Coroutine[Any, Any, Principal]]:
    async def check(request: Request, key: Annotated[str | None, Security(_api_key_header)]) -> Principal:
        if not key:
            raise Unauthorized(
                "Missing API key: send it in the X-API-Key header", headers={"WWW-Authenticate": "ApiKey"}
            )
        store: ApiKeyStore = request.app.state.api_keys
        principal = store.authenticate(key)
        if principal is None:
            raise Unauthorized("Invalid API key", headers={"WWW-Authenticate": "ApiKey"})
        if principal.role < role:
            raise Forbidden(f"This needs the {role.name} role; your key has the {principal.role.name} role")
        request.state.user_id = principal.key_id
        return principal

    return check


async def get_cache(request: Request) -> Cache:
    cache: Cache = request.app.state.cache
    return cache


SettingsDep = Annotated[Settings, Depends(get_settings)]
RepositoryDep = Annotated[ContentRepository, Depends(get_repository)]
CacheDep = Annotated[Cache, Depends(get_cache)]
Viewer = Annotated[Principal, Depends(requires(Role.viewer))]
Editor = Annotated[Principal, Depends(requires(Role.editor))]
Admin = Annotated[Principal, Depends(requires(Role.admin))]
