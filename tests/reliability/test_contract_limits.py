"""Defects where the service broke its own contract: the API-key cap raced past the list's
`maxItems` (after which `GET /api-keys` answered 500 for good), settings that contradict the spec,
a long part Content-Type on an upload (500), and the secret of a new key served cacheable."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from impl.app import build_app
from impl.security.passwords import Passwords
from impl.settings import ConfigurationError, Settings
from tests.service.conftest import User, assert_declared, make_settings

ROOT = Path(__file__).resolve().parents[2]


async def test_concurrent_creates_never_pass_the_api_key_cap(ada: User, settings: Settings) -> None:
    cap = settings.max_api_keys_per_user
    for i in range(cap - 5):
        created = await ada.post(
            "/v1/api-keys", json={"name": f"k{i}", "scopes": ["projects:read"]}
        )
        assert created.status_code == 201, created.text
    results = await asyncio.gather(
        *(
            ada.post("/v1/api-keys", json={"name": f"race{i}", "scopes": ["projects:read"]})
            for i in range(32)
        )
    )
    codes = sorted(r.status_code for r in results)
    assert codes == [201] * 5 + [409] * 27, codes
    listed = await ada.get("/v1/api-keys")
    assert listed.status_code == 200, listed.text
    assert len(listed.json()["items"]) == cap


def test_a_key_cap_above_the_spec_is_refused(tmp_path: Path, passwords: Passwords) -> None:
    with pytest.raises(ConfigurationError, match=r"MAX_API_KEYS_PER_USER=26 exceeds the 25"):
        build_app(make_settings(tmp_path, max_api_keys_per_user=26), passwords=passwords)
    with pytest.raises(ConfigurationError, match=r"BODY_LIMITS names createTsk"):
        build_app(make_settings(tmp_path, body_limits={"createTsk": 100}), passwords=passwords)


def test_the_server_refuses_to_start_with_one_clear_line(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "ENVIRONMENT": "production",
        "JWT_SECRET": "s" * 48,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}",
        "MAX_API_KEYS_PER_USER": "100",
    }
    done = subprocess.run(
        [sys.executable, "-c", "import impl.main"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert "cannot start: MAX_API_KEYS_PER_USER=100 exceeds the 25 keys" in done.stderr
    assert "Traceback" not in done.stderr


async def test_a_long_part_content_type_is_stored_as_its_media_type(ada: User) -> None:
    project = await ada.project()
    task = await ada.task(project["id"])
    response = await ada.post(
        f"/v1/tasks/{task['id']}/attachments",
        files={"file": ("a.txt", b"x", "text/plain;" + " x=y;" * 40)},
    )
    assert response.status_code == 201, response.text
    assert response.json()["media_type"] == "text/plain"
    download = await ada.get(f"/v1/attachments/{response.json()['id']}/content")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/plain")


async def test_a_new_api_key_is_never_cached(ada: User) -> None:
    response = await ada.post("/v1/api-keys", json={"name": "ci", "scopes": ["projects:read"]})
    assert response.status_code == 201, response.text
    assert response.headers["cache-control"] == "no-store"
    assert_declared(response, "createApiKey")


async def test_validation_titles_agree(client: httpx.AsyncClient) -> None:
    by_router = await client.post("/v1/auth/register", json={"email": 1})
    by_form = await client.post("/v1/auth/token", data={"grant_type": "password", "scope": ""})
    assert by_router.status_code == by_form.status_code == 422
    titles = {r.json()["title"] for r in (by_router, by_form)}
    assert titles == {"Unprocessable Content"}, [r.text for r in (by_router, by_form)]
