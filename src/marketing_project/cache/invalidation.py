"""Listener for the invalidation announcements other replicas publish, feeding a local memory tier."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

import orjson
from redis.asyncio import Redis

from marketing_project.cache.stats import CacheCounters
from marketing_project.cache.throttle import ThrottledLog

# kind ("k" keys, "n" namespace, "c" clear) and its JSON payload
Handler = Callable[[str, Any], None]


class InvalidationListener:
    """Subscribes to ``channel`` in a background task and calls ``handler(kind, payload)`` for every announcement
    of another sender.

    Every (re)subscription, including the silent reconnect redis-py performs after a dropped connection, calls
    ``on_resync`` first: announcements published while we were not subscribed are lost, so the local tier must
    forget everything it may hold from before. The task reconnects forever, ``retry_delay`` apart.
    """

    def __init__(
        self,
        client: Redis,
        channel: str,
        sender_id: str,
        handler: Handler,
        on_resync: Callable[[], None],
        *,
        counters: CacheCounters,
        log: ThrottledLog,
        retry_delay: float = 1.0,
        poll_timeout: float = 1.0,
    ) -> None:
        self._client = client
        self._channel = channel
        self._own_prefix = f"{sender_id}|".encode()
        self._handler = handler
        self._on_resync = on_resync
        self._counters = counters
        self._log = log
        self._retry_delay = retry_delay
        self._poll_timeout = poll_timeout
        self._task: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()

    @property
    def subscribed(self) -> bool:
        return self._subscribed.is_set()

    def start(self) -> None:
        """Start the background task if not running (needs a running event loop)."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name=f"cache-invalidation:{self._channel}")

    async def wait_subscribed(self, within: float) -> bool:
        self.start()
        try:
            await asyncio.wait_for(self._subscribed.wait(), within)
        except TimeoutError:
            return False
        return True

    async def close(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        while True:
            pubsub = self._client.pubsub()
            try:
                await pubsub.subscribe(self._channel)
                while True:
                    message = await pubsub.get_message(timeout=self._poll_timeout)
                    if message is None:
                        continue
                    if message["type"] == "subscribe":
                        self._counters.resyncs += 1
                        self._on_resync()
                        self._subscribed.set()
                    elif message["type"] == "message":
                        self._dispatch(message["data"])
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the listener must outlive any failure, including our own bugs
                self._counters.errors += 1
                self._log.warning("cache invalidation listener failed (%s: %s); reconnecting", type(exc).__name__, exc)
            finally:
                self._subscribed.clear()
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]  # redis-py leaves it unannotated
            await asyncio.sleep(self._retry_delay)

    def _dispatch(self, data: bytes) -> None:
        if data.startswith(self._own_prefix):
            return
        try:
            _, kind, payload = data.split(b"|", 2)
            decoded = orjson.loads(payload)
        except ValueError as exc:
            self._counters.errors += 1
            self._log.warning("cache invalidation message unreadable: %s", exc)
            return
        self._counters.remote_invalidations += 1
        self._handler(kind.decode(), decoded)
