"""The datamodel-code-generator adapter's own schema rewrites (``specfirst.models``)."""

from __future__ import annotations

import ast
import copy
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest

from specfirst.collector import MIDDLE_THRESHOLD
from specfirst.models import (
    _open_pattern_properties,
    _run_engine,
    before_rebuilds,
    generate_models,
    schema_rules,
)


def document(schemas: dict[str, Any]) -> dict[str, Any]:
    return {"openapi": "3.1.0", "components": {"schemas": schemas}}


def test_open_pattern_properties_become_additional_properties() -> None:
    doc = document(
        {
            "Open": {"type": "object", "patternProperties": {"^m_": {"type": "number"}}},
            "Typed": {
                "type": "object",
                "patternProperties": {"^m_": {"type": "number"}},
                "additionalProperties": {"type": "string"},
            },
            "Closed": {
                "type": "object",
                "patternProperties": {"^m_": {"type": "number"}},
                "additionalProperties": False,
            },
        }
    )
    before = copy.deepcopy(doc)
    opened, original = _open_pattern_properties(doc)
    got = opened["components"]["schemas"]
    assert got["Open"] == {"type": "object", "additionalProperties": {}}
    assert got["Typed"]["additionalProperties"] == {
        "anyOf": [{"type": "number"}, {"type": "string"}]
    }
    assert got["Closed"] == before["components"]["schemas"]["Closed"]  # only matching keys
    assert doc == before and original == before["components"]["schemas"]  # input untouched


def test_only_schemas_are_rewritten() -> None:
    weird = {
        "type": "object",
        # a property that happens to be called patternProperties, and an example that
        # looks like a schema: data, not keywords
        "properties": {"patternProperties": {"type": "object"}},
        "examples": [{"patternProperties": {"^x": {}}}],
        "items": {"patternProperties": {"^x": {"type": "string"}}},
    }
    opened, _ = _open_pattern_properties(document({"Weird": copy.deepcopy(weird)}))
    got = opened["components"]["schemas"]["Weird"]
    assert got["properties"] == weird["properties"]
    assert got["examples"] == weird["examples"]
    assert got["items"] == {"additionalProperties": {}}


def _defaults_none_without_none(source: str) -> list[str]:
    """Fields whose default is ``None`` but whose annotation does not admit ``None``: each is
    a mypy ``[assignment]`` error in the generated package."""
    wrong = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.value, ast.Constant)):
            continue
        if node.value.value is not None:
            continue
        annotation = ast.unparse(node.annotation)
        if "None" not in annotation and annotation != "Any":
            wrong.append(f"{ast.unparse(node.target)}: {annotation}")
    return wrong


def test_explicit_nullable_false_keeps_an_optional_field_optional() -> None:
    # rev.ai's Job: an allOf whose inline part declares an optional `type` with `nullable:
    # false`; datamodel-code-generator wrote `type: Type = None` (mypy: None is not a Type).
    job = {
        "allOf": [
            {
                "type": "object",
                "properties": {
                    "type": {"type": "string", "enum": ["async"], "nullable": False},
                    "name": {"type": "string", "nullable": False},
                },
            },
            {"$ref": "#/components/schemas/Options"},
        ]
    }
    plain = {
        "type": "object",
        "properties": {"kind": {"type": "string", "enum": ["a"], "nullable": False}},
    }
    options = {"type": "object", "properties": {"notify": {"type": "boolean"}}}
    doc = {**document({"Job": job, "Plain": plain, "Options": options}), "openapi": "3.0.3"}
    doc["info"] = {"title": "t", "version": "1"}
    doc["paths"] = {}
    before = copy.deepcopy(doc)
    source, classes, _ = generate_models(doc, "# generated")
    assert {"Job", "Plain", "Options"} <= classes
    assert _defaults_none_without_none(source) == []
    assert "constrain(Plain, not_null=('kind',))" in source  # null is still refused
    assert doc == before  # the caller's document is untouched


def _classes(doc: dict[str, Any]) -> dict[str, ast.ClassDef]:
    """The classes of the models generated for ``doc``, by name."""
    source, _, _ = generate_models(doc, "# generated")
    return {n.name: n for n in ast.parse(source).body if isinstance(n, ast.ClassDef)}


def _fields(cls: ast.ClassDef) -> dict[str, str]:
    """A generated class's own fields: name -> annotation."""
    return {
        ast.unparse(n.target): ast.unparse(n.annotation)
        for n in cls.body
        if isinstance(n, ast.AnnAssign)
    }


