"""A corpus check says where its time went: wall and CPU seconds for each stage it ran."""

from __future__ import annotations

from pathlib import Path

from corpus.check import STAGES, check_spec
from tests.e2e.specs import TASKS


def test_each_stage_run_has_its_wall_and_cpu_seconds(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(TASKS, encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    result = check_spec(spec, work, tmp_path / "cache")
    assert result["status"] == "pass", result
    timings = result["stage_seconds"]
    assert list(timings) == list(STAGES)
    for stage in STAGES:
        assert timings[stage]["wall"] >= 0 and timings[stage]["cpu"] >= 0
    # each figure is rounded to hundredths: the stages' sum may exceed the whole by that much
    rounding = 0.005 * (len(timings) + 1)
    assert sum(t["wall"] for t in timings.values()) <= result["seconds"] + rounding
    assert "_clock" not in result and "_stage" not in result


def test_a_spec_stopped_at_loading_has_that_stage_only(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text("openapi: [unclosed\n", encoding="utf-8")
    result = check_spec(spec, tmp_path, tmp_path / "cache", probes=False)
    assert result["stage"] == "load"
    assert list(result["stage_seconds"]) == ["load"]
