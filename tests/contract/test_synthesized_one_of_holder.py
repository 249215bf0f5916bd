"""A synthesized value for a ``oneOf`` beside keywords of its own schema (shipengine).

shipengine's ``estimate_rates_request_body`` is closed, allOf [options], requires ten names,
and holds oneOf [by carrier id, by carrier ids]. The value synthesized for it was its first
alternative's alone (``{"carrier_id": …}``), without the names the schema requires; the model
refused it. It is now the holder merged with one alternative
(:func:`specfirst.schema_rewrites.spell_one_of_holder`), a value the model takes.
"""

from __future__ import annotations

import json

import yaml

from specfirst.examples.synthesize import Schemas, synthesize
from tests.contract.test_as_the_app_reads import CLOSED_WITH_OPEN_ALTERNATIVES
from tests.e2e.conftest import MakeApi, make_api  # noqa: F401  (fixture)

SPEC = (
    CLOSED_WITH_OPEN_ALTERNATIVES
    + """\
    Tagged:
      type: object
      required: [tag]
      properties: {tag: {type: string}}
      oneOf:
        - {required: [a], properties: {a: {type: integer}}}
        - {required: [b], properties: {b: {type: integer}}}
"""
)


def test_a_holder_s_value_has_its_names_and_one_alternative_s(make_api: MakeApi) -> None:  # noqa: F811
    document = yaml.safe_load(SPEC)
    schemas = Schemas(document)
    models = make_api(SPEC).models
    for name, expected in (
        ("Estimate", ["carrier_id", "from_city", "weight"]),
        ("Tagged", ["a", "tag"]),
    ):
        value = synthesize({"$ref": f"#/components/schemas/{name}"}, schemas)
        assert sorted(value) == expected, value
        model = getattr(models, name).model_validate_json(json.dumps(value))  # oneOf: JSON
        assert type(model.root).__name__ == f"{name}1", value
