"""A signal found (or missed) in the text, with the points it earns and a plain explanation."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Signal:
    id: str
    found: bool
    points: int
    max_points: int
    detail: str


def signal(id: str, found: bool, max_points: int, detail: str, points: int | None = None) -> Signal:
    earned = (max_points if found else 0) if points is None else max(0, min(max_points, points))
    return Signal(id, found, earned, max_points, detail)


def total(signals: tuple[Signal, ...]) -> int:
    possible = sum(s.max_points for s in signals)
    return round(100 * sum(s.points for s in signals) / possible) if possible else 0
