"""Plain-TCP connections that know when each response arrived: the kernel's receive timestamp (SO_TIMESTAMPNS).

An asyncio transport hands a protocol its bytes when the event loop gets round to them. If the generator's core was
busy, or the machine descheduled it for a few milliseconds (measured here: 0.5-4 ms, several times a second, on a
2-vCPU VM), that delay would be added to every response that arrived meanwhile and inflate the tail percentiles.
This transport reads with recvmsg() and asks the kernel for the time the bytes reached the socket, taken when the
kernel received them, whatever our process was doing; the connection times its response by it.

It implements the part of asyncio.Transport the load tester uses (write, close, abort, is_closing) on a
non-blocking socket watched with add_reader. TLS connections use asyncio's own transport and are timed on arrival
in the loop; so is every connection where the kernel gives no timestamp.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import sys
import time

# the option's number on Linux (asm-generic); Python 3.11's socket module does not name it
SO_TIMESTAMPNS: int = getattr(socket, "SO_TIMESTAMPNS", 35)
AVAILABLE = sys.platform == "linux"
_TIMESPEC = struct.Struct("@ll")
_CMSG_SPACE = socket.CMSG_SPACE(_TIMESPEC.size) if AVAILABLE else 0
_READ_SIZE = 65536  # recvmsg allocates this much per read, then trims it (measured cheaper than recvmsg_into)


class StampedProtocol(asyncio.Protocol):
    """A protocol whose `stamp` is set, before each data_received, to the kernel's receive time of those bytes:
    a struct timespec of CLOCK_REALTIME (see `KernelClock`); left alone when the kernel gave none."""

    stamp: bytes = b""


class KernelClock:
    """Turns receive timestamps into our clock (perf_counter_ns). Call `refresh` often: NTP slews the wall clock.

    Seconds are counted from `base` so the arithmetic stays in machine-sized integers on the hot path."""

    TIMESPEC_SIZE = _TIMESPEC.size

    def __init__(self) -> None:
        self.base = 0
        self.offset = 0
        self.refresh()

    def refresh(self) -> None:
        # read the wall clock between two readings of ours, keep the tightest of a few tries: a pause between the
        # readings (this process descheduled) would otherwise shift every timestamp until the next refresh
        best = (1 << 62, 0, 0)
        for _ in range(3):
            before = time.perf_counter_ns()
            wall = time.time_ns()
            gap = time.perf_counter_ns() - before
            if gap < best[0]:
                best = (gap, wall, before + gap // 2)
            if gap < 20_000:
                break
        _, wall, ours = best
        self.base = wall // 1_000_000_000
        self.offset = wall - self.base * 1_000_000_000 - ours

    def to_ns(self, stamp: bytes) -> int:
        """`stamp` (TIMESPEC_SIZE bytes) in perf_counter_ns."""
        seconds: int
        nanoseconds: int
        seconds, nanoseconds = _TIMESPEC.unpack(stamp)
        return (seconds - self.base) * 1_000_000_000 + nanoseconds - self.offset


class StampedTransport(asyncio.Transport):
    def __init__(self, loop: asyncio.AbstractEventLoop, sock: socket.socket, protocol: StampedProtocol) -> None:
        super().__init__()
        self._loop = loop
        self._sock: socket.socket | None = sock
        self._fd = sock.fileno()
        self._protocol = protocol
        self._pending = bytearray()
        self._closing = False
        loop.add_reader(self._fd, self._readable)

    def _readable(self) -> None:
        sock = self._sock
        if sock is None:
            return
        try:
            data, ancillary, _, _ = sock.recvmsg(_READ_SIZE, _CMSG_SPACE)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as exc:
            self._finish(exc)
            return
        if not data:
            self._loop.remove_reader(self._fd)
            if not self._protocol.eof_received():
                self.close()
            return
        if ancillary:  # SO_TIMESTAMPNS is the only one asked for
            self._protocol.stamp = ancillary[0][2]
        self._protocol.data_received(data)

    def write(self, data: bytes | bytearray | memoryview) -> None:
        sock = self._sock
        if sock is None or self._closing:
            return
        if not self._pending:
            try:
                sent = sock.send(data)
            except (BlockingIOError, InterruptedError):
                sent = 0
            except OSError as exc:
                self._finish(exc)
                return
            if sent == len(data):
                return
            data = memoryview(data)[sent:]
            self._loop.add_writer(self._fd, self._writable)
        self._pending += data

    def _writable(self) -> None:
        sock = self._sock
        if sock is None:
            return
        try:
            sent = sock.send(self._pending)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as exc:
            self._finish(exc)
            return
        del self._pending[:sent]
        if not self._pending:
            self._loop.remove_writer(self._fd)
            if self._closing:
                self._finish(None)

    def is_closing(self) -> bool:
        return self._closing or self._sock is None

    def close(self) -> None:
        """Stop reading, send what is buffered, then close (connection_lost(None) follows, as with asyncio)."""
        if self._closing or self._sock is None:
            return
        self._closing = True
        self._loop.remove_reader(self._fd)
        if not self._pending:
            self._finish(None)

    def abort(self) -> None:
        """Close now with a reset, dropping anything unsent."""
        sock = self._sock
        if sock is None:
            return
        self._closing = True
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self._finish(None)

    def _finish(self, exc: Exception | None) -> None:
        sock = self._sock
        if sock is None:
            return
        self._sock = None
        self._closing = True
        self._loop.remove_reader(self._fd)
        self._loop.remove_writer(self._fd)
        sock.close()
        self._loop.call_soon(self._protocol.connection_lost, exc)


async def open_stamped(address: str, port: int, protocol: StampedProtocol) -> StampedTransport:
    """Connect a non-blocking TCP socket with receive timestamps on and hand it to `protocol`."""
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setblocking(False)
        await loop.sock_connect(sock, (address, port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with contextlib.suppress(OSError):  # without timestamps, responses are timed on arrival in the loop
            sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    except BaseException:
        sock.close()
        raise
    transport = StampedTransport(loop, sock, protocol)
    protocol.connection_made(transport)
    return transport
