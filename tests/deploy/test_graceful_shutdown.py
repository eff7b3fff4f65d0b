"""A rolling restart sends SIGTERM: in-flight requests finish, the app shuts down cleanly, new connections fail."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from tests.test_cli import _free_port, _wait_healthy

KEY = "graceful-admin-key-0123456789"


def test_sigterm_drains_in_flight_requests(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("API_KEY", "POSTGRES", "DATABASE_URL", "REDIS"))}
    env.update(PORT=str(port), DATA_DIR=str(tmp_path), API_KEY=KEY, MAX_REQUEST_SIZE=str(8 * 1024 * 1024))
    process = subprocess.Popen(
        [sys.executable, "-m", "marketing_project", "serve"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(port, process)
        # a batch long enough to still be running when the signal comes (distinct texts: nothing is cached)
        items = [
            {
                "content": {
                    "type": "blog_post",
                    "title": f"Post {i}",
                    "content": f"Item {i}. " + "Marketing works well. " * 1600,
                }
            }
            for i in range(100)
        ]
        result: dict[str, httpx.Response] = {}

        def send() -> None:
            result["batch"] = httpx.post(
                f"{base}/api/v1/analyze/batch", json={"items": items}, headers={"X-API-Key": KEY}, timeout=60
            )

        sender = threading.Thread(target=send)
        sender.start()
        # the batch takes a few seconds of analysis; the signal comes well after it was sent
        time.sleep(0.5)
        process.send_signal(signal.SIGTERM)
        sender.join(timeout=60)
        response = result["batch"]
        assert response.status_code == 200
        assert response.json()["succeeded"] == 100
        # uvicorn re-raises the signal once it has drained and shut down, as a process should
        assert process.wait(timeout=30) in (0, -signal.SIGTERM)
        output = process.stdout.read() if process.stdout else ""
        assert "Application shutdown complete" in output
        assert "Traceback" not in output
        try:
            httpx.get(f"{base}/api/v1/health", timeout=1)
            refused = False
        except httpx.TransportError:
            refused = True
        assert refused
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
