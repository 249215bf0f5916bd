"""Bringing a spec written elsewhere (``specfirst.adopt``): JSON as readable YAML loading to
the same data, ``$ref``s to renamed files rewritten, operationIds written as lines.

The round trip over real specs is ``tests/corpus/test_adopt_corpus.py``.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

import pytest

from specfirst.adopt.files import CopyError, plan_copy
from specfirst.adopt.operation_ids import add_operation_ids
from specfirst.adopt.yaml_text import yaml_text
from specfirst.loader import load_spec
from specfirst.loader.edit import insert_first_keys, rewrite_refs
from specfirst.parser.context import Context
from specfirst.parser.operation_names import name_operations


def same(a: Any, b: Any) -> bool:
    """Equal data, types and key order included (``1`` is not ``1.0``, ``True`` not ``1``)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def write(folder: Path, files: dict[str, Any]) -> None:
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        text = data if isinstance(data, str) else json.dumps(data, separators=(",", ":"))
        path.write_text(text, encoding="utf-8")


def copied(copy: Any, folder: Path) -> Path:
    for file in copy.files:
        path = folder / file.target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(file.text, encoding="utf-8")
    return folder / copy.entry.target


TRICKY: dict[str, Any] = {
    "yes": "yes",
    "no": "No",
    "on": "on",
    "null": "null",
    "tilde": "~",
    "date": "2024-01-02",
    "octal": "0o17",
    "hex": "0x1F",
    "sexagesimal": "1:20",
    "float-text": "1e3",
    "numbers": [1, 1.0, -0.0, 1e100, 12345678901234567890, 0.1],
    "bools": [True, False, None],
    "markdown": "# Title\n\nA paragraph\nwith lines.\n\n    code\n",
    "no-final-newline": "one\ntwo",
    "trailing-space": "line \nnext",
    "tab": "a\tb\nc",
    "leading-space": "  indented\nsecond",
    "long": "word " * 60,
    "quotes": 'it\'s "quoted": yes # not a comment',
    "unicode": "héllo — 世界 \u2028 sep \ufeff bom \x07 bell",
    "empty": ["", {}, []],
    "key: with colon": {"- dash": {"? q": 1}},
    "multi\nline key": 1,
    "<<": "merge key",
    "x" * 200: "a long key",
}


def test_yaml_text_loads_back_to_the_same_data_and_reads_as_blocks(tmp_path: Path) -> None:
    text = yaml_text(TRICKY)
    (tmp_path / "t.yaml").write_text(f"openapi: 3.1.0\ntricky:\n{_indent(text)}", encoding="utf-8")
    loaded = load_spec(tmp_path / "t.yaml").document["tricky"]
    assert same(loaded, TRICKY)
    assert "markdown: |\n  # Title\n\n  A paragraph\n" in text  # a literal block, as written
    assert "&" not in text and "*id" not in text  # no anchors or aliases
    assert max(len(line) for line in text.splitlines() if "xxxx" not in line) <= 104


def _indent(text: str) -> str:
    return "".join("  " + line if line.strip() else line for line in text.splitlines(True))


def test_shared_objects_are_written_out_not_aliased() -> None:
    shared = {"type": "string"}
    assert "&" not in yaml_text({"a": shared, "b": shared})


def _multifile(tmp_path: Path) -> Path:
    source = tmp_path / "src"
    write(
        source,
        {
            "openapi.json": {
                "openapi": "3.0.3",
                "info": {"title": "Pets", "version": "1"},
                "paths": {
                    "/pets": {"$ref": "paths/pets.json"},
                    "/toys": {"$ref": "./paths/toys.yaml"},
                },
                "components": {
                    "schemas": {
                        "Pet": {"$ref": "schemas/pet%20v1.json#/Pet"},
                        "Id": {"type": "integer", "example": {"$ref": "not/a/ref.json"}},
                    }
                },
            },
            "paths/pets.json": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "../schemas/pet%20v1.json#/Pet"}
                                }
                            },
                        }
                    }
                }
            },
            "paths/toys.yaml": (
                "# toys, written by hand\n"
                "get:\n"
                "  parameters:\n"
                "    - {name: id, in: query, schema: {$ref: '../openapi.json#/components/schemas/Id'}}\n"
                "  responses:\n"
                "    '200':\n"
                "      description: ok\n"
                "      content:\n"
                "        application/json:\n"
                '          schema: {$ref: "../schemas/pet%20v1.json#/Pet"}\n'
                "          example: {$ref: ../schemas/pet%20v1.json}\n"
            ),
            "schemas/pet v1.json": {
                "Pet": {
                    "type": "object",
                    "properties": {"id": {"$ref": "../openapi.json#/components/schemas/Id"}},
                }
            },
        },
    )
    return source / "openapi.json"


