"""``specfirst docs [SPEC] [-o DIR]``: the spec as one static HTML reference page."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from specfirst.commands.common import print_diagnostics
from specfirst.config import load_config
from specfirst.diagnostics import DiagnosticError


def register(sub: Any) -> None:
    p = sub.add_parser(
        "docs",
        help="render the spec to a static HTML reference page (offline, one file)",
        description="Render the spec to one self-contained HTML page: no scripts, no CDN, "
        "nothing loaded from the network. Open it from disk or publish it as a CI artifact.",
    )
    p.add_argument("spec", nargs="?", help="spec file (default: [tool.specfirst] spec)")
    p.add_argument(
        "-o",
        "--output",
        default="site",
        help="folder to write index.html in, or an .html file (default: site/)",
    )
    p.add_argument("-q", "--quiet", action="store_true")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from specfirst.docs import render_reference_html
    from specfirst.loader import load_spec

    config = load_config(spec=args.spec)
    try:
        spec = load_spec(config.spec)
    except DiagnosticError as exc:
        print_diagnostics(exc.diagnostics)
        return 1
    output = Path(args.output)
    target = output if output.suffix.lower() in (".html", ".htm") else output / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_reference_html(spec), encoding="utf-8")
    if not args.quiet:
        print(f"{target}: reference for {config.spec}", file=sys.stderr)
    return 0
