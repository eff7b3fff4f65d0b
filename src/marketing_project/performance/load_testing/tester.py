"""LoadTester: the Performance Guide's entry point for a custom test (`async with LoadTester(config) as tester`)."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import IO

from marketing_project.performance.load_testing.config import LoadTestConfig
from marketing_project.performance.load_testing.engine import Progress, Run
from marketing_project.performance.load_testing.models import ClosedRun, OpenRun, Phase
from marketing_project.performance.load_testing.stats import LoadTestResult, build_result
from marketing_project.performance.load_testing.summary import print_result, unreachable_result
from marketing_project.performance.load_testing.traffic import compile_endpoint
from marketing_project.performance.load_testing.wire import Target, TargetError, open_target


class LoadTester:
    """Runs `config` once: the closed model (users) or, when `config.rate` is set, the open model.

    `run_test` never raises for an unreachable or misbehaving target: the result's `status` is "aborted" and
    `message` says why, with whatever was measured until then. `print_summary` prints the last result.
    """

    def __init__(self, config: LoadTestConfig, *, on_progress: Callable[[Progress], None] | None = None) -> None:
        self.config = config
        self.on_progress = on_progress
        self.result: LoadTestResult | None = None
        self._run: Run | None = None

    async def __aenter__(self) -> LoadTester:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._run is not None and not self._run.stopping:
            self._run.stop("interrupted", "the load tester was closed during the run")

    def stop(self, status: str = "interrupted", message: str = "stopped by the user") -> None:
        """End the current run early (e.g. on Ctrl-C); what was measured so far is kept."""
        if self._run is not None:
            self._run.stop(status, message)

    async def connect(self) -> Target:
        config = self.config
        return await open_target(
            config.base_url, verify_tls=config.verify_tls, timeout_seconds=min(config.timeout_seconds, 10)
        )

    async def run_test(self, name: str = "load test") -> LoadTestResult:
        config = self.config
        model = "open" if config.rate else "closed"
        try:
            target = await self.connect()
        except TargetError as exc:
            self.result = unreachable_result(name, str(exc), model, config.concurrent_users, config.rate)
            return self.result
        endpoints = [compile_endpoint(target, spec) for spec in config.endpoint_specs]
        weights = [spec.weight for spec in config.endpoint_specs]
        common = {
            "timeout": config.timeout_seconds,
            "max_requests": config.max_requests,
            "on_progress": self.on_progress,
        }
        run: Run
        if config.rate:
            phases = [Phase(name, config.duration_seconds, config.rate)]
            run = OpenRun(target, endpoints, weights, phases=phases, max_connections=config.connections, **common)
        else:
            run = ClosedRun(
                target,
                endpoints,
                weights,
                duration=config.duration_seconds,
                users=config.concurrent_users,
                ramp_up=config.ramp_up_seconds,
                think_time=config.think_time_seconds,
                **common,
            )
        self._run = run
        outcome = await run.execute()
        self.result = build_result(outcome, name=name, model=model, users=config.concurrent_users, rate=config.rate)
        return self.result

    def print_summary(self, file: IO[str] | None = None) -> None:
        if self.result is None:
            raise RuntimeError("run_test() has not produced a result yet")
        print_result(self.result, file=file)
