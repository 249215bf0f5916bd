"""``[tool.specfirst]`` from pyproject.toml; command-line flags override it.

Also the levels of the validation rules, which a project may change in
``[tool.specfirst.validate]`` as it does lint's in ``[tool.specfirst.lint]``::

    [tool.specfirst.validate]
    invalid-default = "error"    # refuse a default that does not match its schema
    invalid-example = "off"      # say nothing about malformed examples (still dropped)

Rules whose finding makes the contract ambiguous (a $ref to nothing, two operations with one
operationId, a path parameter that is not declared …) cannot be lowered: no generator can know
what the author meant.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from specfirst.diagnostics import Diagnostic, Level

RuleLevels = Mapping[str, Level | None]
"""Rule id → its level, ``None`` for off."""


@dataclass(frozen=True, slots=True)
class ValidationRule:
    level: Level
    summary: str
    lowerable: bool = True  # False: the contract would be ambiguous, so it stays an error


VALIDATION_RULES: dict[str, ValidationRule] = {
    "invalid-default": ValidationRule(
        Level.WARNING, "a default that does not match its schema (dropped from generated code)"
    ),
    "invalid-example": ValidationRule(
        Level.WARNING, "a malformed example (dropped from generated code)"
    ),
    "unknown-dialect": ValidationRule(
        Level.WARNING, "a $schema other than JSON Schema 2020-12 (read as 2020-12)"
    ),
    "required-undefined": ValidationRule(
        Level.WARNING,
        "'required' names a property no 'properties'/'allOf' member defines (any value then)",
    ),
    "no-responses": ValidationRule(
        Level.WARNING, "an OpenAPI 3.0 operation with an empty 'responses'"
    ),
    "duplicate-tag": ValidationRule(Level.ERROR, "a tag declared twice"),
    "openapi-schema": ValidationRule(
        Level.ERROR, "the document breaks the OpenAPI schema", lowerable=False
    ),
    "unresolved-ref": ValidationRule(Level.ERROR, "a $ref that names nothing", lowerable=False),
    "duplicate-operation-id": ValidationRule(
        Level.ERROR, "two operations with one operationId", lowerable=False
    ),
    "duplicate-parameter": ValidationRule(
        Level.ERROR, "a parameter declared twice", lowerable=False
    ),
    "path-parameter": ValidationRule(
        Level.ERROR, "a path template and its parameters disagree", lowerable=False
    ),
}


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
    validate: RuleLevels = field(default_factory=dict)
    """Levels from ``[tool.specfirst.validate]``."""
    problems: tuple[Diagnostic, ...] = ()
    """What is wrong with the configuration itself (a command reports them and stops)."""


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
    where = f"{pyproject.name if pyproject else 'pyproject.toml'} [tool.specfirst.validate]"
    raw = table.get("validate", {})
    if isinstance(raw, dict):
        levels, problems = parse_validate_settings(raw, where)
    else:
        levels, problems = {}, [Diagnostic(Level.ERROR, "config", f"{where} must be a table")]
    return Config(
        spec=_relative(spec_path, cwd),
        output=_relative(out_path, cwd),
        package=pkg,
        templates=root / str(templates) if templates else None,
        root=root,
        implementation=_relative(root / str(implementation), cwd) if implementation else None,
        validate=levels,
        problems=tuple(problems),
    )


_LEVELS: dict[str, Level | None] = {
    "off": None,
    "warning": Level.WARNING,
    "warn": Level.WARNING,
    "error": Level.ERROR,
}


def parse_levels(
    table: Mapping[str, object], rule_ids: frozenset[str], where: str, config_rule: str
) -> tuple[dict[str, Level | None], list[Diagnostic]]:
    """Rule levels from a TOML table (``rule = "off" | "warning" | "error"``), and its problems."""
    settings: dict[str, Level | None] = {}
    problems: list[Diagnostic] = []
    for key, value in table.items():
        if key not in rule_ids:
            close = ", ".join(sorted(rule_ids))
            problems.append(
                Diagnostic(
                    Level.ERROR,
                    config_rule,
                    f"{where}: unknown rule {key!r}; the rules are: {close}",
                )
            )
            continue
        if not isinstance(value, str) or value.lower() not in _LEVELS:
            problems.append(
                Diagnostic(
                    Level.ERROR,
                    config_rule,
                    f'{where}: {key} = {value!r}; use "off", "warning" or "error"',
                )
            )
            continue
        settings[key] = _LEVELS[value.lower()]
    return settings, problems


def parse_validate_settings(
    table: Mapping[str, object], where: str = "[tool.specfirst.validate]"
) -> tuple[dict[str, Level | None], list[Diagnostic]]:
    """Levels of the validation rules; a rule that cannot be lowered is a problem if lowered."""
    settings, problems = parse_levels(table, frozenset(VALIDATION_RULES), where, "validate-config")
    for rule_id, level in list(settings.items()):
        if VALIDATION_RULES[rule_id].lowerable or level is Level.ERROR:
            continue
        del settings[rule_id]
        problems.append(
            Diagnostic(
                Level.ERROR,
                "validate-config",
                f"{where}: {rule_id} cannot be lowered: {VALIDATION_RULES[rule_id].summary} "
                "makes the contract ambiguous, so it stays an error",
            )
        )
    return settings, problems


def _relative(path: Path, cwd: Path) -> Path:
    try:
        return path.resolve().relative_to(cwd.resolve())
    except ValueError:
        return path
