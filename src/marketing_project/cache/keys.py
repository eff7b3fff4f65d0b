"""Stable cache keys: ``make_key("analysis", text, options)`` -> ``"analysis:<hash>"``."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import orjson

_HASH_BYTES = 16


def make_key(namespace: str, *parts: Any) -> str:
    """``"{namespace}:{blake2b-128 of the parts}"``, identical across processes and Python versions.

    Parts are serialised with orjson and sorted dict keys, so ``{"a": 1, "b": 2}`` and ``{"b": 2, "a": 1}`` give the
    same key while ``1`` and ``1.0`` or ``"1"`` do not. Parts must be JSON-able (orjson types: dict with str keys,
    list, tuple, str, int, float, bool, None, datetime, UUID, dataclass...); anything else raises ``TypeError``.
    ``namespace`` may contain ``":"`` ("content:list"); invalidation works on its first segment ("content").
    """
    if not namespace or namespace != namespace.strip():
        raise ValueError(f"cache namespace must be a non-empty string without surrounding spaces, got {namespace!r}")
    try:
        encoded = orjson.dumps(parts, option=orjson.OPT_SORT_KEYS)
    except TypeError as exc:
        encoded = _fallback_encode(namespace, parts, exc)
    return f"{namespace}:{hashlib.blake2b(encoded, digest_size=_HASH_BYTES).hexdigest()}"


def _as_json(value: Any) -> Any:
    return orjson.loads(orjson.dumps(value))


def _fallback_encode(namespace: str, parts: tuple[Any, ...], error: TypeError) -> bytes:
    # orjson refuses lone surrogates ("\ud800"), which JSON request bodies can carry; the stdlib escapes them.
    # Its output then holds a raw "\udXXX" escape, which orjson output never does: the two cannot collide.
    try:
        return json.dumps(parts, sort_keys=True, ensure_ascii=True, separators=(",", ":"), default=_as_json).encode()
    except (TypeError, ValueError):
        raise TypeError(f"cache key parts for namespace {namespace!r} must be JSON-serialisable: {error}") from error


def namespace_of(key: str) -> str:
    """The invalidation namespace of ``key``: the text before its first ``":"`` (the whole key if none)."""
    return key.partition(":")[0]


def check_namespace(namespace: str) -> str:
    if not namespace or ":" in namespace:
        raise ValueError(f"a namespace to invalidate must be non-empty and contain no ':', got {namespace!r}")
    return namespace
