"""FastAPI dependencies shared by the handlers: the runtime and a per-request session."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from impl.errors import ServiceUnavailable
from impl.outages import DATABASE
from impl.runtime import Runtime


def get_runtime(request: Request) -> Runtime:
    runtime = getattr(request.app.state, "runtime", None)
    if runtime is None:  # only when the app is served without its lifespan
        raise RuntimeError("the app's lifespan has not run: no runtime")
    assert isinstance(runtime, Runtime)
    return runtime


async def get_session(
    runtime: Annotated[Runtime, Depends(get_runtime)],
) -> AsyncIterator[AsyncSession]:
    """One unit of work per request: commit when the handler returns, roll back when it raises.

    Function-scoped, so the commit happens before the response is sent: a client that
    got a 201 can read what it created, from any worker. Until start-up has finished (the
    database was unreachable, so not yet migrated) every request answers 503."""
    if not runtime.ready:
        raise ServiceUnavailable("The service is starting: its database is not reachable yet.")
    async with runtime.database.sessionmaker() as session:
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise
        talked_to_database = session.in_transaction()
        await session.commit()
        if talked_to_database:
            runtime.outages.recovered(DATABASE)  # a dict lookup, unless an outage was logged


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
