"""The reference service keeps its contract: schemathesis against a live uvicorn, as a user
with a bearer token, as a user with an API key, and as an administrator.

The same run as ``make contract`` (fixed seed, bounded examples); the summary of any failure,
with a curl command per failing check, is in the captured output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.contract import run_service


@pytest.mark.parametrize("auth", run_service.AUTHS)
def test_reference_service_keeps_the_contract(
    auth: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run_service.run(auths=[auth])
    out = capsys.readouterr().out
    report = run_service.REPORTS / f"contract-{auth}.xml"
    assert Path(report).is_file()
    assert code == 0, f"the reference service breaks the contract ({auth} auth):\n{out}"
