"""Errors raised by the analysis engine."""

from __future__ import annotations


class EmptyContentError(ValueError):
    """The content is empty or whitespace only: there is nothing to analyze."""
