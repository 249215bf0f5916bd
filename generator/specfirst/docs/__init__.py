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
from functools import lru_cache
from typing import Any

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup, escape

from specfirst.loader import SourceSpec, path_item_operations, ref_pointer
from specfirst.parser import service_tag

__all__ = ["render_diff_html", "render_reference_html"]

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)

# --------------------------------------------------------------------------- shared pieces

_CSS = """
:root { color-scheme: light dark; --fg: #1d2330; --muted: #5d6778; --bg: #fff; --panel: #f5f7fa;
  --line: #dde2ea; --accent: #2155c4; --get: #1f7a44; --post: #2155c4; --put: #8a5a00;
  --patch: #7a3fb0; --delete: #b3261e; --other: #5d6778; --breaking: #b3261e;
  --possibly: #8a5a00; --info: #2155c4; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e9ef; --muted: #a3acbb; --bg: #14171c;
  --panel: #1d2128; --line: #2f3540; --accent: #8fb0ff; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif;
  color: var(--fg); background: var(--bg); }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  font-size: 0.92em; }
a { color: var(--accent); }
.layout { display: grid; grid-template-columns: 19rem 1fr; min-height: 100vh; }
nav.toc { position: sticky; top: 0; height: 100vh; overflow: auto; padding: 1rem;
  border-right: 1px solid var(--line); background: var(--panel); font-size: 0.88em; }
nav.toc ul { list-style: none; padding-left: 0.4rem; margin: 0.2rem 0 0.8rem; }
nav.toc li { margin: 0.1rem 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
nav.toc a { text-decoration: none; color: var(--fg); }
nav.toc h2 { font-size: 0.8em; text-transform: uppercase; letter-spacing: 0.06em;
  color: var(--muted); margin: 1rem 0 0.2rem; }
main { padding: 1.5rem 2.5rem 4rem; max-width: 72rem; }
h1 { margin: 0 0 0.3rem; } h2 { border-bottom: 1px solid var(--line); padding-bottom: 0.3rem;
  margin-top: 2.5rem; }
.meta { color: var(--muted); }
.operation { border: 1px solid var(--line); border-radius: 8px; padding: 0.8rem 1.1rem;
  margin: 1.2rem 0; }
.operation h3 { margin: 0; font-size: 1.05em; display: flex; gap: 0.6rem; align-items: baseline;
  flex-wrap: wrap; }
.method { display: inline-block; min-width: 4.2rem; text-align: center; border-radius: 4px;
  padding: 0 0.4rem; color: #fff; font-weight: 600; font-size: 0.8em; text-transform: uppercase;
  background: var(--other); }
.method.get { background: var(--get); } .method.post { background: var(--post); }
.method.put { background: var(--put); } .method.patch { background: var(--patch); }
.method.delete { background: var(--delete); }
.opid { color: var(--muted); font-size: 0.85em; }
.badge { display: inline-block; border-radius: 999px; padding: 0 0.55rem; font-size: 0.78em;
  font-weight: 600; border: 1px solid currentColor; }
.deprecated { color: var(--delete); }
table { border-collapse: collapse; width: 100%; margin: 0.4rem 0 0.8rem; font-size: 0.92em; }
th, td { text-align: left; vertical-align: top; padding: 0.3rem 0.5rem;
  border-bottom: 1px solid var(--line); }
th { color: var(--muted); font-weight: 600; }
h4 { margin: 0.9rem 0 0.2rem; font-size: 0.95em; }
.required { color: var(--delete); font-size: 0.8em; }
.desc p:first-child { margin-top: 0; } .desc p:last-child { margin-bottom: 0; }
.schema { border: 1px solid var(--line); border-radius: 8px; padding: 0.6rem 1rem; margin: 1rem 0; }
.sev-breaking { color: var(--breaking); } .sev-possibly-breaking { color: var(--possibly); }
.sev-info { color: var(--info); }
.summary { display: flex; gap: 1rem; margin: 1rem 0; flex-wrap: wrap; }
.summary div { border: 1px solid var(--line); border-radius: 8px; padding: 0.5rem 1rem;
  background: var(--panel); }
.summary strong { font-size: 1.5em; display: block; }
.verdict { font-size: 1.1em; font-weight: 600; }
.single main { margin: 0 auto; }
@media (max-width: 60rem) { .layout { display: block; }
  nav.toc { position: static; height: auto; border-right: 0; } }
"""

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
<meta name="generator" content="specfirst">
<title>{{ title }}</title>
<style>{{ css }}</style>
</head>
"""

_REFERENCE = (
    _PAGE
    + """<body>
