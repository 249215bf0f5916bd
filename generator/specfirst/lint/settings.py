"""Rule levels a project sets in ``[tool.specfirst.lint]``: read and checked against the table."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path

from specfirst.config import parse_levels
from specfirst.diagnostics import Diagnostic, Level
from specfirst.lint.profiles import PROFILES
from specfirst.lint.registry import RULE_IDS

__all__ = ["LintSettings", "load_lint_settings", "parse_lint_settings"]

LintSettings = Mapping[str, Level | None]
"""Rule id -> level, or ``None`` for a rule that is off; rules not named keep their default."""


def parse_lint_settings(
    table: Mapping[str, object], where: str = "[tool.specfirst.lint]"
) -> tuple[dict[str, Level | None], list[Diagnostic]]:
    """Rule levels from a ``[tool.specfirst.lint]`` table, and problems with it: its
    ``profile`` (:mod:`specfirst.lint.profiles`) first, then the rules it names."""
    rules = {key: value for key, value in table.items() if key != "profile"}
    settings, problems = parse_levels(rules, RULE_IDS, where, "lint-config")
    profile = table.get("profile", "default")
    if profile not in PROFILES:
        problems.append(
            Diagnostic(
                Level.ERROR,
                "lint-config",
                f"{where}: profile = {profile!r}; use one of {', '.join(map(repr, PROFILES))}",
            )
        )
        return settings, problems
    return {**PROFILES[str(profile)], **settings}, problems


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
