"""A handful of requests per operation, and the statuses each may answer.

An app built with ``allow_unimplemented=True`` must answer every request with the 501 of its
``Unimplemented…`` service, or with a 4xx the contract allows: one the operation declares, its
validation status (400 or 422), and 401/403 where the operation has security. Anything else —
a 404 or 405 for a routed operation, a 500, a crash — is a failure.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from corpus.paths import served_path
from corpus.samples import Sampler, text
from specfirst.ir import Api, BodyKind, Operation, ParamLocation


@dataclass
class Probe:
    kind: str
    request: httpx.Request
    allowed: frozenset[int]


def _at(doc: Any, pointer: tuple[Any, ...]) -> Any:
    node = doc
    for key in pointer:
        if (isinstance(node, Mapping) and key in node) or (
            isinstance(node, list) and isinstance(key, int) and key < len(node)
        ):
            node = node[key]
        else:
            return {}
    return node


def allowed_statuses(op: Operation) -> frozenset[int]:
    allowed = {501, op.validation_status}
    for response in op.responses:
        status = response.status
        if status.isdigit() and status.startswith("4"):
            allowed.add(int(status))
        elif status in ("4XX", "default"):
            allowed.update(range(400, 500))
    if op.secured:
        allowed.update((401, 403))
    return frozenset(allowed)


def _safe_path_value(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(_safe_path_value(v) for v in value)
    raw = text(value).replace("/", "-") or "x"
    if raw.startswith("."):
        raw = "x" + raw
    return urllib.parse.quote(raw, safe="")


def _path_value(style: str, explode: bool, name: str, value: Any) -> str:
    if style == "label":
        sep = "." if explode else ","
        if isinstance(value, list):
            return "." + sep.join(_safe_path_value(v) for v in value)
        if isinstance(value, dict):
            items = [f"{k}={text(v)}" if explode else f"{k},{text(v)}" for k, v in value.items()]
            return "." + sep.join(_safe_path_value(i) for i in items)
        return "." + _safe_path_value(value)
    if style == "matrix":
        if isinstance(value, list) and explode:
            return "".join(f";{name}={_safe_path_value(v)}" for v in value)
        if isinstance(value, dict) and explode:
            return "".join(f";{k}={_safe_path_value(v)}" for k, v in value.items())
        return f";{name}=" + _safe_path_value(value)
    if isinstance(value, dict) and explode:
        return ",".join(f"{_safe_path_value(k)}={_safe_path_value(v)}" for k, v in value.items())
    return _safe_path_value(value)


def _header_value(value: Any) -> str:
    raw = text(value)
    return raw.encode("ascii", "replace").decode("ascii").replace("\n", " ").replace("\r", " ")


def _schema_of(param: Mapping[str, Any]) -> Any:
    if "schema" in param:
        return param["schema"]
    content = param.get("content")
    if isinstance(content, Mapping) and content:
        media = next(iter(content.values()))
        if isinstance(media, Mapping):
            return media.get("schema")
    return {}


def build_probes(api: Api, doc: Mapping[str, Any], base: str, client: httpx.Client) -> list[Probe]:
    sampler = Sampler(doc)
    probes: list[Probe] = []
    for op in api.operations:
        allowed = allowed_statuses(op)
        raw_params = {p.name: sampler.resolve(_at(doc, p.pointer)) for p in op.parameters}
        values = {
            p.name: sampler.sample(_schema_of(raw_params[p.name]))
            if isinstance(raw_params[p.name], Mapping)
            else "x"
            for p in op.parameters
        }

        def url(
            overrides: Mapping[str, str], op: Operation = op, values: dict[str, Any] = values
        ) -> str:
            path = served_path(op.path)
            for p in op.parameters:
                if p.location is ParamLocation.PATH:
                    value = overrides.get(p.name) or _path_value(
                        p.style, p.explode, p.name, values[p.name]
                    )
                    path = path.replace("{" + p.name + "}", value)
            return base + path

        def build(
            kind: str,
            *,
            path_override: Mapping[str, str] | None = None,
            params: bool = True,
            body: str = "valid",
            op: Operation = op,
            values: dict[str, Any] = values,
            allowed: frozenset[int] = allowed,
        ) -> None:
            query: list[tuple[str, str]] = list(op.route_query)
            headers: dict[str, str] = {}
            cookies: dict[str, str] = {}
            if params:
                for p in op.parameters:
                    if not p.required:
                        continue
                    value = values[p.name]
                    if p.location is ParamLocation.QUERY:
                        if p.style == "deepObject" and isinstance(value, dict):
                            query.extend((f"{p.name}[{k}]", text(v)) for k, v in value.items())
                        elif isinstance(value, list) and p.explode:
                            query.extend((p.name, text(v)) for v in value)
                        elif isinstance(value, dict) and p.explode:
                            query.extend((k, text(v)) for k, v in value.items())
                        else:
                            query.append((p.name, text(value)))
                    elif p.location is ParamLocation.HEADER:
                        headers[p.name] = _header_value(value)
                    elif p.location is ParamLocation.COOKIE:
                        cookies[p.name] = urllib.parse.quote(text(value), safe="")
            content: bytes | None = None
            data: dict[str, Any] | None = None
            files: dict[str, Any] | None = None
            if op.body is not None and body != "none":
                media = op.body.media_type.split(";")[0].strip()
                if "*" in media:
                    media = (
                        "application/octet-stream"
                        if op.body.kind is not BodyKind.JSON
                        else "application/json"
                    )
                schema = _at(doc, (*op.pointer, "requestBody"))
                schema = sampler.resolve(schema)
                media_obj = (
                    (schema.get("content") or {}).get(op.body.media_type)
                    if isinstance(schema, Mapping)
                    else None
                )
                body_schema = media_obj.get("schema") if isinstance(media_obj, Mapping) else {}
                if op.body.kind is BodyKind.JSON:
                    content = (
                        b"{" if body == "bad" else json.dumps(sampler.sample(body_schema)).encode()
                    )
                    headers["content-type"] = media
                elif op.body.kind is BodyKind.TEXT:
                    content = b"x"
                    headers["content-type"] = media
                elif op.body.kind is BodyKind.BINARY:
                    content = b"\x00x"
                    headers["content-type"] = media
                else:
                    sample = sampler.sample(body_schema)
                    sample = sample if isinstance(sample, dict) else {}
                    data = {}
                    files = {}
                    for field in op.body.form_fields:
                        value = sample.get(field.name, "x")
                        if field.is_file:
                            files[field.name] = ("f.bin", b"x", "application/octet-stream")
                        elif field.is_list:
                            data[field.name] = [
                                text(v) for v in (value if isinstance(value, list) else [value])
                            ]
                        else:
                            data[field.name] = text(value)
                    if op.body.kind is BodyKind.FORM:
                        files = None
                    elif not files:
                        files = {"_": ("", b"", "application/octet-stream")} if not data else None
                        if files is None:
                            # force multipart encoding for fields only
                            files = {}
            request = client.build_request(
                op.method.upper(),
                url(path_override or {}),
                params=tuple(query),
                headers=headers,
                cookies=cookies,
                content=content,
                data=data,
                files=files or None,
            )
            probes.append(Probe(kind, request, allowed))

        build("valid")
        needs = any(p.required and p.location is not ParamLocation.PATH for p in op.parameters)
        if needs or (op.body is not None and op.body.required):
            build("empty", params=False, body="none")
        typed = [
            p
            for p in op.parameters
            if p.location is ParamLocation.PATH
            and (
                p.py_type in ("int", "float")
                or p.py_type.startswith(("uuid.", "datetime.", "Literal["))
            )
        ]
        if typed:
            build("bad-path", path_override={typed[0].name: "not-a-value"})
        if op.body is not None and op.body.kind is BodyKind.JSON:
            build("bad-json", body="bad")
    return probes
