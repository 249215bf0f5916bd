"""Spec gaps: the statuses the generated runtime answers by itself, and which an operation leaves
undeclared.

The runtime answers some requests before an implementation runs, whatever the spec says:

* **401** on an operation with security (missing or invalid credentials); **403** where a
  requirement lists scopes (the principal lacks one);
* the **request-validation status** on an operation with parameters or a body: the declared
  one among 422, 400, ``4XX`` and ``default``, else 422 (:func:`validation_status`, which the
  parser also uses to generate the router). An operation without either under
  ``x-specfirst-strict-query`` may send it too, for a query parameter no client is meant to
  send: not counted as a gap;
* **415** on an operation with a request body (a media type it does not accept), unless the
  app reads the body as the raw text or bytes sent, whatever its ``Content-Type`` (a
  ``text/plain`` body, a file, a form of a string alone: :func:`~specfirst.parser.media.raw_kind`);
* **501** for an operation whose implementation is a stub (``NotImplementedOperation``): only
  a run can see that, so :func:`runtime_statuses` lists it when told the operation is
  unimplemented.

A status the operation does not declare (no exact code, ``NXX`` range or ``default`` covers it)
is a *spec gap*: the runtime must send it, the spec does not say so. So is one whose covering
response declares binary media types only (``application/octet-stream``, an image): no error can
be written in them, and the runtime answers problem+json (adobe aem's downloads). Lint reports gaps by
rule (``security-responses``, ``validation-response``, ``media-type-response``) and the
contract run lists them and, unless ``--strict``, does not fail on them. 405 is not here: it
answers a method a path does not have, so no operation could declare it; nor are 406 and 413,
which the runtime does not send (a service that limits body sizes declares its own 413).

This module reads plain data (response keys, whether there are parameters and a body, the
security requirements) and imports only the loader's pointer helpers and the parser's reading
of media types, so lint and the contract run share it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from specfirst.loader.pointers import deref

__all__ = [
    "OperationFacts",
    "RuntimeStatus",
    "covers",
    "facts_of",
    "runtime_statuses",
    "spec_gaps",
    "validation_status",
]


@dataclass(frozen=True, slots=True)
class OperationFacts:
    """What decides which statuses the runtime may answer for one operation."""

    declared: tuple[str, ...]
    """The keys of its ``responses``: ``"200"``, ``"4XX"``, ``"default"``."""
    has_parameters: bool = False
    has_body: bool = False
    raw_body: bool = False
    """The body is read as the raw text or bytes sent, under any ``Content-Type`` (no 415)."""
    security: tuple[Mapping[str, Any], ...] = ()
    """The effective ``security`` requirements (the operation's, else the document's)."""
    unimplemented: bool = False
    """A run saw its stub answer 501."""
    mute: tuple[str, ...] = ()
    """The keys of ``declared`` whose body cannot carry an error (binary media types only:
    ``application/octet-stream``, an image …): the runtime answers problem+json where one of
    them is the response covering a status, so for that status the spec declares nothing it
    can answer in."""


@dataclass(frozen=True, slots=True)
class RuntimeStatus:
    """A status the runtime answers for an operation by itself, why (what the operation does:
    ``"requires authentication"``), and the lint rule that asks the spec to declare it (``""``
    when no rule can: only a run sees a stub)."""

    status: str
    why: str
    rule: str

    def message(self, label: str) -> str:
        """``GET /things requires authentication but does not declare a 401 response``."""
        return f"{label} {self.why} but does not declare a {self.status} response"


def facts_of(
    op: Mapping[str, Any],
    document: Mapping[str, Any],
    *,
    has_parameters: bool,
    unimplemented: bool = False,
) -> OperationFacts:
    """The facts of operation ``op`` (as the document holds it) of ``document``;
    ``has_parameters`` counts the path item's parameters too (callers resolve those)."""
    responses = op.get("responses")
    security = op.get("security", document.get("security"))
    declared = responses if isinstance(responses, Mapping) else {}
    return OperationFacts(
        declared=tuple(str(key) for key in declared),
        mute=tuple(
            str(key) for key, r in declared.items() if _mute(deref(document, r, ())[0], document)
        ),
        has_parameters=has_parameters,
        has_body=op.get("requestBody") is not None,
        raw_body=_raw_body(op.get("requestBody"), document),
        security=tuple(r for r in security if isinstance(r, Mapping))
        if isinstance(security, list)
        else (),
        unimplemented=unimplemented,
    )


