"""``specfirst check``: is the repository consistent with its spec? For CI and pre-commit.

Four steps, all run even when one fails, then one summary line:

1. **validate** the spec;
2. **drift**: regenerate in memory and compare with the output folder byte for byte, naming
   the files that differ, are missing, or should not be there;
3. **lint** with the project's ``[tool.specfirst.lint]`` settings;
4. **mypy** ``--strict`` of the output package and ``[tool.specfirst] implementation`` with the project's configuration,
   which proves the hand-written service still satisfies every generated protocol. Model
   constructors are type-checked only where that configuration sets the pydantic plugin's
   ``init_typed`` (``specfirst init`` does); the summary says when it does not.
"""

from __future__ import annotations

import argparse
import configparser
import difflib
import subprocess
import sys
import time
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from specfirst.commands.common import require
from specfirst.config import CACHE_DIR, Config, load_config
from specfirst.diagnostics import Diagnostic, DiagnosticError, Level, has_errors, sort_diagnostics

STEPS = ("validate", "drift", "lint", "mypy")
# Files in the output folder that are not part of the rendered package.
_IGNORED_PARTS = frozenset({"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache"})


def register(sub: Any) -> None:
    p = sub.add_parser(
        "check",
        help="fail if generated/ is stale, the spec is invalid or unlinted, or the implementation does not type-check",
        description="Validate and lint the spec, check that the output folder is exactly what the "
        "spec generates now, and run mypy --strict on the output package and the configured implementation.",
    )
    p.add_argument("spec", nargs="?", help="spec file (default: [tool.specfirst] spec)")
    p.add_argument("-o", "--output", help="output folder (default: [tool.specfirst] output)")
    p.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=STEPS,
        help="skip a step (repeatable)",
    )
    p.add_argument("--diff", action="store_true", help="show a unified diff of differing files")
    p.set_defaults(func=run)


@dataclass
class Drift:
    """How the output folder differs from what the spec generates now (relative paths)."""

    differ: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.differ or self.missing or self.extra)

    def count(self) -> int:
        return len(self.differ) + len(self.missing) + len(self.extra)


def compare_tree(expected: Mapping[str, bytes], output: Path) -> Drift:
    """Compare rendered files (relative path → bytes) with the files under ``output``."""
    from specfirst.pipeline import MANIFEST

    drift = Drift()
    for rel, data in sorted(expected.items()):
        target = output / rel
        if not target.is_file():
            drift.missing.append(rel)
        elif target.read_bytes() != data:
            drift.differ.append(rel)
    if output.is_dir():
        for path in sorted(output.rglob("*")):
            rel = path.relative_to(output).as_posix()
            if (
                not path.is_file()
                or rel == MANIFEST
                or _IGNORED_PARTS & set(path.relative_to(output).parts)
                or path.suffix == ".pyc"
            ):
                continue
            if rel not in expected:
                drift.extra.append(rel)
    return drift


def _has_python(path: Path) -> bool:
    return path.suffix == ".py" if path.is_file() else any(path.rglob("*.py"))


def mypy_command(targets: list[str]) -> list[str]:
    """The venv's mypy, strict, with the project's configuration (run from the project root)."""
    return [sys.executable, "-m", "mypy", "--strict", *targets]


def constructors_typed(root: Path) -> bool:
    """Whether the mypy configuration found from ``root`` types model constructors.

    Only the pydantic plugin with ``init_typed`` does: without it ``Book(title=None)`` passes
    mypy and fails at run time. The files are tried in mypy's own order.
    """
    for name in ("mypy.ini", ".mypy.ini"):
        if (root / name).is_file():
            return _ini_typed(root / name)
    try:
        tool = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8")).get("tool")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        tool = None
    if isinstance(tool, dict) and isinstance(tool.get("mypy"), dict):
        plugins = tool["mypy"].get("plugins", [])
        plugins = [plugins] if isinstance(plugins, str) else plugins
        options = tool.get("pydantic-mypy")
        typed = isinstance(options, dict) and options.get("init_typed") is True
        return typed and "pydantic.mypy" in plugins
    return (root / "setup.cfg").is_file() and _ini_typed(root / "setup.cfg")


def _ini_typed(path: Path) -> bool:
    parser = configparser.ConfigParser()
    try:
        parser.read(path, encoding="utf-8")
        plugins = {p.strip() for p in parser.get("mypy", "plugins", fallback="").split(",")}
        return "pydantic.mypy" in plugins and parser.getboolean(
            "pydantic-mypy", "init_typed", fallback=False
        )
    except (OSError, UnicodeDecodeError, configparser.Error, ValueError):
        return False


