"""Database operations: pool statistics, the slow-query log, EXPLAIN and index advice (/api/v1/performance/...)."""

from __future__ import annotations

import time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.responses import Response

from marketing_project.api.deps import Admin, ServicesDep, Viewer
from marketing_project.api.responses import FastJSONResponse
from marketing_project.content.mongo import COLLECTION
from marketing_project.db.advisor import advise, merge
from marketing_project.db.explain import explain
from marketing_project.db.mongo import Mongo, explain_find, index_usage
from marketing_project.db.pools import PoolRegistry
from marketing_project.db.sqltext import check_read_only
from marketing_project.db.statements import OTHER, QueryLog
from marketing_project.errors import AppError, InvalidInput

router = APIRouter(prefix="/api/v1/performance", tags=["performance"])

_KEYED: dict[int | str, dict[str, Any]] = {401: {"description": "Missing or invalid API key"}}
_ADMIN: dict[int | str, dict[str, Any]] = {
    **_KEYED,
    403: {"description": "Needs the admin role"},
    422: {"description": "Not a single read-only SELECT, or the database rejected it (its message is given)"},
    503: {"description": "The database could not answer"},
}
_MAX_SQL = 20_000
Order = Literal["total", "mean", "p95", "calls", "max"]


class ExplainIn(BaseModel):
    """Either `sql` (one read-only SELECT) or, when MongoDB holds the content, a find on it (`filter`, `sort`)."""

    model_config = ConfigDict(extra="forbid")  # a misspelt field must not be silently ignored

    sql: str | None = Field(None, max_length=_MAX_SQL, description="One SELECT or WITH ... SELECT statement")
    filter: dict[str, Any] | None = Field(None, description="MongoDB: a find filter on the content collection")
    sort: dict[str, Literal[1, -1]] | None = Field(None, description="MongoDB: sort keys, 1 or -1")
    limit: int | None = Field(None, ge=1, le=10_000, description="MongoDB: limit of the find")
    suggest_indexes: bool = Field(False, description="SQL: also run the index advisor on the statement")

    @model_validator(mode="after")
    def _one_kind(self) -> ExplainIn:
        if (self.sql is None) == (self.filter is None):
            raise ValueError("send either `sql` (SQL) or `filter` (MongoDB), not both and not neither")
        return self


class AdviseIn(BaseModel):
    # a misspelt field (say `sql` for `statements`) would otherwise advise on the query log instead, silently
    model_config = ConfigDict(extra="forbid")

    statements: list[Annotated[str, Field(max_length=_MAX_SQL)]] | None = Field(
        None, max_length=50, description="Statements to advise on; default: the query log's costliest SELECTs"
    )
    limit: int = Field(10, ge=1, le=50, description="How many of the query log's statements (by total time)")


def _pools(request: Request) -> PoolRegistry:
    registry: PoolRegistry = request.app.state.pools
    return registry


def _mongo(request: Request) -> Mongo | None:
    mongo: Mongo | None = getattr(request.app.state, "mongo", None)
    return mongo


def _log(log: QueryLog, order_by: Order, limit: int) -> dict[str, Any]:
    return {
        "backend": log.backend,
        "since": log.started_at,
        "slow_threshold_ms": round(log.slow_threshold * 1000, 3),
        "statements": [row.to_dict() for row in log.statements(order_by, limit)],
        "slowest": [row.to_dict() for row in log.slowest()],
    }


@router.get("/database", summary="Connection pools: size, in use, idle, overflow, waits, timeouts, errors, health")
async def database_pools(
    request: Request,
    _: Viewer,
    check: Annotated[bool, Query(description="Run a health check of every pool now")] = False,
) -> Response:
    registry = _pools(request)
    if check:
        await registry.check_all()
    return FastJSONResponse(
        {
            "pools": [pool.to_dict() for pool in registry.snapshot()],
            "health_check_interval_s": registry.interval,
            "at": time.time(),
        }
    )


@router.get("/queries", summary="The slow-query log: normalized statements with calls, total, mean, p95, max")
async def queries(
    request: Request,
    services: ServicesDep,
    _: Viewer,
    order_by: Annotated[Order, Query(description="Sort statements by this")] = "total",
    limit: Annotated[int, Query(ge=1, le=500, description="How many statements")] = 50,
) -> Response:
    body = _log(services.database.queries, order_by, limit)
    mongo = _mongo(request)
    if mongo is not None:
        body["mongodb"] = _log(mongo.queries, order_by, limit)
        try:
            body["mongodb"]["indexes"] = await index_usage(mongo, COLLECTION)
        except AppError as exc:
            body["mongodb"]["indexes_error"] = exc.message
    return FastJSONResponse(body)


@router.post("/queries/explain", summary="EXPLAIN one read-only statement (admin)", responses=_ADMIN)
async def explain_query(
    request: Request, body: Annotated[ExplainIn, Body()], services: ServicesDep, _: Admin
) -> Response:
    """The database's own plan, made readable: estimated cost, full scans of large tables, sorts without an index,
    a complexity rating; with `suggest_indexes`, the advisor's measured index suggestion. Nothing is executed."""
    settings = services.settings
    if body.filter is not None:
        mongo = _mongo(request)
        if mongo is None:
            raise InvalidInput("MongoDB does not hold the content here (MONGODB_URL): send `sql` instead of `filter`")
        plan = await explain_find(
            mongo, COLLECTION, body.filter, body.sort, body.limit, settings.explain_statement_timeout
        )
        return FastJSONResponse(plan.to_dict())
    assert body.sql is not None
    report = await explain(services.database, body.sql, seconds=settings.explain_statement_timeout)
    result = report.to_dict()
    if body.suggest_indexes:
        (advice,) = await advise(services.database, [body.sql], seconds=settings.explain_statement_timeout)
        result["advice"] = advice.to_dict()
    return FastJSONResponse(result)


@router.post("/queries/advise", summary="Index suggestions measured by the planner (admin)", responses=_ADMIN)
async def advise_queries(body: Annotated[AdviseIn, Body()], services: ServicesDep, _: Admin) -> Response:
    """Without `statements`, advises on the query log's costliest SELECT statements (by total time)."""
    database = services.database
    statements = body.statements
    if statements is None:
        statements = []
        for row in database.queries.statements("total"):
            if len(statements) >= body.limit:
                break
            if row.statement == OTHER:
                continue
            try:
                check_read_only(row.statement, database.dialect)
            except InvalidInput:
                continue
            statements.append(row.statement)
    advice = await advise(database, statements, seconds=services.settings.explain_statement_timeout)
    return FastJSONResponse(
        {"suggestions": [s.to_dict() for s in merge(advice)], "statements": [a.to_dict() for a in advice]}
    )
