"""Security: the schemes a document declares and the requirements each operation names.

HTTP basic and bearer, API keys (header, query, cookie), OAuth 2 (its flows' URLs and
scopes) and OpenID Connect become :class:`~specfirst.ir.SecurityScheme` objects; any other
HTTP scheme is read as a bearer-style token, and other types are reported and not enforced.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from specfirst import naming
from specfirst.diagnostics import Level
from specfirst.ir import SchemeKind, SchemeUse, SecurityRequirement, SecurityScheme
from specfirst.loader import Pointer
from specfirst.parser.context import Context


def read_schemes(ctx: Context) -> dict[str, SecurityScheme]:
    """The security schemes of the document, by key (those it cannot enforce left out)."""
    raw = (ctx.doc.get("components") or {}).get("securitySchemes") or {}
    result: dict[str, SecurityScheme] = {}
    taken: set[str] = set()
    for key, value in raw.items():
        scheme, sptr = ctx.deref(value, ("components", "securitySchemes", key))
        if not isinstance(scheme, Mapping):
            continue
        kind_raw = str(scheme.get("type"))
        py_name = naming.unique(naming.snake(key), taken)
        description = (
            scheme.get("description") if isinstance(scheme.get("description"), str) else None
        )
        if kind_raw == "http":
            http = str(scheme.get("scheme", "")).lower()
            if http == "basic":
                result[key] = SecurityScheme(
                    key, py_name, SchemeKind.HTTP_BASIC, scheme="Basic", description=description
                )
            else:
                if http != "bearer":
                    ctx.warn(
                        "unsupported",
                        f"HTTP auth scheme {http!r} is treated as a bearer-style token",
                        sptr,
                        Level.INFO,
                    )
                result[key] = SecurityScheme(
                    key,
                    py_name,
                    SchemeKind.HTTP_BEARER,
                    scheme=str(scheme.get("scheme") or "Bearer").capitalize(),
                    bearer_format=scheme.get("bearerFormat")
                    if isinstance(scheme.get("bearerFormat"), str)
                    else None,
                    description=description,
                )
        elif kind_raw == "apiKey":
            where = str(scheme.get("in", "header"))
            if where not in ("header", "query", "cookie"):
                ctx.warn("unsupported", f"API key location {where!r}", sptr)
                continue
            result[key] = SecurityScheme(
                key,
                py_name,
                SchemeKind.API_KEY,
                param_name=str(scheme.get("name", "")),
                location=where,
                description=description,
            )
        elif kind_raw == "oauth2":
            flows = scheme.get("flows") or {}
            scopes: list[str] = []
            token_url = auth_url = device_url = None
            flows = flows if isinstance(flows, Mapping) else {}
            for flow in flows.values():
                if isinstance(flow, Mapping):
                    scopes.extend(s for s in (flow.get("scopes") or {}) if s not in scopes)
                    token_url = token_url or flow.get("tokenUrl")
                    auth_url = auth_url or flow.get("authorizationUrl")
                    device_url = device_url or flow.get("deviceAuthorizationUrl")
            result[key] = SecurityScheme(
                key,
                py_name,
                SchemeKind.OAUTH2,
                token_url=token_url,
                authorization_url=auth_url,
                device_authorization_url=device_url,
                flows=tuple(str(name) for name in flows),
                scopes=tuple(scopes),
                description=description,
            )
        elif kind_raw == "openIdConnect":
            result[key] = SecurityScheme(key, py_name, SchemeKind.OPENID, description=description)
        else:
            ctx.warn(
                "unsupported",
                f"security scheme type {kind_raw!r} ({key}) is not enforced",
                sptr,
            )
    return result


def read_requirements(
    ctx: Context, op: Mapping[str, Any], schemes: Mapping[str, SecurityScheme], ptr: Pointer
) -> tuple[SecurityRequirement, ...]:
    """The security requirements of an operation (the document's when it has none).

    A requirement naming an unknown scheme is dropped; only ``{}`` means anonymous access."""
    raw = op.get("security", ctx.doc.get("security"))
    if not isinstance(raw, list):
        return ()
    requirements: list[SecurityRequirement] = []
    for index, req in enumerate(raw):
        if not isinstance(req, Mapping):
            continue
        uses: list[SchemeUse] = []
        known = True
        for key, scopes in req.items():
            if key not in schemes:
                ctx.warn(
                    "unsupported",
                    f"security requirement names unknown scheme {key!r}",
                    (*ptr, "security", index),
                )
                known = False
                break
            uses.append(SchemeUse(key, tuple(str(s) for s in (scopes or []))))
        if known:
            requirements.append(SecurityRequirement(tuple(uses)))
    if requirements and all(not r.uses for r in requirements):
        return ()  # only `{}`: anonymous access
    return tuple(requirements)
