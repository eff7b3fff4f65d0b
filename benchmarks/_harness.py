"""Shared by the HTTP benchmarks: start a uvicorn server pinned to a core, run wrk pinned to another."""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SERVER_CORE = "1"
CLIENT_CORE = "0"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        sys.exit(f"{tool} is not installed (Debian package {tool}): apt-get install -y {tool}")
    return path


@contextmanager
def uvicorn_process(target: str, env: dict[str, str] | None = None, factory: bool = False) -> Iterator[tuple[str, int]]:
    """A uvicorn server pinned to the server core; yields (base URL, pid)."""
    port = free_port()
    command = [
        "taskset", "-c", SERVER_CORE, sys.executable, "-m", "uvicorn", target,
        "--host", "127.0.0.1", "--port", str(port),
        "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    if factory:
        command.append("--factory")
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(base + "/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{target} did not start") from None
                time.sleep(0.1)
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=20)


@contextmanager
def uvicorn_server(target: str, env: dict[str, str] | None = None, factory: bool = False) -> Iterator[str]:
    with uvicorn_process(target, env, factory) as (base, _):
        yield base


def wrk(url: str, seconds: int, connections: int = 32, headers: Sequence[str] = (), script: str | None = None) -> float:
    command = ["taskset", "-c", CLIENT_CORE, require("wrk"), "-t1", f"-c{connections}", f"-d{seconds}s"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", script]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if match is None:
        raise RuntimeError(output)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} non-2xx responses\n{output}")
    return float(match.group(1))


def median(values: Sequence[float]) -> float:
    return statistics.median(values)
