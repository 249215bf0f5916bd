from __future__ import annotations

import uuid

import pytest
from limits.aio.storage import RedisStorage

from impl.ratelimit import RateLimiter
from tests.impl.backends import TEST_REDIS_URL, redis_client


async def test_memory_limiter_counts_down_and_blocks() -> None:
    limiter = RateLimiter.from_settings(None, "moving-window")
    results = [await limiter.hit("3/minute", "login", "1.2.3.4") for _ in range(4)]
    assert [r.allowed for r in results] == [True, True, True, False]
    assert [r.remaining for r in results] == [2, 1, 0, 0]
    blocked = results[-1].headers()
    assert blocked["RateLimit-Limit"] == "3" and 0 < int(blocked["Retry-After"]) <= 60
    assert "Retry-After" not in results[0].headers()
    assert (await limiter.hit("3/minute", "login", "5.6.7.8")).allowed  # keys are independent


@pytest.mark.postgres
async def test_redis_limiter_is_shared_between_instances() -> None:
    async with redis_client():
        pass
    key = uuid.uuid4().hex
    first = RateLimiter.from_settings(TEST_REDIS_URL, "fixed-window")
    second = RateLimiter.from_settings(TEST_REDIS_URL, "fixed-window")
    try:
        assert isinstance(first.storage, RedisStorage) and await first.ping()
        assert (await first.hit("2/minute", key)).allowed
        assert (await second.hit("2/minute", key)).allowed
        assert not (await first.hit("2/minute", key)).allowed
    finally:
        await first.aclose()
        await second.aclose()


@pytest.mark.postgres
async def test_redis_limiters_under_different_prefixes_count_apart() -> None:
    """`RATE_LIMIT_KEY_PREFIX`: two services (or a soak and the test suite) sharing one Redis
    database do not spend each other's budgets."""
    async with redis_client() as redis:
        key = uuid.uuid4().hex
        prefix = f"rl-test-{key[:8]}"
        ours = RateLimiter.from_settings(TEST_REDIS_URL, "fixed-window", key_prefix=prefix)
        theirs = RateLimiter.from_settings(TEST_REDIS_URL, "fixed-window")
        try:
            assert (await ours.hit("1/minute", key)).allowed
            assert not (await ours.hit("1/minute", key)).allowed
            assert (await theirs.hit("1/minute", key)).allowed  # the same key, counted apart
            assert await redis.keys(f"{prefix}*")  # type: ignore[attr-defined]
        finally:
            await ours.aclose()
            await theirs.aclose()
