"""Static HTML for reviewers: the spec as one reference page, and a breaking-change report.

Both pages are single self-contained files: inline CSS, no scripts, no fonts or images from
anywhere, and a Content-Security-Policy that forbids loading anything, so they open offline
from a CI artifact or a local folder and cannot phone home.

Spec text is untrusted: every string is escaped by Jinja2's autoescaping, and descriptions
(CommonMark) are rendered by markdown-it-py with raw HTML and images turned off; its link
validation already refuses ``javascript:``, ``vbscript:``, ``file:`` and ``data:`` URLs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from markupsafe import Markup

from specfirst.docs.diff import render_diff_html
from specfirst.docs.page import markdown, render_page
from specfirst.docs.schema_text import type_text
from specfirst.loader import SourceSpec, path_item_operations, ref_pointer
from specfirst.parser import service_tag

__all__ = ["render_diff_html", "render_reference_html"]

# --------------------------------------------------------------------------- the reference page


def _anchor(prefix: str, name: str, taken: set[str]) -> str:
    base = f"{prefix}-" + (re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "x")
    anchor, n = base, 2
    while anchor in taken:
        anchor, n = f"{base}-{n}", n + 1
    taken.add(anchor)
    return anchor


class _Reference:
    def __init__(self, spec: SourceSpec) -> None:
        self.doc: dict[str, Any] = spec.document
        self.taken: set[str] = set()
        components = self.doc.get("components")
        self.components: dict[str, Any] = components if isinstance(components, dict) else {}
        schemas = self.components.get("schemas")
        self.schema_names = list(schemas) if isinstance(schemas, dict) else []
        self.schema_anchors = {
            name: _anchor("schema", name, self.taken) for name in self.schema_names
        }

    # ---- lookups

    def deref(self, node: Any) -> Any:
        for _ in range(64):
            ref = node.get("$ref") if isinstance(node, dict) else None
            if not isinstance(ref, str) or not ref.startswith("#"):
                return node
            target: Any = self.doc
            for seg in ref_pointer(ref):
                if isinstance(target, dict) and str(seg) in target:
                    target = target[str(seg)]
                elif isinstance(target, list) and str(seg).isdigit() and int(seg) < len(target):
                    target = target[int(seg)]
                else:
                    return node
            node = target
        return node

    def type_of(self, schema: Any) -> Markup:
        """A one-line summary of a schema, linking to the schemas this page lists."""
        return type_text(schema, self.schema_anchors)

    # ---- page parts

    def operations(self) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
        for section in ("paths", "webhooks"):
            items = self.doc.get(section)
            if not isinstance(items, dict):
                continue
            for url, raw in items.items():
                item = self.deref(raw)
                if not isinstance(item, dict):
                    continue
                for method, _rel, op in path_item_operations(item):
                    shown = str(url) if section == "paths" else f"webhook {url}"
                    yield shown, method.lower(), op, item

    def operation(
        self, url: str, method: str, op: dict[str, Any], item: dict[str, Any]
    ) -> dict[str, Any]:
        op_id = op.get("operationId")
        op_id = op_id if isinstance(op_id, str) and op_id else f"{method} {url}"
        return {
            "id": op_id,
            "anchor": _anchor("op", op_id, self.taken),
            "method": method,
            "path": url,
            "summary": op.get("summary") if isinstance(op.get("summary"), str) else "",
            "description": markdown(op.get("description")),
            "deprecated": op.get("deprecated") is True,
            "security": self.security(op),
            "parameters": self.parameters(item, op),
            "body": self.body(op.get("requestBody")),
            "responses": self.responses(op.get("responses")),
        }

    def security(self, op: dict[str, Any]) -> Markup:
        requirements = op.get("security", self.doc.get("security"))
        if not isinstance(requirements, list) or not requirements:
            return Markup("None: this operation is public.")
        options = []
        for requirement in requirements:
            if not isinstance(requirement, dict):
                continue
            if not requirement:
                options.append(Markup("no credentials (optional)"))
                continue
            parts = []
            for name, scopes in requirement.items():
                scope_text = (
                    Markup(" with scopes ")
                    + Markup(", ").join(Markup("<code>{}</code>").format(s) for s in scopes)
                    if isinstance(scopes, list) and scopes
                    else Markup("")
                )
                parts.append(
                    Markup('<a href="#{}"><code>{}</code></a>{}').format(
                        "security-" + re.sub(r"[^A-Za-z0-9_.-]+", "-", str(name)), name, scope_text
                    )
                )
            options.append(Markup(" and ").join(parts))
        return Markup(" <strong>or</strong> ").join(options)

    def parameters(self, item: dict[str, Any], op: dict[str, Any]) -> list[dict[str, Any]]:
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        for source in (item.get("parameters"), op.get("parameters")):
            for raw in source if isinstance(source, list) else []:
                param = self.deref(raw)
                if isinstance(param, dict) and isinstance(param.get("name"), str):
                    merged[(str(param.get("in")), param["name"])] = param
        rows = []
        for (location, name), param in merged.items():
            schema = param.get("schema")
            content = param.get("content")
            if schema is None and isinstance(content, dict) and content:
                first = next(iter(content.values()))
                schema = first.get("schema") if isinstance(first, dict) else None
            rows.append(
                {
                    "name": name,
                    "location": location,
                    "required": param.get("required") is True,
                    "deprecated": param.get("deprecated") is True,
                    "type": self.type_of(schema),
                    "description": markdown(param.get("description")),
                }
            )
        return rows

    def content(self, content: Any) -> list[dict[str, Any]]:
        if not isinstance(content, dict):
            return []
        return [
            {
                "media": media,
                "schema": self.media_schema(value),
            }
            for media, value in content.items()
        ]

    def media_schema(self, value: Any) -> Markup:
        """The schema of a media type, or (OpenAPI 3.2 ``itemSchema``) of each item it streams."""
        if not isinstance(value, dict):
            return Markup("")
        if "itemSchema" in value and "schema" not in value:
            return Markup("stream of {}").format(self.type_of(value["itemSchema"]))
        return self.type_of(value.get("schema"))

    def body(self, raw: Any) -> dict[str, Any] | None:
        body = self.deref(raw)
        if not isinstance(body, dict):
            return None
        return {
            "required": body.get("required") is True,
            "description": markdown(body.get("description")),
            "content": self.content(body.get("content")),
        }

    def responses(self, raw: Any) -> list[dict[str, Any]]:
        if not isinstance(raw, dict):
            return []
        rows = []
        for status, value in raw.items():
            response = self.deref(value)
            if not isinstance(response, dict):
                continue
            headers = response.get("headers")
            rows.append(
                {
                    "status": str(status),
                    "description": markdown(response.get("description")),
                    "content": self.content(response.get("content")),
                    "headers": [
                        {"name": name, "type": self.type_of(self.deref(h).get("schema"))}
                        for name, h in (headers.items() if isinstance(headers, dict) else ())
                        if isinstance(self.deref(h), dict)
                    ],
                }
            )
        return rows

    def schemes(self) -> list[dict[str, Any]]:
        raw = self.components.get("securitySchemes")
        rows = []
        for name, value in raw.items() if isinstance(raw, dict) else ():
            scheme = self.deref(value)
            if not isinstance(scheme, dict):
                continue
            kind = str(scheme.get("type", ""))
            scopes: list[tuple[str, str]] = []
            details = ""
            if kind == "apiKey":
                details = f"{scheme.get('name', '')} in {scheme.get('in', '')}"
            elif kind == "http":
                details = f"HTTP {scheme.get('scheme', '')}" + (
                    f" ({scheme['bearerFormat']})" if scheme.get("bearerFormat") else ""
                )
            elif kind == "openIdConnect":
                details = str(scheme.get("openIdConnectUrl", ""))
            elif kind == "oauth2" and isinstance(scheme.get("flows"), dict):
                flows = []
                for flow_name, flow in scheme["flows"].items():
                    if not isinstance(flow, dict):
                        continue
                    keys = ("authorizationUrl", "deviceAuthorizationUrl", "tokenUrl")
                    urls = [str(flow[k]) for k in keys if flow.get(k)]
                    flows.append(f"{flow_name} ({', '.join(urls)})" if urls else str(flow_name))
                    if isinstance(flow.get("scopes"), dict):
                        scopes.extend((str(k), str(v)) for k, v in flow["scopes"].items())
                details = "flows: " + ", ".join(flows)
            rows.append(
                {
                    "name": name,
                    "anchor": "security-" + re.sub(r"[^A-Za-z0-9_.-]+", "-", str(name)),
                    "type": kind,
                    "details": details,
                    "description": markdown(scheme.get("description")),
                    "scopes": list(dict.fromkeys(scopes)),
                }
            )
        return rows

    def schemas(self) -> list[dict[str, Any]]:
        raw = self.components.get("schemas")
        rows = []
        for name in self.schema_names:
            schema = raw[name] if isinstance(raw, dict) else None
            if not isinstance(schema, dict):
                schema = {}
            properties = schema.get("properties")
            listed = schema.get("required")
            required: list[Any] = listed if isinstance(listed, list) else []
            rows.append(
                {
                    "name": name,
                    "anchor": self.schema_anchors[name],
                    "type": self.type_of({k: v for k, v in schema.items() if k != "properties"})
                    if "$ref" not in schema
                    else self.type_of(schema),
                    "description": markdown(schema.get("description")),
                    "properties": [
                        {
                            "name": prop,
                            "required": prop in required,
                            "type": self.type_of(value),
                            "description": markdown(
                                value.get("description") if isinstance(value, dict) else None
                            ),
                        }
                        for prop, value in (
                            properties.items() if isinstance(properties, dict) else ()
                        )
                    ],
                }
            )
        return rows

    def render(self) -> str:
        info = self.doc.get("info") if isinstance(self.doc.get("info"), dict) else {}
        assert isinstance(info, dict)
        tags = self.doc.get("tags")
        declared = {
            t["name"]: t
            for t in (tags if isinstance(tags, list) else [])
            if isinstance(t, dict) and "name" in t
        }
        grouped: dict[str, list[dict[str, Any]]] = {str(name): [] for name in declared}
        kinds = {
            str(name): (
                t.get("parent") if isinstance(t.get("parent"), str) else None,
                t.get("kind") if isinstance(t.get("kind"), str) else None,
            )
            for name, t in declared.items()
        }
        for url, method, op, item in self.operations():
            op_tags = op.get("tags")
            tag = service_tag(op_tags, kinds) if op_tags else "Other operations"
            grouped.setdefault(tag, []).append(self.operation(url, method, op, item))
        groups = [
            {
                "name": _tag_path(name, kinds),
                "anchor": _anchor("tag", name, self.taken),
                "description": markdown(declared.get(name, {}).get("description")),
                "operations": ops,
            }
            for name, ops in grouped.items()
            if ops
        ]
        servers = self.doc.get("servers")
        title = f"{info.get('title', 'API')} {info.get('version', '')} — API reference"
        return render_page(
            "reference.html.jinja",
            title=title.strip(),
            info={
                "title": str(info.get("title", "API")),
                "version": str(info.get("version", "")),
                "summary": str(info.get("summary", "") or ""),
                "description": markdown(info.get("description")),
            },
            openapi=str(self.doc.get("openapi", "")),
            count=sum(len(g["operations"]) for g in groups),
            servers=[
                {
                    "url": str(s.get("url", "")),
                    "description": str(s.get("description", "") or ""),
                }
                for s in (servers if isinstance(servers, list) else [])
                if isinstance(s, dict)
            ],
            schemes=self.schemes(),
            groups=groups,
            schemas=self.schemas(),
        )


def _tag_path(name: str, tags: Mapping[str, tuple[str | None, str | None]]) -> str:
    """``pets / search`` for a tag nested under another (OpenAPI 3.2 ``parent``)."""
    path = [name]
    parent = tags.get(name, (None, None))[0]
    while parent is not None and parent not in path and len(path) < 16:
        path.insert(0, parent)
        parent = tags.get(parent, (None, None))[0]
    return " / ".join(path)


def render_reference_html(spec: SourceSpec) -> str:
    """The spec as one static, offline HTML page: every operation, grouped by tag, and schemas."""
    return _Reference(spec).render()
