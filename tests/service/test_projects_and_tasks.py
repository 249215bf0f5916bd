"""Projects and tasks: codes, ETags, conditional requests, idempotency, access, lists."""

from __future__ import annotations

import uuid

import httpx

from impl.runtime import Runtime
from tests.service.conftest import User, assert_declared, assert_problem, make_admin, register


async def test_project_crud_with_etags(ada: User) -> None:
    created = await ada.post("/v1/projects", json={"name": "Relaunch", "description": "Spring"})
    assert created.status_code == 201
    project = created.json()
    url = f"/v1/projects/{project['id']}"
    assert created.headers["location"] == url
    assert created.headers["etag"] == project["etag"] and project["role"] == "owner"

    got = await ada.get(url)
    assert got.status_code == 200 and got.headers["etag"] == project["etag"]

    assert_problem(await ada.patch(url, {"description": None}), 428, "precondition_required")
    stale = await ada.patch(url, {"description": None}, headers={"If-Match": '"stale"'})
    assert_problem(stale, 412, "etag_mismatch")
    updated = await ada.patch(url, {"description": None}, headers={"If-Match": project["etag"]})
    assert updated.status_code == 200
    assert updated.json()["description"] is None and updated.json()["name"] == "Relaunch"
    assert updated.headers["etag"] != project["etag"]
    # The old ETag is stale now, for updates and deletes alike.
    assert_problem(await ada.delete(url, headers={"If-Match": project["etag"]}), 412)
    assert_problem(await ada.delete(url), 428)
    deleted = await ada.delete(url, headers={"If-Match": updated.headers["etag"]})
    assert deleted.status_code == 204 and deleted.content == b""
    assert_problem(await ada.get(url), 404)


async def test_conditional_get_answers_304(ada: User) -> None:
    project = await ada.project()
    url = f"/v1/projects/{project['id']}"
    cached = await ada.get(url, headers={"If-None-Match": project["etag"]})
    assert cached.status_code == 304 and cached.content == b""
    assert cached.headers["etag"] == project["etag"]
    assert (await ada.get(url, headers={"If-None-Match": '"other"'})).status_code == 200
    task = await ada.task(project["id"])
    task_cached = await ada.get(
        f"/v1/tasks/{task['id']}", headers={"If-None-Match": f"W/{task['etag']}"}
    )
    assert task_cached.status_code == 304


async def test_non_members_get_404_and_members_need_roles(ada: User, grace: User) -> None:
    project = await ada.project()
    task = await ada.task(project["id"])
    missing = str(uuid.uuid4())
    for url in (
        f"/v1/projects/{project['id']}",
        f"/v1/projects/{missing}",
        f"/v1/projects/{project['id']}/tasks",
        f"/v1/tasks/{task['id']}",
        f"/v1/tasks/{task['id']}/comments",
    ):
        assert_problem(await grace.get(url), 404)
    assert (await grace.get("/v1/projects")).json()["items"] == []

    added = await ada.post(f"/v1/projects/{project['id']}/members", json={"email": grace.email})
    assert added.status_code == 201 and added.json()["role"] == "member"
    assert (await grace.get(f"/v1/tasks/{task['id']}")).status_code == 200
    denied = await grace.patch(
        f"/v1/projects/{project['id']}", {"name": "Mine"}, headers={"If-Match": project["etag"]}
    )
    assert_problem(denied, 403)
    again = await ada.post(f"/v1/projects/{project['id']}/members", json={"email": grace.email})
    assert_problem(again, 409, "already_member")


