"""Pure ASGI fast path for repeated analyses: a POST /api/v1/analyze whose exact body was answered before is served
from the cache before routing, dependency solving and validation, which cost several times the lookup itself.

Anything else (other paths, a missing or weak key, a cache miss) goes on to the app unchanged, with the body
replayed; the route computes, validates and stores the response this middleware serves next time.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from marketing_project.content.analyze import response_key
from marketing_project.security.api_keys import ApiKeyStore, Role

PATH = "/api/v1/analyze"
_HIT_HEADERS = [(b"content-type", b"application/json"), (b"x-cache", b"HIT"), (b"vary", b"Accept-Encoding")]


class CachedAnalysisMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        services = getattr(state, "services", None)
        key = gzip = None
        for name, value in scope["headers"]:
            if name == b"x-api-key":
                key = value
            elif name == b"accept-encoding":
                gzip = b"gzip" in value
        store: ApiKeyStore = state.api_keys
        principal = store.authenticate(key.decode("latin-1")) if key else None
        if services is None or principal is None or principal.role < Role.editor:
            # the route gives the proper 401/403
            await self.app(scope, receive, send)
            return

        chunks = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        hit = await services.cache.get(response_key(body, gzip=bool(gzip)))
        if isinstance(hit, bytes):
            scope.setdefault("state", {})["user_id"] = principal.key_id
            headers = [*_HIT_HEADERS, (b"content-length", str(len(hit)).encode())]
            if gzip:
                headers.append((b"content-encoding", b"gzip"))
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": hit})
            return

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)
