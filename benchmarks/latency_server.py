"""A test server whose latency is known to the microsecond, the ground truth for benchmarks/loadgen.py.

    python benchmarks/latency_server.py PORT DELAY_SECONDS [STALL_AT STALL_SECONDS]

One thread that never sleeps (pin it to its own core): it polls every socket without blocking, takes each request's
arrival time from the kernel (SO_TIMESTAMPNS: when the bytes reached the socket, not when we got round to reading
them) and writes the response the moment `arrival + DELAY` comes. With STALL_AT, the STALL_AT-th request starts a
stall: everything arriving before it ends is answered at `stall end + DELAY`. So the latency a perfect client would
measure is known in advance, and no thread wake-up, GIL hand-off or timer slack of the server blurs it.

`GET /__stats` returns, sorted, what the server measured for every answered request: from the kernel's arrival
timestamp to the call of the send() that writes the response. (Not to its return: on loopback send() delivers the
bytes to the client inside the call, so a pause of this thread on its way out of the syscall — seen here, several
ms once in a while on this VM — would be counted by the server though the client already had its answer.) A
thread-per-connection server with time.sleep (our first attempt) could not do this: its own wake-ups added 0.3 ms
at p99 and more at p99.9, invisible to it.
"""

from __future__ import annotations

import heapq
import select
import socket
import struct
import sys
import time

import orjson

SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)  # Linux; the cmsg type is the same number
_TIMESPEC = struct.Struct("@qq")
_RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"


def serve(port: int, delay: float, stall_at: int = 0, stall: float = 0.0) -> None:
    delay_ns, stall_ns = int(delay * 1e9), int(stall * 1e9)
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(1024)
    listener.setblocking(False)
    poller = select.epoll()
    poller.register(listener.fileno(), select.EPOLLIN)
    sockets: dict[int, socket.socket] = {}
    buffers: dict[int, bytes] = {}
    due: list[tuple[int, int, int]] = []  # (send at, arrival, fd), realtime ns like the kernel timestamps
    served: list[float] = []
    count, stall_until = 0, 0
    clock = time.time_ns
    while True:
        for fd, _ in poller.poll(0):
            if fd == listener.fileno():
                while True:
                    try:
                        conn, _ = listener.accept()
                    except BlockingIOError:
                        break
                    conn.setblocking(False)
                    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    conn.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
                    sockets[conn.fileno()] = conn
                    buffers[conn.fileno()] = b""
                    poller.register(conn.fileno(), select.EPOLLIN)
                continue
            conn = sockets[fd]
            try:
                data, ancillary, _, _ = conn.recvmsg(65536, 64)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                data, ancillary = b"", []
            if not data:
                poller.unregister(fd)
                del sockets[fd], buffers[fd]
                conn.close()
                continue
            arrival = clock()
            for level, kind, payload in ancillary:
                if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                    seconds, nanoseconds = _TIMESPEC.unpack(payload[: _TIMESPEC.size])
                    arrival = seconds * 1_000_000_000 + nanoseconds
            buffer = buffers[fd] + data
            while (end := buffer.find(b"\r\n\r\n")) >= 0:
                request, buffer = buffer[:end], buffer[end + 4 :]
                if request.startswith(b"GET /__stats"):
                    body = orjson.dumps(sorted(served))
                    conn.setblocking(True)
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
                    conn.setblocking(False)
                    continue
                count += 1
                if count == stall_at:
                    stall_until = arrival + stall_ns
                heapq.heappush(due, (max(arrival, stall_until) + delay_ns, arrival, fd))
            buffers[fd] = buffer
        now = clock()
        while due and due[0][0] <= now:
            _, arrival, fd = heapq.heappop(due)
            conn = sockets.get(fd)
            if conn is None:
                continue
            sending = clock()
            try:
                conn.send(_RESPONSE)  # 67 bytes always fit an empty socket buffer
            except OSError:
                continue
            served.append((sending - arrival) / 1e9)
            now = clock()


if __name__ == "__main__":
    arguments = sys.argv[1:]
    serve(int(arguments[0]), float(arguments[1]), *(int(arguments[2]), float(arguments[3])) if arguments[2:] else ())
