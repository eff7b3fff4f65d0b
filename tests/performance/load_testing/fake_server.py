"""A tiny HTTP/1.1 server on 127.0.0.1 whose misbehaviour is chosen by path, for the load tester's tests.

/ok 200 · /error 500 · /missing 404 · /chunked a chunked 200 · /close 200 then Connection: close ·
/drop closes without answering · /garbage answers with something that is not HTTP · /hang never answers ·
/stall the first request holds every response for `stall` seconds · /slow answers after 10 ms.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field


@dataclass
class FakeServer:
    port: int = 0
    stall: float = 0.5
    requests: dict[str, int] = field(default_factory=dict)
    stall_until: float = 0.0
    stalled: bool = False
    server: asyncio.Server | None = None
    handlers: set[asyncio.Task[None]] = field(default_factory=set)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self.handlers.add(task)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                request_line, *lines = head.decode("latin-1").split("\r\n")
                path = request_line.split(" ")[1]
                length = next(
                    (int(line.split(":")[1]) for line in lines if line.lower().startswith("content-length")), 0
                )
                if length:
                    await reader.readexactly(length)
                self.requests[path] = self.requests.get(path, 0) + 1
                if not await self.respond(path, writer):
                    return
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()
            self.handlers.discard(task)

    async def respond(self, path: str, writer: asyncio.StreamWriter) -> bool:
        if path == "/stall" and not self.stalled:
            self.stalled = True
            self.stall_until = time.monotonic() + self.stall
        if self.stall_until > time.monotonic():
            await asyncio.sleep(self.stall_until - time.monotonic())
        if path == "/slow":
            await asyncio.sleep(0.01)
        if path == "/drop":
            return False
        if path == "/hang":
            await asyncio.sleep(3600)
        if path == "/garbage":
            writer.write(b"SURPRISE\r\n\r\n")
            return False
        if path == "/chunked":
            writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n")
            return True
        status = {"/error": "500 Internal Server Error", "/missing": "404 Not Found"}.get(path, "200 OK")
        close = path == "/close"
        writer.write(
            f"HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
            f"Connection: {'close' if close else 'keep-alive'}\r\n\r\nok".encode()
        )
        await writer.drain()
        return not close

    async def stop_accepting(self) -> None:
        """Stop listening: new connections are refused (the server went away)."""
        if self.server is not None:
            self.server.close()


@asynccontextmanager
async def fake_server(stall: float = 0.5) -> AsyncIterator[FakeServer]:
    state = FakeServer(stall=stall)
    server = await asyncio.start_server(state.handle, "127.0.0.1", 0)
    state.server = server
    state.port = server.sockets[0].getsockname()[1]
    try:
        yield state
    finally:
        server.close()
        for task in list(state.handlers):
            task.cancel()
        await asyncio.gather(*state.handlers, return_exceptions=True)


@contextmanager
def threaded_server(delay: float, on_request: Callable[[], None]) -> Iterator[str]:
    """A server on its own threads (so it answers while the test's event loop is blocked): each request calls
    `on_request` from the server thread, then gets a 200 after `delay` seconds."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    stop = threading.Event()

    def serve_connection(conn: socket.socket) -> None:
        with conn:
            buffer = b""
            while not stop.is_set():
                try:
                    data = conn.recv(65536)
                except OSError:
                    return
                if not data:
                    return
                buffer += data
                while b"\r\n\r\n" in buffer:
                    _, buffer = buffer.split(b"\r\n\r\n", 1)
                    on_request()
                    time.sleep(delay)
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(None)
            threading.Thread(target=serve_connection, args=(conn,), daemon=True).start()

    acceptor = threading.Thread(target=accept, daemon=True)
    acceptor.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        listener.close()
        acceptor.join(timeout=5)
