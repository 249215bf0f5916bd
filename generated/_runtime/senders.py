# Vendored from the specfirst 0.1.0 runtime by `specfirst generate`. DO NOT EDIT.
# Upgrade specfirst and regenerate to update it.
"""Sending the requests an API makes itself: its webhooks and its operations' callbacks.

A generated sender (``webhooks.send_new_pet``, ``callbacks.send_subscribe_on_event``) passes
the spec's facts about one outgoing operation to :func:`send`: the payload type and media type,
the declared header, query and cookie parameters, and the security requirements with the
schemes of the generated ``security`` module. :func:`send` serializes the payload once, checks
the bytes against the payload type (what the receiver will validate), adds the parameters and
the credentials of the first requirement the caller supplied credentials for, and sends it.

httpx is imported when a request is sent, so a package whose spec has no webhooks or callbacks
does not need it. :func:`expand` evaluates a callback URL's runtime expressions
(``{$request.body#/url}``).
"""

from __future__ import annotations

import base64
import json
import re
import urllib.parse
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from .codec import _validate_json, dump_json
from .headers import header_value
from .security import Scheme, SchemeKind

if TYPE_CHECKING:
    import httpx

Credential = str | tuple[str, str]


class PayloadError(ValueError):
    """The payload does not satisfy the schema the spec declares for it."""

    def __init__(self, operation: str, detail: str, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{operation}: invalid payload: {detail}")
        self.operation = operation
        self.errors = errors


class CredentialsError(ValueError):
    """No security requirement of the operation can be met with the credentials given."""


async def send(
    operation: str,
    method: str,
    url: str,
    payload_type: Any,
    payload: Any,
    *,
    media_type: str | None,
    params: Iterable[tuple[str, str, Any]] = (),
    security: tuple[tuple[Scheme, ...], ...] = (),
    credentials: Mapping[str, Credential | None] | None = None,
    client: httpx.AsyncClient | None = None,
    timeout: float = 10.0,
) -> httpx.Response:
    """Build, check and send one outgoing request.

    ``params`` are ``(location, name, value)`` with ``location`` one of header, query and
    cookie; ``None`` values are left out. ``security`` lists the alternatives (an empty one:
    anonymous access allowed); ``credentials`` maps scheme keys to a token, an API key or a
    (username, password) pair.
    """
    content = _content(operation, payload_type, payload, media_type)
    headers: dict[str, str] = {}
    query: list[tuple[str, str]] = []
    cookies: dict[str, str] = {}
    if content is not None and media_type is not None:
        headers["content-type"] = media_type
    for location, name, value in params:
        if value is None:
            continue
        if location == "header":
            headers[name] = header_value(value)
        elif location == "query":
            values = value if isinstance(value, list | tuple) else [value]
            query.extend((name, header_value(v)) for v in values)
        else:
            cookies[name] = header_value(value)
    _authenticate(operation, security, credentials or {}, headers, query, cookies)
    if cookies:
        headers["cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if query:
        separator = "&" if urllib.parse.urlsplit(url).query else "?"
        url = f"{url}{separator}{urllib.parse.urlencode(query)}"
    return await _request(method, url, content, headers, client, timeout)


async def _request(
    method: str,
    url: str,
    content: bytes | None,
    headers: dict[str, str],
    client: httpx.AsyncClient | None,
    timeout: float,
) -> httpx.Response:
    if client is not None:
        return await client.request(method, url, content=content, headers=headers, timeout=timeout)
    try:
        import httpx
    except ImportError:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            "sending webhooks and callbacks needs httpx: pip install 'httpx>=0.28'"
        ) from None
    async with httpx.AsyncClient(timeout=timeout) as own:
        return await own.request(method, url, content=content, headers=headers)


def _content(
    operation: str, payload_type: Any, payload: Any, media_type: str | None
) -> bytes | None:
    if payload is None:
        return None
    if isinstance(payload, bytes):
        return payload
    if isinstance(payload, str) and payload_type is str:
        return payload.encode("utf-8")
    raw = dump_json(payload_type, payload, warnings=False)
    try:
        _validate_json(payload_type, raw)
    except ValidationError as exc:
        errors = [
            {
                "pointer": "/" + "/".join(str(p) for p in e["loc"]),
                "detail": e["msg"],
            }
            for e in exc.errors(include_url=False)
        ]
        detail = "; ".join(f"{e['pointer']}: {e['detail']}" for e in errors[:5])
        raise PayloadError(operation, detail, errors) from None
    return raw


def _authenticate(
    operation: str,
    security: tuple[tuple[Scheme, ...], ...],
    credentials: Mapping[str, Credential | None],
    headers: dict[str, str],
    query: list[tuple[str, str]],
    cookies: dict[str, str],
) -> None:
    if not security:
        return
    for requirement in security:
        given = [(s, credentials.get(s.key)) for s in requirement]
        if all(credential is not None for _, credential in given):
            for scheme, credential in given:
                if credential is not None:
                    _apply(scheme, credential, headers, query, cookies)
            return
    wanted = " or ".join(" and ".join(s.key for s in r) or "none" for r in security)
    raise CredentialsError(f"{operation}: credentials needed for {wanted}")


def _apply(
    scheme: Scheme,
    credential: Credential,
    headers: dict[str, str],
    query: list[tuple[str, str]],
    cookies: dict[str, str],
) -> None:
    if scheme.kind is SchemeKind.HTTP_BASIC:
        if not isinstance(credential, tuple):
            raise CredentialsError(f"{scheme.key}: HTTP basic needs a (username, password) pair")
        token = base64.b64encode(":".join(credential).encode("utf-8")).decode("ascii")
        headers["authorization"] = f"Basic {token}"
        return
    if not isinstance(credential, str):
        raise CredentialsError(f"{scheme.key}: expected a string credential")
    if scheme.kind is SchemeKind.API_KEY:
        if scheme.location == "header":
            headers[scheme.param_name] = credential
        elif scheme.location == "query":
            query.append((scheme.param_name, credential))
        else:
            cookies[scheme.param_name] = credential
        return
    prefix = scheme.auth_scheme if scheme.kind is SchemeKind.HTTP_BEARER else "Bearer"
    headers["authorization"] = f"{prefix} {credential}"


_EXPRESSION = re.compile(r"\{(\$[^{}]+)\}")


def expand(template: str, values: Mapping[str, Any]) -> str:
    """A callback URL: ``template``'s runtime expressions replaced by ``values``.

    ``values`` maps an expression's source (``$request.body``, ``$request.query.url``,
    ``$url``…) to its value; a body reference with a JSON pointer (``$request.body#/a/b``)
    reads into the body (a model is read as its JSON document).
    """

    def replace(match: re.Match[str]) -> str:
        source, _, pointer = match.group(1).partition("#")
        if source not in values:
            raise KeyError(f"no value for {match.group(1)!r} in callback URL {template!r}")
        value = values[source]
        if pointer:
            value = _resolve(value, pointer, match.group(1))
        if isinstance(value, bool | int | float | str) or value is None:
            return value if isinstance(value, str) else json.dumps(value)
        raise ValueError(f"{match.group(1)!r} is not a scalar in callback URL {template!r}")

    return _EXPRESSION.sub(replace, template)


def _resolve(document: Any, pointer: str, expression: str) -> Any:
    if isinstance(document, BaseModel):
        document = document.model_dump(mode="json", by_alias=True)
    node = document
    for raw in pointer.lstrip("/").split("/") if pointer.strip("/") else []:
        key = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            raise KeyError(f"{expression!r}: nothing at {pointer!r}")
    return node
