"""``specfirst validate [SPEC]``: every problem at once, as file:line:col: rule: message."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from specfirst.commands.common import print_diagnostics
from specfirst.config import CACHE_DIR, load_config
from specfirst.diagnostics import DiagnosticError, has_errors


def register(sub: Any) -> None:
    p = sub.add_parser("validate", help="validate the spec; print every problem as file:line:col")
    p.add_argument("spec", nargs="?", help="spec file (default: [tool.specfirst] spec)")
    p.add_argument("--no-cache", action="store_true", help="do not reuse cached validation results")
    p.add_argument("-v", "--verbose", action="store_true", help="also print informational notes")
    p.add_argument("-q", "--quiet", action="store_true")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from specfirst.loader import load_spec
    from specfirst.validation import validate

    config = load_config(spec=args.spec)
    if config.problems:
        print_diagnostics(config.problems)
        return 1
    try:
        spec = load_spec(config.spec)
    except DiagnosticError as exc:
        print_diagnostics(exc.diagnostics)
        return 1
    cache = None if args.no_cache else config.root / CACHE_DIR / "validate"
    diagnostics = validate(spec, cache_dir=cache, settings=config.validate)
    print_diagnostics(diagnostics, verbose=args.verbose)
    if has_errors(diagnostics):
        return 1
    if not args.quiet:
        print(f"{config.spec}: valid OpenAPI {spec.document.get('openapi')}", file=sys.stderr)
    return 0
