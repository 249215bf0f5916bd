"""``specfirst init [DIR] [--spec EXISTING.yaml]``: start a project with the whole loop.

Writes a spec (a small example API, or a copy of the given one with the files it refers to,
JSON written as readable YAML unless ``--keep-format``),
``pyproject.toml`` with ``[tool.specfirst]``, an implementation package (the example's
handlers, or one stub per operation answering 501 until written; with ``--stubs examples``,
answering the spec's examples, so the new project is a working mock), tests with a contract run,
a Makefile, ``.gitignore``, a GitHub workflow and a pre-commit configuration; then generates
the package. Files that already exist are never overwritten: they are listed as kept.
"""

from __future__ import annotations

import argparse
import contextlib
import keyword
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from specfirst.commands.common import print_diagnostics

if TYPE_CHECKING:
    from specfirst.adopt.files import SpecCopy

INIT = Path(__file__).resolve().parents[1] / "init"
EXAMPLE_SPEC = INIT / "example" / "specs" / "api.yaml"

# project file → template (under init/project)
PROJECT_FILES = {
    "pyproject.toml": "pyproject.toml.jinja",
    "Makefile": "Makefile.jinja",
    "README.md": "README.md.jinja",
    ".gitignore": "gitignore.jinja",
    ".pre-commit-config.yaml": "pre-commit-config.yaml.jinja",
    ".github/workflows/ci.yml": "ci.yml.jinja",
    "tests/__init__.py": "tests/__init__.py.jinja",
    "tests/contract.py": "tests/contract.py.jinja",
    "tests/test_contract.py": "tests/test_contract.py.jinja",
}
EXAMPLE_TESTS = {"tests/test_api.py": "tests/test_api.py.jinja"}
LARGE_JSON = 4_000_000  # bytes of JSON past which init says what YAML costs to parse


