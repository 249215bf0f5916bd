"""A PATCH racing a DELETE of the same resource answered 500 in 15 of 60 pairs on PostgreSQL:
`StaleDataError` when the DELETE found the row already changed or gone, `AssertionError` when a
project PATCH found its membership but not the project. Both now read the row under a lock
(`SELECT ... FOR UPDATE` on PostgreSQL) and treat a row that changed or vanished under them as
what it is: 412 (the ETag no longer matches) or 404 (it is gone). Never 500.
"""

from __future__ import annotations

import asyncio
from typing import Any

from tests.service.conftest import User, assert_declared, assert_problem

PAIRS = 60
AT_ONCE = 6  # pairs in flight together: 12 requests, within the pool


async def _race(ada: User, url: str, etag: str, operation: str) -> tuple[int, int]:
    patched, deleted = await asyncio.gather(
        ada.patch(url, {"description": "racing"}, headers={"If-Match": etag}),
        ada.delete(url, headers={"If-Match": etag}),
    )
    assert patched.status_code in (200, 404, 412), patched.text
    assert deleted.status_code in (204, 404, 412), deleted.text
    for response, operation_id in (
        (patched, f"update{operation}"),
        (deleted, f"delete{operation}"),
    ):
        assert_declared(response, operation_id)
        if response.status_code >= 400:
            assert_problem(response, response.status_code)
    after = await ada.get(url)
    if deleted.status_code == 204:
        assert_problem(after, 404)
    else:
        assert after.status_code == 200, after.text
    return patched.status_code, deleted.status_code


async def _run(ada: User, make: Any, operation: str) -> list[tuple[int, int]]:
    outcomes: list[tuple[int, int]] = []
    for _ in range(PAIRS // AT_ONCE):
        targets = [await make() for _ in range(AT_ONCE)]
        outcomes += await asyncio.gather(
            *[_race(ada, url, etag, operation) for url, etag in targets]
        )
    return outcomes


async def test_task_patch_racing_delete_is_never_a_500(ada: User) -> None:
    project = await ada.project()

    async def make() -> tuple[str, str]:
        task = await ada.task(project["id"])
        return f"/v1/tasks/{task['id']}", task["etag"]

    outcomes = await _run(ada, make, "Task")
    assert len(outcomes) == PAIRS


async def test_project_patch_racing_delete_is_never_a_500(ada: User) -> None:
    async def make() -> tuple[str, str]:
        project = await ada.project()
        return f"/v1/projects/{project['id']}", project["etag"]

    outcomes = await _run(ada, make, "Project")
    assert len(outcomes) == PAIRS
