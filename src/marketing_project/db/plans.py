"""Query plans read into one report: readable plan, estimated cost, full scans of large tables, sorts without an
index, and a complexity rating. Pure functions over what the database's EXPLAIN returned (no I/O here).

PostgreSQL reports its planner's cost (arbitrary units, comparable between plans of one server). SQLite reports
no cost: for SQLite the cost is estimated here from its plan and the table statistics, in rows visited (a scan
costs the table's rows, an index search log2(rows) plus the matching rows, a sort n·log2(n)), comparable between
plans of the same database only.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

LARGE_TABLE_ROWS = 10_000


@dataclass(frozen=True, slots=True)
class FullScan:
    table: str
    table_rows: float
    large: bool


@dataclass(frozen=True, slots=True)
class Sort:
    keys: tuple[str, ...]
    rows: float


@dataclass(frozen=True, slots=True)
class PlanReport:
    backend: str
    statement: str
    plan: tuple[str, ...]
    total_cost: float | None
    cost_unit: str
    estimated_rows: float | None
    full_scans: tuple[FullScan, ...]
    sorts_without_index: tuple[Sort, ...]
    indexes_used: tuple[str, ...]
    complexity: str
    reasons: tuple[str, ...]
    raw: Any = field(default=None, compare=False)

    @property
    def large_full_scans(self) -> tuple[FullScan, ...]:
        return tuple(scan for scan in self.full_scans if scan.large)

    def to_dict(self) -> dict[str, Any]:
        body = asdict(self)
        body["plan"] = list(self.plan)
        return body


def _rate(
    large_scans: int, sorts: int, joins: int, subplans: int, cost: float | None, heavy_cost: float
) -> tuple[str, tuple[str, ...]]:
    score = 0
    reasons = []
    if large_scans:
        score += 2 * large_scans
        reasons.append(f"{large_scans} full scan(s) of a large table")
    if sorts:
        score += sorts
        reasons.append(f"{sorts} sort(s) without an index")
    if joins > 1:
        score += joins - 1
        reasons.append(f"{joins} joins")
    if subplans:
        score += subplans
        reasons.append(f"{subplans} subquery plan(s)")
    if cost is not None and cost >= heavy_cost:
        score += 1 + int(cost >= heavy_cost * 10)
        reasons.append(f"estimated cost {cost:,.0f}")
    rating = "low" if score <= 1 else "medium" if score <= 3 else "high"
    return rating, tuple(reasons) or ("index lookups or small tables only",)


# -- PostgreSQL --------------------------------------------------------------------------------------------------------


def _pg_nodes(node: Mapping[str, Any], depth: int = 0) -> Iterator[tuple[int, Mapping[str, Any]]]:
    yield depth, node
    for child in node.get("Plans", ()):
        yield from _pg_nodes(child, depth + 1)


def _pg_line(node: Mapping[str, Any]) -> str:
    text = node["Node Type"]
    if node.get("Index Name"):
        text += f" using {node['Index Name']}"
    if node.get("Relation Name"):
        text += f" on {node['Relation Name']}"
        if node.get("Alias") and node["Alias"] != node["Relation Name"]:
            text += f" {node['Alias']}"
    return f"{text}  (cost={node['Startup Cost']:.2f}..{node['Total Cost']:.2f} rows={node['Plan Rows']:.0f})"


_PG_DETAILS = ("Index Cond", "Recheck Cond", "Hash Cond", "Merge Cond", "Join Filter", "Filter", "Sort Key")


def pg_report(
    statement: str,
    explained: Sequence[Mapping[str, Any]],
    table_rows: Mapping[str, float],
    large_table_rows: int = LARGE_TABLE_ROWS,
) -> PlanReport:
    """`explained` is the JSON of `EXPLAIN (FORMAT JSON)`; `table_rows` the planner's row estimate per table."""
    root = explained[0]["Plan"]
    lines: list[str] = []
    scans: list[FullScan] = []
    sorts: list[Sort] = []
    indexes: list[str] = []
    joins = subplans = 0
    for depth, node in _pg_nodes(root):
        prefix = "  " * depth + ("-> " if depth else "")
        lines.append(prefix + _pg_line(node))
        for key in _PG_DETAILS:
            if key in node:
                value = node[key]
                shown = ", ".join(value) if isinstance(value, list) else value
                lines.append("  " * depth + ("   " if depth else "") + f"  {key}: {shown}")
        kind = node["Node Type"]
        if kind == "Seq Scan":
            table = node["Relation Name"]
            rows = table_rows.get(table, float(node["Plan Rows"]))
            scans.append(FullScan(table, rows, rows >= large_table_rows))
        elif kind == "Sort":
            sorts.append(Sort(tuple(node.get("Sort Key", ())), float(node["Plan Rows"])))
        elif kind in ("Nested Loop", "Hash Join", "Merge Join"):
            joins += 1
        if node.get("Index Name") and node["Index Name"] not in indexes:
            indexes.append(node["Index Name"])
        if node.get("Parent Relationship") in ("SubPlan", "InitPlan"):
            subplans += 1
    cost = float(root["Total Cost"])
    large = sum(1 for scan in scans if scan.large)
    rating, reasons = _rate(large, len(sorts), joins, subplans, cost, heavy_cost=10_000)
    return PlanReport(
        backend="postgresql",
        statement=statement,
        plan=tuple(lines),
        total_cost=cost,
        cost_unit="PostgreSQL planner cost units",
        estimated_rows=float(root["Plan Rows"]),
        full_scans=tuple(scans),
        sorts_without_index=tuple(sorts),
        indexes_used=tuple(indexes),
        complexity=rating,
        reasons=reasons,
        raw=list(explained),
    )


