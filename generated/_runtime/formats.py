# Vendored from the specfirst 0.1.0 runtime by `specfirst generate`. DO NOT EDIT.
# Upgrade specfirst and regenerate to update it.
"""The ``date`` and ``date-time`` formats exactly as RFC 3339 (and so JSON Schema) define them.

pydantic parses more than RFC 3339 allows: a number or a numeric string is a Unix timestamp,
so ``"0"`` is a valid date (1970-01-01) and ``"20250101"`` a valid date-time (in 1970), and a
date-time may lack its offset or use a space for ``T``. A request carrying such a string breaks
the contract and must be rejected, so every string bound for a date or date-time goes through a
check of its RFC 3339 shape first; pydantic then parses it as usual (and still rejects
``2025-02-30``). Dates and datetimes given as Python objects are left alone.

Models: :func:`rfc3339` wraps every date and datetime in a core schema, and the generated
models' base class applies it to its own schema. Parameters and form fields are annotated with
:data:`Date` and :data:`DateTime` by the generated routers.

The other string formats JSON Schema defines (``email``, ``uri``, ``hostname``, ``ipv6`` …:
:data:`STRING_FORMATS`) are checked by :func:`string_format`, with the same acceptance as the
contract run's judge: schemathesis decides which values are valid for a format (and so which it
sends as invalid data, expecting a 4xx) with jsonschema-rs's format checks, so those very checks
run here. The values keep their Python types (an ``email`` stays a ``str``, unchanged, so round
trips are exact): pydantic's ``EmailStr`` refuses special-use domains the format allows
(``x@host.test``) and ``AnyUrl`` rewrites what it reads. Models get the checks per field
(``constrain(…, formats=…)`` in :mod:`.base`), parameters and form fields as
``Annotated[str, formats.Format("email")]``.
"""

from __future__ import annotations

import datetime
import functools
import re
import uuid
from collections.abc import Callable
from typing import Annotated, Any, cast

from pydantic import AfterValidator, BeforeValidator, TypeAdapter, ValidationError
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

FULL_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
"""RFC 3339 ``full-date``."""

DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:[Zz]|[+-][0-9]{2}:[0-9]{2})"
)
"""RFC 3339 ``date-time``: ``T`` (or ``t``) between date and time, and an offset."""


@functools.cache
def _lax(tp: type) -> TypeAdapter[Any]:
    return TypeAdapter(tp)


def _parse(value: str, tp: type) -> Any:
    # Parsed here, leniently, because the wrapped schema may be strict (JSON bodies are), and
    # strict validation refuses a Python ``str`` where it accepts a JSON string.
    try:
        return _lax(tp).validate_python(value)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        raise PydanticCustomError(error["type"], error["msg"]) from None


def full_date(value: Any) -> Any:
    """A ``str`` must be an RFC 3339 full-date (``YYYY-MM-DD``); it becomes a ``date``."""
    if not isinstance(value, str):
        return value
    if not FULL_DATE.fullmatch(value):
        raise PydanticCustomError(
            "date_format", "Input should be a date in the RFC 3339 format YYYY-MM-DD"
        )
    return _parse(value, datetime.date)


def date_time(value: Any) -> Any:
    """A ``str`` must be an RFC 3339 date-time (with an offset); it becomes a ``datetime``."""
    if not isinstance(value, str):
        return value
    if not DATE_TIME.fullmatch(value):
        raise PydanticCustomError(
            "datetime_format",
            "Input should be a date-time in the RFC 3339 format YYYY-MM-DDTHH:MM:SS[.f]Z or ±HH:MM",
        )
    if value[17:19] == "60":
        return _leap_second(value)
    return _parse(value, datetime.datetime)


def _leap_second(value: str) -> datetime.datetime:
    """RFC 3339 allows second 60 (a leap second, ``1998-12-31T23:59:60Z``); ``datetime`` has none.

    A leap second is added at the end of a UTC day, so it is valid only when the time, moved
    to UTC, is 23:59 (RFC 3339 section 5.7). It becomes the last instant ``datetime`` can hold
    before it, 23:59:59.999999, so that order is kept.
    """
    parsed: datetime.datetime = _parse(value[:17] + "59" + value[19:], datetime.datetime)
    utc = parsed.astimezone(datetime.UTC)
    if (utc.hour, utc.minute) != (23, 59):
        raise PydanticCustomError(
            "datetime_format",
            "Input should be a date-time whose second is 60 only at 23:59 UTC (a leap second)",
        )
    return parsed.replace(microsecond=999_999)


Date = Annotated[datetime.date, BeforeValidator(full_date)]
"""A ``format: date`` value (a parameter or form field)."""

