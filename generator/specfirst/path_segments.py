"""Path segments holding several parameters with nothing between them (``/{pageName}{ext}``).

Starlette matches every ``{name}`` of a route with ``[^/]+``, greedily: in ``/blog/{page}{ext}``
the page takes ``readme.jso`` of ``/blog/readme.json`` and ``ext`` the ``n`` left over, which
its ``enum: [.json]`` then refuses. A parameter that shares a segment with another, nothing
between them, and that can take only a list of values (an ``enum`` or a ``const``) is matched
by a path convertor of those values (:class:`specfirst.runtime.routing.Choice`): ``ext``
matches ``.json`` alone and the page what comes before it. A URL whose value is none of them
matches no route (404), since no split of it is one the spec describes.

Two such parameters neither of which is limited to a list cannot be told apart by the URL: the
lint says so (``path-segment-split``) and the app splits the segment as Starlette does, the
first parameter taking all it can (all but one character where the second ends the segment).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

_ADJACENT = re.compile(r"\{([^{}]+)\}(?=\{([^{}]+)\})")


def adjacent_pairs(path: str) -> Iterator[tuple[str, str]]:
    """The names of each two parameters of ``path`` with nothing between them, in order."""
    for match in _ADJACENT.finditer(path.partition("?")[0].partition("#")[0]):
        yield match.group(1), match.group(2)


def choice_values(schema: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The texts a path parameter of ``schema`` can be sent as, when it is limited to a list
    (``enum``, ``const``) of strings, integers or booleans; None otherwise.

    A value no path segment can hold (empty, or with a ``/``) is left out: no route matches
    it either way; ``null`` is not a text."""
    if isinstance(schema.get("enum"), list):
        listed: list[Any] = schema["enum"]
    elif "const" in schema:
        listed = [schema["const"]]
    else:
        return None
    texts: list[str] = []
    for value in listed:
        if value is None:
            continue
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, (str, int)):
            text = str(value)
        else:
            return None  # a number's text has several spellings (1.0, 1e0)
        if text and "/" not in text:
            texts.append(text)
    return tuple(dict.fromkeys(texts)) or None


def convertor_name(values: Sequence[str]) -> str:
    """The name a :class:`~specfirst.runtime.routing.Choice` of ``values`` is registered under
    with Starlette: the same values, the same name, in every app of a process."""
    digest = hashlib.sha256("\x00".join(values).encode()).hexdigest()[:12]
    return f"choice_{digest}"


__all__ = ["adjacent_pairs", "choice_values", "convertor_name"]