# -- SQLite -----------------------------------------------------------------------------------------------------------

_SCAN = re.compile(r"^(?P<kind>SCAN|SEARCH) (?:TABLE )?(?P<table>\S+)(?: AS \S+)?(?P<rest>.*)$")
_INDEX = re.compile(r"USING (?:COVERING |AUTOMATIC (?:COVERING |PARTIAL COVERING )?)?INDEX (?P<index>\S+)")
_TERMS = re.compile(r"\((?P<terms>[^)]*)\)\s*$")


@dataclass(frozen=True, slots=True)
class SqliteStats:
    """Rows per table, and per index the average rows sharing a value of each leading-column prefix (sqlite_stat1)."""

    table_rows: Mapping[str, float]
    index_rows: Mapping[str, Sequence[float]]


def _search_rows(index: str | None, terms: str, table_rows: float, stats: SqliteStats) -> float:
    parts = [part.strip() for part in terms.split(" AND ") if part.strip()]
    equal = sum(1 for part in parts if re.fullmatch(r"[\w\"]+=\?|[\w\"]+=\S+", part) and "rowid" not in part)
    ranged = len(parts) - equal
    if index is None:  # rowid or INTEGER PRIMARY KEY
        return 1.0 if ranged == 0 else max(table_rows / 4, 1.0)
    per_prefix = stats.index_rows.get(index, ())
    rows = per_prefix[equal - 1] if 0 < equal <= len(per_prefix) else table_rows / (10**equal if equal else 1)
    if ranged:
        rows /= 4  # SQLite's own guess for a range without stat4 samples
    return max(rows, 1.0)


def sqlite_report(
    statement: str,
    rows: Sequence[tuple[int, int, str]],
    stats: SqliteStats,
    large_table_rows: int = LARGE_TABLE_ROWS,
    aliases: Mapping[str, str] | None = None,
) -> PlanReport:
    """`rows` are EXPLAIN QUERY PLAN's (id, parent, detail); loops nest in the order SQLite lists them. SQLite names
    a table by its alias in the plan: `aliases` maps them back to table names."""
    depth_of: dict[int, int] = {0: -1}
    lines: list[str] = []
    scans: list[FullScan] = []
    sorts: list[Sort] = []
    indexes: list[str] = []
    cost = 0.0
    out_rows = 1.0
    joins = loops = subplans = 0
    for node_id, parent, detail in rows:
        depth = depth_of.get(parent, -1) + 1
        depth_of[node_id] = depth
        lines.append("  " * depth + ("-> " if depth else "") + detail)
        scan = _SCAN.match(detail)
        if scan:
            table = (aliases or {}).get(scan["table"], scan["table"])
            total = float(stats.table_rows.get(table, 1_000_000))
            index_match = _INDEX.search(scan["rest"])
            index = index_match["index"] if index_match else None
            if index and index not in indexes:
                indexes.append(index)
            if scan["kind"] == "SCAN":
                visited = matched = total
                if index is None:
                    scans.append(FullScan(table, total, total >= large_table_rows))
            else:
                terms = _TERMS.search(scan["rest"])
                matched = _search_rows(index, terms["terms"] if terms else "", total, stats)
                visited = math.log2(total + 1) + matched
            loops += 1
            joins += int(loops > 1)
            cost += out_rows * visited
            out_rows *= matched
        elif detail.startswith("USE TEMP B-TREE FOR"):
            sorted_rows = max(out_rows, 1.0)
            cost += sorted_rows * math.log2(sorted_rows + 1)
            sorts.append(Sort((detail.removeprefix("USE TEMP B-TREE FOR ").lower(),), sorted_rows))
        elif "SUBQUERY" in detail or detail.startswith(("CO-ROUTINE", "MATERIALIZE")):
            subplans += 1
    large = sum(1 for scan in scans if scan.large)
    rating, reasons = _rate(large, len(sorts), joins, subplans, cost, heavy_cost=100_000)
    return PlanReport(
        backend="sqlite",
        statement=statement,
        plan=tuple(lines),
        total_cost=round(cost, 2),
        cost_unit="estimated rows visited (SQLite reports no cost)",
        estimated_rows=round(out_rows, 2),
        full_scans=tuple(scans),
        sorts_without_index=tuple(sorts),
        indexes_used=tuple(indexes),
        complexity=rating,
        reasons=reasons,
        raw=[list(row) for row in rows],
    )


def sqlite_stat_line(line: str) -> list[float]:
    """`sqlite_stat1.stat` ("rows avg1 avg2 ...") as numbers; words such as `unordered` are skipped."""
    return [float(part) for part in line.split() if part.replace(".", "", 1).isdigit()]
