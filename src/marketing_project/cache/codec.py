"""How values are laid out in Redis: ``expires_at_ms (8 bytes, big-endian) + kind (1 byte) + payload``.

Round trip: ``bytes`` exactly (kind ``b``, stored raw); everything else through orjson (kind ``j``), so JSON types
come back equal (dict with str keys, list, str, int, float, bool, None) while tuples come back as lists and
datetime/date/UUID/dataclass/enum values as their JSON form (str, dict...), and NaN/±inf as None. Other types,
str with lone surrogates and ints beyond 64 bits raise ``TypeError``.
The absolute expiry (wall clock) lets a reader on another replica know the remaining TTL without a PTTL call.
"""

from __future__ import annotations

import struct
from typing import Any

import orjson

_EXPIRY = struct.Struct(">Q")
HEADER_SIZE = _EXPIRY.size + 1
_JSON = ord("j")
_RAW = ord("b")


def encode(value: Any, expires_at_ms: int) -> bytes:
    if isinstance(value, bytes):
        return _EXPIRY.pack(expires_at_ms) + b"b" + value
    return _EXPIRY.pack(expires_at_ms) + b"j" + orjson.dumps(value)


def decode(body: bytes) -> tuple[Any, int]:
    """``(value, expires_at_ms)``; raises ``ValueError`` on bytes this module did not write."""
    if len(body) < HEADER_SIZE:
        raise ValueError("cache entry shorter than its header")
    (expires_at_ms,) = _EXPIRY.unpack_from(body)
    kind = body[_EXPIRY.size]
    if kind == _JSON:
        return orjson.loads(memoryview(body)[HEADER_SIZE:]), expires_at_ms
    if kind == _RAW:
        return body[HEADER_SIZE:], expires_at_ms
    raise ValueError(f"unknown cache entry kind {kind!r}")
