"""Schema rules hold inside self-referencing models too.

datamodel-code-generator ends the models module with ``X.model_rebuild()`` for a model that
refers to itself, which builds X's schema at import, with a copy of the schema of each model
X embeds. The rules of an embedded model (``uniqueItems``, an optional property that is not
nullable: ``specfirst.runtime.base.constrain``) must be registered before that build, whatever
the classes' alphabetical order and whether X has rules of its own; and so across the groups
the models of a big API are split into.
"""

from __future__ import annotations

import json
from typing import Any

import pydantic
import pytest

from specfirst import model_groups
from tests.e2e.conftest import GeneratedApi, MakeApi, client, generate_package, problem

# Album and Folder refer to themselves and embed Tag, later in the alphabet. Folder has no
# rules of its own (``tag`` is required); Album has one (``cover`` optional, not nullable).
SPEC = """
openapi: 3.1.0
info: {title: Shelves, version: "1"}
tags: [{name: albums}, {name: folders}]
paths:
  /albums:
    post:
      operationId: addAlbum
      tags: [albums]
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Album"}}}
      responses:
        "204": {description: Added}
  /folders:
    post:
      operationId: addFolder
      tags: [folders]
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Folder"}}}
      responses:
        "204": {description: Added}
components:
  schemas:
    Album:
      type: object
      required: [tags]
      properties:
        cover: {type: string}
        tags: {type: array, items: {$ref: "#/components/schemas/Tag"}}
        albums: {type: array, items: {$ref: "#/components/schemas/Album"}}
    Folder:
      type: object
      required: [name, tag, children]
      properties:
        name: {type: string}
        tag: {$ref: "#/components/schemas/Tag"}
        children: {type: array, items: {$ref: "#/components/schemas/Folder"}}
    Tag:
      type: object
      required: [labels]
      properties:
        labels: {type: array, uniqueItems: true, items: {type: string}}
        color: {type: string}
"""

BAD_TAGS: list[tuple[dict[str, Any], str]] = [
    ({"labels": ["a", "a"]}, "items must be unique"),
    ({"labels": ["a"], "color": None}, "color: null is not allowed"),
]


@pytest.fixture(scope="module")
def grouped(tmp_path_factory: pytest.TempPathFactory) -> GeneratedApi:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(model_groups, "MIN_CLASSES", 0)
        return generate_package(SPEC, tmp_path_factory.mktemp("grouped"))


def _bodies(tag: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A body per operation holding ``tag`` at the top and one level down."""
    return {
        "/folders": {
            "name": "f",
            "tag": {"labels": []},
            "children": [{"name": "g", "tag": tag, "children": []}],
        },
        "/albums": {"tags": [tag], "albums": [{"tags": [{"labels": []}, tag]}]},
    }


def _check_models(api: GeneratedApi) -> None:
    m = api.models
    for tag, message in BAD_TAGS:
        for path, body in _bodies(tag).items():
            model = m.Folder if path == "/folders" else m.Album
            with pytest.raises(pydantic.ValidationError, match=message):
                model.model_validate_json(json.dumps(body))
    good = m.Folder.model_validate_json(
        '{"name": "f", "tag": {"labels": ["a", "b"], "color": "red"}, "children": []}'
    )
    assert good.tag.color == "red"
    with pytest.raises(pydantic.ValidationError, match="cover: null is not allowed"):
        m.Album.model_validate_json('{"tags": [], "albums": [{"tags": [], "cover": null}]}')


def test_embedded_rules_hold_in_self_referencing_models(make_api: MakeApi) -> None:
    api = make_api(SPEC)
    assert (api.path / "models.py").is_file()  # one module: the rebuild calls run at import
    _check_models(api)


def test_embedded_rules_hold_across_model_groups(grouped: GeneratedApi) -> None:
    assert (grouped.path / "models" / "__init__.py").is_file()  # split by tag
    _check_models(grouped)


@pytest.mark.parametrize("split", [False, True], ids=["module", "groups"])
async def test_requests_breaking_an_embedded_rule_are_refused(
    split: bool, make_api: MakeApi, grouped: GeneratedApi
) -> None:
    api = grouped if split else make_api(SPEC)
    async with client(api.create_app(allow_unimplemented=True)) as c:
        for tag, message in BAD_TAGS:
            for path, body in _bodies(tag).items():
                refused = problem(await c.post(path, json=body), 422)
                assert message in str(refused), (path, refused)
        accepted = await c.post("/folders", json=_bodies({"labels": ["a", "b"]})["/folders"])
    assert accepted.status_code == 501, accepted.text  # valid: on to the (missing) handler


def test_rules_come_before_the_rebuild_calls(make_api: MakeApi) -> None:
    source = (make_api(SPEC).path / "models.py").read_text(encoding="utf-8")
    assert source.index("constrain(Tag,") < source.index("Album.model_rebuild()")
    assert source.index("constrain(Tag,") < source.index("Folder.model_rebuild()")
