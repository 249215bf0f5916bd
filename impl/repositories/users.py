from __future__ import annotations

import uuid
from typing import Any, cast

from sqlalchemy import CursorResult, Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from impl.db.base import utcnow
from impl.db.models import User


def normalize_email(email: str) -> str:
    return email.strip().lower()


async def get(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.get(User, user_id)


async def get_by_email(session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == normalize_email(email)))


async def email_taken(
    session: AsyncSession, email: str, *, except_id: uuid.UUID | None = None
) -> bool:
    statement = select(User.id).where(User.email == normalize_email(email))
    if except_id is not None:
        statement = statement.where(User.id != except_id)
    return await session.scalar(statement) is not None


async def add(
    session: AsyncSession,
    *,
    email: str,
    display_name: str,
    password_hash: str,
    is_admin: bool = False,
) -> User:
    user = User(
        email=normalize_email(email),
        display_name=display_name,
        password_hash=password_hash,
        is_admin=is_admin,
        is_active=True,
    )
    session.add(user)
    await session.flush()
    return user


async def replace_password_hash(
    session: AsyncSession, user: User, *, verified: str, new: str
) -> bool:
    """Store `new` only if the stored hash is still `verified`, the one the caller checked a
    password against (compare-and-set). False when a concurrent request changed it meanwhile:
    two changes from the same current password cannot both win, and a login's rehash of the old
    password cannot undo a change. PostgreSQL re-checks the condition after waiting for the
    other writer's row lock; SQLite runs one writer at a time."""
    now = utcnow()
    statement = (
        update(User)
        .where(User.id == user.id, User.password_hash == verified)
        .values(password_hash=new, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    result = cast("CursorResult[Any]", await session.execute(statement))  # an UPDATE's result
    if result.rowcount != 1:
        return False
    set_committed_value(user, "password_hash", new)
    set_committed_value(user, "updated_at", now)
    return True


def list_statement() -> Select[User]:
    return select(User)
