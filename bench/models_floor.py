"""Where cold generation's time goes: datamodel-code-generator on GitHub's models document.

specfirst hands datamodel-code-generator (dcg) one models document (the component schemas
plus the ones it hoisted, readOnly/writeOnly shapes split). A cold ``specfirst generate``
cannot be faster than that step, which runs in a worker while the rest overlaps it. This
measures how the step's time would change with the levers the issue names, each variant in
a fresh process, one after the other:

- ``full``: the document as specfirst gives it;
- ``simple stubbed``: every plain object schema (properties only primitives, enums, arrays of
  them, or refs) replaced by a one-field stub, as if specfirst rendered those itself;
- ``half 1/2``, ``half 2/2``: the schemas split in two by size, the other half stubbed, as
  if the step ran on two cores.

    .venv/bin/python bench/models_floor.py [SPEC]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SPEC = ROOT / ".cache/corpus/node_modules/@octokit/openapi/generated/api.github.com.json"
STUB = {"type": "object", "properties": {"x": {"type": "string"}}}


def _plain(schema: Any) -> bool:
    """A property schema a hand-written renderer would find easy."""
    if not isinstance(schema, dict):
        return False
    if "$ref" in schema:
        return set(schema) <= {"$ref", "description", "nullable"}
    composite = ("allOf", "oneOf", "anyOf", "not", "properties", "additionalProperties")
    if any(k in schema for k in (*composite, "patternProperties", "const")):
        return False
    kind = schema.get("type")
    if kind == "array":
        return _plain(schema.get("items"))
    return kind in ("string", "integer", "number", "boolean")


def _simple_object(schema: Any) -> bool:
    return (
        isinstance(schema, dict)
        and schema.get("type") == "object"
        and isinstance(schema.get("properties"), dict)
        and not any(k in schema for k in ("allOf", "oneOf", "anyOf", "patternProperties"))
        and all(_plain(p) for p in schema["properties"].values())
    )


def variants(document: dict[str, Any]) -> dict[str, tuple[dict[str, Any], int]]:
    """name -> (document, how many schemas it keeps real)."""
    schemas: dict[str, Any] = document["components"]["schemas"]

    def keeping(real: set[str]) -> dict[str, Any]:
        kept = {name: (s if name in real else STUB) for name, s in schemas.items()}
        return {**document, "components": {**document["components"], "schemas": kept}}

    by_size = sorted(schemas, key=lambda n: len(json.dumps(schemas[n])), reverse=True)
    halves = [set(by_size[0::2]), set(by_size[1::2])]
    not_simple = {n for n, s in schemas.items() if not _simple_object(s)}
    return {
        "full": (document, len(schemas)),
        "simple stubbed": (keeping(not_simple), len(not_simple)),
        "half 1/2": (keeping(halves[0]), len(halves[0])),
        "half 2/2": (keeping(halves[1]), len(halves[1])),
    }


_CHILD = """
import json, sys, time
from specfirst.models import generate_models
document = json.load(open(sys.argv[1]))
started = time.process_time()
source, classes, _ = generate_models(document, "# bench")
print(json.dumps({"cpu_s": time.process_time() - started, "classes": len(classes)}))
"""


def main() -> int:
    spec = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SPEC
    if not spec.is_file():
        print(f"{spec}: not found; run `make corpus-fetch` first", file=sys.stderr)
        return 2
    from specfirst.loader import load_spec
    from specfirst.parser import ApiParser

    document = ApiParser(load_spec(spec)).models_document()
    rows = []
    with tempfile.TemporaryDirectory(prefix="specfirst-floor-") as tmp:
        for name, (doc, real) in variants(document).items():
            path = Path(tmp) / "models.json"
            path.write_text(json.dumps(doc), encoding="utf-8")
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True
            )
            wall = time.perf_counter() - started
            if done.returncode != 0:
                sys.exit(f"{name}: failed\n{done.stderr[-2000:]}")
            measured = json.loads(done.stdout.splitlines()[-1])
            rows.append((name, real, measured["classes"], measured["cpu_s"], wall))
    full_cpu = rows[0][3]
    print("| variant | schemas kept | classes | dcg CPU s | vs full | wall s |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, real, classes, cpu, wall in rows:
        print(f"| {name} | {real} | {classes} | {cpu:.1f} | {cpu / full_cpu:.2f} | {wall:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
