"""The hook API: what a project's ``tests/contract.py`` imports, and how its hooks are called.

An *auth hook* receives an :class:`AuthContext` (a ``requests`` session aimed at the service,
or at the app in-process) and returns the headers of a valid credential; :func:`bearer`,
:func:`api_key`, :func:`password_token` and :func:`dev_credentials` (the scaffolded security
handler's development credential, for every scheme) build them. A *setup hook* creates test data with
the run's credentials and returns a :class:`SeedData`. :func:`load_object` finds a hook (or
the app) by ``module:attribute``; :func:`call_auth_hook` and :func:`call_setup_hook` call one
and check what it returns. A hook raises :class:`ContractError` when it cannot do its job.

This module does not import schemathesis (nor ``requests``, but for type checking).
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import requests


Headers = Mapping[str, str]
AuthHook = Callable[..., Headers]


class ContractError(Exception):
    """The contract run could not start (bad spec path, unreachable server, broken hook)."""


@dataclass(frozen=True)
class AuthContext:
    """What an auth hook may use to obtain credentials.

    ``session`` is a ``requests.Session`` that reaches the service under test: over the
    network for ``--url``, in-process for ``--app``. ``base_url`` is the API's base URL (it
    includes the spec's server path, e.g. ``http://127.0.0.1:8000/v1``), ``spec`` the loaded
    document, for hooks that read e.g. the OAuth2 ``tokenUrl`` from it.
    """

    base_url: str
    session: requests.Session
    spec: Mapping[str, Any]
    headers: Mapping[str, str] = field(default_factory=dict)
    """The run's credentials (what the auth hook and ``--header`` give): set for setup hooks,
    and sent by :meth:`request` unless the call passes its own."""

    def url(self, path: str) -> str:
        """``path`` (relative to the API base, or an absolute path/URL from the spec) as a URL."""
        if path.startswith(("http://", "https://")):
            return path
        base = urlsplit(self.base_url)
        if path.startswith("/") and base.path and path.startswith(base.path.rstrip("/") + "/"):
            return f"{base.scheme}://{base.netloc}{path}"
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs["headers"] = {**self.headers, **(kwargs.get("headers") or {})}
        response = self.session.request(method, self.url(path), timeout=30, **kwargs)
        return response

    def api_key_names(self) -> list[tuple[str, str]]:
        """``(location, name)`` of every API key the spec declares (``header``/``query``/``cookie``)."""
        schemes = self.spec.get("components", {}).get("securitySchemes", {})
        return [
            (str(scheme.get("in")), str(scheme.get("name")))
            for scheme in schemes.values()
            if isinstance(scheme, Mapping) and scheme.get("type") == "apiKey"
        ]

    def oauth2_token_url(self) -> str | None:
        """The ``tokenUrl`` of the spec's first OAuth2 password flow, if any."""
        schemes = self.spec.get("components", {}).get("securitySchemes", {})
        for scheme in schemes.values():
            if isinstance(scheme, Mapping) and scheme.get("type") == "oauth2":
                password = scheme.get("flows", {}).get("password")
                if isinstance(password, Mapping) and isinstance(password.get("tokenUrl"), str):
                    return str(password["tokenUrl"])
        return None


def bearer(token: str) -> dict[str, str]:
    """``Authorization: Bearer <token>``."""
    return {"Authorization": f"Bearer {token}"}


def api_key(value: str, header: str = "X-API-Key") -> dict[str, str]:
    """An API key in a header."""
    return {header: value}


_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")


def dev_credentials(
    ctx: AuthContext, credential: str, *, username: str = "developer"
) -> dict[str, str]:
    """One development credential, sent the way each security scheme of the spec takes one.

    An API key goes under its name (the run sends a header key as a header, a query or cookie
    key in the query or a cookie, as the spec says); HTTP Basic sends ``username`` and the
    credential as its password; an HTTP bearer (or other HTTP scheme), OAuth2 or OpenID Connect
    scheme sends it as the token: ``Authorization: Bearer <credential>``. A request has one
    ``Authorization`` header: when several schemes want it (an API key named ``Authorization``
    takes the bare credential), the one the most operations use.
    The scaffolded ``security.py`` accepts exactly this credential for every scheme.
    """
    return credential_headers(ctx.spec, credential, username=username)


def credential_headers(
    spec: Mapping[str, Any], credential: str, *, username: str = "developer"
) -> dict[str, str]:
    """:func:`dev_credentials` for a loaded document: the headers (or, for an API key in the
    query or a cookie, the name) that carry ``credential`` for each of its schemes."""
    headers: dict[str, str] = {}
    authorization: list[tuple[int, int, str]] = []
    uses = _scheme_uses(spec)
    for order, (key, kind, value) in enumerate(_scheme_credentials(spec, credential, username)):
        if kind == "apiKey":
            headers[value] = credential
        else:
            authorization.append((-uses.get(key, 0), order, value))
    if authorization:
        headers["Authorization"] = min(authorization)[2]
    return headers