<div class="layout">
<nav class="toc" aria-label="Contents">
  <a href="#top"><strong>{{ info.title }}</strong></a>
  {% if schemes %}<h2><a href="#authentication">Authentication</a></h2>{% endif %}
  {% for group in groups %}
  <h2><a href="#{{ group.anchor }}">{{ group.name }}</a></h2>
  <ul>
    {% for op in group.operations %}
    <li><a href="#{{ op.anchor }}"><span class="method {{ op.method }}">{{ op.method }}</span>
      {{ op.path }}</a></li>
    {% endfor %}
  </ul>
  {% endfor %}
  {% if schemas %}<h2><a href="#schemas">Schemas</a></h2>
  <ul>{% for s in schemas %}<li><a href="#{{ s.anchor }}">{{ s.name }}</a></li>{% endfor %}</ul>
  {% endif %}
</nav>
<main id="top">
<header>
  <h1>{{ info.title }}</h1>
  <p class="meta">Version <span class="mono">{{ info.version }}</span> · OpenAPI
    {{ openapi }} · {{ count }} operation{{ "" if count == 1 else "s" }}</p>
  {% if info.summary %}<p>{{ info.summary }}</p>{% endif %}
  {% if info.description %}<div class="desc">{{ info.description }}</div>{% endif %}
  {% if servers %}<h4>Servers</h4>
  <ul>{% for s in servers %}<li><code>{{ s.url }}</code>{% if s.description %} —
    {{ s.description }}{% endif %}</li>{% endfor %}</ul>{% endif %}
</header>
{% if schemes %}
<section id="authentication">
<h2>Authentication</h2>
<table>
<thead><tr><th>Scheme</th><th>Type</th><th>Details</th></tr></thead>
<tbody>
{% for s in schemes %}
<tr id="{{ s.anchor }}"><td><code>{{ s.name }}</code></td><td>{{ s.type }}</td>
<td>{{ s.details }}{% if s.description %}<div class="desc">{{ s.description }}</div>{% endif %}
{% if s.scopes %}<table><tbody>{% for name, text in s.scopes %}<tr><td><code>{{ name }}</code></td>
<td>{{ text }}</td></tr>{% endfor %}</tbody></table>{% endif %}</td></tr>
{% endfor %}
</tbody>
</table>
</section>
{% endif %}
{% for group in groups %}
<section id="{{ group.anchor }}">
<h2>{{ group.name }}</h2>
{% if group.description %}<div class="desc">{{ group.description }}</div>{% endif %}
{% for op in group.operations %}
<article class="operation" id="{{ op.anchor }}" data-operation-id="{{ op.id }}">
  <h3><span class="method {{ op.method }}">{{ op.method }}</span> <code>{{ op.path }}</code>
    {% if op.deprecated %}<span class="badge deprecated">deprecated</span>{% endif %}</h3>
  <p class="opid">operationId <code>{{ op.id }}</code>{% if op.summary %} · <strong>{{ op.summary }}
    </strong>{% endif %}</p>
  {% if op.description %}<div class="desc">{{ op.description }}</div>{% endif %}
  <h4>Security</h4>
  <p>{{ op.security }}</p>
  {% if op.parameters %}
  <h4>Parameters</h4>
  <table>
  <thead><tr><th>Name</th><th>In</th><th>Type</th><th>Description</th></tr></thead>
  <tbody>
  {% for p in op.parameters %}
  <tr><td><code>{{ p.name }}</code>{% if p.required %} <span class="required">required</span>
  {% endif %}{% if p.deprecated %} <span class="badge deprecated">deprecated</span>{% endif %}</td>
  <td>{{ p.location }}</td><td>{{ p.type }}</td><td class="desc">{{ p.description }}</td></tr>
  {% endfor %}
  </tbody>
  </table>
  {% endif %}
  {% if op.body %}
  <h4>Request body{% if op.body.required %} <span class="required">required</span>{% endif %}</h4>
  {% if op.body.description %}<div class="desc">{{ op.body.description }}</div>{% endif %}
  <table>
  <thead><tr><th>Media type</th><th>Schema</th></tr></thead>
  <tbody>{% for m in op.body.content %}<tr><td><code>{{ m.media }}</code></td><td>{{ m.schema }}
  </td></tr>{% endfor %}</tbody>
  </table>
  {% endif %}
  <h4>Responses</h4>
  <table>
  <thead><tr><th>Status</th><th>Description</th><th>Body</th><th>Headers</th></tr></thead>
  <tbody>
  {% for r in op.responses %}
  <tr><td><code>{{ r.status }}</code></td><td class="desc">{{ r.description }}</td>
  <td>{% for m in r.content %}<div><code>{{ m.media }}</code> {{ m.schema }}</div>{% endfor %}</td>
  <td>{% for h in r.headers %}<div><code>{{ h.name }}</code> {{ h.type }}</div>{% endfor %}</td></tr>
  {% endfor %}
  </tbody>
  </table>
