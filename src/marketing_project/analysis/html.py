"""Turns HTML (or Markdown with HTML in it) into Markdown-like text that the Markdown reader understands.

Every pattern is bounded by `<` and `>` so that the cost stays linear even on malformed input.
"""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_HEADING_OPEN = re.compile(r"<h([1-6])\b[^<>]*>", re.IGNORECASE)
_HEADING_CLOSE = re.compile(r"</h[1-6]\s*>", re.IGNORECASE)
_BLOCK = re.compile(
    r"</?(?:p|div|section|article|header|footer|main|aside|nav|br|hr|tr|table|ul|ol|blockquote|pre|figure)\b[^<>]*>",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"<li\b[^<>]*>", re.IGNORECASE)
_IMG = re.compile(r"<img\b([^<>]*)>", re.IGNORECASE)
_ANCHOR = re.compile(r"<a\b([^<>]*)>([^<]*)</a\s*>", re.IGNORECASE)
_ATTR = re.compile(r"""\b(alt|src|href)\s*=\s*("[^"]*"|'[^']*'|[^\s"'<>]+)""", re.IGNORECASE)
_SPACES = re.compile(r"[ \t]+")


def looks_like_html(text: str) -> bool:
    return "<" in text and _TAG.search(text) is not None


def _attrs(raw: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in _ATTR.findall(raw):
        key = name.lower()
        if key not in found:
            found[key] = html.unescape(value.strip("\"'")).strip()
    return found


def _image(match: re.Match[str]) -> str:
    attrs = _attrs(match.group(1))
    alt = attrs.get("alt", "").replace("]", " ").replace("\n", " ")
    src = attrs.get("src", "").replace(" ", "%20").replace(")", "%29") or "#"
    return f"![{alt}]({src})"


def _anchor(match: re.Match[str]) -> str:
    href = _attrs(match.group(1)).get("href", "").replace(" ", "%20").replace(")", "%29")
    text = match.group(2).replace("[", " ").replace("]", " ").replace("\n", " ")
    return f"[{text}]({href})"


def _drop_between(text: str, start: str, end: str) -> str:
    """Remove every `start ... end` span (case-insensitive) with plain searches, never backtracking."""
    lower = text.lower()
    out: list[str] = []
    pos = 0
    while True:
        begin = lower.find(start, pos)
        if begin < 0:
            break
        finish = lower.find(end, begin + len(start))
        out.append(text[pos:begin])
        if finish < 0:
            pos = len(text)
            break
        pos = finish + len(end)
    out.append(text[pos:])
    return "".join(out)


def html_to_markdown(text: str) -> str:
    text = _drop_between(text, "<!--", "-->")
    text = _drop_between(text, "<script", "</script>")
    text = _drop_between(text, "<style", "</style>")
    text = _HEADING_OPEN.sub(lambda m: "\n\n" + "#" * int(m.group(1)) + " ", text)
    text = _HEADING_CLOSE.sub("\n\n", text)
    text = _IMG.sub(_image, text)
    text = _ANCHOR.sub(_anchor, text)
    text = _LIST_ITEM.sub("\n- ", text)
    text = _BLOCK.sub("\n\n", text)
    text = _TAG.sub("", text)
    text = html.unescape(text)
    return _SPACES.sub(" ", text)
