"""Request and response models of /api/v1/content: one model per content type, discriminated by `type`."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, field_validator, model_validator

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$"
_DURATION = re.compile(r"^(?:(\d+):)?([0-5]?\d):([0-5]\d)$")
# fields other tools export that we compute ourselves; accepted so their files import as they are
_DERIVED = ("word_count", "reading_time")


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


Text = Annotated[str, Field(max_length=500)]
Tags = Annotated[list[Annotated[str, Field(min_length=1, max_length=100)]], Field(max_length=100)]


class _ContentBase(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str | None = Field(
        None, pattern=ID_PATTERN, description="Your id (letters, digits, . _ : -); generated when omitted."
    )
    title: str = Field(..., min_length=1, max_length=500, description="Title or headline.")
    content: str = Field(..., min_length=1, description="The text, Markdown or plain.")
    snippet: str | None = Field(None, max_length=2000, description="Short summary shown in listings.")
    metadata: dict[str, Any] = Field(default_factory=dict, description="Free-form object kept as given.")
    created_at: datetime | None = Field(None, description="Original creation time (ISO 8601); now when omitted.")
    source_url: str | None = Field(None, max_length=2048, description="Where the content was published.")

    @model_validator(mode="before")
    @classmethod
    def _drop_derived(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = {k: v for k, v in data.items() if k not in _DERIVED and k != "content_type"}
        return data

    @model_validator(mode="after")
    def _no_nul(self) -> _ContentBase:
        # PostgreSQL cannot store NUL in text or JSON; refuse it here rather than fail in the database
        if _has_nul(self.__dict__):
            raise ValueError("text must not contain NUL (\\u0000) characters")
        return self

    @field_validator("created_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("created_at needs a time zone, e.g. 2024-01-15T10:30:00Z")
        return value


class BlogPostIn(_ContentBase):
    type: Literal["blog_post"] = Field(description="Content type.")
    author: str | None = Field(None, max_length=200)
    tags: Tags = Field(default_factory=list)
    category: str | None = Field(None, max_length=200)


class TranscriptIn(_ContentBase):
    type: Literal["transcript"] = Field(description="Content type.")
    speakers: Annotated[list[Text], Field(max_length=200)] = Field(default_factory=list)
    duration: float | None = Field(None, ge=0, description='Length in seconds ("HH:MM:SS" or "MM:SS" accepted).')
    transcript_type: str | None = Field(None, max_length=50, description="e.g. podcast, meeting, webinar, video.")

    @field_validator("duration", mode="before")
    @classmethod
    def _clock(cls, value: Any) -> Any:
        if isinstance(value, str) and (match := _DURATION.match(value.strip())):
            hours, minutes, seconds = (int(part or 0) for part in match.groups())
            return hours * 3600 + minutes * 60 + seconds
        return value


class ReleaseNotesIn(_ContentBase):
    type: Literal["release_notes"] = Field(description="Content type.")
    version: str | None = Field(None, max_length=100)
    release_date: date | None = None
    changes: Annotated[list[Annotated[str, Field(max_length=5000)]], Field(max_length=1000)] = Field(
        default_factory=list
    )
    features: Annotated[list[Annotated[str, Field(max_length=5000)]], Field(max_length=1000)] = Field(
        default_factory=list
    )
    bug_fixes: Annotated[list[Annotated[str, Field(max_length=5000)]], Field(max_length=1000)] = Field(
        default_factory=list
    )


def accept_content_type_alias(data: Any) -> Any:
    """`content_type` is accepted as another name for the discriminator `type`."""
    if isinstance(data, dict) and "content_type" in data:
        if "type" in data and data["type"] != data["content_type"]:
            raise ValueError("type and content_type disagree; send one of them")
        data = {**data, "type": data["content_type"]}
    return data


class ContentIn(RootModel[BlogPostIn | TranscriptIn | ReleaseNotesIn]):
    """A blog post, transcript or release notes; `type` (or `content_type`) says which."""

    root: Annotated[BlogPostIn | TranscriptIn | ReleaseNotesIn, Field(discriminator="type")]

    @model_validator(mode="before")
    @classmethod
    def _alias(cls, data: Any) -> Any:
        return accept_content_type_alias(data)


COMMON_FIELDS = frozenset({"id", "type", "title", "content", "snippet", "metadata", "created_at", "source_url"})


class ContentPublic(BaseModel):
    """A stored content item: the common fields plus its type's own fields."""

    model_config = ConfigDict(extra="allow")

    id: str
    type: Literal["blog_post", "transcript", "release_notes"]
    title: str
    content: str
    snippet: str | None
    source_url: str | None
    metadata: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    analysis: dict[str, Any] | None = Field(None, description="The last stored analysis, when one was run.")


class ContentPage(BaseModel):
    items: list[ContentPublic]
    next_cursor: str | None = Field(description="Pass as `cursor` to get the next page; null on the last page.")
