from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from impl.errors import IdempotencyKeyInUse, IdempotencyKeyReused
from impl.idempotency import (
    IdempotencyStore,
    MemoryIdempotencyStore,
    RedisIdempotencyStore,
    StoredResponse,
    fingerprint,
    scope_key,
)
from tests.impl.backends import redis_client


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.postgres)])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[IdempotencyStore]:
    if request.param == "memory":
        yield MemoryIdempotencyStore(ttl=60)
        return
    async with redis_client() as client:
        yield RedisIdempotencyStore(client, ttl=60, prefix=f"test:{uuid.uuid4().hex}:")  # type: ignore[arg-type]


async def test_same_key_same_body_replays(store: IdempotencyStore) -> None:
    key = scope_key("user-1", "createProject", "k1")
    fp = fingerprint("POST", "/v1/projects", b'{"name":"a"}')
    assert await store.begin(key, fp) is None
    with pytest.raises(IdempotencyKeyInUse):
        await store.begin(key, fp)  # first request still running
    response = StoredResponse(201, b'{"id":"x"}', {"Location": "/v1/projects/x"})
    await store.complete(key, fp, response)
    assert await store.begin(key, fp) == response


async def test_same_key_different_body_is_rejected(store: IdempotencyStore) -> None:
    key = scope_key("user-1", "createProject", "k2")
    await store.begin(key, fingerprint("POST", "/v1/projects", b'{"name":"a"}'))
    with pytest.raises(IdempotencyKeyReused):
        await store.begin(key, fingerprint("POST", "/v1/projects", b'{"name":"b"}'))
    # A conflict with the stored request, not a validation error (the IETF draft says 422).
    assert IdempotencyKeyReused.status == IdempotencyKeyInUse.status == 409


async def test_released_key_can_be_retried_and_keys_are_per_caller(store: IdempotencyStore) -> None:
    fp = fingerprint("POST", "/v1/projects", b"{}")
    key = scope_key("user-1", "createProject", "k3")
    assert await store.begin(key, fp) is None
    await store.release(key)
    assert await store.begin(key, fp) is None
    assert await store.begin(scope_key("user-2", "createProject", "k3"), fp) is None
