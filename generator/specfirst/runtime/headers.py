"""Headers on the wire: a value as header text, and a result's headers put onto a response.

Shared by the responses (:mod:`.render`), the streams (:mod:`.streaming`) and the outgoing
requests of webhooks and callbacks (:mod:`.senders`, which writes query and cookie values the
same way).
"""

from __future__ import annotations

import datetime
import enum
import re
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


# What a field value may hold on the wire (RFC 9110 section 5.5): visible characters, spaces
# and tabs, and the obs-text octets Starlette writes as Latin-1. A line break would end the
# header (or smuggle another), and a character beyond Latin-1 cannot be written at all.
_FIELD_VALUE = re.compile(r"[\t\x20-\x7e\x80-\xff]*")


class HeaderValueError(ValueError):
    """A response header value HTTP cannot carry; :class:`~.render.Responses` reports it as
    an undeclared response of its operation."""


def wire_value(name: str, value: Any) -> str:
    """``value`` as the text of header ``name`` (:func:`header_value`), refused when a field
    value cannot hold it."""
    text = header_value(value)
    if not (text.isascii() and text.isprintable()) and not _FIELD_VALUE.fullmatch(text):
        bad = next(c for c in text if not _FIELD_VALUE.fullmatch(c))
        raise HeaderValueError(
            f"header {name}: {bad!r} at {text.index(bad)} cannot be sent in an HTTP header"
        )
    return text


def _finish(
    response: Response, headers: Iterable[tuple[str, Any]], sub: Response | None
) -> Response:
    """``response`` with ``headers`` (name, value; a ``None`` value is not sent) and the headers
    collected on ``sub``, the endpoint's FastAPI ``Response`` parameter (a cookie a dependency
    set, say), but for its length and type."""
    for name, value in headers:
        if value is not None:
            response.headers[name] = wire_value(name, value)
    if sub is not None and sub.raw_headers:
        response.raw_headers.extend(
            (k, v) for k, v in sub.raw_headers if k not in (b"content-length", b"content-type")
        )
    return response
