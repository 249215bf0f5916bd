"""Running the rules: :func:`lint` levels, locates and sorts what the enabled rules find."""

from __future__ import annotations

from specfirst.diagnostics import Diagnostic, sort_diagnostics
from specfirst.lint.context import Context
from specfirst.lint.registry import RULES
from specfirst.lint.settings import LintSettings
from specfirst.loader import SourceSpec

__all__ = ["lint"]


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
