"""`make run`'s promise: the CLI starts a real server on the embedded defaults and prints the key once."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(tmp_path: Path, port: int, **extra: str) -> subprocess.Popen[str]:
    """`marketing-project serve` on the embedded defaults, as `make run` starts it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("API_KEY", "POSTGRES", "DATABASE_URL", "REDIS"))}
    env.update(PORT=str(port), DATA_DIR=str(tmp_path / "data"), **extra)
    return subprocess.Popen(
        [sys.executable, "-m", "marketing_project", "serve"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_healthy(port: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read() if process.stdout else ""
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("server did not become healthy")


def _stop(process: subprocess.Popen[str]) -> str:
    process.terminate()
    output, _ = process.communicate(timeout=20)
    return output


def test_serve_generates_a_key_once_and_serves_the_api(tmp_path: Path) -> None:
    port = _free_port()
    process = _serve(tmp_path, port)
    try:
        _wait_healthy(port, process)
        key = (tmp_path / "data" / "api-key").read_text().strip()
        base = f"http://127.0.0.1:{port}"
        created = httpx.post(
            f"{base}/api/v1/content",
            json={"type": "blog_post", "title": "Hi", "content": "Hello"},
            headers={"X-API-Key": key},
        )
        assert created.status_code == 201
        assert httpx.get(f"{base}/api/v1/content").status_code == 401
        assert httpx.get(f"{base}/api/v1/ready").json()["status"] == "ready"
    finally:
        first_output = _stop(process)
    assert first_output.count(key) == 1
    assert "data/api-key" in first_output
    assert (tmp_path / "data" / "marketing_project.db").exists()

    process = _serve(tmp_path, port)
    try:
        _wait_healthy(port, process)
    finally:
        second_output = _stop(process)
    assert key not in second_output


def test_invalid_settings_stop_start_up_with_a_message(tmp_path: Path) -> None:
    env = {**os.environ, "PERFORMANCE_CACHE_MAX_SIZE": "0"}
    result = subprocess.run(
        [sys.executable, "-m", "marketing_project", "serve"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "PERFORMANCE_CACHE_MAX_SIZE" in result.stderr


def test_two_workers_start_together_on_one_fresh_database(tmp_path: Path) -> None:
    port = _free_port()
    process = _serve(tmp_path, port, WORKERS="2")
    try:
        _wait_healthy(port, process)
        key = (tmp_path / "data" / "api-key").read_text().strip()
        statuses = {
            httpx.post(
                f"http://127.0.0.1:{port}/api/v1/content",
                json={"type": "blog_post", "title": f"Post {i}", "content": "Hello"},
                headers={"X-API-Key": key},
            ).status_code
            for i in range(20)
        }
        assert statuses == {201}
    finally:
        output = _stop(process)
    assert "Traceback" not in output


def test_analyze_prints_a_report_and_json(tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    post.write_text("# Email marketing basics\n\nEmail marketing works. You should try it today.\n")
    report = subprocess.run(
        [sys.executable, "-m", "marketing_project", "analyze", str(post), "--keyphrase", "email marketing"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Content analysis (blog post)" in report
    assert "Flesch reading ease" in report
    as_json = subprocess.run(
        [sys.executable, "-m", "marketing_project", "analyze", str(post), "--json", "--type", "release_notes"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    import json

    result = json.loads(as_json)
    assert result["content_type"] == "release_notes"
    assert result["stats"]["words"] == 11
    missing = subprocess.run(
        [sys.executable, "-m", "marketing_project", "analyze", str(tmp_path / "none.md")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 1
    assert "No such file" in missing.stderr
