"""``[tool.specfirst.contract]``: which statuses pass the status checks, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from specfirst.contract import (
    ContractError,
    ExpectedStatuses,
    load_project_settings,
)
from specfirst.contract.settings import _status_tables

ROOT = Path(__file__).resolve().parents[2]


def _pyproject(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "pyproject.toml"
    path.write_text(body)
    return path


def test_no_pyproject_or_no_table_is_no_setting(tmp_path: Path) -> None:
    assert load_project_settings(None) == ()
    assert load_project_settings(tmp_path / "missing.toml") == ()
    assert load_project_settings(_pyproject(tmp_path, "[tool.specfirst]\nspec = 'a.yaml'\n")) == ()


def test_global_statuses_and_per_operation_additions(tmp_path: Path) -> None:
    settings = load_project_settings(
        _pyproject(
            tmp_path,
            """
[tool.specfirst.contract.expected-statuses]
positive_data_acceptance = ["2xx", 404, "412"]

[[tool.specfirst.contract.allow]]
check = "positive_data_acceptance"
operations = ["listThings"]
statuses = ["400"]
reason = '''a random cursor
  is never valid'''
""",
        )
    )
    assert settings == (
        ExpectedStatuses("positive_data_acceptance", ("2XX", "404", "412")),
        ExpectedStatuses(
            "positive_data_acceptance", ("400",), ("listThings",), "a random cursor is never valid"
        ),
    )
    checks, operations = _status_tables(settings)
    assert checks == {"positive_data_acceptance": {"expected-statuses": ["2XX", "404", "412"]}}
    # schemathesis replaces the list per operation, so the entry carries the global one too.
    assert operations == [
        {
            "include-operation-id": "listThings",
            "checks": {
                "positive_data_acceptance": {"expected-statuses": ["2XX", "404", "412", "400"]}
            },
        }
    ]


def test_an_addition_without_a_global_list_extends_the_default() -> None:
    _, [operation] = _status_tables(
        [ExpectedStatuses("positive_data_acceptance", ("400",), ("listThings",), "why")]
    )
    statuses = operation["checks"]["positive_data_acceptance"]["expected-statuses"]
    assert statuses[-1] == "400" and "2XX" in statuses and "404" in statuses


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[tool.specfirst.contract]\nchecks = {}\n", "unknown key"),
        (
            "[tool.specfirst.contract.expected-statuses]\nignored_auth = ['401']\n",
            "not a check with expected statuses",
        ),
        (
            "[tool.specfirst.contract.expected-statuses]\npositive_data_acceptance = []\n",
            "non-empty list of statuses",
        ),
        (
            "[[tool.specfirst.contract.allow]]\ncheck = 'positive_data_acceptance'\n"
            "operations = ['x']\nstatuses = ['400']\n",
            "needs exactly check, operations, statuses and reason",
        ),
        (
            "[[tool.specfirst.contract.allow]]\ncheck = 'positive_data_acceptance'\n"
            "operations = ['x']\nstatuses = ['400']\nreason = '  '\n",
            "must say why",
        ),
        (
            "[[tool.specfirst.contract.allow]]\ncheck = 'positive_data_acceptance'\n"
            "operations = ['x']\nstatuses = ['400']\nreason = 'r'\nenabled = false\n",
            "unknown ['enabled']",
        ),
    ],
)
def test_anything_else_is_an_error(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ContractError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_project_settings(_pyproject(tmp_path, body))


def test_this_projects_settings_load_and_name_only_list_operations() -> None:
    """The reference service's entries (pyproject.toml, explained in tests/contract/README.md)."""
    settings = load_project_settings(ROOT / "pyproject.toml")
    everywhere = {s.check: s for s in settings if not s.operations}
    assert set(everywhere) == {"positive_data_acceptance", "negative_data_rejection"}
    positive = everywhere["positive_data_acceptance"]
    assert not {"400", "422", "4XX"} & set(positive.statuses)
    assert {"412", "413", "428"} <= set(positive.statuses)
    # schemathesis' default list of rejections, plus 413 (an oversized upload)
    assert "413" in everywhere["negative_data_rejection"].statuses
    for item in settings:
        if item.operations:
            assert item.statuses == ("400",) and item.reason
            assert all(op.startswith("list") for op in item.operations)


def test_exemptions_need_operations_and_a_reason(tmp_path: Path) -> None:
    from specfirst.contract import Exemption, load_exemptions

    path = _pyproject(
        tmp_path,
        """
[[tool.specfirst.contract.exempt]]
operations = ["downloadReport"]
gates = ["success"]
reason = "needs the nightly   batch"
""",
    )
    assert load_exemptions(path) == (
        Exemption(("downloadReport",), "needs the nightly batch", ("success",)),
    )
    assert load_project_settings(path) == ()  # the key is known to the status settings too
    for body, message in [
        ('operations = ["x"]', "needs operations and reason"),
        ('operations = ["x"]\nreason = " "', "reason must say why"),
        ('operations = []\nreason = "r"', "non-empty list of operationIds"),
        ('operations = ["x"]\nreason = "r"\ngates = ["speed"]', "gates must be"),
    ]:
        bad = _pyproject(tmp_path, f"[[tool.specfirst.contract.exempt]]\n{body}\n")
        with pytest.raises(ContractError, match=message):
            load_exemptions(bad)


def test_seed_data_is_checked() -> None:
    from specfirst.contract import SeedData

    with pytest.raises(ContractError, match=r"must be location\.name"):
        SeedData(parameters={"projectId": ["p"]})
    with pytest.raises(ContractError, match="a non-empty list of values"):
        SeedData(operations={"getThing": {"path.thingId": "abc"}})
    with pytest.raises(ContractError, match="probability"):
        SeedData(probability=0)


def test_api_keys_become_per_scheme_auth_and_bearer_tokens_stay_headers() -> None:
    from specfirst.contract.credentials import _auth_schemes

    spec = {
        "components": {
            "securitySchemes": {
                "key": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
                "oauth": {"type": "oauth2", "flows": {}},
            }
        }
    }
    schemes, left = _auth_schemes(
        spec, {"x-api-key": "k", "Authorization": "Bearer t", "X-Tenant": "a"}
    )
    assert schemes == {"key": {"api_key": "k"}}
    assert left == {"Authorization": "Bearer t", "X-Tenant": "a"}


def test_strict_and_require_implemented_are_booleans(tmp_path: Path) -> None:
    from specfirst.contract import load_run_flags

    assert load_run_flags(None) == {"strict": False, "require-implemented": False}
    body = "[tool.specfirst.contract]\nstrict = true\nrequire-implemented = true\n"
    assert load_run_flags(_pyproject(tmp_path, body)) == {
        "strict": True,
        "require-implemented": True,
    }
    assert load_project_settings(_pyproject(tmp_path, body)) == ()  # known keys, no statuses
    with pytest.raises(ContractError, match=r"\.strict must be true or false"):
        load_run_flags(_pyproject(tmp_path, '[tool.specfirst.contract]\nstrict = "yes"\n'))
    # this repository's reference run is strict and requires every operation
    assert load_run_flags(ROOT / "pyproject.toml") == {"strict": True, "require-implemented": True}
