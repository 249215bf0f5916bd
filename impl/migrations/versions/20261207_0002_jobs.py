"""Durable jobs: the job queue's tables (PgQueuer, on PostgreSQL only), the outbox of file
deletions and the count of an export's attempts (on every backend).

`file_deletions` holds each stored file whose rows were deleted, from the deleting
transaction until a job has deleted the file. `exports.attempts` counts attempts as they
start, so an export whose attempts keep killing their worker is failed past the maximum.

PgQueuer's own DDL for its installed version (`pgqueuer`, `pgqueuer_log`,
`pgqueuer_statistics`, `pgqueuer_schedules`, the `pgqueuer_status` type and the trigger that
notifies workers of new jobs), applied here so `make migrate` installs everything once per
deploy and nothing runs `pgq install` by hand. A later PgQueuer release that changes its
schema gets a revision of its own (`Queries.upgrade()` plans and applies the difference).
On SQLite the queue lives in the API process's memory: nothing to create.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.util import await_only

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _execute_script(script: str) -> None:
    """Run several statements at once, in the migration's transaction: through asyncpg's
    simple-query protocol (SQLAlchemy prepares each statement, which allows only one)."""
    connection = op.get_bind().connection.driver_connection  # asyncpg's
    assert connection is not None
    await_only(connection.execute(script))


def upgrade() -> None:
    op.create_table(
        "file_deletions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("storage_key", sa.String(length=255), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_file_deletions")),
    )
    with op.batch_alter_table("file_deletions", schema=None) as batch_op:
        batch_op.create_index("ix_file_deletions_requested_at", ["requested_at"], unique=False)
    with op.batch_alter_table("exports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))

    if op.get_bind().dialect.name != "postgresql":
        return
    from pgqueuer.adapters.persistence.qb import QueryBuilderEnvironment

    _execute_script(QueryBuilderEnvironment().build_install_query(create_schema=False))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        from pgqueuer.adapters.persistence.qb import QueryBuilderEnvironment

        _execute_script(QueryBuilderEnvironment().build_uninstall_query())
    with op.batch_alter_table("exports", schema=None) as batch_op:
        batch_op.drop_column("attempts")
    with op.batch_alter_table("file_deletions", schema=None) as batch_op:
        batch_op.drop_index("ix_file_deletions_requested_at")
    op.drop_table("file_deletions")
