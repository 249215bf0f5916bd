"""Tests for specfirst.loader: parsing, multi-file bundling, source positions."""

from __future__ import annotations

import json
import shutil
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from specfirst.diagnostics import DiagnosticError, Location
from specfirst.loader import (
    SourceSpec,
    iter_ref_strings,
    iter_refs,
    load_spec,
    pointer_to_ref,
    ref_pointer,
    server_base_path,
)

FIXTURES = Path(__file__).parent / "fixtures" / "loader"
MULTI = FIXTURES / "multi"


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def load_error(path: str) -> str:
    with pytest.raises(DiagnosticError) as info:
        load_spec(path)
    return str(info.value)


def all_refs(doc: Any) -> list[str]:
    return [ref for _, ref in iter_refs(doc)]


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --------------------------------------------------------------------------- parsing


def test_yaml_keys_are_strings_and_scalars_stay_json_shaped(in_tmp: Path) -> None:
    write(
        in_tmp,
        {
            "api.yaml": """
            openapi: 3.1.0
            info: {title: t, version: 1.0.0}
            paths:
              /x:
                get:
                  responses:
                    200: {description: ok}
                    404: {description: missing}
                    default: {description: other}
            components:
              schemas:
                Switch:
                  type: string
                  enum: [on, off, yes, no, true]
                  example: 2024-01-01
                  default: 2024-01-01T10:00:00Z
            """
        },
    )
    spec = load_spec("api.yaml")
    responses = spec.document["paths"]["/x"]["get"]["responses"]
    assert list(responses) == ["200", "404", "default"]
    switch = spec.document["components"]["schemas"]["Switch"]
    assert switch["enum"] == ["on", "off", "yes", "no", True]
    assert switch["example"] == "2024-01-01"
    assert switch["default"] == "2024-01-01T10:00:00Z"
    assert spec.document["info"]["version"] == "1.0.0"
    json.loads(spec.dump_json())  # JSON-serialisable
    assert spec.files == (in_tmp / "api.yaml",)


def test_json_load_and_locate(in_tmp: Path) -> None:
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {'/a"b': {"get": {"responses": {"200": {"description": "ok"}}}}},
        "tags": [{"name": "x"}, {"name": "y"}],
    }
    (in_tmp / "api.json").write_text(json.dumps(doc, indent=2), encoding="utf-8")
    spec = load_spec("api.json")
    assert spec.document == doc
    assert spec.locate(("paths", '/a"b', "get", "responses", "200")) == Location("api.json", 11, 11)
    assert spec.locate(("tags", 1)) == Location("api.json", 22, 5)
    # past what exists: the nearest ancestor
    assert spec.locate(("info", "nope", "deeper")) == Location("api.json", 3, 3)
    # int keys (as some validators report them) find string keys
    assert spec.locate(("paths", '/a"b', "get", "responses", 200)) == Location("api.json", 11, 11)


def test_yaml_syntax_error_is_located(in_tmp: Path) -> None:
    write(in_tmp, {"api.yaml": "openapi: 3.1.0\ninfo:\n  title: [unclosed\n  version: 1\n"})
    assert load_error("api.yaml") == (
        "api.yaml:4:10: syntax-error: invalid YAML: did not find expected ',' or ']'"
        " (while parsing a flow sequence)"
    )


def test_json_syntax_error_is_located(in_tmp: Path) -> None:
    (in_tmp / "api.json").write_text('{\n  "openapi": "3.1.0",\n  "info": {,}\n}\n')
    assert load_error("api.json") == (
        "api.json:3:12: syntax-error: invalid JSON: Expecting property name enclosed in double"
        " quotes"
    )


def test_root_must_be_a_mapping(in_tmp: Path) -> None:
    write(in_tmp, {"list.yaml": "- a\n- b\n", "empty.yaml": "# nothing\n"})
    assert load_error("list.yaml") == (
        "list.yaml:1:1: root-not-mapping: an OpenAPI document must be a mapping at the top level,"
        " this one is a list"
    )
    assert load_error("empty.yaml") == (
        "empty.yaml:1:1: root-not-mapping: an OpenAPI document must be a mapping at the top level,"
        " this one is empty"
    )


def test_missing_entry_file(in_tmp: Path) -> None:
    assert load_error("nope.yaml") == (
        "unreadable-file: nope.yaml: cannot read file: No such file or directory"
    )