async def test_adding_an_email_of_no_active_user_is_409(
    client: httpx.AsyncClient, runtime: Runtime, ada: User, grace: User
) -> None:
    project = await ada.project()
    url = f"/v1/projects/{project['id']}/members"
    # Whether an account exists is server state, not a property of the request: not a 422; and
    # not a 404, which on this URL would say that the project does not exist.
    unknown = await ada.post(url, json={"email": "nobody@example.com"})
    assert_problem(unknown, 409, "user_not_found")
    await make_admin(runtime, ada)
    assert (await ada.post(f"/v1/users/{grace.id}/deactivate")).status_code == 200
    assert_problem(await ada.post(url, json={"email": grace.email}), 409, "user_not_found")
    # Emails are matched as stored: trimmed and lower-cased.
    other = await register(client, "linus")
    added = await ada.post(url, json={"email": other.email.upper()})
    assert added.status_code == 201, added.text
    assert added.json()["email"] == other.email


async def test_task_crud_and_merge_patch(ada: User) -> None:
    project = await ada.project()
    created = await ada.post(
        f"/v1/projects/{project['id']}/tasks",
        json={"title": "Copy", "priority": "high", "due_date": "2025-02-01", "assignee_id": ada.id},
    )
    assert created.status_code == 201, created.text
    task = created.json()
    assert created.headers["location"] == f"/v1/tasks/{task['id']}"
    assert task["status"] == "todo" and task["priority"] == "high" and task["created_by"] == ada.id
    url = f"/v1/tasks/{task['id']}"
    patched = await ada.patch(
        url, {"status": "in_progress", "assignee_id": None}, headers={"If-Match": task["etag"]}
    )
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert body["status"] == "in_progress" and body["assignee_id"] is None
    assert body["due_date"] == "2025-02-01" and body["priority"] == "high"
    assert_problem(await ada.patch(url, {"status": None}, headers={"If-Match": body["etag"]}), 422)
    stranger = str(uuid.uuid4())
    assert_problem(
        await ada.patch(url, {"assignee_id": stranger}, headers={"If-Match": body["etag"]}), 409
    )
    assert (await ada.delete(url, headers={"If-Match": body["etag"]})).status_code == 204
    assert_problem(await ada.get(url), 404)


async def test_an_assignee_outside_the_project_is_a_declared_409(ada: User, grace: User) -> None:
    """Found by a contract run: `updateTask` answered the 409 `createTask` declares, undeclared."""
    project = await ada.project()
    url = f"/v1/projects/{project['id']}/tasks"
    created = await ada.post(url, json={"title": "Copy", "assignee_id": grace.id})
    assert_problem(created, 409, "assignee_not_member")
    assert_declared(created, "createTask")
    task = await ada.task(project["id"])
    patched = await ada.patch(
        f"/v1/tasks/{task['id']}", {"assignee_id": grace.id}, headers={"If-Match": task["etag"]}
    )
    assert_problem(patched, 409, "assignee_not_member")
    assert_declared(patched, "updateTask")


async def test_dates_are_rfc_3339_dates(ada: User) -> None:
    """Found by a contract run: `due_before=0` was 1970-01-01 (pydantic reads "0" as a Unix
    timestamp), and so was a `due_date` of "0"; `format: date` means YYYY-MM-DD."""
    project = await ada.project()
    url = f"/v1/projects/{project['id']}/tasks"
    task = await ada.task(project["id"], due_date="2025-02-01")
    for value in ("0", "20250201", "2025-02-01T00:00:00Z"):
        body = assert_problem(await ada.post(url, json={"title": "x", "due_date": value}), 422)
        assert [e["pointer"] for e in body["errors"]] == ["/body/due_date"]
        patched = await ada.patch(
            f"/v1/tasks/{task['id']}", {"due_date": value}, headers={"If-Match": task["etag"]}
        )
        assert [e["pointer"] for e in assert_problem(patched, 422)["errors"]] == ["/body/due_date"]
        listed = assert_problem(await ada.get(url, params={"due_before": value}), 422)
        assert [e["pointer"] for e in listed["errors"]] == ["/query/due_before"]
    listed = await ada.get(url, params={"due_before": "2025-02-02"})
    assert [t["id"] for t in listed.json()["items"]] == [task["id"]]


