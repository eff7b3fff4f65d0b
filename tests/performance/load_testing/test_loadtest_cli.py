"""run_load_test.py / `marketing-project loadtest` against our real app: reports, SLO gate, baseline, bad input.

Every run is bounded (a few seconds, --max-requests) and targets 127.0.0.1 only.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

from marketing_project.cli import main as project_main
from marketing_project.performance.load_testing import LoadTestConfig, LoadTester
from marketing_project.performance.load_testing.cli import main
from tests.support import ADMIN_KEY, VIEWER_KEY

ROOT = Path(__file__).resolve().parents[3]


def _args(url: str, tmp_path: Path, *extra: str) -> list[str]:
    return [
        "--url", url, "--duration", "2", "--users", "4", "--think-time", "0", "--ramp-up", "0",
        "--max-requests", "300", "--api-key", ADMIN_KEY, "--quiet",
        "--output", str(tmp_path / "report.json"), "--html", str(tmp_path / "report.html"), *extra,
    ]  # fmt: skip


def _report(tmp_path: Path) -> dict[str, Any]:
    report: dict[str, Any] = orjson.loads((tmp_path / "report.json").read_bytes())
    return report


def test_comprehensive_run_exercises_every_endpoint_of_our_api_without_errors(api_url: str, tmp_path: Path) -> None:
    code = main(_args(api_url, tmp_path, "--test", "comprehensive", "--slo", "error_rate<1%"))

    assert code == 0
    report = _report(tmp_path)
    assert report["schema"] == "marketing-project/load-test-report/1"
    assert report["passed"] and report["status"] == "completed"
    result = report["stages"][0]["result"]
    names = {endpoint["name"] for endpoint in result["endpoints"]}
    expected = {"GET /api/v1/health", "GET /api/v1/ready", "POST /api/v1/analyze (new post)", "POST /api/v1/content",
                "PATCH /api/v1/content/{id}", "GET /api/v1/content/{id}", "GET /api/v1/content (list)"}  # fmt: skip
    assert expected <= names
    assert all(e["total_requests"] > 0 and e["failed_requests"] == 0 for e in result["endpoints"]), result["failures"]
    assert result["total_requests"] == 300
    assert result["timeline"] and set(result["endpoints"][0]["latency"]) >= {"p50", "p95", "p99", "p99.9", "max"}
    html = (tmp_path / "report.html").read_text()
    assert "<svg" in html and "Latency per second" in html
    assert "<script" not in html and "src=" not in html  # self-contained: no CDN


def test_an_slo_that_fails_exits_1_and_a_baseline_regression_is_flagged(api_url: str, tmp_path: Path) -> None:
    assert main(_args(api_url, tmp_path, "--test", "basic", "--slo", "p50<1us")) == 1
    report = _report(tmp_path)
    assert not report["passed"]
    assert report["stages"][0]["slo"]["checks"][0]["passed"] is False

    baseline = dict(report)
    baseline["stages"] = [
        {**report["stages"][0], "result": {**report["stages"][0]["result"], "p95_response_time": 1e-7}}
    ]
    (tmp_path / "old.json").write_bytes(orjson.dumps(baseline))
    code = main(
        _args(api_url, tmp_path, "--test", "basic", "--baseline", str(tmp_path / "old.json"), "--fail-on-regression")
    )
    assert code == 1
    regressions = _report(tmp_path)["baseline"]["regressions"]
    # run-to-run noise may flag other figures too; the one made 1000x worse must be among them
    assert ("basic", "p95_response_time") in [(r["stage"], r["metric"]) for r in regressions]


def test_a_read_only_key_runs_the_reads_and_says_so(api_url: str, tmp_path: Path) -> None:
    args = _args(api_url, tmp_path, "--test", "comprehensive")
    args[args.index(ADMIN_KEY)] = VIEWER_KEY
    assert main(args) == 0
    report = _report(tmp_path)
    assert any("read-only" in note for note in report["notes"])
    assert report["stages"][0]["result"]["failed_requests"] == 0


def test_a_refused_key_is_bad_input(api_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = _args(api_url, tmp_path, "--test", "basic")
    args[args.index(ADMIN_KEY)] = "not-a-valid-key-0123456789"
    assert main(args) == 2
    assert "the API key was refused (HTTP 401)" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--slo", "p95<fast"], "invalid SLO"),
        (["--duration", "0"], "argument --duration: must be > 0"),
        (["--users", "-3"], "argument --users: must be > 0"),
        (["--baseline", "/nonexistent/old.json"], "cannot read the baseline"),
        (["--url", "localhost:8000"], "base_url: expected http://host"),
    ],
)
def test_bad_input_is_a_message_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    assert main(["--url", "http://127.0.0.1:9", "--quiet", *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_an_unreachable_target_writes_a_partial_report_and_exits_3(tmp_path: Path) -> None:
    process = subprocess.run(
        [sys.executable, str(ROOT / "run_load_test.py"), "--url", "http://127.0.0.1:9", "--quiet", "--output",
         str(tmp_path / "report.json")],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )  # fmt: skip
    assert process.returncode == 3
    assert "cannot connect to 127.0.0.1:9 (connection refused)" in process.stderr
    assert "Traceback" not in process.stderr
    report = _report(tmp_path)
    assert report["status"] == "aborted" and not report["passed"]
    assert report["stages"][0]["result"]["failures"] == {"connection refused": 1}


def test_the_project_cli_has_the_same_loadtest_command(api_url: str, tmp_path: Path) -> None:
    assert project_main(["loadtest", *_args(api_url, tmp_path, "--test", "basic", "--max-requests", "50")]) == 0
    assert _report(tmp_path)["stages"][0]["result"]["total_requests"] == 50


async def test_the_performance_guides_example_works(api_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    # the guide's code, with our URL and key and a short run
    config = LoadTestConfig(
        base_url=api_url,
        endpoints=[
            {
                "path": "/api/v1/analyze",
                "method": "POST",
                "headers": {"X-API-Key": ADMIN_KEY},
                "data": {"content": {"id": "test", "title": "Test", "content": "Test content", "type": "blog_post"}},
            }
        ],
        concurrent_users=50,
        duration_seconds=2,
    )
    async with LoadTester(config) as tester:
        result = await tester.run_test()
        tester.print_summary()

    assert result.status == "completed"
    assert result.total_requests > 0 and result.failed_requests == 0
    assert result.status_codes == {200: result.total_requests}
    assert 0 < result.p50_response_time <= result.p95_response_time <= result.p99_response_time
    assert result.p99_response_time <= result.max_response_time
    assert "POST /api/v1/analyze" in capsys.readouterr().out
