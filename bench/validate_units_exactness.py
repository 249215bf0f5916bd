"""Validation by units against the whole pass, on many specs: same answer, and how long each takes.

For each spec given (files or folders, searched for ``*.yaml``/``*.json``), in one process:
the whole keyword pass (``validate_uncached``), then by units from an empty cache (cold), then
by units from that cache (warm: nothing changed); reports any spec whose three answers are not
identical, how many fell back to the whole pass, and the summed times.

    .venv/bin/python bench/validate_units_exactness.py specs/api.yaml tests/golden \\
        .cache/corpus/node_modules/@readme/oas-examples
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from specfirst.diagnostics import DiagnosticError
from specfirst.loader import load_spec
from specfirst.validate.run import validate_uncached
from specfirst.validate.units import UnitCache


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
    differ = fell_back = checked = 0
    whole_s = cold_s = warm_s = 0.0
    for path in _specs(sys.argv[1:]):
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
    print(
        f"{checked} specs, {differ} differ, {fell_back} fell back to the whole pass; "
        f"whole {whole_s:.2f}s, units cold {cold_s:.2f}s, warm {warm_s:.2f}s"
    )
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
