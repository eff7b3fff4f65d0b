"""One keep-alive HTTP/1.1 connection as an asyncio.Protocol: write a request's bytes, parse the response in place.

No coroutine, future or task per request: the response callback records the outcome and hands the connection
back to the run, which writes the next request from inside the same callback. That is what lets one core drive
tens of thousands of requests per second. Anything the parser does not understand fails the request with a
reason and drops the connection; it never raises into the event loop.
"""

from __future__ import annotations

import asyncio
from time import perf_counter_ns
from typing import TYPE_CHECKING, cast

from marketing_project.performance.load_testing.stamped import KernelClock, StampedProtocol
from marketing_project.performance.load_testing.wire import MAX_HEAD_BYTES, describe_error

if TYPE_CHECKING:
    from marketing_project.performance.load_testing.engine import Run

_HEAD, _LENGTH, _CHUNKED, _UNTIL_CLOSE = range(4)
_TIMESPEC_SIZE = KernelClock.TIMESPEC_SIZE


class _Chunked:
    """Incremental `Transfer-Encoding: chunked` reader; `feed` is True once the last chunk and trailers arrived."""

    __slots__ = ("buffer", "need", "state")

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.state = 0  # 0 size line, 1 chunk data + CRLF, 2 trailers
        self.need = 0

    def feed(self, data: bytes) -> bool:
        buffer = self.buffer
        buffer += data
        while True:
            if self.state == 1:
                if len(buffer) < self.need:
                    return False
                if buffer[self.need - 2 : self.need] != b"\r\n":
                    raise ValueError("chunk not followed by CRLF")
                del buffer[: self.need]
                self.state = 0
                continue
            end = buffer.find(b"\r\n")
            if end < 0:
                if len(buffer) > 8192:
                    raise ValueError("chunk size line too long")
                return False
            line = bytes(buffer[:end])
            del buffer[: end + 2]
            if self.state == 2:
                if not line:
                    if buffer:
                        raise ValueError("bytes after the end of a chunked body")
                    return True
                continue
            size = int(line.split(b";", 1)[0].strip(), 16)
            if size < 0:
                raise ValueError("negative chunk size")
            self.state, self.need = (2, 0) if size == 0 else (1, size + 2)


