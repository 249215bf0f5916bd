"""``specfirst lint [SPEC]``: API style rules, configured in ``[tool.specfirst.lint]``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from specfirst.config import find_pyproject, load_config
from specfirst.diagnostics import Diagnostic, DiagnosticError, Level, has_errors, sort_diagnostics


def register(sub: Any) -> None:
    p = sub.add_parser(
        "lint",
        help="check API style rules (configure them in [tool.specfirst.lint])",
        description="Check the spec against API style rules. Each rule can be set to "
        '"off", "warning" or "error" in pyproject.toml under [tool.specfirst.lint].',
    )
    p.add_argument("spec", nargs="?", help="spec file (default: [tool.specfirst] spec)")
    p.add_argument("--list-rules", action="store_true", help="print the rules and their levels")
    p.add_argument("-q", "--quiet", action="store_true", help="print only the findings")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    config = load_config(spec=args.spec)
    diagnostics, summary = lint_spec(config.root, config.spec, list_rules=args.list_rules)
    if args.list_rules:
        return 0
    for diagnostic in sort_diagnostics(diagnostics):
        print(diagnostic.format(), file=sys.stderr)
    if not args.quiet or has_errors(diagnostics):
        print(summary, file=sys.stderr)
    return 1 if has_errors(diagnostics) else 0


def lint_spec(
    root: Any, spec_path: Any, *, list_rules: bool = False
) -> tuple[list[Diagnostic], str]:
    """Lint the spec with the project's settings: (diagnostics, summary line)."""
    from specfirst.lint import RULES, lint, load_lint_settings
    from specfirst.loader import load_spec

    settings, problems = load_lint_settings(find_pyproject(root))
    if list_rules:
        for rule in RULES:
            level = settings.get(rule.id, rule.level) if rule.id in settings else rule.level
            shown = "off" if level is None else str(level)
            print(f"{rule.id:<24} {shown:<8} {rule.summary}")
        return problems, ""
    if has_errors(problems):
        return problems, f"{spec_path}: not linted (fix [tool.specfirst.lint])"
    try:
        spec = load_spec(spec_path)
    except DiagnosticError as exc:
        return list(exc.diagnostics), f"{spec_path}: not linted (it cannot be loaded)"
    diagnostics = problems + lint(spec, settings)
    errors = sum(1 for d in diagnostics if d.level is Level.ERROR)
    warnings = sum(1 for d in diagnostics if d.level is Level.WARNING)
    enabled = sum(1 for rule in RULES if settings.get(rule.id, rule.level) is not None)
    if not errors and not warnings:
        return diagnostics, f"{spec_path}: lint clean ({enabled} rules)"
    return diagnostics, f"{spec_path}: {errors} error(s), {warnings} warning(s) ({enabled} rules)"
