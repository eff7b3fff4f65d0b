"""Everything the checks read about one document, computed once by the engine and shared."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from .blog import CallToAction
from .content_types import Profile
from .focus import FocusKeyphrase
from .keywords import Keyphrase, Keyword
from .markdown import Block, Parsed
from .readability import Readability
from .stats import TextStats
from .text import Sentence


@dataclass(slots=True)
class Document:
    content_type: str
    profile: Profile
    title: str
    snippet: str | None
    meta_description: str | None
    fields: dict[str, Any]
    raw: str
    parsed: Parsed
    blocks: list[Block]
    sentences: list[Sentence]
    word_counts: Counter[str]
    stats: TextStats
    readability: Readability
    keywords: list[Keyword]
    keyphrases: list[Keyphrase]
    focus: FocusKeyphrase | None
    focus_text: str | None
    prose_lower: str  # all sentences, lower-case, space-joined: for cheap phrase searches with str.count / in
    calls_to_action: list[CallToAction]

    def block_words(self) -> list[int]:
        """Words per block, in block order."""
        counts = [0] * len(self.blocks)
        for sentence in self.sentences:
            counts[sentence.block] += len(sentence.words)
        return counts
