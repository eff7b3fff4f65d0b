"""Release notes: version, date, and the changes sorted into features, fixes, other changes and breaking changes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .assessment import BAD, CONTENT, GOOD, OK, Assessment, make
from .markdown import HEADING, LIST_ITEM, Block

_VERSION = re.compile(r"(?<![\w.])v?(\d{1,4}\.\d{1,4}(?:\.\d{1,6})?(?:-[0-9A-Za-z.]{1,30})?)(?![\w])")
_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_BREAKING = re.compile(
    r"\bbreaking\b|\bno longer (?:supported|available|works?)\b|\bremoved support\b|\bincompatible\b|"
    r"\bbackwards?[- ]incompatible\b|\bdropped support\b",
    re.IGNORECASE,
)
_MIGRATION = re.compile(r"\bmigrat\w*|\bupgrade (?:guide|path|steps|notes)\b|\bto upgrade\b", re.IGNORECASE)

FEATURES = "features"
FIXES = "fixes"
CHANGES = "changes"
BREAKING = "breaking"
# Words in a section heading that tell what its items are; the first category that matches wins.
_SECTION_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (BREAKING, ("breaking", "incompatible", "removed", "removal")),
    (FIXES, ("fix", "bug", "resolved", "patch", "issue")),
    (FEATURES, ("feature", "new", "added", "highlight", "what's new", "introduc")),
    (CHANGES, ("change", "improve", "update", "enhance", "deprecat", "security", "performance", "other", "misc")),
)
_ITEM_LEADS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (FIXES, ("fix", "fixed", "fixes", "resolve", "resolved", "resolves", "correct", "corrected", "bug")),
    (FEATURES, ("add", "added", "adds", "new", "introduce", "introduced", "introduces", "support", "supports")),
)


@dataclass(frozen=True, slots=True)
class ReleaseNotesAnalysis:
    version: str | None
    release_date: str | None
    features: tuple[str, ...]
    fixes: tuple[str, ...]
    changes: tuple[str, ...]
    breaking_changes: tuple[str, ...]
    has_migration_notes: bool
    total_items: int


def _section(heading: str) -> str | None:
    text = heading.lower()
    for category, words in _SECTION_WORDS:
        if any(word in text for word in words):
            return category
    return None


def _by_lead(item: str) -> str:
    lead = item.split(" ", 1)[0].lower().strip(":,.-")
    for category, words in _ITEM_LEADS:
        if lead in words:
            return category
    return CHANGES


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [line.strip(" -*•\t") for line in value.splitlines()]
    if not isinstance(value, list | tuple):
        return []
    return [item.strip() for item in value if isinstance(item, str) and item.strip()]


def _date(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.strip():
        return value.strip()[:40]
    return None


def analyze(title: str, raw: str, blocks: list[Block], fields: dict[str, Any]) -> ReleaseNotesAnalysis:
    found: dict[str, list[str]] = {FEATURES: [], FIXES: [], CHANGES: [], BREAKING: []}
    section: str | None = None
    for block in blocks:
        if block.kind == HEADING:
            section = _section(block.text)
        elif block.kind == LIST_ITEM:
            category = section or _by_lead(block.text)
            found[category].append(block.text)
            if category != BREAKING and _BREAKING.search(block.text):
                found[BREAKING].append(block.text)
        elif section == BREAKING:
            found[BREAKING].append(block.text)
    for key, name in ((FEATURES, "features"), (FIXES, "bug_fixes"), (CHANGES, "changes")):
        for item in _strings(fields.get(name)):
            if item not in found[key]:
                found[key].append(item)
                if _BREAKING.search(item) and item not in found[BREAKING]:
                    found[BREAKING].append(item)
    if not found[BREAKING] and _BREAKING.search(raw):
        # a breaking change stated in running text rather than in a list
        for block in blocks:
            if _BREAKING.search(block.text):
                found[BREAKING].append(block.text)
                break
    version = fields.get("version")
    if not isinstance(version, str) or not version.strip():
        match = _VERSION.search(title) or _VERSION.search(raw[:2000])
        version = match.group(1) if match else None
    release_date = _date(fields.get("release_date"))
    if release_date is None and (match := _DATE.search(raw[:2000]) or _DATE.search(title)):
        release_date = match.group(1)
    return ReleaseNotesAnalysis(
        version=version.strip() if isinstance(version, str) else None,
        release_date=release_date,
        features=tuple(found[FEATURES]),
        fixes=tuple(found[FIXES]),
        changes=tuple(found[CHANGES]),
        breaking_changes=tuple(found[BREAKING]),
        has_migration_notes=_MIGRATION.search(raw) is not None,
        total_items=len(found[FEATURES]) + len(found[FIXES]) + len(found[CHANGES]),
    )


def assess(result: ReleaseNotesAnalysis) -> list[Assessment]:
    checks = []
    if result.version:
        checks.append(make("release_version", CONTENT, "Version", GOOD, f"Version {result.version}."))
    else:
        checks.append(
            make("release_version", CONTENT, "Version", BAD, "No version number found. State it, e.g. 'v2.3.0'.")
        )
    if result.release_date:
        checks.append(make("release_date", CONTENT, "Release date", GOOD, f"Released {result.release_date}."))
    else:
        checks.append(make("release_date", CONTENT, "Release date", OK, "No release date found. Add one (YYYY-MM-DD)."))
    if result.total_items:
        checks.append(
            make(
                "changes_listed",
                CONTENT,
                "Changes listed",
                GOOD,
                f"{len(result.features)} feature(s), {len(result.fixes)} fix(es), {len(result.changes)} other "
                "change(s).",
                result.total_items,
            )
        )
    else:
        checks.append(
            make(
                "changes_listed",
                CONTENT,
                "Changes listed",
                BAD,
                "No changes were found as list items. List features, fixes and changes under their own headings.",
                0,
            )
        )
    if not result.breaking_changes:
        checks.append(
            make("breaking_changes", CONTENT, "Breaking changes", GOOD, "No breaking changes were detected.", 0)
        )
    elif result.has_migration_notes:
        checks.append(
            make(
                "breaking_changes",
                CONTENT,
                "Breaking changes",
                GOOD,
                f"{len(result.breaking_changes)} breaking change(s), with migration notes.",
                len(result.breaking_changes),
            )
        )
    else:
        checks.append(
            make(
                "breaking_changes",
                CONTENT,
                "Breaking changes",
                BAD,
                f"{len(result.breaking_changes)} breaking change(s) but no migration notes. Tell users how to upgrade.",
                len(result.breaking_changes),
            )
        )
    return checks
