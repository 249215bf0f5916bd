"""mypy --strict on generated code, as the project's own ``check`` runs it."""

from __future__ import annotations

from pathlib import Path

import pytest
from mypy import api as mypy_api

REPO = Path(__file__).resolve().parents[2]


def mypy_strict(target: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str]:
    """(exit status, output) of ``mypy --strict`` on ``target`` (a file or a package)."""
    stdout, stderr, status = mypy_api.run(
        [
            "--strict",
            "--config-file",
            str(REPO / "pyproject.toml"),
            "--cache-dir",  # shared with the golden and typing tests: FastAPI is checked once
            str(tmp_path_factory.getbasetemp() / "mypy-cache"),
            "--no-error-summary",
            "--show-error-codes",
            str(target),
        ]
    )
    return status, stdout + stderr
