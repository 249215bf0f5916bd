"""Forged cursors are a 400 `invalid_cursor`, whatever they decode to: an out-of-range
timestamp (`0001-01-01T00:00:00+14:00` raised OverflowError, a 500), NUL in a text key, a text
key that is no Unicode text (a lone surrogate, `"\\ud800"`, reached asyncpg and was a 500 whose
log line quoted it), or any JSON value at all (a property test over arbitrary cursor contents).

Whatever a request sends, the error log never quotes it: exceptions are logged with their
type and stack, never their message (a driver's message quotes the values it refused)."""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.exc import DBAPIError

from impl.errors import InvalidCursor
from impl.services import projects, tasks, users
from impl.services.pagination import Sort, decode_cursor, encode_cursor, filters_fingerprint
from tests.reliability.logscan import collecting_logs
from tests.service.conftest import User, assert_declared, assert_problem

SORTS = [
    Sort(name, field, descending)
    for fields in (projects.SORT_FIELDS, tasks.SORT_FIELDS, users.SORT_FIELDS)
    for name, field in fields.items()
    for descending in (False, True)
]
FINGERPRINT = filters_fingerprint({"q": "x"})
# Any text, lone surrogates included (st.text() leaves them out).
any_text = st.text() | st.builds(
    lambda before, surrogate, after: before + surrogate + after,
    st.text(),
    st.characters(categories=["Cs"]),
    st.text(),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | any_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=6,
)
timestamps = st.builds(
    lambda dt, hours: dt.isoformat() + f"{hours:+03d}:00",
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
    st.integers(-14, 14),
)


def _forge(payload: Any) -> str:
    raw = json.dumps(payload).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _database_safe(key: Any) -> bool:
    if isinstance(key, str):
        try:
            key.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return "\x00" not in key
    if isinstance(key, datetime):
        return key.tzinfo is not None and key.utcoffset() == UTC.utcoffset(None)
    return False


@given(sort=st.sampled_from(SORTS), key=json_values | timestamps, row=json_values | st.uuids())
def test_any_decoded_cursor_is_either_safe_or_invalid(sort: Sort, key: Any, row: Any) -> None:
    cursor = _forge({"s": sort.token, "f": FINGERPRINT, "k": key, "i": str(row)})
    try:
        loaded, row_id = decode_cursor(cursor, sort, FINGERPRINT)
    except InvalidCursor:
        return
    assert _database_safe(loaded), loaded
    assert isinstance(row_id, uuid.UUID)


@given(
    sort=st.sampled_from([s for s in SORTS if s.name in ("title", "name", "email")]),
    key=any_text,
    row=st.uuids(),
)
def test_any_decoded_text_key_is_either_safe_or_invalid(sort: Sort, key: str, row: Any) -> None:
    cursor = _forge({"s": sort.token, "f": FINGERPRINT, "k": key, "i": str(row)})
    try:
        loaded, _ = decode_cursor(cursor, sort, FINGERPRINT)
    except InvalidCursor:
        return
    assert _database_safe(loaded), loaded


@given(sort=st.sampled_from(SORTS), payload=json_values)
def test_any_json_is_either_a_cursor_or_invalid(sort: Sort, payload: Any) -> None:
    with contextlib.suppress(InvalidCursor):
        decode_cursor(_forge(payload), sort, FINGERPRINT)


def test_a_real_cursor_round_trips() -> None:
    sort = Sort("created_at", projects.SORT_FIELDS["created_at"], False)
    now = datetime.now(UTC)
    row = uuid.uuid4()
    assert decode_cursor(encode_cursor(sort, FINGERPRINT, now, row), sort, FINGERPRINT) == (
        now,
        row,
    )


async def test_an_out_of_range_timestamp_cursor_is_a_400(ada: User) -> None:
    for name in ("one", "two"):
        await ada.project(name)
    first = await ada.get("/v1/projects", params={"sort": "created_at", "limit": 1})
    cursor = first.json()["next_cursor"]
    payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    for stamp in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"):
        forged = _forge({**payload, "k": stamp})
        response = await ada.get(
            "/v1/projects", params={"sort": "created_at", "limit": 1, "cursor": forged}
        )
        assert_problem(response, 400, "invalid_cursor")


def _forged_title_cursor(first_page: dict[str, Any], key: Any) -> str:
    cursor = first_page["next_cursor"]
    payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    return _forge({**payload, "k": key})


@pytest.mark.parametrize("key", ["\ud800", "a\udfffb", "\udbff\udc00\ud800"])
def test_a_text_key_that_is_no_unicode_text_is_invalid(key: str) -> None:
    sort = Sort("title", tasks.SORT_FIELDS["title"], False)
    cursor = _forge({"s": "title", "f": FINGERPRINT, "k": key, "i": str(uuid.uuid4())})
    with pytest.raises(InvalidCursor):
        decode_cursor(cursor, sort, FINGERPRINT)


async def test_a_lone_surrogate_cursor_is_a_400_and_never_logged(ada: User) -> None:
    project = await ada.project()
    for title in ("one", "two"):
        await ada.task(project["id"], title=title)
    url = f"/v1/projects/{project['id']}/tasks"
    first = await ada.get(url, params={"sort": "title", "limit": 1})
    forged = _forged_title_cursor(first.json(), "\ud800 surrogate-marker")
    with collecting_logs(logging.DEBUG) as logs:
        response = await ada.get(url, params={"sort": "title", "limit": 1, "cursor": forged})
    assert_problem(response, 400, "invalid_cursor")
    assert_declared(response, "listTasks")
    assert not [line for line in logs.lines if "surrogate-marker" in line]


async def test_a_driver_error_is_logged_without_the_values_it_quotes(
    ada: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """asyncpg refuses a value with a message that quotes it (`invalid input for query argument
    $1: '...'`); `hide_parameters` hides the statement's parameters, not the driver's words."""
    from impl.services.projects import ProjectService

    class DataError(Exception):
        sqlstate = "22021"

    async def refuse(*_args: object, **_kwargs: object) -> None:
        orig = DataError("invalid input for query argument $1: 'request-value-marker'")
        raise DBAPIError("SELECT projects.id FROM projects", None, orig)

    monkeypatch.setattr(ProjectService, "list", refuse)
    with collecting_logs(logging.DEBUG) as logs:
        response = await ada.get("/v1/projects")
    assert_problem(response, 500, "internal_error")
    errors = [json.loads(line) for line in logs.lines if '"ERROR"' in line]
    assert errors, logs.lines
    assert not [line for line in logs.lines if "request-value-marker" in line]
    logged = errors[0]["exception"]
    assert "DBAPIError" in logged and "DataError" in logged and "22021" in logged, logged
    assert "in refuse" in logged  # the stack is still there to debug with
