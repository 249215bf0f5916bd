"""No password, hash, token or API key in any log line.

The whole service suite runs under `secret_watch` (tests/service/conftest.py): every log record
of every service test, formatted as production formats it, is scanned. These tests pin the two
ways secrets reached the log before: a database error that carried the statement's bound
parameters (an argon2 hash on registration), and the watch itself."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy.exc import DBAPIError

from impl.db.models import User as UserRow
from impl.runtime import Runtime
from tests.reliability.logscan import CollectingHandler, SecretWatch
from tests.service.conftest import PASSWORD, User


async def test_database_errors_never_carry_bound_parameters(runtime: Runtime) -> None:
    secret_hash = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"
    with pytest.raises(DBAPIError) as raised:
        async with runtime.database.transaction() as session:
            session.add(
                UserRow(
                    id=uuid.uuid4(),
                    email=None,  # NOT NULL: the INSERT fails with every parameter bound
                    password_hash=secret_hash,
                    display_name="x",
                )
            )
    assert "argon2" not in str(raised.value)
    assert "hidden" in str(raised.value)  # SQLAlchemy says it hid them


async def test_a_failing_request_logs_no_secret(
    client: httpx.AsyncClient, ada: User, secret_watch: SecretWatch
) -> None:
    handler = CollectingHandler()
    logging.getLogger().addHandler(handler)
    try:
        token = await client.post(
            "/v1/auth/token",
            data={"grant_type": "password", "username": ada.email, "password": PASSWORD},
        )
        await ada.post("/v1/api-keys", json={"name": "ci", "scopes": ["projects:read"]})
        await client.post("/v1/auth/logout", json={"refresh_token": token.json()["refresh_token"]})
        await client.post("/v1/auth/logout", json={"refresh_token": token.json()["refresh_token"]})
    finally:
        logging.getLogger().removeHandler(handler)
    assert handler.lines, "nothing was logged: the scan proved nothing"
    assert secret_watch.known >= {PASSWORD, token.json()["refresh_token"]}
    assert not secret_watch.leaks(handler.lines)


def test_the_watch_finds_what_it_looks_for(tmp_path: Path) -> None:
    watch = SecretWatch()
    watch.learn("a password nobody else uses")
    lines = [
        '{"message": "ok"}',
        '{"message": "[parameters: (\'$argon2id$v=19$m=65536,t=3,p=4$abc$def\',)]"}',
        '{"message": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlc2ln"}',
        '{"message": "key sf_Ab12Cd34_q5Vb0yL9mT2xW8kR4nE7jH1cF6gA3sD0pZ5uI9oY2wX"}',
        '{"message": "rt_q5Vb0yL9mT2xW8kR4nE7jH1cF6gA3sD0pZ5uI9oY2wX"}',
        '{"message": "login with a password nobody else uses"}',
        '{"message": "prefix sf_Ab12Cd34 only"}',
    ]
    found = watch.leaks(lines)
    assert len(found) == 5, found
    assert not any("prefix sf_Ab12Cd34 only" in line for line in found)
