"""The table of check failures that are the spec's own doing (:mod:`specfirst.contract.excuses`).

Each rule has its own end-to-end test beside this one (``test_same_one_of_members``,
``test_invalid_positive`` and so on); these test the table itself, how the run counts its
notes by rule, and what a rule reads of schemathesis.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jsonschema_rs
import schemathesis
import yaml

from specfirst.contract import CHECKS as CONTRACT_CHECKS
from specfirst.contract import ContractResult, format_summary
from specfirst.contract.excuses import EXCUSES, Failed, Known, _same_one_of, note
from specfirst.contract.reports import coverage_markdown, write_reports
from specfirst.lint.registry import RULE_IDS


def test_every_rule_is_named_once_and_names_real_checks_and_lint_rules() -> None:
    import schemathesis.specs.openapi.checks  # noqa: F401  (registers the OpenAPI checks)
    from schemathesis.checks import CHECKS

    checks = {check.__name__ for check in CHECKS.get_all()}
    assert set(CONTRACT_CHECKS) <= checks
    names = [rule.name for rule in EXCUSES]
    assert len(names) == len(set(names))
    for rule in EXCUSES:
        assert rule.checks is None or rule.checks <= checks, rule.name
        assert set(rule.lint) <= RULE_IDS, rule.name


def test_a_note_is_written_once_and_counted_by_its_rule() -> None:
    result = ContractResult(seed=0)
    answer = SimpleNamespace(status_code=200, headers={"specfirst-example": ["getThing"]})
    for case_id in ("c1", "c2"):
        failed = Failed(
            check="use_after_free",
            failure=SimpleNamespace(operation="GET /things/{id}"),
            case=None,
            response=answer,
            recorder=SimpleNamespace(label="GET /things/{id}"),
            case_id=case_id,
            known=Known(),
        )
        assert note(result, failed)
    assert result.notes == [
        "GET /things/{id}: use_after_free not counted: answered by an example stub, which "
        "keeps no state (it counts once the operation is written)"
    ]
    assert result.noted == {"example-stub": 1}
    # a check no rule names is never excused
    other = Failed("not_a_server_error", failed.failure, None, answer, None, "c3", Known())
    assert not note(result, other)


def test_the_summary_and_the_reports_group_notes_by_rule(tmp_path: Path) -> None:
    result = ContractResult(
        seed=0,
        notes=["a: x not counted: why", "b: x not counted: why", "c: y not counted: why"],
        noted={"boolean-text": 1, "same-one-of": 2},
    )
    summary = format_summary(result)
    assert "noted, not counted: same-one-of 2, boolean-text 1" in summary, summary
    assert summary.index("note: c: y") < summary.index("noted, not counted:")
    markdown = coverage_markdown(result.coverage, title="t", notes=result.notes, noted=result.noted)
    assert "By rule: same-one-of 2, boolean-text 1." in markdown, markdown
    assert "noted, not counted" not in format_summary(ContractResult(seed=0))
    _, data = write_reports(
        result.coverage, tmp_path / "c.xml", title="t", warnings=(), gates=(), noted=result.noted
    )
    assert json.loads(data.read_text())["noted"] == {"boolean-text": 1, "same-one-of": 2}


SPEC = """
openapi: 3.0.2
info: {title: Codes, version: 1.0.0}
paths:
  /codes:
    post:
      responses:
        '400':
          description: Bad Request
          content:
            application/json:
              schema:
                oneOf:
                  - $ref: '#/components/schemas/InvalidClient'
                  - $ref: '#/components/schemas/InvalidMobile'
components:
  schemas:
    InvalidClient:
      type: object
      properties: {error: {type: string, description: invalid_client}}
    InvalidMobile:
      type: object
      properties: {error: {type: string, description: invalid_mobile, example: no}}
"""


def test_same_one_of_reads_the_schema_the_operation_declares() -> None:
    """Not schemathesis' private copy on the failure: the operation's response schema for the
    answer's status and media type, references bundled in, as schemathesis validated it."""
    schema = schemathesis.openapi.from_dict(yaml.safe_load(SPEC))
    case = SimpleNamespace(operation=schema["/codes"]["POST"])
    answer = SimpleNamespace(status_code=400, headers={"content-type": ["application/json"]})
    instance = {"error": "invalid_client"}
    declared = case.operation.responses.find_by_status_code(400).get_schema("application/json")
    error: Any = next(jsonschema_rs.validator_for(declared.schema).iter_errors(instance))
    # what the failure carries publicly: where the schema failed, and the value
    failure = SimpleNamespace(
        operation="POST /codes", schema_path=error.schema_path, instance=instance
    )
    failed = Failed("response_schema_conformance", failure, case, answer, None, "c1", Known())
    assert _same_one_of(failed) == (
        "the answer is valid under all 2 members of the declared oneOf, which differ only in "
        "annotations (descriptions, examples), so no value is valid under exactly one of them: "
        "no server can satisfy it"
    )
    # an answer of another status is judged against that status' schema: none here
    other = SimpleNamespace(status_code=500, headers=answer.headers)
    assert _same_one_of(Failed(failed.check, failure, case, other, None, "c1", Known())) is None


