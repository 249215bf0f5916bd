"""Checks on query parameters that the contract alone cannot express."""

from __future__ import annotations

from collections.abc import Iterable

from impl.errors import InvalidQuery


def reject_unknown_parameters(received: Iterable[str], declared: Iterable[str]) -> None:
    """A query parameter the operation does not declare is a 400, never silently ignored."""
    unknown = sorted(set(received) - set(declared))
    if unknown:
        names = ", ".join(repr(name) for name in unknown)
        allowed = ", ".join(sorted(set(declared))) or "none"
        raise InvalidQuery(
            f"Unknown query parameter(s) {names}; this operation accepts: {allowed}."
        )
