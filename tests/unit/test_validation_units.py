"""The keyword pass by units (specfirst.validate.units): after an edit only the path items and
component schemas it touched are checked again, and what validation answers is exactly what a
whole validation of the edited document answers, errors and warnings included."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from specfirst.loader import load_spec
from specfirst.validate import units as units_module
from specfirst.validate.results import Validation
from specfirst.validate.run import validate_uncached
from specfirst.validate.units import Unit, UnitCache
from specfirst.validation import check

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = sorted((ROOT / "tests/golden").glob("*/spec/api.yaml"))


def _by_units(path: Path, saved: UnitCache | None = None) -> tuple[Validation, UnitCache]:
    units = UnitCache(saved.used if saved is not None else None)
    return validate_uncached(load_spec(path), units), units


@pytest.mark.parametrize("spec", [ROOT / "specs/api.yaml", *GOLDEN], ids=lambda p: p.parent.name)
def test_units_answer_what_the_whole_pass_answers(spec: Path) -> None:
    whole = validate_uncached(load_spec(spec))
    cold, units = _by_units(spec)
    assert units.used and all(found is not None for found in units.used.values())
    warm, _ = _by_units(spec, units)
    assert cold == whole
    assert warm == whole


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


Edit = Callable[[Path], None]

EDITS: dict[str, Edit] = {
    # a warning with a repair, in one component schema
    "invalid default in a schema": lambda specs: _edit(
        specs / "schemas/task.yaml",
        "      minLength: 1\n      maxLength: 200\n",
        "      minLength: 1\n      maxLength: 200\n      default: 5\n",
    ),
    # an error in the document's structure, in a path item
    "error in a path item": lambda specs: _edit(
        specs / "paths/tasks.yaml",
        '      "201":\n',
        '      "201x":\n        description: x\n      "201":\n',
    ),
    # the same parameter twice, and an invalid default in a parameter's schema
    "duplicate parameter": lambda specs: _edit(
        specs / "paths/tasks.yaml",
        '      - $ref: "../parameters.yaml#/IdempotencyKey"\n',
        '      - $ref: "../parameters.yaml#/IdempotencyKey"\n'
        '      - $ref: "../parameters.yaml#/IdempotencyKey"\n',
    ),
    "invalid default in a parameter": lambda specs: _edit(
        specs / "parameters.yaml",
        "  schema:\n    type: string\n    format: uuid\n  example: 5e4d",
        "  schema:\n    type: string\n    format: uuid\n    default: 7\n  example: 5e4d",
    ),
    "$ref to a missing component": lambda specs: _edit(
        specs / "api.yaml",
        "paths:\n",
        "paths:\n  /things:\n    get:\n      parameters:\n"
        "        - $ref: '#/components/parameters/Missing'\n"
        "      responses: {'204': {description: none}}\n",
    ),
    "property added": lambda specs: _edit(
        specs / "schemas/task.yaml",
        "  properties:\n    id:\n",
        "  properties:\n    notes:\n      type: string\n      maxLength: 500\n    id:\n",
    ),
}


@pytest.mark.parametrize("label", list(EDITS))
def test_after_an_edit_validation_equals_a_whole_validation(
    label: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "specs", tmp_path / "specs")
    monkeypatch.chdir(tmp_path)
    spec = Path("specs/api.yaml")
    cache = tmp_path / "cache"
    assert check(load_spec(spec), cache_dir=cache).diagnostics == []
    EDITS[label](tmp_path / "specs")
    checked: list[tuple[str, ...]] = []
    run = units_module._run

    def counting(spec: Any, registry: Any, unit: Unit, path: Any, convert: Any) -> Any:
        checked.append(unit)
        return run(spec, registry, unit, path, convert)

    monkeypatch.setattr(units_module, "_run", counting)
    edited = load_spec(spec)
    incremental = check(edited, cache_dir=cache)
    monkeypatch.setattr(units_module, "_run", run)
    whole = validate_uncached(load_spec(spec))
    assert incremental == whole
    assert whole.diagnostics or label == "property added"
    if label in ("error in a path item", "$ref to a missing component"):
        # A document the OpenAPI schema refuses, or whose refs do not resolve: the keyword
        # pass is not cut into units (the library assumes a well-formed document).
        assert checked == []
    else:
        # only what the edit touched was checked again (the reference spec has 68 units; a
        # schema is checked with its users, as its key is part of theirs)
        assert 0 < len(checked) <= 8, checked


def _schemas_only(tmp_path: Path, schemas: str) -> Path:
    path = tmp_path / "api.yaml"
    path.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
        + schemas,
        encoding="utf-8",
    )
    return path


def test_a_shared_object_makes_the_whole_pass_run(tmp_path: Path) -> None:
    """The library visits an object found at two places once, from the first (and locates what
    it finds there): a document that shares objects is not cut into units."""
    spec = load_spec(
        _schemas_only(
            tmp_path, "    A: {type: object, properties: {n: {type: integer}}}\n    B: {}\n"
        )
    )
    schemas = spec.document["components"]["schemas"]
    schemas["B"] = schemas["A"]  # what a YAML alias can be
    units = UnitCache()
    assert validate_uncached(spec, units) == validate_uncached(spec)
    assert not units.used


def test_a_json_files_document_is_not_walked_for_shared_objects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One JSON file, nothing bundled into it, is a tree as parsed: the walk looking for objects
    at two places (0.15 s of every run on GitHub's spec) is skipped; a YAML file (aliases), or
    a copy of the spec with another document, is still walked."""
    import dataclasses
    import json

    import yaml

    source = yaml.safe_load(_schemas_only(tmp_path, "    A: {type: object}\n").read_text())
    (tmp_path / "api.json").write_text(json.dumps(source))
    spec = load_spec(tmp_path / "api.json")
    whole = validate_uncached(spec)
    assert spec.is_tree and not load_spec(tmp_path / "api.yaml").is_tree

    def walked(_doc: Any) -> bool:
        raise AssertionError("walked for shared objects")

    with monkeypatch.context() as patch:
        patch.setattr(units_module, "_shares_objects", walked)
        units = UnitCache()
        assert validate_uncached(spec, units) == whole
        assert units.used
    document = json.loads(json.dumps(spec.document))
    document["components"]["schemas"]["B"] = document["components"]["schemas"]["A"]
    shared = dataclasses.replace(spec, document=document)
    assert not shared.is_tree
    units = UnitCache()
    assert validate_uncached(shared, units) == validate_uncached(shared)
    assert not units.used


