"""``specfirst generate --watch``: the loop, driven by a fake stream of file changes."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from watchfiles import Change

from specfirst import pipeline
from specfirst.cli import build_parser
from specfirst.loader import load_spec
from specfirst.models import generate_models
from specfirst.parser import ApiParser
from specfirst.watch import relevant, watch_loop, watch_roots


def test_regenerates_once_then_on_every_relevant_change(tmp_path: Path) -> None:
    output = tmp_path / "generated"
    spec = tmp_path / "specs" / "api.yaml"
    calls: list[int] = []

    def regenerate() -> int:
        calls.append(1)
        return 1 if len(calls) == 2 else 0  # a broken save in the middle does not stop the loop

    changes = [
        {(Change.modified, str(spec))},
        {(Change.modified, str(output / "models.py")), (Change.added, str(output / "x.json"))},
        {(Change.added, str(tmp_path / "specs" / "notes.txt"))},
        {(Change.added, str(tmp_path / "specs" / "paths" / "new.yml"))},
    ]
    stream = io.StringIO()
    assert watch_loop(regenerate, changes, output, stream=stream) == 0
    assert len(calls) == 3  # the first run, then the two spec changes
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].endswith(f"changed: {spec}; regenerating")
    assert "new.yml" in lines[1]


def test_relevant_ignores_the_output_and_other_files(tmp_path: Path) -> None:
    output = tmp_path / "specs" / "generated"  # even an output inside the watched folder
    paths = [
        str(tmp_path / "specs" / "a.yaml"),
        str(output / "openapi.yaml"),
        str(tmp_path / "specs" / "b.JSON"),
        str(tmp_path / "templates" / "app.py.jinja"),
        str(tmp_path / "specs" / ".a.yaml.swp"),
    ]
    assert relevant(paths, output) == sorted([paths[0], paths[2], paths[3]])


def test_watch_roots_are_the_outermost_folders(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    (tmp_path / "templates").mkdir()
    files = [specs / "api.yaml", specs / "paths" / "a.yaml", tmp_path / "shared" / "s.yaml"]
    roots = watch_roots(files, tmp_path / "templates")
    assert roots == sorted([specs, tmp_path / "shared", tmp_path / "templates"])
    assert watch_roots(files, tmp_path / "missing") == sorted([specs, tmp_path / "shared"])


def test_generate_has_a_watch_flag(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seen: dict[str, object] = {}

    def fake_watch(regenerate: object, files: list[Path], output: Path, templates: object) -> int:
        seen.update(files=files, output=output)
        return 0

    monkeypatch.setattr("specfirst.watch.watch", fake_watch)
    spec = tmp_path / "api.yaml"
    spec.write_text("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n")
    args = build_parser().parse_args(
        ["generate", str(spec), "-o", str(tmp_path / "out"), "--watch"]
    )
    assert args.func(args) == 0
    assert seen["output"] == tmp_path / "out"
    assert spec in seen["files"]  # type: ignore[operator]


def test_a_save_is_handed_over_without_waiting_for_watchfiles_default_step(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """watchfiles waits ``step`` ms with no further change before it yields a batch (50 by
    default: 70-80 ms from a save to the regeneration's start); ``--watch`` asks for less."""
    import watchfiles

    from specfirst import watch as watch_module

    seen: dict[str, object] = {}

    def fake(*roots: Path, **options: object) -> list[set[tuple[Change, str]]]:
        seen.update(options)
        return []

    monkeypatch.setattr(watchfiles, "watch", fake)
    assert watch_module.watch(lambda: 0, [tmp_path / "api.yaml"], tmp_path / "out") == 0
    step = seen.get("step")
    assert isinstance(step, int) and step <= 20


def test_watch_keeps_one_warm_models_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under ``--watch`` every models job of a big document runs in the same worker process,
    started once with datamodel-code-generator imported, and gives what a run in this process
    gives."""
    spec = Path(__file__).resolve().parents[2] / "tests/golden/openapi31/spec/api.yaml"
    document = ApiParser(load_spec(spec)).models_document()
    monkeypatch.setattr(pipeline, "IN_PROCESS_MAX", 0)  # every document counts as big
    pipeline.keep_models_worker()
    try:
        assert pipeline._WARM_WORKER is None  # started for the first big document
        jobs = [pipeline.ModelsJob(document, "# h", tmp_path / "models") for _ in range(2)]
        worker = pipeline._WARM_WORKER
        assert worker is not None
        results = [job.result() for job in jobs]
        pids = {worker.submit(os.getpid).result(timeout=120) for _ in range(2)}
        assert pipeline._WARM_WORKER is worker
        assert len(pids) == 1 and os.getpid() not in pids
        expected = generate_models(document, "# h")
        assert [r[0] for r in results] == [expected[0], expected[0]]
    finally:
        pipeline.stop_models_worker()
    assert pipeline._WARM_WORKER is None


def test_watch_makes_a_small_documents_models_in_its_own_process_warmed_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A small document's models cost less than sending it to a worker: under ``--watch`` they
    are made in the watching process, whose datamodel-code-generator was imported (and run once)
    in the background when the watch started; no worker process is started."""
    from specfirst import models

    spec = Path(__file__).resolve().parents[2] / "tests/golden/openapi31/spec/api.yaml"
    document = ApiParser(load_spec(spec)).models_document()
    warmed: list[int] = []
    warm_up = models.warm_up
    monkeypatch.setattr(models, "warm_up", lambda: (warmed.append(1), warm_up())[1])
    pipeline.keep_models_worker()
    try:
        job = pipeline.ModelsJob(document, "# h", tmp_path / "models")
        assert job.result()[0] == generate_models(document, "# h")[0]
        assert pipeline._WARM_WORKER is None
    finally:
        pipeline.stop_models_worker()
    assert warmed == [1] and pipeline._WARMING is None


def test_watch_imports_the_validator_and_the_models_engine_before_the_first_save(
    tmp_path: Path,
) -> None:
    """``--watch`` on a cached spec generates nothing at first: the first save that validates
    or makes models would pay for importing openapi-spec-validator and datamodel-code-generator
    (a third of a second each) if the watch had not imported them when it started."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from specfirst import pipeline\n"
        "pipeline.keep_models_worker()\n"
        "pipeline.stop_models_worker()\n"
        "print(*(m in sys.modules for m in"
        " ('openapi_spec_validator', 'datamodel_code_generator')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]
