"""Idempotent creates: run once per `Idempotency-Key`, replay the stored result afterwards.

The result is stored only after the transaction committed, so a replay never points at a
row that does not exist; a failure releases the key so the client can retry.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from impl.idempotency import IdempotencyStore, StoredResponse, fingerprint, scope_key
from impl.security.principal import Principal

M = TypeVar("M", bound=BaseModel)
REPLAYED_HEADER = "Idempotent-Replayed"


async def run_once(
    *,
    store: IdempotencyStore,
    session: AsyncSession,
    response: Response,
    key: str | None,
    principal: Principal,
    operation: str,
    target: str,
    payload: Mapping[str, Any],
    model: type[M],
    status: int,
    create: Callable[[], Awaitable[tuple[M, dict[str, str]]]],
) -> tuple[M, dict[str, str]]:
    """`create()` once per key; the same key with the same payload replays its result, with
    a different payload it is a 409, and so is a retry while the first request still runs."""
    if key is None:
        return await create()
    scoped = scope_key(str(principal.user_id), operation, key)
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()
    print_ = fingerprint("POST", target, canonical)
    stored = await store.begin(scoped, print_)
    if stored is not None:
        response.headers[REPLAYED_HEADER] = "true"
        return model.model_validate_json(stored.body), dict(stored.headers)
    try:
        body, headers = await create()
        await session.commit()
    except BaseException:
        await store.release(scoped)
        raise
    await store.complete(
        scoped,
        print_,
        StoredResponse(
            status=status, body=body.model_dump_json(by_alias=True).encode(), headers=headers
        ),
    )
    return body, headers
