"""Spec text with quotes, backslashes and template syntax cannot break the generated code."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import GeneratedApi, MakeApi, client
from tests.e2e.specs import TRICKY


async def test_tricky_text_generates_importable_code(make_api: MakeApi) -> None:
    api: GeneratedApi = make_api(TRICKY)
    doc = api.services.OddService.odd_one.__doc__ or ""
    assert 'Summary with """ and \\ and {{ jinja }} and {% if %}' in doc
    assert "{{ not_a_variable }} {# not a comment #}" in doc
    assert "ends with a backslash \\" in doc
    assert api.package.__doc__ is not None and 'Tricky """ title \\ {{ x }}' in api.package.__doc__

    class Odd:
        async def odd_one(self, *, id: str) -> Any:
            return api.responses.OddOne200Response(
                body=api.models.OddOne200ResponseBody(), x_odd='v"\\'
            )

    app = api.create_app(odd=Odd())
    async with client(app) as c:
        res = await c.get("/odd/1")
        spec = await c.get("/openapi.json")
    assert res.status_code == 200
    assert res.headers["x-odd"] == 'v"\\'
    assert res.json() == {}
    assert (
        spec.json()["paths"]["/odd/{id}"]["get"]["summary"]
        == 'Summary with """ and \\ and {{ jinja }} and {% if %}'
    )
    field = api.models.OddOne200ResponseBody.model_fields["text"]
    assert field.default == 'quote " and """ and \\'
