"""Which files ``specfirst init --spec`` writes under ``specs/``, and what each holds.

A spec brought from elsewhere is often minified JSON: every location would read
``specs/api.yaml:1:51255`` and every diff would be one line. So the entry file becomes
``specs/api.yaml`` and every JSON file becomes YAML beside where it was (``schemas/pet.json``
→ ``schemas/pet.yaml``, :mod:`specfirst.adopt.yaml_text`), loading to the same data; the
``$ref``s that name a renamed file are rewritten, in converted files and in YAML files alike
(a YAML file is otherwise copied as written). ``keep_format`` copies every file as it is,
under its own name.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

from specfirst.adopt.yaml_text import yaml_text
from specfirst.loader import SourceSpec, iter_refs, load_spec, resolve_pointer
from specfirst.loader.edit import rewrite_refs

ENTRY = "api.yaml"
_REMOTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


class CopyError(Exception):
    """The spec cannot be copied as asked (a file outside its folder, two files that would
    get the same name); the message says which and what to do."""


@dataclass
class SpecFile:
    """One file of the copied spec."""

    source: Path  # resolved
    target: str  # relative to specs/, POSIX: "api.yaml", "schemas/pet.yaml"
    text: str
    converted: bool = False  # JSON written as YAML

    @property
    def is_json(self) -> bool:
        return self.target.lower().endswith(".json")


@dataclass
class SpecCopy:
    """The source spec, loaded, and the files to write for it (the entry first)."""

    spec: SourceSpec
    files: list[SpecFile] = field(default_factory=list)

    @property
    def entry(self) -> SpecFile:
        return self.files[0]

    def by_source(self, path: Path) -> SpecFile:
        return next(f for f in self.files if f.source == path)

    @property
    def converted(self) -> list[SpecFile]:
        return [f for f in self.files if f.converted]


def plan_copy(source: Path, *, keep_format: bool = False) -> SpecCopy:
    """Load ``source`` and decide every file to write; raises ``DiagnosticError`` when it
    cannot be loaded, :class:`CopyError` when it cannot be copied as asked."""
    spec = load_spec(source)
    entry = source.resolve()
    base = entry.parent
    targets: dict[Path, str] = {}
    for path in spec.files:  # the entry first
        try:
            rel = path.relative_to(base).as_posix()
        except ValueError:
            raise CopyError(
                f"{path}: referenced by {source} but outside its folder; copy it by hand"
            ) from None
        if keep_format:
            targets[path] = rel
        elif path == entry:
            targets[path] = ENTRY
        else:
            targets[path] = re.sub(r"\.json$", ".yaml", rel, flags=re.IGNORECASE)
    taken: dict[str, Path] = {}
    for path, target in targets.items():
        other = taken.setdefault(target, path)
        if other != path:
            raise CopyError(
                f"{other} and {path} would both be copied to specs/{target}; rename one, "
                "or copy the files as they are with --keep-format"
            )
    copy = SpecCopy(spec)
    for path, target in targets.items():
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
        renamed = _Renamer(path, targets)
        if keep_format:  # a byte-order mark included
            copy.files.append(SpecFile(path, target, raw.decode("utf-8")))
        elif path.suffix.lower() == ".json":
            data = json.loads(text)
            for pointer, ref in list(iter_refs(data)):
                new = renamed(ref)
                if new is not None:
                    resolve_pointer(data, pointer)[1]["$ref"] = new
            copy.files.append(SpecFile(path, target, yaml_text(data), converted=True))
        else:
            copy.files.append(SpecFile(path, target, rewrite_refs(text, renamed)))
    return copy


class _Renamer:
    """A ``$ref`` written in ``referrer`` → the same ref to the copied file, when that
    file is copied under another name (``None`` when the ref stays as written)."""

    def __init__(self, referrer: Path, targets: dict[Path, str]) -> None:
        self.referrer = referrer
        self.targets = targets
        self.folder = posixpath.dirname(targets[referrer])

    def __call__(self, ref: str) -> str | None:
        file_part, hash_, fragment = ref.partition("#")
        if not file_part or _REMOTE.match(file_part):
            return None
        path = (self.referrer.parent / unquote(file_part)).resolve()
        target = self.targets.get(path)
        if target is None:
            return None
        rel = posixpath.relpath(target, self.folder or ".")
        if file_part.startswith("./") and not rel.startswith("."):
            rel = "./" + rel
        if "%" in file_part:
            rel = quote(rel)
        if unquote(rel) == unquote(file_part):
            return None
        return rel + hash_ + fragment
