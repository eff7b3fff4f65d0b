"""The content repository: a small protocol, and its SQL implementation (SQLite and PostgreSQL)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import orjson
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from marketing_project.content.models import ContentItem, content_table, utc
from marketing_project.db.sql import Database
from marketing_project.errors import Conflict, InvalidInput, NotFound

_t = content_table


@dataclass(frozen=True, slots=True)
class Page:
    items: Sequence[ContentItem]
    next_cursor: str | None


class ContentRepository(Protocol):
    async def create(self, item: ContentItem) -> ContentItem: ...
    async def get(self, content_id: str) -> ContentItem | None: ...
    async def list(self, *, content_type: str | None, limit: int, cursor: str | None) -> Page: ...
    async def update(self, content_id: str, change: Callable[[ContentItem], ContentItem]) -> ContentItem: ...
    async def delete(self, content_id: str) -> bool: ...


def encode_cursor(item: ContentItem) -> str:
    raw = orjson.dumps([item.created_at.isoformat(), item.id])
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created_at, content_id = orjson.loads(raw)
        if not isinstance(content_id, str):
            raise TypeError(content_id)
        return utc(datetime.fromisoformat(created_at)), content_id
    except (binascii.Error, ValueError, TypeError, orjson.JSONDecodeError):
        raise InvalidInput(
            "cursor is not valid: pass the next_cursor value of a previous page unchanged",
            details=[{"field": "cursor", "message": "invalid cursor"}],
        ) from None


def _row_to_item(row: sa.Row[Any]) -> ContentItem:
    m = row._mapping
    return ContentItem(
        id=m["id"],
        type=m["type"],
        title=m["title"],
        content=m["content"],
        snippet=m["snippet"],
        source_url=m["source_url"],
        metadata=m["metadata"],
        attributes=m["attributes"],
        analysis=m["analysis"],
        created_at=utc(m["created_at"]),
        updated_at=utc(m["updated_at"]),
    )


def _values(item: ContentItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "type": item.type,
        "title": item.title,
        "content": item.content,
        "snippet": item.snippet,
        "source_url": item.source_url,
        "metadata": item.metadata,
        "attributes": item.attributes,
        "analysis": item.analysis,
        "created_at": utc(item.created_at),
        "updated_at": utc(item.updated_at),
    }


class SqlContentRepository:
    def __init__(self, database: Database) -> None:
        self.db = database
        self._get = sa.select(_t).where(_t.c.id == sa.bindparam("id"))

    async def create(self, item: ContentItem) -> ContentItem:
        try:
            async with self.db.transaction() as conn:
                await conn.execute(_t.insert().values(_values(item)))
        except IntegrityError:
            raise Conflict(
                f"content with id {item.id!r} already exists: use PUT /api/v1/content/{item.id} to replace it "
                "or omit id to get a new one"
            ) from None
        return item

    async def get(self, content_id: str) -> ContentItem | None:
        async with self.db.connect() as conn:
            row = (await conn.execute(self._get, {"id": content_id})).first()
        return None if row is None else _row_to_item(row)

    async def list(self, *, content_type: str | None, limit: int, cursor: str | None) -> Page:
        query = sa.select(_t).order_by(_t.c.created_at.desc(), _t.c.id.desc()).limit(limit + 1)
        if content_type is not None:
            query = query.where(_t.c.type == content_type)
        if cursor is not None:
            created_at, content_id = decode_cursor(cursor)
            query = query.where(sa.tuple_(_t.c.created_at, _t.c.id) < sa.tuple_(created_at, content_id))
        async with self.db.connect() as conn:
            rows = (await conn.execute(query)).all()
        items = [_row_to_item(row) for row in rows[:limit]]
        next_cursor = encode_cursor(items[-1]) if len(rows) > limit else None
        return Page(items, next_cursor)

    async def update(self, content_id: str, change: Callable[[ContentItem], ContentItem]) -> ContentItem:
        query = self._get.with_for_update() if self.db.dialect == "postgresql" else self._get
        async with self.db.transaction() as conn:
            if self.db.dialect == "sqlite":
                # take SQLite's write lock before reading, so concurrent updates cannot lose each other's changes
                await conn.execute(_t.update().where(_t.c.id == content_id).values(updated_at=_t.c.updated_at))
            row = (await conn.execute(query, {"id": content_id})).first()
            if row is None:
                raise NotFound(f"content {content_id!r} does not exist")
            updated = change(_row_to_item(row))
            values = _values(updated)
            del values["id"]
            await conn.execute(_t.update().where(_t.c.id == content_id).values(values))
        return updated

    async def delete(self, content_id: str) -> bool:
        async with self.db.transaction() as conn:
            result = await conn.execute(_t.delete().where(_t.c.id == content_id))
        return bool(result.rowcount)
