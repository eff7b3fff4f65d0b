"""The built-in dashboard: a static page and its script and style, served by us (no CDN, nothing fetched)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def asset(name: str) -> bytes:
    return files(__package__).joinpath(name).read_bytes()
