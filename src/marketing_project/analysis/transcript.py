"""Transcripts: cue numbers and timestamps, speakers and their share of the talk, filler words, speaking rate."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .assessment import BAD, CONTENT, GOOD, OK, Assessment, make
from .lexicon import word_set
from .text import BREAK, count_words

# SubRip/WebVTT cue numbers and timing lines, and bracketed timestamps at the start of a line.
_CUE_NUMBER = re.compile(r"\d{1,7}")
_TIMING = re.compile(r"\[?\(?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?\)?\]?(?:[ \t]*-->[ \t]*\S{1,20})?")
_LEADING_TIMESTAMP = re.compile(r"\[?\(?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?\)?\]?[ \t]*")
# "Name: text", "**Name:** text", "**Name**: text"; the name is at most 40 characters, so matching stays linear.
_LABEL = re.compile(r"(?:[*_]{2})?([^\W\d_][^:*_\n]{0,40}?)(?:[*_]{2})?[ \t]*:(?:[*_]{2})?(?:[ \t]+|$)(.*)")
_DURATION = re.compile(r"(?:(\d{1,3}):)?(\d{1,2}):(\d{2})")
_ROLE = re.compile(r"\s*\([^()]*\)")

# Labels of header lines ("**Duration:** 45:30"): metadata, not speech, so they are left out of the text.
_METADATA_LABELS = word_set(
    """
    speakers speaker participants attendees hosts guests duration length date type title episode recorded season
    show format language category tags source url link location time
    """
)
# Labels that introduce ordinary text, never a speaker.
_NOT_SPEAKERS = word_set(
    """
    note notes summary example examples tip tips warning update important agenda topic topics description keywords
    transcript meeting result results answer question step
    """
)
_SPEAKER_HEADERS = frozenset({"speakers", "speaker", "participants", "attendees", "hosts", "guests"})

FILLER_WORDS = frozenset({"um", "umm", "uh", "uhh", "uh-huh", "er", "erm", "ah", "hmm", "mm", "mhm"})
FILLER_PHRASES = ("you know", "i mean", "sort of", "kind of")


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str
    words: int
    turns: int
    share: float


@dataclass(frozen=True, slots=True)
class FillerCount:
    filler: str
    count: int


@dataclass(frozen=True, slots=True)
class TranscriptAnalysis:
    speakers: tuple[Speaker, ...]
    speaker_source: str
    turns: int
    dominant_speaker: str | None
    filler_words: int
    filler_rate: float
    fillers: tuple[FillerCount, ...]
    duration_seconds: float | None
    speaking_rate_wpm: float | None
    transcript_type: str | None
    timestamps_removed: int


@dataclass(slots=True)
class Prepared:
    prose: str
    turns: list[tuple[str, str]]
    header_speakers: list[str]
    header_duration: float | None
    timestamps_removed: int


def _is_label(name: str, known: frozenset[str]) -> bool:
    name = name.strip()
    if name.lower() in known:
        return True
    if name.lower() in _NOT_SPEAKERS:
        return False
    words = name.split()
    return 0 < len(words) <= 4 and all(w[0].isupper() or not w[0].isalpha() for w in words)


def prepare(content: str, known_speakers: list[str]) -> Prepared:
    """Drop timing lines, split speaker turns off their labels, and keep the spoken text as paragraphs."""
    known = frozenset(name.lower() for name in known_speakers)
    paragraphs: list[str] = []
    turns: list[tuple[str, str]] = []
    header_speakers: list[str] = []
    header_duration: float | None = None
    removed = 0
    label_counts: Counter[str] = Counter()
    candidates: list[tuple[str | None, str, str]] = []  # (label or None, text, raw line)
    for raw in content.splitlines():
        line = raw.strip()
        if not line:
            candidates.append((None, "", ""))
            continue
        if line[0].isdigit() and (_CUE_NUMBER.fullmatch(line) or _TIMING.fullmatch(line)):
            removed += 1
            continue
        if line[0] in "[(0123456789" and (stamp := _LEADING_TIMESTAMP.match(line)) and stamp.end():
            removed += 1
            line = line[stamp.end() :]
            if not line:
                continue
        match = _LABEL.match(line) if ":" in line[:48] else None
        if match:
            name = match.group(1).strip().strip("*_").strip()
            lowered = name.lower()
            if lowered in _SPEAKER_HEADERS:
                header_speakers.extend(
                    n for part in match.group(2).replace("*", "").split(",") if (n := _ROLE.sub("", part).strip())
                )
                continue
            if lowered in ("duration", "length"):
                header_duration = parse_duration(match.group(2).replace("*", "").strip())
                continue
            if lowered in _METADATA_LABELS:
                continue
            if _is_label(name, known):
                label_counts[lowered] += 1
                candidates.append((name, match.group(2), line))
                continue
        candidates.append((None, line, line))
    header_known = frozenset(n.lower() for n in header_speakers)
    confirmed = {k for k, n in label_counts.items() if n > 1 or k in known or k in header_known}
    for label, text, line in candidates:
        # once some labels are confirmed speakers, a name-like label seen only once is a speaker too
        if label is not None and confirmed:
            turns.append((label, text))
            paragraphs.append("")
            paragraphs.append(text)
            continue
        if label is not None:
            text = line  # no confirmed speakers: an ordinary line that happens to contain a colon
        if not text:
            paragraphs.append("")
            continue
        if turns and not text.startswith("#"):
            # an unlabeled line after a turn is the same speaker going on
            name, said = turns[-1]
            turns[-1] = (name, f"{said} {text}".strip())
        paragraphs.append(text)
    prose = "\n".join(paragraphs)
    return Prepared(prose, turns, header_speakers, header_duration, removed)


def parse_duration(value: Any) -> float | None:
    """Seconds from a number of seconds or an "HH:MM:SS" / "MM:SS" clock string."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if value >= 0 else None
    if isinstance(value, str):
        text = value.strip()
        match = _DURATION.fullmatch(text)
        if match:
            hours, minutes, seconds = (int(part or 0) for part in match.groups())
            return float(hours * 3600 + minutes * 60 + seconds)
        try:
            number = float(text)
        except ValueError:
            return None
        return number if number >= 0 else None
    return None


