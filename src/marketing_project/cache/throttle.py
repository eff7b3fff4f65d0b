"""Error logging that cannot flood the log: at most one record per interval, with the number suppressed."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

logger = logging.getLogger("marketing_project.cache")


class ThrottledLog:
    __slots__ = ("_clock", "_last", "_logger", "_suppressed", "interval")

    def __init__(
        self,
        interval: float = 30.0,
        *,
        log: logging.Logger = logger,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval = interval
        self._logger = log
        self._clock = clock
        self._last: float | None = None
        self._suppressed = 0

    def warning(self, message: str, *args: object) -> bool:
        """Log unless one was logged less than ``interval`` ago; returns whether it logged."""
        now = self._clock()
        if self._last is not None and now - self._last < self.interval:
            self._suppressed += 1
            return False
        suppressed, self._suppressed, self._last = self._suppressed, 0, now
        if suppressed:
            self._logger.warning(message + " (%d similar errors not logged)", *args, suppressed)
        else:
            self._logger.warning(message, *args)
        return True
