"""One Yoast-style check: a traffic-light rating, a 0–100 score and a message that says what to do."""

from __future__ import annotations

from dataclasses import dataclass

GOOD = "good"
OK = "ok"
BAD = "bad"

SEO = "seo"
READABILITY = "readability"
CONTENT = "content"

DEFAULT_SCORE = {GOOD: 100, OK: 60, BAD: 20}


@dataclass(frozen=True, slots=True)
class Assessment:
    id: str
    category: str
    title: str
    rating: str
    score: int
    value: float | None
    message: str


def make(
    id: str, category: str, title: str, rating: str, message: str, value: float | None = None, score: int | None = None
) -> Assessment:
    return Assessment(
        id=id,
        category=category,
        title=title,
        rating=rating,
        score=DEFAULT_SCORE[rating] if score is None else max(0, min(100, score)),
        value=None if value is None else round(float(value), 2),
        message=message,
    )


def banded(value: float, good: tuple[float, float], ok: tuple[float, float]) -> str:
    """GOOD inside the closed `good` range, OK inside the `ok` range, BAD elsewhere."""
    if good[0] <= value <= good[1]:
        return GOOD
    if ok[0] <= value <= ok[1]:
        return OK
    return BAD
