"""The reference service type-checks against the protocols generated from its spec.

This is the project's own ``var _ StrictServerInterface = (*Server)(nil)``: ``impl/`` passes
every generated ``Protocol`` to ``create_app`` with its real argument types, so a handler
whose signature or result drifts from the spec fails here.
"""

from __future__ import annotations

from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[2]


def test_generated_package_and_impl_pass_mypy_strict(tmp_path: Path) -> None:
    stdout, stderr, status = api.run(
        [
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(tmp_path / "mypy-cache"),
            "--strict",
            str(ROOT / "generated"),
            str(ROOT / "impl"),
        ]
    )
    assert status == 0, stdout + stderr
    assert "Success" in stdout
