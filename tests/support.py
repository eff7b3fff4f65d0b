"""Constants the tests share (fixtures live in conftest.py)."""

from __future__ import annotations

ADMIN_KEY = "admin-key-0123456789abcdef"
EDITOR_KEY = "editor-key-0123456789abcdef"
VIEWER_KEY = "viewer-key-0123456789abcdef"
ADMIN = {"X-API-Key": ADMIN_KEY}
EDITOR = {"X-API-Key": EDITOR_KEY}
VIEWER = {"X-API-Key": VIEWER_KEY}
