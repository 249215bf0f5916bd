"""Apply Alembic migrations from code (start-up in development, tests, `make migrate`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from impl.db.engine import normalize_url

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str | URL | None = None) -> Config:
    """An Alembic config that does not depend on the working directory or `alembic.ini`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        rendered = normalize_url(url).render_as_string(hide_password=False)
        config.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return config


def include_name(name: str | None, type_: str, _parent: object) -> bool:
    """What autogenerate compares: not the job queue's tables, which PgQueuer owns (revision
    0002 installs them), so the models never describe them."""
    return not (type_ == "table" and (name or "").startswith("pgqueuer"))


def upgrade_to_head(url: str | URL) -> None:
    """Migrate the database at `url` to the latest revision. Call it where no event loop
    runs (the migration environment starts its own); inside one, use `upgrade_engine`."""
    command.upgrade(alembic_config(url), "head")


# Any constant: the PostgreSQL advisory lock that serializes migrations across processes.
_MIGRATION_LOCK_ID = 0x5F_5350_4543


async def upgrade_engine(engine: AsyncEngine) -> None:
    """Migrate through an existing async engine, from inside a running event loop.

    On PostgreSQL the migration holds a transaction-scoped advisory lock, so several workers
    starting at once run it one after the other (the later ones find nothing to do)."""
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # DDL on a big table may take longer than a request's statement timeout; so may
            # waiting for another worker's migration.
            await connection.execute(text("SET LOCAL statement_timeout = 0"))
            await connection.execute(
                text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK_ID}
            )
        await connection.run_sync(_upgrade_on_connection)


def _upgrade_on_connection(connection: AsyncConnection | object) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
