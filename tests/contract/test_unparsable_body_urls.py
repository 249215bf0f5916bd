"""A response string that starts like a URL but is none (shipengine's webhook ``url``).

shipengine's webhook ``url`` is ``{type: string, format: url}`` with the example
``https://[YOUR ENDPOINT ID].x.requestbin.com``, which an example stub answers. schemathesis
scans 2xx JSON bodies for same-origin links, and ``urlsplit`` refuses a bracketed host that is
no IP address: the whole contract run ended on "'YOUR ENDPOINT ID' does not appear to be an
IPv4 or IPv6 address". Any service may answer such a string; the run goes on.
"""

from __future__ import annotations

from typing import Any

from specfirst.contract import ContractOptions, format_summary, run_contract
from tests.e2e.conftest import MakeApi, make_api  # noqa: F401  (fixture)

SPEC = """
openapi: 3.0.3
info: {title: Hooks, version: 1.0.0}
paths:
  /hooks:
    get:
      operationId: listHooks
      responses:
        '200':
          description: the hooks
          content:
            application/json:
              schema:
                type: array
                items: {$ref: '#/components/schemas/Hook'}
components:
  schemas:
    Hook:
      type: object
      required: [url, other]
      properties:
        url: {type: string, format: url}
        other: {type: string}
"""


def test_a_body_string_urlsplit_refuses_does_not_end_the_run(make_api: MakeApi) -> None:  # noqa: F811
    hooks = make_api(SPEC)
    Hook = hooks.models.Hook

    class Hooks:
        async def list_hooks(self) -> Any:
            return [
                Hook(url="https://[YOUR ENDPOINT ID].x.requestbin.com", other="http://[::1"),
                Hook(url="http://example.com:port/", other="/hooks"),
            ]

    result = run_contract(
        ContractOptions(spec=hooks.spec_path, app=hooks.create_app(default=Hooks()), max_examples=5)
    )
    summary = format_summary(result)
    assert result.ok and not result.errors, summary
    assert "1 of 1 operations reached a declared 2xx" in summary, summary