def _lost(path_parameters: dict[str, str], known: Known) -> Failed:
    """A failing ``ensure_resource_availability``: ``GET /things/{id}`` after the
    ``POST /things`` that created the thing, which had sent Idempotency-Key ``k1``."""

    def node(label: str, case_id: str, parent: str | None = None, **sent: Any) -> Any:
        operation = SimpleNamespace(
            label=label, definition=SimpleNamespace(raw={"operationId": label.split()[0].lower()})
        )
        return SimpleNamespace(
            value=SimpleNamespace(id=case_id, operation=operation, **sent), parent_id=parent
        )

    created = SimpleNamespace(
        request=SimpleNamespace(headers={"Idempotency-Key": ["k1"]}), timestamp=5.0
    )
    recorder = SimpleNamespace(
        label="POST /things",
        cases={
            "create": node("POST /things", "create"),
            "get": node("GET /things/{id}", "get", "create", path_parameters=path_parameters),
        },
        interactions={"create": created},
    )
    return Failed(
        check="ensure_resource_availability",
        failure=SimpleNamespace(operation="POST /things"),
        case=recorder.cases["get"].value,
        response=None,
        recorder=recorder,
        case_id="get",
        known=known,
    )


def test_a_lost_resource_looked_up_by_a_seeded_value_is_noted() -> None:
    result = ContractResult(seed=0)
    assert note(result, _lost({"id": "t-1"}, Known(fixed={"get": {"t-1", "t-2"}})))
    assert result.notes == [
        "POST /things → GET /things/{id}: ensure_resource_availability not counted: the request "
        "used seeded t-1 (SeedData.always), not only what the creating response linked to"
    ]
    assert result.noted == {"seeded-values": 1}


def test_a_lost_resource_whose_creation_replayed_an_idempotency_key_is_noted() -> None:
    result = ContractResult(seed=0)
    assert not note(result, _lost({"id": "t-9"}, Known(keys={("POST /things", "k1"): 5.0})))
    assert note(result, _lost({"id": "t-9"}, Known(keys={("POST /things", "k1"): 1.0})))
    assert result.notes == [
        "POST /things: ensure_resource_availability not counted: the creating request reused "
        "Idempotency-Key 'k1', so its 2xx replayed an earlier creation (as the Idempotency-Key "
        "draft requires), whose resource may be gone"
    ]
    assert result.noted == {"idempotent-replay": 1}


def test_a_request_body_is_found_through_a_chain_of_references() -> None:
    """The run's document and its excuses find an operation's request body by one lookup
    (:func:`~specfirst.contract.document.request_body`): through a ``$ref`` to a body that is
    itself a ``$ref`` (escaped as JSON pointers escape) the document reads the form of an
    array there as one no body can succeed with, and the excuse finds its schema; a
    reference that names nothing is no body."""
    from specfirst.contract.document import formless_bodies, request_body
    from specfirst.contract.excuses import _body_schema_pointer

    form = "application/x-www-form-urlencoded"
    document: dict[str, Any] = {
        "paths": {
            "/items": {"post": {"requestBody": {"$ref": "#/components/requestBodies/Alias"}}},
            "/lost": {"post": {"requestBody": {"$ref": "#/components/requestBodies/None"}}},
        },
        "components": {
            "requestBodies": {
                "Alias": {"$ref": "#/components/requestBodies/Items~1v1"},
                "Items/v1": {"content": {form: {"schema": {"type": "array"}}}},
            }
        },
    }
    operation = SimpleNamespace(path="/items", method="POST")
    assert _body_schema_pointer(document, operation, form) == (
        *("components", "requestBodies", "Items/v1", "content", form, "schema"),
    )
    assert list(formless_bodies(document, ["POST /items", "POST /lost"])) == ["POST /items"]
    assert request_body(document, "/lost", "post") == (
        None,
        ("paths", "/lost", "post", "requestBody"),
    )


def test_each_run_keeps_its_own_example_checker() -> None:
    """The checker of a run's document lives on the run (:class:`Known`), made once for it:
    another run, of another document, in the same process neither shares nor drops it."""
    first: dict[str, Any] = {"openapi": "3.0.3", "paths": {}}
    second: dict[str, Any] = {"openapi": "3.1.0", "paths": {}}
    one, other = Known(), Known()
    checker = one.checkers.of(first)
    assert other.checkers.of(second) is not checker
    assert one.checkers.of(first) is checker
    assert other.checkers.of(first) is not checker
