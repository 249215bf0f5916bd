"""``[tool.specfirst.contract]``: which statuses pass the status checks, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from specfirst.contract import (
    ContractError,
    ExpectedStatuses,
    _status_tables,
    load_project_settings,
)

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
    [everywhere] = [s for s in settings if not s.operations]
    assert everywhere.check == "positive_data_acceptance"
    assert not {"400", "422", "4XX"} & set(everywhere.statuses)
    assert {"412", "428"} <= set(everywhere.statuses)
    for item in settings:
        if item.operations:
            assert item.statuses == ("400",) and item.reason
            assert all(op.startswith("list") for op in item.operations)
