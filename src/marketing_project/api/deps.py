"""Dependencies of the routes: the app's services and the caller's identity, as Annotated aliases.

Few and flat on purpose: each dependency FastAPI solves costs microseconds on every request.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from marketing_project.cache import Cache
from marketing_project.content.repository import ContentRepository
from marketing_project.db.sql import Database
from marketing_project.errors import Forbidden, Unauthorized
from marketing_project.security.api_keys import ApiKeyStore, Principal, Role
from marketing_project.settings import Settings

API_KEY_HEADER = "X-API-Key"


@dataclass(slots=True)
class Services:
    """What the lifespan opened; one object, so a route needs one dependency to reach any of it."""

    settings: Settings
    database: Database
    cache: Cache
    repository: ContentRepository


async def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def requires(role: Role) -> Callable[..., Coroutine[Any, Any, Principal]]:
    async def check(request: Request) -> Principal:
        key = request.headers.get(API_KEY_HEADER)
        if not key:
            raise Unauthorized(
                f"Missing API key: send it in the {API_KEY_HEADER} header", headers={"WWW-Authenticate": "ApiKey"}
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


ServicesDep = Annotated[Services, Depends(get_services)]
Viewer = Annotated[Principal, Depends(requires(Role.viewer))]
Editor = Annotated[Principal, Depends(requires(Role.editor))]
Admin = Annotated[Principal, Depends(requires(Role.admin))]
