"""The rules of ``specfirst diff``: ids, default severities, examples.

Every finding the diff emits has one of these ids, and each id has one default severity;
``specfirst diff --list-rules`` prints them. How a team changes a severity, or accepts a
finding, is ``specfirst.diff.settings``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from specfirst.diff.rule import B, N, P, Rule, Severity

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
    # schemas: requests may widen, responses may narrow
    Rule("request-type-narrowed", B, "request number → integer"),
    Rule("request-type-widened", N, "request integer → number"),
    Rule("request-type-changed", B, "request string → integer"),
    Rule("response-type-widened", B, "response integer → number"),
    Rule("response-type-narrowed", N, "response number → integer"),
    Rule("response-type-changed", B, "response integer → string"),
    Rule("request-nullability-narrowed", B, "request type: [string, null] → type: string"),
    Rule("request-nullability-widened", N, "request type: string → nullable: true"),
    Rule("response-nullability-widened", B, "response type: string → type: [string, null]"),
    Rule("response-nullability-narrowed", N, "response nullable: true → (not nullable)"),
    Rule("request-format-narrowed", B, "request format: (none) → format: email; int64 → int32"),
    Rule("request-format-widened", N, "request format: int32 → int64; uri → (none)"),
    Rule("request-format-changed", B, "request format: date → uuid"),
    Rule("response-format-widened", B, "response format: int32 → int64; email → (none)"),
    Rule("response-format-narrowed", N, "response format: (none) → date-time"),
    Rule("response-format-changed", B, "response format: date → date-time"),
    Rule("request-enum-narrowed", B, "request enum: [a, b] → enum: [a]; (none) → enum: [a]"),
    Rule("request-enum-widened", N, "request enum: [a] → enum: [a, b]"),
    Rule("response-enum-widened", B, "response enum: [a] → enum: [a, b]; enum → (none)"),
    Rule("response-enum-narrowed", N, "response enum: [a, b] → enum: [a]"),
    Rule("request-constraint-narrowed", B, "request maxLength: 200 → 100; (none) → minItems: 1"),
    Rule("request-constraint-widened", N, "request maxLength: 100 → 200"),
    Rule("response-constraint-widened", B, "response maxItems: 100 → (none)"),
    Rule("response-constraint-narrowed", N, "response maxLength: (none) → 100"),
    Rule("request-pattern-narrowed", B, "request pattern: (none) → '^[a-z]+$'"),
    Rule("request-pattern-changed", B, "request pattern: '^[a-z]+$' → '^[a-z0-9]+$'"),
    Rule("request-pattern-widened", N, "request pattern: '^[a-z]+$' → (none)"),
    Rule("response-pattern-widened", B, "response pattern: '^[a-z]+$' → (none)"),
    Rule("response-pattern-changed", B, "response pattern: '^[a-z]+$' → '^\\w+$'"),
    Rule("response-pattern-narrowed", N, "response pattern: (none) → '^[a-z]+$'"),
    Rule("request-property-removed", N, "request {a, b} → {a}: a client still sending b is fine"),
    Rule(
        "request-property-removed-strict",
        B,
        "request {a, b} → {a} with additionalProperties: false",
    ),
    Rule("request-property-added", N, "request {a} → {a, b}"),
    Rule("request-required-property-added", B, "request {a} → {a, b}, required: [b]"),
    Rule("request-property-became-required", B, "request required: [] → required: [b]"),
    Rule(
        "request-additional-properties-rejected",
        B,
        "request additionalProperties: (true) → additionalProperties: false",
    ),
    Rule("response-property-removed", B, "response {id, name} → {id}"),
    Rule("response-property-added", N, "response {id} → {id, name}"),
    Rule("response-property-became-optional", B, "response required: [id] → required: []"),
    Rule("request-union-alternative-removed", B, "request oneOf: [string, Label] → $ref: Label"),
    Rule("request-union-alternative-added", N, "request $ref: Label → oneOf: [string, Label]"),
    Rule(
        "response-union-alternative-added",
        B,
        "response $ref: Label → oneOf: [string, Label] (an item may now be a string)",
    ),
    Rule("response-union-alternative-removed", N, "response oneOf: [string, Label] → $ref: Label"),
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