DateTime = Annotated[datetime.datetime, BeforeValidator(date_time)]
"""A ``format: date-time`` value (a parameter or form field)."""


def _uuid(value: Any) -> Any:
    return _parse(value, uuid.UUID) if isinstance(value, str) else value


_READS: dict[str, Callable[[Any], Any]] = {"date": full_date, "date-time": date_time, "uuid": _uuid}


def Reads(name: str) -> AfterValidator:
    """Metadata for a text of format ``name`` (``date``, ``date-time``, or ``uuid`` under
    OpenAPI 3.0) that stays a ``str`` (a ``text/plain`` body): it must read as the value a
    model makes of it (:func:`full_date`, :func:`date_time`; a UUID as pydantic's type reads
    it): ``Annotated[str, formats.Reads("date-time")]``."""
    check = _READS[name]

    def reads(value: str) -> str:
        check(value)
        return value

    return AfterValidator(reads)


_INTEGER_TEXT = re.compile(r"[+-]?[0-9]+")


def integer_text(value: Any) -> Any:
    """A parameter or form field is text: ``"1"`` becomes ``1`` for an integer enum, which
    pydantic's ``Literal[0, 1]`` compares by value and would refuse as a string."""
    if isinstance(value, str) and _INTEGER_TEXT.fullmatch(value):
        return int(value)
    return value


IntegerText = BeforeValidator(integer_text)
"""Metadata for an integer enum parameter or form field: ``Annotated[Literal[0, 1], IntegerText]``."""


def scalar_text(value: Any) -> Any:
    """:func:`integer_text`, and ``"true"``/``"false"`` become booleans: for an enum with boolean
    members (``Literal[True, 1]``), which pydantic would refuse as strings."""
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    return integer_text(value)


ScalarText = BeforeValidator(scalar_text)
"""Metadata for an enum parameter with boolean members: ``Annotated[Literal[True, 1], ScalarText]``."""


def not_a_boolean(value: Any) -> Any:
    """An integer enum takes no ``true``/``false``: pydantic compares ``Literal[0, 1]`` and
    ``IntEnum`` members by value, even strictly, and ``False == 0`` in Python (pdfbroker.io's
    ``yOrigin: false`` was accepted as 0). JSON Schema's ``enum: [0, 1]`` refuses a boolean."""
    if isinstance(value, bool):
        raise PydanticCustomError("enum", "Input should be an integer of the enum, not a boolean")
    return value