class Connection(StampedProtocol):
    __slots__ = (
        "buffer",
        "chunked",
        "close_after",
        "completed",
        "endpoint",
        "free_since",
        "head_only",
        "mode",
        "origin",
        "remaining",
        "run",
        "sent",
        "size",
        "stamp",
        "status",
        "transport",
    )

    def __init__(self, run: Run) -> None:
        self.run = run
        self.transport: asyncio.Transport | None = None
        self.endpoint = -1  # -1: no request in flight
        self.origin = 0
        self.sent = 0
        self.completed = 0
        self.stamp = b""  # set by a StampedTransport on every read; stays empty on asyncio's (TLS) transport
        self.free_since = 0  # when the connection last became free for a request (perf_counter ns)
        self._reset()

    def _reset(self) -> None:
        self.mode = _HEAD
        self.buffer = b""
        self.remaining = 0
        self.size = 0
        self.status = 0
        self.close_after = False
        self.head_only = False
        self.chunked: _Chunked | None = None

    @property
    def busy(self) -> bool:
        return self.endpoint >= 0

    def send(self, endpoint: int, request: bytes, origin: int, now: int, head_only: bool) -> None:
        """Write a request; its latency is measured from `origin` (the intended send time in the open model)."""
        self.endpoint = endpoint
        self.origin = origin
        self.sent = now
        self.head_only = head_only
        if self.transport is not None:
            self.transport.write(request)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)
        self.free_since = perf_counter_ns()
        self.run.connected(self)

    def data_received(self, data: bytes) -> None:
        mode = self.mode
        if mode == _LENGTH:
            remaining = self.remaining - len(data)
            self.size += len(data)
            if remaining > 0:
                self.remaining = remaining
            elif remaining == 0:
                self._complete()
            else:
                self.fail("malformed response: more bytes than Content-Length announced")
            return
        if self.endpoint < 0:
            self.fail("malformed response: data arrived with no request in flight")
            return
        if mode == _HEAD:
            self._head(self.buffer + data if self.buffer else data)
        elif mode == _CHUNKED:
            self.size += len(data)
            self._feed_chunked(data)
        else:
            self.size += len(data)

    def _head(self, data: bytes) -> None:
        end = data.find(b"\r\n\r\n")
        if end < 0:
            if len(data) > MAX_HEAD_BYTES:
                self.fail("malformed response: headers larger than 64 KiB")
            else:
                self.buffer = data
            return
        self.buffer = b""
        code = data[9:12]
        if data[:7] != b"HTTP/1." or not code.isdigit() or data[12:13] not in (b" ", b"\r"):
            self.fail("malformed response: invalid status line")
            return
        status = int(code)
        rest = len(data) - end - 4
        if 100 <= status < 200:  # interim response: the real one follows
            if rest:
                self._head(data[end + 4 :])
            return
        self.status = status
        self.size = len(data)
        head = data[:end].lower()
        start = head.find(b"\r\nconnection:")
        if start >= 0:
            self.close_after = b"close" in _header(head, b"\r\nconnection:", start)
        elif data[7:8] == b"0":
            self.close_after = True  # HTTP/1.0 closes unless it says keep-alive
        if self.head_only or status == 204 or status == 304:
            if rest:
                self.fail("malformed response: a body where none is allowed")
            else:
                self._complete()
            return
        start = head.find(b"\r\ncontent-length:")
        if start >= 0:
            line_end = head.find(b"\r\n", start + 17)
            try:
                length = int(head[start + 17 : line_end] if line_end > 0 else head[start + 17 :])
            except ValueError:
                self.fail("malformed response: invalid Content-Length")
                return
            if rest < length:
                self.mode = _LENGTH
                self.remaining = length - rest
            elif rest == length:
                self._complete()
            else:
                self.fail("malformed response: more bytes than Content-Length announced")
            return
        if b"\r\ntransfer-encoding:" in head and b"chunked" in _header(head, b"\r\ntransfer-encoding:"):
            self.mode = _CHUNKED
            self.chunked = _Chunked()
            self._feed_chunked(data[end + 4 :])
            return
        self.mode = _UNTIL_CLOSE
        self.close_after = True

    def _feed_chunked(self, data: bytes) -> None:
        chunked = self.chunked
        assert chunked is not None
        try:
            finished = chunked.feed(data)
        except ValueError as exc:
            self.fail(f"malformed response: {exc}")
            return
        if finished:
            self._complete()

    def _complete(self) -> None:
        now = perf_counter_ns()
        run = self.run
        # timed to when the last bytes reached our socket, not to when the loop got round to them
        arrived = run.clock.to_ns(self.stamp) if len(self.stamp) == _TIMESPEC_SIZE else now
        if not self.sent < arrived <= now:
            arrived = now  # no timestamp, or the wall clock was stepped
        run.recorder.response(self.endpoint, self.status, arrived - self.origin, now, self.size)
        self.free_since = arrived
        self.endpoint = -1
        self.completed += 1
        if self.close_after:
            self._reset()
            self.close()
            return
        self.mode = _HEAD
        self.size = 0
        run.free(self, now)

    def fail(self, reason: str, latency: int | None = None) -> None:
        """Count the request in flight (if any) as failed and drop the connection."""
        if self.endpoint >= 0:
            self.run.recorder.failure(self.endpoint, reason, perf_counter_ns(), latency)
            self.endpoint = -1
        self.close(abort=True)

    def close(self, abort: bool = False) -> None:
        transport = self.transport
        if transport is not None and not transport.is_closing():
            if abort:
                transport.abort()
            else:
                transport.close()

    def eof_received(self) -> bool | None:
        if self.mode == _UNTIL_CLOSE and self.endpoint >= 0:
            self._complete()
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None
        if self.endpoint >= 0:
            if self.mode == _UNTIL_CLOSE and exc is None:
                self._complete()
            else:
                reason = "connection closed by the server mid-response" if exc is None else describe_error(exc)
                self.run.recorder.failure(self.endpoint, reason, perf_counter_ns())
                self.endpoint = -1
        self.run.lost(self)


def _header(head: bytes, name: bytes, start: int = -1) -> bytes:
    if start < 0:
        start = head.find(name)
    end = head.find(b"\r\n", start + len(name))
    return head[start + len(name) : end if end >= 0 else len(head)].strip()