def test_a_route_dependent_finding_makes_the_whole_pass_run(tmp_path: Path) -> None:
    """'required' naming an undefined property is reported by the library only when the
    schema is first reached "from the top": units cannot know, so the whole pass answers."""
    spec = load_spec(
        _schemas_only(
            tmp_path,
            "    A: {type: object, properties: {b: {$ref: '#/components/schemas/B'}}}\n"
            "    B: {allOf: [{type: object}], required: [nowhere]}\n"
            "    C: {type: object, required: [nowhere], allOf: [{properties: {x: {}}}]}\n",
        )
    )
    units = UnitCache()
    whole = validate_uncached(spec)
    assert [d.rule for d in whole.diagnostics] == ["required-undefined"]
    assert validate_uncached(spec, units) == whole
    assert None in units.used.values()  # remembered: next time straight to the whole pass
    assert validate_uncached(spec, UnitCache(units.used)) == whole


def test_a_schema_found_valid_is_not_checked_against_its_meta_schema_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openapi_spec_validator.validation.keywords import OpenAPIV31SchemaValidator

    from specfirst.validate import keywords

    path = _schemas_only(
        tmp_path,
        "    A: {type: object, properties: {n: {type: integer}}}\n"
        "    B: {type: objekt}\n"  # invalid against the meta-schema: checked every time
        "    C: {type: string, maxLength: 3}\n",
    )
    whole = validate_uncached(load_spec(path))
    assert [d.rule for d in whole.diagnostics] == ["openapi-schema"]
    checked: list[object] = []
    check = OpenAPIV31SchemaValidator._validate_schema_meta

    def counting(self: Any, schema: Any, value: Any) -> Any:
        checked.append(value)
        return check(self, schema, value)

    monkeypatch.setattr(OpenAPIV31SchemaValidator, "_validate_schema_meta", counting)
    keywords.META_VALID.forget()
    assert validate_uncached(load_spec(path)) == whole
    assert {"type": "objekt"} in checked and len(checked) >= 2
    checked.clear()
    assert validate_uncached(load_spec(path)) == whole
    assert checked == [{"type": "objekt"}]
    # kept with the units' cache, for the next process
    keywords.META_VALID.forget()
    cache = tmp_path / "cache"
    check_first = check_spec(path, cache)
    keywords.META_VALID.forget()
    checked.clear()
    (path.parent / "api.yaml").write_text(
        path.read_text(encoding="utf-8").replace("{type: integer}", "{type: string}"),
        encoding="utf-8",
    )
    assert check_spec(path, cache) == check_first == whole
    assert {"type": "objekt"} in checked  # invalid: checked again
    assert {"type": "object", "properties": {"n": {"type": "string"}}} in checked  # edited
    assert {"type": "string", "maxLength": 3} not in checked  # valid in the last run


def check_spec(path: Path, cache: Path) -> Validation:
    return check(load_spec(path), cache_dir=cache)