def test_an_allof_redefining_a_property_of_its_base_does_not_subclass_it() -> None:
    # callfire's RegionPage: allOf [Page, {items: array of Region}] where Page has `items` as
    # an array of objects; a subclass re-assigning `items: list[Region]` over
    # `list[dict[str, Any]]` is an incompatible override under mypy.
    schemas = {
        "Region": {"type": "object", "properties": {"code": {"type": "string"}}},
        "Page": {
            "type": "object",
            "required": ["limit"],
            "properties": {
                "items": {"type": "array", "items": {"type": "object", "properties": {}}},
                "limit": {"type": "integer"},
            },
        },
        "RegionPage": {
            "allOf": [
                {"$ref": "#/components/schemas/Page"},
                {
                    "type": "object",
                    "properties": {
                        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Region"}}
                    },
                },
            ]
        },
        # only a description changes: the subclass stays
        "Described": {
            "allOf": [
                {"$ref": "#/components/schemas/Page"},
                {"properties": {"limit": {"type": "integer", "description": "at most"}}},
            ]
        },
    }
    doc = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}
    doc["components"] = {"schemas": schemas}
    before = copy.deepcopy(doc)
    classes = _classes(doc)
    region_page = classes["RegionPage"]
    assert [ast.unparse(b) for b in region_page.bases] == ["BaseModel"]
    assert _fields(region_page) == {"limit": "int", "items": "list[Region] | None"}
    assert [ast.unparse(b) for b in classes["Described"].bases] == ["Page"]
    assert doc == before


def test_a_union_member_extending_another_member_does_not_subclass_it() -> None:
    # velopayments' Notification.source: a oneOf discriminated by `sourceType` where
    # PaymentRejectedOrReturned is allOf [PaymentStatusChanged, ...]. Each member's class types
    # `sourceType` as the Literal of its value; as a subclass, the second re-assigned it over
    # the first's Literal (mypy: an incompatible override).
    ref = "#/components/schemas/"
    schemas = {
        "Event": {
            "type": "object",
            "required": ["sourceType", "id"],
            "properties": {"sourceType": {"type": "string"}, "id": {"type": "string"}},
        },
        "Changed": {
            "description": "a change",
            "allOf": [
                {"$ref": ref + "Event"},
                {"properties": {"status": {"type": "string"}}, "required": ["status"]},
            ],
        },
        "Rejected": {
            "allOf": [
                {"$ref": ref + "Changed"},
                {"properties": {"reason": {"type": "string"}}},
            ]
        },
        "Ping": {"allOf": [{"$ref": ref + "Event"}]},
        "Envelope": {
            "type": "object",
            "properties": {
                "source": {
                    "oneOf": [
                        {"$ref": ref + "Changed"},
                        {"$ref": ref + "Rejected"},
                        {"$ref": ref + "Ping"},
                    ],
                    "discriminator": {
                        "propertyName": "sourceType",
                        "mapping": {"changed": ref + "Changed", "rejected": ref + "Rejected"},
                    },
                }
            },
        },
    }
    doc = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}
    doc["components"] = {"schemas": schemas}
    before = copy.deepcopy(doc)
    classes = _classes(doc)

    def fields(name: str) -> dict[str, str]:
        return _fields(classes[name])

    def ancestors(name: str) -> set[str]:
        bases = {ast.unparse(b) for b in classes[name].bases} & set(classes)
        return bases.union(*(ancestors(b) for b in bases))

    # Rejected keeps Changed's bases and properties, not Changed itself
    assert "Changed" not in ancestors("Rejected") and "Event" in ancestors("Rejected")
    assert fields("Changed")["sourceType"] == "Literal['changed']"
    assert fields("Rejected")["sourceType"] == "Literal['rejected']"
    assert "status" in fields("Rejected") and "reason" in fields("Rejected")
    assert fields("Ping")["sourceType"] == "Literal['Ping']"
    assert doc == before


