"""One Settings object, read from the environment (and `.env`) once and passed down.

Every variable of the Performance Guide is read here; invalid values stop start-up with a message that names the
variable (see `load_settings`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from marketing_project.errors import SettingsError

DEFAULT_DATA_DIR = Path("data")


def _env(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False, populate_by_name=True)

    # Server
    host: str = Field("127.0.0.1", description="Address `serve` binds to.")
    port: int = Field(8000, ge=1, le=65535, description="Port `serve` listens on.")
    workers: int = Field(1, ge=1, le=64, description="Worker processes started by `serve`.")
    data_dir: Path = Field(DEFAULT_DATA_DIR, description="Where the embedded SQLite database and the key file live.")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"

    # Access
    api_key: SecretStr | None = Field(None, description="Admin API key.")
    api_keys: SecretStr | None = Field(None, description="Comma-separated `key:role` pairs (admin, editor, viewer).")
    api_key_file: Path | None = Field(
        None, description="File holding the generated admin key when no key is configured (default DATA_DIR/api-key)."
    )

    # Input limits
    max_request_size: int = Field(1024 * 1024, ge=1024, description="Largest request body in bytes (413 above).")
    max_content_words: int = Field(50_000, ge=1, description="Largest content accepted for analysis, in words.")

    # Database
    postgres_url: str | None = Field(None, description="postgresql://user:password@host:5432/db")
    database_url: str | None = Field(None, description="Any supported database URL; POSTGRES_URL wins when both set.")
    postgres_pool_size: int = Field(10, ge=1, le=1000, description="Persistent connections kept by the pool.")
    database_pool_enabled: bool = True
    database_pool_max_connections: int = Field(
        10,
        ge=1,
        le=1000,
        validation_alias=_env("DATABASE_POOL_MAX_CONNECTIONS", "PERFORMANCE_CONNECTION_POOL_MAX_SIZE"),
    )
    database_pool_min_connections: int = Field(
        2, ge=0, le=1000, validation_alias=_env("DATABASE_POOL_MIN_CONNECTIONS", "PERFORMANCE_CONNECTION_POOL_MIN_SIZE")
    )
    database_pool_timeout: float = Field(10.0, gt=0, description="Seconds to wait for a free connection (then 503).")
    database_pool_recycle: float = Field(1800.0, gt=0, description="Seconds after which a connection is replaced.")
    database_pool_retry_attempts: int = Field(3, ge=0, le=20, description="Retries for transient connection errors.")
    database_statement_timeout: float = Field(30.0, gt=0, description="Seconds before a query is abandoned.")
    database_health_check_interval: float = Field(
        30.0, ge=0, description="Seconds between health checks of every connection pool (0: no periodic checks)."
    )
    slow_query_threshold: float = Field(
        0.2, gt=0, description="Statements slower than this many seconds are logged as slow (and counted as such)."
    )
    query_log_max_statements: int = Field(
        500, ge=10, le=100_000, description="Distinct normalized statements the query log aggregates; the rest as one."
    )
    explain_statement_timeout: float = Field(
        5.0, gt=0, description="Seconds an EXPLAIN (endpoint, `db analyze`, `db advise`) may take before it is stopped."
    )

    # MongoDB (content repository and advisor, see the Performance Guide)
    mongodb_url: str | None = Field(
        None, description="mongodb://host:27017/db: the content store when no POSTGRES_URL/DATABASE_URL is set."
    )
    mongodb_max_pool_size: int = Field(10, ge=1, le=1000, description="Connections PyMongo keeps per server.")

    # Redis
    redis_url: str | None = None
    redis_max_connections: int = Field(10, ge=1, le=10_000)
    redis_key_prefix: str = Field(
        "mp", pattern=r"^[A-Za-z0-9_.-]{1,32}$", description="Namespace of our keys, for a Redis shared by apps."
    )

    # Performance monitoring and caching
    performance_monitoring_enabled: bool = Field(
        True, description="Monitoring as a whole: sampler, alerts, /api/v1/performance/*, /dashboard, HTTP metrics."
    )
    performance_metrics_enabled: bool = Field(
        True, description="Per-request metrics (the monitoring middleware); false: no work at all per request."
    )
    performance_metrics_max_requests: int = Field(
        10_000, ge=1, le=10_000_000, description="Recent requests kept for slow/error listings (a ring buffer)."
    )
    performance_history_hours: int = Field(24, ge=1, le=24 * 30, description="Hours of per-minute history kept.")
    performance_cache_enabled: bool = True
    performance_cache_ttl: float = Field(300.0, gt=0)
    performance_cache_max_size: int = Field(1000, ge=1)
    performance_cache_max_bytes: int | None = Field(None, ge=1024, description="Optional memory-tier size bound.")
    performance_query_optimization_enabled: bool = True

    # Alerts (the Performance Guide's thresholds), evaluated every second
    alert_response_time_seconds: float = Field(2.0, gt=0, description="Average response time above this fires.")
    alert_error_rate: float = Field(0.05, ge=0, le=1, description="Share of 5xx responses above this fires.")
    alert_cpu_percent: float = Field(80.0, gt=0, description="Process CPU (% of one core) above this fires.")
    alert_memory_percent: float = Field(
        90.0, gt=0, le=100, description="RSS as % of the container memory limit (else machine memory) above this."
    )
    alert_cache_hit_rate: float = Field(0.70, ge=0, le=1, description="Cache hit rate below this fires.")
    alert_for_seconds: float = Field(300.0, ge=0, description="How long a condition must hold before it fires.")
    alert_window_seconds: float = Field(
        300.0, ge=10, le=3600, description="Window of the response time, error rate and cache hit rate alerts."
    )

    # Load testing defaults
    # In the guide's .env; nothing reads it: the load tester is a client that runs against any URL it is given,
    # and a server cannot tell its traffic from a user's (README, "Load testing").
    load_test_enabled: bool = False
    load_test_concurrent_users: int = Field(10, ge=1, le=100_000)
    load_test_duration_seconds: int = Field(60, ge=1)
    load_test_ramp_up_seconds: int = Field(10, ge=0)
    load_test_api_key: SecretStr | None = None

    @field_validator("postgres_url", "database_url", "redis_url", "mongodb_url", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _pool_bounds(self) -> Settings:
        if self.database_pool_min_connections > self.database_pool_max_connections:
            raise ValueError(
                "DATABASE_POOL_MIN_CONNECTIONS must not exceed DATABASE_POOL_MAX_CONNECTIONS "
                f"({self.database_pool_min_connections} > {self.database_pool_max_connections})"
            )
        return self

    @property
    def effective_database_url(self) -> str:
        """The SQL database (always opened); a mongodb:// DATABASE_URL leaves it on the embedded SQLite file."""
        if self.postgres_url:
            return self.postgres_url
        if self.database_url and not is_mongodb_url(self.database_url):
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'marketing_project.db').as_posix()}"

    @property
    def mongodb_content_url(self) -> str | None:
        """The MongoDB holding the content, if any: by URL scheme, in order POSTGRES_URL, DATABASE_URL, MONGODB_URL."""
        if self.postgres_url:
            return None
        if self.database_url:
            return self.database_url if is_mongodb_url(self.database_url) else None
        return self.mongodb_url

    @property
    def effective_api_key_file(self) -> Path:
        return self.api_key_file or self.data_dir / "api-key"


def is_mongodb_url(url: str) -> bool:
    return url.split(":", 1)[0].lower() in {"mongodb", "mongodb+srv"}


def load_settings(**overrides: Any) -> Settings:
    """Build Settings from the environment, turning validation errors into one readable SettingsError."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = "_".join(str(part) for part in error["loc"]).upper()
            message = error["msg"].removeprefix("Value error, ")
            shown = name and "KEY" not in name
            problems.append(f"{name or 'settings'}: {message}" + (f" (got {error['input']!r})" if shown else ""))
        raise SettingsError("Invalid settings:\n  " + "\n  ".join(problems)) from None
