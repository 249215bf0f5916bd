"""A form or multipart body whose schema is not an object (spoonacular's ``createRecipeCard``).

spoonacular declares ``POST /recipes/visualizeRecipe`` as ``multipart/form-data`` of ``type:
string`` (its example is urlencoded text). A form's fields are an object's properties, so
such a form has none (lint rule ``form-body-object``). schemathesis made the "string" an array,
sent it as a multipart of the same shape, and expected it refused ("Schema-violating request
accepted") when the app read such a form fieldless; the app now reads no such form (415), so
every negative case is refused, nothing is excused, and the operation's success gate is noted.
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


def test_a_form_without_fields_refuses_every_value(make_api: MakeApi) -> None:  # noqa: F811
    recipes = make_api(SPEC)
    r = recipes.responses

    class Recipes:
        async def create_recipe_card(self, *, body: Any) -> Any:
            return r.CreateRecipeCard200Response(
                body=recipes.models.CreateRecipeCard200ResponseBody(url="u")
            )

        async def create_recipe_note(self, *, body: Any) -> Any:
            return r.CreateRecipeNote200Response()

    result = run_contract(
        ContractOptions(
            spec=recipes.spec_path,
            app=recipes.create_app(default=Recipes()),
            checks=("negative_data_rejection",),
            max_examples=20,
        )
    )
    summary = format_summary(result)
    assert not result.failures, summary
    assert "negative_data_rejection not counted" not in summary
    assert "POST /recipes/card (createRecipeCard): success gate not counted" in summary
    assert not any("/recipes/note" in note for note in result.notes), summary