def test_a_union_member_narrowing_its_bases_discriminator_does_not_subclass_it() -> None:
    # just-eat: ConsumerOffer_Bogof is allOf [ConsumerOffer, ...] where ConsumerOffer types
    # `offerType` by the enum ConsumerOfferType; Percent is allOf [ActiveConsumerOffer, ...]
    # where ActiveConsumerOffer is itself a member (tagged with its name). Both bases forbid
    # other properties. As subclasses, each re-assigned its Literal over the base's enum or
    # Literal (mypy: an incompatible override).
    ref = "#/components/schemas/"
    schemas = {
        "OfferType": {"type": "string", "enum": ["Percent", "Bogof"]},
        "Offer": {
            "title": "Offer",
            "type": "object",
            "additionalProperties": False,
            "required": ["offerType", "id"],
            "properties": {
                "offerType": {"$ref": ref + "OfferType", "description": "the type"},
                "id": {"type": "string"},
            },
        },
        "Offer_Bogof": {
            "allOf": [
                {"$ref": ref + "Offer"},
                {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"products": {"type": "array", "items": {"type": "string"}}},
                },
            ]
        },
        "Offer_Percent": {
            "allOf": [
                {"$ref": ref + "Offer"},
                {"type": "object", "properties": {"amount": {"type": "number"}}},
            ]
        },
        "Offers": {
            "type": "object",
            "properties": {
                "offers": {
                    "type": "array",
                    "items": {
                        "oneOf": [{"$ref": ref + "Offer_Bogof"}, {"$ref": ref + "Offer_Percent"}],
                        "discriminator": {
                            "propertyName": "offerType",
                            "mapping": {
                                "Bogof": ref + "Offer_Bogof",
                                "Percent": ref + "Offer_Percent",
                            },
                        },
                    },
                }
            },
        },
        "Active": {
            "type": "object",
            "additionalProperties": False,
            "required": ["Type"],
            "properties": {"Type": {"type": "string"}, "offerId": {"type": "string"}},
        },
        "Percent": {
            "allOf": [
                {"$ref": ref + "Active"},
                {"type": "object", "properties": {"amount": {"type": "number"}}},
            ]
        },
        "ByRestaurant": {
            "type": "object",
            "properties": {
                "offers": {
                    "type": "array",
                    "items": {
                        "oneOf": [{"$ref": ref + "Active"}, {"$ref": ref + "Percent"}],
                        "discriminator": {
                            "propertyName": "Type",
                            "mapping": {"Percent": ref + "Percent"},
                        },
                    },
                }
            },
        },
    }
    doc = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}
    doc["components"] = {"schemas": schemas}
    before = copy.deepcopy(doc)
    classes = _classes(doc)
    for member, base, prop, literal in (
        ("OfferBogof", "Offer", "offerType", "Literal['Bogof']"),
        ("OfferPercent", "Offer", "offerType", "Literal['Percent']"),
        ("Percent", "Active", "Type", "Literal['Percent']"),
    ):
        cls = classes[member]
        assert base not in {ast.unparse(b) for b in cls.bases}, member
        fields = _fields(cls)
        assert fields[prop] == literal
        assert set(_fields(classes[base])) - {prop} <= set(fields), member
        # and they still refuse other properties, as their bases did
        assert "extra='forbid'" in ast.unparse(cls), member
    assert doc == before


def test_keywords_beside_a_ref_are_ignored_in_openapi_3_0() -> None:
    # just-eat's ServiceTimesServices.collection: {$ref: an array schema, type: object}. 3.0
    # ignores a Reference Object's siblings; the field was typed dict[str, Any] and refused
    # every array the spec allows.
    ref = "#/components/schemas/"
    schemas = {
        "Slots": {"type": "array", "items": {"type": "string"}},
        "Services": {
            "type": "object",
            "properties": {
                "collection": {"$ref": ref + "Slots", "type": "object", "description": "when"},
                "delivery": {"$ref": ref + "Slots", "nullable": True},
            },
        },
    }
    doc = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}
    doc["components"] = {"schemas": schemas}
    before = copy.deepcopy(doc)
    fields = _fields(_classes(doc)["Services"])
    assert fields == {"collection": "Slots | None", "delivery": "Slots | None"}
    assert doc == before
    # 3.1 applies them together with the reference: left as they are
    doc["openapi"] = "3.1.0"
    assert _fields(_classes(doc)["Services"])["collection"] != "Slots | None"


def test_string_enum_members_named_like_str_methods_are_renamed() -> None:
    # formapi.io's Alignment: a StrEnum member `center` replaces str.center (mypy: an
    # incompatible assignment in generated code). The member becomes `center_`, its value and
    # the default that names it follow.
    schemas = {
        "Box": {
            "type": "object",
            "properties": {
                "alignment": {
                    "type": "string",
                    "enum": ["left", "center", "title"],
                    "default": "center",
                }
            },
        }
    }
    doc = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}
    doc["components"] = {"schemas": schemas}
    source, _, _ = generate_models(doc, "# generated")
    tree = ast.parse(source)
    enum = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Alignment")
    members = {
        ast.unparse(item.targets[0]): ast.literal_eval(item.value)
        for item in enum.body
        if isinstance(item, ast.Assign)
    }
    assert members == {"left": "left", "center_": "center", "title_": "title"}
    assert "alignment: Alignment = Alignment.center_" in source


