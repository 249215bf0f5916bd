"""``specfirst mock [SPEC] [--port N]``: serve the contract before the implementation exists.

The mock is the generated app with example stubs (:mod:`specfirst.examples.mock`): each
operation answers its first declared success from the spec's examples (or data synthesized
from the schemas); requests are validated, security is enforced and errors are answered as
the real app answers them. It accepts the development credential (``$MOCK_DEV_CREDENTIAL``, or
``mock-development-only``), printed at start as the headers to send. ``Prefer: code=NNN`` and
``Prefer: example=NAME`` pick another declared response or a named example. Listens on
127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from specfirst.commands.common import print_diagnostics
from specfirst.config import CACHE_DIR, load_config
from specfirst.diagnostics import DiagnosticError

if TYPE_CHECKING:
    from specfirst.examples.mock import Mock


def register(sub: Any) -> None:
    p = sub.add_parser(
        "mock",
        help="serve the generated app with example stubs on 127.0.0.1",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("spec", nargs="?", help="spec file (default: [tool.specfirst] spec)")
    p.add_argument("--port", type=int, default=4010, help="port on 127.0.0.1 (default 4010)")
    p.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"]
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from specfirst.examples import mock

    config = load_config(spec=args.spec)
    if not config.spec.is_file():
        print(f"specfirst: {config.spec}: no such file", file=sys.stderr)
        return 2

    def ready(built: Mock, url: str) -> None:
        for line in built.summary:
            print(f"specfirst mock: {line}", file=sys.stderr)
        if built.headers:
            sent = "; ".join(f"{name}: {value}" for name, value in built.headers.items())
            print(f"specfirst mock: credentials: {sent}", file=sys.stderr)
        print(f"specfirst mock: serving {config.spec} on {url} (Ctrl+C to stop)", file=sys.stderr)

    try:
        mock.serve(
            config.spec,
            port=args.port,
            log_level=args.log_level,
            cache_dir=config.root / CACHE_DIR,
            on_ready=ready,
        )
    except DiagnosticError as exc:
        print_diagnostics(exc.diagnostics)
        print(f"specfirst mock: {config.spec}: not served (fix the errors above)", file=sys.stderr)
        return 1
    return 0
