"""`run_load_test.py` / `marketing-project loadtest`: run the named tests, report, and gate on the SLO.

Exit codes: 0 passed (or no --slo given), 1 an SLO failed (or a regression, with --fail-on-regression),
2 invalid input (arguments, SLO text, baseline, API key), 3 the target could not be reached or the run aborted,
130 interrupted. Whatever was measured is reported in every case.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from marketing_project.errors import SettingsError
from marketing_project.performance.load_testing.analysis import analyze
from marketing_project.performance.load_testing.baseline import BaselineError, compare, load_baseline
from marketing_project.performance.load_testing.config import ConfigError, EndpointSpec, LoadTestConfig
from marketing_project.performance.load_testing.html import write_html
from marketing_project.performance.load_testing.progress import LiveProgress
from marketing_project.performance.load_testing.report import build_report, write_json
from marketing_project.performance.load_testing.scenarios import ScenarioError, prepare
from marketing_project.performance.load_testing.slo import DEFAULT_SLO, SloError, evaluate, parse_slo
from marketing_project.performance.load_testing.stages import STAGES, StageOptions, StageResult, StageRunner
from marketing_project.performance.load_testing.summary import print_stage, unreachable_result
from marketing_project.performance.load_testing.wire import TargetError, open_target

EXIT_OK, EXIT_SLO, EXIT_INPUT, EXIT_UNREACHABLE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def _positive(kind: type[float] | type[int], zero_ok: bool = False) -> Any:
    def parse(text: str) -> float | int:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if value < 0 or (value == 0 and not zero_ok) or value != value:
            raise argparse.ArgumentTypeError(f"must be {'≥ 0' if zero_ok else '> 0'}, got {text!r}")
        return value

    return parse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add = parser.add_argument
    add("--url", default="http://localhost:8000", help="base URL of the API (default http://localhost:8000)")
    add("--test", default="basic", choices=(*STAGES, "all"), help="which test (default basic; all runs each in turn)")
    add("--duration", type=_positive(float), help="seconds per test (default LOAD_TEST_DURATION_SECONDS)")
    add("--users", type=_positive(int), help="closed-model users = connections (default LOAD_TEST_CONCURRENT_USERS)")
    add("--ramp-up", type=_positive(float, True), help="seconds to start all users (default LOAD_TEST_RAMP_UP_SECONDS)")
    add("--rate", type=_positive(float), help="open model: arrivals per second (stress and spike: starting rate)")
    add("--think-time", type=_positive(float, True), default=1.0, help="seconds each user waits between requests")
    add("--timeout", type=_positive(float), default=30.0, help="seconds before a request counts as timed out")
    add("--max-requests", type=_positive(int), help="stop each test after this many requests")
    add("--api-key", help="API key for the built-in scenarios (default LOAD_TEST_API_KEY)")
    add("--endpoints", help="JSON file: a list of {path, method, headers, data, weight} instead of the built-in mix")
    add(
        "--slo",
        help='objectives that gate the exit code, e.g. "p95<200ms,error_rate<1%%" (stress and spike use '
        + DEFAULT_SLO.replace("%", "%%")
        + " when none is given)",
    )
    add("--baseline", help="an earlier --output report to compare with")
    add("--fail-on-regression", action="store_true", help="exit 1 when the baseline comparison finds a regression")
    add("--output", help="write the JSON report here")
    add("--html", help="write the HTML report here")
    add("--insecure", action="store_true", help="accept any TLS certificate (self-signed test deployments)")
    add("--quiet", action="store_true", help="no live progress")


def _error(message: str) -> int:
    print(f"load test: {message}", file=sys.stderr)
    return EXIT_INPUT


def _custom_endpoints(path: str) -> list[EndpointSpec]:
    try:
        raw = orjson.loads(Path(path).read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise ConfigError(f"--endpoints {path}: {getattr(exc, 'strerror', None) or exc}") from None
    config = LoadTestConfig(base_url="http://placeholder", endpoints=raw if isinstance(raw, list) else [raw])
    return list(config.endpoint_specs)


def run(args: argparse.Namespace) -> int:
    from marketing_project.settings import load_settings

    try:
        settings = load_settings()
        objectives = parse_slo(args.slo or DEFAULT_SLO)
        baseline = load_baseline(args.baseline) if args.baseline else None
        custom = _custom_endpoints(args.endpoints) if args.endpoints else None
        LoadTestConfig(base_url=args.url, endpoints=[{"path": "/"}])  # validates the URL alone
    except (SettingsError, SloError, BaselineError, ConfigError) as exc:
        return _error(str(exc))
    duration = args.duration or settings.load_test_duration_seconds
    options = StageOptions(
        users=args.users or settings.load_test_concurrent_users,
        duration=duration,
        ramp_up=settings.load_test_ramp_up_seconds if args.ramp_up is None else args.ramp_up,
        think_time=args.think_time,
        rate=args.rate,
        timeout=args.timeout,
        slo=objectives,
        max_requests=args.max_requests,
    )
    key = args.api_key or (settings.load_test_api_key.get_secret_value() if settings.load_test_api_key else None)
    loop_runner = _loop_runner()
    try:
        code: int = loop_runner(_run(args, options, key, custom, baseline))
        return code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def _loop_runner() -> Any:
    try:
        import uvloop

        return uvloop.run
    except ImportError:  # pragma: no cover - uvloop ships with uvicorn[standard]
        return asyncio.run


async def _run(
    args: argparse.Namespace,
    options: StageOptions,
    key: str | None,
    custom: list[EndpointSpec] | None,
    baseline: dict[str, Any] | None,
) -> int:
    stages: list[StageResult] = []
    notes: list[str] = []
    status, message = "completed", ""
    names = list(STAGES) if args.test == "all" else [args.test]
    try:
        target = await open_target(args.url, verify_tls=not args.insecure, timeout_seconds=min(options.timeout, 10))
    except TargetError as exc:
        result = unreachable_result(
            names[0], str(exc), "open" if options.rate else "closed", options.users, options.rate
        )
        stages.append(StageResult(names[0], "could not start", result, evaluate(options.slo, result)))
        print(f"load test: {exc}", file=sys.stderr)
        _finish(args, options, stages, notes, "aborted", str(exc), baseline)
        return EXIT_UNREACHABLE
    scenario = None
    try:
        if custom is None:
            scenario = await prepare(target, "mix", key)
            notes += scenario.notes
            endpoints = scenario.endpoints
        else:
            endpoints = custom
    except ScenarioError as exc:
        print(f"load test: {exc}", file=sys.stderr)
        _finish(args, options, stages, [str(exc)], "aborted", str(exc), baseline)
        return EXIT_INPUT
    except (OSError, TimeoutError, ValueError) as exc:
        text = f"{args.url} did not answer the set-up requests properly: {exc or type(exc).__name__}"
        print(f"load test: {text}", file=sys.stderr)
        _finish(args, options, stages, notes, "aborted", text, baseline)
        return EXIT_UNREACHABLE
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    with LiveProgress(enabled=not args.quiet) as live:
        runner = StageRunner(target, endpoints, options, live.callback)
        loop = asyncio.get_running_loop()
        interrupted = False

        def interrupt() -> None:
            nonlocal interrupted
            interrupted = True
            runner.stop("interrupted", "interrupted by the user (Ctrl-C)")

        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signal.SIGINT, interrupt)
        try:
            for name in names:
                stage = await runner.run(name)
                stages.append(stage)
                print_stage(stage, gated=bool(args.slo))
                if stage.result.status != "completed" or interrupted:
                    status, message = stage.result.status, stage.result.message
                    break
        finally:
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(signal.SIGINT)
    if scenario is not None:
        await scenario.cleanup(target)
    report = _finish(args, options, stages, notes, status, message, baseline)
    if status == "aborted":
        return EXIT_UNREACHABLE
    if status == "interrupted":
        return EXIT_INTERRUPTED
    regressions = (report.get("baseline") or {}).get("regressions")
    if (args.slo and not report["passed"]) or (args.fail_on_regression and regressions):
        return EXIT_SLO
    return EXIT_OK


def _finish(
    args: argparse.Namespace,
    options: StageOptions,
    stages: list[StageResult],
    notes: list[str],
    status: str,
    message: str,
    baseline: dict[str, Any] | None,
) -> dict[str, Any]:
    from marketing_project.performance.load_testing.summary import print_analysis

    settings = {
        "users": options.users,
        "duration": options.duration,
        "ramp_up": options.ramp_up,
        "think_time": options.think_time,
        "rate": options.rate,
        "timeout": options.timeout,
        "slo": args.slo or DEFAULT_SLO,
        "slo_gates": bool(args.slo),
    }
    report = build_report(
        target=args.url,
        test=args.test,
        settings=settings,
        stages=stages,
        analysis=analyze(stages),
        notes=notes,
        status=status,
        message=message,
    )
    if baseline is not None:
        report["baseline"] = compare(report, baseline, args.baseline)
    print_analysis(report)
    for path, write in ((args.output, write_json), (args.html, write_html)):
        if path:
            try:
                write(report, path)
                print(f"report written to {path}", file=sys.stderr)
            except OSError as exc:
                print(f"load test: cannot write {path}: {exc.strerror}", file=sys.stderr)
    return report


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="run_load_test.py",
        description="Load-test the Marketing Project API (or any HTTP/1.1 service) and report honest percentiles.",
        epilog="Exit codes: 0 passed, 1 SLO failed, 2 invalid input, 3 target unreachable or run aborted.",
    )
    add_arguments(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage and the problem
        code: int = exc.code if isinstance(exc.code, int) else EXIT_INPUT
        return code
    return run(args)
