# Vendored from the specfirst 0.1.0 runtime by `specfirst generate`. DO NOT EDIT.
# Upgrade specfirst and regenerate to update it.
"""Parameters FastAPI cannot read by itself: OpenAPI ``style``/``explode`` and ``content``.

FastAPI reads a primitive from a path segment, a query key, a header or a cookie, and a list
from repeated query keys. OpenAPI also serializes arrays and objects as ``a,b,c``, ``k,v,k2,v2``
or ``k=v,k2=v2`` (simple, form), with a ``.`` or ``;name=`` prefix (label, matrix), separated by
spaces or pipes (spaceDelimited, pipeDelimited), as ``name[k]=v`` keys (deepObject), or as a
JSON document (``content``). The generated router declares such a parameter as a dependency on
a :class:`StyledParam`, which splits the raw text as the style says and validates the result
against the parameter's type (pydantic, lax mode: ``"1"`` becomes ``1`` for an ``int`` field);
a JSON document is validated as a JSON body is (:func:`.codec._validate_json`: ``false`` is no
integer in it).

Written here because no maintained library decodes OpenAPI parameter styles on the server side
for Starlette requests; the rules are the OpenAPI 3.1 "Style Values" table (RFC 6570 subsets).

A query parameter with ``allowEmptyValue`` whose type refuses the empty string is read here
too: ``?limit=`` is the parameter left out (its default, else None), ``?ids=`` an empty array.

FastAPI also ignores query parameters an endpoint does not declare: under
``x-specfirst-strict-query`` (on the operation or the document) the endpoint calls
:func:`reject_unknown_query`, which answers them with a validation problem.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Collection
from typing import Annotated, Any, Literal

from fastapi.exceptions import RequestValidationError
from pydantic import Field, TypeAdapter, ValidationError
from starlette.requests import Request
from starlette.types import Scope

from .codec import _validate_json
from .problems import ProtocolProblem

Shape = Literal["primitive", "array", "object"]
_MISSING = object()
_EMPTY = object()  # ``?name=`` for a parameter with ``allowEmptyValue``
_SEPARATORS = {"spaceDelimited": " ", "pipeDelimited": "|"}


def _pairs(parts: list[str], explode: bool) -> dict[str, str]:
    """``[k, v, k2, v2]`` (explode=false) or ``[k=v, k2=v2]`` (explode=true) → dict."""
    if explode:
        out: dict[str, str] = {}
        for part in parts:
            key, _, value = part.partition("=")
            out[key] = value
        return out
    return dict(zip(parts[::2], parts[1::2], strict=False))


def _shape(parts: list[str], shape: Shape, explode: bool) -> Any:
    if shape == "array":
        return parts
    if shape == "object":
        return _pairs(parts, explode)
    return ",".join(parts)


def _split(text: str, sep: str = ",") -> list[str]:
    return [] if text == "" else text.split(sep)


class StyledParam:
    """A FastAPI dependency reading one parameter as its ``style``/``explode``/``content`` say."""

    def __init__(
        self,
        name: str,
        location: Literal["path", "query", "querystring", "header", "cookie"],
        tp: Any,
        *,
        style: str,
        explode: bool,
        shape: Shape,
        required: bool,
        default: Any = None,
        key: str | None = None,
        content_type: str | None = None,
        exclude: Collection[str] = (),
        allow_empty: bool = False,
    ) -> None:
        self.name = name
        self.key = key or name  # path: the route's (Python) parameter name
        self.location = location
        self.style = style
        self.explode = explode
        self.shape: Shape = shape
        self.required = required
        self.default = default
        self.content_type = content_type
        self.exclude = frozenset(exclude)
        self.allow_empty = allow_empty  # ``allowEmptyValue``: ``?limit=`` is left out
        self.tp = tp
        # A value like "12" for ``int | str`` should be 12: try the members in spec order.
        target: Any = Annotated[tp, Field(union_mode="left_to_right")] if _is_union(tp) else tp
        self.adapter: TypeAdapter[Any] = TypeAdapter(target)

    def __call__(self, request: Request) -> Any:
        raw = self._read(request)
        if raw is _EMPTY:  # an empty value the parameter allows: as if left out, but given
            return self.default
        if raw is _MISSING:
            if self.required:
                self._fail("missing", "Field required", None)
            return self.default
        wire_json = self.content_type is not None and "json" in self.content_type
        if wire_json:
            try:
                json.loads(raw)
            except ValueError:
                self._fail("json_invalid", f"not valid {self.content_type}", raw)
        try:
            # JSON text as JSON, with JSON's types: a null in it is a null
            # (specfirst.runtime.base), and false is no integer
            return _validate_json(self.tp, raw) if wire_json else self.adapter.validate_python(raw)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            first = errors[0] if errors else {"type": "value_error", "msg": "invalid value"}
            loc = tuple(str(p) for p in first.get("loc", ()))
            self._fail(str(first["type"]), str(first["msg"]), raw, loc)
        raise AssertionError("unreachable")  # pragma: no cover

    def _fail(self, kind: str, msg: str, value: Any, loc: tuple[str, ...] = ()) -> None:
        raise RequestValidationError(
            [{"type": kind, "loc": (self.location, self.name, *loc), "msg": msg, "input": value}]
        )

    # ---------------------------------------------------------------- reading

    def _read(self, request: Request) -> Any:
        if self.location == "path":
            return self._path(request.path_params.get(self.key, ""))
        if self.location == "header":
            values = request.headers.getlist(self.name)
            if not values:
                return _MISSING
            return self._simple(",".join(values))
        if self.location == "cookie":
            value = request.cookies.get(self.name)
            if value is None:
                return _MISSING
            return self._simple(urllib.parse.unquote(value))
        if self.location == "querystring":
            return self._querystring(request)
        return self._query(request)

    def _object_or_missing(self, found: dict[str, str]) -> Any:
        """An exploded object's keys, or ``_MISSING`` when the query has none of them.

        Exploded (form or deepObject), the empty object serializes to nothing: a required one
        with no keys given is ``{}``, and its schema decides (required properties refuse it).
        """
        return found if found or self.required else _MISSING

    def _querystring(self, request: Request) -> Any:
        """OpenAPI 3.2 ``in: querystring``: the whole query string is one document.

        ``application/x-www-form-urlencoded`` gives a mapping (a repeated key, a list);
        any other media type is the percent-decoded text (JSON parsed in ``__call__``).
        """
        raw: bytes = request.scope.get("query_string", b"")
        text = raw.decode("latin-1")
        if not text:
            return _MISSING
        media = (self.content_type or "").split(";", 1)[0].strip().lower()
        if media != "application/x-www-form-urlencoded":
            return urllib.parse.unquote(text)
        found: dict[str, Any] = {}
        for key, value in urllib.parse.parse_qsl(text, keep_blank_values=True):
            if key in found:
                previous = found[key]
                found[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
            else:
                found[key] = value
        return found

    def _simple(self, text: str) -> Any:
        if self.content_type is not None:
            return text
        return _shape(_split(text), self.shape, self.explode)

    def _path(self, text: str) -> Any:
        text = urllib.parse.unquote(text)
        if self.content_type is not None:
            return text
        if self.style == "label":
            if not text.startswith("."):
                return text if text else _MISSING
            body = text[1:]
            parts = _split(body, "." if self.explode else ",")
            if self.shape == "object" and self.explode:
                return _pairs(parts, True)
            return _shape(parts if self.shape != "primitive" else [body], self.shape, self.explode)
        if self.style == "matrix":
            segments = [s for s in text.split(";") if s]
            if self.shape == "object" and self.explode:
                return _pairs(segments, True)
            values = [s.partition("=")[2] for s in segments if s.partition("=")[0] == self.name]
            if not values:
                return _MISSING
            if self.shape == "array" and self.explode:
                return values
            return _shape(
                _split(values[0]) if self.shape != "primitive" else [values[0]], self.shape, False
            )
        return _shape(
            _split(text) if self.shape != "primitive" else [text], self.shape, self.explode
        )

    def _query(self, request: Request) -> Any:
        params = request.query_params
        if self.style == "deepObject":
            prefix = self.name + "["
            found = {
                key[len(prefix) : -1]: value
                for key, value in params.multi_items()
                if key.startswith(prefix) and key.endswith("]")
            }
            return self._object_or_missing(found)
        if self.shape == "object" and self.explode and self.content_type is None:
            found = {k: v for k, v in params.multi_items() if k not in self.exclude}
            return self._object_or_missing(found)
        values = params.getlist(self.name)
        if not values:
            return _MISSING
        if self.allow_empty and values == [""]:
            return [] if self.shape == "array" else _EMPTY
        if self.content_type is not None:
            return values[0]
        if self.shape == "array" and self.explode:
            return values
        sep = _SEPARATORS.get(self.style, ",")
        if self.shape == "primitive":
            return values[0]
        return _shape(_split(values[0], sep), self.shape, False)


def _is_union(tp: Any) -> bool:
    import types
    import typing

    origin = typing.get_origin(tp)
    if origin is not typing.Union and origin is not types.UnionType:
        return False
    # ``X | None`` is a nullable X for pydantic, not a union: ``union_mode`` does not apply.
    return sum(1 for arg in typing.get_args(tp) if arg is not type(None)) > 1


QUERY = "specfirst.query"
"""Scope key: the query string as :func:`parsed_query` read it for the request's plan."""


