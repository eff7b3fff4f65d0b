"""The two load models on top of engine.Run: closed (users) and open (arrival rate, in phases)."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from time import perf_counter_ns
from typing import Any

from marketing_project.performance.load_testing.connection import Connection
from marketing_project.performance.load_testing.engine import Run

_NS = 1_000_000_000
_NEVER = 1 << 62
# a timer may fire this early (libuv timers have millisecond resolution); such a request is timed from its send
_EARLY_NS = 1_000_000


class ClosedRun(Run):
    """`users` connections, started evenly over `ramp_up` seconds; each sends, waits, thinks, sends again."""

    def __init__(self, *args: Any, users: int, ramp_up: float, think_time: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.users = users
        self.ramp_up = ramp_up
        self.think_time = think_time

    def begin(self) -> None:
        for user in range(self.users):
            self._handles.append(self.loop.call_later(self.ramp_up * user / self.users, self._start_user))

    def _start_user(self) -> None:
        if not self.stopping:
            self.open_connection()

    def connect_failed(self, reason: str) -> None:
        if self.stopping:
            self.check_done()
            return
        # the request this user was about to send fails with the connection
        self.recorder.failure(self.next_endpoint(), reason, perf_counter_ns())
        self.loop.call_later(self.backoff(), self._start_user)

    def free(self, connection: Connection, now: int) -> None:
        if self.stopping or (self.max_requests is not None and self.issued >= self.max_requests):
            connection.close()
            self.stop() if not self.stopping else self.check_done()
        elif self.think_time:
            self.loop.call_later(self.think_time, self._think_over, connection)
        else:
            self.write(connection, now, now)

    def _think_over(self, connection: Connection) -> None:
        if self.stopping or self.exhausted() or connection.transport is None:
            connection.close()
            self.stop() if not self.stopping else self.check_done()
            return
        now = perf_counter_ns()
        self.write(connection, now, now)

    def lost(self, connection: Connection) -> None:
        super().lost(connection)
        if not self.stopping:
            self.loop.call_later(self.backoff() if self._connect_failures else 0.0, self._start_user)


@dataclass(frozen=True)
class Phase:
    name: str
    duration: float
    rate: float


class OpenRun(Run):
    """Arrivals at `rate` per second for each phase in turn, on up to `max_connections` connections.

    Each request is timed from its scheduled arrival: if every connection is busy, it waits, and the wait counts;
    if the generator itself is late (its core busy or descheduled), that is recorded apart and not counted.
    """

    def __init__(self, *args: Any, phases: Sequence[Phase], max_connections: int, **kwargs: Any) -> None:
        super().__init__(*args, duration=sum(p.duration for p in phases), **kwargs)
        self.phases = list(phases)
        self.max_connections = max_connections
        self.idle: deque[Connection] = deque()  # oldest free first: it was free soonest
        self._connecting = 0
        self._connect_after = 0
        self._timer: Any = None
        self._next_due = _NEVER

    async def prepare(self) -> None:
        """Open the connections before the clock starts, as wrk2 does: otherwise the first arrivals would wait for
        handshakes the steady state never pays. A connection lost later is reopened when needed, and that wait
        counts. Refused connections are retried, and counted, once the arrivals begin."""
        for _ in range(self.max_connections):
            self._connecting += 1
            self.open_connection()
        if self._tasks:  # each ends connected or failed, within the connect timeout
            await asyncio.wait(list(self._tasks))

    def begin(self) -> None:
        self._phase_starts: list[int] = []
        start = self.started
        for phase in self.phases:
            self._phase_starts.append(start)
            start += int(phase.duration * _NS)
        self.recorder.begin_segment(self.phases[0].name, self.started)
        self.recorder.segments.clear()
        self.recorder.target_rate = self.phases[0].rate
        for index in range(1, len(self.phases)):
            delay = (self._phase_starts[index] - self.started) / _NS
            self._handles.append(self.loop.call_later(delay, self._enter_phase, index))
        self._seek(0, 0)
        self.dispatch()

    def _enter_phase(self, index: int) -> None:
        self.recorder.begin_segment(self.phases[index].name, perf_counter_ns())
        self.recorder.target_rate = self.phases[index].rate

    def _seek(self, phase: int, seq: int) -> None:
        while phase < len(self.phases):
            spec = self.phases[phase]
            count = int(spec.duration * spec.rate)
            if seq < count:
                self._phase, self._seq, self._count = phase, seq, count
                self._interval = _NS / spec.rate
                self._next_due = self._phase_starts[phase] + int(seq * self._interval)
                return
            phase, seq = phase + 1, 0
        self._next_due = _NEVER

    def _advance(self) -> int:
        due = self._next_due
        self._seq += 1
        if self._seq < self._count:
            self._next_due = self._phase_starts[self._phase] + int(self._seq * self._interval)
        else:
            self._seek(self._phase + 1, 0)
        if self.max_requests is not None and self.issued + 1 >= self.max_requests:
            self._next_due = _NEVER  # the caller issues the last allowed request
        return due

    def has_arrivals(self) -> bool:
        return self._next_due != _NEVER

    def stop(self, status: str = "completed", message: str = "") -> None:
        if status != "completed":
            now = perf_counter_ns()
            while self._next_due <= now:
                self.cancelled += 1
                self._advance()
            self._next_due = _NEVER
        super().stop(status, message)

    def dispatch(self) -> None:
        now = perf_counter_ns()
        horizon = now + _EARLY_NS
        idle = self.idle
        while self._next_due <= horizon:
            if now - self._next_due > self.timeout_ns:
                waited = now - self._advance()
                self.recorder.failure(self.next_endpoint(), "timeout waiting for a free connection", now, waited)
                continue
            if not idle:
                self._grow(now)
                break
            self._send_due(idle.popleft(), now)
        self._arm(now)

    def _send_due(self, connection: Connection, now: int) -> None:
        """Send the next arrival. Its latency counts the wait for a free connection (the server held them all: the
        coordinated-omission wait) but not the generator's own lateness (its core was busy or descheduled), which
        is recorded apart, so a stalled server shows and a hiccup of this machine does not."""
        intended = self._advance()
        ready = max(intended, connection.free_since)
        recorder = self.recorder
        recorder.lag.record(now - intended if now > intended else 0)
        recorder.generator_lag.record(now - ready if now > ready else 0)
        self.write(connection, now - (ready - intended), now)

    def _grow(self, now: int) -> None:
        if now < self._connect_after:
            return
        due = min(self._count - self._seq, (now - self._next_due) // max(1, int(self._interval)) + 1)
        room = self.max_connections - len(self.connections) - self._connecting
        for _ in range(max(0, min(room, due - self._connecting))):
            self._connecting += 1
            self.open_connection()

    def _arm(self, now: int) -> None:
        if self._timer is not None or self._next_due == _NEVER or self.done.done():
            return
        if not self.idle and len(self.connections) + self._connecting >= self.max_connections:
            return  # a completing request will take the next arrival
        # wake a little early: what is due within _EARLY_NS is sent then, and timed from its actual send
        self._timer = self.loop.call_later(max(0, self._next_due - now - _EARLY_NS) / _NS, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        self.dispatch()

    def connected(self, connection: Connection) -> None:
        self._connecting -= 1
        super().connected(connection)

    def connect_failed(self, reason: str) -> None:
        self._connecting -= 1
        now = perf_counter_ns()
        self._connect_after = now + int(self.backoff() * _NS)
        if self._next_due <= now:
            self._advance()
            self.recorder.failure(self.next_endpoint(), reason, now)
        self.check_done()

    def free(self, connection: Connection, now: int) -> None:
        if not self.idle and self._next_due <= now + _EARLY_NS and now - self._next_due <= self.timeout_ns:
            self._send_due(connection, now)
            return
        if self.stopping and self._next_due == _NEVER:
            connection.close()
            self.check_done()
            return
        self.idle.append(connection)
        if self._next_due <= now + _EARLY_NS:
            self.dispatch()
        else:
            self._arm(now)

    def lost(self, connection: Connection) -> None:
        if connection in self.idle:
            self.idle.remove(connection)
        super().lost(connection)
        if not self.done.done():
            self.loop.call_soon(self.dispatch)

    def housekeeping(self, now: int) -> None:
        self.dispatch()
