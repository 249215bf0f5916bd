"""``make corpus-adopt``'s harness on two small specs of its sample, so that it cannot rot.

The sample is fixed and varied (40 specs; every size, auth kind, error style and operationId
style present); ``init --spec``, the new project's tests and ``specfirst check`` pass on two of
its small specs, the example-stubs column says what it measured (or that this specfirst has no
``--stubs examples``), and the table names them. The full run is ``make corpus-adopt``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from corpus import adopt

pytestmark = pytest.mark.slow

SMALL = ("apisetu.gov.in/pramericalife.json", "eos.local.json")  # 1 and 4 operations


def _require_corpus() -> None:
    if not adopt.DIRECTORY.is_dir():
        message = f"{adopt.DIRECTORY} missing: run `make corpus-fetch`"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def test_the_sample_is_fixed_and_varied() -> None:
    _require_corpus()
    chosen = adopt.sample()
    assert chosen == adopt.sample()  # deterministic
    assert len(chosen) >= 40 and len({s.name for s in chosen}) == len(chosen)
    assert {s.size for s in chosen} == {"S", "M", "L"}
    kinds = {kind for s in chosen for kind in s.auth.split("+")}
    assert {"none", "apiKey", "http", "oauth2"} <= kinds
    assert {s.errors for s in chosen} == {"problem+json", "custom", "none"}
    assert {s.ids for s in chosen} == {"all", "some", "none"}
    assert all(1 <= s.operations <= adopt.MAX_OPERATIONS for s in chosen)
    assert set(SMALL) <= {s.name for s in chosen}


def test_two_small_specs_are_green_out_of_the_box(tmp_path: Path) -> None:
    _require_corpus()
    specs = [s for s in adopt.sample() if s.name in SMALL]
    results = adopt.run(specs, jobs=2, timeout=600, echo=False, caches=tmp_path / "mypy")
    for result in results:
        assert (result.init, result.tests, result.check) == ("ok", "ok", "ok"), result.details
        if adopt.has_example_stubs():
            assert result.operations and result.reached is not None, result.stubs
        else:
            assert result.stubs == "n/a (no --stubs examples)"
    text = adopt.table(results, "python -m corpus.adopt --only ...", 1.0)
    assert text.startswith(adopt.BEGIN) and text.endswith(adopt.END)
    assert "**2 of 2**" in text
    for name in SMALL:
        assert f"| {name} |" in text
