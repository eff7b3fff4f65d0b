"""Pure ASGI middleware: request id on every response, and the request body size limit."""

from __future__ import annotations

import os
import re
from itertools import count

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from marketing_project.api.errors import error_body

_VALID_REQUEST_ID = re.compile(rb"[A-Za-z0-9._:-]{1,64}")


class BodyTooLarge(HTTPException):
    """Raised from inside receive(); an HTTPException so FastAPI's body parsing passes it through untouched."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body exceeds the limit of {limit} bytes (MAX_REQUEST_SIZE).")


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, max_body_size: int) -> None:
        self.app = app
        self.max_body_size = max_body_size
        # ids are unique per process start without a syscall per request
        self._prefix = os.urandom(6).hex()
        self._counter = count(1)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = None
        declared = -1
        chunked = False
        for name, value in scope["headers"]:
            if name == b"x-request-id" and _VALID_REQUEST_ID.fullmatch(value):
                request_id = value
            elif name == b"content-length":
                declared = int(value) if value.isdigit() else -1
            elif name == b"transfer-encoding":
                chunked = True
        if request_id is None:
            request_id = f"{self._prefix}-{next(self._counter)}".encode()
        state = scope.setdefault("state", {})
        state["request_id"] = request_id.decode()
        header = (b"x-request-id", request_id)
        limit = self.max_body_size

        if declared > limit:
            body = error_body("payload_too_large", BodyTooLarge(limit).detail, state["request_id"])
            await send(
                {
                    "type": "http.response.start",
                    "status": 413,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                        (b"connection", b"close"),
                        header,
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        if not chunked:
            # the server enforces Content-Length, so only chunked bodies need counting
            await self.app(scope, receive, send_with_id)
            return

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, limited_receive, send_with_id)
