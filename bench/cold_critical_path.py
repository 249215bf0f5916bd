"""Where a cold ``specfirst generate`` of a big spec waits: the critical path, step by step.

Runs ``specfirst.pipeline.generate`` (no cache, forced) once in this process, with a span
(wall and thread CPU seconds) around each step of the main process and of the models worker,
then prints the critical path: the main process until the models are handed over, the
worker until datamodel-code-generator starts (the rewrites), the library's run, the worker's
post-processing, then the main process's grouping and formatting of the models and the rest.
On a loaded machine the CPU column is the one to compare. The worker is a spawned interpreter:
it imports this script as its ``__mp_main__``, so the spans are recorded there too (in the file
``SPECFIRST_SPANS`` names, which this process sets for it).

    env -u PYTHONDONTWRITEBYTECODE SPECFIRST_DAEMON=0 .venv/bin/python bench/cold_critical_path.py [SPEC]

With ``PYTHONPATH=OTHER/generator`` it measures another checkout's generator.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import specfirst.loader
import specfirst.model_groups
import specfirst.models
import specfirst.parser
import specfirst.pipeline
import specfirst.validation
from specfirst.loader.spec import SourceSpec

ROOT = Path(__file__).resolve().parents[1]
GITHUB = ROOT / ".cache/corpus/node_modules/@octokit/openapi/generated/api.github.com.json"
T0 = float(os.environ.setdefault("SPECFIRST_SPANS_T0", repr(time.time())))
SPANS = Path(
    os.environ.setdefault(
        "SPECFIRST_SPANS", str(Path(tempfile.gettempdir()) / f"specfirst-spans-{os.getpid()}.jsonl")
    )
)
WHO = "worker" if __name__ == "__mp_main__" else "main"


def _spanned(owner: Any, name: str) -> None:
    """``owner.name`` timed: one JSON line on stderr per call."""
    real: Callable[..., Any] = getattr(owner, name)

    @functools.wraps(real)
    def timed(*args: Any, **kwargs: Any) -> Any:
        wall, cpu = time.time(), time.thread_time()
        try:
            return real(*args, **kwargs)
        finally:
            span = {
                "who": WHO,
                "step": name,
                "start": round(wall - T0, 3),
                "end": round(time.time() - T0, 3),
                "cpu": round(time.thread_time() - cpu, 3),
            }
            with SPANS.open("a", encoding="utf-8") as out:
                out.write(json.dumps(span) + "\n")

    setattr(owner, name, timed)


for _name in ("_run_engine", "make_base", "schema_rules", "_generate_models"):
    _spanned(specfirst.models, _name)
for _name in ("_start_models", "rendered_files", "format_sources", "build_files"):
    _spanned(specfirst.pipeline, _name)
_spanned(specfirst.model_groups, "split_package")
_spanned(specfirst.loader, "load_spec")
_spanned(specfirst.validation, "check")
for _name in ("models_document", "build"):
    _spanned(specfirst.parser.ApiParser, _name)
for _name in ("dump_json", "dump_yaml"):
    _spanned(SourceSpec, _name)


def critical_path(spans: list[dict[str, Any]], wall: float) -> list[tuple[str, float, float]]:
    """(segment, wall seconds, CPU seconds of the process the path runs in) in order."""

    def one(who: str, step: str, pick: Callable[[list[dict[str, Any]]], dict[str, Any]]) -> Any:
        found = [s for s in spans if s["who"] == who and s["step"] == step]
        return pick(found) if found else {"start": 0.0, "end": 0.0, "cpu": 0.0}

    def first(found: list[dict[str, Any]]) -> dict[str, Any]:
        return found[0]

    def last(found: list[dict[str, Any]]) -> dict[str, Any]:
        return found[-1]

    def longest(found: list[dict[str, Any]]) -> dict[str, Any]:
        return max(found, key=lambda s: s["end"] - s["start"])

    handed = one("main", "_start_models", first)
    load = one("main", "load_spec", first)
    naming = one("main", "models_document", first)
    models = one("worker", "_generate_models", longest)
    engine = one("worker", "_run_engine", longest)
    split = one("main", "split_package", first)
    formatting = one("main", "format_sources", last)
    after = models["cpu"] - engine["cpu"]
    return [
        ("main: start, load, name schemas, hand over", handed["end"], load["cpu"] + naming["cpu"]),
        ("worker: take the document, rewrite it", engine["start"] - handed["end"], float("nan")),
        ("worker: datamodel-code-generator", engine["end"] - engine["start"], engine["cpu"]),
        ("worker: module, base, rules", models["end"] - engine["end"], float("nan")),
        ("worker: rewrites + module, base, rules", float("nan"), after),
        ("main: receive the models", split["start"] - models["end"], float("nan")),
        ("main: split into groups", split["end"] - split["start"], split["cpu"]),
        ("main: ruff on the models", formatting["end"] - formatting["start"], float("nan")),
        ("main: the rest, write", wall - formatting["end"], float("nan")),
    ]


def main() -> int:
    given = [a for a in sys.argv[1:] if a != "-v"]
    spec = Path(given[0]) if given else GITHUB
    SPANS.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="specfirst-critical-") as tmp:
        result = specfirst.pipeline.generate(spec, Path(tmp) / "out", cache_dir=None, force=True)
        wall = time.time() - T0
    if not result.ok:
        sys.exit("generation failed")
    spans = [json.loads(line) for line in SPANS.read_text(encoding="utf-8").splitlines()]
    SPANS.unlink()
    print(f"{'segment':44} {'wall s':>7} {'CPU s':>7}")
    for segment, seconds, cpu in critical_path(spans, wall):
        print(f"{segment:44} {seconds:7.2f} {cpu:7.2f}")
    print(f"{'total (load average ' + format(os.getloadavg()[0], '.1f') + ')':44} {wall:7.2f}")
    if "-v" in sys.argv:
        for span in sorted(spans, key=lambda s: s["start"]):
            print(json.dumps(span))
    return 0


if __name__ == "__main__":
    sys.exit(main())
