"""Rate limiting with the `limits` library: in memory for one process, Redis for many.

`RateLimiter.hit` consumes one unit and returns what the `RateLimit-*` / `Retry-After`
headers need, whether or not the request is allowed. While Redis is unavailable it fails closed
(the request answers 503) or, with `RATE_LIMIT_FAIL_OPEN=true`, open (no limit, one warning
per outage).
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
from limits.errors import StorageError
from redis.asyncio import ConnectionPool

from impl.outages import REDIS, OutageLog

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


def make_storage(
    redis_url: str | None, *, timeout: float = 2.0, key_prefix: str = "specfirst-rl"
) -> tuple[Storage, ConnectionPool | None]:
    """Memory storage, or Redis storage on a connection pool we own (limits never closes
    its own, so the pool is returned for `RateLimiter.aclose`). Redis errors surface as
    `limits.errors.StorageError`, after at most `timeout` seconds per connect or command."""
    if not redis_url:
        return MemoryStorage(), None
    pool = ConnectionPool.from_url(
        redis_url, socket_timeout=timeout, socket_connect_timeout=timeout
    )
    storage = RedisStorage(
        "async+" + redis_url,
        implementation="redispy",
        key_prefix=key_prefix,
        wrap_exceptions=True,
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
        fail_open: bool = False,
        outages: OutageLog | None = None,
    ) -> None:
        self.storage = storage
        self._pool = pool
        self._strategy = _STRATEGIES[strategy](storage)
        self._parsed: dict[str, RateLimitItem] = {}
        self.fail_open = fail_open
        self.outages = outages or OutageLog()

    @classmethod
    def from_settings(
        cls,
        redis_url: str | None,
        strategy: StrategyName,
        *,
        timeout: float = 2.0,
        fail_open: bool = False,
        outages: OutageLog | None = None,
        key_prefix: str = "specfirst-rl",
    ) -> RateLimiter:
        storage, pool = make_storage(redis_url, timeout=timeout, key_prefix=key_prefix)
        return cls(storage, strategy, pool=pool, fail_open=fail_open, outages=outages)

    def _item(self, limit: str) -> RateLimitItem:
        item = self._parsed.get(limit)
        if item is None:
            item = self._parsed[limit] = parse(limit)
        return item

    async def hit(self, limit: str, *key: str) -> RateLimitResult | None:
        """Consume one request of `limit` (e.g. "300/minute") for `key` (e.g. the principal).

        While the storage (Redis) is unavailable: None when failing open (the request goes on
        unlimited), else `StorageError` (the HTTP layer answers 503)."""
        item = self._item(limit)
        try:
            allowed = await self._strategy.hit(item, *key)
            stats = await self._strategy.get_window_stats(item, *key)
        except StorageError as exc:
            self.outages.failed(REDIS, exc)
            if self.fail_open:
                return None
            raise
        self.outages.recovered(REDIS)
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
