"""A "positive" request that sends a parameter its own schema refuses (openbanking.org.uk's
``x-fapi-auth-date``).

schemathesis' coverage phase, generating positive and negative cases together, sends an
optional header declared ``type: string`` with a ``pattern`` as ``''`` in its default positive
case. The app rightly answers 400; that is no schema-valid request rejected, so the run notes
the ``positive_data_acceptance`` failure and does not count it. A parameter whose schema is a
``$ref`` to such a string schema, or an ``allOf`` of one, is the same string parameter.
"""

from __future__ import annotations

from typing import Any

import pytest

from specfirst.contract import ContractOptions, format_summary, run_contract
from tests.e2e.conftest import MakeApi, make_api  # noqa: F401  (fixture)

SPEC = r"""
openapi: 3.0.0
info: {title: Payments, version: 1.0.0}
paths:
  /consents/{ConsentId}:
    get:
      operationId: getConsent
      parameters:
        - {name: ConsentId, in: path, required: true, schema: {type: string}}
        - name: x-fapi-auth-date
          in: header
          required: false
          schema: AUTH_DATE
        - {name: x-fapi-interaction-id, in: header, required: false, schema: {type: string}}
      responses:
        '200': {description: the consent, content: {application/json: {schema: {type: object}}}}
components:
  schemas:
    AuthDate:
      type: string
      pattern: '^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} (GMT|UTC)$'
    Dated: {allOf: [{$ref: '#/components/schemas/AuthDate'}], description: when it was sent}
"""

_INLINE = (
    "{type: string, pattern: '^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} "
    "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d{2}:\\d{2}:\\d{2} (GMT|UTC)$'}"
)


@pytest.mark.parametrize(
    "schema",
    [
        _INLINE,  # as openbanking declares it
        "{$ref: '#/components/schemas/AuthDate'}",
        "{$ref: '#/components/schemas/Dated'}",
        "{allOf: [{$ref: '#/components/schemas/AuthDate'}]}",
    ],
    ids=["inline", "ref", "ref-to-all-of", "all-of"],
)
def test_a_positive_case_sending_a_refused_header_is_noted(
    make_api: MakeApi,  # noqa: F811
    schema: str,
) -> None:
    payments = make_api(SPEC.replace("AUTH_DATE", schema))

    class Consents:
        async def get_consent(self, **_: Any) -> Any:
            return payments.responses.GetConsent200Response(body={})

    result = run_contract(
        ContractOptions(
            spec=payments.spec_path,
            app=payments.create_app(default=Consents()),
            checks=("positive_data_acceptance",),
            phases=("coverage",),
            max_examples=10,
        )
    )
    summary = format_summary(result)
    assert not result.failures, summary
    assert "positive_data_acceptance not counted: the request sent header x-fapi-auth-date=" in (
        summary
    ), summary


USERS = r"""
openapi: 3.0.0
info: {title: Users, version: 1.0.0}
paths:
  /user:
    post:
      operationId: createUser
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, properties: {email: {type: string}}}
      responses:
        '200':
          description: created
          content:
            application/json:
              schema:
                type: object
                properties: {email: {type: string}, guid: {type: string}}
  /user/{userId}:
    get:
      operationId: getUser
      parameters:
        - {name: userId, in: path, required: true, schema: {type: integer, minimum: 1}}
        - {name: verbose, in: query, schema: {type: boolean}}
        - {name: ratio, in: query, schema: {$ref: '#/components/schemas/Ratio'}}
      responses:
        '200':
          description: the user
          content:
            application/json:
              schema: {type: object, properties: {id: {type: integer}}}
components:
  schemas:
    Ratio: {type: number, maximum: 1}
"""


@pytest.mark.parametrize(
    ("sent", "refused"),
    [
        ({"path_parameters": {"userId": "d5e53b3a-ffc1-4436-b085-04aaed5ec861"}}, "userId"),
        ({"path_parameters": {"userId": "0"}}, "userId"),  # an integer, below the minimum
        ({"path_parameters": {"userId": "1.5"}}, "userId"),
        ({"path_parameters": {"userId": "5"}, "query": {"verbose": "yes"}}, "verbose"),
        ({"path_parameters": {"userId": "5"}, "query": {"ratio": "2"}}, "ratio"),
        ({"path_parameters": {"userId": "5"}, "query": {"verbose": "true", "ratio": "0.5"}}, None),
        ({"path_parameters": {"userId": "12"}}, None),
    ],
)
def test_the_text_of_an_integer_number_or_boolean_is_read_as_its_value(
    sent: dict[str, Any], refused: str | None
) -> None:
    """A parameter that is no string is judged by the value its text stands for: ``'12'`` is
    the integer 12; a ``guid`` schemathesis' stateful phase took from ``POST /user``'s answer
    for the integer ``userId`` (c19qrserver) stands for none, so the 422 was right."""
    import schemathesis
    import yaml

    from specfirst.contract.excuses import Failed, Known, _invalid_positive

    operation = schemathesis.openapi.from_dict(yaml.safe_load(USERS))["/user/{userId}"]["GET"]
    case = operation.Case(**sent)
    failed = Failed("positive_data_acceptance", None, case, None, None, "c1", Known())
    reason = _invalid_positive(failed)
    if refused is None:
        assert reason is None
    else:
        assert reason is not None and f" {refused}=" in reason, reason
