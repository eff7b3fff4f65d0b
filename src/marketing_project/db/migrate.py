"""Apply the Alembic migrations at start-up (safe with several workers starting at once)."""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text

from marketing_project.db.sql import Database

MIGRATIONS = Path(__file__).with_name("migrations")
# any constant works; it only has to be the same for every worker of this app
_ADVISORY_LOCK_ID = 0x6D6B7470


def _upgrade(connection: Connection) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


@contextlib.contextmanager
def _file_lock(database: Database) -> Iterator[None]:
    """SQLite has no advisory locks: workers starting together take turns on a lock file beside the database."""
    name = database.url.database
    if database.dialect != "sqlite" or not name or name == ":memory:":
        yield
        return
    with open(f"{name}.migrate.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


async def migrate(database: Database) -> None:
    with _file_lock(database):
        async with database.engine.connect() as conn:
            if database.dialect == "postgresql":
                await conn.execute(text("SELECT pg_advisory_lock(:id)"), {"id": _ADVISORY_LOCK_ID})
                await conn.commit()
            try:
                await conn.run_sync(_upgrade)
                await conn.commit()
            finally:
                if database.dialect == "postgresql":
                    await conn.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": _ADVISORY_LOCK_ID})
                    await conn.commit()
