from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import orjson
import pytest
from sqlalchemy import text

from marketing_project.cli import main
from marketing_project.db.sql import Database
from marketing_project.settings import Settings
from tests.conftest import make_settings, running_app
from tests.support import ADMIN, VIEWER

EXPLAIN = "/api/v1/performance/queries/explain"
ADVISE = "/api/v1/performance/queries/advise"
ROWS = 12_000


async def seed(database: Database, rows: int = ROWS) -> None:
    if database.dialect == "postgresql":
        statement = (
            "INSERT INTO content (id, type, title, content, source_url, metadata, attributes, created_at, updated_at) "
            "SELECT 'c' || g, 'blog_post', 'T' || g, 'B', 'https://example.com/' || (g % 200), '{}', '{}', "
            "now() - g * interval '1 second', now() - (g % 997) * interval '1 minute' "
            "FROM generate_series(1, :rows) g"
        )
    else:
        statement = (
            "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < :rows) "
            "INSERT INTO content (id, type, title, content, source_url, metadata, attributes, created_at, updated_at) "
            "SELECT 'c' || n, 'blog_post', 'T' || n, 'B', 'https://example.com/' || (n % 200), '{}', '{}', "
            "datetime('now', '-' || n || ' seconds'), datetime('now', '-' || (n % 997) || ' minutes') FROM g"
        )
    async with database.transaction() as conn:
        await conn.execute(text(statement), {"rows": rows})
    async with database.transaction() as conn:
        await conn.execute(text("ANALYZE"))


@pytest.fixture
async def seeded(backend_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(backend_settings) as client:
        await seed(client.app.state.services.database)  # type: ignore[attr-defined]
        yield client


async def test_explain_reports_scans_sorts_cost_and_complexity(seeded: httpx.AsyncClient) -> None:
    sql = "SELECT id, title FROM content WHERE source_url = 'https://example.com/7' ORDER BY updated_at DESC LIMIT 20"
    response = await seeded.post(EXPLAIN, json={"sql": sql}, headers=ADMIN)
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["statement"] == sql
    assert report["total_cost"] > 0
    assert [(scan["table"], scan["large"]) for scan in report["full_scans"]] == [("content", True)]
    assert report["full_scans"][0]["table_rows"] >= ROWS * 0.9
    assert len(report["sorts_without_index"]) == 1
    assert report["complexity"] in ("medium", "high")
    assert any("content" in line for line in report["plan"])


async def test_an_indexed_lookup_rates_low(seeded: httpx.AsyncClient) -> None:
    sql = "SELECT id FROM content WHERE type = 'blog_post' ORDER BY created_at DESC LIMIT 20"
    report = (await seeded.post(EXPLAIN, json={"sql": sql}, headers=ADMIN)).json()
    assert report["full_scans"] == []
    assert report["sorts_without_index"] == []
    assert report["indexes_used"]  # every row is a blog_post: either index serves
    assert report["complexity"] == "low"


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("DELETE FROM content", "Only a read-only SELECT"),
        ("SELECT 1; SELECT 2", "single statement"),
        ("WITH x AS (UPDATE content SET title = 'x' RETURNING id) SELECT * FROM x", "read-only"),
    ],
)
async def test_anything_but_one_select_is_422(seeded: httpx.AsyncClient, sql: str, message: str) -> None:
    response = await seeded.post(EXPLAIN, json={"sql": sql}, headers=ADMIN)
    assert response.status_code == 422
    assert message in response.json()["error"]["message"]


async def test_sql_the_database_rejects_is_422_with_its_message(seeded: httpx.AsyncClient) -> None:
    response = await seeded.post(EXPLAIN, json={"sql": "SELECT nope FROM nowhere"}, headers=ADMIN)
    assert response.status_code == 422
    message = response.json()["error"]["message"]
    assert "nowhere" in message  # SQLite: no such table: nowhere; PostgreSQL: relation "nowhere" does not exist
    assert message.startswith("The database rejected the statement")


async def test_a_misspelt_field_is_refused_not_ignored(tmp_path: Path) -> None:
    # `sql` is explain's field; sent to advise it used to be dropped, and the query log advised on instead
    async with running_app(make_settings(tmp_path)) as client:
        for path, body in ((ADVISE, {"sql": "SELECT 1"}), (EXPLAIN, {"sql": "SELECT 1", "statement": "x"})):
            response = await client.post(path, json=body, headers=ADMIN)
            assert response.status_code == 422, path
            assert "Extra inputs are not permitted" in response.json()["error"]["message"]


async def test_explain_is_admin_only(seeded: httpx.AsyncClient) -> None:
    assert (await seeded.post(EXPLAIN, json={"sql": "SELECT 1"}, headers=VIEWER)).status_code == 403
    assert (await seeded.post(EXPLAIN, json={"sql": "SELECT 1"})).status_code == 401


@pytest.mark.postgres
async def test_explained_statements_are_not_executed(tmp_path: Path, postgres_database: str) -> None:
    from tests.conftest import make_settings

    settings = make_settings(tmp_path, postgres_url=postgres_database, postgres_pool_size=1)
    async with running_app(settings) as client:
        database: Database = client.app.state.services.database  # type: ignore[attr-defined]
        connects = database.counters.connects
        # executed, this would kill the very connection it runs on
        sql = "SELECT pg_terminate_backend(pg_backend_pid())"
        assert (await client.post(EXPLAIN, json={"sql": sql}, headers=ADMIN)).status_code == 200
        assert (await client.post(EXPLAIN, json={"sql": sql}, headers=ADMIN)).status_code == 200
        assert database.counters.connects == connects


def test_cli_db_analyze_prints_the_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("POSTGRES_URL", "DATABASE_URL", "MONGODB_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    import sqlite3

    with sqlite3.connect(tmp_path / "marketing_project.db") as conn:
        conn.execute("CREATE TABLE content (id TEXT PRIMARY KEY, title TEXT, updated_at TEXT)")
    assert main(["db", "analyze", "SELECT * FROM content WHERE title = 'x' ORDER BY updated_at"]) == 0
    out = capsys.readouterr().out
    assert "Plan (sqlite)" in out and "SCAN content" in out and "Sort without an index" in out
    assert main(["db", "analyze", "DROP TABLE content"]) == 1
    assert "Only a read-only SELECT" in capsys.readouterr().err


def test_db_advise_reads_the_costliest_selects_from_a_running_servers_log() -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from marketing_project.db.commands import server_statements
    from marketing_project.db.statements import OTHER

    seen_keys: list[str | None] = []
    rows = ["SELECT * FROM content WHERE title = ?", "INSERT INTO content VALUES (?)", OTHER, "SELECT ?", "SELECT 2"]

    class Log(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen_keys.append(self.headers.get("X-API-Key"))
            body = orjson.dumps({"statements": [{"statement": s} for s in rows]})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None: ...

    server = HTTPServer(("127.0.0.1", 0), Log)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        assert server_statements(base, "k" * 20, 2, "sqlite") == ["SELECT * FROM content WHERE title = ?", "SELECT ?"]
    finally:
        server.shutdown()
        server.server_close()
    assert seen_keys == ["k" * 20]