def test_schema_rules_go_before_the_rebuild_calls() -> None:
    rules = "\n\nfrom ._runtime.base import constrain\n\nconstrain(A, unique=('x',))\n"
    classes = "class A(BaseModel):\n    a: list[A] | None = None\n"
    source = classes + "\n\nA.model_rebuild()\nB.model_rebuild()"
    placed = before_rebuilds(source, rules)
    assert placed == classes + rules + "\nA.model_rebuild()\nB.model_rebuild()\n"
    ast.parse(placed)
    assert before_rebuilds(classes, rules) == classes + rules  # nothing rebuilt: appended
    assert before_rebuilds(source, "") == source  # no rules: as it was


def test_a_default_takes_the_type_its_schema_declares() -> None:
    # exoapi.dev's html-renderer body: `margin: {type: string, default: 0}` was written
    # `margin: str | None = 0` (mypy: int assigned to str). A number where a string is
    # declared is its text; a default of no declared type is dropped.
    options = {
        "type": "object",
        "properties": {
            "margin": {"type": "string", "default": 0},
            "scale": {"type": "string", "default": 1.5},
            "pages": {"type": "integer", "default": 2.0},
            "landscape": {"type": "string", "default": False},
            "size": {"type": "string", "enum": ["a4", "letter"], "default": 4},
            "width": {"type": "number", "default": 512},
            "code": {"type": ["string", "integer"], "default": 7},
        },
    }
    doc = {**document({"Options": options}), "info": {"title": "t", "version": "1"}, "paths": {}}
    before = copy.deepcopy(doc)
    fields = {
        ast.unparse(n.target): ast.unparse(n.value) if n.value else None
        for n in _classes(doc)["Options"].body
        if isinstance(n, ast.AnnAssign)
    }
    assert fields == {
        "margin": "'0'",
        "scale": "'1.5'",
        "pages": "2",
        "landscape": "None",
        "size": "None",
        "width": "512",
        "code": "7",
    }
    assert doc == before  # the caller's document is untouched


def test_schema_rules_cover_properties_of_inline_all_of_members() -> None:
    # A class built from allOf [base, {properties: …}] declares those properties itself: an
    # optional one that is not nullable must refuse null as any other does (openapi30's
    # Pet.weight took a JSON null).
    schemas = {
        "Base": {"type": "object", "properties": {"name": {"type": "string"}}},
        "Child": {
            "allOf": [
                {"$ref": "#/components/schemas/Base"},
                {
                    "type": "object",
                    "required": ["id"],
                    "properties": {
                        "id": {"type": "integer"},
                        "weight": {"type": "number"},
                        "tags": {"type": "array", "uniqueItems": True, "items": {"type": "string"}},
                    },
                },
                {"allOf": [{"properties": {"note": {"type": ["string", "null"]}}}]},
            ],
            "properties": {"kind": {"type": "string"}},
        },
    }
    rules = schema_rules(schemas, frozenset(schemas))
    assert "constrain(Base, not_null=('name',))" in rules
    # the Base's own property stays with Base; a nullable or required one has no rule
    assert "constrain(Child, unique=('tags',), not_null=('kind', 'weight', 'tags'))" in rules


def test_an_optional_union_of_non_nullable_members_refuses_null() -> None:
    # ably's pulsar_rule_patch.target.authentication: oneOf [pulsar_token_auth] (an object):
    # no member admits null, yet the property took a JSON null (the rules could not tell).
    ref = "#/components/schemas/"
    schemas = {
        "Token": {"type": "object", "properties": {"token": {"type": "string"}}},
        "Key": {"type": "object", "properties": {"key": {"type": "string"}}},
        "Target": {
            "type": "object",
            "properties": {
                "auth": {"oneOf": [{"$ref": ref + "Token"}, {"$ref": ref + "Key"}]},
                "either": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                "maybe": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                "vague": {"oneOf": [{"$ref": ref + "Token"}, {}]},
            },
        },
    }
    rules = schema_rules(schemas, frozenset(schemas))
    assert "constrain(Target, not_null=('auth', 'either'), one_of=" in rules, rules