</article>
{% endfor %}
</section>
{% endfor %}
{% if schemas %}
<section id="schemas">
<h2>Schemas</h2>
{% for s in schemas %}
<div class="schema" id="{{ s.anchor }}">
  <h3><code>{{ s.name }}</code> <span class="meta">{{ s.type }}</span></h3>
  {% if s.description %}<div class="desc">{{ s.description }}</div>{% endif %}
  {% if s.properties %}
  <table>
  <thead><tr><th>Property</th><th>Type</th><th>Description</th></tr></thead>
  <tbody>
  {% for p in s.properties %}
  <tr><td><code>{{ p.name }}</code>{% if p.required %} <span class="required">required</span>
  {% endif %}</td><td>{{ p.type }}</td><td class="desc">{{ p.description }}</td></tr>
  {% endfor %}
  </tbody>
  </table>
  {% endif %}
</div>
{% endfor %}
</section>
{% endif %}
</main>
</div>
</body>
</html>
"""
)

_DIFF = (
    _PAGE
    + """<body class="single">
<main>
<h1>API changes</h1>
<p class="meta"><span class="mono">{{ base }}</span> → <span class="mono">{{ head }}</span></p>
<p class="verdict {{ 'sev-breaking' if breaking else '' }}">{{ verdict }}</p>
<div class="summary">
  {% for key, label in severities %}
  <div class="sev-{{ key }}"><strong>{{ counts[key] }}</strong>{{ label }}</div>
  {% endfor %}
