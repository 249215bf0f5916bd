"""``specfirst scaffold``: write the implementation stubs the spec asks for, never overwriting.

New tags get a module with a class of stubs; operations added to an existing tag get a stub
appended to its class; everything already written is left as it is. ``--check`` only lists
what is missing (exit 1 when something is). A stub answers 501 until written; with ``--stubs
examples`` it answers the spec's example of the operation's success instead (``examples.py``
and ``examples.json`` in the implementation package).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from specfirst.commands.common import print_diagnostics
from specfirst.commands.init import add_stubs_option
from specfirst.config import CACHE_DIR, Config, load_config

if TYPE_CHECKING:
    from specfirst.renames import Known


def register(sub: Any) -> None:
    p = sub.add_parser(
        "scaffold",
        help="write implementation stubs for operations that have none (never overwrites)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("spec", nargs="?", help="spec file (default: [tool.specfirst] spec)")
    p.add_argument(
        "-i",
        "--implementation",
        help="implementation package folder (default: [tool.specfirst] implementation)",
    )
    p.add_argument("--check", action="store_true", help="only list what is missing")
    add_stubs_option(p)
    p.set_defaults(func=run)


def implementation_folder(config: Config, given: str | None) -> Path | None:
    if given:
        return Path(given)
    return config.implementation


def run(args: argparse.Namespace) -> int:
    from specfirst.pipeline import build_api
    from specfirst.scaffold import Scaffolder

    config = load_config(spec=args.spec)
    folder = implementation_folder(config, args.implementation)
    if folder is None:
        print(
            "specfirst: scaffold needs the implementation package: set [tool.specfirst] "
            "implementation in pyproject.toml or pass --implementation DIR",
            file=sys.stderr,
        )
        return 2
    api, diagnostics = build_api(config.spec)
    if api is None:
        print_diagnostics(diagnostics)
        return 1
    from specfirst.pipeline import manifest_operations

    known = known_operations(config, manifest_operations(config.output))
    document = None
    if args.stubs == "examples":
        from specfirst.loader import load_spec

        document = load_spec(config.spec).document
    scaffolder = Scaffolder(api, config.package, folder, known, stubs=args.stubs, document=document)
    plan = scaffolder.plan()
    for line in plan.describe(Path.cwd()):
        print(f"scaffold: {line}", file=sys.stderr)
    if plan.empty:
        print(f"scaffold: {folder} implements every operation", file=sys.stderr)
        return 1 if plan.missing_classes and args.check else 0
    if args.check:
        return 1
    if plan.renamed:
        print(
            "scaffold: a renamed operation gets no stub: rename what is said above",
            file=sys.stderr,
        )
    written = scaffolder.write(plan)
    if not written:
        return 0
    if scaffolder.table is not None:
        for line in scaffolder.table.summary():
            print(f"scaffold: {line}", file=sys.stderr)
    main_py = folder / "main.py"
    if (
        args.stubs == "examples"
        and main_py.is_file()
        and main_py not in plan.new_files
        and "PreferMiddleware" not in main_py.read_text(encoding="utf-8")
    ):
        print(
            f"scaffold: for `Prefer: code=…, example=…`, add to {main_py}: "
            f"`app.add_middleware(PreferMiddleware)` (from {folder.name}.examples)",
            file=sys.stderr,
        )
    answers = "the spec's examples" if args.stubs == "examples" else "501"
    print(
        f"scaffold: {len(written)} file(s) written; each stub answers {answers} until you write it",
        file=sys.stderr,
    )
    return 0


def known_operations(config: Config, table: object) -> list[Known]:
    """The operations known before: a manifest's ``table``, then those the project's cache
    remembers (``specfirst.renames``)."""
    from specfirst.renames import parse_table, recall

    return [*parse_table(table), *recall(config.root / CACHE_DIR)]


def report_missing(config: Config, api: object, previous: object = None) -> None:
    """After a generate: name the operations the implementation package has no method for,
    and the ones it has under their name before a rename (``previous``: the manifest's table
    of operations that generate replaced).

    Only tag modules that exist are looked at, so a project that does not follow the
    scaffold's layout hears nothing."""
    from specfirst.ir import Api
    from specfirst.renames import parse_table, remember

    if not isinstance(api, Api):
        return
    remember(config.root / CACHE_DIR, parse_table(previous), api)
    if config.implementation is None or not config.implementation.is_dir():
        return
    from specfirst.scaffold import Scaffolder  # its examples and templates: only when needed

    known = known_operations(config, previous)
    plan = Scaffolder(api, config.package, config.implementation, known).plan(whole_package=False)
    for line in plan.describe(Path.cwd()):
        print(f"generate: {line}", file=sys.stderr)
    if plan.appended:
        print("generate: run `specfirst scaffold` to append stubs for them", file=sys.stderr)
