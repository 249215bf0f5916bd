"""``specfirst mock [SPEC] [--port N]``: serve the contract before the implementation exists.

Answers every operation with its first 2xx response (the spec's examples, or values
synthesized from the schemas), validates requests against the spec, listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from specfirst.commands.common import print_diagnostics
from specfirst.config import load_config
from specfirst.diagnostics import DiagnosticError


def register(sub: Any) -> None:
    p = sub.add_parser("mock", help="serve canned responses from the spec on 127.0.0.1")
    p.add_argument("spec", nargs="?", help="spec file (default: [tool.specfirst] spec)")
    p.add_argument("--port", type=int, default=4010, help="port on 127.0.0.1 (default 4010)")
    p.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"]
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from specfirst import mock

    config = load_config(spec=args.spec)

    def ready(url: str) -> None:
        print(f"specfirst mock: serving {config.spec} on {url} (Ctrl+C to stop)", file=sys.stderr)

    try:
        mock.serve(config.spec, port=args.port, log_level=args.log_level, on_ready=ready)
    except DiagnosticError as exc:
        print_diagnostics(exc.diagnostics)
        return 1
    return 0
