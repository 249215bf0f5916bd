"""A negative case whose only violations are ones a server may ignore (airflow's ``patch_pool``).

schemathesis excuses each alone: a body that breaks nothing but its readOnly properties (the
owning authority may ignore what a client sends for them) and query parameters the operation
does not declare (servers ignore them). When one case does both, and a declared query
parameter is an array (whose text schemathesis cannot validate again), it expects a 4xx. The
run notes these and does not count them: the request is one the spec lets the app accept.
"""

from __future__ import annotations

from typing import Any

from specfirst.contract import ContractOptions, format_summary, run_contract
from tests.e2e.conftest import MakeApi, make_api  # noqa: F401  (fixture)

SPEC = """
openapi: 3.0.3
info: {title: Pools, version: 1.0.0}
paths:
  /pools/{name}:
    patch:
      operationId: patchPool
      parameters:
        - {name: name, in: path, required: true, schema: {type: string}}
        - name: update_mask
          in: query
          style: form
          explode: false
          schema: {type: array, items: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pool'}
      responses:
        '200':
          description: updated
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pool'}
        '400': {description: bad request}
components:
  schemas:
    Pool:
      type: object
      properties:
        name: {type: string}
        slots: {type: integer}
        open_slots: {type: integer, readOnly: true}
        queued_slots: {type: integer, readOnly: true}
"""


def test_ignorable_violations_in_one_case_are_noted(make_api: MakeApi) -> None:  # noqa: F811
    pools = make_api(SPEC)

    class Pools:
        async def patch_pool(self, *, name: str, update_mask: Any, body: Any) -> Any:
            return pools.models.PoolResponse(name=name, slots=1, open_slots=1, queued_slots=0)

    # The case is one fuzzing must come upon (the body's readOnly properties and undeclared
    # query parameters, mutated together): a few seeds, every run clean, the note in one.
    summaries = []
    for seed in (20240601, 7, 11):
        result = run_contract(
            ContractOptions(
                spec=pools.spec_path,
                app=pools.create_app(default=Pools()),
                checks=("negative_data_rejection",),
                phases=("fuzzing",),
                max_examples=400,
                seed=seed,
            )
        )
        summary = format_summary(result)
        assert not result.failures, summary
        summaries.append(summary)
        if result.noted:
            break
    assert result.noted == {"ignorable-only": 1}, summaries
    assert "negative_data_rejection not counted: the request only gave values to body " in summary
    assert "added undeclared query parameters" in summary, summary
