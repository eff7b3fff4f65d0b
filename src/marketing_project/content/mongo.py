"""The content repository on MongoDB: the same protocol, ordering and cursors as the SQL one.

One document per item, `_id` = the item's id. Newest first by (created_at, _id), served by the index
(created_at desc, _id desc) and, with a type filter, (type, created_at desc, _id desc). MongoDB keeps time to the
millisecond, so items are stored (and returned) at millisecond precision. Updates are optimistic: the change is
written only if the document is still at the revision it was read at, else re-read and re-applied, so concurrent
updates never lose each other's changes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.errors import ConnectionFailure, DuplicateKeyError

from marketing_project.content.models import ContentItem, utc
from marketing_project.content.repository import Page, decode_cursor, encode_cursor
from marketing_project.db.mongo import Mongo
from marketing_project.errors import Conflict, NotFound, ServiceUnavailable

COLLECTION = "content"
INDEXES = (
    ("ix_content_created", [("created_at", DESCENDING), ("_id", DESCENDING)]),
    ("ix_content_type_created", [("type", ASCENDING), ("created_at", DESCENDING), ("_id", DESCENDING)]),
)
_NEWEST_FIRST = [("created_at", DESCENDING), ("_id", DESCENDING)]
_MAX_UPDATE_ATTEMPTS = 20


def _millis(value: datetime) -> datetime:
    value = utc(value)
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def _document(item: ContentItem, revision: int) -> dict[str, Any]:
    return {
        "_id": item.id,
        "type": item.type,
        "title": item.title,
        "content": item.content,
        "snippet": item.snippet,
        "source_url": item.source_url,
        "metadata": item.metadata,
        "attributes": item.attributes,
        "analysis": item.analysis,
        "created_at": _millis(item.created_at),
        "updated_at": _millis(item.updated_at),
        "_rev": revision,
    }


def _item(document: dict[str, Any]) -> ContentItem:
    return ContentItem(
        id=document["_id"],
        type=document["type"],
        title=document["title"],
        content=document["content"],
        snippet=document.get("snippet"),
        source_url=document.get("source_url"),
        metadata=document.get("metadata") or {},
        attributes=document.get("attributes") or {},
        analysis=document.get("analysis"),
        created_at=utc(document["created_at"]),
        updated_at=utc(document["updated_at"]),
    )


def _unavailable(exc: Exception) -> ServiceUnavailable:
    return ServiceUnavailable(
        f"MongoDB is unreachable or busy ({type(exc).__name__}). Retry shortly.", headers={"Retry-After": "2"}
    )


class MongoContentRepository:
    """`collection` is a PyMongo `AsyncCollection` (or anything with the same async methods)."""

    def __init__(self, collection: Any) -> None:
        self.collection = collection

    async def ensure_indexes(self) -> None:
        try:
            for name, keys in INDEXES:
                await self.collection.create_index(keys, name=name)
        except ConnectionFailure as exc:
            raise _unavailable(exc) from exc

    async def create(self, item: ContentItem) -> ContentItem:
        document = _document(item, 1)
        try:
            await self.collection.insert_one(document)
        except DuplicateKeyError:
            raise Conflict(
                f"content with id {item.id!r} already exists: use PUT /api/v1/content/{item.id} to replace it "
                "or omit id to get a new one"
            ) from None
        except ConnectionFailure as exc:
            raise _unavailable(exc) from exc
        return _item(document)

    async def get(self, content_id: str) -> ContentItem | None:
        try:
            document = await self.collection.find_one({"_id": content_id})
        except ConnectionFailure as exc:
            raise _unavailable(exc) from exc
        return None if document is None else _item(document)

    async def list(self, *, content_type: str | None, limit: int, cursor: str | None) -> Page:
        query: dict[str, Any] = {}
        if content_type is not None:
            query["type"] = content_type
        if cursor is not None:
            created_at, content_id = decode_cursor(cursor)
            created_at = _millis(created_at)
            query["$or"] = [
                {"created_at": {"$lt": created_at}},
                {"created_at": created_at, "_id": {"$lt": content_id}},
            ]
        try:
            documents = await self.collection.find(query).sort(_NEWEST_FIRST).limit(limit + 1).to_list(limit + 1)
        except ConnectionFailure as exc:
            raise _unavailable(exc) from exc
        items = [_item(document) for document in documents[:limit]]
        return Page(items, encode_cursor(items[-1]) if len(documents) > limit else None)

    async def update(self, content_id: str, change: Callable[[ContentItem], ContentItem]) -> ContentItem:
        try:
            for _ in range(_MAX_UPDATE_ATTEMPTS):
                document = await self.collection.find_one({"_id": content_id})
                if document is None:
                    raise NotFound(f"content {content_id!r} does not exist")
                revision = int(document.get("_rev", 0))
                updated = change(_item(document))
                replacement = _document(updated, revision + 1)
                replacement["_id"] = content_id
                result = await self.collection.replace_one({"_id": content_id, "_rev": revision}, replacement)
                if result.matched_count:
                    return _item(replacement)
        except ConnectionFailure as exc:
            raise _unavailable(exc) from exc
        raise Conflict(f"content {content_id!r} is being changed by others right now: retry the update")

    async def delete(self, content_id: str) -> bool:
        try:
            result = await self.collection.delete_one({"_id": content_id})
        except ConnectionFailure as exc:
            raise _unavailable(exc) from exc
        return bool(result.deleted_count)


async def open_mongo_repository(mongo: Mongo) -> MongoContentRepository:
    """The repository on `mongo`'s content collection, its indexes in place; ConnectionError when unreachable."""
    repository = MongoContentRepository(mongo.database[COLLECTION])
    try:
        await repository.ensure_indexes()
    except ServiceUnavailable as exc:
        raise ConnectionError(f"Cannot reach MongoDB ({mongo.database_name}): {exc.__cause__ or exc}") from exc
    return repository
