"""Breaking-change diff of two OpenAPI documents, as existing clients see it.

Direction matters, as in oasdiff: a request may only get *wider* (accept more) and a
response only *narrower* (promise more) without breaking a client. Each finding has a
stable id, a severity and the location in both versions::

    breaking           existing clients will fail (an operation removed, a parameter made required …)
    possibly-breaking  clients that rely on the detail may fail (an error status removed …)
    info               compatible (an operation or an optional parameter added …)

Schemas are compared after resolving ``$ref`` on both sides, so a change to a shared
component is reported once, at the component, naming every operation that uses it.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from specfirst.diagnostics import Location
from specfirst.loader import Pointer, SourceSpec, deref

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PATH_VAR = re.compile(r"{[^{}]+}")


class Severity(enum.StrEnum):
    BREAKING = "breaking"
    POSSIBLY = "possibly-breaking"
    INFO = "info"


_ORDER = {Severity.BREAKING: 0, Severity.POSSIBLY: 1, Severity.INFO: 2}


@dataclass(frozen=True, slots=True)
class Finding:
    id: str
    severity: Severity
    message: str
    operation: str | None
    base: Location | None
    head: Location | None


@dataclass
class DiffReport:
    base_label: str
    head_label: str
    base_version: str
    head_version: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def breaking(self) -> bool:
        return any(f.severity is Severity.BREAKING for f in self.findings)

    @property
    def major_bumped(self) -> bool:
        return _major(self.head_version) > _major(self.base_version)

    def counts(self) -> dict[str, int]:
        return {s.value: sum(1 for f in self.findings if f.severity is s) for s in Severity}

    def to_json(self) -> dict[str, Any]:
        return {
            "base": {"label": self.base_label, "version": self.base_version},
            "head": {"label": self.head_label, "version": self.head_version},
            "summary": {**self.counts(), "major_version_bumped": self.major_bumped},
            "findings": [
                {
                    "id": f.id,
                    "severity": f.severity.value,
                    "message": f.message,
                    "operation": f.operation,
                    "base": str(f.base) if f.base else None,
                    "head": str(f.head) if f.head else None,
                }
                for f in self.findings
            ],
        }

    def to_text(self) -> str:
        lines = []
        for f in self.findings:
            where = " ".join(
                part
                for part in (f"base {f.base}" if f.base else "", f"head {f.head}" if f.head else "")
                if part
            )
            op = f" {f.operation}:" if f.operation else ""
            lines.append(f"{f.severity.value}: {f.id}:{op} {f.message} [{where}]")
        c = self.counts()
        lines.append(
            f"{self.base_label} → {self.head_label}: {c['breaking']} breaking, "
            f"{c['possibly-breaking']} possibly breaking, {c['info']} info"
        )
        return "\n".join(lines) + "\n"

    def to_markdown(self) -> str:
        c = self.counts()
        verdict = "❌ breaking changes" if self.breaking else "✅ no breaking changes"
        if self.breaking and self.major_bumped:
            verdict += f" (allowed: major version {self.base_version} → {self.head_version})"
        out = [
            f"## API changes: `{_md(self.base_label)}` → `{_md(self.head_label)}`",
            "",
            f"**{verdict}** — {c['breaking']} breaking, {c['possibly-breaking']} possibly breaking, {c['info']} info",
            "",
        ]
        if self.findings:
            out += ["| severity | change | operation | details | where |", "|---|---|---|---|---|"]
            for f in self.findings:
                where = "<br>".join(
                    x
                    for x in (
                        f"base `{f.base}`" if f.base else "",
                        f"head `{f.head}`" if f.head else "",
                    )
                    if x
                )
                out.append(
                    f"| {f.severity.value} | `{f.id}` | {_md(f.operation or '')} | {_md(f.message)} | {where} |"
                )
        return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def _major(version: str) -> int:
    match = re.match(r"\s*v?(\d+)", version)
    return int(match.group(1)) if match else 0


# --------------------------------------------------------------------------- traversal


class _Side:
    """One version of the document, with ``$ref`` resolution and locations."""

    def __init__(self, spec: SourceSpec) -> None:
        self.spec = spec
        self.doc = spec.document

    def resolve(self, node: Any, pointer: Pointer) -> tuple[Any, Pointer]:
        node, pointer, _broken = deref(self.doc, node, pointer)  # validate reports broken refs
        return node, pointer

    def locate(self, pointer: Pointer | None) -> Location | None:
        if pointer is None:
            return None
        try:
            return self.spec.locate(pointer)
        except Exception:  # a position is a courtesy; never fail the diff for it
            return None

    def operations(
        self,
    ) -> dict[tuple[str, str], tuple[str, Mapping[str, Any], Mapping[str, Any], Pointer]]:
        out: dict[tuple[str, str], tuple[str, Mapping[str, Any], Mapping[str, Any], Pointer]] = {}
        for path, raw in (self.doc.get("paths") or {}).items():
            item, item_ptr = self.resolve(raw, ("paths", path))
            if not isinstance(item, Mapping):
                continue
            for method in METHODS:
                op = item.get(method)
                if isinstance(op, Mapping):
                    out[(method, _PATH_VAR.sub("{}", path))] = (path, item, op, (*item_ptr, method))
        return out


def _types(schema: Mapping[str, Any], openapi_31: bool) -> frozenset[str]:
    raw = schema.get("type")
    types = set(raw) if isinstance(raw, list) else ({raw} if isinstance(raw, str) else set())
    if schema.get("nullable") is True:
        types.add("null")
    if "integer" in types and "number" in types:
        types.discard("integer")
    del openapi_31
    return frozenset(str(t) for t in types)


# Constraint keywords: (name, "upper" when a smaller value is narrower, "lower" when larger is narrower).
_BOUNDS = (
    ("maxLength", "upper"),
    ("minLength", "lower"),
    ("maximum", "upper"),
    ("minimum", "lower"),
    ("exclusiveMaximum", "upper"),
    ("exclusiveMinimum", "lower"),
    ("maxItems", "upper"),
    ("minItems", "lower"),
    ("maxProperties", "upper"),
    ("minProperties", "lower"),
)


class _Differ:
    def __init__(self, base: SourceSpec, head: SourceSpec) -> None:
        self.base = _Side(base)
        self.head = _Side(head)
        self.raw: dict[tuple[str, Severity, str, Pointer | None, Pointer | None], list[str]] = {}
        self.order: list[tuple[str, Severity, str, Pointer | None, Pointer | None]] = []

    def add(
        self,
        id: str,
        severity: Severity,
        message: str,
        operation: str | None,
        base_ptr: Pointer | None,
        head_ptr: Pointer | None,
    ) -> None:
        key = (id, severity, message, base_ptr, head_ptr)
        if key not in self.raw:
            self.raw[key] = []
            self.order.append(key)
        if operation and operation not in self.raw[key]:
            self.raw[key].append(operation)

    def findings(self) -> list[Finding]:
        out = []
        for key in self.order:
            id, severity, message, base_ptr, head_ptr = key
            ops = self.raw[key]
            operation = (
                ", ".join(ops[:3]) + (f" (+{len(ops) - 3} more)" if len(ops) > 3 else "")
                if ops
                else None
            )
            out.append(
                Finding(
                    id,
                    severity,
                    message,
                    operation,
                    self.base.locate(base_ptr),
                    self.head.locate(head_ptr),
                )
            )
        out.sort(key=lambda f: (_ORDER[f.severity], f.operation or "", f.id))
        return out

    # ------------------------------------------------------------------ operations

    def run(self) -> None:
        base_ops, head_ops = self.base.operations(), self.head.operations()
        base_paths = {p for (_, p) in base_ops}
        head_paths = {p for (_, p) in head_ops}
        for key, (path, _item, _op, ptr) in base_ops.items():
            if key in head_ops:
                continue
            method = key[0].upper()
            if key[1] not in head_paths:
                self.add(
                    "path-removed",
                    Severity.BREAKING,
                    f"path {path} was removed",
                    f"{method} {path}",
                    ptr[:2],
                    None,
                )
            else:
                self.add(
                    "operation-removed",
                    Severity.BREAKING,
                    f"{method} {path} was removed",
                    f"{method} {path}",
                    ptr,
                    None,
                )
        for key, (path, _item, _op, ptr) in head_ops.items():
            if key not in base_ops:
                new_path = key[1] not in base_paths
                self.add(
                    "path-added" if new_path else "operation-added",
                    Severity.INFO,
                    f"{key[0].upper()} {path} was added",
                    f"{key[0].upper()} {path}",
                    None,
                    ptr,
                )
        for key in base_ops:
            if key in head_ops:
                self.operation(base_ops[key], head_ops[key])

    def operation(
        self,
        base: tuple[str, Mapping[str, Any], Mapping[str, Any], Pointer],
        head: tuple[str, Mapping[str, Any], Mapping[str, Any], Pointer],
    ) -> None:
        b_path, b_item, b_op, b_ptr = base
        h_path, h_item, h_op, h_ptr = head
        name = f"{str(b_ptr[-1]).upper()} {h_path}"
        if h_op.get("deprecated") and not b_op.get("deprecated"):
            if any(k in h_op for k in ("x-sunset", "x-sunset-date")):
                self.add(
                    "operation-deprecated",
                    Severity.INFO,
                    "the operation was deprecated (with a sunset date)",
                    name,
                    None,
                    (*h_ptr, "deprecated"),
                )
            else:
                self.add(
                    "deprecated-without-sunset",
                    Severity.POSSIBLY,
                    "the operation was deprecated without a sunset date (x-sunset)",
                    name,
                    None,
                    (*h_ptr, "deprecated"),
                )
        self.parameters(name, b_path, h_path, b_item, b_op, b_ptr, h_item, h_op, h_ptr)
        self.request_body(name, b_op, b_ptr, h_op, h_ptr)
        self.responses(name, b_op, b_ptr, h_op, h_ptr)
        self.security(name, b_op, b_ptr, h_op, h_ptr)

    def _params(
        self, side: _Side, path: str, item: Mapping[str, Any], op: Mapping[str, Any], ptr: Pointer
    ) -> dict[tuple[str, str], tuple[Mapping[str, Any], Pointer]]:
        merged: dict[tuple[str, str], tuple[Mapping[str, Any], Pointer]] = {}
        for source, base in ((item.get("parameters"), ptr[:-1]), (op.get("parameters"), ptr)):
            for index, raw in enumerate(source or []):
                param, pptr = side.resolve(raw, (*base, "parameters", index))
                if isinstance(param, Mapping) and isinstance(param.get("name"), str):
                    where, name = str(param.get("in")), param["name"]
                    if where == "path":
                        # Path parameters are matched by position: a rename of the template
                        # variable alone changes nothing for clients.
                        names = [m[1:-1] for m in _PATH_VAR.findall(path)]
                        name = f"#{names.index(name)}" if name in names else name
                    key = (where, name.lower() if where == "header" else name)
                    merged[key] = (param, pptr)
        return merged

    def parameters(
        self,
        name: str,
        b_path: str,
        h_path: str,
        b_item: Mapping[str, Any],
        b_op: Mapping[str, Any],
        b_ptr: Pointer,
        h_item: Mapping[str, Any],
        h_op: Mapping[str, Any],
        h_ptr: Pointer,
    ) -> None:
        base = self._params(self.base, b_path, b_item, b_op, b_ptr)
        head = self._params(self.head, h_path, h_item, h_op, h_ptr)
        removed = [k for k in base if k not in head]
        added = [k for k in head if k not in base]
        for key in removed:
            param, pptr = base[key]
            label = f"{key[0]} parameter {param['name']!r}"
            same_name = [k for k in added if k[1].lower() == key[1].lower()]
            same_schema = [
                k
                for k in added
                if k[0] == key[0]
                and _canonical(self.base, param.get("schema"))
                == _canonical(self.head, head[k][0].get("schema"))
                and bool(head[k][0].get("required")) == bool(param.get("required"))
            ]
            if same_name:
                other = same_name[0]
                added.remove(other)
                self.add(
                    "parameter-moved",
                    Severity.BREAKING,
                    f"{label} moved to {other[0]}",
                    name,
                    pptr,
                    head[other][1],
                )
            elif same_schema:
                other = same_schema[0]
                added.remove(other)
                self.add(
                    "parameter-renamed",
                    Severity.BREAKING,
                    f"{label} was renamed to {head[other][0]['name']!r}",
                    name,
                    pptr,
                    head[other][1],
                )
            else:
                self.add(
                    "parameter-removed", Severity.BREAKING, f"{label} was removed", name, pptr, None
                )
        for key in added:
            param, pptr = head[key]
            label = f"{key[0]} parameter {param['name']!r}"
            if param.get("required"):
                self.add(
                    "required-parameter-added",
                    Severity.BREAKING,
                    f"required {label} was added",
                    name,
                    None,
                    pptr,
                )
            else:
                self.add(
                    "optional-parameter-added",
                    Severity.INFO,
                    f"optional {label} was added",
                    name,
                    None,
                    pptr,
                )
        for key in base:
            if key not in head:
                continue
            b_param, b_pptr = base[key]
            h_param, h_pptr = head[key]
            label = f"{key[0]} parameter {h_param['name']!r}"
            if h_param.get("required") and not b_param.get("required"):
                self.add(
                    "parameter-became-required",
                    Severity.BREAKING,
                    f"{label} became required",
                    name,
                    b_pptr,
                    (*h_pptr, "required"),
                )
            elif b_param.get("required") and not h_param.get("required") and key[0] != "path":
                self.add(
                    "parameter-became-optional",
                    Severity.INFO,
                    f"{label} became optional",
                    name,
                    b_pptr,
                    h_pptr,
                )
            self.schema(
                name,
                label,
                "request",
                b_param.get("schema"),
                (*b_pptr, "schema"),
                h_param.get("schema"),
                (*h_pptr, "schema"),
                set(),
            )

    def request_body(
        self,
        name: str,
        b_op: Mapping[str, Any],
        b_ptr: Pointer,
        h_op: Mapping[str, Any],
        h_ptr: Pointer,
    ) -> None:
        b_body, b_bptr = self.base.resolve(b_op.get("requestBody"), (*b_ptr, "requestBody"))
        h_body, h_bptr = self.head.resolve(h_op.get("requestBody"), (*h_ptr, "requestBody"))
        if not isinstance(h_body, Mapping):
            return
        if not isinstance(b_body, Mapping):
            if h_body.get("required"):
                self.add(
                    "request-body-added-required",
                    Severity.BREAKING,
                    "a required request body was added",
                    name,
                    None,
                    h_bptr,
                )
            return
        if h_body.get("required") and not b_body.get("required"):
            self.add(
                "request-body-became-required",
                Severity.BREAKING,
                "the request body became required",
                name,
                b_bptr,
                (*h_bptr, "required"),
            )
        b_content = b_body.get("content") or {}
        h_content = h_body.get("content") or {}
        for media in b_content:
            if media not in h_content:
                self.add(
                    "request-media-type-removed",
                    Severity.BREAKING,
                    f"request media type {media} is no longer accepted",
                    name,
                    (*b_bptr, "content", media),
                    (*h_bptr, "content"),
                )
                continue
            b_media, h_media = b_content[media] or {}, h_content[media] or {}
            self.schema(
                name,
                "request body",
                "request",
                b_media.get("schema"),
                (*b_bptr, "content", media, "schema"),
                h_media.get("schema"),
                (*h_bptr, "content", media, "schema"),
                set(),
            )

    def responses(
        self,
        name: str,
        b_op: Mapping[str, Any],
        b_ptr: Pointer,
        h_op: Mapping[str, Any],
        h_ptr: Pointer,
    ) -> None:
        b_resps = {str(k).upper(): v for k, v in (b_op.get("responses") or {}).items()}
        h_resps = {str(k).upper(): v for k, v in (h_op.get("responses") or {}).items()}
        for status, raw in b_resps.items():
            b_resp, b_rptr = self.base.resolve(raw, (*b_ptr, "responses", _key(b_op, status)))
            if status not in h_resps:
                if status.startswith("2"):
                    self.add(
                        "success-status-removed",
                        Severity.BREAKING,
                        f"success status {status} was removed",
                        name,
                        b_rptr,
                        None,
                    )
                else:
                    self.add(
                        "error-status-removed",
                        Severity.POSSIBLY,
                        f"response status {status} was removed",
                        name,
                        b_rptr,
                        None,
                    )
                continue
            h_resp, h_rptr = self.head.resolve(
                h_resps[status], (*h_ptr, "responses", _key(h_op, status))
            )
            if not isinstance(b_resp, Mapping) or not isinstance(h_resp, Mapping):
                continue
            b_headers = {k.lower(): (k, v) for k, v in (b_resp.get("headers") or {}).items()}
            h_headers = {k.lower(): (k, v) for k, v in (h_resp.get("headers") or {}).items()}
            for lower, (hname, raw_header) in b_headers.items():
                if lower not in h_headers:
                    self.add(
                        "response-header-removed",
                        Severity.BREAKING,
                        f"response header {hname} of {status} was removed",
                        name,
                        (*b_rptr, "headers", hname),
                        h_rptr,
                    )
                    continue
                b_h, _ = self.base.resolve(raw_header, ())
                h_h, _ = self.head.resolve(h_headers[lower][1], ())
                if (
                    isinstance(b_h, Mapping)
                    and isinstance(h_h, Mapping)
                    and b_h.get("required")
                    and not h_h.get("required")
                ):
                    self.add(
                        "response-header-became-optional",
                        Severity.BREAKING,
                        f"response header {hname} of {status} is no longer always sent",
                        name,
                        (*b_rptr, "headers", hname),
                        (*h_rptr, "headers", h_headers[lower][0]),
                    )
            b_content = b_resp.get("content") or {}
            h_content = h_resp.get("content") or {}
            for media in b_content:
                if media not in h_content:
                    self.add(
                        "response-media-type-removed",
                        Severity.BREAKING,
                        f"response media type {media} of {status} was removed",
                        name,
                        (*b_rptr, "content", media),
                        (*h_rptr, "content"),
                    )
                    continue
                self.schema(
                    name,
                    f"response {status} body",
                    "response",
                    (b_content[media] or {}).get("schema"),
                    (*b_rptr, "content", media, "schema"),
                    (h_content[media] or {}).get("schema"),
                    (*h_rptr, "content", media, "schema"),
                    set(),
                )
        for status in h_resps:
            if status not in b_resps:
                self.add(
                    "response-status-added",
                    Severity.INFO,
                    f"response status {status} was added",
                    name,
                    None,
                    (*h_ptr, "responses", _key(h_op, status)),
                )

    def security(
        self,
        name: str,
        b_op: Mapping[str, Any],
        b_ptr: Pointer,
        h_op: Mapping[str, Any],
        h_ptr: Pointer,
    ) -> None:
        def requirements(side: _Side, op: Mapping[str, Any]) -> list[dict[str, frozenset[str]]]:
            raw = op.get("security", side.doc.get("security")) or []
            return [
                {str(k): frozenset(str(s) for s in (v or [])) for k, v in r.items()}
                for r in raw
                if isinstance(r, Mapping)
            ]

        base, head = requirements(self.base, b_op), requirements(self.head, h_op)
        b_where = (*b_ptr, "security") if "security" in b_op else ("security",)
        h_where = (*h_ptr, "security") if "security" in h_op else ("security",)
        base_open = not base or any(not r for r in base)
        head_open = not head or any(not r for r in head)
        if base_open and not head_open:
            self.add(
                "security-added",
                Severity.BREAKING,
                "the operation now requires authentication",
                name,
                b_where,
                h_where,
            )
            return
        if head_open:
            return
        for requirement in base:
            schemes = set(requirement)
            match = [r for r in head if set(r) == schemes]
            if not match:
                label = " + ".join(sorted(schemes))
                self.add(
                    "security-requirement-removed",
                    Severity.BREAKING,
                    f"credentials of {label} are no longer accepted as they were",
                    name,
                    b_where,
                    h_where,
                )
                continue
            for scheme, scopes in requirement.items():
                extra = match[0][scheme] - scopes
                if extra:
                    self.add(
                        "security-scopes-added",
                        Severity.BREAKING,
                        f"{scheme} now also requires scope(s) {', '.join(sorted(extra))}",
                        name,
                        b_where,
                        h_where,
                    )

    # ------------------------------------------------------------------ schemas

    def schema(
        self,
        operation: str,
        label: str,
        direction: str,
        b_raw: Any,
        b_ptr: Pointer,
        h_raw: Any,
        h_ptr: Pointer,
        seen: set[tuple[Pointer, Pointer]],
    ) -> None:
        b_schema, b_ptr = self.base.resolve(b_raw, b_ptr)
        h_schema, h_ptr = self.head.resolve(h_raw, h_ptr)
        if len(h_ptr) == 3 and h_ptr[:2] == ("components", "schemas"):
            label = f"schema {h_ptr[2]}"  # a shared component: one finding for all its users
        if (
            (b_ptr, h_ptr) in seen
            or not isinstance(b_schema, Mapping)
            or not isinstance(h_schema, Mapping)
        ):
            return
        seen = seen | {(b_ptr, h_ptr)}
        request = direction == "request"
        b_types = _types(b_schema, True)
        h_types = _types(h_schema, True)
        b_real, h_real = b_types - {"null"}, h_types - {"null"}
        if b_real and h_real and b_real != h_real:
            narrowed = not (b_real <= h_real) if request else not (h_real <= b_real)
            self.add(
                f"{direction}-type-changed",
                Severity.BREAKING if narrowed else Severity.INFO,
                f"{label}: type {_fmt(b_real)} → {_fmt(h_real)}",
                operation,
                b_ptr,
                h_ptr,
            )
        if request and "null" in b_types and "null" not in h_types:
            self.add(
                "request-null-no-longer-accepted",
                Severity.BREAKING,
                f"{label}: null is no longer accepted",
                operation,
                b_ptr,
                h_ptr,
            )
        if not request and "null" in h_types and "null" not in b_types:
            self.add(
                "response-became-nullable",
                Severity.BREAKING,
                f"{label} can now be null",
                operation,
                b_ptr,
                h_ptr,
            )
        self._enum(operation, label, direction, b_schema, b_ptr, h_schema, h_ptr)
        self._bounds(operation, label, direction, b_schema, b_ptr, h_schema, h_ptr)
        self._properties(operation, label, direction, b_schema, b_ptr, h_schema, h_ptr, seen)
        if isinstance(b_schema.get("items"), Mapping) and isinstance(
            h_schema.get("items"), Mapping
        ):
            self.schema(
                operation,
                f"{label}[]",
                direction,
                b_schema["items"],
                (*b_ptr, "items"),
                h_schema["items"],
                (*h_ptr, "items"),
                seen,
            )
        for keyword in ("allOf", "oneOf", "anyOf"):
            b_list, h_list = b_schema.get(keyword), h_schema.get(keyword)
            if isinstance(b_list, list) and isinstance(h_list, list):
                if len(b_list) == len(h_list):
                    for i, (b_sub, h_sub) in enumerate(zip(b_list, h_list, strict=True)):
                        self.schema(
                            operation,
                            label,
                            direction,
                            b_sub,
                            (*b_ptr, keyword, i),
                            h_sub,
                            (*h_ptr, keyword, i),
                            seen,
                        )
                else:
                    self.add(
                        f"{direction}-composition-changed",
                        Severity.POSSIBLY,
                        f"{label}: {keyword} has {len(b_list)} → {len(h_list)} alternatives",
                        operation,
                        (*b_ptr, keyword),
                        (*h_ptr, keyword),
                    )

    def _enum(
        self,
        operation: str,
        label: str,
        direction: str,
        b: Mapping[str, Any],
        b_ptr: Pointer,
        h: Mapping[str, Any],
        h_ptr: Pointer,
    ) -> None:
        b_enum, h_enum = b.get("enum"), h.get("enum")
        if isinstance(b_enum, list) and isinstance(h_enum, list):
            removed = [v for v in b_enum if v not in h_enum]
            added = [v for v in h_enum if v not in b_enum]
            if direction == "request" and removed:
                self.add(
                    "request-enum-value-removed",
                    Severity.BREAKING,
                    f"{label}: value(s) {_values(removed)} no longer accepted",
                    operation,
                    (*b_ptr, "enum"),
                    (*h_ptr, "enum"),
                )
            if direction == "response" and added:
                self.add(
                    "response-enum-value-added",
                    Severity.POSSIBLY,
                    f"{label}: new value(s) {_values(added)} may be returned",
                    operation,
                    (*b_ptr, "enum"),
                    (*h_ptr, "enum"),
                )
        elif direction == "request" and isinstance(h_enum, list) and not isinstance(b_enum, list):
            self.add(
                "request-enum-added",
                Severity.BREAKING,
                f"{label}: now restricted to {_values(h_enum)}",
                operation,
                b_ptr,
                (*h_ptr, "enum"),
            )

    def _bounds(
        self,
        operation: str,
        label: str,
        direction: str,
        b: Mapping[str, Any],
        b_ptr: Pointer,
        h: Mapping[str, Any],
        h_ptr: Pointer,
    ) -> None:
        request = direction == "request"
        for keyword, kind in _BOUNDS:
            bv, hv = _number(b.get(keyword)), _number(h.get(keyword))
            if bv == hv:
                continue
            if hv is None:  # constraint dropped: wider
                narrowed = False
            elif bv is None:  # constraint added: narrower
                narrowed = True
            else:
                narrowed = hv < bv if kind == "upper" else hv > bv
            if request and narrowed:
                self.add(
                    "request-constraint-narrowed",
                    Severity.BREAKING,
                    f"{label}: {keyword} {_opt(bv)} → {_opt(hv)}",
                    operation,
                    b_ptr,
                    (*h_ptr, keyword) if keyword in h else h_ptr,
                )
            elif not request and not narrowed:
                self.add(
                    "response-constraint-widened",
                    Severity.POSSIBLY,
                    f"{label}: {keyword} {_opt(bv)} → {_opt(hv)}",
                    operation,
                    b_ptr,
                    h_ptr,
                )
        if b.get("pattern") != h.get("pattern") and request and h.get("pattern") is not None:
            self.add(
                "request-pattern-changed",
                Severity.BREAKING,
                f"{label}: pattern {b.get('pattern')!r} → {h.get('pattern')!r}",
                operation,
                b_ptr,
                (*h_ptr, "pattern"),
            )
        if b.get("format") != h.get("format") and b.get("format") and h.get("format"):
            self.add(
                f"{direction}-format-changed",
                Severity.BREAKING,
                f"{label}: format {b.get('format')} → {h.get('format')}",
                operation,
                b_ptr,
                (*h_ptr, "format"),
            )

    def _properties(
        self,
        operation: str,
        label: str,
        direction: str,
        b: Mapping[str, Any],
        b_ptr: Pointer,
        h: Mapping[str, Any],
        h_ptr: Pointer,
        seen: set[tuple[Pointer, Pointer]],
    ) -> None:
        b_props = b.get("properties") if isinstance(b.get("properties"), Mapping) else {}
        h_props = h.get("properties") if isinstance(h.get("properties"), Mapping) else {}
        b_req = set(b.get("required") or [])
        h_req = set(h.get("required") or [])
        request = direction == "request"
        assert isinstance(b_props, Mapping) and isinstance(h_props, Mapping)
        for prop in b_props:
            where = f"{label} property {prop!r}"
            if prop not in h_props:
                if request:
                    closed = h.get("additionalProperties") is False
                    self.add(
                        "request-property-removed",
                        Severity.BREAKING if closed else Severity.INFO,
                        f"{where} was removed"
                        + (" (and unknown properties are rejected)" if closed else ""),
                        operation,
                        (*b_ptr, "properties", prop),
                        h_ptr,
                    )
                else:
                    self.add(
                        "response-property-removed",
                        Severity.BREAKING,
                        f"{where} was removed",
                        operation,
                        (*b_ptr, "properties", prop),
                        h_ptr,
                    )
                continue
            if request and prop in h_req and prop not in b_req:
                self.add(
                    "request-property-became-required",
                    Severity.BREAKING,
                    f"{where} became required",
                    operation,
                    b_ptr,
                    (*h_ptr, "required"),
                )
            if not request and prop in b_req and prop not in h_req:
                self.add(
                    "response-property-became-optional",
                    Severity.BREAKING,
                    f"{where} is no longer always present",
                    operation,
                    (*b_ptr, "required"),
                    h_ptr,
                )
            self.schema(
                operation,
                where,
                direction,
                b_props[prop],
                (*b_ptr, "properties", prop),
                h_props[prop],
                (*h_ptr, "properties", prop),
                seen,
            )
        for prop in h_props:
            if prop in b_props:
                continue
            where = f"{label} property {prop!r}"
            if request and prop in h_req:
                self.add(
                    "request-required-property-added",
                    Severity.BREAKING,
                    f"required {where} was added",
                    operation,
                    b_ptr,
                    (*h_ptr, "properties", prop),
                )
            else:
                self.add(
                    f"{direction}-property-added",
                    Severity.INFO,
                    f"{where} was added",
                    operation,
                    b_ptr,
                    (*h_ptr, "properties", prop),
                )
        if (
            request
            and h.get("additionalProperties") is False
            and b.get("additionalProperties") is not False
            and b_props
        ):
            self.add(
                "request-additional-properties-rejected",
                Severity.BREAKING,
                f"{label}: unknown properties are now rejected",
                operation,
                b_ptr,
                (*h_ptr, "additionalProperties"),
            )


def _key(op: Mapping[str, Any], status: str) -> str:
    for key in op.get("responses") or {}:
        if str(key).upper() == status:
            return str(key)
    return status


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _opt(value: float | None) -> str:
    if value is None:
        return "none"
    return str(int(value)) if value.is_integer() else str(value)


def _fmt(types: frozenset[str]) -> str:
    return "|".join(sorted(types))


def _values(values: list[Any]) -> str:
    return ", ".join(json.dumps(v) for v in values[:10]) + (" …" if len(values) > 10 else "")


def _canonical(side: _Side, schema: Any) -> str:
    resolved, _ = side.resolve(schema, ())
    try:
        return json.dumps(resolved, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return repr(resolved)


def diff_specs(
    base: SourceSpec, head: SourceSpec, *, base_label: str = "base", head_label: str = "head"
) -> DiffReport:
    """Every change from ``base`` to ``head`` that matters to existing clients."""
    differ = _Differ(base, head)
    differ.run()
    return DiffReport(
        base_label=base_label,
        head_label=head_label,
        base_version=str((base.document.get("info") or {}).get("version", "")),
        head_version=str((head.document.get("info") or {}).get("version", "")),
        findings=differ.findings(),
    )


def iter_breaking(report: DiffReport) -> Iterator[Finding]:
    return (f for f in report.findings if f.severity is Severity.BREAKING)
