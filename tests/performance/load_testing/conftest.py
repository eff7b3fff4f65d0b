"""Our real app under uvicorn on a free loopback port, shared by the load-testing tests that target it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support import ADMIN_KEY, EDITOR_KEY, VIEWER_KEY


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def api_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir: Path = tmp_path_factory.mktemp("loadtest-api")
    port = _free_port()
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
        sys.executable, "-m", "uvicorn", "marketing_project.app:app_factory", "--factory", "--host", "127.0.0.1",
        "--port", str(port), "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=data_dir)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the API server did not start")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