def dev_operation_credentials(
    ctx: AuthContext, credential: str, *, username: str = "developer"
) -> dict[str, dict[str, str]]:
    """operationId → the ``Authorization`` that :func:`dev_credentials`' credential takes for
    an operation the run's one ``Authorization`` cannot call: one secured only by schemes that
    want that header another way (velopayments' ``veloAuth`` takes HTTP Basic, every other
    operation an OAuth2 bearer token). An operation without an operationId is named by its
    label (``GET /auth``: obono's HTTP Basic sign-in beside an API key named
    ``Authorization``). For :attr:`SeedData.credentials`."""
    spec = ctx.spec
    sendable = _scheme_credentials(spec, credential, username)
    values = {key: value for key, kind, value in sendable if kind != "apiKey"}
    keys = {key for key, _, _ in sendable}
    sent = credential_headers(spec, credential, username=username).get("Authorization")
    found: dict[str, dict[str, str]] = {}
    for label, operation, requirements in _operations(spec):
        operation_id = operation.get("operationId")
        if not isinstance(operation_id, str):
            operation_id = label
        alternatives = [r for r in requirements if isinstance(r, Mapping)]
        if not alternatives or not all(alternatives):
            continue  # callable without credentials
        wanted: list[str] = []
        for requirement in alternatives:
            if not set(requirement) <= keys:
                continue  # a scheme no development credential is sent for
            authorization = {values[k] for k in requirement if k in values}
            if authorization <= {sent}:
                break  # the run's own headers satisfy this alternative
            if len(authorization) == 1:
                wanted.extend(authorization)
        else:
            if wanted:
                found[operation_id] = {"Authorization": wanted[0]}
    return found


def _scheme_credentials(
    spec: Mapping[str, Any], credential: str, username: str
) -> list[tuple[str, str, str]]:
    """(scheme name, ``"apiKey"`` or ``"authorization"``, the key's name or the
    ``Authorization`` value) for each scheme a development credential is sent for."""
    import base64

    schemes = spec.get("components", {}).get("securitySchemes", {})
    schemes = schemes if isinstance(schemes, Mapping) else {}
    out: list[tuple[str, str, str]] = []
    for key, scheme in schemes.items():
        if not isinstance(scheme, Mapping):
            continue
        kind = scheme.get("type")
        if kind == "apiKey" and isinstance(scheme.get("name"), str):
            if scheme.get("in") == "header" and scheme["name"].lower() == "authorization":
                # the one Authorization header, wanted another way by HTTP and OAuth2 schemes
                out.append((str(key), "authorization", credential))
            else:
                out.append((str(key), "apiKey", scheme["name"]))
            continue
        if kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
            token = base64.b64encode(f"{username}:{credential}".encode()).decode("ascii")
            value = f"Basic {token}"
        elif kind == "http":
            value = f"{str(scheme.get('scheme') or 'Bearer').capitalize()} {credential}"
        elif kind in ("oauth2", "openIdConnect"):
            value = f"Bearer {credential}"
        else:
            continue
        out.append((str(key), "authorization", value))
    return out


def _operations(spec: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any], list[Any]]]:
    """Each operation's label (``GET /things``), the operation and its security requirements
    (the document's default included)."""
    default = spec.get("security")
    paths = spec.get("paths")
    for path, item in paths.items() if isinstance(paths, Mapping) else ():
        if not isinstance(item, Mapping):
            continue
        for method in _METHODS:
            op = item.get(method)
            if isinstance(op, Mapping):
                requirements = op.get("security", default)
                label = f"{method.upper()} {path}"
                yield label, op, requirements if isinstance(requirements, list) else []


def _scheme_uses(spec: Mapping[str, Any]) -> dict[str, int]:
    """How many operations name each security scheme (the document's default included)."""
    counts: dict[str, int] = {}
    for _, _, requirements in _operations(spec):
        named = {str(key) for r in requirements if isinstance(r, Mapping) for key in r}
        for key in named:
            counts[key] = counts.get(key, 0) + 1
    return counts


def password_token(
    ctx: AuthContext,
    username: str,
    password: str,
    *,
    scope: str | Sequence[str] | None = None,
    token_url: str | None = None,
) -> dict[str, str]:
    """Bearer headers from an OAuth2 password grant (RFC 6749 §4.3) at the spec's ``tokenUrl``."""
    url = token_url or ctx.oauth2_token_url()
    if url is None:
        raise ContractError("the spec declares no OAuth2 password flow; pass token_url=")
    form = {"grant_type": "password", "username": username, "password": password}
    if scope:
        form["scope"] = scope if isinstance(scope, str) else " ".join(scope)
    response = ctx.request("POST", url, data=form)
    if response.status_code != 200:
        raise ContractError(
            f"token request to {ctx.url(url)} failed: {response.status_code} {response.text[:300]}"
        )
    return bearer(str(response.json()["access_token"]))


