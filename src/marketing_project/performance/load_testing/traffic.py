"""Endpoints compiled for the hot path: request bytes made up front, and a weighted order to draw them from."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from marketing_project.performance.load_testing.config import EndpointSpec
from marketing_project.performance.load_testing.recorder import ok_table
from marketing_project.performance.load_testing.wire import Target, encode_body, encode_request


@dataclass(frozen=True)
class CompiledEndpoint:
    name: str
    method: str
    path: str
    next_request: Callable[[], bytes]
    ok: bytes
    head_only: bool


def _dynamic(target: Target, spec: EndpointSpec, factory: Callable[[int], bytes]) -> Callable[[], bytes]:
    counter = itertools.count()

    def build() -> bytes:
        return encode_request(target, spec.method, spec.path, spec.headers, factory(next(counter)), "application/json")

    return build


def compile_endpoint(target: Target, spec: EndpointSpec) -> CompiledEndpoint:
    if spec.body_factory is not None:
        next_request = _dynamic(target, spec, spec.body_factory)
    else:
        variants = spec.variants or ((spec.path, spec.data),)
        requests = []
        for path, data in variants:
            body, content_type = encode_body(data)
            requests.append(encode_request(target, spec.method, path, spec.headers, body, content_type))
        next_request = itertools.cycle(requests).__next__
    return CompiledEndpoint(
        name=spec.label,
        method=spec.method,
        path=spec.path,
        next_request=next_request,
        ok=ok_table(spec.expected_status),
        head_only=spec.method == "HEAD",
    )


def weighted_order(weights: Sequence[float], slots: int = 1000) -> list[int]:
    """Endpoint indices in proportion to their weights, evenly interleaved (smooth weighted round robin)."""
    total = sum(weights)
    counts = [max(1, round(weight / total * slots)) for weight in weights]
    current = [0.0] * len(weights)
    size = sum(counts)
    order: list[int] = []
    for _ in range(size):
        for i, count in enumerate(counts):
            current[i] += count
        best = max(range(len(counts)), key=current.__getitem__)
        current[best] -= size
        order.append(best)
    return order


def request_source(endpoints: Sequence[CompiledEndpoint], weights: Sequence[float]) -> Iterator[int]:
    return itertools.cycle(weighted_order(weights))
