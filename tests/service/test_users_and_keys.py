"""The current user, administration, and API keys as an alternative credential."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from impl.app import build_app
from impl.runtime import Runtime
from impl.security.passwords import Passwords
from tests.service.conftest import (
    PASSWORD,
    User,
    assert_problem,
    make_admin,
    make_settings,
    register,
)


async def test_patch_me_is_a_merge_patch(ada: User) -> None:
    response = await ada.patch("/v1/users/me", {"display_name": "Ada King"})
    assert response.status_code == 200, response.text
    assert response.json()["display_name"] == "Ada King"
    assert response.json()["email"] == ada.email  # absent members are left alone
    assert (await ada.get("/v1/users/me")).json()["display_name"] == "Ada King"


async def test_patch_me_rejects_null_plain_json_and_unknown_fields(ada: User) -> None:
    assert_problem(await ada.patch("/v1/users/me", {"display_name": None}), 422)
    assert_problem(await ada.patch("/v1/users/me", {"is_admin": True}), 422)
    text = await ada.request(
        "PATCH", "/v1/users/me", content=b"display_name=X", headers={"Content-Type": "text/plain"}
    )
    assert_problem(text, 415)


async def test_changing_the_password_needs_the_current_one(
    client: httpx.AsyncClient, ada: User
) -> None:
    new = "a brand new passphrase"
    # A wrong current password is a well-formed request the caller may not make: 403.
    wrong = await ada.patch("/v1/users/me", {"password": new, "current_password": "nope nope"})
    assert_problem(wrong, 403, "wrong_password")
    # Without it the request breaks the schema's `dependentRequired`: 422.
    missing = await ada.patch("/v1/users/me", {"password": new})
    problem = assert_problem(missing, 422)
    assert [e["pointer"] for e in problem["errors"]] == ["/current_password"]
    ok = await ada.patch("/v1/users/me", {"password": new, "current_password": PASSWORD})
    assert ok.status_code == 200
    login = await client.post(
        "/v1/auth/token", data={"grant_type": "password", "username": ada.email, "password": new}
    )
    assert login.status_code == 200


async def test_user_admin_needs_the_admin_scope(
    client: httpx.AsyncClient, runtime: Runtime, ada: User, grace: User
) -> None:
    assert_problem(await client.get("/v1/users"), 401)
    assert_problem(await ada.get("/v1/users"), 403)
    assert_problem(await ada.post(f"/v1/users/{grace.id}/deactivate"), 403)
    await make_admin(runtime, ada)
    page = await ada.get("/v1/users", params={"limit": 1, "sort": "email"})
    assert page.status_code == 200
    assert [u["email"] for u in page.json()["items"]] == ["ada@example.com"]
    assert page.headers["link"].endswith('>; rel="next"')
    second = await ada.get(page.headers["link"][1:].split(">")[0])
    assert [u["email"] for u in second.json()["items"]] == ["grace@example.com"]
    assert "link" not in second.headers


async def test_admin_emails_make_administrators_at_registration(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, admin_emails="Root@Example.com")
    app = build_app(settings, passwords=Passwords.fast_for_tests())
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
    ):
        root = await register(client, "root")  # root@example.com, matched case-insensitively
        plain = await register(client, "plain")
        assert root.id != plain.id
        me = await root.get("/v1/users/me")
        assert me.json()["is_admin"] is True
        assert (await plain.get("/v1/users/me")).json()["is_admin"] is False
        assert (await root.get("/v1/users")).status_code == 200
        assert_problem(await plain.get("/v1/users"), 403)


async def test_deactivation_locks_the_user_out(
    client: httpx.AsyncClient, runtime: Runtime, ada: User, grace: User
) -> None:
    await make_admin(runtime, ada)
    response = await ada.post(f"/v1/users/{grace.id}/deactivate")
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert_problem(await grace.get("/v1/users/me"), 401)  # the access token stops at once
    login = await client.post(
        "/v1/auth/token",
        data={"grant_type": "password", "username": grace.email, "password": PASSWORD},
    )
    assert_problem(login, 400, "invalid_grant")
    assert_problem(await ada.post(f"/v1/users/{ada.id}/deactivate"), 409)
    missing = "00000000-0000-4000-8000-000000000000"
    assert_problem(await ada.post(f"/v1/users/{missing}/deactivate"), 404)


async def test_api_keys_are_shown_once_listed_by_prefix_and_revocable(
    client: httpx.AsyncClient, ada: User
) -> None:
    created = await ada.post(
        "/v1/api-keys", json={"name": "CI", "scopes": ["projects:read", "projects:write"]}
    )
    assert created.status_code == 201, created.text
    key = created.json()["key"]
    key_id = created.json()["id"]
    assert created.headers["location"] == f"/v1/api-keys/{key_id}"
    assert key.startswith(created.json()["prefix"] + "_")

    listed = await ada.get("/v1/api-keys")
    assert listed.status_code == 200
    [item] = listed.json()["items"]
    assert item["prefix"] == created.json()["prefix"] and "key" not in item
    assert key not in listed.text

    as_key = {"X-API-Key": key}
    made = await client.post("/v1/projects", json={"name": "Via key"}, headers=as_key)
    assert made.status_code == 201, made.text
    projects = await client.get("/v1/projects", headers=as_key)
    assert [p["name"] for p in projects.json()["items"]] == ["Via key"]
    # Scopes the key does not carry, and operations that take bearer tokens only:
    assert_problem(await client.get(f"/v1/projects/{made.json()['id']}/tasks", headers=as_key), 403)
    assert_problem(await client.get("/v1/api-keys", headers=as_key), 401)
    assert_problem(await client.get("/v1/projects", headers={"X-API-Key": key[:-1] + "x"}), 401)

    assert (await ada.delete(f"/v1/api-keys/{key_id}")).status_code == 204
    assert_problem(await client.get("/v1/projects", headers=as_key), 401)
    assert (await ada.get("/v1/api-keys")).json()["items"] == []
    assert_problem(await ada.delete(f"/v1/api-keys/{key_id}"), 404)


async def test_api_key_expiry_is_a_number_of_days(client: httpx.AsyncClient, ada: User) -> None:
    before = datetime.now(UTC)
    created = await ada.post(
        "/v1/api-keys", json={"name": "CI", "scopes": ["profile"], "expires_in_days": 30}
    )
    assert created.status_code == 201, created.text
    expires_at = datetime.fromisoformat(created.json()["expires_at"])
    assert before + timedelta(days=30) <= expires_at <= datetime.now(UTC) + timedelta(days=30)
    as_key = {"X-API-Key": created.json()["key"]}
    assert (await client.get("/v1/users/me", headers=as_key)).status_code == 200

    forever = await ada.post("/v1/api-keys", json={"name": "CI", "scopes": ["profile"]})
    assert forever.status_code == 201 and forever.json()["expires_at"] is None
    explicit = {"name": "CI", "scopes": ["profile"], "expires_in_days": None}
    never = await ada.post("/v1/api-keys", json=explicit)
    assert never.status_code == 201 and never.json()["expires_at"] is None
    listed = {k["id"]: k["expires_at"] for k in (await ada.get("/v1/api-keys")).json()["items"]}
    assert listed[forever.json()["id"]] is None and listed[created.json()["id"]] is not None

    for days in (0, 3651, -1):
        body = {"name": "CI", "scopes": ["profile"], "expires_in_days": days}
        assert_problem(await ada.post("/v1/api-keys", json=body), 422)
    # The timestamp is not a request field (a past one would be a schema-valid rejection).
    stamp = {"name": "CI", "scopes": ["profile"], "expires_at": "2099-01-01T00:00:00Z"}
    assert_problem(await ada.post("/v1/api-keys", json=stamp), 422)


async def test_api_keys_cannot_carry_admin_scopes(ada: User) -> None:
    response = await ada.post("/v1/api-keys", json={"name": "x", "scopes": ["admin"]})
    assert_problem(response, 422)
