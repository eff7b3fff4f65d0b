"""MongoDB without a server: what can be checked honestly here.

Checked: the real PyMongo async client against an unreachable address (503s, failed health checks, start-up
refusing with a clear message), the choice of store by URL scheme, the pool and command listeners on PyMongo's own
event types, and the explain summary on an explain document in the server's format. The repository contract runs on
mongomock in test_repository_contract.py. Not checked (no server): the wire protocol, real pool behaviour under
load, index use by the real planner, `$indexStats` output, and millisecond date truncation by the server.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from pymongo import monitoring

from marketing_project.content.mongo import MongoContentRepository, open_mongo_repository
from marketing_project.db.mongo import CommandTimer, PoolWatch, open_mongo, summarize_explain
from marketing_project.db.pools import MongoProbe, PoolRegistry
from marketing_project.db.statements import QueryLog
from marketing_project.errors import ServiceUnavailable, SettingsError
from tests.conftest import make_settings, running_app
from tests.support import ADMIN

DEAD = "mongodb://127.0.0.1:1/mp_test"


async def test_an_unreachable_server_is_503_and_an_unhealthy_pool() -> None:
    mongo = open_mongo(DEAD, max_pool_size=3, timeout=0.3)
    try:
        repository = MongoContentRepository(mongo.database["content"])
        with pytest.raises(ServiceUnavailable, match="MongoDB is unreachable"):
            await repository.get("anything")
        registry = PoolRegistry(interval=0, timeout=2.0)
        registry.register(MongoProbe(mongo))
        health = (await registry.check_all())["mongodb"]
        assert health.ok is False
        assert health.error
        (snapshot,) = registry.snapshot()
        assert snapshot.counts.max_size == 3
        assert snapshot.to_dict()["last_health_check"]["ok"] is False
    finally:
        await mongo.close()


async def test_start_up_with_an_unreachable_mongodb_fails_clearly(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, mongodb_url=DEAD, database_pool_timeout=0.3)
    with pytest.raises(ConnectionError, match="Cannot reach MongoDB"):
        async with running_app(settings):
            pass


async def test_open_repository_reports_the_database_name() -> None:
    mongo = open_mongo(DEAD, max_pool_size=1, timeout=0.3)
    try:
        with pytest.raises(ConnectionError, match="mp_test"):
            await open_mongo_repository(mongo)
    finally:
        await mongo.close()


def test_the_store_is_chosen_by_url_scheme(tmp_path: Path) -> None:
    by_database_url = make_settings(tmp_path, database_url="mongodb://db:27017/app")
    assert by_database_url.mongodb_content_url == "mongodb://db:27017/app"
    assert by_database_url.effective_database_url.startswith("sqlite:///")
    by_mongodb_url = make_settings(tmp_path, mongodb_url="mongodb+srv://cluster/app")
    assert by_mongodb_url.mongodb_content_url == "mongodb+srv://cluster/app"
    postgres_wins = make_settings(tmp_path, postgres_url="postgresql://h/db", mongodb_url="mongodb://db/app")
    assert postgres_wins.mongodb_content_url is None
    assert make_settings(tmp_path).mongodb_content_url is None


def test_an_invalid_mongodb_url_is_a_settings_error() -> None:
    with pytest.raises(SettingsError, match="MONGODB_URL"):
        open_mongo("mongodb://", max_pool_size=1)


def test_pool_watch_counts_waits_timeouts_and_errors() -> None:
    watch = PoolWatch(max_size=1)
    event = SimpleNamespace(reason=None)
    watch.connection_created(event)
    watch.connection_check_out_started(event)
    watch.connection_checked_out(event)
    watch.connection_check_out_started(event)  # the only connection is busy: this one waits
    watch.connection_check_out_failed(SimpleNamespace(reason=monitoring.ConnectionCheckOutFailedReason.TIMEOUT))
    watch.connection_checked_in(event)
    watch.connection_closed(SimpleNamespace(reason=monitoring.ConnectionClosedReason.ERROR))
    assert (watch.waits, watch.timeouts, watch.errors, watch.in_use, watch.open) == (1, 1, 1, 0, 0)


def test_commands_are_timed_without_their_values() -> None:
    log = QueryLog("mongodb")
    timer = CommandTimer(log)
    for request_id, content_type in enumerate(("blog_post", "transcript")):
        command = {"find": "content", "filter": {"type": content_type, "created_at": {"$lt": "2024"}}}
        timer.started(SimpleNamespace(command_name="find", command=command, request_id=request_id, connection_id=1))
        timer.succeeded(SimpleNamespace(request_id=request_id, connection_id=1, duration_micros=1500))
    (stats,) = log.statements()
    assert stats.calls == 2
    assert "blog_post" not in stats.statement and "2024" not in stats.statement
    assert stats.statement.startswith("content.find")


EXPLAIN_COLLSCAN = {
    "queryPlanner": {
        "winningPlan": {
            "stage": "SORT",
            "sortPattern": {"updated_at": -1},
            "inputStage": {"stage": "COLLSCAN", "filter": {"title": {"$eq": "x"}}, "direction": "forward"},
        }
    },
    "executionStats": {"nReturned": 3, "executionTimeMillis": 41, "totalKeysExamined": 0, "totalDocsExamined": 50000},
}
EXPLAIN_IXSCAN = {
    "queryPlanner": {
        "winningPlan": {
            "stage": "LIMIT",
            "inputStage": {
                "stage": "FETCH",
                "inputStage": {"stage": "IXSCAN", "indexName": "ix_content_type_created", "keyPattern": {"type": 1}},
            },
        }
    },
    "executionStats": {"nReturned": 20, "executionTimeMillis": 0, "totalKeysExamined": 20, "totalDocsExamined": 20},
}


def test_explain_summary_flags_collection_scans_and_in_memory_sorts() -> None:
    scan = summarize_explain("content", EXPLAIN_COLLSCAN, collection_docs=50000)
    assert scan.collection_scan and scan.in_memory_sort
    assert scan.docs_examined == 50000 and scan.returned == 3
    assert scan.complexity == "high"
    indexed = summarize_explain("content", EXPLAIN_IXSCAN, collection_docs=50000)
    assert not indexed.collection_scan and not indexed.in_memory_sort
    assert indexed.index_names == ("ix_content_type_created",)
    assert indexed.complexity == "low"


async def test_a_mongodb_explain_without_mongodb_is_422(tmp_path: Path) -> None:
    async with running_app(make_settings(tmp_path)) as client:
        response = await client.post("/api/v1/performance/queries/explain", json={"filter": {}}, headers=ADMIN)
    assert response.status_code == 422
    assert "MONGODB_URL" in response.json()["error"]["message"]
