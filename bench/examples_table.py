"""Example data for ``--stubs examples`` (and ``specfirst mock``) on a large spec.

    .venv/bin/python bench/examples_table.py [SPEC]   # default: GitHub's REST spec

Times, in one run, what ``init --stubs examples`` adds (``build_table``: every declared
response's examples checked against its schema, the rest synthesized) against what every
``init`` and ``scaffold`` already pays (``build_api``: the IR), and prints the ratio.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from specfirst.examples.table import build_table
from specfirst.loader import load_spec
from specfirst.pipeline import build_api

ROOT = Path(__file__).resolve().parents[1]
GITHUB = ROOT / ".cache/corpus/node_modules/@octokit/openapi/generated/api.github.com.json"


def main() -> int:
    spec = Path(sys.argv[1]) if len(sys.argv) > 1 else GITHUB
    start = time.perf_counter()
    api, _ = build_api(spec)
    ir = time.perf_counter() - start
    if api is None:
        print(f"{spec}: no IR", file=sys.stderr)
        return 1
    document = load_spec(spec).document
    start = time.perf_counter()
    table = build_table(api, document)
    data = table.to_json()
    examples = time.perf_counter() - start
    print(f"{spec.name}: {len(api.operations)} operations, examples.json {len(data) / 1e6:.1f} MB")
    print(f"build_api {ir:.1f} s, build_table {examples:.1f} s, ratio {examples / ir:.2f}")
    print(table.summary()[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
