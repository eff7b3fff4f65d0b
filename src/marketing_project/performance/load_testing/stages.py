"""The named tests: basic, stress, spike, endurance, comprehensive (and `all`, each in turn).

basic and comprehensive hold a steady load (the read path, then the weighted mix of every endpoint). stress steps
the arrival rate up (doubling, then bisecting) until the SLO breaks and reports the knee: the highest rate that
met it. spike runs a baseline, ten times the rate, then the baseline again, and reports how long latency took to
recover. endurance holds the mix and reports drift in latency, errors and the server's memory.
stress and spike explore rather than gate: stress passes when some step met the SLO, spike when its baseline did.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from marketing_project.performance.load_testing.config import EndpointSpec
from marketing_project.performance.load_testing.drift import drift, recovery, sample_memory
from marketing_project.performance.load_testing.engine import Progress
from marketing_project.performance.load_testing.models import ClosedRun, OpenRun, Phase
from marketing_project.performance.load_testing.slo import Objective, SloReport, evaluate
from marketing_project.performance.load_testing.stats import LoadTestResult, build_result
from marketing_project.performance.load_testing.traffic import compile_endpoint
from marketing_project.performance.load_testing.wire import Target

STAGES = ("basic", "stress", "spike", "endurance", "comprehensive")
DESCRIPTIONS = {
    "basic": "steady load on the read path",
    "stress": "arrival rate stepped up until the SLO breaks",
    "spike": "baseline, 10x spike, baseline again",
    "endurance": "long steady mix: drift in latency, errors and server memory",
    "comprehensive": "steady weighted mix of every endpoint",
}
_BASIC_NAMES = ("GET /api/v1/health", "GET /api/v1/content (list)", "GET /api/v1/content/{id}")
MIN_OPEN_CONNECTIONS = 50


@dataclass(frozen=True)
class StageOptions:
    users: int
    duration: float
    ramp_up: float
    think_time: float
    rate: float | None
    timeout: float
    slo: tuple[Objective, ...]
    max_requests: int | None = None


@dataclass(frozen=True)
class StageResult:
    name: str
    description: str
    result: LoadTestResult
    slo: SloReport
    parts: tuple[LoadTestResult, ...] = ()
    findings: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.slo.passed and self.result.status == "completed"


class StageRunner:
    def __init__(
        self,
        target: Target,
        endpoints: Sequence[EndpointSpec],
        options: StageOptions,
        progress: Callable[[str], Callable[[Progress], None] | None] = lambda stage: None,
    ) -> None:
        self.target = target
        self.mix = list(endpoints)
        basic = [spec for spec in endpoints if spec.label in _BASIC_NAMES]
        self.basic = basic if len(basic) > 1 else self.mix
        self.options = options
        self.progress = progress
        self.current: ClosedRun | OpenRun | None = None

    def stop(self, status: str, message: str) -> None:
        if self.current is not None:
            self.current.stop(status, message)

    async def run(self, name: str) -> StageResult:
        method = getattr(self, f"_{name}")
        stage: StageResult = await method()
        return stage

    def _compiled(self, specs: Sequence[EndpointSpec]) -> dict[str, Any]:
        return {
            "target": self.target,
            "endpoints": [compile_endpoint(self.target, spec) for spec in specs],
            "weights": [spec.weight for spec in specs],
        }

    async def _open(self, stage: str, specs: Sequence[EndpointSpec], phases: list[Phase]) -> Any:
        o = self.options
        run = OpenRun(
            **self._compiled(specs),
            phases=phases,
            max_connections=max(o.users, MIN_OPEN_CONNECTIONS),
            timeout=o.timeout,
            max_requests=o.max_requests,
            on_progress=self.progress(stage),
        )
        self.current = run
        return await run.execute()

    async def _steady(self, name: str, specs: Sequence[EndpointSpec]) -> LoadTestResult:
        o = self.options
        if o.rate:
            outcome = await self._open(name, specs, [Phase(name, o.duration, o.rate)])
            return build_result(outcome, name=name, model="open", users=o.users, rate=o.rate)
        run = ClosedRun(
            **self._compiled(specs),
            duration=o.duration,
            timeout=o.timeout,
            max_requests=o.max_requests,
            on_progress=self.progress(name),
            users=o.users,
            ramp_up=min(o.ramp_up, o.duration / 2),
            think_time=o.think_time,
        )
        self.current = run
        outcome = await run.execute()
        return build_result(outcome, name=name, model="closed", users=o.users, rate=None)

    def _stage(self, name: str, result: LoadTestResult, **extra: Any) -> StageResult:
        return StageResult(name, DESCRIPTIONS[name], result, evaluate(self.options.slo, result), **extra)

    async def _basic(self) -> StageResult:
        return self._stage("basic", await self._steady("basic", self.basic))

    async def _comprehensive(self) -> StageResult:
        return self._stage("comprehensive", await self._steady("comprehensive", self.mix))

    async def _endurance(self) -> StageResult:
        interval = max(1.0, self.options.duration / 60)
        samples: list[tuple[float, float]] = []
        sampler = asyncio.create_task(sample_memory(self.target, interval, samples))
        try:
            result = await self._steady("endurance", self.mix)
        finally:
            sampler.cancel()
            await asyncio.gather(sampler, return_exceptions=True)
        warm_up = 0.0 if self.options.rate else min(self.options.ramp_up, self.options.duration / 2)
        return self._stage("endurance", result, findings=drift(result, samples, warm_up))

    async def _stress(self) -> StageResult:
        o = self.options
        rate = o.rate or 50.0
        step = max(2.0, o.duration / 8)
        passed: LoadTestResult | None = None
        failed_rate: float | None = None
        steps: list[LoadTestResult] = []
        for _ in range(10):
            label = f"{rate:g} req/s"
            outcome = await self._open("stress " + label, self.mix, [Phase(label, step, rate)])
            result = build_result(outcome, name=label, model="open", users=o.users, rate=rate)
            steps.append(result)
            if result.status != "completed":
                break
            if _sustained(result, rate, step, o.slo):
                passed = result
            else:
                failed_rate = rate
            low = (passed.target_rate or 0.0) if passed else 0.0
            if failed_rate is None:
                rate *= 2
            elif failed_rate - low <= max(1.0, 0.1 * failed_rate):
                break
            else:
                rate = round((low + failed_rate) / 2, 1)
        best = passed or steps[-1]
        capacity = {
            "sustainable_rate": passed.target_rate if passed else None,
            "capacity_rps": passed.requests_per_second if passed else None,
            "first_failing_rate": failed_rate,
            "p95_at_capacity": passed.p95_response_time if passed else None,
            "steps": [{"rate": s.target_rate, "passed": _sustained(s, s.target_rate or 0, step, o.slo)} for s in steps],
        }
        return self._stage("stress", best, parts=tuple(steps), findings={"capacity": capacity})

    async def _spike(self) -> StageResult:
        o = self.options
        base = o.rate or 50.0
        phases = [
            Phase("baseline", o.duration * 0.4, base),
            Phase("spike", o.duration * 0.2, base * 10),
            Phase("recovery", o.duration * 0.4, base),
        ]
        outcome = await self._open("spike", self.mix, phases)
        whole = build_result(outcome, name="spike", model="open", users=o.users, rate=base)
        parts = tuple(
            build_result(outcome, name=s.name, model="open", users=o.users, rate=p.rate, segments=[s])
            for s, p in zip(outcome.segments, phases, strict=False)
        )
        findings = {"spike": recovery(whole, parts, spike_end=o.duration * 0.6)}
        baseline = parts[0] if parts else whole
        return StageResult("spike", DESCRIPTIONS["spike"], whole, evaluate(o.slo, baseline), parts, findings)


def _sustained(result: LoadTestResult, rate: float, seconds: float, slo: tuple[Objective, ...]) -> bool:
    """A step counts when it met the SLO and kept up: the arrivals were served within the step (5 % slack)."""
    kept_up = result.total_requests >= 0.95 * int(rate * seconds) and result.duration_seconds <= seconds * 1.05 + 0.1
    return kept_up and evaluate(slo, result).passed