def _components(path: Path, version: str, schemas: str) -> Path:
    path.write_text(
        f"openapi: {version}\ninfo: {{title: t, version: '1'}}\npaths:\n"
        "  /owners:\n    get:\n      responses:\n        '200':\n          description: ok\n"
        "          content:\n            application/json:\n"
        "              schema: {$ref: '#/components/schemas/Owner'}\n"
        "components:\n  schemas:\n" + schemas,
        encoding="utf-8",
    )
    return path


# Edits of one schema that change what validation finds in another, which references it: a
# unit's key must hold that part of what it references (the walk itself stops at the $ref).
# Each: the schemas, the edit (old, new), and the rules found after it.
REFERENCED: dict[str, tuple[str, str, str, list[str]]] = {
    "a default, validated against the schema its schema references": (
        "    Owner:\n      type: object\n      properties:\n        pet:\n"
        "          type: object\n          properties: {age: {$ref: '#/components/schemas/Age'}}\n"
        "          default: {age: 3}\n"
        "    Age: {type: integer}\n",
        "Age: {type: integer}",
        "Age: {type: string}",
        ["invalid-default"],
    ),
    "a default, validated through a discriminator's mapping (no $ref leads there)": (
        "    Owner:\n      type: object\n      properties:\n        pet:\n"
        "          type: object\n          oneOf: [{$ref: '#/components/schemas/Dog'}]\n"
        "          discriminator: {propertyName: kind, mapping: {cat: '#/components/schemas/Cat'}}\n"
        "          default: {kind: cat, lives: 9}\n"
        "    Dog: {type: object, properties: {kind: {type: string}}}\n"
        "    Cat: {type: object, properties: {kind: {type: string}, lives: {type: integer}}}\n",
        "lives: {type: integer}",
        "lives: {type: string}",
        ["invalid-default"],
    ),
    "'required' against the properties of an allOf member": (
        "    Owner:\n      allOf: [{$ref: '#/components/schemas/Named'}]\n      required: [name]\n"
        "    Named: {type: object, properties: {name: {type: string}}}\n",
        "properties: {name: {type: string}}",
        "properties: {title: {type: string}}",
        ["required-undefined"],
    ),
}


@pytest.mark.parametrize("label", list(REFERENCED))
def test_an_edit_of_a_referenced_schema_is_found_where_it_is_referenced(
    label: str, tmp_path: Path
) -> None:
    schemas, old, new, rules = REFERENCED[label]
    path = _components(tmp_path / "api.yaml", "3.0.3", schemas)
    units = UnitCache()
    before = validate_uncached(load_spec(path), units)
    assert before == validate_uncached(load_spec(path))
    assert before.diagnostics == []
    _edit(path, old, new)
    whole = validate_uncached(load_spec(path))
    assert [d.rule for d in whole.diagnostics] == rules
    assert validate_uncached(load_spec(path), UnitCache(units.used)) == whole


def test_a_property_added_checks_again_only_the_units_it_can_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A schema referenced from many places (GitHub's ``simple-user``): a property added to it
    changes nothing a unit that references it as a property, an item or a response finds, so
    only the schema itself, a schema whose 'required' is checked against its properties and
    one with a default validated against it are checked again."""
    path = _components(
        tmp_path / "api.yaml",
        "3.0.3",
        "    Owner:\n      type: object\n      properties:\n"
        "        user: {$ref: '#/components/schemas/User'}\n"
        "        users: {type: array, items: {$ref: '#/components/schemas/User'}}\n"
        "    Team: {type: object, properties: {lead: {$ref: '#/components/schemas/User'}}}\n"
        "    Either: {oneOf: [{$ref: '#/components/schemas/User'}, {type: string}]}\n"
        "    Member:\n      allOf: [{$ref: '#/components/schemas/User'}]\n      required: [login]\n"
        "    Defaulted:\n      type: object\n"
        "      properties: {u: {$ref: '#/components/schemas/User'}}\n"
        "      default: {u: {login: me}}\n"
        "    User: {type: object, properties: {login: {type: string}}}\n",
    )
    units = UnitCache()
    whole = validate_uncached(load_spec(path), units)
    assert whole.diagnostics == []
    _edit(path, "properties: {login: {type: string}}", "properties: {login: {type: string}, x: {}}")
    checked: list[Unit] = []
    run = units_module._run

    def counting(spec: Any, registry: Any, unit: Unit, path: Any, convert: Any) -> Any:
        checked.append(unit)
        return run(spec, registry, unit, path, convert)

    monkeypatch.setattr(units_module, "_run", counting)
    after = validate_uncached(load_spec(path), UnitCache(units.used))
    monkeypatch.setattr(units_module, "_run", run)
    assert after == validate_uncached(load_spec(path))
    assert sorted(u[-1] for u in checked) == ["Defaulted", "Member", "User"]
