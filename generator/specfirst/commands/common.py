"""What every subcommand shares: printing diagnostics, terminal progress."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from typing import Any

from specfirst.diagnostics import Diagnostic, Level, sort_diagnostics


class MissingDependency(Exception):
    """An optional dependency a command needs is not installed (exit 2, one line)."""

    def __init__(self, module: str, extra: str, purpose: str) -> None:
        super().__init__(
            f"{purpose} needs {module}, which is not installed: pip install 'specfirst[{extra}]'"
        )


def require(module: str, extra: str, purpose: str) -> None:
    """Raise ``MissingDependency`` unless ``module`` can be imported."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise MissingDependency(module, extra, purpose)


def print_diagnostics(diagnostics: Sequence[Diagnostic], *, verbose: bool = False) -> None:
    """Every diagnostic as ``file:line:col: rule: message`` on stderr, then a count."""
    shown = [d for d in sort_diagnostics(diagnostics) if verbose or d.level is not Level.INFO]
    for diagnostic in shown:
        print(diagnostic.format(), file=sys.stderr)
    errors = sum(1 for d in diagnostics if d.level is Level.ERROR)
    warnings = sum(1 for d in diagnostics if d.level is Level.WARNING)
    if errors or warnings:
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)


class Progress:
    """Progress on a terminal for big specs; silent when output is not a terminal.

    ``SPECFIRST_TRACE=1`` prints each step with its elapsed time instead.
    """

    def __init__(self, enabled: bool) -> None:
        self.started = time.perf_counter()
        self.status: Any = None
        if enabled and not os.environ.get("SPECFIRST_TRACE"):
            from rich.console import Console

            self.status = Console(stderr=True).status("specfirst")
            self.status.start()

    def __call__(self, message: str) -> None:
        if os.environ.get("SPECFIRST_TRACE"):
            print(f"[{time.perf_counter() - self.started:7.2f}s] {message}", file=sys.stderr)
        if self.status is not None:
            self.status.update(f"specfirst: {message} …")

    def stop(self) -> None:
        if self.status is not None:
            self.status.stop()
