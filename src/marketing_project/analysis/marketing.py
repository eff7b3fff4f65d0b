"""Marketing value: how likely the content is to engage, convert and be shared, from signals in the text."""

from __future__ import annotations

from dataclasses import dataclass

from .document import Document
from .lexicon import word_set
from .markdown import HEADING, PARAGRAPH
from .signals import Signal, signal, total

_YOU = ("you", "your", "you're", "yours", "yourself", "you'll", "you've")
_BENEFITS = word_set(
    """
    save saves saving increase increases improve improves improved reduce reduces reduced boost boosts grow grows
    growth faster easier better efficient efficiency roi revenue results profit cut cuts simplify streamline
    effortless productivity
    """
)
_PROOF = word_set("customer customers client clients testimonial trusted partner partners award users")
_URGENCY = word_set("now today limited deadline hurry instantly immediately tonight ends")
_EMOTION = word_set(
    """
    amazing surprising powerful love hate fear incredible remarkable exciting proven essential ultimate secret
    shocking brilliant effortless stunning critical crucial transform transforms transformed unlock
    """
)
_TITLE_HOOKS = ("how", "why", "what", "when", "guide", "tips", "ways", "lessons", "mistakes", "secrets", "steps")


@dataclass(frozen=True, slots=True)
class Dimension:
    score: int
    signals: tuple[Signal, ...]


@dataclass(frozen=True, slots=True)
class MarketingValue:
    score: int
    engagement: Dimension
    conversion: Dimension
    shareability: Dimension


def _count(counts: dict[str, int], words: frozenset[str] | tuple[str, ...]) -> int:
    return sum(counts.get(w, 0) for w in words)


def evaluate(doc: Document) -> MarketingValue:
    counts = doc.word_counts
    words = max(doc.stats.words, 1)
    body = [s for s in doc.sentences if doc.blocks[s.block].kind != HEADING]
    questions = sum(1 for s in body if s.text.rstrip("\"'”’)").endswith("?"))
    you = _count(counts, _YOU)
    you_rate = 100.0 * you / words
    headings = sum(1 for b in doc.blocks if b.kind == HEADING)
    block_words = doc.block_words()
    paragraph_sizes = [n for b, n in zip(doc.blocks, block_words, strict=True) if b.kind == PARAGRAPH]
    average_paragraph = sum(paragraph_sizes) / len(paragraph_sizes) if paragraph_sizes else 0.0
    numbers = sum(n for w, n in counts.items() if w[:1].isdigit())
    ease = doc.readability.flesch_reading_ease
    images = len(doc.parsed.images)
    engagement = (
        signal(
            "questions",
            questions > 0,
            15,
            f"{questions} question(s) invite the reader to think along."
            if questions
            else "No questions: asking the reader one draws them in.",
        ),
        signal(
            "direct_address",
            you_rate >= 1.0,
            20,
            f"'you'/'your' used {you} time(s) ({you_rate:.1f} per 100 words)."
            if you
            else "The reader is never addressed as 'you'.",
        ),
        signal(
            "easy_to_read",
            ease >= 50,
            15,
            f"Flesch reading ease {ease:.0f} "
            + ("keeps it accessible." if ease >= 50 else "is hard going for a general audience."),
        ),
        signal(
            "scannable",
            headings >= 2 or doc.parsed.lists > 0,
            15,
            f"{headings} heading(s) and {doc.parsed.lists} list(s) help readers scan.",
        ),
        signal(
            "short_paragraphs",
            0 < average_paragraph <= 80,
            10,
            f"Paragraphs average {average_paragraph:.0f} words"
            + (" (easy to digest)." if 0 < average_paragraph <= 80 else "."),
        ),
        signal(
            "data_points",
            numbers >= 2,
            15,
            f"{numbers} number(s) give concrete evidence." if numbers else "No numbers or data points.",
        ),
        signal("visuals", images > 0, 10, f"{images} image(s)." if images else "No images."),
    )

    ctas = doc.calls_to_action
    closing = [c for c in ctas if c.position >= 0.75]
    benefits = _count(counts, _BENEFITS)
    proof = _count(counts, _PROOF) + doc.prose_lower.count("case study")
    urgency = _count(counts, _URGENCY)
    internal = doc.parsed.internal_links
    conversion = (
        signal(
            "call_to_action",
            bool(ctas),
            35,
            "Calls to action: " + ", ".join(f"'{c.phrase}'" for c in ctas[:5])
            if ctas
            else "No call to action: readers are not told what to do next.",
        ),
        signal(
            "closing_call_to_action",
            bool(closing),
            15,
            "The ending asks the reader to act." if closing else "The ending does not ask the reader to act.",
        ),
        signal("benefits", benefits >= 2, 20, f"{benefits} benefit word(s) (save, improve, faster...)."),
        signal(
            "social_proof",
            proof > 0,
            15,
            f"{proof} mention(s) of customers, partners or case studies."
            if proof
            else "No social proof (customers, case studies, testimonials).",
        ),
        signal(
            "urgency",
            urgency > 0,
            5,
            f"{urgency} urgency word(s) (now, today, limited...)." if urgency else "No urgency words.",
        ),
        signal(
            "internal_links",
            internal > 0,
            10,
            f"{internal} link(s) lead further into the site."
            if internal
            else "No internal links to keep readers on the site.",
        ),
    )

    title = doc.title.strip()
    title_words = len(title.split())
    title_lower = title.lower()
    percentages = doc.raw.count("%") + counts.get("percent", 0)
    quotable = sum(1 for s in body if 8 <= len(s.words) <= 18 and s.text.count(",") <= 1)
    emotion = _count(counts, _EMOTION)
    summary = bool((doc.meta_description or "").strip() or (doc.snippet or "").strip())
    hook = title_lower.startswith(_TITLE_HOOKS[:4]) or any(f" {h}" in f" {title_lower}" for h in _TITLE_HOOKS[4:])
    shareability = (
        signal(
            "title_length",
            6 <= title_words <= 12,
            20,
            f"The title has {title_words} word(s)"
            + (" (the range that is shared most: 6–12)." if 6 <= title_words <= 12 else "; 6–12 share best."),
        ),
        signal(
            "number_in_title",
            any(c.isdigit() for c in title),
            15,
            "The title has a number."
            if any(c.isdigit() for c in title)
            else "No number in the title (numbers draw clicks).",
        ),
        signal(
            "title_hook",
            hook,
            15,
            "The title promises an answer (how/why/guide/tips...)."
            if hook
            else "The title has no hook such as 'how', 'why' or 'guide'.",
        ),
        signal(
            "statistics",
            percentages > 0,
            15,
            f"{percentages} percentage(s): stats get quoted and shared."
            if percentages
            else "No statistics or percentages.",
        ),
        signal(
            "quotable_sentences", quotable >= 3, 15, f"{quotable} short, self-contained sentence(s) are easy to quote."
        ),
        signal("emotional_words", emotion >= 2, 10, f"{emotion} emotional or power word(s)."),
        signal(
            "summary",
            summary,
            10,
            "A snippet/meta description is ready for social cards."
            if summary
            else "No snippet or meta description for social cards.",
        ),
    )
    parts = (
        Dimension(total(engagement), engagement),
        Dimension(total(conversion), conversion),
        Dimension(total(shareability), shareability),
    )
    return MarketingValue(round(sum(p.score for p in parts) / 3), *parts)