def test_ref_pointer_and_back() -> None:
    assert ref_pointer("#/components/schemas/A~1B") == ("components", "schemas", "A/B")
    assert ref_pointer("other.yaml#/paths/~1users~1%7Bid%7D/get") == ("paths", "/users/{id}", "get")
    assert ref_pointer("#/a~0b") == ("a~b",)
    assert ref_pointer("schemas/task.yaml") == ()
    assert ref_pointer("#") == ()
    assert pointer_to_ref(("paths", "/users/{id}", "a~b")) == "#/paths/~1users~1{id}/a~0b"


# --------------------------------------------------------------------------- bundling


def test_multi_file_bundle_has_only_internal_refs() -> None:
    spec = load_spec(MULTI / "api.yaml")
    doc = spec.document
    refs = all_refs(doc)
    assert refs and all(ref.startswith("#/") for ref in refs)
    assert list(doc["components"]["schemas"]) == ["Error", "Task", "User"]
    assert list(doc["components"]["parameters"]) == ["Limit"]
    task = doc["components"]["schemas"]["Task"]
    # the recursive schema refers to itself by name; its neighbour in another file is hoisted
    assert task["properties"]["subtasks"]["items"] == {"$ref": "#/components/schemas/Task"}
    assert task["properties"]["owner"] == {"$ref": "#/components/schemas/User"}
    user = doc["components"]["schemas"]["User"]
    assert user["properties"]["manager"] == {"$ref": "#/components/schemas/User"}
    # path items are inlined; refs back to the entry file become internal
    tasks = doc["paths"]["/tasks"]["get"]
    assert tasks["parameters"] == [{"$ref": "#/components/parameters/Limit"}]
    schema_200 = tasks["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema_200["items"] == {"$ref": "#/components/schemas/Task"}
    default = tasks["responses"]["default"]["content"]["application/json"]["schema"]
    assert default == {"$ref": "#/components/schemas/Error"}
    # the same target referenced twice is hoisted once
    one = doc["paths"]["/tasks/{taskId}"]["get"]["responses"]["200"]
    assert one["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Task"}
    assert [p.relative_to(MULTI).as_posix() for p in spec.files] == [
        "api.yaml",
        "common.yaml",
        "paths/task.yaml",
        "paths/tasks.yaml",
        "schemas/task.yaml",
        "schemas/user.yaml",
    ]


def _rel(loc: Location) -> tuple[str, int, int]:
    return (Path(loc.file).resolve().relative_to(MULTI.resolve()).as_posix(), loc.line, loc.col)


@pytest.mark.parametrize(
    ("pointer", "expected"),
    [
        (("info", "title"), ("api.yaml", 3, 3)),
        (("components", "schemas", "Error"), ("api.yaml", 12, 5)),
        (("components", "schemas", "Task", "properties", "due"), ("schemas/task.yaml", 8, 3)),
        (
            ("components", "schemas", "Task", "properties", "due", "example"),
            ("schemas/task.yaml", 11, 5),
        ),
        (("components", "schemas", "User", "properties", "manager"), ("schemas/user.yaml", 6, 5)),
        (("components", "parameters", "Limit", "schema", "maximum"), ("common.yaml", 8, 9)),
        (("paths", "/tasks", "get", "responses", "200", "description"), ("paths/tasks.yaml", 7, 7)),
        (("paths", "/tasks/{taskId}", "parameters", 0, "in"), ("paths/task.yaml", 3, 5)),
        (("paths", "/tasks/{taskId}", "get", "no", "such"), ("paths/task.yaml", 7, 1)),
    ],
)
def test_locate_maps_bundled_nodes_to_their_source(
    pointer: tuple[str | int, ...], expected: tuple[str, int, int]
) -> None:
    spec = load_spec(MULTI / "api.yaml")
    assert _rel(spec.locate(pointer)) == expected


def test_bundle_is_deterministic_and_dumps_round_trip() -> None:
    first, second = load_spec(MULTI / "api.yaml"), load_spec(MULTI / "api.yaml")
    assert first.dump_json() == second.dump_json()
    assert first.content_hash == second.content_hash
    assert json.loads(first.dump_json()) == first.document
    assert yaml.safe_load(first.dump_yaml()) == first.document
    assert first.dump_yaml().startswith("openapi: 3.1.0\ninfo:\n")


def test_content_hash_covers_every_file(tmp_path: Path) -> None:
    shutil.copytree(MULTI, tmp_path / "multi")
    before = load_spec(tmp_path / "multi" / "api.yaml").content_hash
    assert before == load_spec(MULTI / "api.yaml").content_hash  # independent of location
    user = tmp_path / "multi" / "schemas" / "user.yaml"
    user.write_text(user.read_text() + "    x-note: changed\n")
    assert load_spec(tmp_path / "multi" / "api.yaml").content_hash != before


def test_name_clash_gets_a_numeric_suffix(in_tmp: Path) -> None:
    write(
        in_tmp,
        {
            "api.yaml": """
            openapi: 3.1.0
            info: {title: t, version: '1'}
            paths: {}
            components:
              schemas:
                Item: {type: string}
                Both:
                  type: object
                  properties:
                    a: {$ref: 'a.yaml#/Item'}
                    b: {$ref: 'b.yaml#/Item'}
                    again: {$ref: './a.yaml#/Item'}
            """,
            "a.yaml": "Item: {type: integer}\n",
            "b.yaml": "Item: {type: boolean}\n",
        },
    )
    doc = load_spec("api.yaml").document
    schemas = doc["components"]["schemas"]
    assert list(schemas) == ["Item", "Both", "Item2", "Item3"]
    assert schemas["Item2"] == {"type": "integer"}
    assert schemas["Item3"] == {"type": "boolean"}
    props = schemas["Both"]["properties"]
    assert [p["$ref"] for p in props.values()] == [
        "#/components/schemas/Item2",
        "#/components/schemas/Item3",
        "#/components/schemas/Item2",
    ]


def test_component_defined_as_a_file_ref_takes_the_content(in_tmp: Path) -> None:
    write(
        in_tmp,
        {
            "api.yaml": """
            openapi: 3.1.0
            info: {title: t, version: '1'}
            paths:
              /pets:
                get:
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: {$ref: './schemas/pet.yaml'}
            components:
              schemas:
                Pet: {$ref: './schemas/pet.yaml'}
            """,
            "schemas/pet.yaml": "type: object\nproperties:\n  name: {type: string}\n",
        },
    )
    spec = load_spec("api.yaml")
    schemas = spec.document["components"]["schemas"]
    assert list(schemas) == ["Pet"]
    assert schemas["Pet"] == {"type": "object", "properties": {"name": {"type": "string"}}}
    assert all_refs(spec.document) == ["#/components/schemas/Pet"]
    assert spec.locate(("components", "schemas", "Pet", "properties", "name")) == Location(
        "schemas/pet.yaml", 3, 3
    )


def test_whole_file_schema_name_is_pascal_case(in_tmp: Path) -> None:
    write(
        in_tmp,
        {
            "api.yaml": """
            openapi: 3.0.3
            info: {title: t, version: '1'}
            paths:
              /x:
                get:
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: {$ref: 'models/order-line_item.json'}
            """,
            "models/order-line_item.json": '{"type": "object"}',
        },
    )
    doc = load_spec("api.yaml").document
    assert doc["components"] == {"schemas": {"OrderLineItem": {"type": "object"}}}


def test_missing_ref_file_and_bad_pointer_are_located(in_tmp: Path) -> None:
    write(
        in_tmp,
        {
            "api.yaml": """
            openapi: 3.1.0
            info: {title: t, version: '1'}
            paths:
              /a:
                $ref: 'paths/missing.yaml'
              /b:
                $ref: 'paths/b.yaml'
            """,
            "paths/b.yaml": """
            get:
              responses:
                '200':
                  $ref: '../common.yaml#/components/responses/Nope'
            """,
            "common.yaml": "components:\n  responses: {}\n",
        },
    )
    assert load_error("api.yaml").splitlines() == [
        "api.yaml:5:5: missing-ref-file: $ref to paths/missing.yaml: cannot read file:"
        " No such file or directory",
        "paths/b.yaml:4:7: unresolved-ref: $ref '../common.yaml#/components/responses/Nope'"
        " points to nothing in common.yaml",
    ]


def test_syntax_error_in_a_referenced_file(in_tmp: Path) -> None:
    write(
        in_tmp,
        {
            "api.yaml": """
            openapi: 3.1.0
            info: {title: t, version: '1'}
            paths:
              /a: {$ref: 'a.yaml'}
            """,
            "a.yaml": "get:\n  responses: {'200': {description: ok}\n",
        },
    )
    assert load_error("api.yaml") == (
        "a.yaml:3:1: syntax-error: invalid YAML: did not find expected ',' or '}'"
        " (while parsing a flow mapping)"
    )


def test_inline_cycle_is_reported(in_tmp: Path) -> None:
    write(
        in_tmp,
        {
            "api.yaml": """
            openapi: 3.1.0
            info: {title: t, version: '1'}
            paths:
              /a: {$ref: 'a.yaml'}
            """,
            "a.yaml": "get:\n  callbacks:\n    again: {$ref: 'a.yaml'}\n",
        },
    )
    assert load_error("api.yaml") == (
        "a.yaml:1:1: ref-cycle: circular $ref cannot be inlined: a.yaml# -> a.yaml#;"
        " move the target under components/ so it can be referenced by name"
    )


def test_single_file_spec_is_not_copied(in_tmp: Path) -> None:
    write(
        in_tmp,
        {
            "api.yaml": """
            openapi: 3.1.0
            info: {title: t, version: '1'}
            paths: {}
            components:
              schemas:
                A: {$ref: '#/components/schemas/B'}
                B: {type: string}
            """
        },
    )
    spec = load_spec("api.yaml")
    assert isinstance(spec, SourceSpec)
    assert all_refs(spec.document) == ["#/components/schemas/B"]
    assert spec.locate(("components", "schemas", "B", "type")) == Location("api.yaml", 7, 9)


@pytest.mark.parametrize(
    ("server", "expected"),
    [
        (None, ""),
        ({"url": "/"}, ""),
        ({"url": "https://api.example.com"}, ""),
        ({"url": "https://api.example.com/v1/"}, "/v1"),
        ({"url": "/api/v1?x=1#top"}, "/api/v1"),
        (
            {
                "url": "https://{host}/v{n}",
                "variables": {"host": {"default": "h"}, "n": {"default": "2"}},
            },
            "/v2",
        ),
        # a variable left without a default: mount at the root rather than at a literal "{...}"
        ({"url": "https://h/{version}/api", "variables": {}}, ""),
        # the variable holds the leading slash (Red Hat's specs): one slash, not "//api/…"
        (
            {
                "url": "https://cloud.redhat.com/{basePath}",
                "variables": {"basePath": {"default": "/api/x/v1.0"}},
            },
            "/api/x/v1.0",
        ),
        (
            {
                "url": "http://localhost:{port}//{base}/",
                "variables": {"port": {"default": "3000"}, "base": {"default": "/b"}},
            },
            "/b",
        ),
    ],
)
def test_server_base_path(server: dict[str, Any] | None, expected: str) -> None:
    doc: dict[str, Any] = {"servers": [server]} if server is not None else {}
    assert server_base_path(doc) == expected


# --------------------------------------------------------------------------- hostile input


def test_duplicate_keys_are_errors_in_every_mapping(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        {
            "api.yaml": """
            openapi: 3.1.0
            info: {title: t, version: '1', title: u}
            paths:
              /a:
                get: {responses: {'200': {description: ok}}}
              /a:
                post: {responses: {'200': {description: ok}}}
            components:
              schemas:
                Pet:
                  properties:
                    name: {type: string}
                    name: {type: integer}
            """
        },
    )
    assert load_error("api.yaml").splitlines() == [
        "api.yaml:2:32: duplicate-key: duplicate key 'title' (first at 2:8); YAML requires the"
        " keys of a mapping to be unique, and only one of the two would be kept",
        "api.yaml:6:3: duplicate-key: duplicate key '/a' (first at 4:3); YAML requires the keys"
        " of a mapping to be unique, and only one of the two would be kept",
        "api.yaml:13:9: duplicate-key: duplicate key 'name' (first at 12:9); YAML requires the"
        " keys of a mapping to be unique, and only one of the two would be kept",
    ]


def test_duplicate_keys_in_json_are_located(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "api.json").write_text(
        '{"openapi": "3.1.0",\n "info": {"title": "t", "version": "1"},\n'
        ' "paths": {"/a": {}, "/b": {},\n   "/a": {}}}\n',
        encoding="utf-8",
    )
    assert load_error("api.json") == (
        "api.json:4:4: duplicate-key: duplicate key '/a' (first at 3:12); JSON object keys must"
        " be unique, and only one of the two would be kept"
    )


def test_merge_keys_may_still_be_overridden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``<<: *base`` then a key of its own is an override, not a duplicate."""
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        {
            "api.yaml": """
            openapi: 3.1.0
            info: {title: t, version: '1'}
            x-base: &base {type: string, maxLength: 5}
            components:
              schemas:
                Name:
                  <<: *base
                  maxLength: 10
            """
        },
    )
    schema = load_spec("api.yaml").document["components"]["schemas"]["Name"]
    assert schema == {"type": "string", "maxLength": 10}


BILLION_LAUGHS = "openapi: 3.1.0\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip(["", *"abcdefgh"], "abcdefghi", strict=True)
)


def test_a_yaml_alias_bomb_is_refused_at_its_location(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "api.yaml").write_text(BILLION_LAUGHS, encoding="utf-8")
    assert len(BILLION_LAUGHS.splitlines()) == 10
    # 9**7 nodes under g: the first one past the limit of what aliases may add.
    assert load_error("api.yaml") == (
        "api.yaml:8:4: yaml-alias-limit: YAML aliases expand this node to 5,380,840 nodes, more"
        " than the 1,000,000 aliases may add to a document (a 'billion laughs' document?);"
        " write the content out, or use $ref to reuse it"
    )


def test_a_recursive_alias_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "api.yaml").write_text(
        "openapi: 3.1.0\nx-loop: &loop [1, *loop]\n", encoding="utf-8"
    )
    assert load_error("api.yaml") == (
        "api.yaml:2:9: yaml-alias-limit: a YAML alias refers to a node that contains it, so the"
        " document would be infinite; use $ref for recursive structures"
    )


def test_ordinary_aliases_are_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        {
            "api.yaml": """
            openapi: 3.1.0
            info: {title: t, version: '1'}
            x-error: &error {type: object, properties: {code: {type: integer}}}
            components:
              schemas:
                A: *error
                B: *error
            """
        },
    )
    schemas = load_spec("api.yaml").document["components"]["schemas"]
    assert (
        schemas["A"]
        == schemas["B"]
        == {"type": "object", "properties": {"code": {"type": "integer"}}}
    )


def test_invalid_utf8_is_located(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "api.yaml").write_bytes(b"openapi: 3.1.0\ninfo: {title: caf\xe9, version: '1'}\n")
    assert load_error("api.yaml") == (
        "api.yaml:2:18: unreadable-file: not UTF-8 text: byte 0xe9 at offset 32 cannot be"
        " decoded; save the file as UTF-8"
    )


def test_deep_nesting_is_a_located_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "api.json").write_text('{"x":\n' + "[" * 5000 + "]" * 5000 + "}", encoding="utf-8")
    # `specfirst` runs with Python's default recursion limit; mypy, run in-process by other
    # tests, raises it for the rest of the session, so pin the default for this test.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        message = load_error("api.json")
    finally:
        sys.setrecursionlimit(limit)
    assert message.startswith("api.json:2:900: syntax-error: the document nests too")


@pytest.mark.parametrize("ref", ["../outside.yaml", "/etc/hostname", "sub/../../outside.yaml"])
def test_a_ref_may_not_leave_the_spec_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ref: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        {
            "outside.yaml": "type: object\n",
            "specs/api.yaml": f"""
            openapi: 3.1.0
            info: {{title: t, version: '1'}}
            components:
              schemas:
                A: {{$ref: '{ref}'}}
            """,
        },
    )
    assert load_error("specs/api.yaml") == (
        f"specs/api.yaml:5:9: ref-outside-spec-folder: $ref {ref!r} points outside the spec's"
        f" folder (specs); move the file into it"
    )


def test_ref_strings_are_the_refs_iter_refs_finds_in_the_same_order() -> None:
    doc: dict[str, Any] = {
        "paths": {
            "/a": {
                "get": {
                    "parameters": [{"$ref": "#/components/parameters/P"}, {"name": "q"}],
                    "responses": {
                        "200": {
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/A"},
                                    "example": {"$ref": "#/not/a/ref/1"},
                                    "examples": {
                                        "one": {"value": {"$ref": "#/not/a/ref/2"}},
                                        "two": {"$ref": "#/components/examples/E"},
                                    },
                                }
                            }
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "A": {
                    "properties": {
                        "examples": {"$ref": "#/components/schemas/B"},
                        "value": {"items": [{"$ref": "#/components/schemas/C"}]},
                    },
                    "default": {"$ref": "#/not/a/ref/3"},
                    "enum": [{"$ref": "#/not/a/ref/4"}],
                },
                "B": {"examples": [{"value": {"$ref": "#/components/schemas/D"}}]},
            }
        },
    }
    expected = [
        "#/components/parameters/P",
        "#/components/schemas/A",
        "#/components/examples/E",
        "#/components/schemas/B",
        "#/components/schemas/C",
    ]
    assert all_refs(doc) == expected
    assert list(iter_ref_strings(doc)) == expected
    reference = load_spec(Path(__file__).parents[2] / "specs" / "api.yaml").document
    assert list(iter_ref_strings(reference)) == all_refs(reference)
    assert all_refs(reference)
