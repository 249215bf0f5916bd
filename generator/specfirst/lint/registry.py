"""The rule table: every family's rules, in the order ``specfirst lint --list-rules`` shows."""

from __future__ import annotations

from specfirst.lint import (
    examples,
    operations,
    pagination,
    paths,
    references,
    responses,
    schemas,
    security,
)
from specfirst.lint.context import Rule

__all__ = ["RULES", "RULE_IDS"]

RULES: tuple[Rule, ...] = (
    *operations.RULES,
    *responses.RULES,
    *security.RULES,
    *pagination.RULES,
    *paths.RULES,
    *examples.RULES,
    *schemas.RULES,
    *references.RULES,
)
RULE_IDS = frozenset(rule.id for rule in RULES)
