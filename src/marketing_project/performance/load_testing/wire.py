"""HTTP/1.1 on the wire: the target's address, requests encoded once as bytes, and failures named for people.

`open_target` resolves the host once (so a DNS failure is one clear message, not one per connection) and checks a
connection can be made. `fetch` sends one request outside the measured run (scenario set-up, memory samples).
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import orjson

from marketing_project import __version__
from marketing_project.performance.load_testing import stamped as kernel_timestamps

USER_AGENT = f"marketing-project-loadtest/{__version__}"
MAX_HEAD_BYTES = 64 * 1024


class TargetError(Exception):
    """The target cannot be reached at all (DNS, refused, TLS); the message says what to check."""


@dataclass(frozen=True)
class Target:
    base_url: str
    host: str
    port: int
    address: str
    prefix: str
    host_header: str
    ssl_context: ssl.SSLContext | None
    stamped: bool = False  # plain TCP with the kernel's receive timestamps (see stamped.py)

    async def connect(
        self, protocol: kernel_timestamps.StampedProtocol, timeout_seconds: float
    ) -> asyncio.BaseTransport:
        if self.stamped:
            return await asyncio.wait_for(
                kernel_timestamps.open_stamped(self.address, self.port, protocol), timeout_seconds
            )
        loop = asyncio.get_running_loop()
        server_hostname = self.host if self.ssl_context else None
        transport, _ = await asyncio.wait_for(
            loop.create_connection(
                lambda: protocol, self.address, self.port, ssl=self.ssl_context, server_hostname=server_hostname
            ),
            timeout_seconds,
        )
        return transport


def describe_error(exc: BaseException) -> str:
    """A short, stable reason for a failed connection or request (used as the failure's key in reports)."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate rejected: {exc.verify_message}"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error: {exc.reason or exc}"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ConnectionResetError):
        return "connection reset by peer"
    if isinstance(exc, TimeoutError):
        return "connect timeout"
    if isinstance(exc, socket.gaierror):
        return f"DNS lookup failed: {exc.strerror}"
    if isinstance(exc, OSError):
        return f"connection error: {exc.strerror or exc}"
    return f"{type(exc).__name__}: {exc}"


async def open_target(base_url: str, *, verify_tls: bool = True, timeout_seconds: float = 10.0) -> Target:
    """Resolve and connect once; TargetError explains any failure."""
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    context: ssl.SSLContext | None = None
    if secure:
        context = ssl.create_default_context()
        if not verify_tls:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
    loop = asyncio.get_running_loop()
    try:
        infos = await asyncio.wait_for(loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), timeout_seconds)
    except (OSError, TimeoutError) as exc:
        raise TargetError(f"cannot resolve host {host!r} ({describe_error(exc)}): check the URL {base_url}") from None
    address = str(infos[0][4][0])
    default_port = (secure and port == 443) or (not secure and port == 80)
    shown = f"[{host}]" if ":" in host else host
    target = Target(
        base_url=base_url,
        host=host,
        port=port,
        address=address,
        prefix=parts.path.rstrip("/"),
        host_header=shown if default_port else f"{shown}:{port}",
        ssl_context=context,
        stamped=kernel_timestamps.AVAILABLE and not secure,
    )
    try:
        transport = await target.connect(kernel_timestamps.StampedProtocol(), timeout_seconds)
    except (OSError, TimeoutError) as exc:
        hint = " — is the server running?" if isinstance(exc, ConnectionRefusedError) else ""
        if secure and isinstance(exc, TimeoutError):
            hint = " — no TLS handshake: does the server speak https?"
        raise TargetError(f"cannot connect to {host}:{port} ({describe_error(exc)}){hint}") from None
    transport.close()
    return target


def encode_body(data: Any) -> tuple[bytes, str | None]:
    if data is None:
        return b"", None
    if isinstance(data, bytes):
        return data, "application/octet-stream"
    if isinstance(data, str):
        return data.encode(), "text/plain; charset=utf-8"
    return orjson.dumps(data), "application/json"


def encode_request(
    target: Target, method: str, path: str, headers: Mapping[str, str], body: bytes, content_type: str | None
) -> bytes:
    """The request's bytes, built once so the hot path only writes them."""
    lines = [f"{method} {target.prefix}{path} HTTP/1.1", f"Host: {target.host_header}", f"User-Agent: {USER_AGENT}"]
    given = {name.lower() for name in headers}
    lines.extend(
        f"{name}: {value}" for name, value in headers.items() if name.lower() not in {"host", "content-length"}
    )
    if content_type and "content-type" not in given:
        lines.append(f"Content-Type: {content_type}")
    if body or method in {"POST", "PUT", "PATCH"}:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return orjson.loads(self.body)


async def fetch(
    target: Target,
    method: str,
    path: str,
    *,
    headers: Mapping[str, str] | None = None,
    data: Any = None,
    timeout_seconds: float = 10.0,
) -> Response:
    """One request on its own connection, outside the measured traffic. Raises OSError/TimeoutError/ValueError."""
    body, content_type = encode_body(data)
    raw = encode_request(target, method, path, headers or {}, body, content_type)
    server_hostname = target.host if target.ssl_context else None

    async def exchange() -> Response:
        reader, writer = await asyncio.open_connection(
            target.address, target.port, ssl=target.ssl_context, server_hostname=server_hostname
        )
        try:
            writer.write(raw)
            head = await reader.readuntil(b"\r\n\r\n")
            status_line, *header_lines = head.decode("latin-1").split("\r\n")
            if not status_line.startswith("HTTP/1.") or len(status_line) < 12:
                raise ValueError(f"malformed status line {status_line[:60]!r}")
            status = int(status_line[9:12])
            found = dict(line.split(":", 1) for line in header_lines if ":" in line)
            found = {name.strip().lower(): value.strip() for name, value in found.items()}
            if method == "HEAD" or status in {204, 304}:
                payload = b""
            elif "content-length" in found:
                payload = await reader.readexactly(int(found["content-length"]))
            elif "chunked" in found.get("transfer-encoding", "").lower():
                payload = await _read_chunked(reader)
            else:
                payload = await reader.read()
            return Response(status, found, payload)
        finally:
            writer.close()

    try:
        return await asyncio.wait_for(exchange(), timeout_seconds)
    except asyncio.IncompleteReadError:
        raise ValueError("the server closed the connection before the response was complete") from None
    except asyncio.LimitOverrunError:
        raise ValueError("response headers too large") from None


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0].strip(), 16)
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":
                pass
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)
