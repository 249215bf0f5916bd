from __future__ import annotations

import pytest

from impl.db.engine import Database
from impl.db.models import User
from impl.errors import (
    Conflict,
    Forbidden,
    InvalidCursor,
    InvalidQuery,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    UnprocessableContent,
)
from impl.services.etag import if_none_match_hits
from impl.services.members import MemberService
from impl.services.projects import ProjectService, ProjectView
from impl.services.query import reject_unknown_parameters
from impl.services.tasks import TaskDraft, TaskFilters, TaskService


async def test_cursor_pagination_round_trip(db: Database, ada: User) -> None:
    async with db.transaction() as session:
        for i in range(7):
            await ProjectService(session).create(ada.id, name=f"p{i}")
    for sort in ("name", "-name", "created_at", "-created_at"):
        seen: list[str] = []
        cursor = None
        async with db.session() as session:
            while True:
                page = await ProjectService(session).list(ada.id, cursor=cursor, limit=3, sort=sort)
                seen += [p.name for p in page.items]
                cursor = page.next_cursor
                if cursor is None:
                    break
        expected = sorted(seen, reverse=sort.startswith("-")) if "name" in sort else seen
        assert len(seen) == 7 and len(set(seen)) == 7 and seen == expected, sort
    async with db.session() as session:
        page = await ProjectService(session).list(ada.id, sort="name", limit=2, name_contains="P1")
        assert [p.name for p in page.items] == ["p1"] and page.next_cursor is None


async def test_unknown_sort_filter_and_foreign_cursor_are_rejected(db: Database, ada: User) -> None:
    async with db.transaction() as session:
        for i in range(3):
            await ProjectService(session).create(ada.id, name=f"p{i}")
    async with db.session() as session:
        service = ProjectService(session)
        with pytest.raises(InvalidQuery, match="sortable fields"):
            await service.list(ada.id, sort="password_hash")
        page = await service.list(ada.id, limit=1, sort="name")
        assert page.next_cursor
        with pytest.raises(InvalidCursor):
            await service.list(ada.id, cursor=page.next_cursor, sort="-name")
        with pytest.raises(InvalidCursor):
            await service.list(ada.id, cursor=page.next_cursor, sort="name", name_contains="p")
        with pytest.raises(InvalidCursor):
            await service.list(ada.id, cursor="not-a-cursor", sort="name")
        with pytest.raises(InvalidQuery):
            await service.list(ada.id, limit=101)
    with pytest.raises(InvalidQuery, match="colour"):
        reject_unknown_parameters(["cursor", "colour"], ["cursor", "limit", "sort"])


async def test_etag_changes_on_update_and_if_match_is_enforced(
    db: Database, ada: User, project: ProjectView
) -> None:
    async with db.transaction() as session:
        service = ProjectService(session)
        with pytest.raises(PreconditionRequired):
            await service.update(ada.id, project.id, {"name": "x"}, if_match=None)
        with pytest.raises(PreconditionFailed):
            await service.update(ada.id, project.id, {"name": "x"}, if_match='"stale"')
        updated = await service.update(
            ada.id, project.id, {"description": "d"}, if_match=project.etag
        )
    assert updated.etag != project.etag and updated.description == "d"
    assert if_none_match_hits(updated.etag, updated.etag) and not if_none_match_hits(
        project.etag, updated.etag
    )
    async with db.transaction() as session:
        cleared = await ProjectService(session).update(
            ada.id, project.id, {"description": None}, if_match=updated.etag
        )
        assert cleared.description is None
        with pytest.raises(UnprocessableContent):
            await ProjectService(session).update(
                ada.id, project.id, {"name": None}, if_match=cleared.etag
            )
        with pytest.raises(PreconditionFailed):
            await ProjectService(session).delete(ada.id, project.id, if_match=updated.etag)
        await ProjectService(session).delete(ada.id, project.id, if_match=cleared.etag)
    async with db.session() as session:
        with pytest.raises(NotFound):
            await ProjectService(session).get(ada.id, project.id)


async def test_non_members_get_404_and_low_roles_403(
    db: Database, ada: User, grace: User, project: ProjectView
) -> None:
    async with db.transaction() as session:
        task = await TaskService(session).create(ada.id, project.id, TaskDraft(title="t"))
    async with db.session() as session:
        with pytest.raises(NotFound):
            await ProjectService(session).get(grace.id, project.id)
        with pytest.raises(NotFound):
            await TaskService(session).get(grace.id, task.id)
        with pytest.raises(NotFound):
            await TaskService(session).list(grace.id, project.id)
    async with db.transaction() as session:
        await MemberService(session).add(ada.id, project.id, email="GRACE@example.com")
        assert (await ProjectService(session).get(grace.id, project.id)).role == "member"
        with pytest.raises(Forbidden):
            await ProjectService(session).update(
                grace.id, project.id, {"name": "mine"}, if_match=project.etag
            )
        with pytest.raises(Forbidden):
            await MemberService(session).add(grace.id, project.id, email="ada@example.com")
        with pytest.raises(Conflict):
            await MemberService(session).add(ada.id, project.id, email="grace@example.com")
        with pytest.raises(Conflict, match="last owner"):
            await MemberService(session).remove(ada.id, project.id, ada.id)
        members = await MemberService(session).list(ada.id, project.id, limit=1)
        assert members.items[0].user_id == ada.id and members.next_cursor
        await MemberService(session).remove(grace.id, project.id, grace.id)  # leaving is allowed


async def test_tasks_filters_assignee_and_etag(
    db: Database, ada: User, grace: User, project: ProjectView
) -> None:
    async with db.transaction() as session:
        service = TaskService(session)
        with pytest.raises(Conflict):  # not a member: a conflict with the project's state
            await service.create(ada.id, project.id, TaskDraft(title="t", assignee_id=grace.id))
        a = await service.create(
            ada.id, project.id, TaskDraft(title="a", priority="high", assignee_id=ada.id)
        )
        await service.create(ada.id, project.id, TaskDraft(title="b"))
    async with db.transaction() as session:
        service = TaskService(session)
        page = await service.list(ada.id, project.id, filters=TaskFilters(priority="high"))
        assert [t.title for t in page.items] == ["a"]
        page = await service.list(
            ada.id, project.id, filters=TaskFilters(assignee_id=ada.id), sort="title"
        )
        assert [t.title for t in page.items] == ["a"]
        before = a.etag
        updated = await service.update(
            ada.id, a.id, {"status": "done", "assignee_id": None}, if_match=before
        )
        assert updated.etag != before and updated.status == "done" and updated.assignee_id is None
        assert updated.updated_at >= updated.created_at
        with pytest.raises(UnprocessableContent):
            await service.update(ada.id, a.id, {"project_id": "x"}, if_match=updated.etag)
        await service.delete(ada.id, a.id, if_match=updated.etag)