Value = str | int | float


@dataclass(frozen=True)
class SeedData:
    """Values of resources that exist on the server, for the run to use: what a *setup hook*
    returns after creating them, so that operations on them get past 404 (and their
    ``If-Match``, file and membership preconditions) to their success statuses.

    Keys are ``location.name`` (``path.projectId``, ``query.cursor``, ``header.If-Match``,
    ``body.email``): ``parameters`` apply to every operation with such a parameter,
    ``operations`` to one operationId only (a delete gets a resource of its own, so that it
    does not take the shared one away from the rest of the run). Each value is drawn with
    ``probability``; otherwise schemathesis generates one as usual, so the run still meets
    missing resources (404) and invalid values (422).
    """

    parameters: Mapping[str, Sequence[Value]] = field(default_factory=dict)
    operations: Mapping[str, Mapping[str, Sequence[Value]]] = field(default_factory=dict)
    probability: float = 0.5
    always: Sequence[str] = ()
    """operationIds whose seeded values (the first of each) are used for every request, in
    every phase: destructive operations, which must never pick a shared resource or the
    run's own account (schemathesis reuses ids it saw in responses)."""
    forbidden: Mapping[str, str] = field(default_factory=dict)
    """Headers of a valid credential that lacks permissions (a token with fewer scopes, a
    non-administrator's): after the run, each secured operation's first 2xx request is sent
    again with them instead of the run's credentials, and the answer (403, where declared)
    recorded in the coverage. Not a check: such a credential may be allowed some operations."""
    credentials: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """operationId (or, for an operation without one, its label: ``GET /auth``) → headers
    sent with that operation's requests on top of the run's (a header of the same name
    replaces the run's): e.g. an administrator's token for the admin-only operations, or a
    bearer token for the operations an API key cannot call. Their names are masked in
    reproductions."""

    def __post_init__(self) -> None:
        tables = [("parameters", self.parameters)]
        tables += [(f"operations[{op!r}]", table) for op, table in self.operations.items()]
        for where, table in tables:
            for key, values in table.items():
                location = key.partition(".")[0]
                if location not in ("path", "query", "header", "cookie", "body") or "." not in key:
                    raise ContractError(
                        f"seed data {where}: {key!r} must be location.name "
                        "(path, query, header, cookie or body)"
                    )
                if isinstance(values, str | bytes) or not values:
                    raise ContractError(f"seed data {where}[{key!r}]: a non-empty list of values")
        if not 0 < self.probability <= 1:
            raise ContractError("seed data: probability must be in (0, 1]")


SetupHook = Callable[["AuthContext"], SeedData]


def load_object(reference: str) -> Any:
    """``module:attribute`` (or ``module.attribute``) → the object. Imports from the cwd too."""
    module_name, sep, attribute = reference.partition(":")
    if not sep:
        module_name, _, attribute = reference.rpartition(".")
    if not module_name or not attribute:
        raise ContractError(f"{reference!r}: expected module:attribute")
    if os.getcwd() not in sys.path and "" not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ContractError(f"{reference!r}: cannot import {module_name}: {exc}") from exc
    target: Any = module
    for part in attribute.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise ContractError(
                f"{reference!r}: {module_name} has no attribute {attribute}"
            ) from None
    return target


def call_auth_hook(hook: AuthHook, ctx: AuthContext) -> dict[str, str]:
    """Call ``hook`` with the context when it takes an argument; check it returns headers."""
    takes_context = bool(inspect.signature(hook).parameters)
    try:
        headers = hook(ctx) if takes_context else hook()
    except ContractError:
        raise
    except Exception as exc:
        raise ContractError(
            f"auth hook {getattr(hook, '__qualname__', hook)!r} failed: {exc}"
        ) from exc
    if not isinstance(headers, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
    ):
        raise ContractError(
            f"auth hook {getattr(hook, '__qualname__', hook)!r} must return dict[str, str]"
        )
    return dict(headers)


def call_setup_hook(hook: SetupHook, ctx: AuthContext) -> SeedData:
    """Call the setup hook (it creates test data with ``ctx.request``) and check its result."""
    try:
        data = hook(ctx)
    except ContractError:
        raise
    except Exception as exc:
        raise ContractError(
            f"setup hook {getattr(hook, '__qualname__', hook)!r} failed: {exc}"
        ) from exc
    if not isinstance(data, SeedData):
        raise ContractError(
            f"setup hook {getattr(hook, '__qualname__', hook)!r} must return a SeedData"
        )
    return data
