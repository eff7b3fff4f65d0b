"""Alembic migrations, applied at start-up by `marketing_project.db.migrate`."""
