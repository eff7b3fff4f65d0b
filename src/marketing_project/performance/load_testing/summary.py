"""The terminal summary of a result (rich tables; plain text when the output is not a terminal)."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from marketing_project.performance.load_testing.stats import LoadTestResult

if TYPE_CHECKING:
    from marketing_project.performance.load_testing.stages import StageResult


def ms(seconds: float) -> str:
    value = seconds * 1000
    if value >= 10_000:
        return f"{seconds:.1f} s"
    return f"{value:.2f} ms" if value < 100 else f"{value:.0f} ms"


def unreachable_result(name: str, message: str, model: str, users: int, rate: float | None) -> LoadTestResult:
    """The partial result of a run that could not start: the one attempt made counts as one failed request."""
    from datetime import UTC, datetime

    reason = message.split("(", 1)[1].split(")", 1)[0] if "(" in message else message
    return LoadTestResult(
        name=name,
        status="aborted",
        message=message,
        model=model,
        concurrent_users=users,
        target_rate=rate,
        started_at=datetime.now(UTC).isoformat(timespec="milliseconds"),
        duration_seconds=0.0,
        total_requests=1,
        successful_requests=0,
        failed_requests=1,
        error_rate=100.0,
        avg_response_time=0.0,
        min_response_time=0.0,
        max_response_time=0.0,
        p50_response_time=0.0,
        p90_response_time=0.0,
        p95_response_time=0.0,
        p99_response_time=0.0,
        p999_response_time=0.0,
        requests_per_second=0.0,
        failures={reason: 1},
    )


def result_table(result: LoadTestResult) -> Table:
    load = f"{result.target_rate:g} req/s target" if result.target_rate else f"{result.concurrent_users} users"
    table = Table(
        title=f"{result.name} — {result.model} model, {load}, {result.duration_seconds:.1f} s", title_justify="left"
    )
    for column in ("endpoint", "requests", "failed", "req/s", "mean", "p50", "p95", "p99", "max"):
        table.add_column(column, justify="left" if column == "endpoint" else "right")
    rows = [(e.name, e.total_requests, e.failed_requests, e.requests_per_second, e.latency) for e in result.endpoints]
    rows.append(("all", result.total_requests, result.failed_requests, result.requests_per_second, result.latency))
    for index, (name, total, failed, rps, lat) in enumerate(rows):
        table.add_row(
            f"[bold]{name}[/bold]" if index == len(rows) - 1 else name,
            f"{total:,}",
            f"{failed:,}" + (f" ({100 * failed / total:.1f}%)" if total and failed else ""),
            f"{rps:,.1f}",
            ms(lat.mean),
            ms(lat.p50),
            ms(lat.p95),
            ms(lat.p99),
            ms(lat.max),
            end_section=index == len(rows) - 2,
        )
    return table


def print_result(result: LoadTestResult, file: IO[str] | None = None, console: Console | None = None) -> None:
    if console is None:
        console = Console(file=file, highlight=False)
        if not console.is_terminal:
            console.width = 120
    if result.status != "completed":
        console.print(f"[bold red]{result.status}:[/bold red] {result.message}")
    console.print(result_table(result))
    console.print(
        f"requests {result.total_requests:,}  ok {result.successful_requests:,}  failed {result.failed_requests:,} "
        f"({result.error_rate:.2f}%)  throughput {result.requests_per_second:,.1f} req/s  "
        f"p99.9 {ms(result.p999_response_time)}"
    )
    if result.cancelled_requests:
        console.print(f"cancelled (not counted): {result.cancelled_requests:,}")
    if result.failures:
        top = sorted(result.failures.items(), key=lambda item: -item[1])[:5]
        console.print("failures: " + ", ".join(f"{reason} × {count:,}" for reason, count in top))
    if result.model == "open" and result.schedule_lag.count:
        lag = result.schedule_lag
        console.print(
            f"send delay behind schedule: p50 {ms(lag.p50)}, p99 {ms(lag.p99)}, max {ms(lag.max)}; "
            f"of it the generator's own (not in the latencies): p99 {ms(result.generator_lag.p99)}, "
            f"max {ms(result.generator_lag.max)}"
        )


def _console() -> Console:
    console = Console(highlight=False)
    if not console.is_terminal:
        console.width = 120
    return console


def print_stage(stage: StageResult, gated: bool) -> None:
    console = _console()
    console.rule(f"{stage.name}: {stage.description}")
    print_result(stage.result, console=console)
    for part in stage.parts:
        console.print(
            f"  {part.name:<16} {part.total_requests:>9,} requests  {part.error_rate:6.2f}% errors  "
            f"{part.requests_per_second:>10,.1f} req/s  p95 {ms(part.p95_response_time):>9}  "
            f"p99 {ms(part.p99_response_time):>9}"
        )
    capacity = stage.findings.get("capacity")
    if capacity:
        if capacity["sustainable_rate"]:
            console.print(
                f"capacity: {capacity['capacity_rps']:,.1f} req/s within the SLO "
                f"(target {capacity['sustainable_rate']:g} req/s, p95 {ms(capacity['p95_at_capacity'])}); "
                f"first failing rate: {capacity['first_failing_rate']}"
            )
        else:
            console.print("capacity: no step met the SLO")
    spike = stage.findings.get("spike")
    if spike:
        recovered = f"{spike['recovery_seconds']:g} s" if spike["recovered"] else "not within the test"
        console.print(
            f"spike: baseline p95 {ms(spike['baseline_p95'])}, during the spike {ms(spike['spike_p95'])} "
            f"({spike['spike_error_rate']:.2f}% errors); recovery: {recovered}"
        )
    if "first_quarter" in stage.findings:
        drift = stage.findings
        change = drift.get("p95_change_percent")
        memory = drift.get("memory")
        console.print(
            "drift (first vs last quarter): p95 "
            + (f"{change:+.1f}%" if change is not None else "n/a")
            + f", error rate {drift['error_rate_change_points']:+.2f} points, server memory "
            + (f"{memory['first_mb']:.0f} → {memory['last_mb']:.0f} MB" if memory else "not published by the server")
        )
    checks = stage.slo.checks
    if checks:
        verdict = "[green]met[/green]" if stage.slo.passed else "[bold red]NOT met[/bold red]"
        details = ", ".join(
            f"{c.objective.text} ({'ok' if c.passed else 'fail'}: {_actual(c.objective.metric, c.actual)})"
            for c in checks
        )
        console.print(f"SLO {verdict}{'' if gated else ' (informational: no --slo given)'}: {details}")


def _actual(metric: str, value: float) -> str:
    if value != value:
        return "no responses"
    if metric.endswith("_response_time"):
        return ms(value)
    return f"{value:.2f}%" if metric == "error_rate" else f"{value:,.1f} req/s"


def print_analysis(report: dict[str, Any]) -> None:
    console = _console()
    analysis = report["analysis"]
    if analysis["recommendations"]:
        console.rule("analysis")
        for line in analysis["recommendations"]:
            console.print(f"• {line}")
    baseline = report.get("baseline")
    if baseline:
        regressions = baseline["regressions"]
        console.print(f"baseline {baseline['file']}: {len(regressions)} regression(s)")
        for row in regressions:
            console.print(
                f"  [red]{row['stage']} {row['metric']}[/red]: {row['baseline']:.4g} → "
                + (f"{row['current']:.4g}" if row["current"] is not None else "missing")
            )
