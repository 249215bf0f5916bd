"""The idempotency store over the database (SQLite, and PostgreSQL with two sessions racing):
reservations are short leases, responses are stored with the write, expired keys are taken
over or pruned, and the migration creates exactly the table the model describes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, func, select

from impl.db.engine import Database
from impl.db.migrate import include_name
from impl.db.models import Base, IdempotencyKey
from impl.errors import IdempotencyKeyInUse, IdempotencyKeyReused
from impl.idempotency import IdempotencyStore, Reservation, StoredResponse, fingerprint, scope_key
from tests.impl.backends import migrated_postgres_database

LEASE = timedelta(seconds=30)
TTL = timedelta(hours=24)
FP = fingerprint("POST", "/v1/projects", b'{"name":"a"}')
RESPONSE = StoredResponse(201, b'{"id":"x"}', {"Location": "/v1/projects/x", "ETag": '"e"'})


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database(request: pytest.FixtureRequest, db: Database) -> AsyncIterator[Database]:
    if request.param == "sqlite":
        yield db
        return
    async with migrated_postgres_database(pool_size=4, max_overflow=0) as pg:
        yield pg


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(clock: Clock) -> IdempotencyStore:
    return IdempotencyStore(ttl=TTL, lease=LEASE, clock=clock)


async def reserve(
    database: Database, store: IdempotencyStore, key: str, fp: str = FP
) -> Reservation | StoredResponse:
    async with database.transaction() as session:
        return await store.reserve(session, key, fp)


async def complete(database: Database, store: IdempotencyStore, reservation: Reservation) -> None:
    async with database.transaction() as session:
        await store.complete(session, reservation, RESPONSE)


async def rows(database: Database) -> int:
    async with database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(IdempotencyKey)) or 0)


async def test_same_key_same_body_replays(database: Database, store: IdempotencyStore) -> None:
    key = scope_key("user-1", "createProject", "k1")
    reservation = await reserve(database, store, key)
    assert isinstance(reservation, Reservation)
    with pytest.raises(IdempotencyKeyInUse):
        await reserve(database, store, key)  # the first request still runs
    await complete(database, store, reservation)
    assert await reserve(database, store, key) == RESPONSE
    assert await reserve(database, store, key) == RESPONSE


async def test_same_key_different_body_is_rejected(
    database: Database, store: IdempotencyStore
) -> None:
    key = scope_key("user-1", "createProject", "k2")
    reservation = await reserve(database, store, key)
    other = fingerprint("POST", "/v1/projects", b'{"name":"b"}')
    with pytest.raises(IdempotencyKeyReused):
        await reserve(database, store, key, other)
    assert isinstance(reservation, Reservation)
    await complete(database, store, reservation)
    with pytest.raises(IdempotencyKeyReused):
        await reserve(database, store, key, other)
    # A conflict with the stored request, not a validation error (the IETF draft says 422).
    assert IdempotencyKeyReused.status == IdempotencyKeyInUse.status == 409


async def test_released_key_can_be_retried_and_keys_are_per_caller(
    database: Database, store: IdempotencyStore
) -> None:
    key = scope_key("user-1", "createProject", "k3")
    reservation = await reserve(database, store, key)
    assert isinstance(reservation, Reservation)
    async with database.transaction() as session:
        await store.release(session, reservation)
    assert isinstance(await reserve(database, store, key), Reservation)
    assert isinstance(
        await reserve(database, store, scope_key("user-2", "createProject", "k3")), Reservation
    )


async def test_a_dead_requests_lease_expires_and_only_its_successor_may_complete(
    database: Database, store: IdempotencyStore, clock: Clock
) -> None:
    """`kill -9` mid-request: a reservation without a response. Within the lease a retry is a
    409; after it the retry takes the key over, and the dead request's reservation (were it
    only slow) can no longer store a response: exactly one of them commits."""
    key = scope_key("user-1", "createProject", "k4")
    dead = await reserve(database, store, key)
    assert isinstance(dead, Reservation)
    clock.advance(LEASE - timedelta(seconds=1))
    with pytest.raises(IdempotencyKeyInUse):
        await reserve(database, store, key)
    clock.advance(timedelta(seconds=2))
    retry = await reserve(database, store, key)
    assert isinstance(retry, Reservation) and retry.version > dead.version
    with pytest.raises(IdempotencyKeyInUse):
        await complete(database, store, dead)
    await complete(database, store, retry)
    assert await reserve(database, store, key) == RESPONSE


async def test_expired_records_are_taken_over_and_pruned(
    database: Database, store: IdempotencyStore, clock: Clock
) -> None:
    done = await reserve(database, store, scope_key("u", "createProject", "old"))
    assert isinstance(done, Reservation)
    await complete(database, store, done)
    await reserve(database, store, scope_key("u", "createProject", "abandoned"))
    clock.advance(TTL + timedelta(seconds=1))
    # The same key after its TTL is a new request, even with another body.
    other = fingerprint("POST", "/v1/projects", b'{"name":"new"}')
    assert isinstance(
        await reserve(database, store, scope_key("u", "createProject", "old"), other), Reservation
    )
    # Any new reservation prunes expired records: the abandoned one is gone.
    await reserve(database, store, scope_key("u", "createProject", "fresh"))
    assert await rows(database) == 2
    clock.advance(TTL + timedelta(seconds=1))
    async with database.transaction() as session:
        assert await store.prune(session) == 2
    assert await rows(database) == 0


async def _reserve_in_own_session(
    database: Database, store: IdempotencyStore, key: str, start: asyncio.Event
) -> Reservation | StoredResponse | Exception:
    await start.wait()
    try:
        return await reserve(database, store, key)
    except IdempotencyKeyInUse as exc:
        return exc


@pytest.mark.postgres
@pytest.mark.parametrize("state", ["new", "lease expired"])
async def test_two_sessions_racing_for_one_key_reserve_it_once(
    store: IdempotencyStore, clock: Clock, state: str
) -> None:
    async with migrated_postgres_database(pool_size=8, max_overflow=0) as pg:
        for attempt in range(20):
            key = scope_key("u", "createProject", f"race-{attempt}")
            if state == "lease expired":
                assert isinstance(await reserve(pg, store, key), Reservation)
                clock.advance(LEASE + timedelta(seconds=1))
            start = asyncio.Event()
            racing = [
                asyncio.create_task(_reserve_in_own_session(pg, store, key, start))
                for _ in range(6)
            ]
            start.set()
            outcomes = await asyncio.gather(*racing)
            won = [o for o in outcomes if isinstance(o, Reservation)]
            assert len(won) == 1, outcomes
            assert all(isinstance(o, IdempotencyKeyInUse) for o in outcomes if o not in won)


async def test_the_migration_creates_what_the_model_describes(database: Database) -> None:
    def differences(connection: Connection) -> list[object]:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include_name}
        )
        return list(compare_metadata(context, Base.metadata))

    async with database.engine.connect() as connection:
        assert await connection.run_sync(differences) == []
