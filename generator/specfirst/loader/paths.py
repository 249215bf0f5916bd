"""Where a document's operations are: a Path Item's operations, and the servers' base path.

:data:`HTTP_METHODS` are the fixed operation keys of a Path Item; :func:`path_item_operations`
lists them with OpenAPI 3.2's ``additionalOperations``; :func:`server_base_path` is the path
that routes are mounted under.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from specfirst.loader.pointers import Pointer

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")
"""The fixed operation keys of a Path Item (``query``: OpenAPI 3.2's QUERY method)."""


def path_item_operations(item: Any) -> Iterator[tuple[str, Pointer, Any]]:
    """``(method, pointer in the path item, operation)`` for every operation of a Path Item.

    The fixed methods come lower-case as they are keyed (``get`` … ``query``); OpenAPI 3.2's
    ``additionalOperations`` (``PURGE``, ``COPY`` …) come with their key as written, under
    ``("additionalOperations", key)``. Only mapping values are yielded.
    """
    if not isinstance(item, Mapping):
        return
    for method in HTTP_METHODS:
        op = item.get(method)
        if isinstance(op, Mapping):
            yield method, (method,), op
    extra = item.get("additionalOperations")
    if isinstance(extra, Mapping):
        for key, op in extra.items():
            if isinstance(op, Mapping):
                yield str(key), ("additionalOperations", str(key)), op


def server_base_path(doc: Mapping[str, Any]) -> str:
    """The path of the first server's URL, variables set to their defaults: where routes are mounted.

    ``""`` when there is no server, no path, or a variable without a default is left. A run of
    slashes is one: ``https://host/{basePath}`` with ``basePath: /api/v1`` is ``/api/v1``, not
    ``//api/v1`` (a path no client would send, and a request URL that reads as another host).
    """
    servers = doc.get("servers") or []
    if not isinstance(servers, list) or not servers or not isinstance(servers[0], Mapping):
        return ""
    server = servers[0]
    url = str(server.get("url", ""))
    variables = server.get("variables") or {}
    for name, var in variables.items() if isinstance(variables, Mapping) else []:
        if isinstance(var, Mapping):
            url = url.replace("{" + str(name) + "}", str(var.get("default", "")))
    match = re.match(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?(?://[^/?#]*)?(/[^?#]*)?", url)
    path = (match.group(1) if match else "") or ""
    if "{" in path:
        return ""
    return re.sub(r"/{2,}", "/", path).rstrip("/")
