"""Smaller findings of the attack run, on authentication.

- An access token stayed valid for up to 15 minutes after its login ended (logout, a password
  change, a reused refresh token). It now carries its login (`sid`) and stops at once.
- Ten wrong passwords from ten addresses locked the real user out for a minute (the limit was
  per account). It is now per address, and per address and account.
"""

from __future__ import annotations

from pathlib import Path

import httpx
from fastapi import FastAPI

from impl.app import build_app
from impl.security.passwords import Passwords
from tests.service.conftest import PASSWORD, User, assert_problem, make_settings, register


async def test_logout_ends_the_access_token_too(client: httpx.AsyncClient, ada: User) -> None:
    assert (await ada.get("/v1/users/me")).status_code == 200
    out = await client.post("/v1/auth/logout", json={"refresh_token": ada.refresh_token})
    assert out.status_code == 204
    assert_problem(await ada.get("/v1/users/me"), 401)


async def test_other_logins_survive_a_logout(client: httpx.AsyncClient, ada: User) -> None:
    laptop = ada.access_token
    await ada.login()  # a second login: another family
    out = await client.post("/v1/auth/logout", json={"refresh_token": ada.refresh_token})
    assert out.status_code == 204
    assert_problem(await ada.get("/v1/users/me"), 401)
    still = await client.get("/v1/users/me", headers={"Authorization": f"Bearer {laptop}"})
    assert still.status_code == 200, still.text


async def test_a_password_change_ends_every_access_token(
    client: httpx.AsyncClient, ada: User
) -> None:
    other = ada.access_token
    await ada.login()
    changed = await ada.patch(
        "/v1/users/me", {"password": "a brand new passphrase", "current_password": PASSWORD}
    )
    assert changed.status_code == 200, changed.text
    for token in (other, ada.access_token):
        response = await client.get("/v1/users/me", headers={"Authorization": f"Bearer {token}"})
        assert_problem(response, 401)


async def test_a_reused_refresh_token_ends_the_access_tokens_of_its_login(
    client: httpx.AsyncClient, ada: User
) -> None:
    spent = ada.refresh_token
    form = {"grant_type": "refresh_token", "refresh_token": spent}
    rotated = await client.post("/v1/auth/token", data=form)
    assert rotated.status_code == 200
    fresh = rotated.json()["access_token"]
    reused = await client.post("/v1/auth/token", data=form)
    assert reused.status_code == 400
    response = await client.get("/v1/users/me", headers={"Authorization": f"Bearer {fresh}"})
    assert_problem(response, 401)


def _from(app: FastAPI, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def test_wrong_passwords_from_elsewhere_do_not_lock_the_owner_out(
    tmp_path: Path, passwords: Passwords
) -> None:
    app = build_app(make_settings(tmp_path, rate_limit_login="3/minute"), passwords=passwords)
    async with app.router.lifespan_context(app), _from(app, "10.0.0.1") as owner:
        ada = await register(owner, "ada")
        for i in range(10):
            async with _from(app, f"192.0.2.{i + 1}") as attacker:
                guess = {"grant_type": "password", "username": ada.email, "password": f"guess {i}"}
                for _ in range(3):
                    assert (await attacker.post("/v1/auth/token", data=guess)).status_code == 400
                assert_problem(await attacker.post("/v1/auth/token", data=guess), 429)
        async with _from(app, "198.51.100.7") as elsewhere:
            right = {"grant_type": "password", "username": ada.email, "password": PASSWORD}
            response = await elsewhere.post("/v1/auth/token", data=right)
            assert response.status_code == 200, response.text
