"""What example stubs answer: per operation, example data for each declared response.

The IR holds no examples, so :func:`build_table` reads the bundled document at each
operation's pointer. For every declared response with a body it takes the media type's
``example``, each of its named ``examples`` (their ``value``; ``externalValue`` is not
fetched) and the schema's own ``example``, keeps those valid against the response schema, and
where none is left synthesizes a value from the schema (:mod:`specfirst.examples.synthesize`).
Declared headers get a value the same way. A binary download with no example answers a
minimal valid file of its media type (a 1 by 1 PNG, base64 in ``examples.json``), never empty
bytes.

The result, :class:`Table`, is written into the implementation package as ``examples.json``
(deterministic: the document's order, no timestamps), read at run time by the scaffolded
``examples.py``. Its first answer for an operation is the one its stub returns by default: the
*success*, the first declared 2xx (else a declared 3xx, else ``default`` as 200); later
ones are what a ``Prefer: code=…, example=…`` header picks.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from specfirst.examples.synthesize import Schemas, first_example, is_json, synthesize
from specfirst.ir import Api, BodyKind, Operation, Response
from specfirst.loader.pointers import resolve_pointer
from specfirst.runtime.headers import header_value

# Headers that frame the message: the server sets them for the body it sends. An example of
# one (a recorded ``Content-Encoding: gzip``) sent with an example body breaks the response.
FRAMING_HEADERS = frozenset(
    {
        "connection",
        "content-encoding",
        "content-length",
        "content-type",
        "keep-alive",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
NO_EXAMPLE = "no example"
INVALID_EXAMPLE = "examples invalid against the schema"
UNSENDABLE_HEADER = "example cannot be sent in an HTTP header"
_PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
"""A 1 by 1 transparent pixel (grey and alpha)."""
MINIMAL_FILES: dict[str, str] = {
    "image/png": _PNG,
    "image/gif": "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7",
    "image/*": _PNG,
}
"""Media type → a minimal valid file of it, as base64: what a binary download answers when
the spec has no example (an empty image is no image)."""


@dataclass(frozen=True)
class Answer:
    """One answer of an operation: a declared response with one example of its body."""

    status: str  # "200", "4XX", "default": the declared key
    example: str | None  # the name of the media type's named example, when it is one
    body: Any = None
    headers: Mapping[str, Any] = field(default_factory=dict)  # wire name → value
    synthesized: bool = False  # the body was built from the schema
    items: tuple[Any, ...] | None = None  # a streamed response: its items
    encoding: str | None = None  # "base64": the body is a file's bytes, base64-encoded

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"status": self.status}
        if self.example is not None:
            data["example"] = self.example
        if self.items is not None:
            data["items"] = list(self.items)
        elif self.body is not None:
            data["body"] = self.body
        if self.headers:
            data["headers"] = dict(self.headers)
        if self.synthesized:
            data["synthesized"] = True
        if self.encoding is not None:
            data["encoding"] = self.encoding
        return data


@dataclass
class Table:
    answers: dict[str, list[Answer]] = field(default_factory=dict)  # operationId → answers
    synthesized: dict[str, str] = field(default_factory=dict)  # operationId → why
    no_success: list[str] = field(default_factory=list)  # stubs that stay 501
    # "operationId header" whose example a header cannot carry (velopayments' Location holds
    # HTML with line breaks): its value is synthesized from the schema
    unsendable: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        data = {op: [a.to_json() for a in answers] for op, answers in self.answers.items()}
        return json.dumps(data, indent=1, ensure_ascii=False, default=str) + "\n"

    def summary(self) -> list[str]:
        """What the stubs answer, said once: which operations answer synthesized data, and
        which declare no success a stub can send (their stubs answer 501)."""
        total = len(self.answers) + len(self.no_success)
        lines = [
            f"examples: {len(self.answers) - len(self.synthesized)} of {total} operation(s) "
            "answer the spec's examples"
        ]
        for why in (NO_EXAMPLE, INVALID_EXAMPLE):
            ops = [op for op, reason in self.synthesized.items() if reason == why]
            if ops:
                lines.append(
                    f"examples: {len(ops)} answer data synthesized from the schema ({why}): "
                    + ", ".join(ops)
                )
        if self.unsendable:
            lines.append(
                f"examples: {len(self.unsendable)} header value(s) synthesized from the schema "
                f"({UNSENDABLE_HEADER}): " + ", ".join(self.unsendable)
            )
        if self.no_success:
            lines.append(
                f"examples: {len(self.no_success)} declare no success response a stub can send; "
                "their stubs answer 501: " + ", ".join(self.no_success)
            )
        return lines


def success_response(op: Operation) -> Response | None:
    """The response an example stub answers by default: the first declared 2xx, else a
    declared 3xx, else ``default``; None when only errors are declared, or only a 1xx: an
    informational status is no final answer to an HTTP request (``101 Switching Protocols``
    is the server's upgrade, which a handler's response cannot perform)."""
    preferences: tuple[Callable[[Response], bool], ...] = (
        lambda r: r.is_success,
        lambda r: r.status.startswith("3"),
        lambda r: r.status == "default",
    )
    for wanted in preferences:
        found = next((r for r in op.responses if wanted(r)), None)
        if found is not None:
            return found
    return None


def build_table(api: Api, document: Mapping[str, Any]) -> Table:
    schemas = Schemas(document)
    table = Table()
    for op in api.operations:
        success = success_response(op)
        if success is None:
            table.no_success.append(op.operation_id)
            continue
        raw_op = schemas.resolve(_at(document, op.pointer)) or {}
        declared = raw_op.get("responses") if isinstance(raw_op, Mapping) else None
        declared = schemas.resolve(declared) if isinstance(declared, Mapping) else {}
        raw = {str(key).upper(): value for key, value in declared.items()}
        answers: list[Answer] = []
        for response in [success, *(r for r in op.responses if r is not success)]:
            declared_response = schemas.resolve(raw.get(response.status.upper()))
            unsendable: list[str] = []
            found = _answers(response, declared_response, schemas, unsendable)
            table.unsendable.extend(
                f"{op.operation_id} {name}"
                for name in unsendable
                if f"{op.operation_id} {name}" not in table.unsendable
            )
            if response is success and found[0].synthesized:
                table.synthesized[op.operation_id] = _why(response, raw, schemas)
            answers.extend(found)
        table.answers[op.operation_id] = answers
    return table


def _media(content: Mapping[str, Any], response: Response) -> Any:
    """The media type object the response's body follows: the one the IR chose (its key may
    be spelled otherwise, e.g. ``*/*`` served as JSON), else the first declared."""
    for media_type in (response.media_type, *response.media_types):
        if media_type is not None and media_type in content:
            return content[media_type]
    return next(iter(content.values()), None)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _at(document: Mapping[str, Any], pointer: tuple[str | int, ...]) -> Any:
    found, node = resolve_pointer(document, pointer)
    return node if found else None


def _answers(response: Response, raw: Any, schemas: Schemas, unsendable: list[str]) -> list[Answer]:
    """The answers of one declared response: one per valid example (the first unnamed),
    else one synthesized. The headers whose example cannot be sent are added to
    ``unsendable``."""
    raw = raw if isinstance(raw, Mapping) else {}
    headers = _headers(response, raw, schemas, unsendable)
    if response.kind is None:
        return [Answer(response.status, None, None, headers)]
    content = raw.get("content") if isinstance(raw.get("content"), Mapping) else {}
    media = schemas.resolve(_media(content, response)) or {}
    media = media if isinstance(media, Mapping) else {}
    if response.stream is not None:
        item = synthesize(media.get("itemSchema", {}), schemas)
        return [Answer(response.status, None, headers=headers, synthesized=True, items=(item,) * 2)]
    schema = _mapping(media.get("schema"))
    found = [
        Answer(response.status, name, value, headers)
        for name, value in _examples(media, schema, schemas)
        if _valid(response, schema, value, schemas)
    ]
    if found:
        return [replace(a, body=_as_sent(response, a.body)) for a in found]
    value = _as_sent(response, _synthesized(response, schema, schemas))
    if response.kind is BodyKind.BINARY and value == "":
        body, encoding = _file(response)
        return [Answer(response.status, None, body, headers, True, encoding=encoding)]
    return [Answer(response.status, None, value, headers, True)]


def _file(response: Response) -> tuple[str, str | None]:
    """A binary body for a download the spec has no example of, never empty: a minimal
    valid file of its media type where one is known (:data:`MINIMAL_FILES`, as base64),
    else the bytes of ``example``."""
    media_type = (response.media_type or "").partition(";")[0].strip().lower()
    if media_type in MINIMAL_FILES:
        return MINIMAL_FILES[media_type], "base64"
    return "example", None


def _as_sent(response: Response, value: Any) -> Any:
    """A binary body is sent as its text is; under a JSON media type (signl4's file downloads
    declare ``application/json`` with ``format: binary``) that text is the JSON string of the
    example, so that the answer parses as the JSON it says it is."""
    if (
        response.kind is BodyKind.BINARY
        and response.media_type is not None
        and is_json(response.media_type)
        and isinstance(value, str)
    ):
        return json.dumps(value)
    return value


def _examples(
    media: Mapping[str, Any], schema: Mapping[str, Any], schemas: Schemas
) -> list[tuple[str | None, Any]]:
    """The declared examples of a media type, in order: ``example``, each named one, then
    the schema's own ``example``/``examples``."""
    found: list[tuple[str | None, Any]] = []
    if "example" in media:
        found.append((None, _plain(media["example"])))
    named = media.get("examples")
    if isinstance(named, Mapping):
        for name, example in named.items():
            example = schemas.resolve(example)
            if isinstance(example, Mapping) and "value" in example:
                found.append((str(name), _plain(example["value"])))
    resolved = schemas.resolve(schema)
    if isinstance(resolved, Mapping):
        if "example" in resolved:
            found.append((None, _plain(resolved["example"])))
        elif isinstance(resolved.get("examples"), list) and resolved["examples"]:
            found.append((None, _plain(resolved["examples"][0])))
    return found


def _plain(value: Any) -> Any:
    """JSON data as JSON would carry it (YAML reads ``2025-01-15`` as a date)."""
    return json.loads(json.dumps(value, default=str))


def _valid(response: Response, schema: Mapping[str, Any], value: Any, schemas: Schemas) -> bool:
    if response.kind is BodyKind.TEXT:
        return isinstance(value, str)
    if response.kind is BodyKind.BINARY:
        return isinstance(value, str)
    if response.media_type is not None and not is_json(response.media_type):
        return response.kind is not BodyKind.JSON or schemas.is_valid(schema, value)
    return schemas.is_valid(schema, value)


def _synthesized(response: Response, schema: Mapping[str, Any], schemas: Schemas) -> Any:
    """A value built from the schema; when the full one is not valid, one with only the
    required properties (which avoids optional branches the walk gets wrong)."""
    if response.kind in (BodyKind.TEXT, BodyKind.BINARY):
        value = synthesize(schema, schemas)
        return value if isinstance(value, str) else "example"
    key = id(schemas.resolve(schema)) if schema else None
    if key is not None and key in schemas.synthesized:
        return schemas.synthesized[key][1]
    value = _plain(synthesize(schema, schemas))
    if not schemas.is_valid(schema, value):
        minimal = _plain(synthesize(schema, schemas, minimal=True))
        value = minimal if schemas.is_valid(schema, minimal) else value
    if key is not None:
        schemas.synthesized[key] = (schema, value)
    return value


def _why(response: Response, raw: Mapping[str, Any], schemas: Schemas) -> str:
    declared = schemas.resolve(raw.get(response.status.upper())) or {}
    content = declared.get("content") if isinstance(declared, Mapping) else None
    media = schemas.resolve(_media(_mapping(content), response)) or {}
    schema = media.get("schema") if isinstance(media, Mapping) else None
    if isinstance(media, Mapping) and _examples(media, schema or {}, schemas):
        return INVALID_EXAMPLE
    return NO_EXAMPLE


def _headers(
    response: Response, raw: Mapping[str, Any], schemas: Schemas, unsendable: list[str]
) -> dict[str, Any]:
    """A value for each declared header: its example when valid and sendable, else one
    synthesized from its schema (without the schema's own examples when those cannot be
    sent); a header whose schema yields no sendable value is left out."""
    declared = _mapping(raw.get("headers"))
    by_name = {str(name).lower(): value for name, value in declared.items()}
    values: dict[str, Any] = {}
    for header in response.headers:
        if header.name.lower() in FRAMING_HEADERS:
            continue
        spec = schemas.resolve(by_name.get(header.name.lower())) or {}
        schema = spec.get("schema") if isinstance(spec, Mapping) else None
        schema = schema if isinstance(schema, Mapping) else {}
        found, value = first_example(spec, schemas) if isinstance(spec, Mapping) else (False, None)
        value = _plain(value)
        if not found or not schemas.is_valid(schema, value):
            value = _plain(synthesize(schema, schemas))
        if value is not None and not _sendable(value):
            unsendable.append(header.name)
            value = _plain(synthesize(schema, schemas, minimal=True))
            value = value if _sendable(value) else None
        if value is not None:
            values[header.name] = value
    return values


def _sendable(value: Any) -> bool:
    """Whether a header can carry ``value`` as the runtime writes it: visible ASCII and
    spaces (RFC 9110 asks new fields to keep to these), no line breaks."""
    text = header_value(value)
    return text.isascii() and text.isprintable()
