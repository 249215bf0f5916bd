"""Two owners leaving at the same moment each counted the other and both got 204, leaving an
ownerless project (5 of 5 trials, both backends). The count and the delete are now atomic
(the project row is locked first): one leaves, the other is the last owner and gets 409."""

from __future__ import annotations

import asyncio

from tests.service.conftest import User, assert_problem


async def test_two_owners_leaving_at_once_leave_one_owner(ada: User, grace: User) -> None:
    for _ in range(5):
        project = await ada.project()
        added = await ada.post(
            f"/v1/projects/{project['id']}/members", json={"email": grace.email, "role": "owner"}
        )
        assert added.status_code == 201, added.text
        url = f"/v1/projects/{project['id']}/members"
        left = await asyncio.gather(
            ada.delete(f"{url}/{ada.id}"), grace.delete(f"{url}/{grace.id}")
        )
        codes = sorted(r.status_code for r in left)
        assert codes == [204, 409], [r.text for r in left]
        assert_problem(next(r for r in left if r.status_code == 409), 409, "last_owner")
        stayed = ada if left[1].status_code == 204 else grace
        members = await stayed.get(url)
        assert members.status_code == 200, members.text
        assert [m["role"] for m in members.json()["items"]] == ["owner"]
