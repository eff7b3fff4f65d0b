"""Tunable options of an analysis, validated so that the API can reject bad ones with a clear message."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Self

SUPPORTED_LANGUAGES = frozenset({"en"})

# (minimum, maximum) for every integer option; the bounds keep one request's cost and output size predictable.
_INT_BOUNDS: dict[str, tuple[int, int]] = {
    "top_n_keywords": (1, 50),
    "max_keyphrase_words": (1, 5),
    "words_per_minute": (50, 1000),
}


@dataclass(frozen=True, slots=True)
class AnalysisOptions:
    """Options of one analysis.

    top_n_keywords: how many keywords and keyphrases to return (1–50).
    max_keyphrase_words: longest keyphrase considered, in words (1–5).
    words_per_minute: reading speed used for the reading time (50–1000; 238 is the adult silent-reading average).
    language: language of the text; only "en" (or an "en-*" / "en_*" locale) is supported.
    site_host: host of the site the content is published on (e.g. "example.com"), used to tell internal links from
        outbound ones; when absent, the host of `fields["source_url"]` is used if given.
    """

    top_n_keywords: int = 10
    max_keyphrase_words: int = 3
    words_per_minute: int = 238
    language: str = "en"
    site_host: str | None = None

    def __post_init__(self) -> None:
        for name, (low, high) in _INT_BOUNDS.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"option {name!r} must be an integer, got {value!r}")
            if not low <= value <= high:
                raise ValueError(f"option {name!r} must be between {low} and {high}, got {value}")
        if not isinstance(self.language, str):
            raise ValueError(f"option 'language' must be a string, got {self.language!r}")
        root = self.language.replace("_", "-").split("-", 1)[0].lower()
        if root not in SUPPORTED_LANGUAGES:
            supported = ", ".join(sorted(SUPPORTED_LANGUAGES))
            raise ValueError(f"option 'language' {self.language!r} is not supported (supported: {supported})")
        if root != self.language:
            object.__setattr__(self, "language", root)
        if self.site_host is not None:
            if not isinstance(self.site_host, str) or not self.site_host.strip() or " " in self.site_host.strip():
                raise ValueError(
                    f"option 'site_host' must be a host name such as 'example.com', got {self.site_host!r}"
                )
            object.__setattr__(self, "site_host", normalize_host(self.site_host))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> Self:
        """Build options from a JSON-like mapping; raises ValueError naming any unknown option or bad value."""
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise ValueError(f"options must be an object, got {type(data).__name__}")
        known = {f.name for f in fields(cls)}
        unknown = sorted(str(key) for key in data if key not in known)
        if unknown:
            raise ValueError(f"unknown option(s): {', '.join(unknown)} (known: {', '.join(sorted(known))})")
        return cls(**{str(key): value for key, value in data.items()})

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def normalize_host(host: str) -> str:
    """Lower-case host without scheme, port, path or a leading "www."."""
    host = host.strip().lower()
    if "://" in host:
        host = host.split("://", 1)[1]
    host = host.split("/", 1)[0].split(":", 1)[0]
    return host.removeprefix("www.")
