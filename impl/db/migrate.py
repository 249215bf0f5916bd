"""Apply Alembic migrations from code (start-up in development, tests, `make migrate`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
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


def upgrade_to_head(url: str | URL) -> None:
    """Migrate the database at `url` to the latest revision. Call it where no event loop
    runs (the migration environment starts its own); inside one, use `upgrade_engine`."""
    command.upgrade(alembic_config(url), "head")


async def upgrade_engine(engine: AsyncEngine) -> None:
    """Migrate through an existing async engine, from inside a running event loop."""
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade_on_connection)


def _upgrade_on_connection(connection: AsyncConnection | object) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
