"""A spec that is invalid only in harmless ways still generates a working service.

Real specs carry defaults that break their own schemas (``default: null`` on a string,
``default: 'false'`` on a boolean) and malformed examples. Validation warns, and the generated
code is built without them: the model and the route have no default, and a request that
omits the value is served. The served document is still the one the team wrote.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from specfirst.pipeline import generate
from tests.e2e.conftest import GeneratedApi, MakeApi, client
from tests.e2e.specs import LENIENT

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:
    return make_api(LENIENT)


def test_invalid_defaults_are_not_in_the_model(api: GeneratedApi) -> None:
    fields = api.models.Item.model_fields
    assert fields["name"].default is None  # not the invalid null-for-a-string default kept
    assert fields["count"].default == 3  # a valid default stays
    assert api.models.Item().model_dump(exclude_unset=True) == {}


async def test_the_service_runs_without_them_and_serves_the_source(api: GeneratedApi) -> None:
    seen: list[Any] = []

    class Service:
        async def list_items(self, *, flag: Any, size: Any) -> Any:
            seen.append((flag, size))
            return api.models.Item(name="a")

    app = api.create_app(default=Service())
    async with client(app) as c:
        plain = await c.get("/items")
        given = await c.get("/items", params={"flag": "true", "size": "2"})
        too_small = await c.get("/items", params={"size": "0"})
        served = await c.get("/openapi.json")
    assert plain.status_code == 200, plain.text
    assert given.status_code == 200, given.text
    assert too_small.status_code in (400, 422)
    assert seen == [(None, None), (True, 2)]
    doc = served.json()
    params = doc["paths"]["/items"]["get"]["parameters"]
    assert [p["schema"].get("default") for p in params] == ["false", 0]
    assert doc["components"]["schemas"]["Item"]["properties"]["name"]["default"] is None


NESTED = """
openapi: 3.0.3
info: {title: Nested, version: '1'}
paths:
  /charts:
    get:
      operationId: getChart
      parameters:
        - name: methods
          in: query
          schema: {type: array, items: {type: array, items: {type: string}}}
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        '204': {description: ok}
"""


async def test_an_array_of_arrays_parameter_is_reported_and_skipped(
    make_api: MakeApi, tmp_path: Path
) -> None:
    """sinao.app's spec has one; FastAPI refuses it, so create_app failed on the whole spec."""
    spec = tmp_path / "api.yaml"
    spec.write_text(NESTED, encoding="utf-8")
    result = generate(spec, tmp_path / "out", cache_dir=None, force=True)
    assert [d.format().split(": ", 1)[1] for d in result.diagnostics] == [
        "unsupported: query parameter 'methods' is an array of arrays, which no parameter style"
        " can carry; it is not passed to the handler"
    ]
    api = make_api(NESTED)
    seen: list[Any] = []

    class Service:
        async def get_chart(self, *, limit: Any) -> Any:
            seen.append(limit)
            return api.responses.GetChart204Response()

    async with client(api.create_app(default=Service())) as c:
        answer = await c.get("/charts", params={"limit": "3", "methods": "a"})
    assert answer.status_code == 204, answer.text
    assert seen == [3]
