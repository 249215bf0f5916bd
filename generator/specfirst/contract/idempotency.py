"""Idempotency-Key replays: a "lost" resource that a replayed creation never made.

schemathesis' ``ensure_resource_availability`` check creates a resource, then looks it up. When
the creating request reused an ``Idempotency-Key`` an earlier request had sent, its 2xx was a
replay of that earlier creation, whose resource may be gone since: :func:`_remember_keys`
records when each key was first sent, :func:`_replayed_creation` finds such a replay, and the
run notes the failure instead of counting it.

These functions read schemathesis' recorder, but import nothing of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

IDEMPOTENCY_KEY = "idempotency-key"


def _header(headers: Mapping[str, Any], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return str(value[0] if isinstance(value, list) and value else value)
    return None


def _remember_keys(recorder: Any, keys: dict[tuple[str, str], float]) -> None:
    """When each ``(operation, Idempotency-Key)`` was first sent."""
    for case_id, interaction in recorder.interactions.items():
        node = recorder.cases.get(case_id)
        key = _header(interaction.request.headers, IDEMPOTENCY_KEY)
        if node is not None and key is not None:
            seen = (node.value.operation.label, key)
            keys[seen] = min(keys.get(seen, interaction.timestamp), interaction.timestamp)


def _replayed_creation(
    recorder: Any, case_id: str, keys: Mapping[tuple[str, str], float]
) -> str | None:
    """The ``Idempotency-Key`` of the request that "created" the resource a failing
    ``ensure_resource_availability`` looked for, when an earlier request had sent it already.

    Such a 2xx is a replay: the Idempotency-Key draft (draft-ietf-httpapi-idempotency-key-header)
    has the server answer a retried key with the first request's response, even when the
    resource it created has been deleted since. schemathesis cannot know that, and reads the
    404 that follows as a resource lost right after its creation.
    """
    node = recorder.cases.get(case_id)
    parent = recorder.cases.get(node.parent_id) if node is not None and node.parent_id else None
    interaction = recorder.interactions.get(parent.value.id) if parent is not None else None
    if parent is None or interaction is None:
        return None
    key = _header(interaction.request.headers, IDEMPOTENCY_KEY)
    if key is None:
        return None
    first = keys.get((parent.value.operation.label, key))
    return key if first is not None and first < interaction.timestamp else None
