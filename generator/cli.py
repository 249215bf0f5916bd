"""The ``specfirst`` command: validate, generate (and, in later modules, lint, check, diff …).

Every failure is printed as ``file:line:col: rule: message`` lines and a non-zero exit; a
traceback is a bug.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from generator.config import load_config
from generator.diagnostics import Diagnostic, DiagnosticError, Level, has_errors, sort_diagnostics


def _print_diagnostics(diagnostics: Sequence[Diagnostic], *, verbose: bool = False) -> None:
    shown = [d for d in sort_diagnostics(diagnostics) if verbose or d.level is not Level.INFO]
    for diagnostic in shown:
        print(diagnostic.format(), file=sys.stderr)
    errors = sum(1 for d in diagnostics if d.level is Level.ERROR)
    warnings = sum(1 for d in diagnostics if d.level is Level.WARNING)
    if errors or warnings:
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)


class _Progress:
    """Progress on a terminal for big specs; silent when output is not a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.perf_counter()
        self.status = None
        self.console = None
        if enabled:
            from rich.console import Console

            self.console = Console(stderr=True)
            self.status = self.console.status("specfirst")
            self.status.start()

    def __call__(self, message: str) -> None:
        if os.environ.get("SPECFIRST_TRACE"):
            print(f"[{time.perf_counter() - self.started:7.2f}s] {message}", file=sys.stderr)
        if self.status is not None:
            self.status.update(f"specfirst: {message} …")

    def stop(self) -> None:
        if self.status is not None:
            self.status.stop()


def cmd_validate(args: argparse.Namespace) -> int:
    from generator.loader import load_spec
    from generator.validate import validate

    config = load_config(spec=args.spec)
    try:
        spec = load_spec(config.spec)
    except DiagnosticError as exc:
        _print_diagnostics(exc.diagnostics)
        return 1
    cache = None if args.no_cache else Path(".specfirst-cache/validate")
    diagnostics = validate(spec, cache_dir=cache)
    _print_diagnostics(diagnostics, verbose=args.verbose)
    if has_errors(diagnostics):
        return 1
    if not args.quiet:
        print(f"{config.spec}: valid OpenAPI {spec.document.get('openapi')}", file=sys.stderr)
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    from generator.pipeline import generate

    config = load_config(spec=args.spec, output=args.output, package=args.package)
    started = time.perf_counter()
    progress = _Progress(sys.stderr.isatty() and not args.quiet)
    try:
        result = generate(
            config.spec,
            config.output,
            cache_dir=None if args.no_cache else Path(".specfirst-cache"),
            templates=config.templates,
            force=args.force,
            progress=progress,
        )
    finally:
        progress.stop()
    _print_diagnostics(result.diagnostics, verbose=args.verbose)
    if not result.ok:
        print(f"{config.spec}: not generated (fix the errors above)", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    if not args.quiet:
        if result.unchanged:
            print(f"{config.output}: up to date ({elapsed:.2f}s)", file=sys.stderr)
        else:
            ops = len(result.api.operations) if result.api else 0
            print(
                f"{config.output}: {ops} operations, {len(result.written)} file(s) written, "
                f"{len(result.removed)} removed ({elapsed:.1f}s)",
                file=sys.stderr,
            )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="specfirst", description="Contract-first OpenAPI → FastAPI."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="validate the spec; print every problem as file:line:col")
    p.add_argument("spec", nargs="?", help="spec file (default: [tool.specfirst] spec)")
    p.add_argument("--no-cache", action="store_true", help="do not reuse cached validation results")
    p.add_argument("-v", "--verbose", action="store_true", help="also print informational notes")
    p.add_argument("-q", "--quiet", action="store_true")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("generate", help="validate and generate the package")
    p.add_argument("spec", nargs="?", help="spec file (default: [tool.specfirst] spec)")
    p.add_argument("-o", "--output", help="output folder (default: [tool.specfirst] output)")
    p.add_argument("-p", "--package", help="package name (default: [tool.specfirst] package)")
    p.add_argument("--force", action="store_true", help="regenerate even when inputs are unchanged")
    p.add_argument("--no-cache", action="store_true", help="do not reuse cached validation results")
    p.add_argument("-v", "--verbose", action="store_true", help="also print informational notes")
    p.add_argument("-q", "--quiet", action="store_true")
    p.set_defaults(func=cmd_generate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
