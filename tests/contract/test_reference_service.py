"""The reference service keeps its contract, and the runs reach all of it: schemathesis against
a live uvicorn, as a user with a bearer token, as a user with an API key, and as an
administrator, with the seeded test data of ``run_service.seed``.

The same run as ``make contract`` (fixed seed, bounded examples); the summary of any failure,
with a curl command per failing check, is in the captured output.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest

from specfirst.cli import main as specfirst
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
    assert "coverage: 35 of 35 operations reached a declared 2xx; " in out, out[-4000:]
    coverage = json.loads(report.with_suffix(".coverage.json").read_text())
    for operation in coverage["operations"]:
        declared_2xx = [s for s in operation["declared"] if s.startswith("2")]
        assert all(operation["declared"][s] for s in declared_2xx), operation


def test_a_run_without_credentials_fails_naming_the_operations_that_only_answered_401(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """As a new user would try it: the served reference app, no auth hook, no headers."""
    with (
        tempfile.TemporaryDirectory(prefix="specfirst-contract-") as tmp,
        run_service.reference_service(Path(tmp)) as service,
    ):
        code = specfirst(
            [
                "contract",
                str(run_service.SPEC),
                "--url",
                service.url,
                "--phases",
                "examples,coverage",
                "--max-examples",
                "2",
                "-q",
            ]
        )
    out = capsys.readouterr().out
    assert code == 1, out
    gates = [line for line in out.splitlines() if line.startswith("gate failed: ")]
    # every secured operation (30 of 35) is named; register, createToken, logout and the two
    # health probes are open and are not
    assert len(gates) == 30, "\n".join(gates)
    assert "gate failed: GET /projects (listProjects): never got past 401: answered only 401" in out
    assert not any("(register)" in line or "(getLiveness)" in line for line in gates)
    # 316: every operation declares 503 (and 413 where it takes a body), issue 13
    assert re.fullmatch(
        r"coverage: \d of 35 operations reached a declared 2xx; \d+ of 316 declared statuses observed",
        out.rstrip().splitlines()[-2],
    )
    assert out.rstrip().splitlines()[-1] == "implemented: 35 of 35 operations"
