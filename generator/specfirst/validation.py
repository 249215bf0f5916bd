"""Validation as callers ask for it: :func:`check`, :func:`validate`, and the cache behind them.

:func:`check` and :func:`validate` answer from the cache when they can (same document, or the
last one with only prose changed) and import the validator (:mod:`specfirst.validate.run`, which
loads openapi-spec-validator and jsonschema, a quarter of a second) only when they cannot. What
they return, :class:`Validation`, is :mod:`specfirst.validate.results`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import replace
from importlib.metadata import version
from pathlib import Path
from typing import Any

from specfirst import cachedir
from specfirst import config as config_module
from specfirst.config import RuleLevels
from specfirst.diagnostics import Diagnostic, Level, Location, sort_diagnostics
from specfirst.loader import Pointer, SourceSpec
from specfirst.loader.json_pieces import JsonPieces
from specfirst.validate.results import Repair, Validation

__all__ = ["DEFAULT_CACHE_DIR", "Repair", "Validation", "check", "validate"]

# Bump when the cache file's layout changes (a change of this module's code or of the rules'
# table changes the key by itself, see _code_fingerprint).
_CACHE_FORMAT = "2"

DEFAULT_CACHE_DIR = Path(".specfirst-cache/validate")
"""Where callers usually keep the cache (relative to the working directory)."""


def validate(
    spec: SourceSpec, *, cache_dir: Path | None = None, settings: RuleLevels | None = None
) -> list[Diagnostic]:
    """Validate ``spec``; return every diagnostic, sorted by location.

    With ``cache_dir``, the result for an unchanged input (same content hash, same
    openapi-spec-validator) is read back from disk instead of recomputed. ``settings`` changes
    rules' levels (``[tool.specfirst.validate]``).
    """
    return check(spec, cache_dir=cache_dir, settings=settings).diagnostics


def check(
    spec: SourceSpec, *, cache_dir: Path | None = None, settings: RuleLevels | None = None
) -> Validation:
    """:func:`validate`, with the repairs a generator applies (see :class:`Validation`)."""
    if cache_dir is None:
        return _with_levels(_uncached(spec), settings or {})
    cache_file = _cache_file(spec, cache_dir)
    result = _read_cache(cache_file)
    if result is None:
        result = _after_prose_change(spec, cache_dir)
        if result is None:
            units = _read_units(cache_dir)
            with spec.recording() as located:
                result = _uncached(spec, units)
            _write_snapshot(spec, cache_dir, result, located)
            _write_units(cache_dir, units)
        _write_cache(cache_file, result)
    return _with_levels(result, settings or {})


# --------------------------------------------------------------------------- prose edits
#
# Editing a description is the most common change to a spec, and on a big one validating
# again costs seconds. Prose cannot change what validation finds: a description, summary or
# title is any string. So the last result is kept with the document it was found on
# (``last.snapshot``, JSON), its diagnostics by pointer; when the new document differs from
# that one only in such strings, the result is located again in the new text instead of
# recomputed.

_PROSE = frozenset({"description", "summary", "title"})
# Keys whose values are data, not OpenAPI or schema objects: any change there validates again.
_DATA_VALUES = frozenset({"example", "examples", "default", "enum", "const"})
# Keys whose mapping values are schemas keyed by name (a property may be called "title").
_NAMED_SCHEMAS = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)


def _prose_changes(old: Any, new: Any, pointer: Pointer, out: list[Pointer]) -> bool:
    """Collect in ``out`` where ``new`` differs from ``old`` by a prose string; False when
    it differs in anything else (then nothing can be reused)."""
    if isinstance(old, dict) and isinstance(new, dict):
        if old.keys() != new.keys():
            return False
        return all(
            _member_changes(pointer, key, before, new[key], out)
            for key, before in old.items()
            if before != new[key]
        )
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return all(
            _prose_changes(before, after, (*pointer, i), out)
            for i, (before, after) in enumerate(zip(old, new, strict=True))
            if before != after
        )
    return False


def _member_changes(parent: Pointer, key: Any, before: Any, after: Any, out: list[Pointer]) -> bool:
    """:func:`_prose_changes` of the member ``key`` of the mapping at ``parent``."""
    named = bool(parent) and parent[-1] in _NAMED_SCHEMAS
    if key in _PROSE and not named and isinstance(before, str) and isinstance(after, str):
        out.append((*parent, key))
        return True
    if key in _DATA_VALUES or key.startswith("x-"):
        return False
    return _prose_changes(before, after, (*parent, key), out)


def _prose_changes_by_piece(
    saved: list[Any], body: str, pieces: JsonPieces, out: list[Pointer]
) -> bool:
    """:func:`_prose_changes` of the snapshot's document (``body``, its pieces where
    ``saved`` says) and ``pieces``' document, piece by piece: a piece whose text is the same
    is the same, and only the others are read back."""
    where = {tuple(keys): (start, end) for keys, start, end in saved}
    if where.keys() != pieces.by_keys.keys():
        return False  # a path, a component or a section added or removed
    for keys, value, text in pieces.pieces:
        start, end = where[keys]
        if end - start == len(text) and body.startswith(text, start):
            continue
        if not _member_changes(keys[:-1], keys[-1], json.loads(body[start:end]), value, out):
            return False
    return True


def _context(spec: SourceSpec) -> list[str]:
    """What a cached result depends on besides the document."""
    return [
        _validator_version(),
        _CACHE_FORMAT,
        _code_fingerprint(),
        str(spec.path),
        os.getcwd(),  # locations are shown relative to it
    ]


def _write_snapshot(
    spec: SourceSpec, cache_dir: Path, result: Validation, located: dict[Location, Pointer]
) -> None:
    """Keep ``result`` with its document, diagnostics by pointer (when each one has one)."""
    diagnostics = []
    for d in result.diagnostics:
        pointer = located.get(d.location) if d.location is not None else None
        if d.location is not None and pointer is None:
            return  # located some other way: could not be located again after an edit
        diagnostics.append(
            {"level": d.level.value, "rule": d.rule, "message": d.message, "pointer": pointer}
        )
    payload = {
        "context": _context(spec),
        "diagnostics": diagnostics,
        "repairs": [[list(pointer), value] for pointer, value in result.repairs],
    }
    pieces = spec.json_pieces()
    if pieces is None:
        _write_json(cache_dir / "last.snapshot", {**payload, "document": spec.document})
        return
    # The document's JSON as dumped once for the run (the served openapi.json's), after a line
    # that says where each of its pieces is: the next run reads only the pieces whose text
    # changed, not the whole document (GitHub's: 0.1 s).
    where = [[list(keys), start, end] for keys, (start, end) in pieces.offsets().items()]
    try:
        head = json.dumps({**payload, "pieces": where}, ensure_ascii=False)
    except (TypeError, ValueError):
        return
    cachedir.write(cache_dir / "last.snapshot", f"{head}\n{pieces.whole()}")


def _after_prose_change(spec: SourceSpec, cache_dir: Path) -> Validation | None:
    """The last result, located in ``spec``, if ``spec`` differs from its document in prose
    only, and no diagnostic or repair covers the changed text (a message may quote it)."""
    try:
        head, _, body = cachedir.read(cache_dir / "last.snapshot").decode().partition("\n")
        saved = json.loads(head)
        if saved["context"] != _context(spec):
            return None
        changed: list[Pointer] = []
        pieces = spec.json_pieces() if "pieces" in saved else None
        if pieces is not None:
            if not _prose_changes_by_piece(saved["pieces"], body, pieces, changed):
                return None
        elif not _prose_changes(
            saved.get("document") or json.loads(body), spec.document, (), changed
        ):
            return None
        covering = [tuple(r[0]) for r in saved["repairs"]]
        covering += [tuple(d["pointer"]) for d in saved["diagnostics"] if d["pointer"] is not None]
        if any(c[: len(p)] == p for c in changed for p in covering):
            return None
        diagnostics = [
            Diagnostic(
                Level(d["level"]),
                str(d["rule"]),
                str(d["message"]),
                spec.locate(tuple(d["pointer"])) if d["pointer"] is not None else None,
            )
            for d in saved["diagnostics"]
        ]
        repairs = tuple((tuple(pointer), value) for pointer, value in saved["repairs"])
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None
    # The snapshot stays: a document that differs from this one in prose only differs from
    # the snapshot's in prose only too, so the next edit is compared with it as well.
    return Validation(sort_diagnostics(diagnostics), repairs)


def _with_levels(result: Validation, settings: RuleLevels) -> Validation:
    if not settings:
        return result
    out = []
    for diag in result.diagnostics:
        level = settings.get(diag.rule, diag.level)
        if level is not None:
            out.append(diag if level is diag.level else replace(diag, level=level))
    return Validation(out, result.repairs)


# --------------------------------------------------------------------------- cache


def _cache_file(spec: SourceSpec, cache_dir: Path) -> Path:
    key = "\0".join([spec.content_hash, *_context(spec)])
    return cache_dir / f"{hashlib.sha256(key.encode()).hexdigest()}.json"


@functools.cache
def _code_fingerprint() -> str:
    """The validation code itself: a result cached by another version is not reused."""
    digest = hashlib.sha256()
    here = Path(__file__)
    validator = sorted(here.with_name("validate").glob("*.py"))
    for module in (here, *validator, Path(config_module.__file__)):
        digest.update(module.read_bytes())
    return digest.hexdigest()


def _read_cache(path: Path) -> Validation | None:
    try:
        raw = json.loads(cachedir.read(path))
        out = []
        for item in raw["diagnostics"]:
            loc = item["location"]
            out.append(
                Diagnostic(
                    Level(item["level"]),
                    str(item["rule"]),
                    str(item["message"]),
                    Location(str(loc[0]), int(loc[1]), int(loc[2])) if loc else None,
                )
            )
        repairs = tuple((tuple(pointer), value) for pointer, value in raw["repairs"])
        return Validation(out, repairs)
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def _write_cache(path: Path, result: Validation) -> None:
    payload = {
        "diagnostics": [
            {
                "level": d.level.value,
                "rule": d.rule,
                "message": d.message,
                "location": (
                    [d.location.file, d.location.line, d.location.col] if d.location else None
                ),
            }
            for d in result.diagnostics
        ],
        "repairs": [[list(pointer), value] for pointer, value in result.repairs],
    }
    _write_json(path, payload)


def _write_json(path: Path, payload: Any) -> None:
    try:
        text = json.dumps(payload, ensure_ascii=False)  # dumps: C encoder, dump is not
    except (TypeError, ValueError):
        return  # a document JSON cannot hold (YAML binary): no cache, only time lost
    cachedir.write(path, text)


def _uncached(spec: SourceSpec, saved_units: dict[str, Any] | None = None) -> Validation:
    """Validate ``spec``; with ``saved_units`` (updated in place to what this document's
    units found), the keyword pass reuses what the units that did not change found before."""
    from specfirst.validate import run  # the heavy part, only when needed
    from specfirst.validate.units import UnitCache

    if saved_units is None:
        return run.validate_uncached(spec)
    units = UnitCache(saved_units)
    result = run.validate_uncached(spec, units)
    saved_units.clear()
    saved_units.update(units.used)
    return result


# --------------------------------------------------------------------------- units
#
# Any other edit: the keyword pass (most of validation's time) is made per path item and per
# component schema, and what a unit found is kept under a key of its content
# (specfirst.validate.units), so that only the units an edit touched are checked again.


def _units_context() -> list[str]:
    return [_validator_version(), _CACHE_FORMAT, _code_fingerprint()]


def _read_units(cache_dir: Path) -> dict[str, Any]:
    """What the units of the last document found; the schema objects found valid against
    their meta-schema go to :data:`specfirst.validate.keywords.META_VALID`."""
    from specfirst.validate.keywords import META_VALID

    META_VALID.load([])
    try:
        saved = json.loads(cachedir.read(cache_dir / "last.units"))
        if saved["context"] == _units_context() and isinstance(saved["units"], dict):
            META_VALID.load([str(key) for key in saved["meta"]])
            return dict(saved["units"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return {}


def _write_units(cache_dir: Path, units: dict[str, Any]) -> None:
    """Keep what the units of the last document found (only those: the file stays the size
    of one document's units), and which of its schema objects are valid."""
    from specfirst.validate.keywords import META_VALID

    payload = {"context": _units_context(), "units": units, "meta": sorted(META_VALID.used)}
    _write_json(cache_dir / "last.units", payload)


@functools.cache
def _validator_version() -> str:
    return version("openapi-spec-validator")
