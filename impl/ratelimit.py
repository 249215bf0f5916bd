"""Rate limiting with the `limits` library: in memory for one process, Redis for many.

`RateLimiter.hit` consumes one unit and returns what the `RateLimit-*` / `Retry-After`
headers need, whether or not the request is allowed.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Literal

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import (
    FixedWindowRateLimiter,
    MovingWindowRateLimiter,
    SlidingWindowCounterRateLimiter,
)
from limits.aio.strategies import (
    RateLimiter as Strategy,
)
from redis.asyncio import ConnectionPool

StrategyName = Literal["moving-window", "fixed-window", "sliding-window-counter"]
_STRATEGIES: dict[str, type[Strategy]] = {
    "moving-window": MovingWindowRateLimiter,
    "fixed-window": FixedWindowRateLimiter,
    "sliding-window-counter": SlidingWindowCounterRateLimiter,
}


@dataclass(frozen=True, slots=True)
class RateLimitResult:
    allowed: bool
    limit: int
    remaining: int
    reset_after: int
    """Seconds until the window frees capacity; what `Retry-After` says when not allowed."""

    def headers(self) -> dict[str, str]:
        headers = {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset_after),
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.reset_after)
        return headers


def make_storage(redis_url: str | None) -> tuple[Storage, ConnectionPool | None]:
    """Memory storage, or Redis storage on a connection pool we own (limits never closes
    its own, so the pool is returned for `RateLimiter.aclose`)."""
    if not redis_url:
        return MemoryStorage(), None
    pool = ConnectionPool.from_url(redis_url)
    storage = RedisStorage(
        "async+" + redis_url,
        implementation="redispy",
        key_prefix="specfirst-rl",
        # limits types **options as scalars, but its redis-py bridge takes a pool here.
        connection_pool=pool,  # type: ignore[arg-type]
    )
    return storage, pool


class RateLimiter:
    def __init__(
        self,
        storage: Storage,
        strategy: StrategyName = "moving-window",
        *,
        pool: ConnectionPool | None = None,
    ) -> None:
        self.storage = storage
        self._pool = pool
        self._strategy = _STRATEGIES[strategy](storage)
        self._parsed: dict[str, RateLimitItem] = {}

    @classmethod
    def from_settings(cls, redis_url: str | None, strategy: StrategyName) -> RateLimiter:
        storage, pool = make_storage(redis_url)
        return cls(storage, strategy, pool=pool)

    def _item(self, limit: str) -> RateLimitItem:
        item = self._parsed.get(limit)
        if item is None:
            item = self._parsed[limit] = parse(limit)
        return item

    async def hit(self, limit: str, *key: str) -> RateLimitResult:
        """Consume one request of `limit` (e.g. "300/minute") for `key` (e.g. the principal)."""
        item = self._item(limit)
        allowed = await self._strategy.hit(item, *key)
        stats = await self._strategy.get_window_stats(item, *key)
        return RateLimitResult(
            allowed=allowed,
            limit=item.amount,
            remaining=max(0, stats.remaining),
            reset_after=max(0, math.ceil(stats.reset_time - time.time())),
        )

    async def reset(self) -> None:
        await self.storage.reset()

    async def ping(self) -> bool:
        return bool(await self.storage.check())

    async def aclose(self) -> None:
        if self._pool is not None:
            await self._pool.aclose()
