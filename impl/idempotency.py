"""Idempotency keys for POST (draft-ietf-httpapi-idempotency-key-header).

The first request with a key reserves it with its fingerprint (method, path and body
hash); when it finishes, its response is stored for `ttl` seconds. Then:

- same key, same fingerprint, response stored → replay the stored response;
- same key, same fingerprint, still running    → 409 `IdempotencyKeyInUse`;
- same key, different fingerprint              → 409 `IdempotencyKeyReused` (the draft
  suggests 422; the request is well formed, it conflicts with the stored one).

Keys are scoped by the caller (`scope_key`), so two users never see each other's responses.
A failed request releases its key, so the client may retry it.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from redis.asyncio import Redis

from impl.errors import IdempotencyKeyInUse, IdempotencyKeyReused


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def dumps(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "headers": self.headers,
            "body": base64.b64encode(self.body).decode(),
        }

    @classmethod
    def loads(cls, data: dict[str, Any]) -> StoredResponse:
        return cls(
            status=data["status"], headers=data["headers"], body=base64.b64decode(data["body"])
        )


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(f"{method.upper()} {path}\n".encode() + body).hexdigest()


def scope_key(principal_id: str, operation_id: str, key: str) -> str:
    return hashlib.sha256(f"{principal_id}\x00{operation_id}\x00{key}".encode()).hexdigest()


class IdempotencyStore(Protocol):
    async def begin(self, key: str, fingerprint: str) -> StoredResponse | None:
        """Reserve `key` (returns None: go ahead), or return the response to replay, or raise."""

    async def complete(self, key: str, fingerprint: str, response: StoredResponse) -> None: ...

    async def release(self, key: str) -> None: ...


def _check(entry: dict[str, Any], fingerprint: str) -> StoredResponse:
    if entry["fingerprint"] != fingerprint:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was already used with a different request."
        )
    if entry.get("response") is None:
        raise IdempotencyKeyInUse("A request with this Idempotency-Key is still being processed.")
    return StoredResponse.loads(entry["response"])


class MemoryIdempotencyStore:
    """For a single process."""

    max_entries = 10_000
    """Expired entries are swept once the store grows past this."""

    def __init__(self, ttl: int) -> None:
        self.ttl = ttl
        self._entries: dict[str, tuple[float, dict[str, Any]]] = {}
        self._lock = asyncio.Lock()

    async def begin(self, key: str, fingerprint: str) -> StoredResponse | None:
        async with self._lock:
            now = time.monotonic()
            if len(self._entries) > self.max_entries:
                self._entries = {k: v for k, v in self._entries.items() if v[0] > now}
            found = self._entries.get(key)
            if found is None or found[0] <= now:
                self._entries[key] = (
                    now + self.ttl,
                    {"fingerprint": fingerprint, "response": None},
                )
                return None
            return _check(found[1], fingerprint)

    async def complete(self, key: str, fingerprint: str, response: StoredResponse) -> None:
        async with self._lock:
            self._entries[key] = (
                time.monotonic() + self.ttl,
                {"fingerprint": fingerprint, "response": response.dumps()},
            )

    async def release(self, key: str) -> None:
        async with self._lock:
            self._entries.pop(key, None)


class RedisIdempotencyStore:
    """Shared by every worker. `SET NX` makes the reservation atomic across processes."""

    def __init__(self, redis: Redis, ttl: int, *, prefix: str = "specfirst:idem:") -> None:
        self.redis = redis
        self.ttl = ttl
        self.prefix = prefix

    @classmethod
    def from_url(cls, url: str, ttl: int, *, timeout: float = 2.0) -> RedisIdempotencyStore:
        return cls(Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout), ttl)

    async def begin(self, key: str, fingerprint: str) -> StoredResponse | None:
        name = self.prefix + key
        entry = json.dumps({"fingerprint": fingerprint, "response": None})
        if await self.redis.set(name, entry, nx=True, ex=self.ttl):
            return None
        raw = await self.redis.get(name)
        if raw is None:  # expired between the two calls: try once more
            return (
                None
                if await self.redis.set(name, entry, nx=True, ex=self.ttl)
                else await self.begin(key, fingerprint)
            )
        return _check(json.loads(raw), fingerprint)

    async def complete(self, key: str, fingerprint: str, response: StoredResponse) -> None:
        entry = json.dumps({"fingerprint": fingerprint, "response": response.dumps()})
        await self.redis.set(self.prefix + key, entry, ex=self.ttl)

    async def release(self, key: str) -> None:
        await self.redis.delete(self.prefix + key)

    async def aclose(self) -> None:
        await self.redis.aclose()
