"""``generate`` and ``scaffold`` recognise a renamed operation (``specfirst.renames``).

Renaming a path variable renames a derived method (``get_categories_by_id`` →
``get_categories_by_category_id``); changing an operationId renames its method; moving an
operation renames its arguments. Each time the implementation has the method under its old
name: both commands say what to rename where, and no stub is appended beside it.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import pytest

from specfirst.cli import main

SPEC = """\
openapi: 3.0.3
info: {title: Shop, version: "1"}
paths:
  /categories:
    get:
      tags: [categories]
      responses: {'200': {description: ok}}
  /categories/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer}}
    get:
      tags: [categories]
      responses: {'200': {description: ok}}
    delete:
      tags: [categories]
      operationId: dropCategory
      responses: {'204': {description: gone}}
"""


def _project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    (tmp_path / "shop.yaml").write_text(SPEC, encoding="utf-8")
    with contextlib.chdir(tmp_path):
        assert main(["init", "shop", "--spec", "shop.yaml"]) == 0
    project = tmp_path / "shop"
    module = project / "shop" / "categories.py"
    written = module.read_text(encoding="utf-8").replace(
        'raise NotImplementedOperation("get_categories_by_id")', "return None  # mine"
    )
    module.write_text(written, encoding="utf-8")
    capsys.readouterr()
    return project


def _edit(project: Path, old: str, new: str) -> None:
    spec = project / "specs" / "api.yaml"
    text = spec.read_text(encoding="utf-8")
    assert old in text
    spec.write_text(text.replace(old, new), encoding="utf-8")


def _run(project: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with contextlib.chdir(project):
        code = main(list(args))
    return code, capsys.readouterr().err


RENAMED = (
    "the operation GET /categories/{category_id} was GET /categories/{id}: rename "
    "`get_categories_by_id` to `get_categories_by_category_id`, its argument `id` to "
    "`category_id`, and the generated types it names from `GetCategoriesById…` to "
    "`GetCategoriesByCategoryId…` in `shop/categories.py`"
)


def test_a_renamed_path_variable_asks_for_a_rename_not_a_stub(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path, capsys)
    module = project / "shop" / "categories.py"
    before = module.read_text(encoding="utf-8")
    _edit(project, "{id}", "{category_id}")
    _edit(project, "name: id,", "name: category_id,")
    code, err = _run(project, capsys, "generate")
    assert code == 0
    assert f"generate: {RENAMED}\n" in err
    assert "missing method" not in err and "specfirst scaffold" not in err
    # dropCategory kept its name: only its argument is renamed
    assert (
        "the operation DELETE /categories/{category_id} was DELETE /categories/{id}: rename "
        "the argument `id` to `category_id` of `drop_category` in `shop/categories.py`"
    ) in err
    code, err = _run(project, capsys, "scaffold", "--check")
    assert code == 1 and f"scaffold: {RENAMED}\n" in err
    code, err = _run(project, capsys, "scaffold")
    assert code == 0 and f"scaffold: {RENAMED}\n" in err
    assert module.read_text(encoding="utf-8") == before  # no stub beside the orphan
    # without the cache that remembers the old names (a fresh clone), from the code itself
    shutil.rmtree(project / ".specfirst-cache")
    code, err = _run(project, capsys, "scaffold", "--check")
    assert code == 1 and f"scaffold: {RENAMED}\n" in err
    # renamed as asked: nothing left to say
    module.write_text(
        before.replace("get_categories_by_id(", "get_categories_by_category_id(")
        .replace("GetCategoriesByIdResponse", "GetCategoriesByCategoryIdResponse")
        .replace("id: int", "category_id: int"),
        encoding="utf-8",
    )
    code, err = _run(project, capsys, "scaffold", "--check")
    assert code == 0, err
    assert "implements every operation" in err


def test_a_changed_operation_id_asks_for_a_rename(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path, capsys)
    module = project / "shop" / "categories.py"
    before = module.read_text(encoding="utf-8")
    _edit(project, "operationId: dropCategory", "operationId: deleteCategory")
    code, err = _run(project, capsys, "generate")
    renamed = (
        "the operation DELETE /categories/{id} was renamed: rename `drop_category` to "
        "`delete_category`, and the generated types it names from `DropCategory…` to "
        "`DeleteCategory…` in `shop/categories.py`"
    )
    assert code == 0 and f"generate: {renamed}\n" in err
    code, err = _run(project, capsys, "scaffold")  # after generate: the cache remembers
    assert code == 0 and f"scaffold: {renamed}\n" in err
    assert module.read_text(encoding="utf-8") == before


def test_an_operation_moved_under_its_operation_id_asks_for_its_arguments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path, capsys)
    _edit(project, "    delete:\n", "  /cats/{cat}:\n    delete:\n")
    _edit(
        project,
        "      operationId: dropCategory\n",
        "      operationId: dropCategory\n"
        "      parameters:\n"
        "        - {name: cat, in: path, required: true, schema: {type: integer}}\n",
    )
    code, err = _run(project, capsys, "generate")
    assert code == 0, err
    assert (
        "generate: the operation DELETE /cats/{cat} was DELETE /categories/{id}: rename the "
        "argument `id` to `cat` of `drop_category` in `shop/categories.py`\n"
    ) in err
