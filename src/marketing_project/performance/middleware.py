"""Pure ASGI middleware recording every HTTP request into the collector (and, optionally, one JSON access line).

Outermost of the app's own middleware, so it also sees answers given before routing (cached analyses, 413s). The
route template, the user id (set by the auth dependency) and the request id are read from the scope after the app ran.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from time import perf_counter

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from marketing_project.performance.collector import RequestCollector

access_logger = logging.getLogger("marketing_project.access")


class MonitoringMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        collector: RequestCollector,
        access_log: bool = False,
        span_namer: Callable[[str, str], None] | None = None,
    ) -> None:
        self.app = app
        self.collector = collector
        self.access_log = access_log
        self.span_namer = span_namer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        collector = self.collector
        collector.in_flight += 1
        if collector.in_flight > collector.peak_in_flight:
            collector.peak_in_flight = collector.in_flight
        # what the client gets when the app raises before it starts a response
        status = 500
        received = 0
        sent = 0
        span_namer = self.span_namer

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            body = message.get("body")
            if body:
                received += len(body)
            return message

        async def counting_send(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.body":
                body = message.get("body")
                if body:
                    sent += len(body)
            elif message["type"] == "http.response.start":
                status = message["status"]
                if span_namer is not None:
                    # routing is done by now, and the tracing middleware may end its span with the response
                    span_namer(scope["method"], collector.endpoint_of(scope))
            await send(message)

        started = perf_counter()
        try:
            await self.app(scope, counting_receive, counting_send)
        finally:
            duration = perf_counter() - started
            collector.in_flight -= 1
            endpoint = collector.record(scope, status, duration, received, sent)
            if self.access_log:
                _log_access(scope, endpoint, status, duration, received, sent)


def _log_access(scope: Scope, endpoint: str, status: int, duration: float, received: int, sent: int) -> None:
    if not access_logger.isEnabledFor(logging.INFO):
        return
    state = scope.get("state") or {}
    access = {
        "request_id": state.get("request_id"),
        "method": scope["method"],
        "path": scope["path"],
        "route": endpoint,
        "status": status,
        "duration_ms": round(duration * 1000, 3),
        "request_bytes": received,
        "response_bytes": sent,
        "user_id": state.get("user_id"),
    }
    access_logger.info("%s %s %s", scope["method"], scope["path"], status, extra={"access": access})
