"""``specfirst generate``: pinned diagnostics, nothing written on error, incremental writes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

GOOD = """
openapi: 3.0.3
info: {title: Small, version: '1'}
tags: [{name: items}]
paths:
  /items:
    get:
      operationId: listItems
      tags: [items]
      summary: List items
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                items: {$ref: '#/components/schemas/Item'}
components:
  schemas:
    Item:
      type: object
      required: [name]
      properties:
        name: {type: string}
"""

BROKEN = """
openapi: 3.0.3
info:
  title: Broken
paths:
  /things:
    get:
      operationId: getThings
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Missing'}
  /other:
    get:
      operationId: getThings
      responses: {}
"""

SWAGGER = """
swagger: '2.0'
info: {title: Old, version: '1'}
paths: {}
"""

DIAGNOSTIC = re.compile(
    r"^(?P<file>[^:\s]+):(?P<line>\d+):(?P<col>\d+): (?P<rule>[a-z0-9-]+): (?P<message>.+)$"
)


def specfirst(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "specfirst", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def snapshot(root: Path) -> dict[str, int]:
    return {
        p.relative_to(root).as_posix(): p.stat().st_mtime_ns
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_invalid_spec_prints_every_problem_exits_1_writes_nothing(tmp_path: Path) -> None:
    write(tmp_path / "bad.yaml", BROKEN)
    proc = specfirst(tmp_path, "generate", "bad.yaml", "-o", "out", "--no-cache")
    assert proc.returncode == 1
    assert not (tmp_path / "out").exists()
    lines = proc.stderr.splitlines()
    assert lines == [
        "bad.yaml:2:1: openapi-schema: missing required property 'version'",
        "bad.yaml:7:7: duplicate-operation-id: operationId 'getThings' of GET /things is also used by GET /other",
        "bad.yaml:13:24: unresolved-ref: $ref '#/components/schemas/Missing' points to nothing",
        "bad.yaml:16:7: duplicate-operation-id: operationId 'getThings' of GET /other is also used by GET /things",
        "bad.yaml:17:7: no-responses: the operation declares no response (OpenAPI 3.0 wants one"
        " at least, 3.1 does not)",
        "4 error(s), 1 warning(s)",
        "bad.yaml: not generated (fix the errors above)",
    ]
    assert all(DIAGNOSTIC.match(line) for line in lines[:5])
    assert proc.stdout == ""


def test_invalid_spec_leaves_an_existing_package_untouched(tmp_path: Path) -> None:
    spec = write(tmp_path / "api.yaml", GOOD)
    assert specfirst(tmp_path, "generate", "api.yaml", "-o", "out", "--no-cache").returncode == 0
    before = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    write(spec, BROKEN)
    proc = specfirst(tmp_path, "generate", "api.yaml", "-o", "out", "--no-cache")
    assert proc.returncode == 1
    assert {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()} == before


def test_validate_reports_the_same_diagnostics(tmp_path: Path) -> None:
    write(tmp_path / "bad.yaml", BROKEN)
    proc = specfirst(tmp_path, "validate", "bad.yaml", "--no-cache")
    assert proc.returncode == 1
    assert (
        "bad.yaml:13:24: unresolved-ref: $ref '#/components/schemas/Missing' points to nothing"
        in proc.stderr.splitlines()
    )


def test_swagger_2_gets_a_targeted_hint(tmp_path: Path) -> None:
    write(tmp_path / "swagger.yaml", SWAGGER)
    proc = specfirst(tmp_path, "generate", "swagger.yaml", "-o", "out", "--no-cache")
    assert proc.returncode == 1
    assert not (tmp_path / "out").exists()
    assert proc.stderr.splitlines()[0] == (
        "swagger.yaml:1:1: not-openapi-3: this is a Swagger 2.0 document; specfirst needs OpenAPI 3.0, 3.1 or 3.2. "
        "Convert it first, e.g. `npx swagger2openapi --yaml swagger.yaml -o swagger.openapi.yaml`, "
        "or in editor.swagger.io with Edit > Convert to OpenAPI 3"
    )


def test_second_run_writes_nothing_and_says_up_to_date(tmp_path: Path) -> None:
    write(tmp_path / "api.yaml", GOOD)
    first = specfirst(tmp_path, "generate", "api.yaml", "-o", "out", "--no-cache")
    assert first.returncode == 0, first.stderr
    assert re.search(r"out: 1 operations, \d+ file\(s\) written, 0 removed", first.stderr)
    before = snapshot(tmp_path / "out")
    second = specfirst(tmp_path, "generate", "api.yaml", "-o", "out", "--no-cache")
    assert second.returncode == 0
    assert re.fullmatch(r"out: up to date \(\d+\.\d+s\)\n", second.stderr)
    assert snapshot(tmp_path / "out") == before


def test_a_copied_checkout_is_up_to_date(tmp_path: Path) -> None:
    """The manifest names its inputs relative to the project, so a clone elsewhere (CI) sees
    the same inputs and answers "up to date" instead of regenerating."""
    first = tmp_path / "first"
    write(first / "api.yaml", GOOD)
    assert specfirst(first, "generate", "api.yaml", "-o", "out", "--no-cache").returncode == 0
    manifest = (first / "out" / ".specfirst-manifest.json").read_text(encoding="utf-8")
    assert str(tmp_path) not in manifest
    import shutil

    shutil.copytree(first, tmp_path / "second")
    shutil.rmtree(first)
    again = specfirst(tmp_path / "second", "generate", "api.yaml", "-o", "out", "--no-cache")
    assert re.fullmatch(r"out: up to date \(\d+\.\d+s\)\n", again.stderr), again.stderr


def test_only_changed_files_are_rewritten(tmp_path: Path) -> None:
    spec = write(tmp_path / "api.yaml", GOOD)
    assert specfirst(tmp_path, "generate", "api.yaml", "-o", "out", "--no-cache").returncode == 0
    before = snapshot(tmp_path / "out")
    write(spec, GOOD.replace("summary: List items", "summary: List every item"))
    proc = specfirst(tmp_path, "generate", "api.yaml", "-o", "out", "--no-cache")
    assert proc.returncode == 0, proc.stderr
    after = snapshot(tmp_path / "out")
    changed = {rel for rel in after if after[rel] != before.get(rel)}
    assert changed == {
        ".specfirst-manifest.json",
        "openapi.json",
        "openapi.yaml",
        "routers/items.py",
        "services.py",
    }
    assert "5 file(s) written" not in proc.stderr  # the manifest is not counted as a package file
    assert "4 file(s) written" in proc.stderr


def test_force_regenerates_without_rewriting_identical_files(tmp_path: Path) -> None:
    write(tmp_path / "api.yaml", GOOD)
    assert specfirst(tmp_path, "generate", "api.yaml", "-o", "out", "--no-cache").returncode == 0
    before = snapshot(tmp_path / "out")
    proc = specfirst(tmp_path, "generate", "api.yaml", "-o", "out", "--no-cache", "--force")
    assert proc.returncode == 0
    assert "0 file(s) written" in proc.stderr
    assert snapshot(tmp_path / "out") == before


@pytest.mark.parametrize("where", ["hand_written.py", "sub/helpers.py"])
def test_refuses_to_write_into_a_folder_with_hand_written_code(tmp_path: Path, where: str) -> None:
    write(tmp_path / "api.yaml", GOOD)
    write(tmp_path / "out" / where, "def mine() -> int:\n    return 1\n")
    proc = specfirst(tmp_path, "generate", "api.yaml", "-o", "out", "--no-cache")
    assert proc.returncode == 1
    assert sorted(
        p.relative_to(tmp_path / "out").as_posix()
        for p in (tmp_path / "out").rglob("*")
        if p.is_file()
    ) == [where]
    assert proc.stderr.splitlines()[0] == (
        f"output: refusing to write into out: it holds files specfirst did not generate (out/{where}); "
        "choose another --output"
    )


LENIENT = """
openapi: 3.1.0
info: {title: Lenient, version: '1'}
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - {name: flag, in: query, schema: {type: boolean, default: 'no'}}
      responses:
        '204': {description: done}
