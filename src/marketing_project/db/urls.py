"""Database URLs as users write them (the guide's `postgresql://...`) turned into async-driver URLs."""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from marketing_project.errors import SettingsError

_ASYNC_DRIVERS = {"postgresql": "postgresql+asyncpg", "postgres": "postgresql+asyncpg", "sqlite": "sqlite+aiosqlite"}


def async_url(raw: str) -> URL:
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise SettingsError(f"DATABASE_URL/POSTGRES_URL is not a valid database URL: {exc}") from None
    backend = url.get_backend_name()
    if backend == "postgres":
        backend = "postgresql"
    if backend not in _ASYNC_DRIVERS:
        raise SettingsError(
            f"Unsupported database {backend!r} in DATABASE_URL/POSTGRES_URL: use postgresql://... or sqlite:///path"
        )
    url = url.set(drivername=_ASYNC_DRIVERS[backend])
    if backend == "postgresql" and "sslmode" in url.query:
        # asyncpg spells libpq's sslmode as ssl
        query = dict(url.query)
        query["ssl"] = query.pop("sslmode")
        url = url.set(query=query)
    return url


def redacted(url: URL) -> str:
    return url.render_as_string(hide_password=True)
