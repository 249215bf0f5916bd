"""``make diff-corpus`` pairs every consecutive GHES release across @octokit/openapi versions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus import diff_pairs


def _package(folder: Path, version: str, releases: list[str]) -> Path:
    generated = folder / "generated"
    generated.mkdir(parents=True)
    (folder / "package.json").write_text(json.dumps({"version": version}), encoding="utf-8")
    for release in releases:
        (generated / f"ghes-{release}.json").write_text("{}", encoding="utf-8")
    # files that are not releases: inlined copies and the old diff-to files
    (generated / f"ghes-{releases[0]}.deref.json").write_text("{}", encoding="utf-8")
    (generated / f"ghes-{releases[0]}-diff-to-api.github.com.json").write_text("{}")
    return generated


def test_pairs_span_packages_and_prefer_one_package_per_pair(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    current = _package(tmp_path / "current", "23.0.2", ["3.17", "3.18", "3.19"])
    old = _package(tmp_path / "history/octokit-openapi-19", "19.1.0", ["3.15", "3.16", "3.17"])
    older = _package(tmp_path / "history/octokit-openapi-10", "10.0.0", ["3.9", "3.10"])
    monkeypatch.setattr(diff_pairs, "GENERATED", current)
    monkeypatch.setattr(diff_pairs, "HISTORY", tmp_path / "history")
    pairs = [(a.parent, a.stem, b.parent, b.stem) for a, b in diff_pairs.consecutive_pairs()]
    assert pairs == [
        (older, "ghes-3.9", older, "ghes-3.10"),
        (older, "ghes-3.10", old, "ghes-3.15"),  # no package holds both: newest copy of each
        (old, "ghes-3.15", old, "ghes-3.16"),
        (old, "ghes-3.16", old, "ghes-3.17"),  # 3.17 from the package that also has 3.16
        (current, "ghes-3.17", current, "ghes-3.18"),  # both packages have them: the newest
        (current, "ghes-3.18", current, "ghes-3.19"),
    ]
