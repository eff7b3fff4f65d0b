"""What a load test sends and how hard: LoadTestConfig (the Performance Guide's shape) and its endpoints.

Validation happens at construction and reports every problem at once, naming the field, so a typo in a CI job
fails with a message instead of a traceback halfway through a run.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_ENDPOINT_KEYS = frozenset({"path", "method", "headers", "data", "weight", "name", "expected_status"})
MAX_TIMEOUT_SECONDS = 3600.0


class ConfigError(ValueError):
    """An invalid load-test setting; the message names each offending field."""


@dataclass(frozen=True)
class EndpointSpec:
    """One kind of request. `data` is sent as JSON (str and bytes as they are); `weight` sets its share of traffic.

    `expected_status` lists statuses ≥ 400 that count as successes here (e.g. 404 for a probe of a missing id).
    `body_factory`, when set, builds a fresh body for every request (used for uncacheable analysis traffic).
    """

    path: str
    method: str = "GET"
    headers: Mapping[str, str] = field(default_factory=dict)
    data: Any = None
    weight: float = 1.0
    name: str = ""
    expected_status: tuple[int, ...] = ()
    variants: tuple[tuple[str, Any], ...] = ()
    body_factory: Callable[[int], bytes] | None = None

    @property
    def label(self) -> str:
        return self.name or f"{self.method} {self.path}"


def _endpoint(raw: Any, where: str, problems: list[str]) -> EndpointSpec | None:
    if isinstance(raw, EndpointSpec):
        spec = raw
    elif isinstance(raw, Mapping):
        unknown = sorted(set(raw) - _ENDPOINT_KEYS)
        if unknown:
            problems.append(
                f"{where}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(_ENDPOINT_KEYS))})"
            )
            return None
        try:
            spec = EndpointSpec(
                path=raw.get("path", ""),
                method=str(raw.get("method", "GET")).upper(),
                headers=dict(raw.get("headers") or {}),
                data=raw.get("data"),
                weight=raw.get("weight", 1.0),
                name=str(raw.get("name") or ""),
                expected_status=tuple(raw.get("expected_status") or ()),
            )
        except (TypeError, ValueError) as exc:
            problems.append(f"{where}: {exc}")
            return None
    else:
        problems.append(f"{where}: expected an object with path, method, headers, data (got {type(raw).__name__})")
        return None
    before = len(problems)
    if not isinstance(spec.path, str) or not spec.path.startswith("/"):
        problems.append(f"{where}.path: must start with '/' (got {spec.path!r})")
    if spec.method not in METHODS:
        problems.append(f"{where}.method: {spec.method!r} is not one of {', '.join(sorted(METHODS))}")
    if not isinstance(spec.weight, int | float) or not math.isfinite(spec.weight) or spec.weight <= 0:
        problems.append(f"{where}.weight: must be a positive number (got {spec.weight!r})")
    for name, value in spec.headers.items():
        if not isinstance(name, str) or not isinstance(value, str) or not name.strip():
            problems.append(f"{where}.headers: names and values must be strings (got {name!r}: {value!r})")
        elif any(c in name + value for c in "\r\n\0") or ":" in name:
            problems.append(f"{where}.headers: {name!r} contains a line break, NUL or colon")
    texts = [spec.path, *(path for path, _ in spec.variants)]
    if any(isinstance(text, str) and any(c in text for c in " \r\n\0") for text in texts):
        problems.append(f"{where}.path: must not contain spaces or line breaks (URL-encode them)")
    if any(not isinstance(code, int) or not 100 <= code <= 599 for code in spec.expected_status):
        problems.append(f"{where}.expected_status: HTTP status codes between 100 and 599 (got {spec.expected_status})")
    return spec if len(problems) == before else None


def _positive(name: str, value: Any, problems: list[str], *, zero_ok: bool = False) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        problems.append(f"{name}: must be a number (got {value!r})")
    elif value < 0 or (value == 0 and not zero_ok):
        problems.append(f"{name}: must be {'≥ 0' if zero_ok else '> 0'} (got {value!r})")


@dataclass(frozen=True)
class LoadTestConfig:
    """A steady test. Closed model (users, ramp-up, think time) unless `rate` (requests/s) asks for the open model.

    Users start evenly over `ramp_up_seconds`; with a ramp-up as long as the test, the last ones never start.

    Times are in seconds. `max_connections` caps the open model's connections (default: `concurrent_users`);
    `max_requests` stops the test early once that many requests were started.
    """

    base_url: str
    endpoints: Sequence[Mapping[str, Any] | EndpointSpec]
    concurrent_users: int = 10
    duration_seconds: float = 60
    ramp_up_seconds: float = 10
    think_time_seconds: float = 1.0
    timeout_seconds: float = 30
    rate: float | None = None
    max_connections: int | None = None
    max_requests: int | None = None
    verify_tls: bool = True

    def __post_init__(self) -> None:
        problems: list[str] = []
        parts = urlsplit(self.base_url) if isinstance(self.base_url, str) else None
        if parts is None or parts.scheme not in {"http", "https"} or not parts.hostname:
            problems.append(f"base_url: expected http://host[:port] or https://host[:port] (got {self.base_url!r})")
        else:
            try:
                parts.port  # noqa: B018 - raises on a malformed port
            except ValueError:
                problems.append(f"base_url: invalid port in {self.base_url!r}")
        if isinstance(self.endpoints, str | bytes | Mapping) or not isinstance(self.endpoints, Sequence):
            problems.append("endpoints: expected a list of endpoint objects")
            specs: list[EndpointSpec] = []
        else:
            specs = [s for i, raw in enumerate(self.endpoints) if (s := _endpoint(raw, f"endpoints[{i}]", problems))]
            if not self.endpoints:
                problems.append("endpoints: at least one endpoint is needed")
        _positive("duration_seconds", self.duration_seconds, problems)
        _positive("ramp_up_seconds", self.ramp_up_seconds, problems, zero_ok=True)
        _positive("think_time_seconds", self.think_time_seconds, problems, zero_ok=True)
        _positive("timeout_seconds", self.timeout_seconds, problems)
        if isinstance(self.timeout_seconds, int | float) and self.timeout_seconds > MAX_TIMEOUT_SECONDS:
            problems.append(f"timeout_seconds: at most {MAX_TIMEOUT_SECONDS:g} (got {self.timeout_seconds!r})")
        for name in ("concurrent_users", "max_connections", "max_requests"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                problems.append(f"{name}: must be a whole number ≥ 1 (got {value!r})")
        if self.rate is not None:
            _positive("rate", self.rate, problems)
        if problems:
            raise ConfigError("Invalid load test configuration:\n  " + "\n  ".join(problems))
        object.__setattr__(self, "_specs", tuple(specs))

    @property
    def endpoint_specs(self) -> tuple[EndpointSpec, ...]:
        specs: tuple[EndpointSpec, ...] = getattr(self, "_specs")  # noqa: B009 - set in __post_init__
        return specs

    @property
    def connections(self) -> int:
        return self.max_connections or self.concurrent_users
