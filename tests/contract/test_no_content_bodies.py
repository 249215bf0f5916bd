"""A 204 whose spec declares content (shipengine's ``DELETE /v1/environment/webhooks/{id}``).

shipengine declares ``204: {content: {application/json: …, text/plain: …}}``. HTTP forbids a
body on a 204 (RFC 9110 §15.3.5), so the app sends none; schemathesis failed every answer
("Missing Content-Type header", "JSON deserialization error"). The fault is the spec's: the
run notes it and does not count it, and lint rule ``no-content-body`` names it.
"""

from __future__ import annotations

from typing import Any

from specfirst.contract import ContractOptions, format_summary, run_contract
from tests.e2e.conftest import MakeApi, make_api  # noqa: F401  (fixture)

SPEC = """
openapi: 3.0.3
info: {title: Hooks, version: 1.0.0}
paths:
  /hooks/{id}:
    delete:
      operationId: deleteHook
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '204':
          description: deleted
          content:
            application/json: {schema: {type: string}}
            text/plain: {schema: {type: string}}
"""


def test_content_declared_for_a_204_is_noted(make_api: MakeApi) -> None:  # noqa: F811
    hooks = make_api(SPEC)

    class Hooks:
        async def delete_hook(self, *, id: str) -> Any:
            return None

    result = run_contract(
        ContractOptions(spec=hooks.spec_path, app=hooks.create_app(default=Hooks()), max_examples=5)
    )
    summary = format_summary(result)
    assert result.ok and result.failures == [], summary
    assert result.noted.get("no-content") == 2, summary  # one per check
    assert (
        "note: DELETE /hooks/{id}: content_type_conformance not counted: the spec declares "
        "content for 204, which HTTP forbids (RFC 9110; lint rule no-content-body), and the "
        "answer had none"
    ) in summary
