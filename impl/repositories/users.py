from __future__ import annotations

import uuid

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

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


def list_statement() -> Select[User]:
    return select(User)
