"""Errors in the spec's own format: the runtime's answers where an operation declares one.

Every answer the runtime makes itself (request validation 400/422, 401/403 from security, 405,
415, 501 for an operation not implemented yet, 500) and every ``ProblemError`` an
implementation raises is an RFC 9457 problem (:mod:`.problems`). Where the operation declares
another format for that status (the exact code, else its range, else ``default``), the
problem is sent in that format instead:

- a JSON body with a schema: the app's error hook (``create_app(errors=...)``, which the
  generated ``errors.ErrorFormats`` protocol types: one method per error model) turns the
  :class:`Problem` into the declared model; without a hook, :func:`fill` builds it. The result
  is serialized, then validated against the declared schema: one that does not validate is a
  server error (logged, answered 500 as problem+json), never sent as if valid;
- text (``text/plain`` …): the hook's ``text`` method, or :func:`fill`, gives the text;
- JSON without a schema: the problem document itself, as the declared media type;
- XML with an object schema: the schema's value built by :func:`fill`'s rules, written as XML
  as the schema's ``xml`` keywords say (root ``name``, ``attribute``, ``wrapped``; no hook);
- problem+json with a schema (no hook method): the problem document where the schema admits
  it (:func:`admits`), else :func:`fill`'s instance of the schema (a vendor's ``errors`` as an
  object of messages by field, ASP.NET's ``ValidationProblemDetails``, a required ``code`` …).

Generated routers give each operation its table (declared status → :class:`ErrorFormat`)
when they register it, so choosing the format of an error costs at most three dict lookups.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast
from xml.etree import ElementTree

import pydantic

from .codec import _validate_json, dump_json
from .conform import Choices, build, conform

T = TypeVar("T")

ERROR_FORMATS = "__sf_error_formats__"
"""Endpoint attribute: the operation's declared status → :class:`ErrorFormat`."""
ERROR_HOOK = "sf_error_hook"
"""``app.state`` key: the ``create_app(errors=...)`` hook, or None (:func:`fill` then)."""


@dataclass(frozen=True, slots=True)
class FieldError:
    """One field of the request that failed validation."""

    pointer: str  # JSON pointer into the request: ``/body/name``, ``/query/limit``
    detail: str


