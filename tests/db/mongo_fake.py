"""An in-memory stand-in for PyMongo's AsyncCollection: mongomock's query engine behind the async method shapes the
repository uses. Every call yields to the event loop first, as a network round trip would, so concurrent tasks
interleave between a read and the write that follows it.

What it does not verify: the wire protocol, PyMongo's pool and server selection, the real server's query planner,
index use, millisecond date truncation and write concerns (see tests/db/test_mongo.py for what is checked instead).
"""

from __future__ import annotations

import asyncio
from typing import Any

import mongomock


class FakeCursor:
    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def sort(self, keys: Any) -> FakeCursor:
        self._cursor = self._cursor.sort(keys)
        return self

    def limit(self, count: int) -> FakeCursor:
        self._cursor = self._cursor.limit(count)
        return self

    async def to_list(self, length: int | None = None) -> list[dict[str, Any]]:
        await asyncio.sleep(0)
        documents = list(self._cursor)
        return documents if length is None else documents[:length]


class FakeAsyncCollection:
    def __init__(self, name: str = "content") -> None:
        self.sync = mongomock.MongoClient(tz_aware=True)["test"][name]

    async def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(0)
        return getattr(self.sync, method)(*args, **kwargs)

    async def insert_one(self, document: dict[str, Any]) -> Any:
        return await self._call("insert_one", document)

    async def find_one(self, query: dict[str, Any]) -> Any:
        return await self._call("find_one", query)

    def find(self, query: dict[str, Any]) -> FakeCursor:
        return FakeCursor(self.sync.find(query))

    async def replace_one(self, query: dict[str, Any], document: dict[str, Any]) -> Any:
        return await self._call("replace_one", query, document)

    async def delete_one(self, query: dict[str, Any]) -> Any:
        return await self._call("delete_one", query)

    async def create_index(self, keys: Any, **options: Any) -> Any:
        return await self._call("create_index", keys, **options)
