"""When the database, Redis or file storage is unavailable: which errors say so, and one log
line per outage.

`unavailable_dependency(exc)` names the dependency an exception shows to be down or stalled
(a refused or dropped connection, a timeout, a statement cancelled by the statement timeout,
an exhausted pool), or None for every other error,
which stays a bug (500). The HTTP layer answers those with 503 problem+json and `Retry-After`.

`OutageLog` keeps the log readable during an outage: one warning when a dependency starts
failing (the error's type and message, no traceback), one when it answers again, and nothing
for the requests in between, however many.
"""

from __future__ import annotations

import logging
import time

from limits.errors import StorageError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy import exc as sa

from impl.storage import StorageUnavailable

log = logging.getLogger("impl.outages")

DATABASE = "database"
REDIS = "redis"
STORAGE = "storage"


# SQLSTATE classes that say the database is unavailable or stalled, not that a statement is
# wrong: 08 connection exception, 53 insufficient resources (e.g. too many connections),
# 57 operator intervention (a statement timeout's cancel 57014, shutdown, cannot connect now).
_UNAVAILABLE_SQLSTATE_CLASSES = ("08", "53", "57")


def _sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a PostgreSQL error, raw (asyncpg's, e.g. from the job queue) or
    wrapped by SQLAlchemy."""
    cause = exc.orig if isinstance(exc, sa.DBAPIError) else exc
    code = getattr(cause, "sqlstate", None)
    return code if isinstance(code, str) else None


def unavailable_dependency(exc: BaseException) -> str | None:
    if isinstance(exc, StorageUnavailable):
        return STORAGE
    if isinstance(exc, StorageError):
        return REDIS
    if isinstance(exc, RedisConnectionError | RedisTimeoutError):
        return REDIS
    if isinstance(exc, sa.TimeoutError | sa.OperationalError | sa.InterfaceError):
        return DATABASE
    if isinstance(exc, sa.DBAPIError) and exc.connection_invalidated:
        return DATABASE
    if (sqlstate := _sqlstate(exc)) is not None and sqlstate[:2] in _UNAVAILABLE_SQLSTATE_CLASSES:
        return DATABASE
    if isinstance(exc, TimeoutError | ConnectionError):
        # asyncpg's client-side timeout and a dropped connection surface unwrapped; Redis'
        # arrive as redis-py's own classes above. Only dependencies do I/O during a request.
        return DATABASE
    return None


def describe(exc: BaseException) -> str:
    """`Type: message`, short, without bound parameters (the engine hides them) or a traceback."""
    cause = exc.orig if isinstance(exc, sa.DBAPIError) and exc.orig is not None else exc
    message = " ".join(str(cause).split())[:200]
    return f"{type(cause).__name__}: {message}" if message else type(cause).__name__


class OutageLog:
    def __init__(self) -> None:
        self._since: dict[str, float] = {}
        self._failures: dict[str, int] = {}

    def is_down(self, name: str) -> bool:
        return name in self._since

    def failed(self, name: str, exc: BaseException) -> None:
        if name in self._since:
            self._failures[name] += 1
            return
        self._since[name] = time.monotonic()
        self._failures[name] = 1
        log.warning(
            "%s unavailable: %s; answering 503 until it recovers",
            name,
            describe(exc),
            extra={"dependency": name, "incident": "start"},
        )

    def recovered(self, name: str) -> None:
        since = self._since.pop(name, None)
        if since is None:
            return
        failures = self._failures.pop(name, 0)
        log.warning(
            "%s available again after %.1f s (%d failed request(s) meanwhile)",
            name,
            time.monotonic() - since,
            failures,
            extra={"dependency": name, "incident": "end", "failures": failures},
        )
