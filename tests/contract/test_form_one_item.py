"""A form's array field sent as one value (conjur's ``cidr``).

A form carries an array as one field per item, so ``cidr=AAA`` is how a client sends the
one-item array ``["AAA"]``, and the app reads it so. schemathesis made ``cidr`` the string
``AAA`` and expected the request refused ("Schema-violating request accepted"); the run notes
such a case and does not count it, unless the value is no valid item either.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import schemathesis
import yaml

from specfirst.contract import ContractOptions, format_summary, run_contract
from specfirst.contract.excuses import Failed, Known, _one_item
from tests.e2e.conftest import MakeApi, make_api  # noqa: F401  (fixture)

SPEC = """
openapi: 3.0.3
info: {title: Conjur, version: 1.0.0}
paths:
  /host_factory_tokens:
    post:
      operationId: createToken
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [host_factory]
              properties:
                host_factory: {type: string}
                cidr: {type: array, items: {type: string}}
                counts: {type: array, items: {type: integer}}
      responses:
        '200': {description: made, content: {application/json: {schema: {}}}}
        '422': {description: bad}
"""


def test_a_form_array_sent_as_one_valid_item_is_noted(make_api: MakeApi) -> None:  # noqa: F811
    conjur = make_api(SPEC)

    class Tokens:
        async def create_token(self, *, body: Any) -> Any:
            return conjur.responses.CreateToken200Response(body=[])

    result = run_contract(
        ContractOptions(
            spec=conjur.spec_path,
            app=conjur.create_app(default=Tokens()),
            checks=("negative_data_rejection",),
            max_examples=20,
        )
    )
    summary = format_summary(result)
    assert not result.failures, summary
    assert re.search(r"negative_data_rejection not counted: (cidr|counts)=", summary), summary
    assert "is sent as an array of one item" in summary, summary


def _failed(body: dict[str, Any], name: str) -> Failed:
    """A failing negative case whose one mutation made the array ``name`` a scalar."""
    schema = schemathesis.openapi.from_dict(yaml.safe_load(SPEC))
    mutation = SimpleNamespace(
        path=(name,), parameter_location=SimpleNamespace(value="body"), original_value="array"
    )
    case = SimpleNamespace(
        operation=schema["/host_factory_tokens"]["POST"],
        body=body,
        media_type="application/x-www-form-urlencoded",
        meta=SimpleNamespace(phase=SimpleNamespace(data=SimpleNamespace(mutations=[mutation]))),
    )
    return Failed("negative_data_rejection", None, case, None, None, "c1", Known())


def test_only_a_value_that_is_a_valid_item_is_noted() -> None:
    assert _one_item(_failed({"host_factory": "h", "cidr": "AAA"}, "cidr")) == (
        "cidr='AAA' is sent as an array of one item (a form sends an array as a field per item)"
    )
    assert _one_item(_failed({"host_factory": "h", "counts": "2"}, "counts")) is not None
    # not an integer on any reading: the request is invalid, and counts
    assert _one_item(_failed({"host_factory": "h", "counts": "AAA"}, "counts")) is None
    assert _one_item(_failed({"host_factory": "h", "counts": {"a": 1}}, "counts")) is None
