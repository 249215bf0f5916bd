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

from specfirst.contract.hooks import AuthContext
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
    return schemes, {k: v for k, v in headers.items() if k not in consumed}


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
    for item in schema.get_all_operations():
        try:
            operation = item.ok()
        except Exception:  # reported as an error by the run
            continue
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
