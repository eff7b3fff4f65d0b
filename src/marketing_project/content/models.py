"""Content items as stored: the table, and the frozen record the rest of the app passes around."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

CONTENT_TYPES: Final = ("blog_post", "transcript", "release_notes")

metadata = sa.MetaData()
_json = sa.JSON().with_variant(JSONB(), "postgresql")

content_table = sa.Table(
    "content",
    metadata,
    sa.Column("id", sa.String(128), primary_key=True),
    sa.Column("type", sa.String(32), nullable=False),
    sa.Column("title", sa.Text(), nullable=False),
    sa.Column("content", sa.Text(), nullable=False),
    sa.Column("snippet", sa.Text(), nullable=True),
    sa.Column("source_url", sa.Text(), nullable=True),
    sa.Column("metadata", _json, nullable=False),
    sa.Column("attributes", _json, nullable=False),
    sa.Column("analysis", _json, nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_content_created", "created_at", "id"),
    sa.Index("ix_content_type_created", "type", "created_at", "id"),
)


def utc(value: datetime) -> datetime:
    """Aware UTC; a naive value is taken to be UTC already (SQLite stores no zone)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class ContentItem:
    id: str
    type: str
    title: str
    content: str
    snippet: str | None = None
    source_url: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    attributes: dict[str, Any] = field(default_factory=dict)
    analysis: dict[str, Any] | None = None
    created_at: datetime = field(default_factory=now)
    updated_at: datetime = field(default_factory=now)

    def to_public(self) -> dict[str, Any]:
        """The API shape: common fields, then the type's own fields at top level."""
        body: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "title": self.title,
            "content": self.content,
            "snippet": self.snippet,
            "source_url": self.source_url,
            "metadata": self.metadata,
            **self.attributes,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }
        if self.analysis is not None:
            body["analysis"] = self.analysis
        return body

    def with_changes(self, **changes: Any) -> ContentItem:
        return replace(self, **changes)
