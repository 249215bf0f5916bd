"""A header parameter the case leaves unset is not sent (conjur's ``Accept-Encoding``).

conjur declares ``Accept-Encoding`` as a header parameter (``enum: [base64]``: it asks for
secrets base64-encoded). schemathesis sends every request with the HTTP client's own headers
(``Accept-Encoding: gzip, deflate``, ``User-Agent``), so a positive case that left the
parameter out still sent a value its schema refuses: "Schema-valid request rejected", and the
operation never reached its 200.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import Any

import uvicorn

from specfirst.contract import ContractOptions, format_summary, run_contract
from tests.e2e.conftest import MakeApi, make_api  # noqa: F401  (fixture)
from tests.reliability.servers import free_port

SPEC = """
openapi: 3.0.3
info: {title: Conjur, version: 1.0.0}
paths:
  /secrets:
    get:
      operationId: getSecrets
      parameters:
        - {name: variable_ids, in: query, required: true, schema: {type: string}}
        - {name: Accept-Encoding, in: header, schema: {type: string, enum: [base64]}}
        - {name: User-Agent, in: header, schema: {type: string, enum: [conjur-cli]}}
      responses: {'200': {description: ok}, '422': {description: bad}}
"""


def _run(build: MakeApi, over_http: bool) -> tuple[Any, list[dict[str, Any]]]:
    conjur = build(SPEC)
    seen: list[dict[str, Any]] = []

    class Secrets:
        async def get_secrets(self, **arguments: Any) -> None:
            seen.append(arguments)

    app = conjur.create_app(default=Secrets())
    if not over_http:
        return run_contract(ContractOptions(spec=conjur.spec_path, app=app, max_examples=10)), seen
    with _serving(app) as url:
        return run_contract(ContractOptions(spec=conjur.spec_path, url=url, max_examples=10)), seen


@contextlib.contextmanager
def _serving(app: Any) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive()
        time.sleep(0.05)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def test_an_unset_header_parameter_is_not_sent_in_process(make_api: MakeApi) -> None:  # noqa: F811
    result, seen = _run(make_api, over_http=False)
    assert not result.failures and not result.errors, format_summary(result)
    assert any(arguments["accept_encoding"] is None for arguments in seen), seen
    # the case's own value, not the in-process client's `user-agent: testclient`
    assert any(arguments["user_agent"] == "conjur-cli" for arguments in seen), seen


def test_an_unset_header_parameter_is_not_sent_over_http(make_api: MakeApi) -> None:  # noqa: F811
    result, seen = _run(make_api, over_http=True)
    assert not result.failures and not result.errors, format_summary(result)
    assert any(arguments["user_agent"] is None for arguments in seen), seen
