"""A content repository with a read-through cache in front: reads served from the cache, every write invalidates.

All content keys share one namespace, so a write (which can change any list page) invalidates them together in one
operation, on every replica when the cache is shared through Redis.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

from marketing_project.cache import Cache, make_key
from marketing_project.content.models import ContentItem
from marketing_project.content.repository import ContentRepository, Page
from marketing_project.errors import AppError

T = TypeVar("T")

NAMESPACE = "content"
_FIELDS = ("id", "type", "title", "content", "snippet", "source_url", "metadata", "attributes", "analysis")


def _dump(item: ContentItem) -> dict[str, Any]:
    data = {name: getattr(item, name) for name in _FIELDS}
    data["created_at"] = item.created_at.isoformat()
    data["updated_at"] = item.updated_at.isoformat()
    return data


def _load(data: dict[str, Any]) -> ContentItem:
    return ContentItem(
        **{name: data[name] for name in _FIELDS},
        created_at=datetime.fromisoformat(data["created_at"]),
        updated_at=datetime.fromisoformat(data["updated_at"]),
    )


class CachedContentRepository:
    def __init__(self, inner: ContentRepository, cache: Cache) -> None:
        self.inner = inner
        self.cache = cache

    async def create(self, item: ContentItem) -> ContentItem:
        return await self._write(self.inner.create(item))

    async def _write(self, operation: Awaitable[T]) -> T:
        try:
            result = await operation
        except AppError:
            # a refused write (conflict, not found, invalid) changed nothing: the cache stays valid
            raise
        except BaseException:
            # an unexpected failure may come after the commit: assume the data changed
            await self.cache.invalidate(NAMESPACE)
            raise
        await self.cache.invalidate(NAMESPACE)
        return result

    async def get(self, content_id: str) -> ContentItem | None:
        async def load() -> dict[str, Any] | None:
            item = await self.inner.get(content_id)
            return None if item is None else _dump(item)

        data = await self.cache.get_or_set(f"{NAMESPACE}:item:{content_id}", load)
        return None if data is None else _load(data)

    async def list(self, *, content_type: str | None, limit: int, cursor: str | None) -> Page:
        async def load() -> dict[str, Any]:
            page = await self.inner.list(content_type=content_type, limit=limit, cursor=cursor)
            return {"items": [_dump(item) for item in page.items], "next_cursor": page.next_cursor}

        key = make_key(NAMESPACE, "list", content_type, limit, cursor)
        data = await self.cache.get_or_set(key, load)
        return Page([_load(item) for item in data["items"]], data["next_cursor"])

    async def update(self, content_id: str, change: Callable[[ContentItem], ContentItem]) -> ContentItem:
        return await self._write(self.inner.update(content_id, change))

    async def delete(self, content_id: str) -> bool:
        return await self._write(self.inner.delete(content_id))
