"""How a contract run's result is judged and reported, independent of any service."""

from __future__ import annotations

from typing import Any

import pytest

from specfirst import contract
from specfirst.contract import ContractResult, format_summary


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
    result = contract._execute(object(), 7, None, {})

    assert result.interrupted and not result.failures and not result.errors
    assert not result.ok
    summary = format_summary(result)
    assert "contract INTERRUPTED (so far 0 failure(s), 0 error(s))" in summary
    assert "replay with: --seed 7" in summary


def test_a_clean_run_passes() -> None:
    result = ContractResult(seed=1, cases=3)
    assert result.ok
    assert "contract PASSED" in format_summary(result)
