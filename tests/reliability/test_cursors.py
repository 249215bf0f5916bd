"""Forged cursors are a 400 `invalid_cursor`, whatever they decode to: an out-of-range
timestamp (`0001-01-01T00:00:00+14:00` raised OverflowError, a 500), NUL in a text key, or any
JSON value at all (a property test over arbitrary cursor contents)."""

from __future__ import annotations

import base64
import contextlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from impl.errors import InvalidCursor
from impl.services import projects, tasks, users
from impl.services.pagination import Sort, decode_cursor, encode_cursor, filters_fingerprint
from tests.service.conftest import User, assert_problem

SORTS = [
    Sort(name, field, descending)
    for fields in (projects.SORT_FIELDS, tasks.SORT_FIELDS, users.SORT_FIELDS)
    for name, field in fields.items()
    for descending in (False, True)
]
FINGERPRINT = filters_fingerprint({"q": "x"})
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
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
