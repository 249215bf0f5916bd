"""A mock server that answers from the spec alone: ``specfirst mock SPEC``.

Front-end and back-end teams can start at the same time: the mock validates every request
against the contract (auth present, parameters, body) and answers it with the operation's
first 2xx response, built from the spec's examples, or synthesized from the schema when the
spec gives none, with the declared response headers. Bad input gets the status the operation
declares for it (422, else 400) as RFC 9457 ``application/problem+json``.

Everything is prepared once, when the app is built; a request only matches, validates and
sends pre-serialized bytes. The spec is interpreted here, not generated into code, because a
mock must start from any spec in a second, before anything is implemented.

No library builds example values from a schema the way a human reader expects them
(hypothesis-jsonschema draws random data and is not installed), so :func:`synthesize` is a
small hand-written walk over the schema: ``example``/``examples``/``default``/``enum`` first,
then a plausible value per type and format, within the schema's bounds.

Left whole, past the size its neighbours keep to (``MockApp`` included): it is a second
implementation of the runtime, which the bring-your-own-spec work replaces with the generated
app and example stubs, so splitting it would only move code that is about to go.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote

import jsonschema_rs
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from specfirst.loader import HTTP_METHODS, path_item_operations, server_base_path
from specfirst.runtime.streaming import encode_item
from specfirst.runtime.streams import STREAM_FORMATS

log = logging.getLogger("specfirst.mock")

PROBLEM_JSON = "application/problem+json"
_MAX_DEPTH = 8

Json = Any


# --- schema helpers -----------------------------------------------------------------------------


class _Schemas:
    """Resolves internal ``$ref``s and builds validators against the whole document."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self.openapi30 = str(document.get("openapi", "")).startswith("3.0")
        self._components = _json_schema(document.get("components", {}), self.openapi30)

    def resolve(self, node: Any) -> Any:
        seen = 0
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and seen < 50:
            node = self._pointer(node["$ref"])
            seen += 1
        return node

    def _pointer(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            raise ValueError(f"external $ref {ref!r}: bundle the spec first")
        node: Any = self.document
        for part in ref[2:].split("/"):
            part = unquote(part).replace("~1", "/").replace("~0", "~")
            node = node[int(part)] if isinstance(node, list) else node[part]
        return node

    def validator(self, schema: Mapping[str, Any]) -> Any:
        root = dict(_json_schema(schema, self.openapi30))
        root["components"] = self._components
        return jsonschema_rs.Draft202012Validator(root, validate_formats=True)


def _json_schema(node: Any, openapi30: bool) -> Any:
    """OpenAPI 3.0 schema dialect → JSON Schema (``nullable``); 3.1 schemas are returned as is."""
    if not openapi30:
        return node
    if isinstance(node, list):
        return [_json_schema(item, openapi30) for item in node]
    if not isinstance(node, Mapping):
        return node
    out = {key: _json_schema(value, openapi30) for key, value in node.items()}
    if out.pop("nullable", False) is True:
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
        elif "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
    return out


_FORMAT_EXAMPLES: dict[str, Any] = {
    "date-time": "2025-01-15T09:30:00Z",
    "date": "2025-01-15",
    "time": "09:30:00Z",
    "duration": "P1D",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "uri": "https://example.com/",
    "iri": "https://example.com/",
    "uri-reference": "/example",
    "iri-reference": "/example",
    "uri-template": "/example/{id}",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "byte": "ZXhhbXBsZQ==",
    "binary": "",
    "password": "correct horse battery staple",
    "regex": "^[a-z]+$",
    "json-pointer": "/example",
    "relative-json-pointer": "0",
}


def synthesize(schema: Any, schemas: _Schemas, *, response: bool = True, depth: int = 0) -> Json:
    """A plausible value for ``schema``: its examples first, else one built within its bounds."""
    schema = schemas.resolve(schema)
    if not isinstance(schema, Mapping) or depth > _MAX_DEPTH:
        return None
    if "const" in schema:
        return schema["const"]
    for key in ("example", "default"):
        if key in schema:
            return schema[key]
    if isinstance(schema.get("examples"), list) and schema["examples"]:
        return schema["examples"][0]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    if "allOf" in schema:
        return synthesize(
            _merge_all_of(schema, schemas), schemas, response=response, depth=depth + 1
        )
    for key in ("oneOf", "anyOf"):
        options = [schemas.resolve(option) for option in schema.get(key, [])]
        non_null = [o for o in options if not (isinstance(o, Mapping) and o.get("type") == "null")]
        if options:
            return synthesize((non_null or options)[0], schemas, response=response, depth=depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind is None:
        kind = "object" if "properties" in schema else "array" if "items" in schema else "string"
    if kind == "object":
        skip = "writeOnly" if response else "readOnly"
        value: dict[str, Any] = {}
        for name, sub in (schema.get("properties") or {}).items():
            resolved = schemas.resolve(sub)
            if isinstance(resolved, Mapping) and resolved.get(skip) is True:
                continue
            value[name] = synthesize(sub, schemas, response=response, depth=depth + 1)
        return value
    if kind == "array":
        count = max(int(schema.get("minItems", 1)), 0)
        if "maxItems" in schema:
            count = min(count, int(schema["maxItems"]))
        items = schema.get("items", {})
        if depth >= _MAX_DEPTH - 1:
            count = min(count, 0)
        return [
            synthesize(items, schemas, response=response, depth=depth + 1) for _ in range(count)
        ]
    if kind == "integer" or kind == "number":
        return _number(schema, integer=kind == "integer")
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return _string(schema)


def _merge_all_of(schema: Mapping[str, Any], schemas: _Schemas) -> dict[str, Any]:
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    properties: dict[str, Any] = dict(merged.get("properties", {}))
    required: list[str] = list(merged.get("required", []))
    for part in schema["allOf"]:
        part = schemas.resolve(part)
        if not isinstance(part, Mapping):
            continue
        if "allOf" in part:
            part = _merge_all_of(part, schemas)
        for key, value in part.items():
            if key == "properties":
                properties.update(value)
            elif key == "required":
                required.extend(value)
            else:
                merged.setdefault(key, value)
    if properties:
        merged["properties"] = properties
        merged.setdefault("type", "object")
    if required:
        merged["required"] = sorted(set(required))
    return merged


def _number(schema: Mapping[str, Any], *, integer: bool) -> int | float:
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    value: float = 1
    if isinstance(low, int | float):
        value = low + (1 if "exclusiveMinimum" in schema and "minimum" not in schema else 0)
    if isinstance(high, int | float) and value > high:
        value = high - (1 if "exclusiveMaximum" in schema and "maximum" not in schema else 0)
    step = schema.get("multipleOf")
    if isinstance(step, int | float) and step:
        value = (value // step + (1 if value % step else 0)) * step
    return int(value) if integer else float(value)


def _string(schema: Mapping[str, Any]) -> str:
    fmt = schema.get("format")
    value = str(_FORMAT_EXAMPLES.get(fmt, "string")) if isinstance(fmt, str) else "string"
    pattern = schema.get("pattern")
    if isinstance(pattern, str) and not _matches(pattern, value):
        value = _from_pattern(pattern, value)
    low = int(schema.get("minLength", 0))
    high = schema.get("maxLength")
    if len(value) < low:
        value = value + value[-1:] * (low - len(value)) if value else "x" * low
    if isinstance(high, int) and len(value) > high:
        value = value[:high]
    return value


def _matches(pattern: str, value: str) -> bool:
    try:
        return re.search(pattern, value) is not None
    except re.error:
        return True


def _from_pattern(pattern: str, fallback: str) -> str:
    for candidate in ("a", "A", "0", "a1", "example", "ABC", "abc_123", "a-b"):
        if _matches(pattern, candidate):
            return candidate
    try:  # hypothesis ships with schemathesis; a seeded search keeps the mock deterministic
        from hypothesis import HealthCheck, Phase, find, settings
        from hypothesis import strategies as st

        found: str = find(
            st.from_regex(pattern, fullmatch=True),
            lambda _: True,
            settings=settings(
                database=None,
                phases=[Phase.generate, Phase.shrink],
                suppress_health_check=list(HealthCheck),
            ),
        )
        return found
    except Exception:  # no hypothesis, or a pattern it cannot draw from
        return fallback


# --- operations ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Param:
    name: str
    location: str  # path | query | header | cookie
    required: bool
    schema: Mapping[str, Any]
    validator: Any
    explode: bool
    media: str | None = None  # a ``content`` parameter (``in: querystring`` always is one)


@dataclass(frozen=True)
class _Canned:
    """A pre-built response."""

    status: int
    body: bytes
    media_type: str | None
    headers: Mapping[str, str]


@dataclass
class _Operation:
    method: str
    path: str
    operation_id: str
    regex: re.Pattern[str]
    path_names: list[str]
    params: list[_Param]
    strict_query: bool
    body_required: bool
    body_media: dict[str, Any]  # media type → validator (or None for unvalidated kinds)
    body_schemas: dict[str, Mapping[str, Any]]
    security: list[list[tuple[str, Mapping[str, Any]]]]  # alternatives of (scheme name, scheme)
    success: _Canned
    responses: Mapping[str, Any]
    bad_input_status: int
    problem_media: dict[int, str] = field(default_factory=dict)
    preferred: dict[tuple[str, str], _Canned] = field(default_factory=dict)


def _media_matches(declared: str, actual: str) -> bool:
    declared_main = declared.split(";")[0].strip().lower()
    actual_main = actual.split(";")[0].strip().lower()
    if declared_main in ("*/*", actual_main):
        return True
    if declared_main.endswith("/*"):
        return actual_main.startswith(declared_main[:-1])
    return False


def _is_json(media: str) -> bool:
    main = media.split(";")[0].strip().lower()
    return main == "application/json" or main.endswith("+json")


def _serialize(value: Json, media: str) -> bytes:
    if _is_json(media):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    if isinstance(value, bytes):
        return value
    if value is None:
        return b""
    if isinstance(value, str):
        return value.encode()
    return json.dumps(value).encode()


def _header_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_header_value(v) for v in value)
    if isinstance(value, dict):
        return ",".join(f"{k},{_header_value(v)}" for k, v in value.items())
    return "" if value is None else str(value)


def _prefer(value: str) -> dict[str, str]:
    """``Prefer: code=409, example=conflict`` → ``{"code": "409", "example": "conflict"}``
    (RFC 7240 preferences, as Prism reads them)."""
    found: dict[str, str] = {}
    for part in value.replace(";", ",").split(","):
        name, sep, token = part.strip().partition("=")
        if sep and name.strip().lower() in ("code", "example"):
            found[name.strip().lower()] = (
                token.strip().strip('"').upper()
                if name.strip().lower() == "code"
                else token.strip().strip('"')
            )
    return found


_COUNT_HEADER = re.compile(r"(^|[-_])(total|count)([-_]|$)", re.IGNORECASE)


def _items(value: Any) -> list[Any] | None:
    if isinstance(value, list):
        return value
    if isinstance(value, Mapping):
        lists = [v for v in value.values() if isinstance(v, list)]
        if len(lists) == 1:
            return lists[0]
    return None


def _agree(
    headers: dict[str, str], body: Any, declared: Mapping[str, Any], schemas: _Schemas
) -> None:
    """Keep related values consistent: an integer header named like a total or count
    (``X-Total-Count``, ``Total``) says how many items the body carries, when it carries a
    list (an array, or an object with one array member such as ``items``)."""
    items = _items(body)
    if items is None:
        return
    for name in headers:
        header = schemas.resolve(declared.get(name)) or {}
        schema = schemas.resolve(header.get("schema")) or {}
        if _COUNT_HEADER.search(name) and schema.get("type") == "integer":
            headers[name] = str(len(items))


def _first_example(container: Mapping[str, Any], schemas: _Schemas) -> tuple[bool, Any]:
    if "example" in container:
        return True, container["example"]
    examples = container.get("examples")
    if isinstance(examples, Mapping):
        for example in examples.values():
            example = schemas.resolve(example)
            if isinstance(example, Mapping) and "value" in example:
                return True, example["value"]
    return False, None


class MockApp:
    """Builds the Starlette app for a loaded OpenAPI document."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self.schemas = _Schemas(document)
        self.base_path = server_base_path(document)
        self.operations = list(self._operations())
        self.warnings: list[str] = []

    # building

    def _operations(self) -> Iterator[_Operation]:
        doc = self.document
        strict = bool(doc.get("x-specfirst-strict-query"))
        for path, item in (doc.get("paths") or {}).items():
            item = self.schemas.resolve(item)
            if not isinstance(item, Mapping):
                continue
            shared = item.get("parameters", [])
            for method, _rel, operation in path_item_operations(item):
                yield self._operation(path, method.lower(), operation, shared, strict)

    def _operation(
        self, path: str, method: str, op: Mapping[str, Any], shared: list[Any], strict: bool
    ) -> _Operation:
        schemas = self.schemas
        params: dict[tuple[str, str], _Param] = {}
        for raw in [*shared, *op.get("parameters", [])]:
            param = schemas.resolve(raw)
            content = param.get("content")
            media_type, media_obj = (
                next(iter(content.items()))
                if isinstance(content, Mapping) and content
                else (None, {})
            )
            schema = param.get("schema") or (media_obj or {}).get("schema") or {}
            location = param["in"]
            key = (location, param["name"].lower() if location == "header" else param["name"])
            params[key] = _Param(
                name=param["name"],
                location=location,
                required=bool(param.get("required")) or location == "path",
                schema=schemas.resolve(schema),
                validator=schemas.validator(schema),
                explode=bool(param.get("explode", param.get("style", "form") == "form")),
                media=str(media_type) if media_type is not None else None,
            )
        names: list[str] = []

        def group(match: re.Match[str]) -> str:
            names.append(match.group(1))
            return f"(?P<p{len(names) - 1}>[^/]+)"

        regex = re.compile("^" + re.sub(r"\\\{([^}]+)\\\}", group, re.escape(path)) + "$")

        body = schemas.resolve(op.get("requestBody")) or {}
        media: dict[str, Any] = {}
        body_schemas: dict[str, Mapping[str, Any]] = {}
        for media_type, content in (body.get("content") or {}).items():
            schema = (content or {}).get("schema")
            validated = _is_json(media_type) or media_type.startswith(
                "application/x-www-form-urlencoded"
            )
            media[media_type] = (
                schemas.validator(schema) if schema is not None and validated else None
            )
            body_schemas[media_type] = schemas.resolve(schema) if schema is not None else {}

        responses = op.get("responses") or {}
        operation_id = str(op.get("operationId") or f"{method.upper()} {path}")
        declared = {str(k) for k in responses}
        bad_input = 422 if "422" in declared else 400 if "400" in declared else 422
        security_doc = op["security"] if "security" in op else self.document.get("security", [])
        schemes = (self.document.get("components") or {}).get("securitySchemes") or {}
        security = [
            [(name, schemas.resolve(schemes.get(name, {}))) for name in requirement]
            for requirement in security_doc or []
        ]
        problem_media = {
            int(code): next(iter(schemas.resolve(r).get("content") or {PROBLEM_JSON: {}}))
            for code, r in responses.items()
            if str(code).isdigit()
        }
        return _Operation(
            method=method.upper(),
            path=path,
            operation_id=operation_id,
            regex=regex,
            path_names=names,
            params=list(params.values()),
            strict_query=bool(op.get("x-specfirst-strict-query", strict)),
            body_required=bool(body.get("required")),
            body_media=media,
            body_schemas=body_schemas,
            security=security,
            success=self._success(operation_id, responses),
            responses=responses,
            bad_input_status=bad_input,
            problem_media=problem_media,
        )

    def _success(self, operation_id: str, responses: Mapping[str, Any]) -> _Canned:
        codes = sorted(str(code) for code in responses)
        chosen = next((c for c in codes if c.startswith("2")), None) or next(
            (c for c in codes if c[0].isdigit()), "default"
        )
        return self._canned(operation_id, responses, chosen)

    def _canned(
        self,
        operation_id: str,
        responses: Mapping[str, Any],
        chosen: str,
        example: str | None = None,
    ) -> _Canned:
        """The response declared as ``chosen`` ("200", "4XX", "default"), with the named
        ``example`` of its media type when given (:class:`LookupError` when it has none)."""
        status = int(chosen.replace("X", "0").replace("x", "0")) if chosen != "default" else 200
        response = self.schemas.resolve(responses.get(chosen, {})) or {}
        headers = {}
        for name, header in (response.get("headers") or {}).items():
            if name.lower() in ("content-type", "content-length"):
                continue
            header = self.schemas.resolve(header)
            found, value = _first_example(header, self.schemas)
            if not found:
                value = synthesize(header.get("schema", {}), self.schemas)
            headers[name] = _header_value(value)
        content = response.get("content") or {}
        if not content or status in (204, 304):
            if example is not None:
                raise LookupError(f"the {chosen} response of {operation_id} has no examples")
            return _Canned(status, b"", None, headers)
        media_type, media = next(iter(content.items()))
        media = media or {}
        framing = STREAM_FORMATS.get(media_type.split(";")[0].strip().lower())
        if framing is not None and "itemSchema" in media:
            # OpenAPI 3.2 itemSchema: a short stream of synthesized items, framed as served.
            item = synthesize(media["itemSchema"], self.schemas)
            body = encode_item(item, framing) * 2
            return _Canned(status, body, media_type, headers)
        schema = media.get("schema") or {}
        if example is not None:
            named = media.get("examples") or {}
            if example not in named:
                known = ", ".join(sorted(named)) or "none"
                raise LookupError(
                    f"the {chosen} response of {operation_id} has no example {example!r} "
                    f"(its examples: {known})"
                )
            found, value = True, (self.schemas.resolve(named[example]) or {}).get("value")
        else:
            found, value = _first_example(media, self.schemas)
        if found and (_is_json(media_type) and not self.schemas.validator(schema).is_valid(value)):
            log.warning(
                "%s: the %s example does not match its schema; synthesizing one",
                operation_id,
                chosen,
            )
            found = False
        if not found:
            value = synthesize(schema, self.schemas)
        _agree(headers, value, response.get("headers") or {}, self.schemas)
        concrete = media_type if "*" not in media_type else "application/octet-stream"
        return _Canned(status, _serialize(value, concrete), concrete, headers)

    def preferred(self, op: _Operation, prefer: str) -> _Canned:
        """The response a ``Prefer`` header asks for (Prism's convention): ``code=409`` picks
        the declared response for that status, ``example=NAME`` a named example of it (of the
        first 2xx response without ``code``). :class:`LookupError` when the spec lacks it."""
        wanted = _prefer(prefer)
        code, example = wanted.get("code"), wanted.get("example")
        if code is None and example is None:
            return op.success
        key = (code or "", example or "")
        cached = op.preferred.get(key)
        if cached is not None:
            return cached
        if code is not None:
            declared = {str(c).upper(): str(c) for c in op.responses}
            chosen = declared.get(code) or declared.get(f"{code[:1]}XX")
            if chosen is None:
                raise LookupError(
                    f"{op.operation_id} declares no {code} response "
                    f"(it declares {', '.join(sorted(declared))})"
                )
        else:
            codes = sorted(str(c) for c in op.responses)
            chosen = next((c for c in codes if c.startswith("2")), codes[0] if codes else "default")
        canned = self._canned(op.operation_id, op.responses, chosen, example)
        if code is not None and code.isdigit():
            canned = _Canned(int(code), canned.body, canned.media_type, canned.headers)
        op.preferred[key] = canned
        return canned

    # serving

    def build(self) -> Starlette:
        methods = {m.upper() for m in HTTP_METHODS} | {op.method.upper() for op in self.operations}
        return Starlette(routes=[Route("/{path:path}", self.handle, methods=sorted(methods))])

    async def handle(self, request: Request) -> Response:
        raw_path = request.scope.get("raw_path") or request.url.path.encode()
        path = raw_path.decode("latin-1").split("?")[0]
        if self.base_path:
            if not (path == self.base_path or path.startswith(self.base_path + "/")):
                return self._problem(request, 404, "no such resource", None)
            path = path[len(self.base_path) :] or "/"
        candidates = [(op, m) for op in self.operations if (m := op.regex.match(path))]
        if not candidates:
            return self._problem(request, 404, "no such resource", None)
        for operation, match in candidates:
            if operation.method == request.method:
                return await self._serve(request, operation, match)
        allowed = ", ".join(sorted({op.method for op, _ in candidates}))
        return self._problem(
            request, 405, f"{request.method} is not allowed here", None, {"Allow": allowed}
        )

    async def _serve(self, request: Request, op: _Operation, match: re.Match[str]) -> Response:
        # Credentials are only checked for presence, and only where the spec declares the 401.
        declares_401 = "401" in {str(c) for c in op.responses}
        if (
            declares_401
            and op.security
            and not any(self._has_credentials(request, req) for req in op.security)
        ):
            return self._problem(
                request,
                401,
                "credentials are missing",
                op,
                {"WWW-Authenticate": self._challenge(op)},
            )
        errors = self._check_parameters(request, op, match)
        errors.extend(await self._check_body(request, op))
        if errors:
            status = (
                415
                if any(e["pointer"] == "/header/Content-Type" for e in errors)
                and "415" in {str(c) for c in op.responses}
                else op.bad_input_status
            )
            return self._problem(
                request, status, "the request does not match the API contract", op, errors=errors
            )
        prefer = request.headers.get("prefer")
        try:
            canned = self.preferred(op, prefer) if prefer else op.success
        except LookupError as exc:
            return self._problem(request, 400, f"Prefer: {prefer}: {exc}", None)
        return Response(
            canned.body,
            status_code=canned.status,
            headers=dict(canned.headers),
            media_type=canned.media_type,
        )

    @staticmethod
    def _has_credentials(
        request: Request, requirement: list[tuple[str, Mapping[str, Any]]]
    ) -> bool:
        for _, scheme in requirement:
            kind = scheme.get("type")
            if kind == "apiKey":
                where = {
                    "header": request.headers,
                    "query": request.query_params,
                    "cookie": request.cookies,
                }
                source: Mapping[str, str] = where.get(scheme.get("in", "header"), request.headers)
                if not source.get(scheme.get("name", "")):
                    return False
            elif kind in ("http", "oauth2", "openIdConnect"):
                expected = (
                    "basic" if str(scheme.get("scheme", "bearer")).lower() == "basic" else "bearer"
                )
                given = request.headers.get("authorization", "").split(" ", 1)
                if given[0].lower() != expected or len(given) < 2 or not given[1].strip():
                    return False
        return True

    @staticmethod
    def _challenge(op: _Operation) -> str:
        for requirement in op.security:
            for _, scheme in requirement:
                if scheme.get("type") == "http" and str(scheme.get("scheme")).lower() == "basic":
                    return 'Basic realm="mock"'
                if scheme.get("type") in ("http", "oauth2", "openIdConnect"):
                    return 'Bearer realm="mock"'
        return 'ApiKey realm="mock"'

    def _check_parameters(
        self, request: Request, op: _Operation, match: re.Match[str]
    ) -> list[dict[str, str]]:
        errors: list[dict[str, str]] = []
        path_values = {name: unquote(match.group(f"p{i}")) for i, name in enumerate(op.path_names)}
        query = parse_qsl(request.url.query, keep_blank_values=True)
        for param in op.params:
            present, raw = self._raw(param, request, path_values, query)
            pointer = f"/{param.location}/{param.name}"
            if not present:
                if param.required:
                    errors.append({"pointer": pointer, "detail": "required parameter is missing"})
                continue
            if param.location == "querystring":
                value = self._querystring(request, param, raw)
            else:
                value = _coerce(raw, param, self.schemas)
            for error in param.validator.iter_errors(value):
                errors.append({"pointer": pointer, "detail": error.message})
                break
        if op.strict_query:
            declared = {p.name for p in op.params if p.location == "query"}
            for name, _ in query:
                if name not in declared:
                    errors.append(
                        {"pointer": f"/query/{name}", "detail": "unknown query parameter"}
                    )
        return errors

    def _querystring(self, request: Request, param: _Param, pairs: list[tuple[str, str]]) -> Any:
        """OpenAPI 3.2 ``in: querystring``: the whole query string as one document."""
        if (param.media or "").startswith("application/x-www-form-urlencoded"):
            return _coerce_form(pairs, param.schema, self.schemas)
        text = unquote(request.url.query)
        if param.media is not None and _is_json(param.media):
            try:
                return json.loads(text)
            except ValueError:
                return text
        return text

    @staticmethod
    def _raw(
        param: _Param,
        request: Request,
        path_values: Mapping[str, str],
        query: list[tuple[str, str]],
    ) -> tuple[bool, Any]:
        if param.location == "path":
            return param.name in path_values, path_values.get(param.name)
        if param.location == "query":
            values = [v for k, v in query if k == param.name]
            if not values:
                return False, None
            return True, values
        if param.location == "header":
            value = request.headers.get(param.name)
            return value is not None, value
        if param.location == "querystring":
            return bool(query), query
        value = request.cookies.get(param.name)
        return value is not None, value

    async def _check_body(self, request: Request, op: _Operation) -> list[dict[str, str]]:
        if not op.body_media:
            return []
        raw = await request.body()
        content_type = request.headers.get("content-type")
        if not raw and content_type is None:
            return (
                [{"pointer": "/body", "detail": "a request body is required"}]
                if op.body_required
                else []
            )
        declared = next(
            (m for m in op.body_media if content_type and _media_matches(m, content_type)), None
        )
        if declared is None:
            return [
                {
                    "pointer": "/header/Content-Type",
                    "detail": f"expected one of {', '.join(op.body_media)}",
                }
            ]
        validator = op.body_media[declared]
        if validator is None:
            return []
        if _is_json(declared):
            try:
                value = json.loads(raw)
            except ValueError:
                return [{"pointer": "/body", "detail": "the body is not valid JSON"}]
        else:
            pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
            value = _coerce_form(pairs, op.body_schemas[declared], self.schemas)
        return [
            {
                "pointer": "/body" + "".join(f"/{p}" for p in error.instance_path),
                "detail": error.message,
            }
            for error in list(validator.iter_errors(value))[:20]
        ]

    def _problem(
        self,
        request: Request,
        status: int,
        detail: str,
        op: _Operation | None,
        headers: Mapping[str, str] | None = None,
        errors: list[dict[str, str]] | None = None,
    ) -> Response:
        from http import HTTPStatus

        body: dict[str, Any] = {
            "type": "about:blank",
            "title": HTTPStatus(status).phrase,
            "status": status,
            "detail": detail,
            "instance": quote(request.url.path, safe="/:@!$&'()*+,;=-._~"),
        }
        if errors:
            body["errors"] = errors
        media = op.problem_media.get(status, PROBLEM_JSON) if op is not None else PROBLEM_JSON
        if "*" in media:
            media = PROBLEM_JSON
        return Response(
            _serialize(body, media),
            status_code=status,
            headers=dict(headers or {}),
            media_type=media,
        )


def _coerce(raw: Any, param: _Param, schemas: _Schemas) -> Any:
    """A parameter's string value(s) as the JSON value its schema describes (when it parses)."""
    schema = param.schema
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind == "array":
        values = raw if isinstance(raw, list) else [raw]
        if not param.explode or len(values) == 1:
            values = [v for item in values for v in str(item).split(",")] if values != [""] else []
        item_schema = schemas.resolve(schema.get("items", {}))
        inner = _Param(param.name, param.location, False, item_schema, None, True)
        return [_coerce(v, inner, schemas) for v in values]
    if isinstance(raw, list):
        raw = raw[-1]
    return _scalar(raw, kind)


def _scalar(raw: Any, kind: Any) -> Any:
    if not isinstance(raw, str):
        return raw
    try:
        if kind == "integer":
            return int(raw)
        if kind == "number":
            return float(raw)
    except ValueError:
        return raw
    if kind == "boolean":
        return {"true": True, "false": False}.get(raw, raw)
    if kind == "null" and raw == "":
        return None
    return raw


def _coerce_form(
    pairs: list[tuple[str, str]], schema: Mapping[str, Any], schemas: _Schemas
) -> dict[str, Any]:
    properties = (
        schemas.resolve(schema).get("properties", {}) if isinstance(schema, Mapping) else {}
    )
    out: dict[str, Any] = {}
    for name, value in pairs:
        sub = schemas.resolve(properties.get(name, {}))
        kind = sub.get("type") if isinstance(sub, Mapping) else None
        if kind == "array":
            out.setdefault(name, []).append(
                _scalar(value, schemas.resolve(sub.get("items", {})).get("type"))
            )
        else:
            out[name] = _scalar(value, kind)
    return out


# --- entry points -------------------------------------------------------------------------------


def mock_app(document: Mapping[str, Any]) -> Starlette:
    """The mock ASGI app for an already loaded (bundled) OpenAPI document."""
    return MockApp(document).build()


def mock_app_from_path(spec: str | Path) -> Starlette:
    """Load and bundle ``spec`` (multi-file refs included) and build its mock app."""
    from specfirst.loader import load_spec

    return mock_app(load_spec(spec).document)


def serve(
    spec: str | Path,
    *,
    port: int = 4010,
    log_level: str = "info",
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve the mock on 127.0.0.1 only: it answers anyone with canned data, so never expose it."""
    import uvicorn

    app = mock_app_from_path(spec)
    if on_ready is not None:
        on_ready(f"http://127.0.0.1:{port}")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level=log_level)
