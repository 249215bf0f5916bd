"""A synthesized answer for a member of a discriminated union the models make a plain union (spotify).

spotify's ``PlaylistTrackObject.track`` is oneOf [``TrackObject``, ``EpisodeObject``] with a
discriminator on ``type`` and no mapping; neither member requires ``type``, so the models drop
the discriminator (:func:`specfirst.schema_rewrites.optional_discriminators`) and type each
member's ``type`` as its own enum (``track``, ``episode``). The example synthesizer still held
each member to OpenAPI's implicit mapping (its schema's name): ``GET /tracks/{id}`` answered
``type: TrackObject``, the model refused it and the stub answered 500. The synthesized answer
is one the model takes.
"""

from __future__ import annotations

import yaml

from specfirst.examples.synthesize import Schemas, synthesize
from tests.e2e.conftest import MakeApi, make_api  # noqa: F401  (fixture)

SPEC = """
openapi: 3.0.3
info: {title: Tracks, version: 1.0.0}
paths:
  /tracks/{id}:
    get:
      operationId: getTrack
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: the track
          content: {application/json: {schema: {$ref: '#/components/schemas/TrackObject'}}}
  /items:
    get:
      operationId: getItem
      responses:
        '200':
          description: an item
          content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}
components:
  schemas:
    TrackObject:
      type: object
      properties:
        name: {type: string}
        type: {type: string, enum: [track]}
    EpisodeObject:
      type: object
      properties:
        show: {type: string}
        type: {type: string, enum: [episode]}
    Item:
      type: object
      properties:
        track:
          oneOf:
            - {$ref: '#/components/schemas/TrackObject'}
            - {$ref: '#/components/schemas/EpisodeObject'}
          discriminator: {propertyName: type}
"""


def test_a_member_of_a_union_the_models_leave_untagged_keeps_its_own_value(
    make_api: MakeApi,  # noqa: F811
) -> None:
    document = yaml.safe_load(SPEC)
    schemas = Schemas(document)
    track = synthesize({"$ref": "#/components/schemas/TrackObject"}, schemas)
    assert track["type"] == "track", track
    models = make_api(SPEC).models
    assert models.TrackObject.model_validate(track).model_dump(mode="json")["type"] == "track"
    item = synthesize({"$ref": "#/components/schemas/Item"}, schemas)
    assert item["track"]["type"] == "track", item
    models.Item.model_validate(item)


def test_an_implicit_member_whose_own_enum_leaves_out_its_name_takes_its_enums_value(
    make_api: MakeApi,  # noqa: F811
) -> None:
    """With ``type`` required the discriminator is kept; a member it does not map is tagged by
    its schema's name unless its property's own enum leaves that name out: then the model
    types it as the enum's value (``Literal["track"]``, as datamodel-code-generator reads an
    implicit member), and so must the synthesized answer."""
    spec = SPEC.replace(
        "      type: object\n      properties:\n        name:",
        "      type: object\n      required: [type]\n      properties:\n        name:",
    ).replace(
        "      type: object\n      properties:\n        show:",
        "      type: object\n      required: [type]\n      properties:\n        show:",
    )
    assert spec.count("required: [type]") == 2
    schemas = Schemas(yaml.safe_load(spec))
    track = synthesize({"$ref": "#/components/schemas/TrackObject"}, schemas)
    assert track["type"] == "track", track
    episode = synthesize({"$ref": "#/components/schemas/EpisodeObject"}, schemas)
    assert episode["type"] == "episode", episode
    models = make_api(spec).models
    models.TrackObject.model_validate(track)
    models.EpisodeObject.model_validate(episode)
    assert type(models.Item.model_validate({"track": episode}).track) is models.EpisodeObject


def test_a_member_keeps_its_one_value_whatever_the_discriminator_selects_it_by(
    make_api: MakeApi,  # noqa: F811
) -> None:
    """A member whose own enum is one value is typed as that value by its model, whether the
    mapping selects it by another key (``ep``) or its name is claimed by nothing: its
    synthesized answer has that value."""
    spec = SPEC.replace("required: [type]\n", "").replace(
        "          discriminator: {propertyName: type}",
        "          discriminator:\n"
        "            propertyName: type\n"
        "            mapping: {track: '#/components/schemas/TrackObject',"
        " ep: '#/components/schemas/EpisodeObject'}",
    )
    spec = spec.replace(
        "      properties:\n        show:",
        "      required: [type]\n      properties:\n        show:",
    ).replace(
        "      properties:\n        name:",
        "      required: [type]\n      properties:\n        name:",
    )
    assert "ep: '#/components" in spec and spec.count("required: [type]") == 2
    schemas = Schemas(yaml.safe_load(spec))
    episode = synthesize({"$ref": "#/components/schemas/EpisodeObject"}, schemas)
    assert episode["type"] == "episode", episode
    make_api(spec).models.EpisodeObject.model_validate(episode)
