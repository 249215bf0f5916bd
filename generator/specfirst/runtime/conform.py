"""A valid value of a declared type, from named values: what the default error hook builds.

``conform(tp, values)`` builds a value of ``tp`` (a model, a list of models, a string …) from
the JSON schema pydantic writes for it. A property whose name is in ``values`` (names compared
without case, ``_`` or ``-``) gets that value where it fits the property's schema (where the
property is an array, as its one item: ``"message": ["…"]``); a required
property that gets none gets the simplest value the schema admits: its ``const``, ``default``
or first ``enum`` member, the smallest number in range, a string of the minimum length in the
declared ``format`` or matching its ``pattern``, ``minItems`` items. An object property is
built from the same ``values`` (``{"error": {"code": …, "message": …}}``), and so is the one
item of a body that is a list (``[{"code": …, "message": …}]``). pydantic then
validates the result; a value it refuses is replaced by the placeholder and the value built
again, so ``conform`` returns a valid instance of ``tp`` or raises ``ValueError``.

Why not a library: generators of schema-valid data (hypothesis-jsonschema, polyfactory) draw
random values, and the runtime would carry them into every deployed service; this needs one
deterministic, minimal value with the named fields filled in.
"""

from __future__ import annotations

import functools
import importlib
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from pydantic import ValidationError

from .codec import adapter

T = TypeVar("T")
_MISSING: Any = object()
_MAX_DEPTH = 12
_ROUNDS = 4
Path = tuple[str | int, ...]


class Choices(tuple[Any, ...]):
    """A named value with alternatives, tried in order (``details``: field errors, or text)."""

    __slots__ = ()


def conform(tp: type[T], values: Mapping[str, Any]) -> T:
    """A valid ``tp`` with ``values`` where their names and types fit; ``ValueError`` if none."""
    key: Any = tp  # a class, or an alias such as ``list[models.Error]``: hashable either way
    ta = adapter(key)
    schema = _json_schema(key)
    source = {_key(name): value for name, value in values.items()}
    banned: set[Path] = set()
    error: ValidationError | None = None
    for _round in range(_ROUNDS):
        value = _Builder(schema.get("$defs", {}), banned).value(schema, source, None, (), 0)
        try:
            result: T = ta.validate_python(value)
            return result
        except ValidationError as exc:
            error = exc
            before = len(banned)
            banned |= {_path(value, e["loc"]) for e in exc.errors(include_url=False)}
            if len(banned) == before:
                break
    assert error is not None
    first = error.errors(include_url=False)[0]
    raise ValueError(f"no valid {_name(tp)} could be built: {first['msg']} at {first['loc']}")


def build(schema: Mapping[str, Any], values: Mapping[str, Any]) -> Any:
    """A value for a JSON schema (``$ref``-free) built as :func:`conform` builds one, without
    pydantic's validation: named values are taken only where they fit their property's type,
    format, pattern and bounds, so the value is valid for the schemas errors are declared with.
    For bodies with no pydantic type: an XML error body's schema."""
    source = {_key(name): value for name, value in values.items()}
    return _Builder({}, set()).value(schema, source, None, (), 0)


@functools.cache
def _json_schema(tp: Any) -> dict[str, Any]:
    schema: dict[str, Any] = adapter(tp).json_schema(by_alias=True, mode="validation")
    return schema


def _name(tp: Any) -> str:
    return getattr(tp, "__name__", None) or repr(tp)


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _path(value: Any, loc: Sequence[str | int]) -> Path:
    """The longest prefix of a pydantic error location that is a place in ``value``."""
    path: list[str | int] = []
    for part in loc:
        in_dict = isinstance(value, dict) and part in value
        if not (
            in_dict or (isinstance(value, list) and isinstance(part, int) and part < len(value))
        ):
            continue  # a union branch or a model's tag in the location: not a place
        value = value[part]
        path.append(part)
    return tuple(path)


