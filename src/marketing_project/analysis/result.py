"""The result of an analysis and its JSON-ready form."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from .assessment import Assessment
from .blog import BlogPostAnalysis
from .focus import FocusKeyphrase
from .keywords import Keyphrase, Keyword
from .marketing import MarketingValue
from .readability import Readability
from .release_notes import ReleaseNotesAnalysis
from .scoring import ContentQuality, Recommendation
from .stats import TextStats
from .structure import Structure
from .transcript import TranscriptAnalysis


@dataclass(frozen=True, slots=True)
class AnalysisResult:
    analyzer_version: str
    content_type: str
    language: str
    seo_score: int
    readability_score: int
    content_quality: ContentQuality
    marketing_value: MarketingValue
    pipeline_ready: bool
    pipeline_reasons: tuple[str, ...]
    warnings: tuple[str, ...]
    recommendations: tuple[Recommendation, ...]
    stats: TextStats
    structure: Structure
    readability: Readability
    keywords: tuple[Keyword, ...]
    keyphrases: tuple[Keyphrase, ...]
    focus_keyphrase: FocusKeyphrase | None
    assessments: tuple[Assessment, ...]
    transcript: TranscriptAnalysis | None
    release_notes: ReleaseNotesAnalysis | None
    blog_post: BlogPostAnalysis | None
    options: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """Plain dicts, lists, strings, numbers, booleans and None, in a fixed key order."""
        plain = _plain(self)
        assert isinstance(plain, dict)
        return plain


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is tuple or kind is list:
        return [item if type(item) in _SCALARS else _plain(item) for item in value]
    if kind is dict:
        return {str(key): item if type(item) in _SCALARS else _plain(item) for key, item in value.items()}
    return {
        name: item if type(item := getattr(value, name)) in _SCALARS else _plain(item) for name in _field_names(kind)
    }