def test_one_of_rules_name_properties_items_and_root_models() -> None:
    # a oneOf must hold exactly one member; pydantic's union takes any (specfirst.runtime.base)
    ref = "#/components/schemas/"
    pair = [{"$ref": ref + "A"}, {"$ref": ref + "B"}]
    schemas = {
        "A": {"type": "object", "properties": {"a": {"type": "string"}}},
        "B": {"type": "object", "properties": {"b": {"type": "string"}}},
        "Either": {"oneOf": pair},
        "Tagged": {"oneOf": pair, "discriminator": {"propertyName": "kind"}},
        "Holder": {
            "type": "object",
            "properties": {
                "one": {"oneOf": pair},
                "many": {"type": "array", "items": {"oneOf": pair}},
                "any": {"anyOf": pair},
                "single": {"oneOf": [{"$ref": ref + "A"}]},
                "tagged": {"oneOf": pair, "discriminator": {"propertyName": "kind"}},
            },
        },
    }
    rules = schema_rules(schemas, frozenset(schemas))
    assert "constrain(Either, one_of={'root': 'value'})" in rules, rules
    assert "one_of={'one': 'value', 'many': 'items'})" in rules, rules
    assert "constrain(Tagged" not in rules, rules  # a tagged union takes one member


def test_str_named_members_parse_only_their_class_when_classes_are_known(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the classes' spans (models made from a base), renaming ``title`` → ``title_``
    parses the class that may hold it, not the whole module, and writes the same."""
    from specfirst import models

    head = "from enum import StrEnum\n\nfrom pydantic import BaseModel\n"
    classes = [
        '\n\nclass Doc(BaseModel):\n    """Has a title = "x" in prose."""\n    title: str\n',
        '\n\nclass Style(StrEnum):\n    title = "title"\n    plain = "plain"\n',
        "\n\nclass Page(BaseModel):\n    style: Style = Style.title\n",
    ]
    source = head + "".join(classes)
    spans, start = [], len(head)
    for text in classes:
        spans.append((start, start + len(text)))
        start += len(text)
    whole = models._enum_members_clear_of_str(source)
    assert '    title_ = "title"' in whole and "Style.title_\n" in whole
    parsed: list[str] = []
    parse = ast.parse

    def recording(text: str) -> ast.Module:
        parsed.append(text)
        return parse(text)

    monkeypatch.setattr("specfirst.models.ast.parse", recording)
    assert models._enum_members_clear_of_str(source, spans) == whole
    assert parsed == [classes[1]]


def test_classes_made_inside_a_component_refuse_null_too() -> None:
    # just-eat's RestaurantETAs is an array of inline objects, CheckoutUpdateRequest has an
    # inline `fulfilment.time` object: their classes took `restaurantId: null` and
    # `asap: null`, which the spec does not allow (only component classes had the rule).
    schemas = {
        "ETAs": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "restaurantId": {"type": "string"},
                    "note": {"type": "string", "nullable": True},
                    "time": {"type": "object", "properties": {"asap": {"type": "boolean"}}},
                    # servicetimes' days: a described $ref, written as a one-part allOf
                    "slot": {"allOf": [{"$ref": "#/components/schemas/Slot"}], "description": "d"},
                },
            },
        },
        "Slot": {"type": "object", "properties": {"end": {"type": "string"}}},
        # a component whose class takes another name than its key
        "Speed limit": {"type": "object", "properties": {"kmh": {"type": "number"}}},
    }
    doc = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}
    doc["components"] = {"schemas": schemas}
    source, _, _ = generate_models(doc, "# generated")
    assert "constrain(ETA, not_null=('restaurantId', 'time', 'slot'))" in source
    assert "constrain(Time, not_null=('asap',))" in source
    assert "constrain(SpeedLimit, not_null=('kmh',))" in source


def test_the_whole_module_is_parsed_with_the_collector_paused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The syntax tree of GitHub's models module is millions of nodes, none of them garbage:
    collections while it is built only walk them (and the loaded document) again and again."""
    import gc

    parsed: list[tuple[int, bool]] = []
    parse = ast.parse

    def recording(source: Any, *args: Any, **kwargs: Any) -> ast.Module:
        parsed.append((len(source), gc.isenabled()))
        module: ast.Module = parse(source, *args, **kwargs)
        return module

    monkeypatch.setattr(ast, "parse", recording)
    doc = document(
        {
            f"Thing{i}": {"type": "object", "properties": {"id": {"type": "integer"}}}
            for i in range(5)
        }
    )
    assert gc.isenabled()
    source, classes, _ = generate_models(doc, "# generated")
    assert {f"Thing{i}" for i in range(5)} <= classes
    whole = max(parsed)  # the module datamodel-code-generator wrote; other parses are snippets
    assert whole[0] >= len(source) // 2
    assert whole[1] is False
    assert gc.isenabled()


def test_the_library_runs_with_rare_middle_collections_and_compact_metadata(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """In the library's run the collector's middle generation is collected ten times less often
    (each such collection walks what the run keeps), and its model metadata, read back at once,
    is written without the indent that runs the pure-Python JSON encoder; both as they were
    after the run."""
    import gc

    import datamodel_code_generator
    from datamodel_code_generator import model_metadata

    seen: dict[str, Any] = {}
    indented = model_metadata.dump_model_metadata
    real_generate = datamodel_code_generator.generate
    payload: Any = {  # a few of the library's keys: it dumps them as given
        "version": 1,
        "models": [{"name": "Caf\u00e9", "source_ref": "#/components/schemas/Caf\u00e9"}],
    }

    def engine(text: str, **options: Any) -> Any:
        seen["threshold"] = gc.get_threshold()
        seen["text"] = model_metadata.dump_model_metadata(payload)  # as the library writes it
        return real_generate(text, **options)

    monkeypatch.setattr("datamodel_code_generator.generate", engine)
    before = gc.get_threshold()
    _run_engine(document({"Thing": {"type": "object"}}) | {"info": {}, "paths": {}}, "# g")
    assert seen["threshold"][1] == max(before[1], MIDDLE_THRESHOLD)
    assert seen["threshold"][1] >= 100
    assert "\n" not in seen["text"] and "Caf\u00e9" in seen["text"]
    assert json.loads(seen["text"]) == json.loads(indented(payload))
    assert gc.get_threshold() == before
    assert model_metadata.dump_model_metadata is indented


def test_the_library_writes_the_same_metadata_compact() -> None:
    """The models' metadata read from the library's run are those it writes indented."""
    from datamodel_code_generator import generate as library
    from datamodel_code_generator import model_metadata

    from specfirst.models import _OPTIONS

    doc = document(
        {
            "Caf\u00e9Order": {
                "type": "object",
                "description": "A d\u00e9j\u00e0 vu \u2028 order",
                "properties": {"item": {"type": "object", "properties": {"n": {"type": "string"}}}},
            }
        }
    ) | {"info": {"title": "t", "version": "1"}, "paths": {}}
    _, models = _run_engine(doc, "# g")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.json"
        library(json.dumps(doc), custom_file_header="# g", emit_model_metadata=path, **_OPTIONS)
        text = path.read_text(encoding="utf-8")
    assert "\n  " in text  # the library's own dump, indented: nothing patched outside a run
    assert models == json.loads(text)["models"]
    assert len(models) >= 2
    assert model_metadata.dump_model_metadata.__module__ == model_metadata.__name__


def _flat_io_users() -> dict[str, Any]:
    """flat.io's users: UserDetails is allOf [UserPublic, ...] and redefines ``type``, an
    inline enum UserBasics (three allOfs up, with a discriminator) declares alike (the same
    values, another description)."""
    ref = "#/components/schemas/"
    kinds = ["user", "guest"]
    schemas = {
        "UserBasics": {
            "type": "object",
            "discriminator": {"propertyName": "type"},
            "example": {"id": "1", "type": "user"},
            "properties": {
                "id": {"type": "string"},
                "type": {"type": "string", "enum": kinds, "description": "type of user account"},
            },
        },
        "UserPublicSummary": {
            "allOf": [
                {"$ref": ref + "UserBasics"},
                {"type": "object", "properties": {"htmlUrl": {"type": "string"}}},
            ]
        },
        "UserPublic": {
            "allOf": [
                {"$ref": ref + "UserPublicSummary"},
                {"type": "object", "properties": {"bio": {"type": "string"}}},
            ]
        },
        "UserDetails": {
            "allOf": [
                {"$ref": ref + "UserPublic"},
                {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string", "description": "Identifier of the user"},
                        "locale": {"type": "string"},
                        "type": {"type": "string", "enum": kinds, "description": "type of account"},
                    },
                },
            ]
        },
        # the same enum with a default of its own: that default stays, the base's properties
        # are inlined (as for any other conflicting redefinition)
        "Member": {
            "type": "object",
            "properties": {"id": {"type": "string"}, "type": {"type": "string", "enum": kinds}},
        },
        "Guest": {
            "allOf": [
                {"$ref": ref + "Member"},
                {"properties": {"type": {"type": "string", "enum": kinds, "default": "guest"}}},
            ]
        },
    }
    return {
        "openapi": "3.0.2",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }


def test_an_inherited_enum_redefined_alike_is_inherited() -> None:
    # Each inline enum is a class of its own (Type5, Type6): the subclass re-assigning `type:
    # Type6 | None` over the base's `Type5 | None` is an incompatible override under mypy.
    doc = _flat_io_users()
    before = copy.deepcopy(doc)
    classes = _classes(doc)
    details = classes["UserDetails"]
    assert [ast.unparse(b) for b in details.bases] == ["UserPublic"]  # still a subclass
    assert "type" not in _fields(details)  # the base's field, of the base's enum
    assert "locale" in _fields(details)
    guest = classes["Guest"]
    assert [ast.unparse(b) for b in guest.bases] == ["BaseModel"]
    assert {"id", "type"} <= set(_fields(guest))
    assert any(
        isinstance(n, ast.AnnAssign) and n.value is not None and "guest" in ast.unparse(n.value)
        for n in guest.body
    )
    assert doc == before


def test_models_with_an_enum_redefined_down_an_allof_chain_pass_mypy_strict(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from specfirst.pipeline import generate

    from .strict_types import mypy_strict

    spec = tmp_path / "api.json"
    spec.write_text(json.dumps(_flat_io_users()), encoding="utf-8")
    result = generate(spec, tmp_path / "users_pkg", cache_dir=None, force=True)
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    status, output = mypy_strict(tmp_path / "users_pkg" / "models.py", tmp_path_factory)
    assert status == 0, output


def test_a_component_renamed_by_the_library_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """The routers read a component's class by its key: a class the library numbered instead
    (an inline object of an earlier schema took the name) is an error, not a wrong app."""
    from specfirst import models

    doc = document(
        {
            "Receipt": {
                "type": "object",
                "properties": {"subscriptionRequest": {"type": "object", "properties": {"id": {}}}},
            },
            "SubscriptionRequest": {"type": "object", "properties": {"requestId": {}}},
        }
    )
    _, classes, diagnostics = generate_models(copy.deepcopy(doc), "# h")
    assert "SubscriptionRequest" in classes and not diagnostics
    monkeypatch.setitem(models._OPTIONS, "naming_strategy", "numbered")
    _, classes, diagnostics = generate_models(doc, "# h")
    assert "SubscriptionRequest1" in classes
    assert [(d.level.name, d.rule) for d in diagnostics] == [("ERROR", "models")]
    assert (
        "schema 'SubscriptionRequest' 'SubscriptionRequest1' and gave 'SubscriptionRequest' to "
        "#/components/schemas/Receipt/properties/subscriptionRequest"
    ) in diagnostics[0].message


def test_a_component_that_is_an_array_or_an_object_keeps_its_class() -> None:
    """A schema with ``items`` and ``properties`` but no ``type`` (wealthreader.com's
    ``error-codes``) may be an array or an object: the library makes the component's root
    model of its key, a union of a list and a numbered class of the object. That numbered
    class is the component's own, not an inline object that took the key: no error."""
    doc = document(
        {
            "ErrorCodes": {
                "items": {"type": "integer"},
                "properties": {"code": {"type": "integer"}},
                "required": ["code"],
            },
            "Holder": {
                "type": "object",
                "properties": {"codes": {"$ref": "#/components/schemas/ErrorCodes"}},
            },
        }
    )
    source, classes, diagnostics = generate_models(doc, "# h")
    assert not [d for d in diagnostics if d.level.name == "ERROR"], diagnostics
    assert {"ErrorCodes", "ErrorCodes1", "Holder"} <= classes
    tree = {n.name: n for n in ast.parse(source).body if isinstance(n, ast.ClassDef)}
    assert "list[int] | ErrorCodes1" in ast.unparse(tree["ErrorCodes"].bases[0])


def test_keywords_of_a_type_the_schema_excludes_are_dropped() -> None:
    from specfirst.schema_rewrites import keywords_of_its_type, schema_nodes

    props = {"a": {"type": "string"}}
    schemas: dict[str, Any] = {
        "Array": {"type": "array", "items": {}, "properties": props, "required": ["a"]},
        "Either": {"type": ["array", "object"], "items": {}, "properties": props},
        "Count": {"type": ["integer", "null"], "properties": props, "minItems": 1},
        "Untyped": {"items": {}, "properties": props},
        "Unknown": {"type": "file", "properties": props},
        "Object": {
            "type": "object",
            "items": {},
            "properties": {"inner": {"type": "string", "properties": props, "maxLength": 2}},
        },
    }
    keywords_of_its_type(schemas, schema_nodes)
    assert schemas == {
        "Array": {"type": "array", "items": {}},
        "Either": {"type": ["array", "object"], "items": {}, "properties": props},
        "Count": {"type": ["integer", "null"]},
        "Untyped": {"items": {}, "properties": props},
        "Unknown": {"type": "file", "properties": props},
        "Object": {"type": "object", "properties": {"inner": {"type": "string", "maxLength": 2}}},
    }


def test_an_optional_object_without_type_refuses_null() -> None:
    # adyen's TestCardService: TestCardRange.address is a $ref to AvsAddress, which has
    # properties and required but no `type`; it is generated as a class (an object), as the
    # contract run reads it, yet the optional property took a JSON null.
    schemas = {
        "Address": {"properties": {"street": {"type": "string"}}, "required": ["street"]},
        "Range": {
            "type": "object",
            "properties": {
                "address": {"$ref": "#/components/schemas/Address", "description": "d"},
                "inline": {"properties": {"x": {"type": "integer"}}},
                "loose": {},
                "either": {"anyOf": [{"properties": {"a": {"type": "string"}}}, {}]},
            },
        },
    }
    rules = schema_rules(schemas, frozenset(schemas))
    assert "constrain(Range, not_null=('address', 'inline'))" in rules, rules


def test_a_one_of_holder_is_a_one_of_beside_keywords_of_its_own() -> None:
    from specfirst.schema_rewrites import component_resolver, one_of_holder, spell_one_of_holder

    ref = "#/components/schemas/"
    schemas: dict[str, Any] = {
        "A": {"type": "object", "properties": {"a": {"type": "string"}}},
        "Text": {"type": "string"},
    }
    resolve = component_resolver(schemas)
    alternatives = [{"$ref": ref + "A"}, {"required": ["b"]}]
    held = {"type": "object", "required": ["x"], "additionalProperties": False}
    assert one_of_holder({**held, "oneOf": alternatives}, resolve)
    assert one_of_holder({"allOf": [{"$ref": ref + "A"}], "oneOf": alternatives}, resolve)
    for not_one in (
        {"type": "object", "oneOf": alternatives},  # nothing of its own to hold
        {"additionalProperties": True, "properties": {}, "oneOf": alternatives},
        {**held, "oneOf": alternatives, "discriminator": {"propertyName": "a"}},
        {**held, "$ref": ref + "A", "oneOf": alternatives},  # 3.0: siblings ignored
        {**held, "oneOf": [{"$ref": ref + "A"}, {"$ref": ref + "Text"}]},  # no object
        {**held, "type": "string", "oneOf": alternatives},
    ):
        assert not one_of_holder(not_one, resolve), not_one
    node = {**held, "allOf": [{"$ref": ref + "A"}], "description": "d", "oneOf": alternatives}
    spell_one_of_holder(node)
    assert node == {
        "description": "d",
        "oneOf": [
            {"allOf": [held, {"$ref": ref + "A"}, alternative]} for alternative in alternatives
        ],
    }
    first, second = (alternative["allOf"][0] for alternative in node["oneOf"])
    assert first == second and first is not second  # a copy each: the run rewrites in place


def test_one_of_holders_are_spelled_before_the_library_and_the_rules_read_them() -> None:
    # shipengine's estimate_rates_request_body: closed, allOf [options], required names,
    # oneOf [by carrier id, by carrier ids]; the library made it `RootModel[ById | ByIds]`
    ref = "#/components/schemas/"
    doc = document(
        {
            "Options": {"type": "object", "properties": {"weight": {"type": "integer"}}},
            "ById": {"type": "object", "properties": {"carrier_id": {"type": "string"}}},
            "ByIds": {"type": "object", "properties": {"ids": {"type": "array"}}},
            "Estimate": {
                "type": "object",
                "additionalProperties": False,
                "allOf": [{"$ref": ref + "Options"}],
                "required": ["weight"],
                "oneOf": [{"$ref": ref + "ById"}, {"$ref": ref + "ByIds"}],
            },
        }
    )
    before = copy.deepcopy(doc)
    source, classes, _ = generate_models(doc, "# test")
    assert doc == before  # the caller's document is not rewritten
    assert {"Estimate1", "Estimate2"} <= classes
    tree = ast.parse(source)
    found = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    for name, alternative in (("Estimate1", "ById"), ("Estimate2", "ByIds")):
        text = ast.unparse(found[name])
        assert {ast.unparse(b) for b in found[name].bases} == {"Options", alternative}, text
        assert "extra='forbid'" in text and "    weight: int" in text.splitlines(), text
    assert "class Estimate(RootModel[Estimate1 | Estimate2])" in source
    assert "constrain(Estimate, one_of={'root': 'value'})" in source
