"""Path keys as the generated app serves them: which operation answers a request at a URL.

OpenAPI calls path keys that differ only in their templates' names identical (signl4's
``/teams/{teamId}/schedules/{dutyId}`` beside ``…/{scheduleId}``), and a query string
(``/combined_submissions?v=2``) or a fragment (AutoRest's ``/{tenantID}/{nextLink}#Users_ListNext``)
in a path key is no path of its own to HTTP. The app serves each such group as one resource:
:func:`_routes` maps every URL to the operations declared there, :func:`_shadowed` finds the
operations another one answers for, :func:`_declared_elsewhere` and :func:`_one_resource`
tell why a probe of such a path is the spec's own doing (the rules ``declared-elsewhere``,
``one-resource`` and ``shadowed`` of :mod:`specfirst.contract.excuses`).

These functions read schemathesis' schema and operations (each it could load:
:func:`loaded_operations`, which the run's other readers of them use too), but import
nothing of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

SHADOWED = (
    "path keys that differ only in their parameters' names or a fragment are one path, so the "
    "app serves the first operation declared with this method there"
)
"""Why an operation another one answers for is not tested (:func:`_shadowed`)."""

Routes = dict[str, list[tuple[str, frozenset[tuple[str, str]], str]]]
"""Path (without its query, templates unnamed) → (method, the path key's fixed query pairs,
the operation's label) of every operation declared there."""

_TEMPLATE = re.compile(r"\{[^}/]*\}")


def _split(path: str) -> tuple[str, frozenset[tuple[str, str]]]:
    """``/things/{id}?v=2`` → ``("/things/{}", {("v", "2")})``. A fragment is never sent:
    AutoRest's ``/{tenantID}/{nextLink}#Users_ListNext`` is ``/{tenantID}/{nextLink}``."""
    path, _, query = path.partition("#")[0].partition("?")
    pairs = parse_qsl(query, keep_blank_values=True)
    # `?query={query}` names a query parameter, not a fixed pair (as the app routes it)
    fixed = frozenset((key, value) for key, value in pairs if not _TEMPLATE.fullmatch(value))
    return _TEMPLATE.sub("{}", path), fixed


def loaded_operations(schema: Any) -> Iterator[Any]:
    """Each operation of schemathesis' ``schema`` that it could load (one it could not is
    reported as an error by the run)."""
    for item in schema.get_all_operations():
        try:
            yield item.ok()
        except Exception:  # reported as an error by the run
            continue


def _routes(schema: Any) -> Routes:
    routes: Routes = {}
    for operation in loaded_operations(schema):
        path, query = _split(operation.path)
        routes.setdefault(path, []).append((operation.method.upper(), query, operation.label))
    return routes


def _shadowed(schema: Any) -> dict[str, str]:
    """Operation label → the label of the operation that takes its requests: one with the
    same method at a path key that differs only in its templates' names (``/{a}/orders/{b}``
    beside ``/{c}/orders/{d}``: one path to OpenAPI, which forbids such pairs). The app tries
    the routes in the order of its services (the document's ``tags``, then by name), each
    service's operations in document order, so the first one answers every request (the
    lint's ``unreachable-operation``)."""
    from specfirst.parser.services import document_tags, service_rank, service_tag

    tags = document_tags(schema.raw_schema)
    ranked: list[tuple[tuple[int, str], int, Any]] = []
    for index, operation in enumerate(loaded_operations(schema)):
        tag = service_tag(operation.definition.raw.get("tags"), tags.info)
        ranked.append((service_rank(tag, tags), index, operation))
    first: dict[tuple[str, str, frozenset[tuple[str, str]]], str] = {}
    shadowed: dict[str, str] = {}
    for _rank, _index, operation in sorted(ranked, key=lambda r: r[:2]):
        key = (operation.method.upper(), *_split(operation.path))
        winner = first.setdefault(key, operation.label)
        if winner != operation.label:
            shadowed[operation.label] = winner
    return shadowed


def _declared_elsewhere(routes: Routes, path: str, method: str) -> str | None:
    """The label of the operation that serves ``method`` at the URL of path key ``path``, when
    another path key declares the method at that URL: one that differs from ``path`` only in
    its templates' names (``/s/{dutyId}`` beside ``/s/{scheduleId}``: one path to OpenAPI), or,
    when ``path`` carries a query string, one at its path with no fixed query or fewer of the
    same pairs. ``None`` otherwise."""
    bare, query = _split(path)
    for declared, fixed, label in routes.get(bare, ()):
        if declared == method.upper() and fixed <= query:
            return label
    return None


def _equivalent(routes: Routes, path: str) -> tuple[set[str], list[str]]:
    """The methods declared at path key ``path`` and at those that differ from it only in
    their templates' names, and those other path keys."""
    bare, query = _split(path)
    same = [(method, label) for method, fixed, label in routes.get(bare, ()) if fixed == query]
    others = {label.partition(" ")[2] for _, label in same} - {path}
    return {method for method, _ in same}, sorted(others)


_IMPLICIT = frozenset({"HEAD", "OPTIONS"})
"""Methods schemathesis does not expect the spec to declare (``allow_header_conformance``)."""


def _one_resource(routes: Routes, path: str, allow: str) -> str | None:
    """Why a failing ``allow_header_conformance`` of path key ``path`` is the spec's own
    ambiguity: the ``Allow`` header lists exactly the methods of ``path`` and of the path keys
    that differ from it only in their templates' names (one path, so one resource, to OpenAPI
    and to HTTP); ``None`` when it does not, or there are no such path keys."""
    methods, others = _equivalent(routes, path)
    advertised = {m.strip().upper() for m in allow.split(",") if m.strip()}
    if not others or advertised - _IMPLICIT != methods - _IMPLICIT:
        return None
    return (
        f"Allow: {allow} lists the methods of {path} and of {', '.join(others)}, path keys "
        "that differ only in their parameters' names (one path to OpenAPI and to HTTP, so "
        "one resource)"
    )
