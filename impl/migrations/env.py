"""Alembic environment: async engines, and an existing connection when one is handed over.

`impl.db.migrate.upgrade_engine` passes its connection in `config.attributes["connection"]`;
the `alembic` command line and `upgrade_to_head` connect here with `sqlalchemy.url` (or
`DATABASE_URL`, or the service's default).
"""

from __future__ import annotations

import asyncio
import os
from logging.config import fileConfig
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.engine import Connection

from impl.db.base import UTCDateTime
from impl.db.engine import create_engine
from impl.db.migrate import include_name
from impl.db.models import Base

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def _url() -> str:
    # Not Settings(): migrating must not need the JWT secret or any other service setting.
    from impl.settings import Settings

    default = Settings.model_fields["database_url"].default
    return config.get_main_option("sqlalchemy.url") or os.environ.get("DATABASE_URL") or default


def _render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Render our column types as plain SQLAlchemy ones, so revisions never import `impl`."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_name=include_name,
        compare_type=True,
        render_item=_render_item,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite ALTER TABLE support
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    # A schema change may run long on a big table: not the request timeouts, 6 hours.
    engine = create_engine(_url(), statement_timeout=6 * 3600)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_configure)
            await connection.commit()
    finally:
        await engine.dispose()


def run_migrations_offline() -> None:
    context.configure(
        url=_url(), target_metadata=target_metadata, literal_binds=True, compare_type=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
    else:
        asyncio.run(_run_async())


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
