"""MongoDB: PyMongo's async client and its pool (watched through PyMongo's CMAP events), command timings into the
query log, `explain("executionStats")` summaries and index usage from `$indexStats`."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from pymongo import AsyncMongoClient, monitoring
from pymongo.errors import ConnectionFailure, OperationFailure, PyMongoError
from pymongo.uri_parser import parse_uri

from marketing_project.db.plans import LARGE_TABLE_ROWS
from marketing_project.db.statements import QueryLog
from marketing_project.errors import InvalidInput, ServiceUnavailable, SettingsError
from marketing_project.settings import Settings

DEFAULT_DATABASE = "marketing_project"
_TIMED_COMMANDS = frozenset({"find", "insert", "update", "delete", "aggregate", "findAndModify", "count"})


class PoolWatch(monitoring.ConnectionPoolListener):
    """Counts from PyMongo's connection-pool events (summed over servers; we use one)."""

    def __init__(self, max_size: int) -> None:
        self.max_size = max_size
        self.open = 0
        self.in_use = 0
        self.waits = 0
        self.timeouts = 0
        self.errors = 0
        self.cleared = 0

    def pool_created(self, event: Any) -> None: ...
    def pool_ready(self, event: Any) -> None: ...
    def pool_closed(self, event: Any) -> None: ...
    def connection_ready(self, event: Any) -> None: ...

    def pool_cleared(self, event: Any) -> None:
        self.cleared += 1

    def connection_created(self, event: Any) -> None:
        self.open += 1

    def connection_closed(self, event: Any) -> None:
        self.open = max(self.open - 1, 0)
        if event.reason == monitoring.ConnectionClosedReason.ERROR:
            self.errors += 1

    def connection_check_out_started(self, event: Any) -> None:
        if self.in_use >= self.max_size:
            self.waits += 1

    def connection_check_out_failed(self, event: Any) -> None:
        if event.reason == monitoring.ConnectionCheckOutFailedReason.TIMEOUT:
            self.timeouts += 1
        elif event.reason == monitoring.ConnectionCheckOutFailedReason.CONN_ERROR:
            self.errors += 1

    def connection_checked_out(self, event: Any) -> None:
        self.in_use += 1

    def connection_checked_in(self, event: Any) -> None:
        self.in_use = max(self.in_use - 1, 0)


def _shape(value: Any) -> Any:
    """A filter with its values replaced, so `{"type": "blog_post"}` and `{"type": "transcript"}` count as one."""
    if isinstance(value, Mapping):
        return {
            key: _shape(inner) if key.startswith("$") or isinstance(inner, Mapping) else "?"
            for key, inner in value.items()
        }
    if isinstance(value, list):
        return [_shape(inner) for inner in value[:1]]
    return "?"


class CommandTimer(monitoring.CommandListener):
    """Feeds MongoDB command durations into the same query log as SQL, as `collection.command {filter shape}`."""

    def __init__(self, log: QueryLog) -> None:
        self.log = log
        self._started: dict[tuple[int, str], str] = {}

    def started(self, event: Any) -> None:
        if event.command_name not in _TIMED_COMMANDS:
            return
        command = event.command
        collection = command.get(event.command_name)
        filtered = command.get("filter") or command.get("query") or command.get("q")
        text = f"{collection}.{event.command_name} {_shape(filtered or {})}"
        if len(self._started) > 10_000:  # replies that never came (killed connections) must not pile up
            self._started.clear()
        self._started[(event.request_id, str(event.connection_id))] = text

    def succeeded(self, event: Any) -> None:
        text = self._started.pop((event.request_id, str(event.connection_id)), None)
        if text is not None:
            self.log.record(text, event.duration_micros / 1e6, normalized=True)

    def failed(self, event: Any) -> None:
        text = self._started.pop((event.request_id, str(event.connection_id)), None)
        if text is not None:
            self.log.record(text, event.duration_micros / 1e6, failed=True, normalized=True)


@dataclass
class Mongo:
    """The client, its database, and what watches it."""

    client: AsyncMongoClient[dict[str, Any]]
    database_name: str
    pool: PoolWatch
    queries: QueryLog

    @property
    def database(self) -> Any:
        return self.client[self.database_name]

    async def ping(self) -> float:
        started = time.perf_counter()
        await self.client.admin.command("ping")
        return time.perf_counter() - started

    async def close(self) -> None:
        await self.client.close()


def open_mongo(
    url: str,
    *,
    max_pool_size: int,
    min_pool_size: int = 0,
    timeout: float = 10.0,
    slow_threshold: float = 0.2,
    max_statements: int = 500,
) -> Mongo:
    """The async client for `url` (database from the URL path, else `marketing_project`); connects lazily."""
    try:
        database = parse_uri(url, connect_timeout=timeout).get("database") or DEFAULT_DATABASE
    except (PyMongoError, ValueError) as exc:
        raise SettingsError(f"MONGODB_URL/DATABASE_URL is not a valid MongoDB URL: {exc}") from None
    pool = PoolWatch(max_pool_size)
    queries = QueryLog("mongodb", slow_threshold=slow_threshold, max_statements=max_statements)
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        url,
        maxPoolSize=max_pool_size,
        minPoolSize=min(min_pool_size, max_pool_size),
        waitQueueTimeoutMS=int(timeout * 1000),
        serverSelectionTimeoutMS=int(min(timeout, 10.0) * 1000),
        connectTimeoutMS=int(min(timeout, 10.0) * 1000),
        tz_aware=True,
        appname="marketing-project",
        event_listeners=[pool, CommandTimer(queries)],
    )
    return Mongo(client, database, pool, queries)


