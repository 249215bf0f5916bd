"""Idempotency keys for POST (draft-ietf-httpapi-idempotency-key-header), kept in the database.

The first request with a key reserves it, with its fingerprint (method, path and body hash),
in a transaction of its own that commits at once: from then on every worker sees the
reservation. The reservation is a lease of a few seconds (`IDEMPOTENCY_LEASE_SECONDS`), not
the key's lifetime. The response is stored by the same transaction that commits the write it
protects, so whatever fails, a retry finds one of two states:

- the write committed: its response is stored with it → the retry replays it;
- it did not: no response → the retry proceeds once the lease has passed (at once if the
  request failed cleanly and gave the key back; after the lease if its worker died).

Then, for the same key:

- same fingerprint, response stored   → replay the stored response;
- same fingerprint, lease still live  → 409 `IdempotencyKeyInUse`;
- different fingerprint               → 409 `IdempotencyKeyReused` (the draft suggests 422;
  the request is well formed, it conflicts with the stored one).

Keys are scoped by the caller (`scope_key`), so two users never see each other's responses.
Records live for `IDEMPOTENCY_TTL_SECONDS` after the response; each new reservation prunes up
to `PRUNE_BATCH` expired ones, and an expired key is simply taken over by its next request.

Why not Redis, as before: a record in Redis cannot commit with the database write, so a Redis
failure between the two left either a reservation without its write or a write without its
response (the key then stayed "in use" for the whole TTL: a day). The database is the one
place where "the write happened" and "this is its response" can be one fact.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from impl.db.base import utcnow
from impl.errors import IdempotencyKeyInUse, IdempotencyKeyReused
from impl.repositories import idempotency_keys as rows

PRUNE_BATCH = 100
"""Expired records deleted by each new reservation (indexed: cheap when there are none)."""


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Reservation:
    """The key is this request's until its lease passes, as long as `version` is the row's."""

    key: str
    version: int


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(f"{method.upper()} {path}\n".encode() + body).hexdigest()


def scope_key(principal_id: str, operation_id: str, key: str) -> str:
    return hashlib.sha256(f"{principal_id}\x00{operation_id}\x00{key}".encode()).hexdigest()


def _in_use() -> IdempotencyKeyInUse:
    return IdempotencyKeyInUse("A request with this Idempotency-Key is still being processed.")


class IdempotencyStore:
    """The protocol above over `idempotency_keys`, in the caller's session: the caller commits
    (the reservation at once, the response with its write)."""

    def __init__(
        self, *, ttl: timedelta, lease: timedelta, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.ttl = ttl
        self.lease = lease
        self.clock = clock

    async def reserve(
        self, session: AsyncSession, key: str, fingerprint: str
    ) -> Reservation | StoredResponse:
        """Reserve `key` (commit before doing the work), or the response to replay; or raise
        `IdempotencyKeyReused` / `IdempotencyKeyInUse`."""
        for _ in range(3):  # each pass loses a race only to a write that changed the row
            now = self.clock()
            if await rows.insert_new(
                session, key=key, fingerprint=fingerprint, locked_until=now + self.lease,
                expires_at=now + self.ttl, now=now,
            ):  # fmt: skip
                await rows.prune(session, now=now, limit=PRUNE_BATCH)
                return Reservation(key, 1)
            row = await rows.get(session, key)
            if row is None:  # given back or pruned since the insert: insert again
                continue
            expired = row.expires_at <= now
            if not expired and row.fingerprint != fingerprint:
                raise IdempotencyKeyReused(
                    "This Idempotency-Key was already used with a different request."
                )
            if not expired and row.response_status is not None:
                return StoredResponse(
                    row.response_status, row.response_body or b"", dict(row.response_headers or {})
                )
            if not expired and row.locked_until is not None and row.locked_until > now:
                raise _in_use()
            # The lease passed without a response (its worker died), or the record expired.
            if await rows.take_over(
                session, key=key, read_version=row.version, fingerprint=fingerprint,
                locked_until=now + self.lease, expires_at=now + self.ttl, now=now,
            ):  # fmt: skip
                return Reservation(key, row.version + 1)
        raise _in_use()

    async def complete(
        self, session: AsyncSession, reservation: Reservation, response: StoredResponse
    ) -> None:
        """Store the response in the caller's transaction, the one that commits the write.
        Raises `IdempotencyKeyInUse` (roll back the write) when the lease passed and another
        request took the key over meanwhile: only one of them may commit."""
        if not await rows.store_response(
            session,
            key=reservation.key,
            version=reservation.version,
            status=response.status,
            headers=response.headers,
            body=response.body,
            expires_at=self.clock() + self.ttl,
        ):
            raise _in_use()

    async def release(self, session: AsyncSession, reservation: Reservation) -> None:
        """Give the key back after a failure, so a retry need not wait for the lease."""
        await rows.delete_reservation(session, key=reservation.key, version=reservation.version)

    async def prune(self, session: AsyncSession, *, limit: int = PRUNE_BATCH) -> int:
        return await rows.prune(session, now=self.clock(), limit=limit)
