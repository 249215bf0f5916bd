"""Work that outlives a request: tracked asyncio tasks, drained on graceful shutdown, and
callbacks that run only once a transaction has really committed (or rolled back)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

log = logging.getLogger(__name__)


class Background:
    """Keeps a reference to every task it starts (asyncio only keeps weak ones) and logs
    failures instead of letting them vanish."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def spawn(self, coroutine: Coroutine[Any, Any, None], *, name: str) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(coroutine, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background task %s failed", task.get_name(), exc_info=task.exception())

    @property
    def pending(self) -> int:
        return len(self._tasks)

    async def drain(self, timeout: float = 30.0) -> None:
        """Wait up to `timeout` seconds for running work, then cancel what is left."""
        if not self._tasks:
            return
        _, still_running = await asyncio.wait(set(self._tasks), timeout=timeout)
        for task in still_running:
            task.cancel()
        if still_running:
            await asyncio.gather(*still_running, return_exceptions=True)


def after_commit(session: AsyncSession, callback: Callable[[], None]) -> None:
    event.listen(session.sync_session, "after_commit", lambda _session: callback(), once=True)


def after_rollback(session: AsyncSession, callback: Callable[[], None]) -> None:
    event.listen(session.sync_session, "after_rollback", lambda _session: callback(), once=True)
