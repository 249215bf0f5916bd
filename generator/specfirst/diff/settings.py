"""A team's configuration of ``specfirst diff``: rule severities and the ignore file.

A team may change a rule's severity (or turn it off) in ``pyproject.toml``::

    [tool.specfirst.diff]
    ignore-file = "specs/diff-ignore.yaml"       # accepted findings, each with a reason
    response-enum-widened = "possibly-breaking"  # rule id = breaking | possibly-breaking | info | off

The ignore file lists findings a team has accepted, like oasdiff's ``err-ignore``::

    - id: response-property-removed
      operation: GET /repos/{owner}/{repo}     # optional: every operation when omitted
      path: "200 → .template_repository"      # optional: a field path, or a prefix of one
      reason: removed in v4, announced in the changelog of 2026-10-01
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from specfirst.diff.registry import RULES
from specfirst.diff.rule import Severity


class ConfigError(Exception):
    """A problem with ``[tool.specfirst.diff]`` or the ignore file, with its location."""


@dataclass(frozen=True, slots=True)
class DiffSettings:
    severities: Mapping[str, Severity | None]
    ignore_file: Path | None = None


def load_diff_settings(pyproject: Path | None) -> DiffSettings:
    """``[tool.specfirst.diff]`` of a pyproject.toml: severity per rule id, and the ignore file."""
    if pyproject is None:
        return DiffSettings({})
    with pyproject.open("rb") as fh:
        data = tomllib.load(fh)
    table = data.get("tool", {}).get("specfirst", {}).get("diff", {})
    where = f"{pyproject} [tool.specfirst.diff]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: must be a table")
    severities: dict[str, Severity | None] = {}
    ignore: Path | None = None
    for key, value in table.items():
        if key == "ignore-file":
            if not isinstance(value, str):
                raise ConfigError(f"{where}: ignore-file must be a path string")
            ignore = pyproject.parent / value
            continue
        if key not in RULES:
            raise ConfigError(f"{where}: unknown rule {key!r} (see `specfirst diff --list-rules`)")
        if value == "off":
            severities[key] = None
            continue
        try:
            severities[key] = Severity(value)
        except ValueError:
            raise ConfigError(
                f"{where}: {key} = {value!r}: use breaking, possibly-breaking, info or off"
            ) from None
    return DiffSettings(severities, ignore)


@dataclass(frozen=True, slots=True)
class IgnoreEntry:
    id: str
    operation: str | None
    path: str | None
    reason: str
    line: int

    def matches(self, rule: str, operation: str, path: str) -> bool:
        if rule != self.id:
            return False
        if self.operation is not None and _norm_op(operation) != _norm_op(self.operation):
            return False
        return self.path is None or path == self.path or path.startswith(self.path)


def _norm_op(text: str) -> str:
    method, _, path = text.strip().partition(" ")
    return f"{method.upper()} {path.strip()}"


def load_ignore_file(path: Path) -> list[IgnoreEntry]:
    """The accepted findings of an ignore file; a clear message with a line for a bad entry."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the ignore file: {exc.strerror}") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise ConfigError(f"{where}: not valid YAML") from None
    if data is None:
        return []
    if not isinstance(data, list) or node is None:
        raise ConfigError(f"{path}:1:1: the ignore file must be a list of entries")
    entries = []
    for item, item_node in zip(data, node.value, strict=True):
        line = item_node.start_mark.line + 1
        where = f"{path}:{line}:{item_node.start_mark.column + 1}"
        if not isinstance(item, Mapping):
            raise ConfigError(f"{where}: an entry is a mapping with id, reason (operation, path)")
        unknown = set(item) - {"id", "operation", "path", "reason"}
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
        rule, reason = item.get("id"), item.get("reason")
        if not isinstance(rule, str) or rule not in RULES:
            raise ConfigError(f"{where}: id {rule!r} is not a rule (see --list-rules)")
        if not isinstance(reason, str) or not reason.strip():
            raise ConfigError(f"{where}: every accepted finding needs a reason")
        operation, field_path = item.get("operation"), item.get("path")
        for name, value in (("operation", operation), ("path", field_path)):
            if value is not None and not isinstance(value, str):
                raise ConfigError(f"{where}: {name} must be a string")
        entries.append(IgnoreEntry(rule, operation, field_path, reason.strip(), line))
    return entries
