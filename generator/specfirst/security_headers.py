"""Security requirements whose schemes need the same request header: no request can meet them.

Every scheme of one security requirement must be satisfied by the same request. HTTP
authentication (basic, bearer, digest …), OAuth2 and OpenID Connect send their credential in
``Authorization``; an API key ``in: header`` in the header it names (case-insensitive). A
request carries each header once, so a requirement naming two schemes that need the same
header asks for two credentials in one slot (conjur's ``{basicAuth: [], conjurAuth: []}``:
HTTP Basic beside an API key named ``Authorization``). The author almost always meant
alternatives (``[{basicAuth: []}, {conjurAuth: []}]``).

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

__all__ = ["RULE", "HeaderClash", "credential_header", "header_clashes", "unsatisfiable"]

RULE = "security-header-clash"
"""The lint rule that reports a clashing requirement."""

_AUTHORIZATION = "Authorization"
_AUTHORIZATION_SCHEMES = {"http": "HTTP", "oauth2": "OAuth2", "openIdConnect": "OpenID Connect"}


@dataclass(frozen=True, slots=True)
class HeaderClash:
    """Schemes of one requirement that need the same header: the header (as the first of them
    spells it) and each scheme with its kind (``("basicAuth", "HTTP basic")``)."""

    header: str
    schemes: tuple[tuple[str, str], ...]

    def message(self) -> str:
        """``basicAuth (HTTP basic) and conjurAuth (API key) both need header Authorization``."""
        named = [f"{name} ({kind})" for name, kind in self.schemes]
        listed = ", ".join(named[:-1]) + f" and {named[-1]}"
        return f"{listed} {'both' if len(named) == 2 else 'all'} need header {self.header}"


def credential_header(scheme: Any) -> tuple[str, str] | None:
    """The header a security scheme's credential travels in and what kind of scheme it is
    (``("Authorization", "HTTP basic")``, ``("X-Key", "API key")``); ``None`` for one that
    needs no header (an API key in the query or a cookie, mutual TLS) or is malformed."""
    if not isinstance(scheme, Mapping):
        return None
    kind = scheme.get("type")
    if kind == "http":
        http = scheme.get("scheme")
        return _AUTHORIZATION, f"HTTP {http.lower()}" if isinstance(http, str) and http else "HTTP"
    if isinstance(kind, str) and kind in _AUTHORIZATION_SCHEMES:
        return _AUTHORIZATION, _AUTHORIZATION_SCHEMES[kind]
    name = scheme.get("name")
    if kind == "apiKey" and scheme.get("in") == "header" and isinstance(name, str) and name:
        return name, "API key"
    return None


def header_clashes(requirement: Any, document: Mapping[str, Any]) -> list[HeaderClash]:
    """The headers that two or more schemes of ``requirement`` (one entry of a ``security``
    list) need, in the order the requirement names them; schemes the document does not define
    are left to validation."""
    if not isinstance(requirement, Mapping):
        return []
    components = document.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, Mapping) else None
    if not isinstance(schemes, Mapping):
        return []
    by_header: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for name in requirement:
        scheme, _, _ = deref(document, schemes.get(name), ())
        found = credential_header(scheme)
        if found is None:
            continue
        header, kind = found
        by_header.setdefault(header.lower(), (header, []))[1].append((str(name), kind))
    return [
        HeaderClash(header, tuple(named)) for header, named in by_header.values() if len(named) > 1
    ]


def unsatisfiable(requirements: Sequence[Any], document: Mapping[str, Any]) -> bool:
    """Whether an operation's effective ``security`` has requirements and every one of them
    clashes (an empty requirement, ``{}``, never does)."""
    return bool(requirements) and all(header_clashes(r, document) for r in requirements)
