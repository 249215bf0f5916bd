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
