"""Formatting is cached per file: after a small change only the changed files go through ruff."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from specfirst import pipeline


def test_only_changed_sources_are_formatted_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    formatted: list[set[str]] = []
    real = pipeline._format

    def counting(sources: dict[str, str]) -> dict[str, str]:
        formatted.append(set(sources))
        return real(sources)

    monkeypatch.setattr(pipeline, "_format", counting)
    sources = {"a.py": "x=1\n", "pkg/b.py": "import os\ny  =  2\n"}
    first = pipeline.format_sources(sources, tmp_path)
    assert first == {"a.py": "x = 1\n", "pkg/b.py": "y = 2\n"}
    assert pipeline.format_sources(sources, tmp_path) == first
    changed: dict[str, Any] = {**sources, "a.py": "x=3\n"}
    assert pipeline.format_sources(changed, tmp_path) == {**first, "a.py": "x = 3\n"}
    assert formatted == [{"a.py", "pkg/b.py"}, {"a.py"}]
    assert pipeline.format_sources(sources) == first  # no cache: the same result


def test_rendered_files_and_models_go_through_ruff_in_one_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When this process makes the models, the rendered files wait for them and ruff's two
    processes run once per generation, not once for the routers and once for the models;
    the package is the same as a cold, uncached run's."""
    import shutil

    batches: list[set[str]] = []
    real = pipeline._format

    def counting(sources: dict[str, str]) -> dict[str, str]:
        batches.append(set(sources))
        return real(sources)

    monkeypatch.chdir(tmp_path)
    golden = Path(__file__).parents[1] / "golden/openapi31/spec"
    shutil.copytree(golden, tmp_path / "spec")
    monkeypatch.setattr(pipeline, "_format", counting)
    spec = Path("spec/api.yaml")
    assert pipeline.generate(spec, tmp_path / "out", cache_dir=tmp_path / "cache").ok
    assert len(batches) == 1 and "models.py" in batches[0] and "app.py" in batches[0]
    text = spec.read_text(encoding="utf-8")
    spec.write_text(
        text.replace(
            "paths:\n",
            "paths:\n  /ping:\n    post:\n      operationId: ping\n      requestBody:\n"
            "        content:\n          application/json:\n            schema:\n"
            "              type: object\n              properties: {note: {type: string}}\n"
            "      responses:\n        '204': {description: Pong.}\n",
            1,
        ),
        encoding="utf-8",
    )
    batches.clear()
    assert pipeline.generate(spec, tmp_path / "out", cache_dir=tmp_path / "cache").ok
    assert len(batches) == 1 and "models.py" in batches[0]
    assert pipeline.generate(spec, tmp_path / "cold", cache_dir=None).ok
    produced = sorted(p.relative_to(tmp_path / "cold") for p in (tmp_path / "cold").rglob("*"))
    for rel in produced:
        if (tmp_path / "cold" / rel).is_file():
            assert (tmp_path / "out" / rel).read_bytes() == (tmp_path / "cold" / rel).read_bytes()


def test_split_models_are_the_same_whichever_process_makes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Models split by tag read the formatted routers: made in this process (the routers
    formatted after the models) or in another (formatted meanwhile), the package is the same."""
    from specfirst import model_groups

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(model_groups, "MIN_CLASSES", 2)
    spec = Path(__file__).parents[1] / "golden/openapi31/spec/api.yaml"
    assert pipeline.generate(spec, tmp_path / "here", cache_dir=tmp_path / "c1").ok
    assert (tmp_path / "here/models").is_dir()  # split
    monkeypatch.setattr(pipeline.ModelsJob, "elsewhere", property(lambda self: True))
    assert pipeline.generate(spec, tmp_path / "there", cache_dir=tmp_path / "c2").ok
    here = sorted(p.relative_to(tmp_path / "here") for p in (tmp_path / "here").rglob("*.py"))
    there = sorted(p.relative_to(tmp_path / "there") for p in (tmp_path / "there").rglob("*.py"))
    assert here == there
    for rel in here:
        assert (tmp_path / "here" / rel).read_bytes() == (tmp_path / "there" / rel).read_bytes()
