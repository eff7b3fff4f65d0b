"""The dashboard end-to-end in headless Chromium against a real server: it loads, uses the key it is given, shows
live numbers after traffic, and a screenshot is saved."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.performance.servers import api_server, tool
from tests.support import EDITOR, VIEWER_KEY

FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--hide-scrollbars", "--virtual-time-budget=5000",
)  # fmt: skip


def _chromium(tmp_path: Path, url: str, *extra: str) -> str:
    chromium = tool("chromium", "chromium")
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    command = [chromium, *FLAGS, f"--user-data-dir={profile}", *extra, url]
    result = subprocess.run(command, capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def _text(dom: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', dom)
    assert match, f"#{element_id} not in the page"
    return html.unescape(match.group(1))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> object:
    tool("chromium", "chromium")
    with api_server(tmp_path_factory.mktemp("api")) as base:
        for _ in range(12):
            httpx.get(f"{base}/api/v1/health")
        httpx.get(f"{base}/no/such/page")
        body = {"content": {"title": "Launch", "content": "We launched a product.", "type": "blog_post"}}
        httpx.post(f"{base}/api/v1/analyze", json=body, headers=EDITOR, timeout=30)
        yield base


def test_the_dashboard_shows_live_numbers_after_traffic(server: str, tmp_path: Path) -> None:
    dom = _chromium(tmp_path, f"{server}/dashboard#key={VIEWER_KEY}", "--dump-dom")
    assert re.search(r'<body[^>]*data-state="live"', dom), _text(dom, "status")
    assert int(_text(dom, "total")) >= 14
    assert float(_text(dom, "rps")) > 0
    assert _text(dom, "p95").endswith("ms")
    assert _text(dom, "memory").endswith("MB")
    assert "no alert firing" in _text(dom, "status") or "Firing" in _text(dom, "status")
    rows = re.findall(r"<tr><td>(GET|POST)</td><td>([^<]+)</td><td>(\d+)</td>", dom)
    assert ("GET", "/api/v1/health", "12") in rows
    assert any(route == "&lt;unmatched&gt;" for _, route, _ in rows)  # our 404 (and the favicon)
    assert any(route == "/api/v1/analyze" for _, route, _ in rows)
    assert VIEWER_KEY not in dom  # moved out of the URL and the page


def test_a_wrong_key_is_refused_in_the_page(server: str, tmp_path: Path) -> None:
    dom = _chromium(tmp_path, f"{server}/dashboard#key=not-a-valid-key-at-all", "--dump-dom")
    assert re.search(r'<body[^>]*data-state="locked"', dom)
    assert "refused" in _text(dom, "status")
    assert _text(dom, "total") == "–"


def test_a_screenshot_of_the_dashboard_is_saved(server: str, tmp_path: Path) -> None:
    shot = tmp_path / "dashboard.png"
    _chromium(tmp_path, f"{server}/dashboard#key={VIEWER_KEY}", "--window-size=1280,1500", f"--screenshot={shot}")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000  # a page with content, not a blank frame
    keep = Path(__file__).resolve().parents[2] / ".pytest_cache" / "dashboard.png"
    keep.parent.mkdir(exist_ok=True)
    shutil.copy(shot, keep)
