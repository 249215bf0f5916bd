"""The labelled real-world cases (tests/diff/real/): every label holds, and they cover issue 15."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.diff.real.score import consecutive, load_cases, run_case, score

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_labelled_case(case: dict[str, Any], tmp_path: Path) -> None:
    outcome = run_case(case, tmp_path)
    assert outcome.problems() == [], case["reason"]


def test_the_set_covers_every_mechanism_and_meets_the_targets(tmp_path: Path) -> None:
    mechanisms = {c["mechanism"] for c in CASES}
    assert {
        "unions",  # a property behind a oneOf, a union that grew, $ref ↔ union
        "parameters",  # removal, strict query, closed bodies, defaults
        "allof",
        "types",
        "formats",
        "nullability",
        "enums",
        "constraints",
    } <= mechanisms
    real = [c for c in CASES if not c.get("constructed")]
    assert len(real) >= 30 and sum(c["label"] == "break" for c in real) >= 10
    # Real consecutive GHES releases, 3.4 → … → 3.19 (issue 15b): most pairs sampled.
    steps = [c for c in CASES if consecutive(c)]
    assert len(steps) >= 60 and sum(c["label"] == "break" for c in steps) >= 20
    assert len({c["pair"] for c in steps}) >= 15
    for name, cases in (("all", CASES), ("real", real), ("consecutive", steps)):
        s = score([run_case(c, tmp_path) for c in cases])
        assert s["precision"] >= 0.95 and s["recall"] >= 0.98, (name, s)
