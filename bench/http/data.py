"""The petstore's data, the same for every server: 100 pets, built once at start-up."""

from __future__ import annotations

import datetime
from collections.abc import AsyncIterator
from typing import Any

NOW = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
LIST_LIMIT = 20  # the benchmark lists 20 pets per request
NEW_ID = 1000
# FastAPI 0.16x checks per request whether an OpenTelemetry provider is configured; an app
# that does not use OpenTelemetry can switch that off (connexion and Starlette have no such check).
NO_TELEMETRY: Any = {"tracing": False, "metrics": False, "logs": False}


def pet(i: int) -> dict[str, Any]:
    """One pet as a plain dict; every other one has the optional ``tag`` and ``age``."""
    item: dict[str, Any] = {
        "id": i,
        "name": f"pet {i}",
        "vaccinated": i % 3 == 0,
        "created_at": NOW,
    }
    if i % 2:
        item["tag"] = "dog" if i % 4 == 1 else "cat"
        item["age"] = i % 15
    return item


PETS: list[dict[str, Any]] = [pet(i) for i in range(1, 101)]


class Session:
    """A stand-in for a per-request database session: the store it reads, closed at the end."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self.closed = False

    def close(self) -> None:
        self.closed = True


async def get_session() -> AsyncIterator[Session]:
    """The ``yield`` dependency both class services ask for (FastAPI's and specfirst's)."""
    session = Session(PETS)
    try:
        yield session
    finally:
        session.close()
