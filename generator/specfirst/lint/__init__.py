"""API style rules for an OpenAPI document: ``specfirst lint``.

Validation (``validate.py``) says whether a document is OpenAPI; linting says whether it is
an API a team wants to ship: every operation named, tagged and documented, errors as
``application/problem+json``, lists paginated, examples that match their schemas, no dead
components. Each rule has an id and a default level; a project turns rules off or changes
their level in ``pyproject.toml``::

    [tool.specfirst.lint]
    operation-description = "off"
    list-pagination = "error"

Rules read the bundled document, never raise on a malformed one (they skip what they cannot
read), and report every finding as a located :class:`~specfirst.diagnostics.Diagnostic`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path

from specfirst.config import parse_levels
from specfirst.diagnostics import Diagnostic, Level, sort_diagnostics
from specfirst.lint import examples, operations, pagination, paths, references, responses
from specfirst.lint.context import Context, Rule
from specfirst.loader import SourceSpec

__all__ = [
    "RULES",
    "LintSettings",
    "Rule",
    "lint",
    "load_lint_settings",
    "parse_lint_settings",
]

LintSettings = Mapping[str, Level | None]
"""Rule id -> level, or ``None`` for a rule that is off; rules not named keep their default."""


# --------------------------------------------------------------------------- registry

RULES: tuple[Rule, ...] = (
    *operations.RULES,
    *responses.RULES,
    *pagination.RULES,
    *paths.RULES,
    *examples.RULES,
    *references.RULES,
)
RULE_IDS = frozenset(rule.id for rule in RULES)


def lint(spec: SourceSpec, settings: LintSettings | None = None) -> list[Diagnostic]:
    """Run every enabled rule on ``spec``; diagnostics sorted by location."""
    settings = settings or {}
    ctx = Context(spec)
    diagnostics: list[Diagnostic] = []
    for rule in RULES:
        level = settings.get(rule.id, rule.level)
        if level is None:
            continue
        for message, pointer in rule.check(ctx):
            diagnostics.append(Diagnostic(level, rule.id, message, ctx.locate(pointer)))
    return sort_diagnostics(dict.fromkeys(diagnostics))


# --------------------------------------------------------------------------- settings


def parse_lint_settings(
    table: Mapping[str, object], where: str = "[tool.specfirst.lint]"
) -> tuple[dict[str, Level | None], list[Diagnostic]]:
    """Rule levels from a ``[tool.specfirst.lint]`` table, and problems with it."""
    return parse_levels(table, RULE_IDS, where, "lint-config")


def load_lint_settings(pyproject: Path | None) -> tuple[dict[str, Level | None], list[Diagnostic]]:
    """``[tool.specfirst.lint]`` of a pyproject.toml (none: every rule at its default)."""
    if pyproject is None:
        return {}, []
    with pyproject.open("rb") as fh:
        data = tomllib.load(fh)
    table = data.get("tool", {}).get("specfirst", {}).get("lint", {})
    if not isinstance(table, dict):
        return {}, [
            Diagnostic(
                Level.ERROR, "lint-config", f"{pyproject}: [tool.specfirst.lint] must be a table"
            )
        ]
    return parse_lint_settings(table, f"{pyproject.name} [tool.specfirst.lint]")
