"""A real uvicorn server of our app on a free loopback port, for tests that point real tools (Prometheus, Chromium)
at it; and the skip for a Debian tool that is not installed."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.support import ADMIN_KEY, EDITOR_KEY, VIEWER_KEY


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (Debian package {package})")
    return path


def wait_until(check: object, what: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not callable(check) or not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.2)


@contextmanager
def api_server(data_dir: Path) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "API_KEY": ADMIN_KEY,
        "API_KEYS": f"{EDITOR_KEY}:editor,{VIEWER_KEY}:viewer",
        "DATA_DIR": str(data_dir),
        "LOG_LEVEL": "WARNING",
        "POSTGRES_URL": "",
        "DATABASE_URL": "",
        "REDIS_URL": "",
    }
    command = [
        sys.executable, "-m", "uvicorn", "marketing_project.app:app_factory", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=data_dir)
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        if process.poll() is not None:
            raise AssertionError("the API server exited during start-up")
        try:
            # not a route the tests count
            return httpx.get(f"{base}/openapi.json", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    try:
        wait_until(up, "the API server to start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
