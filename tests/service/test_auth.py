"""Accounts and tokens: register, password grant, refresh rotation and reuse, logout."""

from __future__ import annotations

import httpx

from tests.service.conftest import PASSWORD, User, assert_problem, register


async def test_register_answers_201_with_location_and_no_password(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/v1/auth/register",
        json={"email": "Ada@Example.com", "password": PASSWORD, "display_name": "Ada"},
    )
    assert response.status_code == 201
    assert response.headers["location"] == "/v1/users/me"
    body = response.json()
    assert body["email"] == "ada@example.com" and body["is_active"] and not body["is_admin"]
    assert "password" not in response.text and "hash" not in response.text


async def test_register_a_taken_email_is_409(client: httpx.AsyncClient, ada: User) -> None:
    response = await client.post(
        "/v1/auth/register",
        json={"email": "ADA@example.com", "password": PASSWORD, "display_name": "Other"},
    )
    assert_problem(response, 409, "email_taken")


async def test_register_validates_the_body(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/auth/register", json={"email": "not-an-email", "password": "short", "display_name": ""}
    )
    body = assert_problem(response, 422)
    pointers = {error["pointer"] for error in body["errors"]}
    assert {"/body/password", "/body/display_name"} <= pointers


async def test_register_takes_exactly_the_email_format(client: httpx.AsyncClient) -> None:
    """`format: email` as JSON Schema defines it: no stricter (special-use domains, quoted local
    parts) and no looser; the generated model keeps it a string, the runtime checks it."""
    for email in ("", "not-an-email", " ada@example.com", "a..b@example.com"):
        body = {"email": email, "password": PASSWORD, "display_name": "Ada"}
        problem = assert_problem(await client.post("/v1/auth/register", json=body), 422)
        assert [e["pointer"] for e in problem["errors"]] == ["/body/email"], email
    for email in ("x@host.test", '"odd one"@example.com', "Mixed@Example.COM"):
        body = {"email": email, "password": PASSWORD, "display_name": "Ada"}
        response = await client.post("/v1/auth/register", json=body)
        assert response.status_code == 201, (email, response.text)
        assert response.json()["email"] == email.lower()


async def test_password_grant_returns_a_token_pair(client: httpx.AsyncClient, ada: User) -> None:
    response = await ada.login()
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 900
    assert body["refresh_token"].startswith("rt_")
    assert "projects:write" in body["scope"].split() and "admin" not in body["scope"].split()
    assert response.headers["cache-control"] == "no-store"
    me = await ada.get("/v1/users/me")
    assert me.status_code == 200 and me.json()["email"] == ada.email


async def test_password_grant_can_narrow_scopes(client: httpx.AsyncClient, ada: User) -> None:
    await ada.login(scope="profile")
    assert (await ada.get("/v1/users/me")).status_code == 200
    forbidden = await ada.get("/v1/projects")
    assert_problem(forbidden, 403)
    assert 'error="insufficient_scope"' in forbidden.headers["www-authenticate"]
    response = await client.post(
        "/v1/auth/token",
        data={
            "grant_type": "password",
            "username": ada.email,
            "password": PASSWORD,
            "scope": "admin",
        },
    )
    assert_problem(response, 400, "invalid_scope")


async def test_wrong_password_is_invalid_grant(client: httpx.AsyncClient, ada: User) -> None:
    response = await client.post(
        "/v1/auth/token",
        data={"grant_type": "password", "username": ada.email, "password": "wrong password!"},
    )
    assert_problem(response, 400, "invalid_grant")


async def test_token_form_is_validated_against_the_schema(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/auth/token",
        data={
            "grant_type": "password",
            "username": "ada@example.com",
            "password": "x",
            "scope": "NOT VALID",
        },
    )
    body = assert_problem(response, 422)
    assert any(error["pointer"] == "/body/scope" for error in body["errors"])
    assert_problem(await client.post("/v1/auth/token", data={"grant_type": "implicit"}), 422)
    for bad in ({"scope": ""}, {"username": "not-an-email"}):
        form = {"grant_type": "password", "username": "a@example.com", "password": "x", **bad}
        body = assert_problem(await client.post("/v1/auth/token", data=form), 422)
        assert [e["pointer"] for e in body["errors"]] == [f"/body/{next(iter(bad))}"]


async def test_refresh_rotates_and_reuse_revokes_the_family(
    client: httpx.AsyncClient, ada: User
) -> None:
    first = ada.refresh_token
    rotated = await client.post(
        "/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": first}
    )
    assert rotated.status_code == 200, rotated.text
    second = rotated.json()["refresh_token"]
    assert second != first
    reused = await client.post(
        "/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": first}
    )
    assert_problem(reused, 400, "invalid_grant")
    # The thief's replay ended the whole login: the rotated token is dead too.
    after = await client.post(
        "/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": second}
    )
    assert_problem(after, 400, "invalid_grant")


async def test_logout_ends_the_login_and_ignores_unknown_tokens(
    client: httpx.AsyncClient, ada: User
) -> None:
    response = await client.post("/v1/auth/logout", json={"refresh_token": ada.refresh_token})
    assert response.status_code == 204 and response.content == b""
    refresh = await client.post(
        "/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": ada.refresh_token}
    )
    assert_problem(refresh, 400, "invalid_grant")
    unknown = await client.post("/v1/auth/logout", json={"refresh_token": "rt_unknown"})
    assert unknown.status_code == 204


async def test_bad_or_missing_bearer_token_is_401_with_a_challenge(
    client: httpx.AsyncClient,
) -> None:
    missing = await client.get("/v1/users/me")
    assert_problem(missing, 401)
    assert missing.headers["www-authenticate"].startswith("Bearer")
    invalid = await client.get("/v1/users/me", headers={"Authorization": "Bearer nope"})
    assert_problem(invalid, 401)
    assert 'error="invalid_token"' in invalid.headers["www-authenticate"]


async def test_two_registrations_get_distinct_accounts(client: httpx.AsyncClient) -> None:
    first, second = await register(client), await register(client)
    assert first.id != second.id
