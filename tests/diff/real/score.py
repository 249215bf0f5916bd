"""Precision and recall of ``specfirst diff`` on the labelled real-world cases.

A case is predicted a break when the diff reports at least one finding of severity
``breaking``. Run::

    .venv/bin/python -m tests.diff.real.score                # every case
    .venv/bin/python -m tests.diff.real.score --real         # only the cases not constructed by hand
    .venv/bin/python -m tests.diff.real.score --consecutive  # only GHES 3.N → 3.N+1 (real)
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from specfirst.diff import Severity, diff_specs
from specfirst.loader import load_spec

CASES = Path(__file__).parent / "cases"


@dataclass(frozen=True)
class Outcome:
    case: dict[str, Any]
    ids: frozenset[str]
    breaking: frozenset[str]

    @property
    def predicted(self) -> bool:
        return bool(self.breaking)

    @property
    def actual(self) -> bool:
        return bool(self.case["label"] == "break")

    def problems(self) -> list[str]:
        out = []
        if self.predicted != self.actual:
            out.append(f"labelled {self.case['label']}, diff says breaking={sorted(self.breaking)}")
        expect = self.case.get("expect")
        if expect and expect not in self.ids:
            out.append(f"expected finding {expect} is missing (got {sorted(self.ids)})")
        for rule in self.case.get("forbid", []):
            if rule in self.ids:
                out.append(f"finding {rule} must not appear")
        return out


def consecutive(case: dict[str, Any]) -> bool:
    """A real case from two consecutive GHES releases (not dotcom, Adyen or constructed)."""
    found = re.fullmatch(r"ghes-(\d+)\.(\d+) → ghes-(\d+)\.(\d+)", case["pair"])
    if not found or case.get("constructed"):
        return False
    major, minor, head_major, head_minor = map(int, found.groups())
    return head_major == major and head_minor == minor + 1


def load_cases() -> list[dict[str, Any]]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(CASES.glob("*.yaml"))]


def run_case(case: dict[str, Any], folder: Path) -> Outcome:
    base, head = folder / f"{case['name']}.base.yaml", folder / f"{case['name']}.head.yaml"
    base.write_text(yaml.safe_dump(case["base"], sort_keys=False), encoding="utf-8")
    head.write_text(yaml.safe_dump(case["head"], sort_keys=False), encoding="utf-8")
    report = diff_specs(load_spec(base), load_spec(head))
    return Outcome(
        case,
        frozenset(f.id for f in report.findings),
        frozenset(f.id for f in report.findings if f.severity is Severity.BREAKING),
    )


def score(outcomes: list[Outcome]) -> dict[str, float | int]:
    tp = sum(o.predicted and o.actual for o in outcomes)
    fp = sum(o.predicted and not o.actual for o in outcomes)
    fn = sum(not o.predicted and o.actual for o in outcomes)
    tn = sum(not o.predicted and not o.actual for o in outcomes)
    return {
        "cases": len(outcomes),
        "breaks": tp + fn,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", action="store_true", help="leave out constructed cases")
    parser.add_argument(
        "--consecutive", action="store_true", help="only real cases from GHES 3.N → 3.N+1"
    )
    args = parser.parse_args(argv)
    cases = [c for c in load_cases() if not (args.real and c.get("constructed"))]
    if args.consecutive:
        cases = [c for c in cases if consecutive(c)]
    with tempfile.TemporaryDirectory() as tmp:
        outcomes = [run_case(c, Path(tmp)) for c in cases]
    failed = 0
    for o in outcomes:
        problems = o.problems()
        failed += bool(problems)
        mark = "FAIL" if problems else "ok  "
        print(f"{mark} {o.case['label']:<9} {o.case['mechanism']:<12} {o.case['name']}")
        for problem in problems:
            print(f"       {problem}")
    s = score(outcomes)
    mechanisms = sorted({o.case["mechanism"] for o in outcomes})
    print(
        f"\n{s['cases']} cases ({s['breaks']} breaks), mechanisms: {', '.join(mechanisms)}\n"
        f"tp {s['tp']}  fp {s['fp']}  fn {s['fn']}  tn {s['tn']}\n"
        f"precision {s['precision']:.3f}  recall {s['recall']:.3f}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
