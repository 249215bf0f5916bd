"""Security requirements whose schemes need the same request header: no request can meet them.

Every scheme of one security requirement must be satisfied by the same request. HTTP
authentication (basic, bearer, digest …), OAuth2 and OpenID Connect send their credential in
``Authorization``; an API key ``in: header`` in the header it names (case-insensitive). A
request carries each header once, so a requirement naming two schemes that need the same
header in different forms asks for two credentials in one slot (conjur's ``{basicAuth: [],
conjurAuth: []}``: ``Basic …`` beside an API key that is the whole ``Authorization``). The
author almost always meant alternatives (``[{basicAuth: []}, {conjurAuth: []}]``). Schemes of
one form share one value, and do not clash: Google's ``{Oauth2: [...], Oauth2c: [...]}``
(two OAuth2 flows, one bearer token), two API keys in one header.

Lint reports each such requirement (``security-header-clash``); the contract run does not
fail the "never got past 401" gate of an operation whose every requirement clashes
(:func:`unsatisfiable`), and notes why. This module reads plain data and imports only the
loader's pointer helpers, so both share it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from specfirst.loader.pointers import deref

__all__ = [
    "RULE",
    "Credential",
    "HeaderClash",
    "credential_header",
    "header_clashes",
    "unsatisfiable",
]

RULE = "security-header-clash"
"""The lint rule that reports a clashing requirement."""

_AUTHORIZATION = "Authorization"
_BEARER = {"oauth2": "OAuth2", "openIdConnect": "OpenID Connect"}
"""Scheme types whose credential is a bearer token in ``Authorization`` (RFC 6750)."""


@dataclass(frozen=True, slots=True)
class Credential:
    """Where and how a scheme's credential travels: the header (as the scheme spells it), the
    form of its value (``basic``, ``bearer``, an API key's ``key`` …; two schemes of one form
    can share one value) and what kind of scheme it is (``HTTP basic``, ``API key``)."""

    header: str
    form: str
    kind: str


@dataclass(frozen=True, slots=True)
class HeaderClash:
    """Schemes of one requirement that need the same header in different forms: the header
    (as the first of them spells it) and each scheme with its kind
    (``("basicAuth", "HTTP basic")``)."""

    header: str
    schemes: tuple[tuple[str, str], ...]

    def message(self) -> str:
        """``basicAuth (HTTP basic) and conjurAuth (API key) both need header Authorization,
        each in its own form``."""
        named = [f"{name} ({kind})" for name, kind in self.schemes]
        listed = ", ".join(named[:-1]) + f" and {named[-1]}"
        both = "both" if len(named) == 2 else "all"
        return f"{listed} {both} need header {self.header}, each in its own form"


def credential_header(scheme: Any) -> Credential | None:
    """The header a security scheme's credential travels in, in which form; ``None`` for one
    that needs no header (an API key in the query or a cookie, mutual TLS) or is malformed.
    HTTP authentication sends ``Authorization: <scheme> …`` (bearer tokens of OAuth2 and
    OpenID Connect too); an API key is the whole value of the header it names."""
    if not isinstance(scheme, Mapping):
        return None
    kind = scheme.get("type")
    if kind == "http":
        http = scheme.get("scheme")
        form = http.lower() if isinstance(http, str) and http else "http"
        return Credential(_AUTHORIZATION, form, f"HTTP {form}" if form != "http" else "HTTP")
    if isinstance(kind, str) and kind in _BEARER:
        return Credential(_AUTHORIZATION, "bearer", _BEARER[kind])
    name = scheme.get("name")
    if kind == "apiKey" and scheme.get("in") == "header" and isinstance(name, str) and name:
        return Credential(name, "key", "API key")
    return None


def header_clashes(requirement: Any, document: Mapping[str, Any]) -> list[HeaderClash]:
    """The headers that schemes of ``requirement`` (one entry of a ``security`` list) need in
    different forms, in the order the requirement names them. Schemes of one form share a
    value (Google's ``{Oauth2: [...], Oauth2c: [...]}``: one bearer token); schemes the
    document does not define are left to validation."""
    if not isinstance(requirement, Mapping):
        return []
    components = document.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, Mapping) else None
    if not isinstance(schemes, Mapping):
        return []
    by_header: dict[str, tuple[str, list[tuple[str, Credential]]]] = {}
    for name in requirement:
        scheme, _, _ = deref(document, schemes.get(name), ())
        found = credential_header(scheme)
        if found is not None:
            by_header.setdefault(found.header.lower(), (found.header, []))[1].append(
                (str(name), found)
            )
    return [
        HeaderClash(header, tuple((name, c.kind) for name, c in named))
        for header, named in by_header.values()
        if len({c.form for _, c in named}) > 1
    ]


def unsatisfiable(requirements: Sequence[Any], document: Mapping[str, Any]) -> bool:
    """Whether an operation's effective ``security`` has requirements and every one of them
    clashes (an empty requirement, ``{}``, never does)."""
    return bool(requirements) and all(header_clashes(r, document) for r in requirements)
