"""``specfirst generate [SPEC] [-o DIR]``: validate, then write the package."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

# What a run needs is imported when it runs: a run handed to the warm generator
# (specfirst.warm) parses its arguments here and needs nothing else.


def register(sub: Any) -> None:
    p = sub.add_parser("generate", help="validate and generate the package")
    p.add_argument("spec", nargs="?", help="spec file (default: [tool.specfirst] spec)")
    p.add_argument("-o", "--output", help="output folder (default: [tool.specfirst] output)")
    p.add_argument("-p", "--package", help="package name (default: [tool.specfirst] package)")
    p.add_argument("--force", action="store_true", help="regenerate even when inputs are unchanged")
    p.add_argument("--no-cache", action="store_true", help="do not reuse cached results")
    p.add_argument("-v", "--verbose", action="store_true", help="also print informational notes")
    p.add_argument("-q", "--quiet", action="store_true")
    p.add_argument(
        "-w", "--watch", action="store_true", help="regenerate whenever the spec changes"
    )
    p.add_argument(
        "--no-daemon",
        action="store_true",
        help="run in this process, not in the warm generator (also: SPECFIRST_DAEMON=0)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from specfirst.config import load_config

    if getattr(args, "watch", False):
        from specfirst.loader.files import keep_parsed
        from specfirst.pipeline import keep_models_worker, stop_models_worker
        from specfirst.watch import spec_files, watch

        config = load_config(spec=args.spec, output=args.output, package=args.package)
        keep_models_worker()
        keep_parsed()
        try:
            return watch(
                lambda: generate_once(args),
                spec_files(config.spec),
                config.output,
                config.templates,
            )
        finally:
            stop_models_worker()
    return generate_once(args)


def generate_once(args: argparse.Namespace) -> int:
    from specfirst.commands.common import Progress, print_diagnostics
    from specfirst.config import CACHE_DIR, load_config
    from specfirst.pipeline import generate

    config = load_config(spec=args.spec, output=args.output, package=args.package)
    if config.problems:
        print_diagnostics(config.problems)
        return 1
    started = time.perf_counter()
    progress = Progress(sys.stderr.isatty() and not args.quiet)
    try:
        result = generate(
            config.spec,
            config.output,
            cache_dir=None if args.no_cache else config.root / CACHE_DIR,
            templates=config.templates,
            force=args.force,
            progress=progress,
            settings=config.validate,
        )
    finally:
        progress.stop()
    print_diagnostics(result.diagnostics, verbose=args.verbose)
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
    if not result.unchanged:
        from specfirst.commands.scaffold import report_missing

        report_missing(config, result.api, result.previous_operations)
    return 0
