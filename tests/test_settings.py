from __future__ import annotations

import pytest

from marketing_project.errors import SettingsError
from marketing_project.settings import load_settings


def test_defaults_are_the_embedded_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("POSTGRES_URL", "DATABASE_URL", "REDIS_URL", "PORT", "HOST"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(_env_file=None)
    assert settings.effective_database_url == "sqlite:///data/marketing_project.db"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.performance_cache_ttl == 300
    assert settings.performance_cache_max_size == 1000


def test_invalid_values_name_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERFORMANCE_CACHE_TTL", "-1")
    monkeypatch.setenv("PORT", "eighty")
    with pytest.raises(SettingsError) as caught:
        load_settings(_env_file=None)
    message = str(caught.value)
    assert "PERFORMANCE_CACHE_TTL" in message
    assert "PORT" in message
    assert "'eighty'" in message


def test_secrets_are_not_shown_in_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOAD_TEST_API_KEY", "")
    monkeypatch.setenv("DATABASE_POOL_MIN_CONNECTIONS", "20")
    with pytest.raises(SettingsError, match="DATABASE_POOL_MIN_CONNECTIONS must not exceed") as caught:
        load_settings(_env_file=None, api_key="super-secret-value-123")
    assert "super-secret" not in str(caught.value)


def test_guide_aliases_and_url_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERFORMANCE_CONNECTION_POOL_MAX_SIZE", "25")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///elsewhere.db")
    monkeypatch.setenv("POSTGRES_URL", "postgresql://u:p@db:5432/app")
    settings = load_settings(_env_file=None)
    assert settings.database_pool_max_connections == 25
    assert settings.effective_database_url == "postgresql://u:p@db:5432/app"
    monkeypatch.setenv("POSTGRES_URL", "  ")
    assert load_settings(_env_file=None).effective_database_url == "sqlite:///elsewhere.db"
