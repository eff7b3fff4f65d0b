from __future__ import annotations

import stat
from pathlib import Path

import pytest

from marketing_project.errors import SettingsError
from marketing_project.security.api_keys import ApiKeyStore, Role, load_or_create_key_file, parse_keys

KEY_A = "a" * 20
KEY_B = "b" * 20


def test_roles_from_settings() -> None:
    keys = parse_keys(KEY_A, f"{KEY_B}:viewer, {'c' * 20}:Editor")
    assert keys == {KEY_A: Role.admin, KEY_B: Role.viewer, "c" * 20: Role.editor}


@pytest.mark.parametrize(
    ("api_keys", "problem"),
    [("short:admin", "at least 16"), (f"{KEY_A}:owner", "unknown role 'owner'"), (KEY_A, "key:role")],
)
def test_bad_key_settings_explain_themselves(api_keys: str, problem: str) -> None:
    with pytest.raises(SettingsError, match=problem):
        parse_keys(None, api_keys)


def test_store_authenticates_without_keeping_or_exposing_keys() -> None:
    store = ApiKeyStore({KEY_A: Role.admin, KEY_B: Role.viewer})
    admin = store.authenticate(KEY_A)
    assert admin is not None
    assert admin.role is Role.admin
    assert KEY_A not in admin.key_id
    assert store.authenticate(KEY_B) is not None
    assert store.authenticate(KEY_B + "x") is None
    assert store.authenticate("") is None
    assert KEY_A not in repr(vars(store))


def test_generated_key_file_is_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "api-key"
    key, created = load_or_create_key_file(path)
    assert created
    assert len(key) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again, created_again = load_or_create_key_file(path)
    assert (again, created_again) == (key, False)
    assert list(path.parent.iterdir()) == [path]
