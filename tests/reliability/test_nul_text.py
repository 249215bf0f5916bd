"""NUL (U+0000) in text: PostgreSQL cannot store it (the driver raised a 500 whose log line held
the statement's parameters, an argon2 hash among them) and SQLite can, so the backends
disagreed. The spec now says so (`pattern: '^[^\x00]*$'` on every free-text field and parameter)
and both refuse it at validation, with the operation's declared 4xx and a pointer to each field,
in bodies, forms and query parameters (`RequestGuard` before the app reads them; the generated
router for multipart fields), and in forged cursors."""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from tests.service.conftest import (
    PASSWORD,
    User,
    assert_declared,
    assert_problem,
)

NUL = "a\u0000b"


def _pointers(response: httpx.Response) -> set[str]:
    return {error["pointer"] for error in response.json()["errors"]}


async def test_anonymous_register_with_nul_is_a_422(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/auth/register",
        json={"email": "nul@example.com", "password": PASSWORD, "display_name": NUL},
    )
    assert_problem(response, 422, "validation_failed")
    assert_declared(response, "register")
    assert _pointers(response) == {"/body/display_name"}
    # Nothing was created: the address is still free.
    again = await client.post(
        "/v1/auth/register",
        json={"email": "nul@example.com", "password": PASSWORD, "display_name": "ok"},
    )
    assert again.status_code == 201, again.text


async def test_nul_in_every_kind_of_text_is_refused(ada: User) -> None:
    project = await ada.project()
    task = await ada.task(project["id"])
    cases = [
        ("createProject", await ada.post("/v1/projects", json={"name": NUL}), "/body/name"),
        (
            "createTask",
            await ada.post(f"/v1/projects/{project['id']}/tasks", json={"title": NUL}),
            "/body/title",
        ),
        (
            "createComment",
            await ada.post(f"/v1/tasks/{task['id']}/comments", json={"body": NUL}),
            "/body/body",
        ),
        (
            "updateTask",
            await ada.patch(
                f"/v1/tasks/{task['id']}", {"description": NUL}, headers={"If-Match": '"x"'}
            ),
            "/body/description",
        ),
        (
            "listProjects",
            await ada.get("/v1/projects", params={"name_contains": NUL}),
            "/query/name_contains",
        ),
    ]
    for operation, response, pointer in cases:
        assert_problem(response, 422, "validation_failed")
        assert_declared(response, operation)
        assert _pointers(response) == {pointer}, (operation, response.text)


async def test_nul_in_a_form_field_is_refused(client: httpx.AsyncClient, ada: User) -> None:
    response = await client.post(
        "/v1/auth/token",
        data={"grant_type": "password", "username": ada.email, "password": "x\u0000y"},
    )
    assert_problem(response, 422, "validation_failed")
    assert _pointers(response) == {"/body/password"}


async def test_nul_in_an_upload_description_is_refused(ada: User) -> None:
    project = await ada.project()
    task = await ada.task(project["id"])
    response = await ada.post(
        f"/v1/tasks/{task['id']}/attachments",
        files={"file": ("a.txt", b"x", "text/plain")},
        data={"description": NUL},
    )
    # Multipart fields are validated by the generated router, against the spec's pattern.
    assert_problem(response, 422)
    assert_declared(response, "uploadAttachment")
    assert any("description" in error["pointer"] for error in response.json()["errors"])


async def test_an_escaped_backslash_is_not_a_nul(ada: User) -> None:
    # The JSON text holds `\\u0000`: a backslash and "u0000", which is fine text.
    response = await ada.post(
        "/v1/projects",
        content=b'{"name": "C:\\\\u0000 folder"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "C:\\u0000 folder"


async def test_a_forged_title_cursor_with_nul_is_an_invalid_cursor(ada: User) -> None:
    project = await ada.project()
    for title in ("one", "two", "three"):
        await ada.task(project["id"], title=title)
    url = f"/v1/projects/{project['id']}/tasks"
    first = await ada.get(url, params={"sort": "title", "limit": 1})
    cursor = first.json()["next_cursor"]
    payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    payload["k"] = NUL
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    response = await ada.get(url, params={"sort": "title", "limit": 1, "cursor": forged})
    assert_problem(response, 400, "invalid_cursor")
    assert_declared(response, "listTasks")


@pytest.mark.parametrize("query", ["name_contains=%00", "name_contains=a%00&limit=5"])
async def test_nul_in_the_raw_query_string(ada: User, query: str) -> None:
    response = await ada.get(f"/v1/projects?{query}")
    assert_problem(response, 422, "validation_failed")
