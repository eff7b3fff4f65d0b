"""`marketing-project db analyze "SQL"` and `marketing-project db advise [SQL ...]` (database from the settings)."""

from __future__ import annotations

import argparse
import asyncio
import sys
import urllib.error
import urllib.parse
import urllib.request
from typing import TYPE_CHECKING, Any

import orjson

from marketing_project.errors import AppError, InvalidInput
from marketing_project.settings import Settings, load_settings

if TYPE_CHECKING:
    from marketing_project.db.advisor import Advice
    from marketing_project.db.plans import PlanReport
    from marketing_project.db.sql import Database

# The engine, sqlglot and the drivers load only when a db command runs, not on every `marketing-project` start.


def add_commands(commands: Any) -> None:
    """Register `db analyze` and `db advise` on the CLI's subparsers."""
    db = commands.add_parser("db", help="database tools: a statement's plan, index advice")
    sub = db.add_subparsers(dest="db_command", required=True)
    analyze = sub.add_parser("analyze", help="EXPLAIN one SELECT on the configured database and report on its plan")
    analyze.add_argument("sql", help="one read-only SELECT (or WITH ... SELECT) statement")
    analyze.add_argument("--json", action="store_true", help="print the full report as JSON")
    analyze.set_defaults(handler=_analyze)
    advice = sub.add_parser(
        "advise", help="index suggestions measured by the planner (PostgreSQL: HypoPG; SQLite: a scratch schema)"
    )
    advice.add_argument("sql", nargs="*", help="statements to advise on (default: the running server's query log)")
    advice.add_argument("--server", help="the running API whose query log to read (default http://HOST:PORT)")
    advice.add_argument("--api-key", help="an API key for --server (default API_KEY)")
    advice.add_argument("--limit", type=int, default=10, help="how many of the log's costliest statements")
    advice.add_argument("--json", action="store_true", help="print the full advice as JSON")
    advice.set_defaults(handler=_advise)


def _print_json(value: Any) -> None:
    sys.stdout.write(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode() + "\n")


def render_report(report: PlanReport) -> str:
    cost = "-" if report.total_cost is None else f"{report.total_cost:,.2f}"
    lines = [
        f"Plan ({report.backend}); estimated cost {cost} ({report.cost_unit})",
        *("  " + line for line in report.plan),
        f"Complexity: {report.complexity} ({'; '.join(report.reasons)})",
    ]
    for scan in report.full_scans:
        lines.append(f"Full scan: {scan.table} (~{scan.table_rows:,.0f} rows{', large' if scan.large else ''})")
    for sort in report.sorts_without_index:
        lines.append(f"Sort without an index: {', '.join(sort.keys)} (~{sort.rows:,.0f} rows)")
    if report.indexes_used:
        lines.append(f"Indexes used: {', '.join(report.indexes_used)}")
    return "\n".join(lines)


def render_advice(advice: list[Advice]) -> str:
    from marketing_project.db.advisor import merge

    suggestions = merge(advice)
    lines = []
    for s in suggestions:
        lines.append(f"{s.create_index};")
        lines.append(f"  estimated cost {s.cost_before:,.2f} -> {s.cost_after:,.2f} ({-s.improvement:.0%})")
        lines.extend(f"  helps: {query}" for query in s.queries)
    if not suggestions:
        lines.append("No index lowers the estimated cost by 50% or more.")
    lines.extend(f"skipped: {a.statement[:100]}: {a.note}" for a in advice if a.note)
    return "\n".join(lines)


async def _with_database(settings: Settings, work: Any) -> Any:
    from marketing_project.db.sql import Database

    database = Database(settings)
    try:
        await database.wait_until_ready()
        return await work(database)
    finally:
        await database.close()


def _analyze(args: argparse.Namespace) -> int:
    from marketing_project.db.explain import explain

    settings = load_settings()

    async def work(database: Database) -> PlanReport:
        return await explain(database, args.sql, seconds=settings.explain_statement_timeout)

    try:
        report: PlanReport = asyncio.run(_with_database(settings, work))
    except (AppError, ConnectionError) as exc:
        print(f"marketing-project db analyze: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 1
    if args.json:
        _print_json(report.to_dict())
    else:
        print(render_report(report))
    return 0


def server_statements(server: str, api_key: str | None, limit: int, backend: str) -> list[str]:
    """The costliest read-only statements of a running server's query log."""
    from marketing_project.db.sqltext import check_read_only
    from marketing_project.db.statements import OTHER

    url = f"{server.rstrip('/')}/api/v1/performance/queries?" + urllib.parse.urlencode({"limit": 500})
    request = urllib.request.Request(url, headers={"X-API-Key": api_key or ""})  # noqa: S310 - http(s) by the user
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            body = orjson.loads(response.read())
    except (urllib.error.URLError, OSError) as exc:
        raise ConnectionError(f"cannot read the query log at {url}: {exc}") from None
    statements: list[str] = []
    for row in body.get("statements", []):
        if len(statements) >= limit or row["statement"] == OTHER:
            continue
        try:
            check_read_only(row["statement"], backend)
        except InvalidInput:
            continue
        statements.append(row["statement"])
    return statements


def _advise(args: argparse.Namespace) -> int:
    from marketing_project.db.advisor import advise, merge

    settings = load_settings()

    async def work(database: Database) -> list[Advice]:
        statements = list(args.sql)
        if not statements:
            server = args.server or f"http://{settings.host}:{settings.port}"
            key = args.api_key or (settings.api_key.get_secret_value() if settings.api_key else None)
            statements = await asyncio.to_thread(server_statements, server, key, args.limit, database.dialect)
        return await advise(database, statements, seconds=settings.explain_statement_timeout)

    try:
        advice: list[Advice] = asyncio.run(_with_database(settings, work))
    except (AppError, ConnectionError) as exc:
        print(f"marketing-project db advise: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 1
    if args.json:
        _print_json({"suggestions": [s.to_dict() for s in merge(advice)], "statements": [a.to_dict() for a in advice]})
    else:
        print(render_advice(advice))
    return 0