@dataclass(frozen=True, slots=True)
class Problem:
    """What an error hook receives: the problem the runtime (or an implementation) raised.

    ``declared`` is the declared response the answer follows (``"400"``, ``"4XX"`` or
    ``"default"``), for the operation ``operation_id``; ``headers`` (``WWW-Authenticate``,
    ``Allow`` …) are sent with whatever the hook returns.
    """

    status: int
    title: str
    detail: str | None = None
    type: str = "about:blank"
    instance: str | None = None
    errors: tuple[FieldError, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    operation_id: str | None = None
    declared: str = "default"

    @property
    def message(self) -> str:
        """The detail, else the title: one sentence for a ``message`` field."""
        return self.detail or self.title


class ErrorFormat:
    """One declared error response: problem+json (no ``media_type``), the problem document as
    ``media_type`` (no ``tp``), or a body of type ``tp`` built by the hook's ``method``; a
    problem+json ``media_type`` with a ``tp`` and no ``method`` is the problem document, made
    to conform to ``tp`` where it does not (``problem``)."""

    __slots__ = ("headers", "media_type", "method", "problem", "text", "tp", "xml")

    def __init__(
        self,
        media_type: str | None = None,
        tp: Any = None,
        method: str | None = None,
        *,
        xml: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        # the headers the response requires, each with a schema-valid value: sent where the
        # answer does not set them (the request's own value where it sent that header)
        self.headers = dict(headers or {})
        self.media_type = media_type
        self.tp = tp
        self.method = method
        self.xml = xml  # an XML body's schema: the body is built from it (:func:`xml_body`)
        self.text = media_type is not None and media_type.lower().startswith("text/")
        self.problem = (
            media_type is not None
            and method is None
            and tp is not None
            and media_type.split(";")[0].strip().lower().endswith("/problem+json")
        )


def declared_format(
    formats: Mapping[str, ErrorFormat] | None, status: int
) -> tuple[str, ErrorFormat] | None:
    """The declared response covering ``status``: the exact code, its range, or ``default``."""
    if not formats:
        return None
    for key in (str(status), f"{status // 100}XX", "default"):
        found = formats.get(key)
        if found is not None:
            return key, found
    return None


class ErrorHookError(Exception):
    """The error hook failed, or built a body the declared schema refuses."""


def render(fmt: ErrorFormat, problem: Problem, hook: object | None) -> bytes:
    """The body for ``problem`` in format ``fmt`` (which has a ``tp`` or ``xml``), validated."""
    try:
        if fmt.xml is not None:
            return xml_body(fmt.xml, problem)
        if hook is None or fmt.method is None:
            value = fill(fmt.tp, problem)
        else:
            value = getattr(hook, fmt.method)(problem)
        if fmt.text:
            if not isinstance(value, str):
                raise TypeError(f"a text body must be a str, not {type(value).__name__}")
            return value.encode("utf-8")
        body = dump_json(fmt.tp, value, warnings=False)
        _check_answer(fmt.tp, body)
        return body
    except Exception as exc:
        where = f"errors.{fmt.method}()" if hook is not None else "fill()"
        raise ErrorHookError(
            f"{where} gave no valid {fmt.media_type} body for a {problem.status} problem of "
            f"{problem.operation_id!r}: {exc}"
        ) from exc


def _check_answer(tp: Any, body: bytes) -> None:
    """Validate an error body the runtime made against its declared schema. Valid under more
    than one member of a ``oneOf`` is no reason to fail the answer: the check that refuses it
    is for requests, and a spec may declare a ``oneOf`` that no value satisfies (members that
    differ only in descriptions); the contract run judges the answer."""
    try:
        _validate_json(tp, body)
    except pydantic.ValidationError as exc:
        if any(error["type"] != "one_of" for error in exc.errors()):
            raise


def admits(tp: Any, body: bytes) -> bool:
    """Whether the JSON document ``body`` is a valid ``tp``."""
    try:
        _validate_json(tp, body)
    except ValueError:  # pydantic's ValidationError is one
        return False
    return True


def fill(tp: type[T], problem: Problem) -> T:
    """An instance of ``tp`` (a declared error model, or ``str`` for text) from ``problem``.

    Fields are matched by name, without case, ``_`` or ``-``, where the type fits: ``message``,
    ``detail``, ``description``, ``error_description``: the detail (else the title);
    ``title``, ``error``, ``reason``: the title; ``code``, ``status``, ``status_code``:
    the status (an extension member ``code`` first; for a string field that refuses the
    number, the title as ``NOT_FOUND`` or ``not_found``);
    ``type``, ``instance``; ``errors``, ``details``, ``violations``: one item per field error
    (its ``pointer``/``field``/``path`` and ``message``/``detail``), or, for an object, the
    messages by field name (``{"file": ["Field required"]}``). Every other required field
    gets the simplest valid value, an object field is filled from the same names (so
    ``{"error": {"code": …, "message": …}}`` works), and a text body (``tp`` is ``str``) is
    the message with one line per field error. Raises
    ``ValueError`` when the schema admits nothing that can be built this way.
    """
    if tp is str:
        lines = [problem.message, *(f"{e.pointer}: {e.detail}" for e in problem.errors)]
        return cast("T", "\n".join(lines))
    return conform(tp, _values(problem))


def xml_body(schema: Mapping[str, Any], problem: Problem) -> bytes:
    """An XML document for ``problem`` following an object ``schema`` with ``xml`` keywords.

    The value is built as :func:`fill` builds a model (fields by name where they fit, required
    ones at their simplest), then written as OpenAPI's XML Object says: the root element named
    by ``xml.name``; a property as a child element (``xml.name`` renames it) or, with
    ``xml.attribute``, an attribute; an array as repeated elements, inside one element of the
    property's name when ``xml.wrapped``.
    """
    value = build(schema, _values(problem))
    root = ElementTree.Element(_xml_name(schema, "error"))
    _xml_fill(root, schema, value)
    return cast("bytes", ElementTree.tostring(root, encoding="utf-8", xml_declaration=True))


def _xml_name(schema: Mapping[str, Any], default: str) -> str:
    xml = schema.get("xml")
    name = xml.get("name") if isinstance(xml, Mapping) else None
    return str(name or default)


def _xml_text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _xml_fill(element: ElementTree.Element, schema: Mapping[str, Any], value: Any) -> None:
    """``value`` (of ``schema``) as the attributes, children or text of ``element``."""
    if not isinstance(value, Mapping):
        if value is not None:
            element.text = _xml_text(value)
        return
    properties = schema.get("properties") or {}
    for name, sub in properties.items():
        if name not in value or value[name] is None:
            continue
        xml = sub.get("xml") if isinstance(sub.get("xml"), Mapping) else {}
        tag = _xml_name(sub, name)
        item = value[name]
        if xml.get("attribute") and not isinstance(item, Mapping | list):
            element.set(tag, _xml_text(item))
        elif isinstance(item, list):
            parent = ElementTree.SubElement(element, tag) if xml.get("wrapped") else element
            items = sub.get("items") or {}
            for one in item:
                _xml_fill(ElementTree.SubElement(parent, _xml_name(items, tag)), items, one)
        else:
            _xml_fill(ElementTree.SubElement(element, tag), sub, item)


def _values(problem: Problem) -> dict[str, Any]:
    message = problem.message
    status = problem.status
    slug = "_".join(re.findall(r"[A-Za-z0-9]+", problem.title))
    codes = (problem.extra.get("code"), status, slug.upper(), slug.lower())
    errors = [_field_values(e) for e in problem.errors]
    by_field: dict[str, list[str]] = {}
    for e in problem.errors:
        by_field.setdefault(e.pointer.rsplit("/", 1)[-1], []).append(e.detail)
    values: dict[str, Any] = {name: message for name in _MESSAGE}
    values.update({name: problem.title for name in _TITLE})
    values.update({name: status for name in _STATUS})
    values.update({name: Choices(codes) for name in _CODE})
    values.update({name: Choices((errors, by_field)) for name in _ERRORS})
    values["details"] = Choices((errors, message)) if errors else message
    values["type"] = problem.type
    values["instance"] = problem.instance
    values["path"] = problem.instance
    values["success"] = False
    return values


def _field_values(error: FieldError) -> dict[str, Any]:
    name = error.pointer.rsplit("/", 1)[-1]
    values: dict[str, Any] = {key: error.detail for key in _MESSAGE}
    values.update({key: error.pointer for key in ("pointer", "path", "location", "loc")})
    values.update({key: name for key in ("field", "name", "param", "parameter", "property")})
    return values


_MESSAGE = ("message", "msg", "detail", "description", "error_message", "error_description")
_TITLE = ("title", "error", "reason", "summary", "error_name")
_STATUS = ("status", "status_code", "http_status", "http_status_code", "http_code")
_CODE = ("code", "error_code")
_ERRORS = ("errors", "field_errors", "validation_errors", "violations", "invalid_params")


def hook_problems(protocol: type, hook: object) -> list[str]:
    """What ``hook`` lacks to implement ``protocol`` (the generated ``ErrorFormats``)."""
    problems = []
    for name, member in vars(protocol).items():
        if not inspect.isfunction(member) or name.startswith("_"):
            continue
        if not callable(getattr(hook, name, None)):
            problems.append(
                f"{type(hook).__qualname__} lacks {protocol.__name__}.{name} "
                f"(create_app(errors=...) builds each declared error model with one method)"
            )
    return problems


__all__ = [
    "ERROR_FORMATS",
    "ERROR_HOOK",
    "ErrorFormat",
    "ErrorHookError",
    "FieldError",
    "Problem",
    "admits",
    "declared_format",
    "fill",
    "hook_problems",
    "render",
    "xml_body",
]
