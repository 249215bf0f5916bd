"""A form or multipart body whose schema is not an object (spoonacular's ``createRecipeCard``).

spoonacular declares ``POST /recipes/visualizeRecipe`` as ``multipart/form-data`` of ``type:
string`` (its example is urlencoded text). A form's fields are an object's properties, so
such a form has none (lint rule ``form-body-object``); the app reads the body as its raw text
(a ``str``). schemathesis would wrap a string in a multipart boundary and send an array as a
multipart of the same shape, expecting it refused ("Schema-violating request accepted"); the
run sends the string's text as ``text/plain``, which the app reads alike, and the operation
reaches its 2xx.
"""

from __future__ import annotations

from typing import Any

from specfirst.contract import ContractOptions, format_summary, run_contract
from tests.e2e.conftest import MakeApi, make_api  # noqa: F401  (fixture)

SPEC = """
openapi: 3.0.3
info: {title: Recipes, version: 1.0.0}
paths:
  /recipes/card:
    post:
      operationId: createRecipeCard
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema: {type: string}
      responses:
        '200':
          description: made
          content:
            application/json: {schema: {type: object, properties: {url: {type: string}}}}
  /recipes/note:
    post:
      operationId: createRecipeNote
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema: {type: object, properties: {title: {type: string}}, required: [title]}
      responses:
        '200': {description: made}
"""


def test_a_form_of_a_string_is_sent_and_read_as_its_text(make_api: MakeApi) -> None:  # noqa: F811
    recipes = make_api(SPEC)
    r = recipes.responses
    got: list[Any] = []

    class Recipes:
        async def create_recipe_card(self, *, body: Any) -> Any:
            got.append(body)
            return r.CreateRecipeCard200Response(
                body=recipes.models.CreateRecipeCard200ResponseBody(url="u")
            )

        async def create_recipe_note(self, *, body: Any) -> Any:
            return r.CreateRecipeNote200Response()

    result = run_contract(
        ContractOptions(
            spec=recipes.spec_path,
            app=recipes.create_app(default=Recipes()),
            max_examples=20,
        )
    )
    summary = format_summary(result)
    assert not result.failures and not result.errors, summary
    assert "success gate not counted" not in summary
    reached = {label for label, op in result.coverage.operations.items() if op.reached_success()}
    assert reached == {"POST /recipes/card", "POST /recipes/note"}, summary
    assert got and all(isinstance(body, str) for body in got)  # the text sent, as sent
    assert result.notes == [
        "not sent: POST /recipes/card: request body as multipart/form-data (a string, which no "
        "form encodes: sent as text/plain, the raw text the app reads under any Content-Type)"
    ]
