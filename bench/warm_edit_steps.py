"""Main-thread CPU of each step of GitHub's edits, run as a warm generator runs them.

This process imports what the warm process imports (:func:`specfirst.warm.server.warm_up`),
then runs each ``specfirst generate`` in a forked child, as the warm process does: a cold run,
then each edit of :mod:`generate_incremental` in turn. In each child the main steps are
wrapped to add up their main-thread CPU (``time.thread_time``, which a loaded machine does not
inflate as it does wall times), with the collector's time per generation. The models worker,
forked before the spec loads, is not counted: it is off a warm edit's critical path.

    PYTHONPATH=CODE/generator python bench/warm_edit_steps.py [--keep DIR]

``PYTHONPATH``: the code to measure (a ``git archive`` of another commit, to compare two side
by side). ``--keep``: where to copy the last package written (to diff two versions' output).
"""

from __future__ import annotations

import argparse
import functools
import gc
import importlib
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate_incremental as bench

STEPS = [
    ("specfirst.loader", "load_spec", "load"),
    ("specfirst.loader.spec", "long_ref_chains", "load: ref chains"),
    ("specfirst.validation", "check", "validation"),
    ("specfirst.validation", "_after_prose_change", "validation: snapshot check"),
    ("specfirst.validation", "_write_snapshot", "validation: snapshot write"),
    ("specfirst.validate.units", "_Keys.key", "validation: units' keys"),
    ("specfirst.parser", "ApiParser.models_document", "models document"),
    ("specfirst.parser", "ApiParser.build", "IR"),
    ("specfirst.pipeline", "ModelsJob.__init__", "models job key"),
    ("specfirst.pipeline", "rendered_files", "rendering"),
    ("specfirst.pipeline", "format_sources", "ruff (waiting)"),
    ("specfirst.loader", "SourceSpec.dump_json", "served JSON"),
    ("specfirst.loader", "SourceSpec.dump_yaml", "served YAML"),
    ("specfirst.model_groups", "split_package", "model split"),
    ("specfirst.model_groups", "split_models", "model split: groups"),
    ("specfirst.pipeline", "build_files", "build_files (all)"),
    ("specfirst.pipeline", "generate", "generate (all)"),
]


def _wrap(totals: dict[str, float], module: str, attr: str, label: str) -> None:
    owner_name, _, name = attr.rpartition(".")
    owner: Any = importlib.import_module(module)
    if owner_name:
        owner = getattr(owner, owner_name)
    real: Callable[..., Any] | None = getattr(owner, name, None)
    if real is None:  # not in this version of the code
        return

    @functools.wraps(real)
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.thread_time()
        try:
            return real(*args, **kwargs)
        finally:
            totals[label] = totals.get(label, 0.0) + time.thread_time() - started

    setattr(owner, name, timed)


def _count_collections(totals: dict[str, float]) -> None:
    main, started = threading.main_thread(), [0.0]

    def callback(phase: str, info: dict[str, int]) -> None:
        if threading.current_thread() is not main:
            return
        if phase == "start":
            started[0] = time.thread_time()
            return
        label = f"collector gen{info['generation']}"
        totals[label] = totals.get(label, 0.0) + time.thread_time() - started[0]
        totals[label + " (count)"] = totals.get(label + " (count)", 0) + 1

    gc.callbacks.append(callback)


def run(argv: list[str]) -> str:
    """One ``specfirst generate`` in a forked child; its steps' CPU, as a line."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        totals: dict[str, float] = {}
        for module, attr, label in STEPS:
            _wrap(totals, module, attr, label)
        _count_collections(totals)
        from specfirst.cli import main

        started = time.thread_time()
        code = main(argv)
        totals["main thread"] = time.thread_time() - started
        line = " | ".join(f"{k} {v:.2f}" for k, v in sorted(totals.items(), key=lambda kv: -kv[1]))
        os.write(write, line.encode())
        os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as stream:
        line = stream.read().decode()
    _, status = os.waitpid(pid, 0)
    if status != 0:
        sys.exit(f"specfirst generate failed ({status})")
    return line


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="copy the last package written here")
    args = parser.parse_args()
    os.environ["SPECFIRST_DAEMON"] = "0"  # the children run here, not in a warm generator
    os.environ.pop("CI", None)
    from specfirst.warm.server import warm_up

    warm_up()
    gc.collect()
    gc.freeze()  # as the warm process does
    work = Path(tempfile.mkdtemp(prefix="warm-steps-"))
    try:
        os.chdir(work)
        spec = work / bench.GITHUB.name
        shutil.copyfile(bench.GITHUB, spec)
        argv = ["generate", str(spec), "-o", "pkg", "-p", "pkg", "--quiet"]
        for label, edit in [("cold", None), *bench.GITHUB_EDITS.items()]:
            if edit is not None:
                edit(spec)
            line = run(argv)
            print(f"{label} (load {os.getloadavg()[0]:.1f}): {line}", flush=True)
        if args.keep is not None:
            shutil.copytree(work / "pkg", args.keep, dirs_exist_ok=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
