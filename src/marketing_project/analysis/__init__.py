"""Content analysis engine: text statistics, readability, keyphrases, Yoast-style checks and marketing signals.

Pure and synchronous: no I/O at call time except the one-time load of the CMU Pronouncing Dictionary (call
`warm_up()` at start-up to pay for it early).
"""

from __future__ import annotations

from .content_types import CONTENT_TYPES
from .engine import analyze
from .errors import EmptyContentError
from .inputs import AnalysisInput
from .options import AnalysisOptions
from .report import render_report
from .result import AnalysisResult
from .syllables import warm_up
from .text import count_words
from .version import ANALYZER_VERSION

__all__ = [
    "ANALYZER_VERSION",
    "CONTENT_TYPES",
    "AnalysisInput",
    "AnalysisOptions",
    "AnalysisResult",
    "EmptyContentError",
    "analyze",
    "count_words",
    "render_report",
    "warm_up",
]
