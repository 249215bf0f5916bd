"""Every rule of ``specfirst diff`` in one list: ``RULES``, for ``--list-rules`` and settings.

Each check family declares its rules (id, default severity, a one-line example) beside the
code that raises them, as ``RULES`` in its own module; this registry collects them in the
order ``specfirst diff --list-rules`` prints them. How a team changes a severity, or accepts
a finding, is ``specfirst.diff.settings``; ``severity_of`` applies the first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from specfirst.diff.rule import B, N, P, Rule, Severity
from specfirst.diff.schemas import facets, properties, unions

_RULES: tuple[Rule, ...] = (
    # operations
    Rule("path-removed", B, "paths: /pets/{id} → (gone)"),
    Rule("operation-removed", B, "DELETE /pets/{id} → (gone, GET stays)"),
    Rule("path-added", N, "(none) → paths: /toys"),
    Rule("operation-added", N, "(none) → PATCH /pets/{id}"),
    Rule("operation-implemented", N, "PATCH /pets/{id} answering only 501 → a real operation"),
    Rule("operation-unimplemented", B, "PATCH /pets/{id} → answers only 501 Not Implemented"),
    Rule("unimplemented-operation-removed", N, "PATCH /pets/{id} answering only 501 → (gone)"),
    Rule("deprecated-without-sunset", P, "deprecated: false → deprecated: true (no x-sunset)"),
    Rule("operation-deprecated", N, "deprecated: false → deprecated: true, x-sunset: 2027-01-01"),
    # parameters
    Rule("parameter-removed", N, "query limit → (gone); undeclared query parameters are ignored"),
    Rule(
        "parameter-removed-strict",
        B,
        "query limit → (gone) with x-specfirst-strict-query: true (unknown ones are rejected)",
    ),
    Rule("parameter-renamed", P, "query limit → query max (optional: old name ignored)"),
    Rule("parameter-moved", P, "header X-Page → query X-Page (optional: old place ignored)"),
    Rule("required-parameter-added", B, "(none) → query team, required: true"),
    Rule(
        "required-parameter-added-with-default",
        N,
        "(none) → header accept, required: true, default: application/json",
    ),
    Rule("optional-parameter-added", N, "(none) → query team"),
    Rule("parameter-became-required", B, "query team required: false → required: true"),
    Rule(
        "parameter-became-required-with-default",
        N,
        "query sort required: false → required: true, default: created",
    ),
    Rule("parameter-became-optional", N, "query team required: true → required: false"),
    Rule("parameter-default-changed", P, "query per_page default: 30 → default: 100"),
    # request bodies
    Rule("request-body-added-required", B, "(no body) → requestBody required: true"),
    Rule("request-body-became-required", B, "requestBody required: false → required: true"),
    Rule("request-media-type-removed", B, "content: json, form → content: json"),
    # responses
    Rule("success-status-removed", B, "responses: 200 → responses: 201"),
    Rule("error-status-removed", P, "responses: 200, 404 → responses: 200"),
    Rule("response-status-added", N, "responses: 200 → responses: 200, 409"),
    Rule("response-media-type-removed", B, "200 content: json, xml → 200 content: json"),
    Rule("response-header-removed", B, "200 headers: Link → 200 headers: (none)"),
    Rule("response-header-became-optional", B, "Link required: true → required: false"),
    # security
    Rule("security-added", B, "security: [] → security: [oauth: []]"),
    Rule("security-requirement-removed", B, "security: [apiKey] → security: [oauth]"),
    Rule("security-scopes-added", B, "oauth: [read] → oauth: [read, write]"),
    *facets.RULES,
    *properties.RULES,
    *unions.RULES,
)

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}


def list_rules(severities: Mapping[str, Severity | None] | None = None) -> str:
    """``specfirst diff --list-rules``: one line per rule (id, severity, example)."""
    severities = severities or {}
    width = max(len(r.id) for r in _RULES)
    lines = []
    for rule in _RULES:
        level = severities.get(rule.id, rule.severity)
        shown = "off" if level is None else level.value
        note = "" if rule.id not in severities else " (configured)"
        lines.append(f"{rule.id:<{width}}  {shown + note:<29} {rule.example}")
    return "\n".join(lines) + "\n"


def severity_of(rule: str, overrides: Mapping[str, Any]) -> Severity | None:
    if rule in overrides:
        value = overrides[rule]
        return value if value is None else Severity(value)
    return RULES[rule].severity