def not_a_number(value: Any) -> Any:
    """A boolean enum takes no number: pydantic compares ``Literal[False]`` and an ``Enum`` of
    booleans by value, and ``0 == False`` in Python (windows.net's ``mailEnabled: enum
    [false]`` took ``0``). JSON Schema's ``enum: [false]`` refuses a number."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise PydanticCustomError("enum", "Input should be a boolean of the enum, not a number")
    return value


_CHECKS: dict[str, Callable[[Any], Any]] = {"date": full_date, "datetime": date_time}
_LEAVE = frozenset({"metadata", "serialization"})


Resolve = Callable[[CoreSchema], CoreSchema]
"""Finds the schema a ``definition-ref`` names (``GetCoreSchemaHandler.resolve_ref_schema``)."""


def rfc3339(schema: CoreSchema, resolve: Resolve | None = None) -> CoreSchema:
    """``schema`` with every ``date`` and ``datetime`` in it checked as RFC 3339 first, every
    integer enum refusing booleans (:func:`not_a_boolean`) and every boolean enum refusing
    numbers (:func:`not_a_number`). An enum that pydantic builds as a definition of its own
    (a ``definition-ref`` here, an ``Enum`` class a required field holds) is found through
    ``resolve``, and checked where it is referenced."""
    result: CoreSchema = _wrap(schema, resolve)
    return result


def _integer_enum(node: dict[str, Any]) -> bool:
    kind = node.get("type")
    if kind == "enum":
        return node.get("sub_type") == "int"
    expected = node.get("expected")
    return (
        kind == "literal"
        and isinstance(expected, list)
        and bool(expected)
        and all(type(value) is int for value in expected)
    )


def _boolean_enum(node: dict[str, Any]) -> bool:
    kind = node.get("type")
    values = node.get("expected") if kind == "literal" else None
    if kind == "enum":
        members = node.get("members")
        values = [getattr(m, "value", m) for m in members] if isinstance(members, list) else None
    return isinstance(values, list) and bool(values) and all(type(v) is bool for v in values)


def _enum_check(node: dict[str, Any]) -> Callable[[Any], Any] | None:
    """The check an enum's schema needs before pydantic's own (which compares by value)."""
    if _integer_enum(node):
        return not_a_boolean
    if _boolean_enum(node):
        return not_a_number
    return None


def _referenced(node: dict[str, Any], resolve: Resolve | None) -> Any:
    """The schema a ``definition-ref`` names, or None when it is not known (yet: a model
    that refers to itself, whose schema is being built)."""
    if resolve is None:
        return None
    try:
        return resolve(cast(CoreSchema, node))
    except LookupError:
        return None


def _wrap(node: Any, resolve: Resolve | None) -> Any:
    if isinstance(node, list | tuple):  # e.g. union choices, which may be (schema, label)
        return type(node)(_wrap(item, resolve) for item in node)
    if not isinstance(node, dict):
        return node
    # Not every dict is a schema: a model's ``fields`` maps field names (maybe "type") to schemas.
    kind = node.get("type")
    if isinstance(kind, str) and kind in _CHECKS:
        return core_schema.no_info_before_validator_function(_CHECKS[kind], node)
    if kind == "definition-ref":
        target = _referenced(node, resolve)
        check = _enum_check(target) if isinstance(target, dict) else None
        return node if check is None else core_schema.no_info_before_validator_function(check, node)
    check = _enum_check(node)
    if check is not None:
        return core_schema.no_info_before_validator_function(check, node)
    function = node.get("function")
    if (
        kind == "function-before"
        and isinstance(function, dict)
        and function.get("function") in (full_date, date_time, not_a_boolean, not_a_number)
    ):
        return node  # already checked (a nested model's schema, built before)
    return {key: value if key in _LEAVE else _wrap(value, resolve) for key, value in node.items()}


# --------------------------------------------------------------------------- string formats

STRING_FORMATS = frozenset(
    {
        "duration",
        "email",
        "hostname",
        "idn-email",
        "idn-hostname",
        "ipv4",
        "ipv6",
        "iri",
        "iri-reference",
        "time",
        "uri",
        "uri-reference",
        "uri-template",
        "uuid",
    }
)
"""The formats :func:`string_format` checks: those JSON Schema defines, but for ``date`` and
``date-time`` (checked as RFC 3339 above) and three that schemathesis has no strategy for
(``regex``, ``json-pointer``, ``relative-json-pointer``): it generates any text for them as
valid data, which its own judge mostly calls invalid, so checking them would refuse its valid
requests. The generator enforces ``uuid`` only for OpenAPI 3.1 and later: under 3.0 (JSON
Schema draft 4) schemathesis reads any text Python's ``uuid.UUID`` parses as a UUID, a superset
of what pydantic's ``UUID`` type parses."""

_DESCRIBED = {
    "duration": "an RFC 3339 duration (P1DT2H)",
    "email": "an email address",
    "hostname": "a host name",
    "idn-email": "an internationalized email address",
    "idn-hostname": "an internationalized host name",
    "ipv4": "an IPv4 address",
    "ipv6": "an IPv6 address",
    "iri": "an absolute IRI",
    "iri-reference": "an IRI reference",
    "time": "an RFC 3339 time with an offset (HH:MM:SSZ or ±HH:MM)",
    "uri": "an absolute URI",
    "uri-reference": "a URI reference",
    "uri-template": "a URI template",
    "uuid": "a UUID (8-4-4-4-12 hexadecimal digits)",
}


@functools.cache
def string_format(name: str) -> Callable[[Any], Any]:
    """The check of format ``name`` (one of :data:`STRING_FORMATS`): a ``str`` must be valid for
    it, as jsonschema-rs judges (JSON Schema 2020-12's format semantics); anything else passes
    (the type's own validation handles it). Built once per format, at import of the code that
    uses it, so a missing jsonschema-rs stops the app at start, not at a request."""
    try:
        import jsonschema_rs
    except ImportError as exc:  # pragma: no cover - a deployment without the dependency
        raise ImportError(
            f"the API's `format: {name}` is checked with jsonschema-rs, which is not installed: "
            "pip install 'jsonschema-rs>=0.60'"
        ) from exc
    if name not in STRING_FORMATS:
        raise ValueError(f"no check for format {name!r}")
    is_valid = jsonschema_rs.Draft202012Validator({"format": name}, validate_formats=True).is_valid
    described = {"format": name, "described": _DESCRIBED[name]}

    def check(value: Any) -> Any:
        if isinstance(value, str) and not is_valid(value):
            raise PydanticCustomError(
                "string_format", "Input should be {described} (format {format})", described
            )
        return value

    check.__qualname__ = check.__name__ = f"check_{name.replace('-', '_')}"
    return check