async def test_idempotency_key_replays_and_rejects_a_different_body(ada: User) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = await ada.post("/v1/projects", json={"name": "Once"}, headers=key)
    again = await ada.post("/v1/projects", json={"name": "Once"}, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["idempotent-replayed"] == "true"
    assert len((await ada.get("/v1/projects")).json()["items"]) == 1
    different = await ada.post("/v1/projects", json={"name": "Twice"}, headers=key)
    # 409, not the IETF draft's 422: the request is well formed; it conflicts with the stored one.
    assert_problem(different, 409, "idempotency_key_reused")

    project_id = first.json()["id"]
    task_key = {"Idempotency-Key": "task-1"}
    one = await ada.post(f"/v1/projects/{project_id}/tasks", json={"title": "T"}, headers=task_key)
    two = await ada.post(f"/v1/projects/{project_id}/tasks", json={"title": "T"}, headers=task_key)
    assert one.status_code == two.status_code == 201 and one.json()["id"] == two.json()["id"]


async def test_idempotency_keys_are_per_user(ada: User, grace: User) -> None:
    key = {"Idempotency-Key": "shared-key"}
    mine = await ada.post("/v1/projects", json={"name": "Mine"}, headers=key)
    theirs = await grace.post("/v1/projects", json={"name": "Mine"}, headers=key)
    assert mine.json()["id"] != theirs.json()["id"]


async def test_cursor_pagination_with_next_links(ada: User) -> None:
    project = await ada.project()
    url = f"/v1/projects/{project['id']}/tasks"
    titles = [f"task {i:02}" for i in range(7)]
    for title in titles:
        await ada.task(project["id"], title=title)
    seen: list[str] = []
    response = await ada.get(url, params={"limit": 3, "sort": "title"})
    pages = 0
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        seen += [item["title"] for item in body["items"]]
        pages += 1
        if body["next_cursor"] is None:
            assert "link" not in response.headers
            break
        link = response.headers["link"]
        assert link.endswith('>; rel="next"') and "limit=3" in link and "sort=title" in link
        response = await ada.get(link[1 : link.index(">")])
    assert seen == titles and pages == 3


async def test_filters_and_sorting(ada: User) -> None:
    project = await ada.project()
    url = f"/v1/projects/{project['id']}/tasks"
    await ada.task(project["id"], title="b", priority="high", due_date="2025-01-10")
    await ada.task(project["id"], title="a", priority="low", status="done", assignee_id=ada.id)
    await ada.task(project["id"], title="c", priority="high", due_date="2025-03-01")

    async def titles(**params: str) -> list[str]:
        response = await ada.get(url, params=params)
        assert response.status_code == 200, response.text
        return [item["title"] for item in response.json()["items"]]

    assert await titles(sort="title") == ["a", "b", "c"]
    assert await titles(sort="-title") == ["c", "b", "a"]
    assert await titles(priority="high", sort="title") == ["b", "c"]
    assert await titles(status="done") == ["a"]
    assert await titles(assignee_id=ada.id) == ["a"]
    assert await titles(due_before="2025-02-01") == ["b"]
    assert await titles(sort="-created_at") == ["c", "a", "b"]


async def test_unknown_filters_sorts_and_bad_cursors_are_rejected(ada: User) -> None:
    project = await ada.project()
    url = f"/v1/projects/{project['id']}/tasks"
    unknown = await ada.get(url, params={"colour": "red"})
    body = assert_problem(unknown, 422)
    assert body["errors"] == [
        {"pointer": "/query/colour", "detail": "not a parameter of this operation"}
    ]
    assert_problem(await ada.get(url, params={"sort": "colour"}), 422)
    assert_problem(await ada.get(url, params={"limit": 101}), 422)
    assert_problem(await ada.get(url, params={"status": "sleeping"}), 422)
    assert_problem(await ada.get("/v1/projects", params={"owner": "me"}), 422)
    assert_problem(await ada.get(url, params={"cursor": "garbage"}), 400, "invalid_cursor")
    for title in ("a", "b"):
        await ada.task(project["id"], title=title)
    page = (await ada.get(url, params={"limit": 1, "sort": "title"})).json()
    mismatched = await ada.get(
        url, params={"limit": 1, "sort": "-title", "cursor": page["next_cursor"]}
    )
    assert_problem(mismatched, 400, "invalid_cursor")


async def test_forged_cursors_are_400_not_500(ada: User) -> None:
    """A cursor is base64url JSON anyone can forge; well-formed JSON with the wrong types in it
    (an id that is a number, a sort key of the wrong type or without a time zone) is an invalid
    cursor, not a server error."""
    import base64
    import json

    from impl.services.pagination import filters_fingerprint

    project = await ada.project()
    for title in ("a", "b"):
        await ada.task(project["id"], title=title)
    url = f"/v1/projects/{project['id']}/tasks"
    no_filters = filters_fingerprint({})
    row = str(uuid.uuid4())
    forged = [
        ("title", {"k": "a", "i": 5}),
        ("title", {"k": "a", "i": ["x"]}),
        ("title", {"k": 5, "i": row}),
        ("title", {"k": ["a"], "i": row}),
        ("title", {"k": None, "i": row}),
        ("created_at", {"k": 5, "i": row}),
        ("created_at", {"k": "2025-01-01T00:00:00", "i": row}),  # no offset
        ("created_at", {"k": "not a time", "i": row}),
    ]
    for sort, fields in forged:
        payload = {"s": sort, "f": no_filters, **fields}
        cursor = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
        response = await ada.get(url, params={"sort": sort, "cursor": cursor})
        assert_problem(response, 400, "invalid_cursor")


async def test_comments_and_members_lists(ada: User, grace: User) -> None:
    project = await ada.project()
    task = await ada.task(project["id"])
    comment = await ada.post(f"/v1/tasks/{task['id']}/comments", json={"body": "First!"})
    assert comment.status_code == 201 and comment.json()["author_id"] == ada.id
    listed = await ada.get(f"/v1/tasks/{task['id']}/comments")
    assert [c["body"] for c in listed.json()["items"]] == ["First!"]
    await ada.post(
        f"/v1/projects/{project['id']}/members", json={"email": grace.email, "role": "admin"}
    )
    members = await ada.get(f"/v1/projects/{project['id']}/members")
    assert [(m["email"], m["role"]) for m in members.json()["items"]] == [
        (ada.email, "owner"),
        (grace.email, "admin"),
    ]
    assert (await grace.delete(f"/v1/comments/{comment.json()['id']}")).status_code == 204
    assert_problem(
        await ada.delete(f"/v1/projects/{project['id']}/members/{ada.id}"), 409, "last_owner"
    )
    assert (
        await grace.delete(f"/v1/projects/{project['id']}/members/{grace.id}")
    ).status_code == 204


async def test_json_bodies_must_be_json(ada: User, client: httpx.AsyncClient) -> None:
    response = await ada.post(
        "/v1/projects", content=b"name=x", headers={"Content-Type": "text/plain"}
    )
    assert_problem(response, 415)
    assert_problem(await ada.post("/v1/projects", json={"name": ""}), 422)
    assert_problem(await ada.post("/v1/projects", json={"name": "x", "extra": 1}), 422)


async def test_null_is_not_a_default(ada: User) -> None:
    project = await ada.project()
    for url, body, pointer in (
        (f"/v1/projects/{project['id']}/tasks", {"title": "x", "status": None}, "/body/status"),
        (f"/v1/projects/{project['id']}/members", {"email": ada.email, "role": None}, "/body/role"),
        (f"/v1/projects/{project['id']}/exports", {"format": None}, "/body/format"),
    ):
        problem = assert_problem(await ada.post(url, json=body), 422)
        assert [e["pointer"] for e in problem["errors"]] == [pointer]
