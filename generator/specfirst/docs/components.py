"""The reference page's components: the security schemes table and the schema sections.

A scheme shows what a client sends (``apiKey`` name and place, HTTP scheme and bearer format,
OpenID Connect URL, OAuth 2 flows with their URLs) and the scopes of all its flows; a schema
shows its one-line type and a table of its own ``properties``.
"""

from __future__ import annotations

from typing import Any

from specfirst.docs.context import ReferenceContext, scheme_anchor
from specfirst.docs.page import markdown

__all__ = ["schemas", "schemes"]


def schemes(ctx: ReferenceContext) -> list[dict[str, Any]]:
    raw = ctx.components.get("securitySchemes")
    rows = []
    for name, value in raw.items() if isinstance(raw, dict) else ():
        scheme = ctx.deref(value)
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
                "anchor": scheme_anchor(name),
                "type": kind,
                "details": details,
                "description": markdown(scheme.get("description")),
                "scopes": list(dict.fromkeys(scopes)),
            }
        )
    return rows


def schemas(ctx: ReferenceContext) -> list[dict[str, Any]]:
    raw = ctx.components.get("schemas")
    rows = []
    for name in ctx.schema_names:
        schema = raw[name] if isinstance(raw, dict) else None
        if not isinstance(schema, dict):
            schema = {}
        properties = schema.get("properties")
        listed = schema.get("required")
        required: list[Any] = listed if isinstance(listed, list) else []
        rows.append(
            {
                "name": name,
                "anchor": ctx.schema_anchors[name],
                "type": ctx.type_of({k: v for k, v in schema.items() if k != "properties"})
                if "$ref" not in schema
                else ctx.type_of(schema),
                "description": markdown(schema.get("description")),
                "properties": [
                    {
                        "name": prop,
                        "required": prop in required,
                        "type": ctx.type_of(value),
                        "description": markdown(
                            value.get("description") if isinstance(value, dict) else None
                        ),
                    }
                    for prop, value in (properties.items() if isinstance(properties, dict) else ())
                ],
            }
        )
    return rows
