"""Eight parallel password changes (the same current password, eight new ones) all answered
200, but only the last write's password worked: seven clients were told their new password
was set when it was not (a lost update). The change is now a compare-and-set on the hash the
current password was checked against: exactly one succeeds, the others get 409, and the
winner's password is the one that works. A login that rehashes an outdated hash uses the same
compare-and-set, so it can never put back the password a concurrent change replaced (it
fails instead: the password it checked is no longer the account's).
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import httpx
import pytest
from argon2 import PasswordHasher

from impl.db.models import User as UserRow
from impl.errors import InvalidGrant
from impl.runtime import Runtime
from impl.security.passwords import Passwords, Verification
from impl.services.auth import AuthService
from impl.services.users import UserService
from tests.service.conftest import PASSWORD, User, assert_declared, assert_problem


async def _login(client: httpx.AsyncClient, email: str, password: str) -> int:
    form = {"grant_type": "password", "username": email, "password": password}
    return (await client.post("/v1/auth/token", data=form)).status_code


async def test_parallel_password_changes_exactly_one_wins(
    client: httpx.AsyncClient, ada: User
) -> None:
    new = [f"new passphrase number {i}" for i in range(8)]
    answers = await asyncio.gather(
        *[ada.patch("/v1/users/me", {"password": p, "current_password": PASSWORD}) for p in new]
    )
    codes = [r.status_code for r in answers]
    assert codes.count(200) == 1, codes
    for response in answers:
        assert_declared(response, "updateCurrentUser")
        if response.status_code != 200:
            # Raced the winner: 409. Checked after the winner committed: the current password
            # is wrong (403), or the login the token belongs to has ended (401).
            assert response.status_code in (401, 403, 409), response.text
            assert_problem(response, response.status_code)
    winner = new[codes.index(200)]
    assert await _login(client, ada.email, winner) == 200
    for password in [PASSWORD, *(p for p in new if p != winner)]:
        assert await _login(client, ada.email, password) == 400


async def test_a_rehash_at_login_never_undoes_a_password_change(
    runtime: Runtime, ada: User
) -> None:
    """A login verifies the old password against an outdated hash; meanwhile the password is
    changed; the login's rehash (of the old password) must not overwrite the new hash."""
    weak = Passwords(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, salt_len=8))
    strong = Passwords(PasswordHasher(time_cost=2, memory_cost=16, parallelism=1))
    user_id = uuid.UUID(ada.id)
    async with runtime.database.transaction() as session:
        row = await session.get(UserRow, user_id)
        assert row is not None
        row.password_hash = weak.hash(PASSWORD)
    changed = asyncio.Event()
    login_verified = asyncio.Event()

    class SlowRehash(Passwords):
        async def verify_async(self, stored_hash: str | None, password: str) -> Verification:
            result = await strong.verify_async(stored_hash, password)
            login_verified.set()
            await changed.wait()  # the change commits between verify and the rehash's write
            return result

    async def login() -> None:
        # The password it checked is no longer the account's by the time it would store the
        # rehash: the login fails, as it would have a moment later.
        with pytest.raises(InvalidGrant):
            await _rehashing_login()

    async def _rehashing_login() -> None:
        async with runtime.database.transaction() as session:
            auth = AuthService(
                session,
                passwords=SlowRehash(),
                access_tokens=runtime.access_tokens,
                refresh_ttl=timedelta(days=1),
            )
            await auth.token(grant_type="password", username=ada.email, password=PASSWORD)

    async def change() -> None:
        await login_verified.wait()
        async with runtime.database.transaction() as session:
            await UserService(session, passwords=strong).update(
                user_id, {"password": "the new one, really", "current_password": PASSWORD}
            )
        changed.set()

    await asyncio.gather(login(), change())
    async with runtime.database.session() as session:
        row = await session.get(UserRow, user_id)
        assert row is not None
        assert strong.verify(row.password_hash, "the new one, really").ok
        assert not strong.verify(row.password_hash, PASSWORD).ok
