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
from typing import NoReturn

from specfirst.commands import MODULES


class _Unparsed(Exception):
    pass


class _SilentParser(argparse.ArgumentParser):
    """Raises instead of reporting an error (the whole parser then reports it)."""

    def error(self, message: str) -> NoReturn:
        raise _Unparsed(message)


def build_parser(
    only: str | None = None, parser_class: type[argparse.ArgumentParser] = argparse.ArgumentParser
) -> argparse.ArgumentParser:
    """The command line; with ``only`` (a subcommand's name), that subcommand alone: for
    arguments that name it first, it parses (and shows help) as the whole does."""
    parser = parser_class(prog="specfirst", description="Contract-first OpenAPI → FastAPI.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in MODULES:
        if only is None or name == f"specfirst.commands.{only}":
            importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else list(argv)
    # `specfirst generate …` needs only its own subcommand to parse (the rest is imported by
    # the run, which may be handed to the warm generator); a mistake is reported by the whole.
    try:
        if given[:1] != ["generate"]:
            raise _Unparsed
        args = build_parser("generate", _SilentParser).parse_args(given)
    except _Unparsed:
        args = build_parser().parse_args(given)
    if args.command != "generate" or args.watch:
        return _run(args)
    # A one-shot generate: in the warm process when one answers (specfirst.warm).
    from specfirst.warm import client as warm

    try:
        code = warm.handoff(given, no_daemon=args.no_daemon)
    except KeyboardInterrupt:
        return 130
    if code is not None:
        return code
    code = _run(args)
    with contextlib.suppress(KeyboardInterrupt):
        warm.after_in_process(no_daemon=args.no_daemon, verbose=args.verbose)
    return code


def _run(args: argparse.Namespace) -> int:
    from specfirst.commands.common import MissingDependency

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