def parsed_query(scope: Scope) -> dict[str, list[str]]:
    """The query string's values by name, in order: what Starlette's ``QueryParams`` holds
    (the same parsing), without building it (a third of reading a query parameter). Kept in
    the scope for :func:`reject_unknown_query`."""
    found: dict[str, list[str]] = {}
    raw = scope.get("query_string", b"")
    if raw:
        text = raw.decode("latin-1")
        if "%" in text or "+" in text:
            for key, value in urllib.parse.parse_qsl(text, keep_blank_values=True):
                found.setdefault(key, []).append(value)
        else:  # nothing to decode: parse_qsl's split, without its unquoting of every part
            for pair in text.split("&"):
                if pair:
                    key, _, value = pair.partition("=")
                    found.setdefault(key, []).append(value)
    scope[QUERY] = found
    return found


def reject_unknown_query(request: Request, known: frozenset[str], status: int) -> None:
    """Answer a validation error naming every query parameter the operation does not declare."""
    given = request.scope.get(QUERY)
    names = given if given is not None else request.query_params
    unknown = sorted({key for key in names if key not in known})
    if unknown:
        raise ProtocolProblem(
            status,
            f"unknown query parameter(s): {', '.join(unknown)}",
            errors=[
                {"pointer": f"/query/{name}", "detail": "not a parameter of this operation"}
                for name in unknown
            ],
        )
