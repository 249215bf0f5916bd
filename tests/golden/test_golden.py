"""The generated tree of each reference spec matches ``expected/`` byte for byte.

On a deliberate change, run ``make regen-golden`` and review the diff.
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from mypy import api as mypy_api

from specfirst.pipeline import generator_version
from specfirst.vendor import runtime_files
from tests.golden.regen import CASES, GOLDEN, generate_case, tree

REPO = GOLDEN.parents[1]
RUFF_RULES = ["--select=E,F,W,I,B,UP,SIM,RUF", "--ignore=E501"]  # the project's own lint rules


def _diff(expected: dict[str, bytes], actual: dict[str, bytes], case: str) -> str:
    lines: list[str] = []
    for rel in sorted(set(expected) | set(actual)):
        if rel not in actual:
            lines.append(f"missing from the generated tree: {rel}")
        elif rel not in expected:
            lines.append(f"not in the golden tree: {rel}")
        elif expected[rel] != actual[rel]:
            lines.extend(
                difflib.unified_diff(
                    expected[rel].decode("utf-8", "replace").splitlines(),
                    actual[rel].decode("utf-8", "replace").splitlines(),
                    f"expected/{rel}",
                    f"generated/{rel}",
                    lineterm="",
                )
            )
    head = f"generated tree for golden case {case!r} differs (run `make regen-golden` if intended):"
    shown = lines[:300] + ([f"… {len(lines) - 300} more diff lines"] if len(lines) > 300 else [])
    return "\n".join([head, *shown])


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("golden")
    out: dict[str, Path] = {}
    for case in CASES:
        generate_case(case, root / case)
        out[case] = root / case
    return out


@pytest.mark.parametrize("case", CASES)
def test_matches_expected(case: str, generated: dict[str, Path]) -> None:
    expected_dir = GOLDEN / case / "expected"
    assert expected_dir.is_dir(), f"no golden tree for {case!r}: run `make regen-golden`"
    expected, actual = tree(expected_dir), tree(generated[case])
    assert expected == actual, _diff(expected, actual, case)


@pytest.mark.parametrize("case", CASES)
def test_deterministic(case: str, generated: dict[str, Path], tmp_path: Path) -> None:
    again = tmp_path / case
    generate_case(case, again)
    first, second = tree(generated[case]), tree(again)
    assert first == second, _diff(first, second, case)


def test_expected_has_no_manifest_or_bytecode() -> None:
    for case in CASES:
        names = {p.name for p in (GOLDEN / case / "expected").rglob("*")}
        assert ".specfirst-manifest.json" not in names
        assert "__pycache__" not in names


def test_ruff_check_passes_on_expected() -> None:
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or "ruff"
    trees = [str(GOLDEN / case / "expected") for case in CASES]
    proc = subprocess.run(
        [
            ruff,
            "check",
            "--isolated",
            "--no-cache",
            *RUFF_RULES,
            "--line-length=100",
            "--target-version=py311",
            *trees,
        ],
        check=False,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_strict_passes_on_expected(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each tree is a package named ``expected``: copy them under distinct names, check all at once.
    root = tmp_path_factory.mktemp("golden-mypy")
    for case in CASES:
        shutil.copytree(GOLDEN / case / "expected", root / f"golden_{case}")
        for rel, source in runtime_files(generator_version()).items():
            (root / f"golden_{case}" / rel).parent.mkdir(exist_ok=True)
            (root / f"golden_{case}" / rel).write_bytes(source)
    cache = tmp_path_factory.getbasetemp() / "mypy-cache"
    args = [
        "--strict",
        "--config-file",
        str(REPO / "pyproject.toml"),
        "--cache-dir",
        str(cache),
        "--no-error-summary",
        "--show-error-codes",
    ]
    for case in CASES:
        args += ["-p", f"golden_{case}"]
    monkeypatch.setenv("MYPYPATH", os.pathsep.join([str(root), str(REPO)]))
    stdout, stderr, status = mypy_api.run(args)
    assert status == 0, stdout + stderr
