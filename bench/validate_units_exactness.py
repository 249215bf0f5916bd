"""Validation by units against the whole pass, on many specs: same answer, and how long each takes.

For each spec given (files or folders, searched for ``*.yaml``/``*.json``), in one process:
the whole keyword pass (``validate_uncached``), then by units from an empty cache (cold), then
by units from that cache (warm: nothing changed); reports any spec whose three answers are not
identical, how many fell back to the whole pass, and the summed times.

With ``--edits N``, also after edits: for the N component schemas referenced most (and every
one named by an allOf), each edit of :data:`EDITS` in turn (a property added, one removed,
the properties' types changed, the description), validation by units from the unedited
document's cache against the whole pass on the edited document (an edit changes a unit's
result through what it references only if the unit's key holds that part of it).

    .venv/bin/python bench/validate_units_exactness.py [--edits 3] specs/api.yaml tests/golden \\
        .cache/corpus/node_modules/@readme/oas-examples
"""

from __future__ import annotations

import copy
import json
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from specfirst.diagnostics import DiagnosticError
from specfirst.loader import load_spec
from specfirst.validate.run import validate_uncached
from specfirst.validate.units import UnitCache

Edit = Callable[[dict[str, Any]], bool]


def _added(schema: dict[str, Any]) -> bool:
    if not isinstance(schema.get("properties"), dict):
        return False
    schema["properties"]["zz_added"] = {"type": "string"}
    return True


def _removed(schema: dict[str, Any]) -> bool:
    props = schema.get("properties")
    if not isinstance(props, dict) or not props:
        return False
    del props[next(iter(props))]
    return True


def _retyped(schema: dict[str, Any]) -> bool:
    props = schema.get("properties")
    if not isinstance(props, dict):
        return False
    changed = False
    for prop in props.values():
        if isinstance(prop, dict) and isinstance(prop.get("type"), str):
            prop["type"] = "integer" if prop["type"] == "string" else "string"
            changed = True
    return changed


def _described(schema: dict[str, Any]) -> bool:
    schema["description"] = "edited"
    return True


EDITS: dict[str, Edit] = {
    "property added": _added,
    "property removed": _removed,
    "types changed": _retyped,
    "description": _described,
}


def _edited_names(doc: dict[str, Any], count: int) -> list[str]:
    """The ``count`` component schemas referenced most, and every one an allOf names."""
    schemas = doc.get("components", {}).get("schemas", {})
    refs: Counter[str] = Counter()
    in_all_of: set[str] = set()
    stack: list[Any] = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                refs[ref.rsplit("/", 1)[1]] += 1
            members = node.get("allOf")
            for member in members if isinstance(members, list) else []:
                if isinstance(member, dict) and isinstance(member.get("$ref"), str):
                    in_all_of.add(member["$ref"].rsplit("/", 1)[1])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    names = [n for n, _ in refs.most_common(count)] + sorted(in_all_of)
    return [n for n in dict.fromkeys(names) if isinstance(schemas.get(n), dict)]


def _after_edits(path: Path, count: int, work: Path) -> list[str]:
    """The edits after which validation by units differs from the whole pass."""
    base = work / "base.json"
    base.write_text(json.dumps(load_spec(path).document), encoding="utf-8")
    spec = load_spec(base)
    units = UnitCache()
    validate_uncached(spec, units)
    differ: list[str] = []
    for name in _edited_names(spec.document, count):
        for label, edit in EDITS.items():
            doc = copy.deepcopy(spec.document)
            if not edit(doc["components"]["schemas"][name]):
                continue
            edited = work / "edited.json"
            edited.write_text(json.dumps(doc), encoding="utf-8")
            try:
                whole = validate_uncached(load_spec(edited))
                by_units = validate_uncached(load_spec(edited), UnitCache(units.used))
            except (DiagnosticError, RecursionError, ValueError):
                continue
            if by_units != whole:
                differ.append(f"{name}: {label}")
    return differ


def _specs(args: list[str]) -> list[Path]:
    out: list[Path] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
        else:
            out.append(path)
    return out


def main() -> int:
    args = sys.argv[1:]
    edits = 0
    if args[:1] == ["--edits"]:
        edits, args = int(args[1]), args[2:]
    differ = fell_back = checked = edited = 0
    whole_s = cold_s = warm_s = 0.0
    for path in _specs(args):
        try:
            spec = load_spec(path)
        except (DiagnosticError, RecursionError, ValueError):
            continue  # not a document validation reaches
        checked += 1
        started = time.perf_counter()
        whole = validate_uncached(spec)
        whole_s += time.perf_counter() - started
        units = UnitCache()
        started = time.perf_counter()
        cold = validate_uncached(spec, units)
        cold_s += time.perf_counter() - started
        started = time.perf_counter()
        warm = validate_uncached(spec, UnitCache(units.used))
        warm_s += time.perf_counter() - started
        fell_back += any(found is None for found in units.used.values())
        if not whole == cold == warm:
            differ += 1
            print(f"DIFFERS: {path}", flush=True)
        if edits:
            with tempfile.TemporaryDirectory() as work:
                wrong = _after_edits(path, edits, Path(work))
            edited += 1
            if wrong:
                differ += 1
                print(f"DIFFERS after an edit: {path}: {', '.join(wrong)}", flush=True)
    print(
        f"{checked} specs ({edited} edited), {differ} differ, "
        f"{fell_back} fell back to the whole pass; "
        f"whole {whole_s:.2f}s, units cold {cold_s:.2f}s, warm {warm_s:.2f}s"
    )
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
