"""Requests of the analysis endpoints (the result's schema is in analysis.py)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from marketing_project.api.schemas.analysis import AnalysisResponse
from marketing_project.api.schemas.content import ContentIn

MAX_BATCH = 100


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    focus_keyphrase: str | None = Field(None, max_length=200, description="The phrase the content should rank for.")
    meta_description: str | None = Field(None, max_length=1000, description="The page's meta description.")
    options: dict[str, Any] = Field(
        default_factory=dict,
        description="Engine options, e.g. top_n_keywords, max_keyphrase_words, words_per_minute, site_host.",
    )


class AnalyzeRequest(_Request):
    content: ContentIn = Field(description="A content object as stored by /api/v1/content (`id` optional).")


class AnalyzeStoredRequest(_Request):
    """Body of POST /api/v1/content/{id}/analyze (all optional)."""


class AnalyzeResult(AnalysisResponse):
    content_id: str | None = Field(None, description="The content's id, when it has one.")
    cached: bool = Field(False, description="True when this result was served from the cache.")


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[Any] = Field(
        min_length=1, max_length=MAX_BATCH, description=f"Up to {MAX_BATCH} analyze requests (same shape as /analyze)."
    )


class BatchItemError(BaseModel):
    code: str
    message: str
    details: Any = None


class BatchItem(BaseModel):
    index: int = Field(description="Position of the item in the request.")
    status: Literal["ok", "error"]
    result: AnalyzeResult | None = Field(None, description="The analysis, when status is ok.")
    error: BatchItemError | None = Field(None, description="Why this item failed, when status is error.")


class BatchResponse(BaseModel):
    succeeded: int
    failed: int
    items: list[BatchItem]