def register(sub: Any) -> None:
    p = sub.add_parser(
        "init",
        help="start a project: spec, implementation stubs, tests, Makefile, CI",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("dir", nargs="?", default=".", help="project folder (default: here)")
    p.add_argument(
        "--spec", help="start from this OpenAPI document instead of the example (copied)"
    )
    p.add_argument(
        "--keep-format",
        action="store_true",
        help="copy the spec's files as they are (default: JSON becomes readable YAML)",
    )
    p.add_argument(
        "--add-operation-ids",
        action="store_true",
        help="write the names derived for operations without an operationId into the "
        "copied spec, so later path edits rename nothing",
    )
    add_stubs_option(p)
    p.add_argument("--name", help="Python package name of the implementation (default: from DIR)")
    p.set_defaults(func=run)


def add_stubs_option(parser: Any) -> None:
    """``--stubs``, shared with ``specfirst scaffold``."""
    parser.add_argument(
        "--stubs",
        choices=["501", "examples"],
        default="501",
        help="what each new stub answers until written: 501 Not Implemented (default), or "
        "'examples': the operation's first declared success from the spec's examples (data "
        "synthesized from the schema where they are missing or invalid)",
    )


def package_name(text: str) -> str:
    """A folder name → a valid, lowercase Python package name, which shadows no module of the
    standard library (a project ``email`` or ``test`` would break whatever imports those)."""
    name = re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower() or "service"
    if name[0].isdigit() or keyword.iskeyword(name) or name in sys.stdlib_module_names:
        name = f"app_{name}"
    return name


@dataclass(frozen=True)
class Names:
    project: str  # distribution name
    implementation: str  # the hand-written package
    package: str  # the generated package
    spec: str  # spec path relative to the project


def run(args: argparse.Namespace) -> int:
    root = Path(args.dir)
    name = package_name(args.name or root.resolve().name)
    if args.name and name != args.name:
        why = (
            "is a module of Python's standard library"
            if args.name in sys.stdlib_module_names
            else "is not a Python package name"
        )
        print(f"specfirst: --name {args.name!r} {why}", file=sys.stderr)
        return 2
    if args.stubs == "examples" and not args.spec:
        print(
            "specfirst: --stubs examples needs --spec (the example has handlers)", file=sys.stderr
        )
        return 2
    kept: list[str] = []
    written: list[str] = []
    source = Path(args.spec) if args.spec else EXAMPLE_SPEC
    copy = _plan_copy(source, args)
    if copy is None:
        return 2
    names = Names(
        project=name.replace("_", "-"),
        implementation=name,
        package=f"{name}_api",
        spec=f"specs/{copy.entry.target}",
    )
    root.mkdir(parents=True, exist_ok=True)
    for file in copy.files:
        _write(root / "specs" / file.target, file.text, f"specs/{file.target}", written, kept)

    from specfirst.pipeline import build_api, format_sources, generate

    api, diagnostics = build_api(root / names.spec)
    if api is None:
        print_diagnostics(diagnostics)
        return 1
    context = _context(names, api, example=args.spec is None)
    context["example_stubs"] = args.stubs == "examples"
    templates = {
        rel: INIT / "project" / template
        for rel, template in (PROJECT_FILES | (EXAMPLE_TESTS if args.spec is None else {})).items()
    }
    if args.spec is None:
        for template in sorted((INIT / "example" / "impl").glob("*.jinja")):
            templates[f"{names.implementation}/{template.name.removesuffix('.jinja')}"] = template
    files = {rel: _render(template, context) for rel, template in templates.items()}
    files.update(format_sources({rel: text for rel, text in files.items() if rel.endswith(".py")}))
    for rel, text in files.items():
        _write(root / rel, text, rel, written, kept)

    with contextlib.chdir(root):
        result = generate(Path(names.spec), Path(names.package))
        print_diagnostics(result.diagnostics)
        if not result.ok or result.api is None:
            print(f"{names.spec}: not generated (fix the errors above)", file=sys.stderr)
            return 1
        from specfirst.loader import load_spec
        from specfirst.scaffold import Scaffolder

        document = load_spec(Path(names.spec)).document if args.stubs == "examples" else None
        scaffolder = Scaffolder(
            result.api,
            names.package,
            Path(names.implementation),
            stubs=args.stubs,
            document=document,
        )
        stubs = scaffolder.write(scaffolder.plan())
        written += [path.as_posix() for path in stubs]

    for rel in sorted(written):
        print(f"  wrote {rel}", file=sys.stderr)
    for rel in sorted(kept):
        print(f"  kept  {rel} (exists; not overwritten)", file=sys.stderr)
    if scaffolder.table is not None and stubs:
        for line in scaffolder.table.summary():
            print(f"  {line}", file=sys.stderr)
    print(
        f"{root}: {len(result.api.operations)} operations generated into {names.package}/, "
        f"implementation in {names.implementation}/",
        file=sys.stderr,
    )
    where = "" if root.resolve() == Path.cwd().resolve() else f"cd {args.dir} && "
    print(
        f"next: {where}make run   (serve)   ·   make test   (tests and contract)", file=sys.stderr
    )
    return 0


def _plan_copy(source: Path, args: argparse.Namespace) -> SpecCopy | None:
    """The spec's files as they will be written (:mod:`specfirst.adopt`), or ``None`` after
    saying why they cannot be."""
    from specfirst.adopt.files import CopyError, plan_copy
    from specfirst.diagnostics import DiagnosticError

    if not source.is_file():
        print(f"specfirst: {source}: no such file", file=sys.stderr)
        return None
    try:
        copy = plan_copy(source, keep_format=args.keep_format)
    except DiagnosticError as exc:
        print_diagnostics(exc.diagnostics)
        print(f"specfirst: {source}: cannot be loaded (see above)", file=sys.stderr)
        return None
    except CopyError as exc:
        print(f"specfirst: {exc}", file=sys.stderr)
        return None
    for file in copy.converted:
        print(f"  {file.source.name} → specs/{file.target} (YAML, the same data)", file=sys.stderr)
    if sum(f.source.stat().st_size for f in copy.converted) > LARGE_JSON:
        print(
            "  a large spec: YAML parses about 20x slower than JSON (seconds per generate "
            "that changes it); --keep-format keeps it JSON",
            file=sys.stderr,
        )
    if args.add_operation_ids:
        from specfirst.adopt.operation_ids import add_operation_ids

        ids = add_operation_ids(copy)
        print(
            f"  added {len(ids.added)} operationId(s), the names generated code derives "
            "for them (a later path edit renames nothing)",
            file=sys.stderr,
        )
        for label, why in ids.left.items():
            print(f"  no operationId added to {label}: {why}", file=sys.stderr)
    return copy


def _context(names: Names, api: Any, *, example: bool) -> dict[str, Any]:
    from specfirst.pipeline import generator_version
    from specfirst.vendor import runtime_requirements

    return {
        "project": names.project,
        "implementation": names.implementation,
        "package": names.package,
        "spec": names.spec,
        "title": api.title,
        "example": example,
        "secured": bool(api.schemes),
        "runtime_requirements": runtime_requirements(api),
        "specfirst_version": generator_version(),
        "find_links": _find_links(),
    }


def _find_links() -> str:
    """``PIP_FIND_LINKS`` as given to this run, local folders made absolute: the project's
    Makefile installs specfirst from the same place when specfirst is on no package index."""
    entries = os.environ.get("PIP_FIND_LINKS", "").split()
    return " ".join(
        str(Path(entry).resolve()) if Path(entry).exists() else entry for entry in entries
    )


def _render(template: Path, context: dict[str, Any]) -> str:
    import jinja2

    env = jinja2.Environment(
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    return env.from_string(template.read_text(encoding="utf-8")).render(**context)


def _write(path: Path, text: str, rel: str, written: list[str], kept: list[str]) -> None:
    if path.exists():
        kept.append(rel)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    written.append(rel)