@dataclass(frozen=True, slots=True)
class MongoPlan:
    """What `explain("executionStats")` says about one find: the winning plan's stages, and the work done."""

    collection: str
    stages: tuple[str, ...]
    index_names: tuple[str, ...]
    collection_scan: bool
    in_memory_sort: bool
    docs_examined: int
    keys_examined: int
    returned: int
    execution_ms: int
    complexity: str
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"backend": "mongodb", **asdict(self)}


def _stages(plan: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    found = [plan]
    for key in ("inputStage", "queryPlan"):
        if isinstance(plan.get(key), Mapping):
            found += _stages(plan[key])
    for inner in plan.get("inputStages", ()):
        found += _stages(inner)
    return found


def summarize_explain(collection: str, explained: Mapping[str, Any], collection_docs: int = 0) -> MongoPlan:
    """Summary of an explain document (classic or slot-based engine)."""
    winning = explained["queryPlanner"]["winningPlan"]
    stages = _stages(winning)
    names = tuple(str(stage.get("stage")) for stage in stages)
    stats = explained.get("executionStats", {})
    examined = int(stats.get("totalDocsExamined", 0))
    returned = int(stats.get("nReturned", 0))
    scan = "COLLSCAN" in names
    sort = "SORT" in names
    reasons = []
    if scan:
        reasons.append(f"collection scan over {max(collection_docs, examined):,} documents")
    if sort:
        reasons.append("sort in memory (no index gives the order)")
    if returned and examined > 10 * returned:
        reasons.append(f"{examined:,} documents examined for {returned:,} returned")
    large = scan and max(collection_docs, examined) >= LARGE_TABLE_ROWS
    score = 2 * int(large) + int(sort) + int(bool(returned) and examined > 10 * returned)
    rating = "low" if score <= 1 else "medium" if score <= 3 else "high"
    indexes = tuple(dict.fromkeys(str(s["indexName"]) for s in stages if s.get("indexName")))
    return MongoPlan(
        collection=collection,
        stages=names,
        index_names=indexes,
        collection_scan=scan,
        in_memory_sort=sort,
        docs_examined=examined,
        keys_examined=int(stats.get("totalKeysExamined", 0)),
        returned=returned,
        execution_ms=int(stats.get("executionTimeMillis", 0)),
        complexity=rating,
        reasons=tuple(reasons) or ("index lookups only",),
    )


async def explain_find(
    mongo: Mongo,
    collection: str,
    query: Mapping[str, Any],
    sort: Mapping[str, int] | None,
    limit: int | None,
    seconds: float,
) -> MongoPlan:
    command: dict[str, Any] = {"find": collection, "filter": dict(query)}
    if sort:
        command["sort"] = dict(sort)
    if limit:
        command["limit"] = limit
    try:
        explained = await mongo.database.command(
            "explain", command, verbosity="executionStats", maxTimeMS=int(seconds * 1000)
        )
        documents = await mongo.database[collection].estimated_document_count()
    except OperationFailure as exc:
        raise InvalidInput(f"MongoDB rejected the query: {exc.details.get('errmsg') if exc.details else exc}") from None
    except ConnectionFailure as exc:
        raise ServiceUnavailable(f"MongoDB could not answer: {exc}", headers={"Retry-After": "1"}) from exc
    return summarize_explain(collection, explained, int(documents))


async def index_usage(mongo: Mongo, collection: str) -> list[dict[str, Any]]:
    """`$indexStats`: per index its key, how often it was used and since when (per server, summed)."""
    try:
        cursor = await mongo.database[collection].aggregate([{"$indexStats": {}}])
        rows = await cursor.to_list()
    except ConnectionFailure as exc:
        raise ServiceUnavailable(f"MongoDB could not answer: {exc}", headers={"Retry-After": "1"}) from exc
    usage: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = usage.setdefault(row["name"], {"name": row["name"], "key": dict(row.get("key", {})), "ops": 0})
        entry["ops"] += int(row.get("accesses", {}).get("ops", 0))
        since = row.get("accesses", {}).get("since")
        entry["since"] = since.isoformat() if hasattr(since, "isoformat") else since
    return sorted(usage.values(), key=lambda entry: entry["ops"], reverse=True)


def mongo_from_settings(settings: Settings) -> Mongo | None:
    """The MongoDB client when MongoDB holds the content (see `Settings.mongodb_content_url`), else None."""
    url = settings.mongodb_content_url
    if url is None:
        return None
    return open_mongo(
        url,
        max_pool_size=settings.mongodb_max_pool_size,
        min_pool_size=settings.database_pool_min_connections,
        timeout=settings.database_pool_timeout,
        slow_threshold=settings.slow_query_threshold,
        max_statements=settings.query_log_max_statements,
    )