</div>
{% for key, label in severities %}
{% if groups[key] %}
<section id="{{ key }}">
<h2 class="sev-{{ key }}">{{ label }} ({{ groups[key]|length }})</h2>
<table>
<thead><tr><th>Change</th><th>Operation</th><th>What changed</th><th>Base</th><th>Head</th></tr>
</thead>
<tbody>
{% for f in groups[key] %}
<tr class="finding" data-finding-id="{{ f.id }}"><td><code>{{ f.id }}</code></td>
<td>{% if f.operation %}<code>{{ f.operation }}</code>{% endif %}
{% set ops = f.get("operations") or [] %}{% if ops|length > 1 %}<details><summary>all {{ ops|length }} operations</summary><ul>
{% for o in ops %}<li><code>{{ o.operation }}</code>{% for p in o.paths %} → <code>{{ p }}</code>{% endfor %}</li>
{% endfor %}</ul></details>{% endif %}</td><td>{{ f.message }}</td>
<td class="mono">{{ f.base or "" }}</td><td class="mono">{{ f.head or "" }}</td></tr>
{% endfor %}
</tbody>
</table>
</section>
{% endif %}
{% endfor %}
{% if not findings %}<p>No changes that affect clients.</p>{% endif %}
</main>
</body>
</html>
"""
)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@lru_cache(maxsize=1)
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")  # an image would be fetched from wherever the spec says
    return md


def markdown(text: object) -> Markup:
    """CommonMark from the spec as safe HTML: raw HTML escaped, no images, no script URLs."""
    if not isinstance(text, str) or not text.strip():
        return Markup("")
    return Markup(_markdown().render(text))


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

    def type_of(self, schema: Any, depth: int = 0) -> Markup:
        """A one-line summary of a schema: ``array of Task``, ``string (uuid), ≤ 200``."""
        if depth > 4:
            return Markup("…")
        if isinstance(schema, bool):
            return Markup("any") if schema else Markup("nothing")
        if not isinstance(schema, dict):
            return Markup("any")
        ref = schema.get("$ref")
        if isinstance(ref, str):
            pointer = ref_pointer(ref)
            if len(pointer) == 3 and pointer[:2] == ("components", "schemas"):
                name = str(pointer[2])
                anchor = self.schema_anchors.get(name)
                if anchor:
                    return Markup('<a href="#{}"><code>{}</code></a>').format(anchor, name)
            return Markup("<code>{}</code>").format(ref)
        for key, joiner in (("oneOf", " | "), ("anyOf", " | "), ("allOf", " & ")):
            parts = schema.get(key)
            if isinstance(parts, list) and parts:
                inner = Markup(joiner).join(self.type_of(p, depth + 1) for p in parts)
                return inner if len(parts) == 1 else Markup("({})").format(inner)
        if "const" in schema:
            return Markup("<code>{}</code>").format(_literal(schema["const"]))
        types = schema.get("type")
        names = (
            [str(t) for t in types] if isinstance(types, list) else [str(types)] if types else []
        )
        if not names:
            names = ["object"] if "properties" in schema else ["array"] if "items" in schema else []
        pieces: list[Markup] = []
        for name in names:
            if name == "array":
                pieces.append(
                    Markup("array of {}").format(self.type_of(schema.get("items"), depth + 1))
                )
            elif name != "null":
                pieces.append(Markup(escape(name)))
        if not pieces:
            pieces.append(Markup("null") if names else Markup("any"))
        text = Markup(" | ").join(pieces)
        details = []
        if isinstance(schema.get("format"), str):
            details.append(schema["format"])
        enum = schema.get("enum")
        if isinstance(enum, list):
            details.append(
                "one of "
                + ", ".join(_literal(v) for v in enum[:12])
                + (", …" if len(enum) > 12 else "")
            )
        for key, sign in (
            ("minimum", "≥"),
            ("maximum", "≤"),
            ("exclusiveMinimum", ">"),
            ("exclusiveMaximum", "<"),
            ("minLength", "length ≥"),
            ("maxLength", "length ≤"),
            ("minItems", "items ≥"),
            ("maxItems", "items ≤"),
            ("pattern", "pattern"),
        ):
            value = schema.get(key)
            if value is not None and not isinstance(value, bool | dict | list):
                details.append(f"{sign} {value}")
        if details:
            text = Markup('{} <span class="meta">({})</span>').format(text, "; ".join(details))
        if "null" in names or schema.get("nullable") is True:
            text = Markup("{} | null").format(text)
        return text

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
        return (
            _environment()
            .from_string(_REFERENCE)
            .render(
                title=title.strip(),
                csp=CSP,
                css=Markup(_CSS),
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
        )


def _tag_path(name: str, tags: Mapping[str, tuple[str | None, str | None]]) -> str:
    """``pets / search`` for a tag nested under another (OpenAPI 3.2 ``parent``)."""
    path = [name]
    parent = tags.get(name, (None, None))[0]
    while parent is not None and parent not in path and len(path) < 16:
        path.insert(0, parent)
        parent = tags.get(parent, (None, None))[0]
    return " / ".join(path)


def _literal(value: object) -> str:
    import json

    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(value)


def render_reference_html(spec: SourceSpec) -> str:
    """The spec as one static, offline HTML page: every operation, grouped by tag, and schemas."""
    return _Reference(spec).render()


# --------------------------------------------------------------------------- the diff page

_SEVERITIES = (
    ("breaking", "Breaking"),
    ("possibly-breaking", "Possibly breaking"),
    ("info", "Other changes"),
)


def _label(side: object) -> str:
    if isinstance(side, Mapping):
        label = str(side.get("label", ""))
        version = side.get("version")
        return f"{label} (version {version})" if version else label
    return str(side or "")


def render_diff_html(report_json: Mapping[str, Any]) -> str:
    """A reviewer's page for a breaking-change report (the shape of ``DiffReport.to_json()``)."""
    findings = [f for f in report_json.get("findings", []) if isinstance(f, Mapping)]
    groups: dict[str, list[Mapping[str, Any]]] = {key: [] for key, _ in _SEVERITIES}
    for finding in findings:
        groups.setdefault(str(finding.get("severity", "info")), []).append(finding)
    summary = report_json.get("summary")
    summary = summary if isinstance(summary, Mapping) else {}
    counts = {key: int(summary.get(key, len(groups[key]))) for key, _ in _SEVERITIES}
    breaking = counts["breaking"] > 0
    if breaking and summary.get("major_version_bumped"):
        verdict = "Breaking changes, allowed: the major version was bumped."
    elif breaking:
        verdict = "Breaking changes: existing clients may fail."
    elif counts["possibly-breaking"]:
        verdict = "No breaking changes, but some may break clients: review them."
    else:
        verdict = "No breaking changes."
    base, head = _label(report_json.get("base")), _label(report_json.get("head"))
    return (
        _environment()
        .from_string(_DIFF)
        .render(
            title=f"API changes: {base} → {head}",
            csp=CSP,
            css=Markup(_CSS),
            base=base,
            head=head,
            verdict=verdict,
            breaking=breaking,
            severities=_SEVERITIES,
            counts=counts,
            groups=groups,
            findings=findings,
        )
    )
