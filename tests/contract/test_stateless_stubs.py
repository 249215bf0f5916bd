"""A failing ``use_after_free`` on a response an example stub answered is noted, not counted.

An example stub keeps no state: it still finds what a DELETE removed (apicurio's delete
operations). The scaffolded ``examples.PreferMiddleware`` marks its answers with the
``Specfirst-Example`` header (``test_example_stubs`` checks the mark); the engine reads it.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from specfirst.contract.engine import _collect
from specfirst.contract.results import ContractFailure, ContractResult


def recorder(headers: dict[str, list[str]]) -> Any:
    """schemathesis' record of one GET after a DELETE that failed ``use_after_free``."""
    operation = SimpleNamespace(label="GET /things/{id}", definition=SimpleNamespace(raw={}))
    failure = SimpleNamespace(
        operation="GET /things/{id}", title="Resource is available after deletion", message=""
    )
    check = SimpleNamespace(
        name="use_after_free", failure_info=SimpleNamespace(failure=failure, code_sample="curl")
    )
    response = SimpleNamespace(status_code=200, headers=headers, content=b"{}", message="OK")
    request = SimpleNamespace(headers={})
    return SimpleNamespace(
        label="GET /things/{id}",
        cases={"c1": SimpleNamespace(value=SimpleNamespace(operation=operation))},
        checks={"c1": [check]},
        interactions={"c1": SimpleNamespace(response=response, request=request, timestamp=0.0)},
    )


def collect(headers: dict[str, list[str]]) -> tuple[list[ContractFailure], list[str]]:
    found: dict[tuple[str, str, str, str], ContractFailure] = {}
    result = ContractResult(seed=0)
    _collect(recorder(headers), found, result, {})
    return list(found.values()), result.notes


def test_use_after_free_on_an_example_stubs_answer_is_noted_not_counted() -> None:
    failures, notes = collect({"specfirst-example": ["getThing"]})
    assert failures == []
    assert notes == [
        "GET /things/{id}: use_after_free not counted: answered by an example stub, which "
        "keeps no state (it counts once the operation is written)"
    ]


def test_use_after_free_on_a_written_operation_counts() -> None:
    failures, notes = collect({"content-type": ["application/json"]})
    assert [f.check for f in failures] == ["use_after_free"] and notes == []
