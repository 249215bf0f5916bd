"""Keyset (cursor) pagination over whitelisted sort fields.

A cursor is opaque to clients: base64url of compact JSON holding the sort it was made for,
a fingerprint of the filters, and the last row's sort value and id. Reusing a cursor with a
different sort or different filters is a 400 rather than a silently wrong page. Each page is
one indexed range query (`(key, id) > (last_key, last_id)`), so deep pages cost the same as
the first, and rows inserted meanwhile never shift or duplicate results.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, and_, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from impl.errors import InvalidCursor, InvalidQuery

T = TypeVar("T")

MAX_LIMIT = 100
DEFAULT_LIMIT = 20


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    if "\x00" in value:
        raise ValueError("text cannot contain NUL")  # PostgreSQL cannot compare with it
    # JSON may spell lone surrogates ("\ud800"): no database can take them (asyncpg raised a
    # DataError quoting the value), so they stop here, as a UnicodeEncodeError (a ValueError).
    value.encode("utf-8")
    return value


def _aware_datetime(value: Any) -> datetime:
    parsed = datetime.fromisoformat(_text(value))
    if parsed.tzinfo is None:
        raise ValueError("a cursor's timestamp carries its offset")
    # In UTC, as the database compares it: 0001-01-01T00:00+14:00 is before year 1.
    return parsed.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class SortField:
    """A column clients may sort by, and how its values travel inside a cursor.

    `load` reads a value back from a cursor, which a client may have forged: anything of the
    wrong type must raise TypeError or ValueError (a 400), never reach the database (a 500).
    The default is for text columns.
    """

    column: InstrumentedAttribute[Any]
    dump: Callable[[Any], Any] = lambda value: value
    load: Callable[[Any], Any] = _text


def datetime_field(column: InstrumentedAttribute[Any]) -> SortField:
    return SortField(column, dump=lambda v: v.isoformat(), load=_aware_datetime)


@dataclass(frozen=True, slots=True)
class Sort:
    name: str
    field: SortField
    descending: bool

    @property
    def token(self) -> str:
        return f"-{self.name}" if self.descending else self.name


def parse_sort(value: str, fields: Mapping[str, SortField]) -> Sort:
    """`name` or `-name`, where `name` is one of `fields`; anything else is a 400."""
    descending = value.startswith("-")
    name = value.removeprefix("-")
    field = fields.get(name)
    if field is None:
        allowed = ", ".join(sorted(fields))
        raise InvalidQuery(f"Cannot sort by {name!r}; sortable fields: {allowed}.")
    return Sort(name, field, descending)


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def filters_fingerprint(filters: Mapping[str, Any]) -> str:
    canonical = json.dumps(
        {k: v for k, v in sorted(filters.items()) if v is not None}, default=str, sort_keys=True
    )
    return hashlib.sha256(canonical.encode()).hexdigest()[:12]


def encode_cursor(sort: Sort, filters_fp: str, key: Any, row_id: uuid.UUID) -> str:
    payload = {"s": sort.token, "f": filters_fp, "k": sort.field.dump(key), "i": str(row_id)}
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(cursor: str, sort: Sort, filters_fp: str) -> tuple[Any, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
        if payload["s"] != sort.token or payload["f"] != filters_fp:
            raise InvalidCursor("The cursor belongs to a different sort order or filter.")
        return sort.field.load(payload["k"]), uuid.UUID(_text(payload["i"]))
    except InvalidCursor:
        raise
    except (binascii.Error, ValueError, KeyError, TypeError, OverflowError) as exc:
        raise InvalidCursor("The cursor is not valid.") from exc


async def paginate(
    session: AsyncSession,
    statement: Select[T],
    *,
    id_column: InstrumentedAttribute[uuid.UUID],
    sort: Sort,
    cursor: str | None,
    limit: int,
    filters: Mapping[str, Any] | None = None,
    key_of: Callable[[T], tuple[Any, uuid.UUID]] | None = None,
) -> Page[T]:
    """One page of `statement` ordered by `sort` then id, after `cursor`."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidQuery(f"limit must be between 1 and {MAX_LIMIT}.")
    fingerprint = filters_fingerprint(filters or {})
    column = sort.field.column
    if cursor is not None:
        last_key, last_id = decode_cursor(cursor, sort, fingerprint)
        if sort.descending:
            after = or_(column < last_key, and_(column == last_key, id_column < last_id))
        else:
            after = or_(column > last_key, and_(column == last_key, id_column > last_id))
        statement = statement.where(after)
    order = (
        (column.desc(), id_column.desc()) if sort.descending else (column.asc(), id_column.asc())
    )
    rows: Sequence[T] = (await session.scalars(statement.order_by(*order).limit(limit + 1))).all()
    items = list(rows[:limit])
    next_cursor = None
    if len(rows) > limit:
        last = items[-1]
        key, row_id = (
            key_of(last)
            if key_of is not None
            else (getattr(last, column.key), getattr(last, id_column.key))
        )
        next_cursor = encode_cursor(sort, fingerprint, key, row_id)
    return Page(items, next_cursor)
