"""``specfirst contract``: property-test a live server or an ASGI app against the spec.

    specfirst contract --url http://127.0.0.1:8000 --auth tests.contract.auth:token
    specfirst contract --app myservice.main:app --header "X-API-Key: $KEY" --junit reports/contract.xml

Every check and every phase is on by default; the seed is fixed, so a run is repeatable
(``--seed random`` for a new one, printed for replay). Every run ends with a coverage matrix
(operations by statuses, declared against observed; Markdown and JSON next to the JUnit file)
and the line ``coverage: N of M operations reached a declared 2xx; K of L declared statuses
observed``, and ``implemented: N of M operations``: an operation whose stub answers 501 is
reported, not failed (``--require-implemented`` fails it); it is still checked up to its stub
(security, request validation). Statuses the runtime sends that the spec does not declare (a
401 on a secured operation, 422 on invalid input, 415 on a body) are listed as spec gaps, not
failed (``--strict`` fails them). Exit status 1 when the service breaks the contract or an
operation was never reached (only 401/403, or none of its declared success statuses), 2 when
the run cannot start.

``[tool.specfirst.contract]`` in pyproject.toml sets which statuses pass the status checks
(e.g. ``positive_data_acceptance``), globally and, with a reason, for named operations; it
cannot switch a check off; ``[[tool.specfirst.contract.exempt]]`` exempts named operations
from the coverage gates, with a reason.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from specfirst.commands.common import require
from specfirst.config import load_config

if TYPE_CHECKING:
    from specfirst import contract


def register(sub: Any) -> None:
    p = sub.add_parser(
        "contract",
        help="property-test a live server (--url) or an ASGI app (--app) against the spec",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("spec", nargs="?", help="spec file (default: [tool.specfirst] spec)")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--url", help="root URL of a running server, e.g. http://127.0.0.1:8000")
    target.add_argument("--app", metavar="MODULE:ATTR", help="an ASGI app to test in-process")
    p.add_argument(
        "--auth",
        metavar="MODULE:FUNCTION",
        help="auth hook: a function (optionally taking an AuthContext) that returns headers",
    )
    p.add_argument(
        "--setup",
        metavar="MODULE:FUNCTION",
        help="setup hook: creates test data with the run's credentials (it receives an "
        "AuthContext) and returns a specfirst.contract.SeedData, so operations on existing "
        "resources get past 404 to their success statuses",
    )
    p.add_argument(
        "-H",
        "--header",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="a header sent with every request (repeatable)",
    )
    p.add_argument("--seed", default=None, help="generation seed (an integer, or 'random')")
    p.add_argument(
        "--max-examples", type=int, default=None, help="examples per operation and phase"
    )
    p.add_argument(
        "--phases",
        default=None,
        help="comma-separated subset of examples,coverage,fuzzing,stateful (default: all)",
    )
    p.add_argument(
        "--checks",
        default=None,
        help="comma-separated check names (default: all; see specfirst.contract.CHECKS)",
    )
    p.add_argument(
        "--workers", type=int, default=1, help="concurrent workers (default 1: repeatable)"
    )
    p.add_argument(
        "--max-time",
        type=int,
        default=None,
        metavar="SECONDS",
        help="a time budget, always spent: fuzzing and stateful testing repeat until it runs out",
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="fail on spec gaps: statuses the runtime sends (401, 422, 415...) that the spec "
        "does not declare (default: listed, not failed; or [tool.specfirst.contract] strict)",
    )
    p.add_argument(
        "--require-implemented",
        action="store_true",
        help="fail on operations whose stub answers 501 (default: reported as "
        "'implemented: N of M'; or [tool.specfirst.contract] require-implemented)",
    )
    p.add_argument("--junit", type=Path, default=None, metavar="PATH", help="write JUnit XML here")
    p.add_argument("-q", "--quiet", action="store_true", help="only the summary line per failure")
    p.set_defaults(func=run)


def _headers(values: list[str]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for value in values:
        name, sep, content = value.partition(":")
        if not sep or not name.strip():
            raise ValueError(f"--header {value!r}: expected 'Name: value'")
        headers[name.strip()] = content.strip()
    return headers


def _seed(value: str | None, default: int) -> int | None:
    if value is None:
        return default
    if value == "random":
        return None
    return int(value)


def _project_settings(
    spec: Path, root: Path
) -> tuple[tuple[contract.ExpectedStatuses, ...], tuple[contract.Exemption, ...], dict[str, bool]]:
    """``[tool.specfirst.contract]``, which describes the contract of ``[tool.specfirst] spec``:
    applied when that is the spec under test, not to another spec given on the command line."""
    from specfirst import contract

    if spec.resolve() != load_config().spec.resolve():
        return (), (), contract.load_run_flags(None)
    pyproject = root / "pyproject.toml"
    return (
        contract.load_project_settings(pyproject),
        contract.load_exemptions(pyproject),
        contract.load_run_flags(pyproject),
    )


def run(args: argparse.Namespace) -> int:
    require("schemathesis", "contract", "contract testing")
    from specfirst import contract

    config = load_config(spec=args.spec)
    try:
        expected, exemptions, flags = _project_settings(config.spec, config.root)
        options = contract.ContractOptions(
            spec=config.spec,
            url=args.url,
            app=contract.load_object(args.app) if args.app else None,
            headers=_headers(args.header),
            auth=contract.load_object(args.auth) if args.auth else None,
            checks=args.checks.split(",") if args.checks else ("all",),
            phases=tuple(args.phases.split(",")) if args.phases else contract.PHASES,
            seed=_seed(args.seed, contract.DEFAULT_SEED),
            max_examples=args.max_examples or contract.DEFAULT_MAX_EXAMPLES,
            workers=args.workers,
            max_time=args.max_time,
            junit=args.junit,
            expected_statuses=expected,
            exemptions=exemptions,
            setup=contract.load_object(args.setup) if args.setup else None,
            strict=args.strict or flags["strict"],
            require_implemented=args.require_implemented or flags["require-implemented"],
        )
        progress = None if args.quiet else _progress
        result = contract.run_contract(options, progress=progress)
    except (contract.ContractError, ValueError) as exc:
        print(f"specfirst contract: {exc}", file=sys.stderr)
        return 2
    if args.junit is not None:
        print(f"JUnit report: {args.junit}", file=sys.stderr, flush=True)
    print(contract.format_summary(result, verbose=not args.quiet), flush=True)
    if result.interrupted:
        return 130
    return 0 if result.ok else 1


def _progress(message: str) -> None:
    print(f"specfirst contract: {message}", file=sys.stderr, flush=True)
