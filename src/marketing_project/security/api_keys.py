"""API keys: parsed from settings, held only as SHA-256 digests, compared in constant time."""

from __future__ import annotations

import enum
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from marketing_project.errors import SettingsError


class Role(enum.IntEnum):
    """Ordered: each role may do everything the roles below it may."""

    viewer = 1
    editor = 2
    admin = 3


@dataclass(frozen=True, slots=True)
class Principal:
    key_id: str
    role: Role


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()


class ApiKeyStore:
    def __init__(self, keys: dict[str, Role]) -> None:
        self._entries = [
            (_digest(key), Principal(f"{role.name}-{_digest(key).hex()[:8]}", role)) for key, role in keys.items()
        ]

    def __len__(self) -> int:
        return len(self._entries)

    def authenticate(self, presented: str) -> Principal | None:
        digest = _digest(presented)
        found = None
        # check every entry, so the time taken does not depend on which key matched
        for stored, principal in self._entries:
            if hmac.compare_digest(stored, digest):
                found = principal
        return found


def parse_keys(api_key: str | None, api_keys: str | None) -> dict[str, Role]:
    keys: dict[str, Role] = {}
    if api_key:
        keys[_checked(api_key.strip(), "API_KEY")] = Role.admin
    for entry in (api_keys or "").split(","):
        entry = entry.strip()
        if not entry:
            continue
        key, sep, role_name = entry.rpartition(":")
        if not sep or not key:
            raise SettingsError("API_KEYS: each entry must be key:role, e.g. API_KEYS=abc123:viewer,def456:editor")
        try:
            role = Role[role_name.strip().lower()]
        except KeyError:
            raise SettingsError(f"API_KEYS: unknown role {role_name.strip()!r}; use admin, editor or viewer") from None
        keys[_checked(key.strip(), "API_KEYS")] = role
    return keys


def _checked(key: str, variable: str) -> str:
    if len(key) < 16:
        raise SettingsError(
            f"{variable}: keys must be at least 16 characters long (generate one with `openssl rand -hex 24`)"
        )
    return key


def load_or_create_key_file(path: Path) -> tuple[str, bool]:
    """The admin key kept in `path`, created (mode 0600) when absent. Returns (key, created)."""
    try:
        return _checked(path.read_text().strip(), str(path)), False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    scratch = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    try:
        # link() publishes the complete file atomically and fails if another worker won the race
        os.link(scratch, path)
    except FileExistsError:
        return _checked(path.read_text().strip(), str(path)), False
    finally:
        scratch.unlink()
    return key, True
