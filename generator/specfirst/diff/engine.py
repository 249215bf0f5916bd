"""Breaking-change diff of two OpenAPI documents, as existing clients see it.

Direction matters, as in oasdiff: a request may only get *wider* (accept more) and a
response only *narrower* (promise more) without breaking a client. One relation decides
both, facet by facet: types (``integer`` ⊂ ``number``), nullability, formats (``int32`` ⊂
``int64``), enums, bounds and patterns. Each finding has a stable rule id (``specfirst diff
--list-rules``), a severity, the location in both versions, and every operation it affects
with the field path that reaches it::

    GET /repos/{owner}/{repo}/issues/{issue_number}/timeline → 200 → [].source.issue.body

Schemas are compared semantically, not as text: ``$ref`` is resolved, ``allOf`` is flattened
into one shape, and the alternatives of ``oneOf``/``anyOf`` are matched pairwise (by ``$ref``
target, discriminator value, ``title``, then structure), so a property that moved behind a
union is not "removed", and a ``$ref`` that became a union reports only the alternative that
is new. A shared component is compared once per pair of versions and direction (memoised),
which keeps GitHub-size documents to seconds.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from specfirst.diff.registry import RULES, severity_of
from specfirst.diff.report import DiffReport, Finding, Occurrence
from specfirst.diff.rule import Severity
from specfirst.diff.schemas.change import MAX_PATHS
from specfirst.diff.schemas.compare import SchemaComparer
from specfirst.diff.schemas.views import canon
from specfirst.diff.settings import IgnoreEntry
from specfirst.diff.side import PATH_VAR, Side
from specfirst.loader import Pointer, SourceSpec

__all__ = ["diff_specs", "iter_breaking"]

_ORDER = {Severity.BREAKING: 0, Severity.POSSIBLY: 1, Severity.INFO: 2}
STRICT_QUERY = "x-specfirst-strict-query"


class _Differ:
    def __init__(self, base: SourceSpec, head: SourceSpec) -> None:
        self.base = Side(base)
        self.head = Side(head)
        self.found: dict[tuple[str, str, Pointer | None, Pointer | None], dict[str, list[str]]] = {}
        self.schemas = SchemaComparer(self.base.views, self.head.views)

    def add(
        self,
        id: str,
        message: str,
        operation: str,
        where: str,
        base_ptr: Pointer | None,
        head_ptr: Pointer | None,
    ) -> None:
        paths = self.found.setdefault((id, message, base_ptr, head_ptr), {}).setdefault(
            operation, []
        )
        if where not in paths:
            paths.append(where)

    def findings(self) -> list[Finding]:
        out = []
        for (id, message, base_ptr, head_ptr), ops in self.found.items():
            occurrences = tuple(
                Occurrence(op, tuple(sorted(paths, key=lambda p: (len(p), p))[:MAX_PATHS]))
                for op, paths in sorted(ops.items())
            )
            out.append(
                Finding(
                    id,
                    RULES[id].severity,
                    message,
                    occurrences,
                    self.base.locate(base_ptr),
                    self.head.locate(head_ptr),
                )
            )
        out.sort(key=lambda f: (_ORDER[f.severity], f.operation or "", f.id, f.message))
        return out

    # ------------------------------------------------------------------ operations

    def run(self) -> None:
        base_ops, head_ops = self.base.operations(), self.head.operations()
        base_stubs, head_stubs = _stubs(base_ops), _stubs(head_ops)
        base_paths = {key[1] for key in base_ops if key not in base_stubs}
        head_paths = {key[1] for key in head_ops if key not in head_stubs}
        for key, (path, _item, _op, ptr) in base_ops.items():
            name = f"{key[0].upper()} {path}"
            if key in base_stubs:
                # Nothing could call it before, so whatever it became breaks no client.
                if key not in head_ops:
                    message = f"{name}, which answered only 501 Not Implemented, was removed"
                    self.add("unimplemented-operation-removed", message, name, "", ptr, None)
                elif key not in head_stubs:
                    message = f"{name} was implemented (it answered only 501 Not Implemented)"
                    self.add("operation-implemented", message, name, "", None, head_ops[key][3])
                continue
            if key in head_stubs:
                message = f"{name} now answers only 501 Not Implemented"
                self.add("operation-unimplemented", message, name, "", ptr, head_ops[key][3])
                continue
            if key in head_ops:
                continue
            if key[1] not in head_paths:
                self.add("path-removed", f"path {path} was removed", name, "", ptr[:2], None)
            else:
                self.add("operation-removed", f"{name} was removed", name, "", ptr, None)
        for key, (path, _item, _op, ptr) in head_ops.items():
            if key not in base_ops:
                name = f"{key[0].upper()} {path}"
                rule = "path-added" if key[1] not in base_paths else "operation-added"
                self.add(rule, f"{name} was added", name, "", None, ptr)
        for key in base_ops:
            if key in head_ops and key not in base_stubs and key not in head_stubs:
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
            sunset = any(k in h_op for k in ("x-sunset", "x-sunset-date"))
            self.add(
                "operation-deprecated" if sunset else "deprecated-without-sunset",
                "the operation was deprecated"
                + (" (with a sunset date)" if sunset else " without a sunset date (x-sunset)"),
                name,
                "",
                None,
                (*h_ptr, "deprecated"),
            )
        strict = bool(h_op.get(STRICT_QUERY, self.head.doc.get(STRICT_QUERY, False)))
        self.parameters(name, b_path, h_path, b_item, b_op, b_ptr, h_item, h_op, h_ptr, strict)
        self.request_body(name, b_op, b_ptr, h_op, h_ptr)
        self.responses(name, b_op, b_ptr, h_op, h_ptr)
        self.security(name, b_op, b_ptr, h_op, h_ptr)

    def _params(
        self, side: Side, path: str, item: Mapping[str, Any], op: Mapping[str, Any], ptr: Pointer
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
                        names = [m[1:-1] for m in PATH_VAR.findall(path)]
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
        strict: bool,
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
            where = f"{key[0]} {param['name']}"
            if same_name or same_schema:
                other = (same_name or same_schema)[0]
                added.remove(other)
                new, new_ptr = head[other]
                change = f"moved to {other[0]}" if same_name else f"was renamed to {new['name']!r}"
                if new.get("required") and "default" not in (new.get("schema") or {}):
                    self.add(
                        "required-parameter-added",
                        f"{label} {change}: clients sending it as before are rejected",
                        name,
                        where,
                        pptr,
                        new_ptr,
                    )
                else:
                    self.add(
                        "parameter-moved" if same_name else "parameter-renamed",
                        f"{label} {change}: a value sent as before is ignored",
                        name,
                        where,
                        pptr,
                        new_ptr,
                    )
            elif key[0] == "query" and strict:
                self.add(
                    "parameter-removed-strict",
                    f"{label} was removed, and the operation rejects unknown query parameters"
                    f" ({STRICT_QUERY})",
                    name,
                    where,
                    pptr,
                    None,
                )
            else:
                why = (
                    "servers ignore undeclared headers"
                    if key[0] == "header"
                    else "a value clients still send is ignored"
                )
                self.add(
                    "parameter-removed", f"{label} was removed ({why})", name, where, pptr, None
                )
        for key in added:
            param, pptr = head[key]
            label = f"{key[0]} parameter {param['name']!r}"
            if not param.get("required"):
                rule, text = "optional-parameter-added", f"optional {label} was added"
            elif _has_default(self.head, param):
                rule = "required-parameter-added-with-default"
                text = f"required {label} was added, with a default for clients that omit it"
            else:
                rule, text = "required-parameter-added", f"required {label} was added"
            self.add(rule, text, name, f"{key[0]} {param['name']}", None, pptr)
        for key in base:
            if key not in head:
                continue
            b_param, b_pptr = base[key]
            h_param, h_pptr = head[key]
            label = f"{key[0]} parameter {h_param['name']!r}"
            where = f"{key[0]} {h_param['name']}"
            if h_param.get("required") and not b_param.get("required"):
                rule, text = "parameter-became-required", f"{label} became required"
                if _has_default(self.head, h_param):
                    rule += "-with-default"
                    text += ", with a default for clients that omit it"
                self.add(rule, text, name, where, b_pptr, (*h_pptr, "required"))
            elif b_param.get("required") and not h_param.get("required") and key[0] != "path":
                self.add(
                    "parameter-became-optional",
                    f"{label} became optional",
                    name,
                    where,
                    b_pptr,
                    h_pptr,
                )
            b_default = _default(self.base, b_param)
            h_default = _default(self.head, h_param)
            if (
                b_default is not _MISSING
                and h_default is not _MISSING
                and canon(b_default) != canon(h_default)
                and not b_param.get("required")
            ):
                self.add(
                    "parameter-default-changed",
                    f"{label}: default {canon(b_default)} → {canon(h_default)}",
                    name,
                    where,
                    b_pptr,
                    h_pptr,
                )
            was = self._became_text(b_param, b_pptr, h_param, h_pptr)
            if was:
                self.add(
                    "request-type-widened",
                    f"type {'|'.join(sorted(was))} → string: a {key[0]} parameter travels as"
                    " text, so every value sent before is still accepted",
                    name,
                    where,
                    (*b_pptr, "schema"),
                    (*h_pptr, "schema"),
                )
                continue
            self.schema_root(
                name,
                where,
                "request",
                b_param.get("schema"),
                (*b_pptr, "schema"),
                h_param.get("schema"),
                (*h_pptr, "schema"),
            )

    def _became_text(
        self,
        b_param: Mapping[str, Any],
        b_pptr: Pointer,
        h_param: Mapping[str, Any],
        h_pptr: Pointer,
    ) -> frozenset[str] | None:
        """A scalar parameter (integer, number, boolean) that became an unconstrained string:
        the scalar types it had, else ``None``.

        Outside the body a value is text on the wire (``?repository_name=42``), so a plain
        string accepts every value the scalar did (GHES 3.12 → 3.13, repository_name).
        """
        if "schema" not in b_param or "schema" not in h_param:
            return None
        b = self.base.view(b_param["schema"], (*b_pptr, "schema"))
        h = self.head.view(h_param["schema"], (*h_pptr, "schema"))
        was = b.kind()
        plain = h.enum is None and h.pattern is None and h.format is None and not h.bounds
        if (
            was
            and was <= {"integer", "number", "boolean"}
            and b.alts is None
            and h.kind() == frozenset({"string"})
            and h.alts is None
            and plain
        ):
            return was
        return None

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
                    "a required request body was added",
                    name,
                    "request body",
                    None,
                    h_bptr,
                )
            return
        if h_body.get("required") and not b_body.get("required"):
            self.add(
                "request-body-became-required",
                "the request body became required",
                name,
                "request body",
                b_bptr,
                (*h_bptr, "required"),
            )
        b_content = b_body.get("content") or {}
        h_content = h_body.get("content") or {}
        for media in b_content:
            if media not in h_content:
                self.add(
                    "request-media-type-removed",
                    f"request media type {media} is no longer accepted",
                    name,
                    "request body",
                    (*b_bptr, "content", media),
                    (*h_bptr, "content"),
                )
                continue
            b_media, h_media = b_content[media] or {}, h_content[media] or {}
            label = "request body" if len(b_content) == 1 else f"request body ({media})"
            self.schema_root(
                name,
                label,
                "request",
                b_media.get("schema"),
                (*b_bptr, "content", media, "schema"),
                h_media.get("schema"),
                (*h_bptr, "content", media, "schema"),
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
                success = status.startswith("2")
                self.add(
                    "success-status-removed" if success else "error-status-removed",
                    f"{'success ' if success else ''}response status {status} was removed",
                    name,
                    status,
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
                where = f"{status} header {hname}"
                if lower not in h_headers:
                    self.add(
                        "response-header-removed",
                        f"response header {hname} of {status} was removed",
                        name,
                        where,
                        (*b_rptr, "headers", hname),
                        h_rptr,
                    )
                    continue
                b_h, b_hptr = self.base.resolve(raw_header, (*b_rptr, "headers", hname))
                h_h, h_hptr = self.head.resolve(
                    h_headers[lower][1], (*h_rptr, "headers", h_headers[lower][0])
                )
                if not isinstance(b_h, Mapping) or not isinstance(h_h, Mapping):
                    continue
                if b_h.get("required") and not h_h.get("required"):
                    self.add(
                        "response-header-became-optional",
                        f"response header {hname} of {status} is no longer always sent",
                        name,
                        where,
                        b_hptr,
                        h_hptr,
                    )
                self.schema_root(
                    name,
                    where,
                    "response",
                    b_h.get("schema"),
                    (*b_hptr, "schema"),
                    h_h.get("schema"),
                    (*h_hptr, "schema"),
                )
            b_content = b_resp.get("content") or {}
            h_content = h_resp.get("content") or {}
            for media in b_content:
                if media not in h_content:
                    self.add(
                        "response-media-type-removed",
                        f"response media type {media} of {status} was removed",
                        name,
                        status,
                        (*b_rptr, "content", media),
                        (*h_rptr, "content"),
                    )
                    continue
                label = status if len(b_content) == 1 else f"{status} ({media})"
                self.schema_root(
                    name,
                    label,
                    "response",
                    (b_content[media] or {}).get("schema"),
                    (*b_rptr, "content", media, "schema"),
                    (h_content[media] or {}).get("schema"),
                    (*h_rptr, "content", media, "schema"),
                )
        for status in h_resps:
            if status not in b_resps:
                self.add(
                    "response-status-added",
                    f"response status {status} was added",
                    name,
                    status,
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
        def requirements(side: Side, op: Mapping[str, Any]) -> list[dict[str, frozenset[str]]]:
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
                "the operation now requires authentication",
                name,
                "security",
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
                    f"credentials of {label} are no longer accepted as they were",
                    name,
                    "security",
                    b_where,
                    h_where,
                )
                continue
            for scheme, scopes in requirement.items():
                extra = match[0][scheme] - scopes
                if extra:
                    self.add(
                        "security-scopes-added",
                        f"{scheme} now also requires scope(s) {', '.join(sorted(extra))}",
                        name,
                        "security",
                        b_where,
                        h_where,
                    )

    # ------------------------------------------------------------------ schemas

    def schema_root(
        self,
        operation: str,
        label: str,
        direction: str,
        b_raw: Any,
        b_ptr: Pointer,
        h_raw: Any,
        h_ptr: Pointer,
    ) -> None:
        if b_raw is None or h_raw is None:
            return
        for id, message, base_ptr, head_ptr, path in self.schemas.compare(
            direction, self.base.view(b_raw, b_ptr), self.head.view(h_raw, h_ptr)
        ):
            where = f"{label} → {path}" if path else label
            self.add(id, message, operation, where, base_ptr, head_ptr)


def _stubs(
    ops: Mapping[tuple[str, str], tuple[str, Any, Mapping[str, Any], Pointer]],
) -> set[tuple[str, str]]:
    """The operations whose only documented response is 501 Not Implemented.

    GitHub's per-release documents (as @octokit/openapi published them up to version 14)
    keep an endpoint a release lacks as such a placeholder ("This endpoint does not exist in
    GitHub Enterprise Server 3.4. It was added in 3.5"). No client can depend on one, so it
    counts as absent: implementing it later, or dropping it, breaks nobody.
    """
    out = set()
    for key, (_path, _item, op, _ptr) in ops.items():
        responses = op.get("responses")
        if isinstance(responses, Mapping) and responses and set(map(str, responses)) == {"501"}:
            out.add(key)
    return out


def _key(op: Mapping[str, Any], status: str) -> str:
    for key in op.get("responses") or {}:
        if str(key).upper() == status:
            return str(key)
    return status


_MISSING = object()


def _default(side: Side, param: Mapping[str, Any]) -> Any:
    schema, _ = side.resolve(param.get("schema"), ())
    if isinstance(schema, Mapping) and "default" in schema:
        return schema["default"]
    return _MISSING


def _has_default(side: Side, param: Mapping[str, Any]) -> bool:
    return _default(side, param) is not _MISSING


def _canonical(side: Side, schema: Any) -> str:
    resolved, _ = side.resolve(schema, ())
    return canon(resolved)


def diff_specs(
    base: SourceSpec,
    head: SourceSpec,
    *,
    base_label: str = "base",
    head_label: str = "head",
    severities: Mapping[str, Severity | None] | None = None,
    ignore: Sequence[IgnoreEntry] = (),
) -> DiffReport:
    """Every change from ``base`` to ``head`` that matters to existing clients.

    ``severities`` overrides rule severities (``None`` turns a rule off); ``ignore`` lists
    accepted findings: an occurrence (operation and field path) they match is moved to
    ``report.ignored`` with its reason, so the rest still gates.
    """
    differ = _Differ(base, head)
    differ.run()
    findings, ignored = [], []
    used: set[int] = set()
    for finding in differ.findings():
        level = severity_of(finding.id, severities or {})
        if level is None:
            continue
        finding = replace(finding, severity=level)
        kept, accepted, reason = [], [], None
        for occ in finding.occurrences:
            paths = occ.paths or ("",)
            hit = next(
                (
                    n
                    for n, e in enumerate(ignore)
                    if all(e.matches(finding.id, occ.operation, p) for p in paths)
                ),
                None,
            )
            if hit is None:
                kept.append(occ)
            else:
                used.add(hit)
                accepted.append(occ)
                reason = reason or ignore[hit].reason
        if kept:
            findings.append(replace(finding, occurrences=tuple(kept)))
        if accepted:
            ignored.append(replace(finding, occurrences=tuple(accepted), reason=reason))
    findings.sort(key=lambda f: (_ORDER[f.severity], f.operation or "", f.id, f.message))
    return DiffReport(
        base_label=base_label,
        head_label=head_label,
        base_version=str((base.document.get("info") or {}).get("version", "")),
        head_version=str((head.document.get("info") or {}).get("version", "")),
        findings=findings,
        ignored=ignored,
        unused_ignores=[e for n, e in enumerate(ignore) if n not in used],
    )


def iter_breaking(report: DiffReport) -> Iterator[Finding]:
    return (f for f in report.findings if f.severity is Severity.BREAKING)
