"""``specfirst init --spec`` with a spec written elsewhere: readable YAML, stable names.

A minified JSON spec is written as YAML (locations get real lines), ``--keep-format`` keeps
it as it is, and ``--add-operation-ids`` writes the derived names so nothing is renamed.
"""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from specfirst.cli import main
from specfirst.commands import init
from specfirst.loader import load_spec
from specfirst.pipeline import build_api

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Shop", "version": "1", "description": "A shop.\n\nWith **Markdown**.\n"},
    "paths": {
        "/categories": {
            "get": {
                "tags": ["categories"],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Category"},
                                }
                            }
                        },
                    }
                },
            }
        },
        "/categories/{id}": {
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
            ],
            "get": {
                "tags": ["categories"],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Category"}
                            }
                        },
                    }
                },
            },
        },
    },
    "components": {
        "schemas": {
            "Category": {
                "type": "object",
                "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
            }
        }
    },
}


def _init(tmp_path: Path, *args: str) -> int:
    with contextlib.chdir(tmp_path):
        return main(["init", *args])


def _minified(tmp_path: Path) -> Path:
    source = tmp_path / "vendor" / "shop.json"
    source.parent.mkdir()
    source.write_text(json.dumps(SPEC, separators=(",", ":")), encoding="utf-8")
    return source


def test_a_json_spec_is_written_as_yaml_with_real_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _minified(tmp_path)
    monkeypatch.setattr(init, "LARGE_JSON", source.stat().st_size - 1)
    assert _init(tmp_path, "shop", "--spec", str(source)) == 0
    err = capsys.readouterr().err
    assert "shop.json → specs/api.yaml (YAML, the same data)" in err
    assert "a large spec: YAML parses about 20x slower than JSON" in err
    spec = tmp_path / "shop" / "specs" / "api.yaml"
    text = spec.read_text(encoding="utf-8")
    assert text.startswith("openapi: 3.0.3\ninfo:\n  title: Shop\n")
    assert "  description: |\n    A shop.\n\n    With **Markdown**.\n" in text
    loaded = load_spec(spec)
    assert loaded.document == SPEC
    with contextlib.chdir(tmp_path / "shop"):
        main(["lint"])  # every operation lacks an operationId: located on its own line
    lines = text.splitlines()
    err = capsys.readouterr().err
    found = re.findall(r"specs/api\.yaml:(\d+):(\d+): operation-id", err)
    assert len(found) == 2, err
    for line, col in found:  # each on the line of its own operation
        assert (lines[int(line) - 1], int(col)) == ("    get:", 5)
    assert found[0][0] != found[1][0] and len(lines) > 40
    assert json.loads(source.read_text(encoding="utf-8")) == SPEC  # the source is left alone
    pyproject = (tmp_path / "shop" / "pyproject.toml").read_text(encoding="utf-8")
    assert 'spec = "specs/api.yaml"' in pyproject


def test_keep_format_keeps_the_json_and_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _minified(tmp_path)
    assert _init(tmp_path, "shop", "--spec", str(source), "--keep-format") == 0
    project = tmp_path / "shop"
    assert (project / "specs" / "shop.json").read_bytes() == source.read_bytes()
    assert not (project / "specs" / "api.yaml").exists()
    assert 'spec = "specs/shop.json"' in (project / "pyproject.toml").read_text(encoding="utf-8")
    assert (project / "shop_api" / "app.py").is_file()
    capsys.readouterr()


def test_add_operation_ids_says_how_many_and_renames_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _minified(tmp_path)
    assert _init(tmp_path, "plain", "--spec", str(source)) == 0
    assert _init(tmp_path, "ids", "--spec", str(source), "--add-operation-ids") == 0
    err = capsys.readouterr().err
    assert "added 2 operationId(s)" in err
    text = (tmp_path / "ids" / "specs" / "api.yaml").read_text(encoding="utf-8")
    assert "  /categories:\n    get:\n      operationId: get_categories\n      tags:" in text
    plain_text = (tmp_path / "plain" / "specs" / "api.yaml").read_text(encoding="utf-8")
    assert (
        text.replace("      operationId: get_categories_by_id\n", "").replace(
            "      operationId: get_categories\n", ""
        )
        == plain_text
    )
    plain, _ = build_api(tmp_path / "plain" / "specs" / "api.yaml")
    ids, _ = build_api(tmp_path / "ids" / "specs" / "api.yaml")
    assert plain is not None and ids is not None
    names = [(o.py_name, o.class_prefix, o.result_alias) for o in plain.operations]
    assert names == [(o.py_name, o.class_prefix, o.result_alias) for o in ids.operations]
    assert names[1] == ("get_categories_by_id", "GetCategoriesById", "GetCategoriesByIdResponse")
    for project in ("plain", "ids"):  # the same stubs, method for method
        assert (tmp_path / project / project / "categories.py").is_file()