def test_a_multifile_json_spec_becomes_yaml_files_with_their_refs_renamed(tmp_path: Path) -> None:
    entry = _multifile(tmp_path)
    copy = plan_copy(entry)
    assert [f.target for f in copy.files] == [
        "api.yaml",
        "paths/pets.yaml",
        "paths/toys.yaml",
        "schemas/pet v1.yaml",
    ]
    assert [f.converted for f in copy.files] == [True, True, False, True]
    texts = {f.target: f.text for f in copy.files}
    assert "$ref: paths/pets.yaml\n" in texts["api.yaml"]
    assert "$ref: ./paths/toys.yaml\n" in texts["api.yaml"]  # a YAML file keeps its name
    assert "$ref: schemas/pet%20v1.yaml#/Pet" in texts["api.yaml"]
    assert "$ref: ../api.yaml#/components/schemas/Id" in texts["schemas/pet v1.yaml"]
    assert "not/a/ref.json" in texts["api.yaml"]  # an example is data, never a ref
    toys = texts["paths/toys.yaml"]
    original = (entry.parent / "paths/toys.yaml").read_text(encoding="utf-8")
    assert toys == original.replace("'../openapi.json#", "'../api.yaml#").replace(
        '"../schemas/pet%20v1.json#/Pet"', '"../schemas/pet%20v1.yaml#/Pet"'
    )
    bundled = load_spec(copied(copy, tmp_path / "out"))
    assert same(bundled.document, load_spec(entry).document)
    assert len(bundled.files) == 4


def test_keep_format_copies_every_file_as_it_is(tmp_path: Path) -> None:
    entry = _multifile(tmp_path)
    copy = plan_copy(entry, keep_format=True)
    assert copy.entry.target == "openapi.json"
    for file in copy.files:
        assert file.text == file.source.read_text(encoding="utf-8") and not file.converted


def test_two_files_that_would_get_one_name_are_refused(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "api.json": {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
                "/a": {"$ref": "a.json"}, "/b": {"$ref": "a.yaml"}}},
            "a.json": {"get": {"responses": {"200": {"description": "ok"}}}},
            "a.yaml": "get: {responses: {'200': {description: ok}}}\n",
        },
    )  # fmt: skip
    with pytest.raises(CopyError, match=r"would both be copied to specs/a\.yaml.*--keep-format"):
        plan_copy(tmp_path / "api.json")


YAML_SPEC = """\
openapi: 3.0.3
info: {title: Shop, version: "1"}
paths:
  /categories:
    # listing
    get:
      # the first key
      summary: list
      responses: {'200': {description: ok}}
    post: {operationId: createCategory, responses: {'201': {description: created}}}
  /categories/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
    get: {responses: {'200': {description: ok}}}
    delete: {}
  /category-items:
    get:
        responses:
          '200': {description: ok}
  /category_items:
    get: {responses: {'200': {description: ok}}}
  /true:
    put: {responses: {'200': {description: ok}}}
"""


def _names(path: Path) -> dict[Any, tuple[str, str]]:
    names = name_operations(Context(load_spec(path), []))
    return {ptr: (n.py_name, n.class_prefix) for ptr, n in names.items()}


def test_operation_ids_are_added_as_lines_and_rename_nothing(tmp_path: Path) -> None:
    write(tmp_path / "src", {"api.yaml": YAML_SPEC})
    source = tmp_path / "src" / "api.yaml"
    copy = plan_copy(source)
    ids = add_operation_ids(copy)
    assert ids.left == {}
    assert ids.added == {
        "GET /categories": "get_categories",
        "GET /categories/{id}": "get_categories_by_id",
        "DELETE /categories/{id}": "delete_categories_by_id",
        # both derive get_category_items: the second gets the numbered name code uses
        "GET /category-items": "get_category_items",
        "GET /category_items": "get_category_items2",
        "PUT /true": "put_true",
    }
    text = copy.entry.text
    added = [
        line
        for line in difflib.ndiff(YAML_SPEC.splitlines(), text.splitlines())
        if line.startswith(("- ", "+ "))
    ]
    assert added == [
        "+       operationId: get_categories",
        "-     get: {responses: {'200': {description: ok}}}",
        "-     delete: {}",
        "+     get: {operationId: get_categories_by_id, responses: {'200': {description: ok}}}",
        "+     delete: {operationId: delete_categories_by_id}",
        "+         operationId: get_category_items",
        "-     get: {responses: {'200': {description: ok}}}",
        "+     get: {operationId: get_category_items2, responses: {'200': {description: ok}}}",
        "-     put: {responses: {'200': {description: ok}}}",
        "+     put: {operationId: put_true, responses: {'200': {description: ok}}}",
    ]
    assert "      # the first key\n      operationId: get_categories\n      summary:" in text
    after = copied(copy, tmp_path / "out")
    assert _names(after) == _names(source)
    ops = load_spec(after).document["paths"]
    assert all(
        "operationId" in op for item in ops.values() for k, op in item.items() if k != "parameters"
    )


