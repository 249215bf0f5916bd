"""The run's credentials: given to schemathesis, masked in reproductions, and taken away.

:func:`_auth_schemes` hands the API keys among the credential headers to schemathesis per
security scheme (bearer and Basic credentials stay headers); :func:`_mask_only_credentials`
masks the real credentials, and only them, in every reproduction. After the run,
:func:`_probe_without_credentials` sends each secured operation's first 2xx request again
without them (and with ``SeedData.forbidden``'s, when given) and reports a 2xx as
``ignored_auth``: schemathesis' own check skips a bearer token given as a header.

These functions work on schemathesis' loaded schema, but import nothing of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from specfirst.contract.hooks import AuthContext, _operations
from specfirst.contract.paths import loaded_operations
from specfirst.contract.results import ContractFailure, ContractProblem, ContractResult

if TYPE_CHECKING:
    import requests


def _auth_schemes(
    spec: Mapping[str, Any], headers: Mapping[str, str]
) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """The API keys among the credential headers as schemathesis' per-scheme auth
    (``[auth.openapi.<scheme>]``), and the headers left over. A key the spec takes in the
    query or a cookie is given under its name too (``{"api_key": value}``), and schemathesis
    sends it there.

    Sent as a plain header, an API key is not known to schemathesis as the run's credential: it
    keeps generating values for the operations' other security alternatives (an API-key run
    then also sends a made-up, or another user's, bearer token, and acts as that user). Per
    scheme it drops them, and ``ignored_auth`` can take the key away to see the 401. Bearer and
    Basic credentials stay headers: schemathesis cannot take an ``Authorization`` it was given
    per scheme away for an OAuth2 scheme, and would report every operation as ignoring auth.
    Where a requirement names one together with a key given per scheme, it is given per scheme
    too (:func:`_alongside_keys`), or schemathesis would not send the key.
    """
    schemes: dict[str, dict[str, str]] = {}
    consumed: set[str] = set()
    given = {name.lower(): (name, value) for name, value in headers.items()}
    definitions = spec.get("components", {}).get("securitySchemes", {})
    definitions = definitions if isinstance(definitions, Mapping) else {}
    if any(
        isinstance(scheme, Mapping) and scheme.get("type") in ("http", "oauth2", "openIdConnect")
        for scheme in definitions.values()
    ):
        # an API key named Authorization shares the header with those schemes: the value may
        # be theirs (just-eat's `Bearer` operations lost their token to the `api_key` scheme)
        given.pop("authorization", None)
    for name, scheme in definitions.items():
        if isinstance(scheme, Mapping) and scheme.get("type") == "apiKey":
            found = given.get(str(scheme.get("name", "")).lower())
            if scheme.get("in") in ("header", "query", "cookie") and found is not None:
                schemes[name] = {"api_key": found[1]}
                consumed.add(found[0])
    authorization = next((v for k, v in headers.items() if k.lower() == "authorization"), None)
    if schemes and authorization is not None:
        schemes.update(_alongside_keys(spec, definitions, set(schemes), authorization))
    return schemes, {k: v for k, v in headers.items() if k not in consumed}


def _alongside_keys(
    spec: Mapping[str, Any],
    definitions: Mapping[str, Any],
    keyed: set[str],
    authorization: str,
) -> dict[str, dict[str, str]]:
    """Per-scheme auth, from the run's ``Authorization``, for the schemes that a security
    requirement names together with an API key given per scheme (``[{apiKey: [], bearerAuth:
    []}]``: both at once). schemathesis sends a scheme's credential only for a requirement
    whose every scheme it was given: without these it made up the key for such operations
    (mineskin's ``key=`` in the query beside the bearer token), and they only ever answered
    401. The header stays one of the run's headers too; a scheme that ``authorization`` does
    not serve (HTTP Basic where the run sends a bearer token) is left out."""
    import base64
    import binascii

    word, _, token = authorization.partition(" ")
    token = token.strip()
    wanted: set[str] = set()
    for _, _, requirements in _operations(spec):
        for requirement in requirements:
            if isinstance(requirement, Mapping) and keyed & set(requirement):
                wanted.update(str(name) for name in requirement if name not in keyed)
    found: dict[str, dict[str, str]] = {}
    for name in sorted(wanted):
        scheme = definitions.get(name)
        if not isinstance(scheme, Mapping) or not token:
            continue
        kind = scheme.get("type")
        http = str(scheme.get("scheme", "")).lower() if kind == "http" else None
        if http == "basic" and word.lower() == "basic":
            try:
                decoded = base64.b64decode(token, validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                continue
            username, sep, password = decoded.partition(":")
            if sep:
                found[name] = {"username": username, "password": password}
        elif word.lower() == "bearer" and (http == "bearer" or kind in ("oauth2", "openIdConnect")):
            found[name] = {"bearer": token}
    return found


def _mask_only_credentials(schema: Any, ctx: AuthContext, secret: set[str]) -> None:
    """Reproductions mask real credentials only: ``Authorization``, cookies, the spec's API keys
    and what the auth hook and ``--header`` add. schemathesis' default also masks any name
    that merely *contains* "auth", "key" or "token" (``author=`` came out as ``[Filtered]``),
    which makes the curl impossible to replay."""
    keys = {"authorization", "proxy-authorization", "cookie", "set-cookie", *secret}
    keys.update(name.lower() for _, name in ctx.api_key_names())
    sanitization = schema.config.output.sanitization
    sanitization.keys_to_sanitize = tuple(sorted(keys))
    sanitization.sensitive_markers = ()


def _secured(raw: Mapping[str, Any], spec: Mapping[str, Any]) -> bool:
    """Whether an operation requires credentials (no ``{}`` alternative)."""
    requirements = raw.get("security", spec.get("security")) or []
    return bool(requirements) and all(isinstance(r, Mapping) and r for r in requirements)


HEADER_CLASH = "header-clash"
"""The note rule of an operation whose every security requirement needs one header twice."""


def _unmeetable(schema: Any) -> dict[str, str]:
    """Operation label → why no request can get past its security: each of its requirements
    names two schemes that need the same header in different forms (conjur's ``rotateApiKey``:
    ``{basicAuth: [], conjurAuth: []}``, HTTP Basic beside an API key named
    ``Authorization``; :mod:`specfirst.security_headers`). An operation with one requirement
    a client can meet is not listed."""
    from specfirst.security_headers import RULE, header_clashes, unsatisfiable

    spec = schema.raw_schema
    found: dict[str, str] = {}
    for operation in loaded_operations(schema):
        requirements = operation.definition.raw.get("security", spec.get("security"))
        if not isinstance(requirements, list) or not unsatisfiable(requirements, spec):
            continue
        clashes = "; ".join(
            clash.message() for r in requirements for clash in header_clashes(r, spec)
        )
        found[operation.label] = (
            f"every security requirement needs one header in two forms ({clashes}; lint "
            f"rule {RULE}), so no request can pass its security"
        )
    return found


def _probe_without_credentials(
    session: requests.Session,
    schema: Any,
    served: Mapping[str, Any],
    credentials: set[str],
    result: ContractResult,
    operation_ids: Mapping[str, str],
    forbidden: Mapping[str, str] | None = None,
) -> None:
    """Send, once per secured operation, the first request it answered with a 2xx (or, for an
    unimplemented one, with its stub's 501) again without the run's credentials (headers,
    cookies and the spec's API keys in the query), record the status, and report a 2xx or the
    stub's 501 as ``ignored_auth``: either means the request got past security.

    schemathesis' own ``ignored_auth`` cannot take away a bearer token given as a header (it
    skips those operations), so without this a run never shows that they answer 401.
    """
    from specfirst.contract.stubs import is_stub

    spec = schema.raw_schema
    in_query = {name.lower() for where, name in _api_keys(spec) if where == "query"}
    by_label = {}
    for operation in loaded_operations(schema):
        by_label[operation.label] = operation.definition.raw
    for label, request in sorted(served.items()):
        raw = by_label.get(label)
        if raw is None or not _secured(raw, spec):
            continue
        headers = {
            name: values[0] if isinstance(values, list) else values
            for name, values in request.headers.items()
            if name.lower() not in credentials and name.lower() != "content-length"
        }
        uri = _without_query(request.uri, in_query)
        try:
            response = session.request(
                request.method, uri, headers=headers, data=request.body, timeout=30
            )
        except Exception as exc:  # the service went away: reported like a network error
            result.errors.append(ContractProblem(label, f"probe without credentials: {exc}"))
            continue
        stub = is_stub(response.status_code, response.headers)
        result.coverage.record(label, response.status_code, stub=stub)
        result.cases += 1
        if forbidden:
            try:
                lacking = session.request(
                    request.method,
                    uri,
                    headers={**headers, **forbidden},
                    data=request.body,
                    timeout=30,
                )
            except Exception as exc:
                result.errors.append(ContractProblem(label, f"probe with `forbidden`: {exc}"))
            else:
                result.coverage.record(
                    label, lacking.status_code, stub=is_stub(lacking.status_code, lacking.headers)
                )
                result.cases += 1
        if 200 <= response.status_code < 300 or stub:
            result.failures.append(
                ContractFailure(
                    operation=label,
                    operation_id=operation_ids.get(label),
                    check="ignored_auth",
                    title="API accepts requests without authentication",
                    message=(
                        f"A request that got {response.status_code} with credentials got "
                        f"{response.status_code} without them too (specfirst's probe)"
                    ),
                    reproduce=_curl(request.method, uri, headers, request.body),
                    response=f"{response.status_code} {response.text[:300]}",
                )
            )


def _api_keys(spec: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(in, name)`` of every API key scheme of the spec."""
    schemes = spec.get("components", {}).get("securitySchemes", {})
    return [
        (str(scheme.get("in")), str(scheme.get("name")))
        for scheme in (schemes.values() if isinstance(schemes, Mapping) else ())
        if isinstance(scheme, Mapping) and scheme.get("type") == "apiKey"
    ]


def _without_query(uri: str, names: set[str]) -> str:
    """``uri`` without the query parameters ``names`` (lowercase)."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    if not names:
        return uri
    parts = urlsplit(uri)
    kept = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in names
    ]
    return urlunsplit(parts._replace(query=urlencode(kept)))


def _curl(method: str, uri: str, headers: Mapping[str, str], body: bytes | None) -> str:
    import shlex

    parts = ["curl", "-X", method]
    for name, value in headers.items():
        parts += ["-H", f"{name}: {value}"]
    if body:
        parts += ["-d", body.decode("utf-8", "replace")]
    parts.append(uri)
    return shlex.join(parts)
