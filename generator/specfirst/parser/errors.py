"""Error responses: the format of the runtime's own answers, per operation and status.

Every answer the runtime makes itself (an invalid request, missing credentials, an unknown
method, a 501 for an operation not implemented yet …) and every problem an implementation
raises follows the response the operation declares for its status: the exact code, else its
range (``4XX``), else ``default``. :func:`read_error_formats` records what each declared 4xx,
5xx, range and ``default`` response is: problem+json (declared, ``*/*``, or no body at all), a
JSON or text body the ``ErrorFormats`` hook builds, or JSON without a schema. A problem+json
schema that is more than "an object" is recorded too: the runtime sends its problem document
where the schema admits it, else one conformed to it (no hook method: it is still a problem).
:func:`name_error_models` gives each distinct body type one hook method, API-wide.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from specfirst import naming
from specfirst.ir import BodyKind, ErrorFormat, ErrorModel, Response, Service, is_problem_json

PROBLEM_JSON = "application/problem+json"


def is_error_status(status: str) -> bool:
    """A status the runtime's own answers (always 4xx or 5xx) can fall under."""
    return status == "default" or status[:1] in ("4", "5")


def read_error_formats(responses: Sequence[Response]) -> tuple[ErrorFormat, ...]:
    """The declared error responses of one operation, as the runtime answers in them, with
    the headers each requires (and a schema-valid value to send for each)."""
    return tuple(
        dataclasses.replace(_format(r), headers=_required_headers(r))
        for r in responses
        if is_error_status(r.status)
    )


def _required_headers(r: Response) -> tuple[tuple[str, str], ...]:
    return tuple((h.name, h.example) for h in r.headers if h.required and h.example is not None)


def _format(r: Response) -> ErrorFormat:
    media = [m.split(";")[0].strip().lower() for m in r.media_types]
    if not media or r.kind is None or r.stream is not None or r.media_type is None:
        return ErrorFormat(r.status)
    if any(m == "*/*" or m.endswith("/problem+json") for m in media):
        if r.kind is BodyKind.JSON and _a_model(r.py_type):
            if is_problem_json(r.media_type):
                return ErrorFormat(r.status, r.media_type, r.py_type)  # conformed where needed
            if _a_model(r.problem_type):  # problem+json declared beside, with its schema
                problem = next(m for m in r.media_types if is_problem_json(m))
                return ErrorFormat(r.status, problem, r.problem_type)
            if "*/*" in media and not any(m.endswith("/problem+json") for m in media):
                # Any media type with a schema: problem+json is one, but its document must
                # still be an instance of the schema (hubapi's `*/*` Error requires `category`).
                return ErrorFormat(r.status, PROBLEM_JSON, r.py_type)
        return ErrorFormat(r.status)
    if r.kind is BodyKind.JSON:
        if not r.py_type or r.py_type == "Any":
            return ErrorFormat(r.status, r.media_type)  # any JSON: the problem document
        return ErrorFormat(r.status, r.media_type, r.py_type)
    if r.kind is BodyKind.TEXT:
        return ErrorFormat(r.status, r.media_type, "str")
    if r.xml_schema is not None:  # built from the schema by the runtime (no hook method)
        return ErrorFormat(r.status, r.media_type, xml_schema=r.xml_schema)
    # An image, a PDF, XML without a schema …: no such body can say what went wrong; problem+json.
    return ErrorFormat(r.status)


def _a_model(py_type: str | None) -> bool:
    """A declared schema that says more than "a JSON object" (which any problem document is)."""
    return bool(py_type) and py_type not in ("Any", "dict[str, Any]")


def method_name(py_type: str, *, text: bool) -> str:
    """The hook method building ``py_type``: ``models.ApiError`` → ``api_error``,
    ``list[models.Error]`` → ``error_list``, ``models.A | models.B`` → ``a_or_b``,
    ``dict[str, Any]`` → ``json_object``; ``text`` for a text body."""
    if text:
        return "text"
    members = []
    for member in py_type.split("|"):
        member = member.strip().replace("models.", "")
        if member.startswith("dict["):
            member = "json object"
        elif member.startswith("list["):
            member = member[len("list[") : -1] + " list"
        members.append("_".join(re.findall(r"[A-Za-z0-9]+", member)))
    return naming.snake("_or_".join(m for m in members if m))


def name_error_models(
    services: Sequence[Service],
) -> tuple[list[Service], tuple[ErrorModel, ...]]:
    """``services`` with each error format's hook method named, and the models by method.

    One method per (body type, text or JSON), in document order; names are unique API-wide.
    """
    methods: dict[tuple[str, bool], str] = {}
    uses: dict[str, list[str]] = {}
    taken: set[str] = set()
    named: list[Service] = []
    for service in services:
        operations = []
        for op in service.operations:
            formats = []
            for fmt in op.errors:
                if fmt.py_type is not None and not fmt.problem:
                    key = (fmt.py_type, fmt.text)
                    if key not in methods:
                        methods[key] = naming.unique(method_name(fmt.py_type, text=fmt.text), taken)
                    fmt = dataclasses.replace(fmt, method=methods[key])
                    uses.setdefault(methods[key], []).append(f"{op.operation_id} {fmt.status}")
                formats.append(fmt)
            operations.append(dataclasses.replace(op, errors=tuple(formats)))
        named.append(dataclasses.replace(service, operations=tuple(operations)))
    models = tuple(
        ErrorModel(method, py_type, text, tuple(uses[method]))
        for (py_type, text), method in methods.items()
    )
    return named, models
