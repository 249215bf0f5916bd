"""The models worker of a big spec is started before the spec is loaded (pipeline.WorkerAhead)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from specfirst import pipeline


def _imported(module: str) -> bool:
    return module in sys.modules


def test_a_one_shot_run_spawns_the_models_worker_ready_to_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a process without datamodel-code-generator (a one-shot run), a big spec's worker is
    spawned at once and imports the library, and the modules its first run imports, while
    the spec loads (before, the process started only when the models were asked for)."""
    spec = tmp_path / "api.json"
    spec.write_text(" " * pipeline.IN_PROCESS_MAX)
    for name in [m for m in sys.modules if m.split(".")[0] == "datamodel_code_generator"]:
        monkeypatch.delitem(sys.modules, name)
    worker = pipeline._worker_ahead(spec, {})
    assert worker is not None
    pool = worker.take()
    assert pool is not None
    try:
        ready = pool.submit(_imported, "datamodel_code_generator.parser.openapi").result(60)
    finally:
        pool.shutdown()
    assert ready


def test_a_small_spec_has_no_worker_ahead(tmp_path: Path) -> None:
    spec = tmp_path / "api.json"
    spec.write_text("{}")
    assert pipeline._worker_ahead(spec, {}) is None
