"""Process resources, sampled once a second in a background task (never a syscall per request)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import psutil

from marketing_project.performance.cgroup import Limits, read_limits

logger = logging.getLogger("marketing_project.performance")

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ResourceSample:
    """`cpu_percent` is the process's CPU time over the last interval as % of one core (as `top` shows it);
    `memory_percent` is RSS over the container limit when there is one, else over the machine's memory."""

    cpu_percent: float
    rss_mb: float
    memory_limit_mb: float
    memory_percent: float
    memory_limit_source: str
    cpu_limit_cores: float | None


class ResourceSampler:
    def __init__(self, limits: Limits | None = None) -> None:
        self.process = psutil.Process()
        self.limits = limits or read_limits()
        limit = self.limits.memory_bytes
        total = psutil.virtual_memory().total
        # a cgroup "limit" above the machine's memory cannot bind first
        self.memory_limit = min(limit, total) if limit else total
        self.memory_limit_source = self.limits.source if limit and limit <= total else "system"
        # the first cpu_percent() call only sets psutil's reference point
        self.process.cpu_percent(None)
        self.latest = self.sample()

    def sample(self) -> ResourceSample:
        cpu = self.process.cpu_percent(None)
        rss = self.process.memory_info().rss
        self.latest = ResourceSample(
            cpu_percent=cpu,
            rss_mb=rss / MB,
            memory_limit_mb=self.memory_limit / MB,
            memory_percent=100.0 * rss / self.memory_limit,
            memory_limit_source=self.memory_limit_source,
            cpu_limit_cores=self.limits.cpu_cores,
        )
        return self.latest


class Ticker:
    """Calls `tick` about once a second on the event loop until stopped; a failing tick is logged, not fatal."""

    def __init__(self, tick: Callable[[], None], interval: float = 1.0) -> None:
        self.tick = tick
        self.interval = interval
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="performance-sampler")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        next_at = time.monotonic()
        while True:
            next_at += self.interval
            await asyncio.sleep(max(next_at - time.monotonic(), 0.0))
            try:
                self.tick()
            except Exception:
                logger.exception("performance sampler tick failed")
            if time.monotonic() - next_at > self.interval:
                # the loop was blocked: start afresh rather than firing a burst of catch-up ticks
                next_at = time.monotonic()
