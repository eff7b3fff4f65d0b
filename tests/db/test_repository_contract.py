"""The ContentRepository contract, passed by every implementation: SQLite, PostgreSQL and MongoDB.

MongoDB runs on mongomock behind an async shim (tests/db/mongo_fake.py): no MongoDB server can run on these
machines. It checks our repository's logic (documents, cursors, filters, optimistic updates) against mongomock's
query engine, not against a real server (see tests/db/test_mongo.py for what else is checked, and what is not).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from marketing_project.content.models import ContentItem
from marketing_project.content.mongo import MongoContentRepository
from marketing_project.content.repository import ContentRepository, SqlContentRepository
from marketing_project.db.migrate import migrate
from marketing_project.db.sql import Database
from marketing_project.errors import Conflict, InvalidInput, NotFound
from tests.conftest import _truncate, make_settings
from tests.db.mongo_fake import FakeAsyncCollection

T0 = datetime(2024, 3, 1, 12, 0, 0, 123000, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres), "mongodb-substitute"])
async def repository(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[ContentRepository]:
    if request.param == "mongodb-substitute":
        mongo = MongoContentRepository(FakeAsyncCollection())
        await mongo.ensure_indexes()
        yield mongo
        return
    overrides: dict[str, object] = {}
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_database")
        await _truncate(url)
        overrides["postgres_url"] = url
    database = Database(make_settings(tmp_path, **overrides))
    await database.wait_until_ready()
    await migrate(database)
    try:
        yield SqlContentRepository(database)
    finally:
        await database.close()


def item(content_id: str, minutes: int = 0, content_type: str = "blog_post", **extra: object) -> ContentItem:
    at = T0 + timedelta(minutes=minutes)
    return ContentItem(content_id, content_type, f"Title {content_id}", "Body", created_at=at, updated_at=at, **extra)  # type: ignore[arg-type]


async def test_create_then_get_returns_every_field(repository: ContentRepository) -> None:
    stored = item("a", metadata={"score": 85, "tags": ["x"]}, attributes={"author": "Sam"}, snippet="s")
    created = await repository.create(stored)
    fetched = await repository.get("a")
    assert fetched == created
    assert fetched is not None
    assert fetched.metadata == {"score": 85, "tags": ["x"]}
    assert fetched.attributes == {"author": "Sam"}
    assert fetched.created_at == T0
    assert await repository.get("missing") is None


async def test_duplicate_id_is_a_conflict_and_keeps_the_original(repository: ContentRepository) -> None:
    await repository.create(item("dup"))
    with pytest.raises(Conflict):
        await repository.create(item("dup").with_changes(title="Other"))
    fetched = await repository.get("dup")
    assert fetched is not None and fetched.title == "Title dup"


async def test_pages_are_newest_first_and_cover_everything_once(repository: ContentRepository) -> None:
    for i in range(7):
        await repository.create(item(f"p{i}", minutes=i))
    await repository.create(item("tie", minutes=6))  # same time as p6: the id breaks the tie
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = await repository.list(content_type=None, limit=3, cursor=cursor)
        seen += [entry.id for entry in page.items]
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == ["tie", "p6", "p5", "p4", "p3", "p2", "p1", "p0"]
    assert pages == 3


async def test_list_filters_by_type_across_pages(repository: ContentRepository) -> None:
    for i in range(5):
        await repository.create(item(f"b{i}", minutes=i))
        await repository.create(item(f"t{i}", minutes=i, content_type="transcript"))
    first = await repository.list(content_type="transcript", limit=3, cursor=None)
    second = await repository.list(content_type="transcript", limit=3, cursor=first.next_cursor)
    assert [entry.id for entry in first.items + list(second.items)] == ["t4", "t3", "t2", "t1", "t0"]
    assert second.next_cursor is None


async def test_a_tampered_cursor_is_invalid_input(repository: ContentRepository) -> None:
    with pytest.raises(InvalidInput):
        await repository.list(content_type=None, limit=3, cursor="not-a-cursor!")


async def test_update_applies_the_change_and_missing_is_not_found(repository: ContentRepository) -> None:
    await repository.create(item("u"))
    updated = await repository.update("u", lambda old: old.with_changes(title="New"))
    assert updated.title == "New"
    fetched = await repository.get("u")
    assert fetched is not None and fetched.title == "New"
    with pytest.raises(NotFound):
        await repository.update("nope", lambda old: old)


async def test_concurrent_updates_lose_nothing(repository: ContentRepository) -> None:
    await repository.create(item("counter", metadata={"n": 0}))

    def bump(old: ContentItem) -> ContentItem:
        return old.with_changes(metadata={"n": old.metadata["n"] + 1})

    await asyncio.gather(*(repository.update("counter", bump) for _ in range(10)))
    fetched = await repository.get("counter")
    assert fetched is not None and fetched.metadata == {"n": 10}


async def test_delete_reports_whether_something_was_deleted(repository: ContentRepository) -> None:
    await repository.create(item("d"))
    assert await repository.delete("d") is True
    assert await repository.get("d") is None
    assert await repository.delete("d") is False
