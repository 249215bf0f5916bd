"""``specfirst check``: drift named file by file, validation, lint and mypy, one summary."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest

from specfirst.cli import main
from specfirst.pipeline import MANIFEST, generate

REPO = Path(__file__).resolve().parents[2]

SPEC = """\
openapi: 3.1.0
info: {title: Small, version: '1'}
tags: [{name: items}]
paths:
  /items:
    get:
      operationId: listItems
      tags: [items]
      summary: List items
      description: Every item.
      parameters:
        - {name: cursor, in: query, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                items: {$ref: '#/components/schemas/Item'}
        '422':
          description: the cursor is not one the server issued
          content:
            application/problem+json:
              schema: {type: object}
components:
  schemas:
    Item:
      type: object
      required: [name]
      properties:
        name: {type: string}
"""

PYPROJECT = """\
[tool.specfirst]
spec = "api.yaml"
output = "out"
package = "out"
implementation = "impl"

[tool.mypy]
strict = true
plugins = ["pydantic.mypy"]
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated")
    (root / "api.yaml").write_text(SPEC, encoding="utf-8")
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    cwd = Path.cwd()
    os.chdir(root)  # the generated header names the spec as the command line gives it
    try:
        result = generate(Path("api.yaml"), Path("out"), cache_dir=Path(".specfirst-cache"))
    finally:
        os.chdir(cwd)
    assert result.ok, result.diagnostics
    return root


@pytest.fixture
def project(generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    shutil.copytree(generated, root)
    monkeypatch.chdir(root)
    # specfirst is installed editable here, which mypy cannot follow from another folder
    monkeypatch.setenv("MYPYPATH", str(REPO))
    monkeypatch.setenv("MYPY_CACHE_DIR", str(REPO / ".mypy_cache" / "specfirst-check-tests"))
    return root


def check(*args: str) -> int:
    return main(["check", *args])


def test_drift_is_named_file_by_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "out" / "app.py").write_text("# edited by hand\n", encoding="utf-8")
    (project / "out" / "models.py").unlink()
    (project / "out" / "notes.txt").write_text("stray\n", encoding="utf-8")
    (project / "out" / "__pycache__").mkdir(exist_ok=True)
    (project / "out" / "__pycache__" / "app.cpython-311.pyc").write_bytes(b"ignored")
    assert check("--skip", "mypy") == 1
    err = capsys.readouterr().err
    assert "out/app.py: differs\nout/models.py: missing\nout/notes.txt: extra\n" in err
    assert (
        "out/ is not what api.yaml generates: 1 differ, 1 missing, 1 extra; "
        "run `specfirst generate` (or `make generate`) and commit the result"
    ) in err
    assert "check: validate ok, drift FAILED (3 file(s)), lint ok (" in err
    assert err.rstrip().endswith("check: FAILED: drift")
    assert MANIFEST not in err


def test_diff_option_shows_the_change(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = project / "out" / "__init__.py"
    path.write_text(path.read_text(encoding="utf-8") + "EXTRA = 1\n", encoding="utf-8")
    assert check("--skip", "mypy", "--skip", "lint", "--diff") == 1
    err = capsys.readouterr().err
    assert "-EXTRA = 1" in err
    assert "(generated now)" in err


def test_spec_changed_since_generation(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = project / "api.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("List items", "All items"))
    assert check("--skip", "mypy", "--skip", "lint") == 1
    assert "differs" in capsys.readouterr().err


def test_invalid_spec_and_lint_errors_fail(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = project / "api.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("type: array", "type: arrray"))
    assert check("--skip", "mypy") == 1
    err = capsys.readouterr().err
    assert "api.yaml:" in err
    assert "validate FAILED" in err
    assert "drift not checked (the package cannot be generated)" in err
    spec.write_text(SPEC.replace("      tags: [items]\n", "").replace("/items:", "/items/:"))
    (project / "pyproject.toml").write_text(
        PYPROJECT + '\n[tool.specfirst.lint]\npath-trailing-slash = "error"\n'
    )
    assert check("--skip", "mypy", "--skip", "drift") == 1
    err = capsys.readouterr().err
    assert "api.yaml:5:3: path-trailing-slash: path '/items/' ends with a slash" in err
    assert "lint FAILED (1 error(s), 1 warning(s))" in err


def test_clean_tree_passes_and_mypy_failures_fail(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check() == 0
    err = capsys.readouterr().err
    assert "check: validate ok, drift ok (out/ matches api.yaml), lint ok, mypy ok (out)" in err
    # PYPROJECT has the pydantic plugin without init_typed: the summary says what was not checked
    assert "mypy ok (out); model constructors unchecked: set init_typed = true under" in err
    impl = project / "impl"
    impl.mkdir()
    (impl / "__init__.py").write_text("")
    (impl / "service.py").write_text(
        textwrap.dedent(
            """\
            from out.models import Item


            def first() -> Item:
                return "not an item"
            """
        )
    )
    assert check("--skip", "lint", "--skip", "drift") == 1
    err = capsys.readouterr().err
    assert (
        'impl/service.py:5: error: Incompatible return value type (got "str", expected "Item")'
        in err
    )
    assert "mypy FAILED (Found 1 error in 1 file (checked" in err


@pytest.mark.parametrize(
    ("files", "typed"),
    [
        ({"pyproject.toml": PYPROJECT}, False),
        ({"pyproject.toml": PYPROJECT + "\n[tool.pydantic-mypy]\ninit_typed = true\n"}, True),
        # init_typed without the plugin types nothing
        ({"pyproject.toml": "[tool.mypy]\n[tool.pydantic-mypy]\ninit_typed = true\n"}, False),
        (
            {"mypy.ini": "[mypy]\nplugins = pydantic.mypy\n[pydantic-mypy]\ninit_typed = True\n"},
            True,
        ),
        # mypy reads mypy.ini first, whatever pyproject.toml says
        (
            {
                "mypy.ini": "[mypy]\nstrict = True\n",
                "pyproject.toml": PYPROJECT + "\n[tool.pydantic-mypy]\ninit_typed = true\n",
            },
            False,
        ),
        (
            {"setup.cfg": "[mypy]\nplugins = pydantic.mypy\n[pydantic-mypy]\ninit_typed = true\n"},
            True,
        ),
        ({}, False),
    ],
)
def test_whether_model_constructors_are_type_checked(
    tmp_path: Path, files: dict[str, str], typed: bool
) -> None:
    from specfirst.commands.check import constructors_typed

    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert constructors_typed(tmp_path) is typed
