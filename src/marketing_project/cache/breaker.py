"""Circuit breaker: after a failure, skip the remote tier for a cool-down instead of paying a timeout per request."""

from __future__ import annotations

import time
from collections.abc import Callable


class CircuitBreaker:
    """Closed until a failure; then open for ``cooldown`` seconds; then half-open: the first caller is let through
    as a probe and the window re-armed, so concurrent callers keep skipping while the probe is in flight. A success
    closes it, a failure re-opens it. A probe that never reports (cancelled) just lets the next window probe again.
    """

    __slots__ = ("_clock", "_open_until", "cooldown", "trips")

    def __init__(self, cooldown: float = 1.5, clock: Callable[[], float] = time.monotonic) -> None:
        if not cooldown >= 0:
            raise ValueError(f"circuit breaker cooldown must be >= 0 seconds, got {cooldown!r}")
        self.cooldown = cooldown
        self._clock = clock
        self._open_until: float | None = None
        self.trips = 0

    @property
    def is_open(self) -> bool:
        return self._open_until is not None

    def allow(self) -> bool:
        if self._open_until is None:
            return True
        now = self._clock()
        if now < self._open_until:
            return False
        self._open_until = now + self.cooldown
        return True

    def success(self) -> None:
        self._open_until = None

    def failure(self) -> None:
        if self._open_until is None:
            self.trips += 1
        self._open_until = self._clock() + self.cooldown