def _raw_body(body: Any, document: Mapping[str, Any]) -> bool:
    """Whether the app reads request body ``body`` as the raw text or bytes sent."""
    # imported here: the parser package imports this module (validation_status)
    from specfirst.parser.media import raw_kind

    body = deref(document, body, ())[0]
    content = deref(document, body.get("content"), ())[0] if isinstance(body, Mapping) else None
    if not isinstance(content, Mapping):
        return False
    return raw_kind(content, lambda schema: deref(document, schema, ())[0]) is not None


def _mute(response: Any, document: Mapping[str, Any]) -> bool:
    """A response whose declared media types are all binary: no error can be said in them."""
    content = (
        deref(document, response.get("content"), ())[0] if isinstance(response, Mapping) else None
    )
    if not isinstance(content, Mapping) or not content:
        return False  # no body declared: problem+json is as good as anything
    return not any(_speaks(str(media)) for media in content)


def _speaks(media: str) -> bool:
    """A media type an error can be written in: JSON, text, XML, or any (``*/*``)."""
    base = media.split(";")[0].strip().lower()
    return (
        base in ("*/*", "application/*")
        or base.startswith("text/")
        or base.endswith(("/json", "+json", "/xml", "+xml"))
    )


def _covering(declared: Iterable[str], status: str | int) -> str | None:
    """The key of ``declared`` whose response the runtime follows for ``status``: the code,
    else its range, else ``default`` (None when none covers it)."""
    code = str(status)
    keys = {str(key).upper(): str(key) for key in declared}
    for candidate in (code, f"{code[0]}XX", "DEFAULT"):
        if candidate in keys:
            return keys[candidate]
    return None


def covers(declared: Iterable[str], status: str | int) -> bool:
    """Whether ``declared`` response keys cover ``status``: the code, its range, ``default``."""
    return _covering(declared, status) is not None


def validation_status(declared: Iterable[str]) -> int:
    """The status invalid requests get: 400 only when the spec declares 400 and not 422."""
    codes = {str(key) for key in declared}
    return 422 if "422" in codes or "400" not in codes else 400


def _scoped(security: Sequence[Mapping[str, Any]]) -> bool:
    return any(
        isinstance(scopes, list) and scopes
        for requirement in security
        for scopes in requirement.values()
    )


def runtime_statuses(facts: OperationFacts) -> list[RuntimeStatus]:
    """Every status the runtime may answer for the operation by itself, in status order."""
    found: list[RuntimeStatus] = []
    if any(requirement for requirement in facts.security):
        found.append(RuntimeStatus("401", "requires authentication", "security-responses"))
        if _scoped(facts.security):
            found.append(RuntimeStatus("403", "requires scopes", "security-responses"))
    if facts.has_parameters or facts.has_body:
        status = str(validation_status(facts.declared))
        found.append(
            RuntimeStatus(
                status, "has parameters or a body (invalid requests)", "validation-response"
            )
        )
    if facts.has_body and not facts.raw_body:
        found.append(
            RuntimeStatus("415", "has a request body (other media types)", "media-type-response")
        )
    if facts.unimplemented:
        found.append(RuntimeStatus("501", "is not implemented yet (a stub)", ""))
    return sorted(found, key=lambda s: s.status)


def spec_gaps(facts: OperationFacts) -> list[RuntimeStatus]:
    """The statuses of :func:`runtime_statuses` that the operation does not declare, or declares
    only under a response whose media types cannot carry an error (:attr:`OperationFacts.mute`)."""
    gaps = []
    for s in runtime_statuses(facts):
        key = _covering(facts.declared, s.status)
        if key is None:
            gaps.append(s)
        elif key in facts.mute:
            gaps.append(replace(s, why=f"{s.why} (its {key} response is binary: no error fits)"))
    return gaps
