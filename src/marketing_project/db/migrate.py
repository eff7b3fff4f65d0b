"""Apply the Alembic migrations at start-up (safe with several workers starting at once)."""

from __future__ import annotations

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


async def migrate(database: Database) -> None:
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
