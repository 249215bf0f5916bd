"""The cache folder stays bounded: least recently used entries go first, read ones stay."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from specfirst import cachedir, pipeline


def _entry(root: Path, rel: str, size: int, age_s: float) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)
    then = time.time() - age_s
    os.utime(path, (then, then))
    return path


def test_prune_removes_least_recently_used_until_under_the_limit(tmp_path: Path) -> None:
    oldest = _entry(tmp_path, "models/a.json", 400, 300)
    older = _entry(tmp_path, "formatted/b", 400, 200)
    recent = _entry(tmp_path, "validate/c.json", 400, 100)
    newest = _entry(tmp_path, "served/yaml-pieces.json", 400, 0)
    removed = cachedir.prune(tmp_path, limit=900)
    assert removed == [oldest, older]
    assert recent.exists() and newest.exists()
    assert cachedir.prune(tmp_path, limit=900) == []  # under the limit: nothing to do


def test_reading_an_entry_keeps_it(tmp_path: Path) -> None:
    kept = _entry(tmp_path, "models/a.json", 400, 300)
    dropped = _entry(tmp_path, "models/b.json", 400, 200)
    assert cachedir.read(kept) == b"x" * 400  # now the most recently used
    assert cachedir.prune(tmp_path, limit=500) == [dropped]
    assert kept.exists()


def test_stale_temporary_files_are_removed_whatever_the_size(tmp_path: Path) -> None:
    stale = _entry(tmp_path, "validate/abc.tmp", 10, 2 * 3600)
    fresh = _entry(tmp_path, "validate/def.tmp", 10, 10)  # another run may be writing it
    assert cachedir.prune(tmp_path, limit=10**9) == [stale]
    assert fresh.exists()


def test_limit_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cachedir.LIMIT_ENV, "3")
    assert cachedir.limit_bytes() == 3 * 1024 * 1024
    monkeypatch.setenv(cachedir.LIMIT_ENV, "lots")
    assert cachedir.limit_bytes() == cachedir.DEFAULT_LIMIT_MB * 1024 * 1024


def test_generate_keeps_the_cache_under_its_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = Path(__file__).parents[2] / "generator" / "specfirst" / "init" / "example" / "specs"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(cachedir.LIMIT_ENV, "0")
    filler = _entry(tmp_path, "cache/formatted/old-entry", 10_000, 3600)
    result = pipeline.generate(spec / "api.yaml", tmp_path / "out", cache_dir=tmp_path / "cache")
    assert result.ok and result.written
    assert not filler.exists()
    assert sum(p.stat().st_size for p in (tmp_path / "cache").rglob("*") if p.is_file()) == 0
