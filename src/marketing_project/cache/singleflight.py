"""Single-flight: concurrent requests for the same missing key share one computation."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from marketing_project.cache.keys import namespace_of


class Flight:
    """One computation in progress. ``stale`` is set when the key is written or invalidated meanwhile, so the
    result, computed from data that may predate the change, is returned to its callers but not cached."""

    __slots__ = ("key", "stale", "task")

    task: asyncio.Future[Any]

    def __init__(self, key: str) -> None:
        self.key = key
        self.stale = False

    async def wait(self) -> Any:
        # shield: a caller that gives up (client disconnect, timeout) must not cancel the work the others await.
        return await asyncio.shield(self.task)


def _retrieve(task: asyncio.Future[Any]) -> None:
    # If every caller was cancelled nobody reads the outcome; read it here so asyncio does not log it as lost.
    if not task.cancelled():
        task.exception()


class SingleFlight:
    """Registry of in-progress computations keyed by cache key.

    The computation runs in its own task: the first caller's cancellation does not abort it, and an exception
    reaches every waiter. ``pending`` is the live dict, exposed so hot paths can test it without a call.
    """

    __slots__ = ("pending",)

    def __init__(self) -> None:
        self.pending: dict[str, Flight] = {}

    def start(self, key: str, run: Callable[[Flight], Awaitable[Any]]) -> Flight:
        flight = Flight(key)
        flight.task = asyncio.ensure_future(self._run(flight, run))
        flight.task.add_done_callback(_retrieve)
        self.pending[key] = flight
        return flight

    async def _run(self, flight: Flight, run: Callable[[Flight], Awaitable[Any]]) -> Any:
        try:
            return await run(flight)
        finally:
            if self.pending.get(flight.key) is flight:
                del self.pending[flight.key]

    def mark_stale(self, key: str) -> None:
        flight = self.pending.get(key)
        if flight is not None:
            flight.stale = True

    def mark_namespace_stale(self, namespace: str) -> None:
        for flight in self.pending.values():
            if namespace_of(flight.key) == namespace:
                flight.stale = True

    def mark_all_stale(self) -> None:
        for flight in self.pending.values():
            flight.stale = True
