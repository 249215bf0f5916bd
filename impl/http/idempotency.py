"""Idempotent creates: run once per `Idempotency-Key`, replay the stored result afterwards.

The reservation commits on its own, first; the result is stored by the transaction that commits
the created row (see `impl.idempotency`), so a replay never points at a row that does not
exist, and a row never exists without its replayable response.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from impl.idempotency import IdempotencyStore, StoredResponse, fingerprint, scope_key
from impl.security.principal import Principal

M = TypeVar("M", bound=BaseModel)
REPLAYED_HEADER = "Idempotent-Replayed"
log = logging.getLogger(__name__)


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
    outcome = await store.reserve(session, scoped, fingerprint("POST", target, canonical))
    if isinstance(outcome, StoredResponse):
        response.headers[REPLAYED_HEADER] = "true"
        return model.model_validate_json(outcome.body), dict(outcome.headers)
    await session.commit()  # the reservation: every worker sees it from here on
    try:
        body, headers = await create()
        stored = body.model_dump_json(by_alias=True).encode()
        await store.complete(session, outcome, StoredResponse(status, stored, headers))
        await session.commit()  # the write and its response, together
    except Exception:
        await session.rollback()
        try:
            await store.release(session, outcome)
            await session.commit()
        except Exception:  # e.g. the database is down: the lease expires by itself
            await session.rollback()
            log.warning("could not give an idempotency key back; its lease will expire")
        raise
    return body, headers
