"""A measured run: the closed model (users that send, wait for the answer, think) and the open model (arrivals at a
target rate, each timed from the moment it was due, so a stalled server shows in the percentiles instead of
silently slowing the generator down — wrk2's lesson on coordinated omission).

Both share one clock (`perf_counter_ns`), a 100 ms housekeeping tick (timeouts, abort, per-second timeline,
progress) and a drain: after the deadline no new request starts, in-flight ones finish or time out.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from time import perf_counter_ns

from marketing_project.performance.load_testing.connection import Connection
from marketing_project.performance.load_testing.recorder import Recorder, SecondStats, Segment
from marketing_project.performance.load_testing.stamped import KernelClock
from marketing_project.performance.load_testing.traffic import CompiledEndpoint, request_source
from marketing_project.performance.load_testing.wire import Target, describe_error

_TICK = 0.1
_ABORT_AFTER_NS = 5_000_000_000
_NS = 1_000_000_000


@dataclass(frozen=True)
class Progress:
    """What the live display shows, once a second."""

    elapsed: float
    duration: float
    last_second: SecondStats | None
    successes: int
    failures: int
    in_flight: int
    connections: int


@dataclass(frozen=True)
class Outcome:
    status: str  # completed | aborted | interrupted
    message: str
    started_ns: int
    ended_ns: int
    segments: list[Segment]
    seconds: list[SecondStats]
    recorder: Recorder
    connections_opened: int
    cancelled: int


class Run:
    """Shared machinery; ClosedRun and OpenRun decide when requests start."""

    def __init__(
        self,
        target: Target,
        endpoints: Sequence[CompiledEndpoint],
        weights: Sequence[float],
        *,
        duration: float,
        timeout: float,
        max_requests: int | None = None,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> None:
        self.target = target
        self.endpoints = list(endpoints)
        self.duration = duration
        self.timeout_ns = int(timeout * _NS)
        self.max_requests = max_requests
        self.on_progress = on_progress
        self.started = perf_counter_ns()
        self.recorder = Recorder([e.name for e in endpoints], [e.ok for e in endpoints], self.started)
        self._order = request_source(endpoints, weights).__next__
        self.connections: set[Connection] = set()
        self.issued = 0
        self.opened = 0
        self.cancelled = 0
        self.stopping = False
        self.status = "completed"
        self.message = ""
        self._tasks: set[asyncio.Task[None]] = set()
        self._handles: list[asyncio.TimerHandle] = []
        self._last_ok = self.started
        self._connect_failures = 0
        self._last_error = ""
        self._next_progress = self.started + _NS
        self.clock = KernelClock()

    # -- life cycle -----------------------------------------------------------------------------------------------
    async def execute(self) -> Outcome:
        loop = asyncio.get_running_loop()
        self.loop = loop
        self.done: asyncio.Future[None] = loop.create_future()
        await self.prepare()
        # A cyclic-GC pass mid-run (gen 1 measured at 5-6 ms here) blocks the loop while responses wait, adding
        # that pause to the requests in flight. Collecting and freezing what exists now keeps those passes short;
        # the collector stays on, because reconnects create cycles and an hour-long run must keep memory flat.
        gc.collect()
        gc.freeze()
        self.started = perf_counter_ns()
        self.recorder = Recorder(self.recorder.names, self.recorder.ok, self.started)
        self._last_ok = self.started
        self._next_progress = self.started + _NS
        try:
            self.begin()
            self._handles.append(loop.call_later(self.duration, self.stop))
            self._tick_handle = loop.call_later(_TICK, self._tick)
            try:
                await self.done
            except asyncio.CancelledError:
                self.stop("interrupted", "cancelled")
                raise
            finally:
                self._shutdown()
        finally:
            gc.unfreeze()
        ended = perf_counter_ns()
        segments = self.recorder.finish(ended)
        return Outcome(
            self.status,
            self.message,
            self.started,
            ended,
            segments,
            self.recorder.seconds,
            self.recorder,
            self.opened,
            self.cancelled,
        )

    async def prepare(self) -> None:
        """Work done before the clock starts."""

    def begin(self) -> None:
        raise NotImplementedError

    def stop(self, status: str = "completed", message: str = "") -> None:
        """Deadline (completed) or abort/interrupt: nothing new starts; a completed run lets in-flight work finish."""
        if status != "completed" and self.status == "completed":
            self.status, self.message = status, message
            for connection in list(self.connections):
                if connection.busy:
                    self.cancelled += 1
                    connection.endpoint = -1
                connection.close(abort=True)
        self.stopping = True
        if not self.has_arrivals():
            for connection in list(self.connections):
                if not connection.busy:
                    connection.close()
        self.check_done()

    def has_arrivals(self) -> bool:
        """Whether scheduled requests remain to be sent (the open model drains its backlog after the deadline)."""
        return False

    def exhausted(self) -> bool:
        return self.max_requests is not None and self.issued >= self.max_requests

    def pending(self) -> bool:
        return self.has_arrivals() or any(c.busy for c in self.connections)

    def check_done(self) -> None:
        if self.stopping and not self.done.done() and not self.pending():
            self.done.set_result(None)

    def _shutdown(self) -> None:
        self._tick_handle.cancel()
        for handle in self._handles:
            handle.cancel()
        for task in self._tasks:
            task.cancel()
        for connection in list(self.connections):
            connection.close(abort=True)

    # -- requests and connections ---------------------------------------------------------------------------------
    def next_endpoint(self) -> int:
        self.issued += 1
        return self._order()

    def write(self, connection: Connection, origin: int, now: int) -> None:
        self.issued += 1
        index = self._order()
        endpoint = self.endpoints[index]
        connection.send(index, endpoint.next_request(), origin, now, endpoint.head_only)

    def open_connection(self) -> None:
        connection = Connection(self)
        task = self.loop.create_task(self._connect(connection))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _connect(self, connection: Connection) -> None:
        try:
            await self.target.connect(connection, min(self.timeout_ns / _NS, 10.0))
        except (OSError, TimeoutError) as exc:
            if self.done.done():
                return
            self._connect_failures += 1
            self._last_error = describe_error(exc)
            self.connect_failed(self._last_error)

    def connected(self, connection: Connection) -> None:
        self.opened += 1
        self._connect_failures = 0
        self._last_ok = perf_counter_ns()
        self.connections.add(connection)
        if self.stopping and not self.has_arrivals():
            connection.close()
        else:
            self.free(connection, self._last_ok)

    def backoff(self) -> float:
        return min(1.0, 0.01 * 2.0 ** min(self._connect_failures, 7))

    def connect_failed(self, reason: str) -> None:
        raise NotImplementedError

    def free(self, connection: Connection, now: int) -> None:
        raise NotImplementedError

    def lost(self, connection: Connection) -> None:
        self.connections.discard(connection)
        if connection.completed == 0:
            self._connect_failures += 1  # accepted then dropped: back off like a refused connection
        self.check_done()

    # -- housekeeping ---------------------------------------------------------------------------------------------
    def _tick(self) -> None:
        now = perf_counter_ns()
        self.clock.refresh()
        self.recorder.tick(now)
        for connection in list(self.connections):
            if connection.busy and now - connection.sent > self.timeout_ns:
                connection.fail("timeout", now - connection.origin)
        last_ok = max(self._last_ok, self.recorder.last_response_ns)
        if not self.stopping and self._connect_failures and now - last_ok > _ABORT_AFTER_NS:
            self.stop(
                "aborted",
                f"no connection to {self.target.host}:{self.target.port} for {_ABORT_AFTER_NS // _NS} s "
                f"(last error: {self._last_error or 'connection dropped'})",
            )
        self.housekeeping(now)
        if self.on_progress is not None and now >= self._next_progress:
            self._next_progress += _NS
            successes, failures = self.recorder.totals
            seconds = self.recorder.seconds
            self.on_progress(
                Progress(
                    elapsed=(now - self.started) / _NS,
                    duration=self.duration,
                    last_second=seconds[-1] if seconds else None,
                    successes=successes,
                    failures=failures,
                    in_flight=sum(c.busy for c in self.connections),
                    connections=len(self.connections),
                )
            )
        self.check_done()
        if not self.done.done():
            self._tick_handle = self.loop.call_later(_TICK, self._tick)

    def housekeeping(self, now: int) -> None:
        """Per-tick hook of the models."""
