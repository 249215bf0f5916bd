"""``corpus.adopt``'s table says why a spec's example stubs reach less than 90%: operations
that declare no success response (appwrite's 12 ``/health`` operations declare only ``500``)
are counted from the contract run's own ``implemented:`` line, not left as "ok"."""

from __future__ import annotations

from corpus import adopt
from specfirst.contract.coverage import Coverage


def test_operations_declaring_no_success_explain_a_low_reach() -> None:
    coverage = Coverage.from_spec(
        [("GET /health", "healthGet", ["500"]), ("GET /time", "getTime", ["200"])]
    )
    coverage.record("GET /health", 501, stub=True)
    coverage.record("GET /time", 200)
    [found] = adopt.NO_SUCCESS.findall(coverage.implemented_line())
    result = adopt.Result("appwrite.io/server.json", {}, "ok", "ok", "ok", "ok", 1, 2)
    assert adopt._why(result) == "example stubs: ok"  # what the table said before
    result.no_success = int(found)
    assert adopt._why(result) == (
        "example stubs: 1 operation(s) declare no success response (lint rule "
        "success-response), so 1 of 2 is all there is; the project is green"
    )