"""


def test_validation_rule_levels_come_from_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "api.yaml", LENIENT)
    base = '[tool.specfirst]\nspec = "api.yaml"\noutput = "out"\n'
    warning = (
        'api.yaml:8:59: invalid-default: invalid default: expected boolean, got string "no";'
        " the default is dropped from the generated code"
    )
    write(tmp_path / "pyproject.toml", base)
    lenient = specfirst(tmp_path, "validate", "--no-cache")
    assert lenient.returncode == 0, lenient.stderr
    assert lenient.stderr.splitlines()[:2] == [warning, "0 error(s), 1 warning(s)"]

    write(
        tmp_path / "pyproject.toml", base + '[tool.specfirst.validate]\ninvalid-default = "error"\n'
    )
    strict = specfirst(tmp_path, "generate", "--no-cache")
    assert strict.returncode == 1
    assert strict.stderr.splitlines()[:2] == [warning, "1 error(s), 0 warning(s)"]
    assert not (tmp_path / "out").exists()

    write(tmp_path / "pyproject.toml", base + '[tool.specfirst.validate]\nunresolved-ref = "off"\n')
    refused = specfirst(tmp_path, "validate", "--no-cache")
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[0] == (
        "validate-config: pyproject.toml [tool.specfirst.validate]: unresolved-ref cannot be"
        " lowered: a $ref that names nothing makes the contract ambiguous, so it stays an error"
    )


def test_a_project_without_an_implementation_package_does_not_import_the_scaffolder(
    tmp_path: Path,
) -> None:
    """After a generation the CLI names the operations the implementation lacks; with no
    implementation package there is nothing to name, and the scaffolder (its examples and
    templates) is not imported."""
    write(tmp_path / "api.yaml", GOOD)
    script = (
        "import sys\n"
        "from specfirst.cli import main\n"
        "code = main(['generate', 'api.yaml', '-o', 'out', '--quiet'])\n"
        "print(code, 'specfirst.scaffold' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "False"]
