# Vendored from the specfirst 0.1.0 runtime by `specfirst generate`. DO NOT EDIT.
# Upgrade specfirst and regenerate to update it.
"""Routes for path keys that carry a query string, such as ``/rest?method=flickr.photos.search``.

OpenAPI path keys are templates without a query, but real specs (Flickr's, and others written
for RPC-style APIs) use the query to tell operations on one path apart. The generated router
registers such an operation at the path without the query and marks its endpoint with the
fixed query pairs; :class:`QueryRoute` then matches only requests whose query carries them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from fastapi.routing import APIRoute
from starlette.routing import Match
from starlette.types import Scope

REQUIRED_QUERY = "__sf_required_query__"


class QueryRoute(APIRoute):
    """An APIRoute that also requires fixed query parameters, when its endpoint names some."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        required: Mapping[str, str] | None = getattr(self.endpoint, REQUIRED_QUERY, None)
        if match is Match.NONE or not required:
            return match, child
        raw = scope.get("query_string", b"").decode("latin-1")
        given: dict[str, list[str]] = {}
        for key, value in parse_qsl(raw, keep_blank_values=True):
            given.setdefault(key, []).append(value)
        if all(value in given.get(key, ()) for key, value in required.items()):
            return match, child
        return Match.NONE, {}


def required_query(route: Any) -> int:
    """Sort key part: routes with a fixed query are tried before the same path without one."""
    endpoint = getattr(route, "endpoint", None)
    return 0 if getattr(endpoint, REQUIRED_QUERY, None) else 1