class _Builder:
    """One build of a value for a JSON schema (``$defs`` resolved); ``banned`` places get
    placeholders instead of named values."""

    def __init__(self, defs: Mapping[str, Any], banned: set[Path]) -> None:
        self.defs = defs
        self.banned = banned

    def resolve(self, schema: Any) -> Mapping[str, Any]:
        seen = 0
        while isinstance(schema, Mapping) and "$ref" in schema and seen < _MAX_DEPTH:
            schema = self.defs.get(str(schema["$ref"]).rsplit("/", 1)[-1], {})
            seen += 1
        return schema if isinstance(schema, Mapping) else {}

    def value(
        self, schema: Any, source: Mapping[str, Any], name: str | None, path: Path, depth: int
    ) -> Any:
        schema = self.resolve(schema)
        if name is not None and path not in self.banned and _key(name) in source:
            found = self.named(schema, source[_key(name)], path, depth)
            if found is not _MISSING:
                return found
        return self.placeholder(schema, source, path, depth)

    # ------------------------------------------------------------------ named values

    def named(self, schema: Mapping[str, Any], value: Any, path: Path, depth: int) -> Any:
        """``value`` made to fit ``schema``, or ``_MISSING``."""
        if isinstance(value, Choices):
            for choice in value:
                found = self.named(schema, choice, path, depth)
                if found is not _MISSING:
                    return found
            return _MISSING
        if value is None:
            return _MISSING
        for key in ("anyOf", "oneOf"):
            if key in schema:
                for branch in schema[key]:
                    found = self.named(self.resolve(branch), value, path, depth)
                    if found is not _MISSING:
                        return found
                return _MISSING
        if "allOf" in schema:
            branches = schema["allOf"]
            if len(branches) != 1:
                return _MISSING
            return self.named(self.resolve(branches[0]), value, path, depth)
        if "const" in schema:
            return value if value == schema["const"] else _MISSING
        if "enum" in schema:
            return value if value in schema["enum"] else _MISSING
        types = _types(schema)
        if isinstance(value, Mapping):  # pydantic validates what it holds
            return dict(value) if "object" in types else _MISSING
        if isinstance(value, list):
            if "array" not in types:
                return _MISSING
            return self.named_items(schema, value, path, depth)
        if isinstance(value, bool):
            return value if "boolean" in types else _MISSING
        if isinstance(value, int):
            if "integer" in types or "number" in types:
                return value if _number_fits(schema, value) else _MISSING
            value = str(value)
        if isinstance(value, str) and "string" in types:
            return value if _string_fits(schema, value) else _MISSING
        if "array" in types and schema.get("maxItems", 1) != 0:
            # one value where the schema holds a list of them: ``"message": ["…"]``
            item = self.named(self.resolve(schema.get("items", {})), value, (*path, 0), depth + 1)
            if item is not _MISSING:
                return self.named_items(schema, [item], path, depth)
        return _MISSING

    def named_items(
        self, schema: Mapping[str, Any], values: list[Any], path: Path, depth: int
    ) -> Any:
        items = self.resolve(schema.get("items", {}))
        limit = schema.get("maxItems")
        out: list[Any] = []
        for item in values:
            if isinstance(limit, int) and len(out) >= limit:
                break
            at = (*path, len(out))
            if isinstance(item, Mapping):
                built = self.value(items, item, None, at, depth + 1)
            else:
                found = self.named(items, item, at, depth + 1)
                built = found if found is not _MISSING else self.placeholder(items, {}, at, depth)
            # Items alike say nothing more than one does, and ``uniqueItems`` refuses them:
            # field errors whose fields the schema does not keep build the same item.
            if built not in out:
                out.append(built)
        while len(out) < int(schema.get("minItems", 0)):
            out.append(self.placeholder(items, {}, (*path, len(out)), depth + 1))
        return out

    # ------------------------------------------------------------------ placeholders

    def placeholder(
        self, schema: Mapping[str, Any], source: Mapping[str, Any], path: Path, depth: int
    ) -> Any:
        """The simplest value ``schema`` admits, its object properties built from ``source``."""
        if "const" in schema:
            return schema["const"]
        if "default" in schema:
            return schema["default"]
        if schema.get("enum"):
            return next((v for v in schema["enum"] if v is not None), schema["enum"][0])
        for key in ("anyOf", "oneOf"):
            if key in schema:
                branches = [self.resolve(b) for b in schema[key]]
                usable = [b for b in branches if _types(b) != ("null",)] or branches
                return self.value(usable[0], source, None, path, depth)
        if "allOf" in schema:
            parts = [self.value(b, source, None, path, depth) for b in schema["allOf"]]
            if all(isinstance(p, dict) for p in parts):
                return {k: v for p in parts for k, v in p.items()}
            return parts[0] if parts else None
        kind = next((t for t in _types(schema) if t != "null"), None)
        if kind == "object" or (kind is None and "properties" in schema):
            return self.properties(schema, source, path, depth)
        if kind == "array":  # a body that is a list of errors holds one, built from source
            return self.named_items(schema, [] if path else [source], path, depth)
        if kind == "string":
            if path not in self.banned and not path and "message" in source:
                found = self.named(schema, source["message"], path, depth)  # a text error body
                if found is not _MISSING:
                    return found
            return _string(schema)
        if kind in ("integer", "number"):
            return _number(schema, integer=kind == "integer")
        if kind == "boolean":
            return False
        return None

    def properties(
        self, schema: Mapping[str, Any], source: Mapping[str, Any], path: Path, depth: int
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        required = set(schema.get("required", ()))
        for name, sub in (schema.get("properties") or {}).items():
            at = (*path, name)
            sub = self.resolve(sub)
            if name in required:
                if depth < _MAX_DEPTH:
                    out[name] = self.value(sub, source, name, at, depth + 1)
                continue
            if _key(name) not in source or at in self.banned or depth >= _MAX_DEPTH:
                continue
            found = self.named(sub, source[_key(name)], at, depth + 1)
            if found is not _MISSING:
                out[name] = found
            elif "object" in _types(sub) or "properties" in sub:
                out[name] = self.properties(sub, source, at, depth + 1)  # {"error": {...}}
        return out


def _types(schema: Mapping[str, Any]) -> tuple[str, ...]:
    kind = schema.get("type")
    if isinstance(kind, str):
        return (kind,)
    if isinstance(kind, list):
        return tuple(str(k) for k in kind)
    return ()


def _number_fits(schema: Mapping[str, Any], value: float) -> bool:
    if "integer" in _types(schema) and "number" not in _types(schema) and value != int(value):
        return False
    low, high = schema.get("minimum"), schema.get("maximum")
    xlow, xhigh = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    step = schema.get("multipleOf")
    return not (
        (low is not None and value < low)
        or (high is not None and value > high)
        or (xlow is not None and value <= xlow)
        or (xhigh is not None and value >= xhigh)
        or (step and (value / step) != int(value / step))
    )


def _number(schema: Mapping[str, Any], *, integer: bool) -> int | float:
    """Zero, or the nearest value the bounds admit (then rounded up to ``multipleOf``)."""
    value: float = 0
    low, high = schema.get("minimum"), schema.get("maximum")
    xlow, xhigh = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if low is not None and value < low:
        value = low
    if xlow is not None and value <= xlow:
        value = xlow + (1 if integer else 0.5)
    if high is not None and value > high:
        value = high
    if xhigh is not None and value >= xhigh:
        value = xhigh - (1 if integer else 0.5)
    step = schema.get("multipleOf")
    if step:
        value = math.ceil(value / step) * step
    return math.ceil(value) if integer else value


_FORMATS = {
    "date-time": "1970-01-01T00:00:00Z",
    "date": "1970-01-01",
    "time": "00:00:00Z",
    "duration": "P0D",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uri": "https://example.com/",
    "iri": "https://example.com/",
    "url": "https://example.com/",
    "uri-reference": "/",
    "iri-reference": "/",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "127.0.0.1",
    "ipv6": "::1",
    "regex": ".*",
    "uri-template": "https://example.com/{id}",
    "json-pointer": "/",
    "relative-json-pointer": "0",
}


def _string_fits(schema: Mapping[str, Any], value: str) -> bool:
    if len(value) < int(schema.get("minLength", 0)):
        return False
    if schema.get("maxLength") is not None and len(value) > int(schema["maxLength"]):
        return False
    fmt = schema.get("format")
    if fmt in _FORMATS and fmt not in ("uri-reference", "iri-reference"):
        return False  # a message is no date, e-mail address or UUID
    pattern = schema.get("pattern")
    return pattern is None or _search(str(pattern), value)


def _search(pattern: str, value: str) -> bool:
    try:
        return re.search(pattern, value) is not None
    except re.error:
        return True  # a pattern Python cannot read: pydantic's engine decides


def _string(schema: Mapping[str, Any]) -> str:
    low = int(schema.get("minLength", 0))
    high = schema.get("maxLength")
    fmt = schema.get("format")
    pattern = schema.get("pattern")
    candidates = [_FORMATS[fmt]] if fmt in _FORMATS else []
    if pattern is not None:
        candidates.append(_from_pattern(str(pattern)))
    candidates.append("x" * low)
    for text in candidates:
        if len(text) < low:
            text += "x" * (low - len(text))
        if high is not None and len(text) > int(high):
            continue
        if pattern is None or _search(str(pattern), text):
            return text
    return candidates[-1]


def _from_pattern(pattern: str) -> str:
    """A short string ``pattern`` matches (first branches, fewest repeats), or ``""``."""
    try:
        parser = importlib.import_module("re._parser")  # CPython's own regex parser
        return "".join(_emit(parser.parse(pattern), importlib.import_module("re._constants")))
    except Exception:  # an unusual pattern or Python without ``re._parser``: no sample
        return ""


def _emit(items: Any, c: Any) -> list[str]:
    out: list[str] = []
    for op, arg in items:
        if op is c.LITERAL:
            out.append(chr(arg))
        elif op is c.ANY:
            out.append("x")
        elif op is c.IN:
            out.append(_in_class(arg, c))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
            low, _high, sub = arg
            out.extend(_emit(sub, c) * low)
        elif op is c.SUBPATTERN:
            out.extend(_emit(arg[-1], c))
        elif op is getattr(c, "ATOMIC_GROUP", None):
            out.extend(_emit(arg, c))
        elif op is c.BRANCH:
            out.extend(_emit(arg[1][0], c))
        elif op is c.NOT_LITERAL:
            out.append("x" if arg != ord("x") else "y")
        elif op is c.CATEGORY:
            out.append(_category(arg, c))
        # anchors (AT) and look-arounds (ASSERT, ASSERT_NOT) emit nothing
    return out


def _in_class(items: Any, c: Any) -> str:
    negated = any(op is c.NEGATE for op, _ in items)
    for op, arg in items:
        if negated:
            break
        if op is c.LITERAL:
            return chr(arg)
        if op is c.RANGE:
            return chr(arg[0])
        if op is c.CATEGORY:
            return _category(arg, c)
    banned = {chr(arg) for op, arg in items if op is c.LITERAL}
    return next(ch for ch in "xyz0" if ch not in banned)


def _category(arg: Any, c: Any) -> str:
    return {c.CATEGORY_DIGIT: "0", c.CATEGORY_SPACE: " ", c.CATEGORY_WORD: "x"}.get(arg, "-")


__all__ = ["Choices", "conform"]
