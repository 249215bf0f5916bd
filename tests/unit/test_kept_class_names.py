"""Pass 2 is built while the models are made, against the class names datamodel-code-generator
is expected to keep (``pipeline._kept_names``); a wrong guess costs a second build, never a
different package."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from specfirst import pipeline
from specfirst.parser import ApiParser

SPEC = Path(__file__).parents[2] / "specs" / "api.yaml"


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_wrong_guess_of_the_kept_names_builds_again_to_the_same_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds: list[frozenset[str]] = []
    real_build = ApiParser.build

    def counting(self: ApiParser) -> object:
        builds.append(self._models)
        return real_build(self)

    monkeypatch.setattr(ApiParser, "build", counting)
    assert pipeline.generate(SPEC, tmp_path / "right", cache_dir=None).ok
    assert len(builds) == 1  # the reference spec's names have no underscore: guessed right

    # Guess that every class is renamed: the IR reads names the models module does define,
    # so pass 2 is built again, against the classes written.
    monkeypatch.setattr(pipeline, "_kept_names", lambda expected: frozenset())
    assert pipeline.generate(SPEC, tmp_path / "wrong", cache_dir=None).ok
    assert len(builds) == 3
    assert builds[1] == frozenset() and builds[2] == builds[0]
    assert _files(tmp_path / "wrong") == _files(tmp_path / "right")


def test_names_with_an_underscore_are_expected_to_be_renamed() -> None:
    expected = frozenset({"Pet", "GetUsersWithAVeryLongName_738fe9e1Request", "Error"})
    assert pipeline._kept_names(expected) == {"Pet", "Error"}


def test_the_second_build_reuses_pass_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Building again after a wrong guess names nothing again (pass 1 is the same document's),
    and reports what one build reports: pass 1's diagnostics and one build's."""
    passes: list[str] = []
    real_document = ApiParser.models_document

    def counting(self: ApiParser) -> object:
        passes.append("1")
        return real_document(self)

    monkeypatch.setattr(ApiParser, "models_document", counting)
    monkeypatch.setattr(pipeline, "_kept_names", lambda expected: frozenset())
    shutil.copytree(SPEC.parent, tmp_path / "specs")
    spec = tmp_path / "specs" / "api.yaml"
    spec.write_text(
        SPEC.read_text(encoding="utf-8").replace(
            "paths:\n",
            "paths:\n  /notes:\n    put:\n      operationId: putNote\n      tags: [health]\n"
            "      security: []\n      requestBody:\n        content:\n"
            "          text/plain:\n            schema: {type: string}\n"
            "          text/x-markdown:\n            schema: {type: string}\n"
            "      responses:\n        '204': {description: Saved.}\n",
            1,
        ),
        encoding="utf-8",
    )
    wrong = pipeline.generate(spec, tmp_path / "wrong", cache_dir=None)
    assert wrong.ok and passes == ["1"]
    monkeypatch.undo()
    right = pipeline.generate(spec, tmp_path / "right", cache_dir=None)
    assert right.ok
    assert any("text/x-markdown" in d.message for d in right.diagnostics)
    assert wrong.diagnostics == right.diagnostics
    assert _files(tmp_path / "wrong") == _files(tmp_path / "right")
