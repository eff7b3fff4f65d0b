"""Helpers of the cache tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


async def eventually(condition: Callable[[], bool], within: float = 5.0) -> None:
    """Wait for something another connection delivers asynchronously (a pub/sub message); a deadline, not a speed
    requirement: the condition normally holds within milliseconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not reached")
        await asyncio.sleep(0.005)
