"""How a contract run's result is judged and reported, independent of any service."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from specfirst.contract import ContractResult, engine, format_summary, idempotency, write_junit
from specfirst.contract.coverage import Coverage
from specfirst.contract.results import ContractFailure


class _Engine:
    def __init__(self, events: list[Any]) -> None:
        self.events = events

    def execute(self) -> list[Any]:
        return self.events


def test_an_interrupted_run_is_not_a_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C or SIGTERM: schemathesis stops cleanly and reports an ``Interrupted`` event
    instead of raising, so nothing failed; the run must still not count as a pass."""
    import schemathesis.engine
    from schemathesis.engine import events

    monkeypatch.setattr(
        schemathesis.engine, "from_schema", lambda schema: _Engine([events.Interrupted(phase=None)])
    )
    from schemathesis.config import ProjectConfig

    schema = SimpleNamespace(config=ProjectConfig(), find_operation_by_label=lambda label: None)
    result = engine._execute(schema, 7, None, {}, Coverage())

    assert result.interrupted and not result.failures and not result.errors
    assert not result.ok
    summary = format_summary(result)
    assert "contract INTERRUPTED (so far 0 failure(s), 0 error(s))" in summary
    assert "replay with: --seed 7" in summary


def test_a_clean_run_passes() -> None:
    result = ContractResult(seed=1, cases=3)
    assert result.ok
    assert "contract PASSED" in format_summary(result)


def test_an_idempotent_replay_is_not_a_lost_resource() -> None:
    """The "creating" request reused a key an earlier request had sent: its 201 was a replay."""

    def node(label: str, case_id: str, parent: str | None = None) -> Any:
        return SimpleNamespace(
            value=SimpleNamespace(id=case_id, operation=SimpleNamespace(label=label)),
            parent_id=parent,
        )

    def sent(key: str, at: float) -> Any:
        return SimpleNamespace(
            request=SimpleNamespace(headers={"Idempotency-Key": [key]}), timestamp=at
        )

    recorder = SimpleNamespace(
        cases={
            "create": node("POST /things", "create"),
            "get": node("GET /things/{id}", "get", "create"),
        },
        interactions={"create": sent("k1", 5.0)},
    )
    keys: dict[tuple[str, str], float] = {}
    idempotency._remember_keys(recorder, keys)
    assert idempotency._replayed_creation(recorder, "get", keys) is None  # the first use of k1
    keys[("POST /things", "k1")] = 1.0  # an earlier request had sent it
    assert idempotency._replayed_creation(recorder, "get", keys) == "k1"
    keys[("POST /other", "k2")] = 0.0
    assert idempotency._replayed_creation(recorder, "create", keys) is None  # no parent


def test_the_junit_report_parses_whatever_the_fuzzer_sent(tmp_path: Path) -> None:
    """Fuzzed bodies and hints hold characters XML 1.0 cannot hold (envoice.in's run had a
    BEL, ``\\x07``, in a property name): each is written as its escape, so CI can read it."""
    odd = "name `*\x07\ud800` \x00 kept: é\U0001f600"
    failure = ContractFailure(
        operation="POST /things",
        operation_id="createThing",
        check="positive_data_acceptance",
        title="Schema-valid request rejected",
        message=f"Hint: {odd}",
        reproduce=f"curl -d '{odd}' http://testserver/things",
        response=f"415 Unsupported Media Type {odd}",
    )
    result = ContractResult(seed=1, failures=[failure], operations={"POST /things"})
    write_junit(result, tmp_path / "c.xml")

    element = ET.parse(tmp_path / "c.xml").find(".//failure")
    assert element is not None and element.text is not None
    assert "name `*\\x07\\ud800` \\x00 kept: é\U0001f600" in element.text
