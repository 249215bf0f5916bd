"""A form's boolean field sent as ``0`` or ``1`` (telegram.org's ``disable_notification``).

schemathesis mutates a boolean property of a form body to the integer 0 and expects it
refused, but a form field is text: ``0`` is how many clients write false, and the app reads it
so. schemathesis excuses exactly these values for query and path parameters; the run notes
them for form fields and does not count them.
"""

from __future__ import annotations

from typing import Any

from specfirst.contract import ContractOptions, format_summary, run_contract
from tests.e2e.conftest import MakeApi, make_api  # noqa: F401  (fixture)

SPEC = """
openapi: 3.0.3
info: {title: Bot, version: 1.0.0}
paths:
  /sendMessage:
    post:
      operationId: sendMessage
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [text]
              properties:
                text: {type: string}
                disable_notification: {type: boolean}
                reply_to_message_id: {type: integer}
      responses:
        '200': {description: sent, content: {text/plain: {schema: {type: string}}}}
"""


def test_a_form_boolean_sent_as_0_or_1_is_noted(make_api: MakeApi) -> None:  # noqa: F811
    bot = make_api(SPEC)

    class Bot:
        async def send_message(self, *, body: Any) -> Any:
            return bot.responses.SendMessage200Response(body=body.text)

    result = run_contract(
        ContractOptions(
            spec=bot.spec_path,
            app=bot.create_app(default=Bot()),
            checks=("negative_data_rejection",),
            phases=("coverage",),
            max_examples=10,
        )
    )
    summary = format_summary(result)
    assert not result.failures, summary
    assert "negative_data_rejection not counted: disable_notification=" in summary, summary
    assert "is sent as the text of a boolean" in summary