def test_operation_ids_go_into_the_file_that_holds_the_operation(tmp_path: Path) -> None:
    entry = _multifile(tmp_path)
    for keep_format in (False, True):
        copy = plan_copy(entry, keep_format=keep_format)
        ids = add_operation_ids(copy)
        assert ids.added == {"GET /pets": "get_pets", "GET /toys": "get_toys"}
        texts = {f.target: f.text for f in copy.files}
        pets = "paths/pets.json" if keep_format else "paths/pets.yaml"
        assert ("get_pets" in texts[pets]) and ("get_toys" in texts["paths/toys.yaml"])
        assert "operationId: get_toys\n  parameters:" in texts["paths/toys.yaml"]
        after = copied(copy, tmp_path / f"out{keep_format}")
        assert _names(after) == _names(entry)
        if keep_format:  # JSON stays JSON, one key added
            data = json.loads(texts[pets])
            assert list(data["get"]) == ["operationId", "responses"]


def test_insert_first_keys_in_json_written_one_key_per_line() -> None:
    text = '{\r\n  "get": {\r\n    "responses": {}\r\n  },\r\n  "put": {}\r\n}\r\n'
    out, skipped = insert_first_keys(
        text,
        {("get",): ("operationId", "a"), ("put",): ("operationId", "b"), ("x",): ("k", "v")},
        json_text=True,
    )
    assert skipped == [("x",)]
    assert out == (
        '{\r\n  "get": {\r\n    "operationId": "a",\r\n    "responses": {}\r\n  },\r\n'
        '  "put": {"operationId": "b"}\r\n}\r\n'
    )


def test_rewrite_refs_keeps_each_refs_quoting() -> None:
    text = "a: {$ref: x.json}\nb:\n  $ref: 'x.json#/A'\nc:\n  $ref: \"x.json#/B\"\nd: {default: {$ref: x.json}}\n"
    out = rewrite_refs(text, lambda ref: ref.replace("x.json", "y z.yaml"))
    assert out == (
        'a: {$ref: "y z.yaml"}\nb:\n  $ref: \'y z.yaml#/A\'\nc:\n  $ref: "y z.yaml#/B"\n'
        "d: {default: {$ref: x.json}}\n"
    )


def test_a_byte_order_mark_is_kept_by_keep_format_and_edits(tmp_path: Path) -> None:
    spec = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}}  # fmt: skip
    source = tmp_path / "api.json"
    source.write_bytes(b"\xef\xbb\xbf" + json.dumps(spec).encode())
    copy = plan_copy(source, keep_format=True)
    assert add_operation_ids(copy).added == {"GET /a": "get_a"}
    assert copy.entry.text.startswith('\ufeff{"openapi"')
    out = copied(copy, tmp_path / "out")
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert load_spec(out).document["paths"]["/a"]["get"]["operationId"] == "get_a"
    converted = plan_copy(source)  # as YAML: no mark, the same data
    assert same(load_spec(copied(converted, tmp_path / "yaml")).document, spec)


def test_an_empty_operation_id_is_left_to_the_author_and_odd_paths_add_nothing(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            "a.yaml": "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n"
            "  /a: {get: {operationId: '', responses: {'200': {description: ok}}}}\n",
            "b.yaml": "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: []\n",
        },
    )
    ids = add_operation_ids(plan_copy(tmp_path / "a.yaml"))
    assert ids.added == {} and ids.left == {
        "GET /a": "its operationId is empty or not a string: write one"
    }
    assert add_operation_ids(plan_copy(tmp_path / "b.yaml")).added == {}
