"""Rate limits on requests: per principal on the API, per address and username at login.

A hit records its `RateLimitResult` on the request; `HttpHygieneMiddleware` turns the most
restrictive one into `RateLimit-*` headers on whatever response goes out. An exhausted limit
answers 429 problem+json with `Retry-After`.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from starlette.requests import Request

from generated._runtime import ProblemError
from impl.ratelimit import RateLimiter, RateLimitResult

STATE_KEY = "ratelimit"


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _record(request: Request, result: RateLimitResult) -> None:
    state: dict[str, Any] = request.scope.setdefault("state", {})
    current = state.get(STATE_KEY)
    if current is None or result.remaining < current.remaining or not result.allowed:
        state[STATE_KEY] = result


def recorded(scope: MutableMapping[str, Any]) -> RateLimitResult | None:
    result = (scope.get("state") or {}).get(STATE_KEY)
    return result if isinstance(result, RateLimitResult) else None


async def enforce(request: Request, limiter: RateLimiter, limit: str, *key: str) -> None:
    """Count one request against `limit` for `key`; raise a 429 problem once it is exhausted."""
    result = await limiter.hit(limit, *key)
    if result is None:  # Redis is unavailable and the limiter fails open
        return
    _record(request, result)
    if not result.allowed:
        raise ProblemError(
            429,
            f"Rate limit of {limit.replace('/', ' per ')} exceeded; retry in {result.reset_after} s.",
            headers=result.headers(),
            extra={"code": "rate_limited"},
        )


def already_counted(request: Request, marker: str) -> bool:
    """True if this request was already counted under `marker` (a principal may be
    authenticated by more than one scheme in one request)."""
    state: dict[str, Any] = request.scope.setdefault("state", {})
    seen: set[str] = state.setdefault("ratelimit_seen", set())
    if marker in seen:
        return True
    seen.add(marker)
    return False
