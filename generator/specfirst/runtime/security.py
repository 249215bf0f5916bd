"""Credential extraction and enforcement of OpenAPI security requirements.

Generated ``security`` modules describe each scheme as a :class:`Scheme` and each operation's
``security`` list as a tuple of :class:`Requirement` (alternatives, OR); a requirement holds
one or more scheme uses (AND) with the scopes they need. The implementer's security handler
turns a credential into a principal (or ``None`` when the credential is not valid).

Outcomes: all alternatives fail for lack of credentials or with invalid ones → 401 with a
``WWW-Authenticate`` challenge per scheme; some alternative authenticated but lacked scopes →
403; an optional requirement (``{}``) with no credentials at all → ``principal=None``.
"""

import base64
import binascii
import enum
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from .problems import ProtocolProblem


class SchemeKind(enum.StrEnum):
    HTTP_BEARER = "http_bearer"
    HTTP_BASIC = "http_basic"
    API_KEY = "api_key"
    OAUTH2 = "oauth2"
    OPENID = "openid"


@dataclass(frozen=True, slots=True)
class Scheme:
    key: str
    kind: SchemeKind
    method: str  # handler method name
    param_name: str = ""  # api key name
    location: str = "header"  # api key location
    auth_scheme: str = "Bearer"  # http scheme name for challenges

    def extract(self, request: Request) -> tuple[str, ...] | None:
        """The raw credential, or None when the request carries none for this scheme."""
        if self.kind is SchemeKind.API_KEY:
            if self.location == "header":
                value = request.headers.get(self.param_name)
            elif self.location == "query":
                value = request.query_params.get(self.param_name)
            else:
                value = request.cookies.get(self.param_name)
            return (value,) if value else None
        header = request.headers.get("authorization")
        if not header:
            return None
        scheme, _, value = header.partition(" ")
        value = value.strip()
        if self.kind is SchemeKind.HTTP_BASIC:
            if scheme.lower() != "basic" or not value:
                return None
            try:
                decoded = base64.b64decode(value, validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                return ("", "\x00invalid")  # present but malformed: authenticate() rejects it
            username, sep, password = decoded.partition(":")
            return (username, password) if sep else ("", "\x00invalid")
        expected = self.auth_scheme.lower() if self.kind is SchemeKind.HTTP_BEARER else "bearer"
        if scheme.lower() != expected or not value:
            return None
        return (value,)

    def challenge(self, error: str | None = None, scopes: Collection[str] = ()) -> str:
        if self.kind is SchemeKind.API_KEY:
            base = f'APIKey realm="api", {self.location}="{self.param_name}"'
        elif self.kind is SchemeKind.HTTP_BASIC:
            base = 'Basic realm="api", charset="UTF-8"'
        elif self.kind is SchemeKind.HTTP_BEARER:
            base = f'{self.auth_scheme} realm="api"'
        else:
            base = 'Bearer realm="api"'
        if error and self.kind is not SchemeKind.HTTP_BASIC:
            base += f', error="{error}"'
        if scopes:
            base += f', scope="{" ".join(sorted(scopes))}"'
        return base


@dataclass(frozen=True, slots=True)
class Use:
    scheme: Scheme
    scopes: frozenset[str]


@dataclass(frozen=True, slots=True)
class Requirement:
    uses: tuple[Use, ...]  # empty: anonymous access allowed


def granted_scopes(principal: object) -> frozenset[str]:
    """Scopes a principal holds: its ``scopes`` attribute (any iterable of str)."""
    scopes = getattr(principal, "scopes", None)
    if scopes is None:
        return frozenset()
    if isinstance(scopes, str):
        return frozenset(scopes.split())
    return frozenset(str(s) for s in scopes)


async def _authenticate(handler: Any, scheme: Scheme, credential: tuple[str, ...]) -> Any:
    if credential == ("", "\x00invalid"):
        return None
    method: Callable[..., Awaitable[Any]] = getattr(handler, scheme.method)
    return await method(*credential)


async def authorize(request: Request, handler: Any, requirements: tuple[Requirement, ...]) -> Any:
    """Check one operation's requirements; return the principal or raise a 401/403 problem."""
    cache: dict[str, Any] = {}
    optional = False
    any_credential = False
    short_of: set[str] = set()
    challenge_schemes: list[Scheme] = []
    for requirement in requirements:
        if not requirement.uses:
            optional = True
            continue
        principal: Any = None
        satisfied = True
        for use in requirement.uses:
            scheme = use.scheme
            if scheme not in challenge_schemes:
                challenge_schemes.append(scheme)
            if scheme.key not in cache:
                credential = scheme.extract(request)
                if credential is None:
                    cache[scheme.key] = None
                else:
                    any_credential = True
                    cache[scheme.key] = await _authenticate(handler, scheme, credential)
            found = cache[scheme.key]
            if found is None:
                satisfied = False
                break
            missing = use.scopes - granted_scopes(found)
            if missing:
                short_of |= missing
                satisfied = False
                break
            if principal is None:
                principal = found
        if satisfied:
            return principal
    if optional and not any_credential:
        return None
    if short_of:
        raise ProtocolProblem(
            403,
            "the credentials lack the scopes this operation requires",
            headers={
                "WWW-Authenticate": challenge_schemes[0].challenge("insufficient_scope", short_of)
            },
        )
    error = "invalid_token" if any_credential else None
    raise ProtocolProblem(
        401,
        "credentials are invalid" if any_credential else "authentication is required",
        headers={"WWW-Authenticate": ", ".join(s.challenge(error) for s in challenge_schemes)},
    )


def dependency(
    requirements: tuple[Requirement, ...], handler: Callable[..., Any]
) -> Callable[..., Awaitable[Any]]:
    """A FastAPI dependency enforcing ``requirements`` with the given handler provider."""

    async def enforce(request: Request, sf_handler: Annotated[Any, Depends(handler)]) -> Any:
        return await authorize(request, sf_handler, requirements)

    return enforce


class RejectAll:
    """Security handler used with ``allow_unimplemented`` when none is given: no credential is valid."""

    def __getattr__(self, name: str) -> Callable[..., Awaitable[None]]:
        if not name.startswith("authenticate_"):
            raise AttributeError(name)

        async def reject(*_credential: str) -> None:
            return None

        return reject