def speakers_from_fields(fields: dict[str, Any]) -> list[str]:
    value = fields.get("speakers")
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple):
        return []
    names = []
    for item in value:
        if isinstance(item, dict):
            item = item.get("name")
        if isinstance(item, str) and (name := _ROLE.sub("", item).strip()):
            names.append(name)
    return names


def count_fillers(word_counts: Counter[str], prose_lower: str) -> list[FillerCount]:
    found = {word: word_counts[word] for word in FILLER_WORDS if word_counts.get(word)}
    padded = f" {prose_lower} "
    for phrase in FILLER_PHRASES:
        hits = padded.count(f" {phrase} ")
        if hits:
            found[phrase] = hits
    # "like" only counts as a filler where punctuation (a BREAK token) sets it off: "it was, like, huge"
    like = padded.count(f" {BREAK} like ") + padded.count(f" like {BREAK} ") - padded.count(f" {BREAK} like {BREAK} ")
    if like:
        found["like"] = like
    return [FillerCount(k, v) for k, v in sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))]


def analyze(
    prepared: Prepared,
    fields: dict[str, Any],
    word_counts: Counter[str],
    prose_lower: str,
    total_words: int,
) -> TranscriptAnalysis:
    given = speakers_from_fields(fields)
    words_by: dict[str, int] = {}
    turns_by: Counter[str] = Counter()
    display: dict[str, str] = {}
    for name, said in prepared.turns:
        key = name.lower()
        display.setdefault(key, name)
        words_by[key] = words_by.get(key, 0) + count_words(said)
        turns_by[key] += 1
    for name in (*given, *prepared.header_speakers):
        display.setdefault(name.lower(), name)
        words_by.setdefault(name.lower(), 0)
    source = "labels" if prepared.turns else "fields" if given else "header" if prepared.header_speakers else "none"
    talk = sum(words_by.values())
    speakers = tuple(
        sorted(
            (
                Speaker(display[k], w, turns_by[k], round(100.0 * w / talk, 1) if talk else 0.0)
                for k, w in words_by.items()
            ),
            key=lambda s: (-s.words, s.name),
        )
    )
    fillers = count_fillers(word_counts, prose_lower)
    filler_total = sum(f.count for f in fillers)
    duration = parse_duration(fields.get("duration"))
    if duration is None:
        duration = prepared.header_duration
    rate = round(total_words / (duration / 60.0), 1) if duration else None
    kind = fields.get("transcript_type")
    return TranscriptAnalysis(
        speakers=speakers,
        speaker_source=source,
        turns=len(prepared.turns),
        dominant_speaker=speakers[0].name if speakers and talk else None,
        filler_words=filler_total,
        filler_rate=round(100.0 * filler_total / total_words, 2) if total_words else 0.0,
        fillers=tuple(fillers),
        duration_seconds=duration,
        speaking_rate_wpm=rate,
        transcript_type=kind if isinstance(kind, str) and kind.strip() else None,
        timestamps_removed=prepared.timestamps_removed,
    )


def assess(result: TranscriptAnalysis) -> list[Assessment]:
    checks = []
    if result.speakers:
        named = ", ".join(s.name for s in result.speakers[:5])
        checks.append(
            make(
                "speakers_identified", CONTENT, "Speakers identified", GOOD, f"Speakers: {named}.", len(result.speakers)
            )
        )
    else:
        checks.append(
            make(
                "speakers_identified",
                CONTENT,
                "Speakers identified",
                BAD,
                "No speakers found. Label each turn ('Name: ...') or pass the speakers, so quotes can be attributed.",
                0,
            )
        )
    rate = result.filler_rate
    rating = GOOD if rate <= 1.0 else OK if rate <= 3.0 else BAD
    message = (
        f"Filler words make up {rate:.2f}% of the words. Clean enough to quote."
        if rating == GOOD
        else f"Filler words make up {rate:.2f}% of the words ({result.filler_words}). Remove them from quotes and "
        "excerpts before publishing."
    )
    checks.append(make("filler_words", CONTENT, "Filler words", rating, message, rate))
    return checks
