"""What to analyze: one piece of content, its type-specific fields and the options."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .content_types import CONTENT_TYPES
from .options import AnalysisOptions


@dataclass(frozen=True, slots=True)
class AnalysisInput:
    """One piece of content to analyze.

    fields: type-specific fields: author, tags, category (blog_post); speakers, duration, transcript_type
        (transcript); version, release_date, changes, features, bug_fixes (release_notes); source_url for any.
    """

    content_type: str
    title: str
    content: str
    snippet: str | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)
    focus_keyphrase: str | None = None
    meta_description: str | None = None
    options: AnalysisOptions = field(default_factory=AnalysisOptions)

    def __post_init__(self) -> None:
        if self.content_type not in CONTENT_TYPES:
            raise ValueError(f"content_type must be one of {', '.join(CONTENT_TYPES)}, got {self.content_type!r}")
        for name in ("title", "content"):
            if not isinstance(getattr(self, name), str):
                raise ValueError(f"{name} must be a string")
        for name in ("snippet", "focus_keyphrase", "meta_description"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise ValueError(f"{name} must be a string or None")
        if not isinstance(self.fields, Mapping):
            raise ValueError("fields must be a mapping")
        if not isinstance(self.options, AnalysisOptions):
            raise ValueError("options must be an AnalysisOptions (use AnalysisOptions.from_mapping for a dict)")
