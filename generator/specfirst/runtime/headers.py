"""Headers on the wire: a value as header text, and a result's headers put onto a response.

Shared by the responses (:mod:`.render`), the streams (:mod:`.streaming`) and the outgoing
requests of webhooks and callbacks (:mod:`.senders`, which writes query and cookie values the
same way).
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from typing import Any

from starlette.responses import Response


def header_value(value: Any) -> str:
    """``value`` as header text: booleans in lower case, enums by value, dates in ISO 8601,
    lists joined by commas."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ",".join(header_value(v) for v in value)
    return str(value)


def _finish(
    response: Response, headers: Iterable[tuple[str, Any]], sub: Response | None
) -> Response:
    """``response`` with ``headers`` (name, value; a ``None`` value is not sent) and the headers
    collected on ``sub``, the endpoint's FastAPI ``Response`` parameter (a cookie a dependency
    set, say), but for its length and type."""
    for name, value in headers:
        if value is not None:
            response.headers[name] = header_value(value)
    if sub is not None and sub.raw_headers:
        response.raw_headers.extend(
            (k, v) for k, v in sub.raw_headers if k not in (b"content-length", b"content-type")
        )
    return response
