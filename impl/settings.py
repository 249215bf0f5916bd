"""Service configuration, read once from the environment (and an optional `.env` file).

Secrets come only from the environment. A missing `JWT_SECRET` stops the service outside
development; in development an ephemeral secret is generated and a loud warning logged, so
every restart logs everybody out.
"""

from __future__ import annotations

import json
import logging
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, PrivateAttr, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

log = logging.getLogger(__name__)

Environment = Literal["development", "production", "test"]


_MIN_SECRET_BYTES = 32  # RFC 7518 §3.2: an HS256 key must be at least 256 bits.


class ConfigurationError(RuntimeError):
    """The environment does not describe a service that can start."""


class Settings(BaseSettings):
    """Every knob of the service. Field names are the environment variables, upper-cased."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    environment: Environment = "development"
    log_level: str = "INFO"
    log_json: bool = True

    database_url: str = "sqlite+aiosqlite:///./var/specfirst.db"
    database_pool_size: int = Field(default=10, ge=1)
    database_max_overflow: int = Field(default=10, ge=0)
    database_echo: bool = False
    database_connect_timeout_seconds: float = Field(default=5.0, gt=0)
    """How long opening a database connection may take before the request answers 503."""
    database_statement_timeout_seconds: float = Field(default=10.0, gt=0)
    """How long one statement may run (enforced by PostgreSQL, and by the client for a server
    that stopped answering) before the request answers 503."""
    database_pool_timeout_seconds: float = Field(default=5.0, gt=0)
    """How long a request waits for a pooled connection before it answers 503."""
    migrate_on_startup: bool | None = None
    """Apply Alembic migrations at start-up; defaults to on in development, off elsewhere."""

    redis_url: str | None = None
    redis_timeout_seconds: float = Field(default=2.0, gt=0)
    """Connect and command timeout for Redis: past it, the request answers 503 (or, for rate
    limits with `RATE_LIMIT_FAIL_OPEN`, goes on unlimited)."""
    retry_after_seconds: int = Field(default=5, ge=1)
    """`Retry-After` of a 503 answered while the database or Redis is unavailable."""

    jwt_secret: SecretStr | None = None
    jwt_algorithm: Literal["HS256", "HS384", "HS512"] = "HS256"
    jwt_issuer: str = "specfirst"
    jwt_audience: str = "specfirst-api"
    access_token_ttl_seconds: int = Field(default=15 * 60, ge=30)
    refresh_token_ttl_seconds: int = Field(default=14 * 24 * 3600, ge=60)

    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)

    rate_limit_enabled: bool = True
    rate_limit_strategy: Literal["moving-window", "fixed-window", "sliding-window-counter"] = (
        "moving-window"
    )
    rate_limit_api: str = "300/minute"
    """Per authenticated principal, across all operations (limits' notation)."""
    rate_limit_login: str = "10/minute"
    """Per client address, and per client address and username, on the auth endpoints."""
    rate_limit_key_prefix: str = Field(default="specfirst-rl", min_length=1)
    """Prefix of the rate limits' keys in Redis: services (or test runs) that share one Redis
    database count apart under different prefixes."""
    rate_limit_fail_open: bool = False
    """While Redis is unavailable: False (the default) answers 503 to every rate-limited
    request; True lets them through unlimited (one warning per outage says so)."""

    idempotency_ttl_seconds: int = Field(default=24 * 3600, ge=60)
    """How long a stored response is replayed for its `Idempotency-Key`."""
    idempotency_lease_seconds: float = Field(default=30.0, gt=0)
    """How long a request holds its `Idempotency-Key` before it has stored a response: a retry
    meanwhile is a 409; after it (the worker died, say) a retry runs the request. Longer than
    any create takes (a create that outlives it, and is overtaken, rolls back: still once)."""

    max_upload_bytes: int = Field(default=10 * 1024 * 1024, ge=1)
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    """Ceiling for every JSON and form request body (uploads have `MAX_UPLOAD_BYTES`). Each
    operation's own limit is derived from its schema's `maxLength`/`maxItems` bounds when they
    bound it, and never exceeds this. Larger bodies answer 413 before they are read."""
    body_limits: Annotated[dict[str, int], NoDecode] = Field(default_factory=dict)
    """`BODY_LIMITS`, e.g. `createTask=65536,register=4096`: per-operation body limits in
    bytes, overriding the derived ones (and `MAX_BODY_BYTES`)."""
    max_header_bytes: int = Field(default=16 * 1024, ge=1024)
    """Total size of the request headers; larger requests answer 431."""
    allowed_upload_media_types: Annotated[tuple[str, ...], NoDecode] = ()
    """`ALLOWED_UPLOAD_MEDIA_TYPES`, comma-separated: narrows the attachment media types the spec
    accepts (`encoding.contentType` of the upload's file part, enforced by the generated router).
    Empty: whatever the spec accepts."""
    storage_dir: Path = Path("./var/files")
    """Where files live when `STORAGE_URL` is not set: a directory on local disk."""
    storage_url: str | None = None
    """`s3://bucket/prefix` keeps files in S3 (or any S3-compatible service; endpoint,
    credentials and region from `AWS_ENDPOINT_URL`, `AWS_ACCESS_KEY_ID`,
    `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`); a path or `file:///path` keeps them on disk."""
    storage_timeout_seconds: float = Field(default=30.0, gt=0)
    """How long one storage call may wait (a connect, a write of one part, a delete, a stall
    while streaming a read) before the request answers 503 (or a job retries)."""

    max_api_keys_per_user: int = Field(default=25, ge=1)

    admin_emails: Annotated[frozenset[str], NoDecode] = frozenset()
    """`ADMIN_EMAILS`, comma-separated: accounts registered with one of these addresses get the
    admin role (matched after trimming and lower-casing). Empty by default, so nobody is an admin
    unless the operator says so; it bootstraps the first administrator without touching the
    database. It applies at registration only: an existing account keeps its role.

    Registration does not verify addresses, so the role goes to whoever registers the address
    first: register it before anyone else can reach the service, and keep that account's email
    (an address given up by `PATCH /users/me` can be registered again, by anyone)."""

    jobs_in_process: bool | None = None
    """Run a job worker (exports) inside each API process. Always on with SQLite (one process:
    `make run` is one command). On PostgreSQL off by default: run `python -m impl.worker`
    (`make worker`) as its own processes, on any hosts; `JOBS_IN_PROCESS=true` runs one in
    every API process instead (or as well)."""
    job_concurrency: int = Field(default=4, ge=2)
    """Jobs one worker process runs at once; it opens this many database connections for them
    (its own pool, apart from the requests'), plus one for its sweep and one for the queue."""
    job_lease_seconds: float = Field(default=30.0, gt=0)
    """A job whose worker sent no heartbeat for this long (it died) is picked up again."""
    export_concurrency_limit: int = Field(default=0, ge=0)
    """Exports running at once across all workers (enforced by the queue in SQL); 0: only
    each worker's `JOB_CONCURRENCY` limits them."""
    export_max_attempts: int = Field(default=5, ge=1)
    """Attempts per export; failures in between are retried with exponential backoff, and the
    last one marks the export failed with a reason. Counted as each attempt starts, so one
    whose worker died counts too. File deletions are retried with the same backoff."""
    export_retry_initial_seconds: float = Field(default=1.0, gt=0)
    export_retry_max_seconds: float = Field(default=60.0, gt=0)
    export_attempt_timeout_seconds: float = Field(default=120.0, gt=0)
    """One attempt longer than this fails (and is retried)."""
    export_deadline_seconds: float = Field(default=900.0, gt=0)
    """No export stays pending or running longer than this (plus one sweep interval): the
    workers' sweep marks it failed. Keep it above the attempts' worst case."""
    export_sweep_seconds: float = Field(default=30.0, gt=0)
    """How often each worker sweeps: overdue exports failed, orphaned ones re-enqueued."""
    startup_retry_max_seconds: float = Field(default=10.0, gt=0)
    """While the database is unreachable at start-up (or its migration fails), the process
    stays up, answers readiness 503 and retries with backoff up to this interval."""
    shutdown_grace_seconds: float = Field(default=20.0, ge=0)
    """How long shutdown waits for background work (in-process jobs, file deletions) before
    cancelling it; an export cancelled so is picked up again by a worker after the lease."""

    _ephemeral_secret: bool = PrivateAttr(default=False)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        return _split_csv(value)

    @field_validator("body_limits", mode="before")
    @classmethod
    def _split_body_limits(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        stripped = value.strip()
        if stripped.startswith("{"):
            return json.loads(stripped)
        limits: dict[str, str] = {}
        for item in stripped.split(","):
            if item.strip():
                name, _, size = item.partition("=")
                limits[name.strip()] = size.strip()
        return limits

    @field_validator("allowed_upload_media_types", mode="before")
    @classmethod
    def _split_media_types(cls, value: object) -> object:
        split = _split_csv(value)
        return tuple(item.lower() for item in split) if isinstance(split, list) else split

    @field_validator("admin_emails", mode="before")
    @classmethod
    def _split_admin_emails(cls, value: object) -> object:
        split = _split_csv(value)
        if isinstance(split, list | tuple | set | frozenset):
            return frozenset(str(item).strip().lower() for item in split if str(item).strip())
        return split

    @model_validator(mode="after")
    def _require_secret(self) -> Settings:
        if self.jwt_secret is None:
            if self.environment != "development":
                raise ConfigurationError(
                    f"JWT_SECRET is not set. ENVIRONMENT={self.environment} needs a secret of at "
                    f"least {_MIN_SECRET_BYTES} bytes, e.g. "
                    "`export JWT_SECRET=\"$(python -c 'import secrets; print(secrets.token_urlsafe(48))')\"`."
                )
            object.__setattr__(self, "jwt_secret", SecretStr(secrets.token_urlsafe(48)))
            self._ephemeral_secret = True
            log.warning(
                "JWT_SECRET is not set: using an EPHEMERAL secret for development. Every restart "
                "invalidates all tokens. Never run like this in production."
            )
        elif len(self.jwt_secret.get_secret_value().encode()) < _MIN_SECRET_BYTES:
            raise ConfigurationError(
                f"JWT_SECRET is too short: {self.jwt_algorithm} needs at least "
                f"{_MIN_SECRET_BYTES} bytes."
            )
        return self

    @model_validator(mode="after")
    def _lease_within_ttl(self) -> Settings:
        if self.idempotency_lease_seconds >= self.idempotency_ttl_seconds:
            raise ConfigurationError(
                "IDEMPOTENCY_LEASE_SECONDS must be shorter than IDEMPOTENCY_TTL_SECONDS."
            )
        return self

    @property
    def jwt_secret_value(self) -> str:
        assert self.jwt_secret is not None  # guaranteed by _require_secret
        return self.jwt_secret.get_secret_value()

    @property
    def jwt_secret_is_ephemeral(self) -> bool:
        return self._ephemeral_secret

    @property
    def runs_jobs_in_process(self) -> bool:
        if self.database_url.startswith("sqlite"):
            return True  # the queue is in this process's memory
        return bool(self.jobs_in_process)

    @property
    def should_migrate_on_startup(self) -> bool:
        if self.migrate_on_startup is not None:
            return self.migrate_on_startup
        return self.environment == "development"


def _split_csv(value: object) -> object:
    """Accept `a,b,c` as well as a JSON list for list-valued variables."""
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):
            return json.loads(stripped)
        return [item.strip() for item in stripped.split(",") if item.strip()]
    return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, built on first use."""
    return Settings()
