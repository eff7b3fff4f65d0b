"""Classifies link targets as internal (same site) or outbound."""

from __future__ import annotations

from urllib.parse import urlsplit

from .options import normalize_host

INTERNAL = "internal"
EXTERNAL = "external"
OTHER = "other"  # mailto:, tel:, javascript: and the like: neither internal nor outbound


def link_kind(url: str, site_host: str | None) -> str:
    url = url.strip()
    if not url or (url.startswith(("#", "/", "./", "../", "?")) and not url.startswith("//")):
        return INTERNAL
    try:
        parts = urlsplit(url if not url.startswith("www.") else "//" + url)
    except ValueError:
        return EXTERNAL
    if parts.scheme and parts.scheme not in ("http", "https"):
        return OTHER
    if not parts.netloc:
        # a relative path such as "pricing.html"
        return INTERNAL
    host = normalize_host(parts.netloc.rsplit("@", 1)[-1])
    if site_host and (host == site_host or host.endswith("." + site_host)):
        return INTERNAL
    return EXTERNAL


def host_of(url: object) -> str | None:
    if not isinstance(url, str) or "://" not in url:
        return None
    try:
        netloc = urlsplit(url.strip()).netloc
    except ValueError:
        return None
    return normalize_host(netloc) or None
