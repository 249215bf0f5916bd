"""Hostile specs (issue 20 item 6): how the time of a command grows with the hostile part.

    .venv/bin/python bench/hostile_specs.py [--quick]

Builds, in a temporary folder, a spec with a chain of N bare ``$ref``s (refused past the
limit, :data:`specfirst.loader.chains.MAX_REF_CHAIN`) and one with an enum of N strings, and
times ``specfirst validate --no-cache`` / ``specfirst generate --no-cache --force`` on each, as
a child process. Each row gives the wall time and its ratio to the baseline of the same run
(a chain of 1 ref, an enum of 10 values), so a loaded machine shows in the baseline too: a
linear cost shows as a ratio that grows in step with N.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SPECFIRST = [sys.executable, "-m", "specfirst"]


def _spec(schema_name: str, schemas: dict[str, Any]) -> dict[str, Any]:
    ref = {"$ref": f"#/components/schemas/{schema_name}"}
    ok = {"description": "ok", "content": {"application/json": {"schema": ref}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "hostile", "version": "1"},
        "paths": {"/x": {"get": {"operationId": "getX", "responses": {"200": ok}}}},
        "components": {"schemas": schemas},
    }


def chain(n: int) -> dict[str, Any]:
    """``n`` refs from the response to content: S0 -> S1 -> ... -> S(n-1) (an object)."""
    schemas: dict[str, Any] = {
        f"S{i}": {"$ref": f"#/components/schemas/S{i + 1}"} for i in range(n - 1)
    }
    schemas[f"S{n - 1}"] = {"type": "object", "properties": {"a": {"type": "string"}}}
    return _spec("S0", schemas)


def enum(n: int) -> dict[str, Any]:
    return _spec("E", {"E": {"type": "string", "enum": [f"value-{i}" for i in range(n)]}})


def timed(folder: Path, doc: dict[str, Any], argv: list[str]) -> tuple[float, int, str]:
    (folder / "specs").mkdir(parents=True, exist_ok=True)
    (folder / "specs" / "api.yaml").write_text(json.dumps(doc, indent=1), encoding="utf-8")
    start = time.perf_counter()
    done = subprocess.run(
        [*SPECFIRST, *argv], cwd=folder, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    last = (done.stdout + done.stderr).strip().splitlines()[:1]
    return elapsed, done.returncode, (last[0][:110] if last else "")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller sizes")
    args = parser.parse_args()
    chains = [1, 1000, 2000, 3000] if args.quick else [1, 1000, 2000, 3000, 10_000]
    enums = [10, 50_000] if args.quick else [10, 100_000, 200_000]
    validate = ["validate", "--no-cache", "specs/api.yaml"]
    generate = ["generate", "--no-cache", "--force", "specs/api.yaml", "-o", "out"]
    print("| case | command | wall s | vs baseline | exit | first line |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for label, build, sizes, argv in (
            ("ref chain", chain, chains, validate),
            ("enum", enum, enums, generate),
        ):
            base = 0.0
            for n in sizes:
                elapsed, code, first = timed(Path(tmp) / f"{label}-{n}", build(n), argv)
                base = base or elapsed
                print(
                    f"| {label} {n:,} | {argv[0]} | {elapsed:.1f} | {elapsed / base:.1f} | "
                    f"{code} | {first} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
