"""The ``specfirst`` command. Subcommands live in ``specfirst.commands``.

Every failure is printed as ``file:line:col: rule: message`` lines and a non-zero exit; a
crash is a bug, reported as one line and exit code 70 (``SPECFIRST_DEBUG=1`` for details).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
import traceback
from collections.abc import Sequence

from specfirst.commands import MODULES
from specfirst.commands.common import MissingDependency


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="specfirst", description="Contract-first OpenAPI → FastAPI."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name in MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command != "generate" or args.watch:
        return _run(args)
    # A one-shot generate: in the warm process when one answers (specfirst.warm).
    from specfirst import warm

    try:
        code = warm.handoff(sys.argv[1:] if argv is None else argv, no_daemon=args.no_daemon)
    except KeyboardInterrupt:
        return 130
    if code is not None:
        return code
    code = _run(args)
    with contextlib.suppress(KeyboardInterrupt):
        warm.after_in_process(no_daemon=args.no_daemon, verbose=args.verbose)
    return code


def _run(args: argparse.Namespace) -> int:
    try:
        code: int = args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 1
    except MissingDependency as exc:
        print(f"specfirst: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug in specfirst: say so plainly; details on request
        print(f"specfirst: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        if os.environ.get("SPECFIRST_DEBUG"):
            traceback.print_exc(file=sys.stderr)
        else:
            print(
                "specfirst: rerun with SPECFIRST_DEBUG=1 for details, and please report it",
                file=sys.stderr,
            )
        return 70
    return code


if __name__ == "__main__":
    sys.exit(main())
