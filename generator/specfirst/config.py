"""``[tool.specfirst]`` from pyproject.toml; command-line flags override it."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

CACHE_DIR = ".specfirst-cache"
"""Parsed documents, validation results and models, keyed by content hash, in the project root.
Safe to delete; never commit it (``specfirst init`` puts it in ``.gitignore``)."""


@dataclass(frozen=True, slots=True)
class Config:
    spec: Path
    output: Path
    package: str
    templates: Path | None = None
    root: Path = Path(".")
    implementation: Path | None = None
    """The hand-written code ``specfirst check`` type-checks with the output package."""


def find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(
    *,
    spec: str | None = None,
    output: str | None = None,
    package: str | None = None,
    cwd: Path | None = None,
) -> Config:
    """Settings from the nearest pyproject.toml, overridden by explicit arguments."""
    cwd = cwd or Path.cwd()
    table: dict[str, object] = {}
    root = cwd
    pyproject = find_pyproject(cwd)
    if pyproject is not None:
        with pyproject.open("rb") as fh:
            data = tomllib.load(fh)
        found = data.get("tool", {}).get("specfirst", {})
        if isinstance(found, dict):
            table = found
            root = pyproject.parent
    spec_path = Path(spec) if spec else root / str(table.get("spec", "specs/api.yaml"))
    out_path = Path(output) if output else root / str(table.get("output", "generated"))
    pkg = package or str(table.get("package", "")) or out_path.name
    templates = table.get("templates")
    implementation = table.get("implementation")
    return Config(
        spec=_relative(spec_path, cwd),
        output=_relative(out_path, cwd),
        package=pkg,
        templates=root / str(templates) if templates else None,
        root=root,
        implementation=_relative(root / str(implementation), cwd) if implementation else None,
    )


def _relative(path: Path, cwd: Path) -> Path:
    try:
        return path.resolve().relative_to(cwd.resolve())
    except ValueError:
        return path