def Format(name: str, *others: str, one_of: bool = False) -> BeforeValidator:
    """Metadata for a parameter or form field of format ``name``:
    ``Annotated[str, formats.Format("email")]`` (the type stays ``str``). With ``others``, a
    ``oneOf``/``anyOf`` of strings of these formats: the value must have one of them
    (``one_of``: exactly one), ``Format("ipv4", "ipv6")``."""
    if not others:
        return BeforeValidator(string_format(name))
    return BeforeValidator(format_choice((name, *others), one_of))


@functools.cache
def format_choice(names: tuple[str, ...], one_of: bool) -> Callable[[Any], Any]:
    """The check that a ``str`` has one of the formats ``names`` (``one_of``: exactly one), each
    judged as :func:`string_format` judges it; anything else passes."""
    checks = [string_format(name) for name in names]
    described = {
        "format": " or ".join(names),
        "described": " or ".join(_DESCRIBED[name] for name in names),
    }

    def valid(check: Callable[[Any], Any], value: str) -> bool:
        try:
            check(value)
        except PydanticCustomError:
            return False
        return True

    def check(value: Any) -> Any:
        if isinstance(value, str):
            count = sum(valid(one, value) for one in checks)
            if count == 0 or (one_of and count > 1):
                raise PydanticCustomError(
                    "string_format",
                    "Input should be {described} (format {format})"
                    if not one_of
                    else "Input should be exactly one of: {described} (format {format})",
                    described,
                )
        return value

    check.__qualname__ = check.__name__ = "check_" + "_or_".join(
        name.replace("-", "_") for name in names
    )
    return check


_PARSED: dict[str, type] = {
    "time": datetime.time,
    "timedelta": datetime.timedelta,
    "uuid": uuid.UUID,
}
"""Core schema types a checked string becomes an object of (``format: time``, ``duration``,
``uuid``): parsed by the check itself, as :func:`_parse` says why."""


@functools.cache
def _leaf_check(name: str, kind: str) -> Callable[[Any], Any]:
    """The check of format ``name`` before a core schema of type ``kind``."""
    check = string_format(name)
    tp = _PARSED.get(kind)
    if tp is None:
        return check

    def check_and_parse(value: Any) -> Any:
        return _parse(check(value), tp) if isinstance(value, str) else value

    return check_and_parse


_HOLDERS = {
    "default": ("schema",),
    "nullable": ("schema",),
    "list": ("items_schema",),
    "set": ("items_schema",),
    "frozenset": ("items_schema",),
    "dict": ("values_schema",),
    # another rule's wrapping (a JSON null refused: :mod:`.base`), around the value's type
    "json-or-python": ("json_schema", "python_schema"),
    "function-after": ("schema",),
    "function-before": ("schema",),
}
"""Core schemas that hold the values a format applies to: which keys hold them."""


def checked_formats(schema: CoreSchema, name: str) -> CoreSchema:
    """``schema`` (a field's) with the check of format ``name`` before each value it holds:
    the schema itself, or the items of its lists and the values of its dicts (an array of
    e-mail addresses), through defaults, ``None`` and the wrapping of other rules.

    A value that becomes an object (a UUID, a time), given as that object in Python (a
    handler's result), is taken as it is without a Python call (it would cost one per value
    of every list built): pydantic writes it in the format's own form.
    """
    if _checked(schema, name):
        return schema  # checked already (the same schema reached again, an inherited field)
    kind = str(schema.get("type"))
    keys = [key for key in _HOLDERS.get(kind, ()) if isinstance(schema.get(key), dict)]
    if keys:
        out: dict[str, Any] = dict(schema)
        for key in keys:
            out[key] = checked_formats(out[key], name)
        return cast(CoreSchema, out)
    checked = core_schema.no_info_before_validator_function(_leaf_check(name, kind), schema)
    tp = _PARSED.get(kind)
    if tp is None:
        return checked
    return core_schema.json_or_python_schema(
        json_schema=checked,
        python_schema=core_schema.union_schema(
            [core_schema.is_instance_schema(tp), checked],
            mode="left_to_right",
            custom_error_type="string_format",
            custom_error_message=f"Input should be {_DESCRIBED[name]} (format {name})",
        ),
    )


def _checked(schema: CoreSchema, name: str) -> bool:
    """Whether ``schema`` is the check of format ``name`` (or holds it, for JSON)."""
    if schema.get("type") == "json-or-python":
        json_schema = schema.get("json_schema")
        return isinstance(json_schema, dict) and _checked(cast(CoreSchema, json_schema), name)
    function = schema.get("function")
    return (
        schema.get("type") == "function-before"
        and isinstance(function, dict)
        and any(function.get("function") is _leaf_check(name, k) for k in ("str", *_PARSED))
    )
