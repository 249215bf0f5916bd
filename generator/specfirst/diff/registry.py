"""Every rule of ``specfirst diff`` in one list: ``RULES``, for ``--list-rules`` and settings.

Each check family declares its rules (id, default severity, a one-line example) beside the
code that raises them, as ``RULES`` in its own module; this registry collects them in the
order ``specfirst diff --list-rules`` prints them. How a team changes a severity, or accepts
a finding, is ``specfirst.diff.settings``; ``severity_of`` applies the first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from specfirst.diff.operations import endpoints, parameters, request_bodies, responses, security
from specfirst.diff.rule import Rule, Severity
from specfirst.diff.schemas import facets, properties, unions

_RULES: tuple[Rule, ...] = (
    *endpoints.RULES,
    *parameters.RULES,
    *request_bodies.RULES,
    *responses.RULES,
    *security.RULES,
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