def run(args: argparse.Namespace) -> int:
    config = load_config(spec=args.spec, output=args.output)
    skip = set(args.skip)
    results: dict[str, str] = {}
    failed: list[str] = []

    def say(line: str) -> None:
        print(line, file=sys.stderr)

    started = time.perf_counter()
    spec = None
    try:
        from specfirst.loader import load_spec

        spec = load_spec(config.spec)
    except DiagnosticError as exc:
        _print(exc.diagnostics)
        results["validate"] = "FAILED (the spec cannot be loaded)"
        failed.append("validate")

    if config.problems:
        _print(list(config.problems))
        results["validate"] = "FAILED ([tool.specfirst.validate] is invalid)"
        failed.append("validate")
    elif spec is not None and not ({"validate", "drift"} <= skip):
        _check_spec(spec, config, skip, args.diff, results, failed, say)
    if spec is not None and "lint" not in skip:
        from specfirst.commands.lint import lint_spec

        diagnostics, _ = lint_spec(config.root, config.spec)
        _print(diagnostics)
        errors = sum(1 for d in diagnostics if d.level is Level.ERROR)
        warnings = sum(1 for d in diagnostics if d.level is Level.WARNING)
        results["lint"] = (
            f"FAILED ({errors} error(s), {warnings} warning(s))"
            if errors
            else f"ok ({warnings} warning(s))"
            if warnings
            else "ok"
        )
        if errors:
            failed.append("lint")
    if "mypy" not in skip:
        require("mypy", "typecheck", "the type check")
        candidates = [config.output]
        if config.implementation is not None:
            candidates.append(config.implementation)
        else:
            say(
                "check: no [tool.specfirst] implementation set: only the generated package is "
                "type-checked"
            )
        targets = [p.as_posix() for p in candidates if p.exists() and _has_python(p)]
        if not targets:
            results["mypy"] = "skipped (nothing to check)"
        else:
            targets = [_relative(Path(t), config.root) for t in targets]
            done = subprocess.run(
                mypy_command(targets),
                cwd=config.root,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                output = (done.stdout + done.stderr).rstrip()
                if output:
                    say(output)
                last = output.splitlines()[-1] if output else f"exit code {done.returncode}"
                results["mypy"] = f"FAILED ({last})"
                failed.append("mypy")
            else:
                results["mypy"] = f"ok ({' '.join(targets)})"
            if not constructors_typed(config.root):
                results["mypy"] += (
                    "; model constructors unchecked: set init_typed = true under "
                    "[tool.pydantic-mypy] (with the pydantic.mypy plugin)"
                )
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{step} {results[step]}" for step in STEPS if step in results)
    say(f"check: {summary} ({elapsed:.1f}s)")
    if failed:
        say(f"check: FAILED: {', '.join(failed)}")
        return 1
    return 0


def _check_spec(
    spec: Any,
    config: Config,
    skip: set[str],
    show_diff: bool,
    results: dict[str, str],
    failed: list[str],
    say: Any,
) -> None:
    """Validation and drift share the in-memory build: it validates before it renders."""
    from specfirst.pipeline import build_files

    if "drift" in skip:
        from specfirst.validation import validate

        diagnostics = validate(
            spec, cache_dir=config.root / CACHE_DIR / "validate", settings=config.validate
        )
        files: dict[str, bytes] = {}
    else:
        try:
            _, files, diagnostics = build_files(
                spec,
                cache_dir=config.root / CACHE_DIR / "validate",
                templates=config.templates,
                settings=config.validate,
            )
        except DiagnosticError as exc:
            files, diagnostics = {}, list(exc.diagnostics)
    _print(diagnostics)
    errors = has_errors(diagnostics)
    if "validate" not in skip:
        if has_errors(d for d in diagnostics if d.rule != "internal"):
            results["validate"] = "FAILED"
            failed.append("validate")
        else:
            results["validate"] = "ok"
    if "drift" in skip:
        return
    if errors:
        results["drift"] = "not checked (the package cannot be generated)"
        failed.append("drift")
        return
    drift = compare_tree(files, config.output)
    out = config.output.as_posix().rstrip("/")
    if drift.clean:
        results["drift"] = f"ok ({out}/ matches {config.spec.as_posix()})"
        return
    for kind, names in (
        ("differs", drift.differ),
        ("missing", drift.missing),
        ("extra", drift.extra),
    ):
        for rel in names:
            say(f"{out}/{rel}: {kind}")
            if show_diff and kind == "differs":
                _show_diff(config.output / rel, files[rel], say)
    say(
        f"{out}/ is not what {config.spec.as_posix()} generates: "
        f"{len(drift.differ)} differ, {len(drift.missing)} missing, {len(drift.extra)} extra; "
        "run `specfirst generate` (or `make generate`) and commit the result"
    )
    results["drift"] = f"FAILED ({drift.count()} file(s))"
    failed.append("drift")


def _show_diff(path: Path, expected: bytes, say: Any, limit: int = 200) -> None:
    try:
        current = path.read_text(encoding="utf-8").splitlines(keepends=True)
        wanted = expected.decode("utf-8").splitlines(keepends=True)
    except (OSError, UnicodeDecodeError):
        return
    lines = list(
        difflib.unified_diff(current, wanted, f"{path} (on disk)", f"{path} (generated now)")
    )
    for line in lines[:limit]:
        say(line.rstrip("\n"))
    if len(lines) > limit:
        say(f"... {len(lines) - limit} more line(s)")


def _print(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in sort_diagnostics(diagnostics):
        if diagnostic.level is not Level.INFO:
            print(diagnostic.format(), file=sys.stderr)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
