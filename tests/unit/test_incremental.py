"""What makes a one-line spec edit regenerate in about a second on a big spec.

- validation is reused when only prose (description, summary, title) changed, and its
  diagnostics are located again in the edited text;
- the served YAML is assembled from cached pieces, only changed ones dumped again, with the
  same bytes as one dump of the whole document;
- a JSON location is found by walking the text along its pointer, not by indexing it all.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from specfirst.loader import load_spec, yaml_dump
from specfirst.loader.positions import _JsonPointerFinder, _JsonPositions
from specfirst.validate import run as validate_run
from specfirst.validation import validate

SPEC = """\
openapi: 3.0.3
info:
  title: Shelf
  version: "1"
  description: One line.
paths:
  /books:
    get:
      operationId: listBooks
      summary: List books
      description: All of them.
      parameters:
        - name: limit
          in: query
          schema: {type: integer, default: "ten"}
      responses:
        "200":
          description: The books.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Book"}
              example: {id: 1, description: short}
  /books/{id}:
    delete:
      operationId: deleteBook
      description: Remove it.
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
components:
  schemas:
    Book:
      type: object
      description: A book.
      required: [id]
      properties:
        id: {type: integer}
        description: {type: string, maxLength: 10}
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "api.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, SPEC)
    return tmp_path


def _validations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = validate_run.validate_uncached

    def counting(spec: Any, units: Any = None) -> Any:
        calls.append(str(spec.path))
        return real(spec, units)

    monkeypatch.setattr(validate_run, "validate_uncached", counting)
    return calls


_VALIDATE = validate_run.validate_uncached  # not counted by _validations


def _fresh(path: str) -> list[str]:
    return [d.format() for d in _VALIDATE(load_spec(path)).diagnostics]


def _cached(path: str, cache: Path) -> list[str]:
    return [d.format() for d in validate(load_spec(path), cache_dir=cache)]


def test_prose_edit_reuses_validation_and_locates_again(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _validations(monkeypatch)
    first = _cached("api.yaml", project / "cache")
    assert calls == ["api.yaml"]
    assert any("invalid-default" in line for line in first)
    assert any("missing required property 'responses'" in line for line in first)
    # Three lines longer, above every diagnostic: each must move down by two lines.
    edited = SPEC.replace(
        "  description: One line.\n", "  description: |\n    Now\n    three lines.\n"
    ).replace("summary: List books", "summary: List every book")
    _write(project, edited)
    again = _cached("api.yaml", project / "cache")
    assert calls == ["api.yaml"], "validated again after a prose-only edit"
    assert again == _fresh("api.yaml")
    assert again != first
    # A second prose edit differs from the validated document in prose only too: reused.
    _write(project, edited.replace("description: All of them.", "description: Every one."))
    assert _cached("api.yaml", project / "cache") == _fresh("api.yaml")
    assert calls == ["api.yaml"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # not prose: a type
        ("id: {type: integer}", "id: {type: string}"),
        # prose-looking text inside an example is data (it is checked against the schema)
        ("example: {id: 1, description: short}", "example: {id: 1, description: far too long}"),
        # a property called "description" is a schema, not prose
        (
            "description: {type: string, maxLength: 10}",
            "description: {type: string, maxLength: 11}",
        ),
        # prose inside what a diagnostic reports on (the operation has no responses)
        ("description: Remove it.", "description: Remove the book."),
    ],
)
def test_other_edits_validate_again(
    project: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str
) -> None:
    calls = _validations(monkeypatch)
    _cached("api.yaml", project / "cache")
    assert old in SPEC
    _write(project, SPEC.replace(old, new))
    assert _cached("api.yaml", project / "cache") == _fresh("api.yaml")
    assert calls == ["api.yaml", "api.yaml"]


def test_a_damaged_snapshot_only_costs_a_validation(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _validations(monkeypatch)
    _cached("api.yaml", project / "cache")
    (project / "cache" / "last.snapshot").write_text('{"context": [', encoding="utf-8")
    _write(project, SPEC.replace("One line.", "Another line."))
    assert _cached("api.yaml", project / "cache") == _fresh("api.yaml")
    assert len(calls) == 2


# --------------------------------------------------------------------------- served YAML

WEBHOOKS = """\
openapi: 3.1.0
info: {title: Hooks, version: "1"}
paths: {}
webhooks:
  newBook:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, description: "LONG_A"}
      responses:
        "200": {description: ok}
components:
  schemas:
    Long:
      description: "LONG_B"
      type: string
  x-odd section: {a: 1}
  responses: {}
  parameters:
    p: {name: p, in: query, schema: {type: string}}
""".replace("LONG_A", "word " * 40).replace("LONG_B", "another " * 30)


@pytest.mark.parametrize(
    "spec",
    [
        Path(__file__).parents[2] / "specs" / "api.yaml",
        Path(__file__).parents[2]
        / "generator"
        / "specfirst"
        / "init"
        / "example"
        / "specs"
        / "api.yaml",
        "webhooks",
    ],
    ids=["reference", "init-example", "webhooks"],
)
def test_yaml_pieces_give_the_bytes_of_one_dump(tmp_path: Path, spec: Path | str) -> None:
    path = _write(tmp_path, WEBHOOKS) if spec == "webhooks" else spec
    assert isinstance(path, Path)
    loaded = load_spec(path)
    whole = loaded.dump_yaml()
    assert loaded.dump_yaml(tmp_path / "cache") == whole  # cold: every piece dumped
    assert loaded.dump_yaml(tmp_path / "cache") == whole  # warm: every piece read back


@pytest.mark.parametrize(
    "spec",
    [Path(__file__).parents[2] / "specs" / "api.yaml", "webhooks", "odd"],
    ids=["reference", "webhooks", "odd"],
)
def test_the_json_assembled_from_pieces_is_one_dumps(tmp_path: Path, spec: Path | str) -> None:
    if spec == "odd":  # non-ASCII, a section that is no mapping, a top-level list
        spec = _write(
            tmp_path, WEBHOOKS.replace("LONG_A", "caf\u00e9 \u2603") + "tags: [{name: t}]\n"
        )
        spec.write_text(
            spec.read_text(encoding="utf-8").replace("responses: {}", "responses: [1]"), "utf-8"
        )
    elif spec == "webhooks":
        spec = _write(tmp_path, WEBHOOKS)
    assert isinstance(spec, Path)
    loaded = load_spec(spec, unchanged=True)
    whole = json.dumps(loaded.document, ensure_ascii=False, separators=(",", ":"))
    assert loaded.dump_json().decode() == whole
    assert loaded.json_pieces() is loaded.json_pieces()  # dumped once


def test_json_pieces_are_none_for_what_json_cannot_hold(tmp_path: Path) -> None:
    dated = load_spec(
        _write(tmp_path, SPEC.replace('version: "1"', "version: 1\n  x-d: !!binary aGk="))
    )
    assert dated.json_pieces() is None
    with pytest.raises(TypeError):
        dated.dump_json()  # as json.dumps itself says
    from specfirst.loader.json_pieces import JsonPieces

    numbered: dict[str, Any] = {"openapi": "3.1.0", "paths": {7: {}}}  # not from a loader
    assert JsonPieces.of(numbered) is None  # the key's text would not be the dump's


def test_a_copy_with_a_repaired_document_dumps_only_what_changed(tmp_path: Path) -> None:
    from dataclasses import replace

    loaded = load_spec(_write(tmp_path, SPEC), unchanged=True)
    before = loaded.json_pieces()
    assert before is not None
    doc = dict(loaded.document)
    doc["paths"] = {**doc["paths"], "/books": {"get": {"responses": {}}}}
    copy = replace(loaded, document=doc)
    after = copy.json_pieces()
    assert after is not None
    item = doc["paths"]["/books/{id}"]
    assert after.text(("paths", "/books/{id}"), item) is before.text(("paths", "/books/{id}"), item)
    assert copy.dump_json().decode() == json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    assert (
        loaded.json_pieces() is not before
        or loaded.dump_json()
        == json.dumps(loaded.document, ensure_ascii=False, separators=(",", ":")).encode()
    )


def test_a_loaded_document_not_said_unchanged_is_dumped_as_it_is_now(tmp_path: Path) -> None:
    loaded = load_spec(_write(tmp_path, SPEC))
    loaded.dump_json()
    loaded.document["info"]["title"] = "Changed"
    assert json.loads(loaded.dump_json())["info"]["title"] == "Changed"


def _pieces_dumped(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    dumped: list[tuple[str, ...]] = []
    real = yaml_dump._yaml_piece

    def counting(keys: tuple[str, ...], value: Any) -> str:
        dumped.append(keys)
        return real(keys, value)

    monkeypatch.setattr(yaml_dump, "_yaml_piece", counting)
    return dumped


def test_only_changed_yaml_pieces_are_dumped_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dumped = _pieces_dumped(monkeypatch)
    spec = load_spec(_write(tmp_path, SPEC))
    spec.dump_yaml(tmp_path / "cache")
    assert ("paths", "/books") in dumped and ("components", "schemas", "Book") in dumped
    dumped.clear()
    spec.document["paths"]["/books"]["get"]["summary"] = "Changed"
    assert spec.dump_yaml(tmp_path / "cache") == spec.dump_yaml()
    assert dumped == [("paths", "/books")]


# --------------------------------------------------------------------------- JSON positions


def _pointers(node: Any, pointer: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    out = [pointer, (*pointer, "absent")]
    if isinstance(node, dict):
        for key, value in node.items():
            out.extend(_pointers(value, (*pointer, key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out.extend(_pointers(value, (*pointer, i)))
        out.append((*pointer, len(node)))
    return out


@pytest.mark.parametrize("indent", [None, 2, "\t"])
def test_json_pointer_walk_finds_what_the_full_index_finds(indent: int | str | None) -> None:
    doc = {
        "openapi": "3.1.0",
        "paths": {
            "/a/{id}": {"get": {"parameters": [{"name": "id"}, {"name": 'q"uote\\'}]}},
            "/é/b": {"x": [1, 2.5e3, [True, None, {}], []]},
        },
        'we"ird\n': {"": {"~1": "x"}},
    }
    text = json.dumps(doc, indent=indent, ensure_ascii=False)
    index = _JsonPositions(text)
    for pointer in _pointers(doc):
        finder = _JsonPointerFinder(text)
        assert finder.find(pointer) == index.find(pointer), pointer
        assert finder._index is None  # found by walking, not by indexing


def test_json_pointer_walk_hands_over_to_the_index_after_many_lookups() -> None:
    text = json.dumps({"a": [{"b": i} for i in range(50)]}, indent=1)
    finder = _JsonPointerFinder(text)
    index = _JsonPositions(text)
    for i in range(50):
        assert finder.find(("a", i, "b")) == index.find(("a", i, "b"))
    assert finder._index is not None


def test_json_spec_warning_is_located_without_indexing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_index(*_args: Any) -> None:
        raise AssertionError("the whole text was indexed")

    monkeypatch.setattr(_JsonPositions, "_scan", no_index)
    path = tmp_path / "api.json"
    path.write_text(json.dumps(_load_yaml(SPEC), indent=2), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    found = _fresh("api.json")
    assert any(line.startswith("api.json:") and "invalid-default" in line for line in found)


def _load_yaml(text: str) -> Any:
    import yaml

    return yaml.safe_load(textwrap.dedent(text))


# --------------------------------------------------------------------------- the pipeline


def test_a_description_edit_regenerates_without_validating_or_dumping_again(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from specfirst import pipeline

    valid = SPEC.replace(
        "      parameters:\n        - {name: id, in: path, required: true, schema: {type: integer}}\n",
        "      parameters:\n        - {name: id, in: path, required: true, schema: {type: integer}}\n"
        "      responses:\n        '204': {description: Gone.}\n",
    )
    _write(project, valid)
    calls = _validations(monkeypatch)
    dumped = _pieces_dumped(monkeypatch)
    first = pipeline.generate(Path("api.yaml"), project / "shelf_api", cache_dir=project / "cache")
    assert first.ok and calls == ["api.yaml"] and dumped
    dumped.clear()
    _write(project, valid.replace("description: All of them.", "description: Every book."))
    second = pipeline.generate(Path("api.yaml"), project / "shelf_api", cache_dir=project / "cache")
    assert second.ok
    assert calls == ["api.yaml"]  # validation reused
    assert dumped == [("paths", "/books")]  # one YAML piece dumped again
    rewritten = sorted(p.relative_to(project / "shelf_api").as_posix() for p in second.written)
    assert rewritten == ["openapi.json", "openapi.yaml", "routers/default.py", "services.py"]


def _holds(node: Any, target: object, depth: int = 4) -> bool:
    if node is target:
        return True
    if depth == 0:
        return False
    members = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    return any(_holds(v, target, depth - 1) for v in members)


def test_an_edit_dumps_each_piece_of_the_document_to_json_once(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The served JSON, the YAML pieces' keys, the validation units' keys and the validation
    snapshot read one dump of the document (GitHub's: 0.1-0.3 s of CPU each)."""
    import specfirst.loader
    from specfirst import pipeline

    valid = SPEC.replace(
        "      parameters:\n        - {name: id, in: path, required: true, schema: {type: integer}}\n",
        "      parameters:\n        - {name: id, in: path, required: true, schema: {type: integer}}\n"
        "      responses:\n        '204': {description: Gone.}\n",
    )
    _write(project, valid)
    first = pipeline.generate(Path("api.yaml"), project / "shelf_api", cache_dir=project / "cache")
    assert first.ok
    loaded: list[Any] = []
    real_load = specfirst.loader.load_spec

    def load(path: Path, **kwargs: Any) -> Any:
        loaded.append(real_load(path, **kwargs))
        return loaded[-1]

    encoded: list[Any] = []
    real_encode = json.JSONEncoder.encode

    def encode(self: json.JSONEncoder, o: Any) -> str:
        encoded.append(o)
        return real_encode(self, o)

    monkeypatch.setattr(specfirst.loader, "load_spec", load)
    monkeypatch.setattr(json.JSONEncoder, "encode", encode)
    _write(
        project,
        valid.replace(
            "{type: integer}}\n      responses", "{type: integer, minimum: 1}}\n      responses"
        ),
    )
    second = pipeline.generate(Path("api.yaml"), project / "shelf_api", cache_dir=project / "cache")
    assert second.ok and len(loaded) == 1
    for url in ("/books", "/books/{id}"):  # unchanged, and changed (validated again)
        item = loaded[0].document["paths"][url]
        assert sum(_holds(o, item) for o in encoded) == 1, url


def test_a_prose_edit_reads_back_only_the_changed_piece_of_the_last_document(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The validation snapshot is read back piece by piece: a piece whose JSON text is the
    same is not parsed (GitHub's whole document: 0.1 s of each edit)."""
    import re

    from specfirst import pipeline

    valid = SPEC.replace(
        "      parameters:\n        - {name: id, in: path, required: true, schema: {type: integer}}\n",
        "      parameters:\n        - {name: id, in: path, required: true, schema: {type: integer}}\n"
        "      responses:\n        '204': {description: Gone.}\n",
    )
    _write(project, valid)
    first = pipeline.generate(Path("api.yaml"), project / "shelf_api", cache_dir=project / "cache")
    assert first.ok
    calls = _validations(monkeypatch)
    parsed: list[str] = []
    real_loads = json.loads

    def loads(text: str | bytes, **kwargs: Any) -> Any:
        parsed.append(text.decode() if isinstance(text, bytes) else text)
        return real_loads(text, **kwargs)

    monkeypatch.setattr(json, "loads", loads)
    _write(project, valid.replace("description: All of them.", "description: Every book."))
    second = pipeline.generate(Path("api.yaml"), project / "shelf_api", cache_dir=project / "cache")
    assert second.ok and calls == []  # validation reused
    unchanged = re.compile(r'"operationId":\s*"deleteBook"')  # in /books/{id} only
    assert not [text[:80] for text in parsed if unchanged.search(text)]
    assert any('"operationId":"listBooks"' in text for text in parsed)  # the edited piece


def test_prose_edit_in_a_referenced_file_is_located_in_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    shutil.copytree(Path(__file__).parent / "fixtures" / "loader" / "multi", tmp_path / "multi")
    monkeypatch.chdir(tmp_path / "multi")
    task = Path("schemas/task.yaml")
    text = task.read_text(encoding="utf-8")
    text = text.replace("type: object\n", "type: object\ndescription: A task.\n", 1)
    text = text.replace(
        "  title:\n    type: string\n", "  title:\n    type: string\n    default: 7\n"
    )
    task.write_text(text, encoding="utf-8")
    calls = _validations(monkeypatch)
    first = _cached("api.yaml", tmp_path / "cache")
    assert any(line.startswith("schemas/task.yaml:") for line in first), first
    task.write_text(text.replace("description: A task.\n", "description: |\n  A\n  task.\n"))
    again = _cached("api.yaml", tmp_path / "cache")
    assert calls == ["api.yaml"]
    assert again == _fresh("api.yaml") and again != first


def test_a_prose_only_regeneration_imports_no_validator(project: Path) -> None:
    import subprocess
    import sys

    valid = SPEC.replace(
        "      parameters:\n        - {name: id, in: path, required: true, schema: {type: integer}}\n",
        "      parameters:\n        - {name: id, in: path, required: true, schema: {type: integer}}\n"
        "      responses:\n        '204': {description: Gone.}\n",
    )
    _write(project, valid)
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from specfirst import pipeline\n"
        "result = pipeline.generate(Path('api.yaml'), Path('out'), cache_dir=Path('cache'))\n"
        "assert result.ok, result.diagnostics\n"
        "heavy = sorted(m for m in ('openapi_spec_validator', 'jsonschema', 'fastapi')"
        " if m in sys.modules)\n"
        "print(' '.join(heavy) or '-')\n"
    )

    def run() -> str:
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=project, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert "openapi_spec_validator" in run()  # first run: validates
    _write(project, valid.replace("description: All of them.", "description: Every book."))
    assert run() == "-"  # prose only: neither the validator nor FastAPI is imported


def test_an_edit_that_leaves_the_ir_alone_renders_nothing(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A property added to a schema changes the models, not the IR: the templates' output is
    read back (keyed by the IR, header, templates and generator), byte for byte."""
    from specfirst import pipeline
    from specfirst.render import Renderer

    valid = SPEC.replace(
        "      parameters:\n        - {name: id, in: path, required: true, schema: {type: integer}}\n",
        "      parameters:\n        - {name: id, in: path, required: true, schema: {type: integer}}\n"
        "      responses:\n        '204': {description: Gone.}\n",
    )
    rendered: list[str] = []
    files = Renderer.files

    def counting(self: Renderer) -> Any:
        rendered.append(self.api.title)
        return files(self)

    monkeypatch.setattr(Renderer, "files", counting)
    _write(project, valid)
    out = project / "shelf_api"
    assert pipeline.generate(Path("api.yaml"), out, cache_dir=project / "cache").ok
    assert rendered == ["Shelf"]
    edited = valid.replace(
        "        id: {type: integer}\n",
        "        id: {type: integer}\n        pages: {type: integer}\n",
    )
    _write(project, edited)
    second = pipeline.generate(Path("api.yaml"), out, cache_dir=project / "cache")
    assert second.ok and rendered == ["Shelf"]  # not rendered again
    assert [p.name for p in second.written] == ["models.py", "openapi.json", "openapi.yaml"]
    cold = pipeline.generate(Path("api.yaml"), project / "cold", cache_dir=None)
    for path in sorted(cold.written):
        rel = path.relative_to(project / "cold")
        assert (out / rel).read_bytes() == path.read_bytes(), rel
    rendered.clear()
    # an operation added changes the IR: rendered again
    _write(
        project,
        edited.replace(
            "paths:\n",
            "paths:\n  /ping:\n    get:\n      responses:\n        '204': {description: Pong.}\n",
        ),
    )
    assert pipeline.generate(Path("api.yaml"), out, cache_dir=project / "cache").ok
    assert rendered == ["Shelf"]


def test_the_generator_is_read_once_per_process_and_user_templates_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from specfirst import pipeline

    first = pipeline.generator_fingerprint(None)
    read: list[Path] = []
    read_bytes = Path.read_bytes

    def counting(self: Path) -> bytes:
        read.append(self)
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    assert pipeline.generator_fingerprint(None) == first
    assert read == []
    (tmp_path / "router.py.jinja").write_text("one", encoding="utf-8")
    with_templates = pipeline.generator_fingerprint(tmp_path)
    (tmp_path / "router.py.jinja").write_text("two", encoding="utf-8")
    assert pipeline.generator_fingerprint(tmp_path) not in (first, with_templates)
    assert read == [tmp_path / "router.py.jinja"] * 2


def test_a_split_spec_resolves_each_referenced_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    shutil.copytree(Path(__file__).parent / "fixtures" / "loader" / "multi", tmp_path / "multi")
    before = load_spec(tmp_path / "multi" / "api.yaml")
    resolved: list[Path] = []
    resolve = Path.resolve

    def counting(self: Path, strict: bool = False) -> Path:
        resolved.append(self)
        return resolve(self, strict)

    compared: list[Path] = []
    is_relative_to = Path.is_relative_to

    def comparing(self: Path, *other: Any) -> bool:
        compared.append(self)
        return is_relative_to(self, *other)

    monkeypatch.setattr(Path, "resolve", counting)
    monkeypatch.setattr(Path, "is_relative_to", comparing)
    after = load_spec(tmp_path / "multi" / "api.yaml")
    assert after.document == before.document
    assert len(resolved) == len(set(resolved))
    # and compares it with the spec's folder then, not again for each $ref naming it (every
    # path resolved is a $ref's but the entry file's)
    assert compared and len(compared) == len(resolved) - 1


def test_the_ir_fingerprint_is_the_same_in_every_process(tmp_path: Path) -> None:
    """It keys the render cache: a set written in hash order would make every process miss."""
    import dataclasses
    import os
    import subprocess
    import sys

    from specfirst import ir

    sets = [
        f"{cls.__name__}.{f.name}"
        for cls in vars(ir).values()
        if isinstance(cls, type) and dataclasses.is_dataclass(cls)
        for f in dataclasses.fields(cls)
        if "set[" in str(f.type) or str(f.type).startswith(("set", "frozenset"))
    ]
    assert sets == ["Api.model_names"]  # written sorted by ir.fingerprint
    script = (
        "from pathlib import Path\n"
        "from specfirst.ir import fingerprint\n"
        "from specfirst.pipeline import build_api\n"
        f"api, _ = build_api(Path({str(Path(__file__).parents[2] / 'specs/api.yaml')!r}))\n"
        "print(fingerprint(api))\n"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1 and next(iter(digests)).strip()


def test_under_watch_only_the_edited_file_is_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from specfirst.loader import files

    shutil.copytree(Path(__file__).parent / "fixtures" / "loader" / "multi", tmp_path / "multi")
    entry = tmp_path / "multi" / "api.yaml"
    parsed: list[str] = []
    load_yaml = files._load_yaml

    def counting(text: str, display: str) -> Any:
        parsed.append(Path(display).name)
        return load_yaml(text, display)

    monkeypatch.setattr(files, "_load_yaml", counting)
    monkeypatch.setattr(files, "_PARSED", None)
    files.keep_parsed()
    first = load_spec(entry)
    assert len(parsed) == len(first.files) > 1
    parsed.clear()
    task = tmp_path / "multi" / "schemas" / "task.yaml"
    task.write_text(
        task.read_text(encoding="utf-8").replace("type: object\n", "type: object\ntitle: T\n", 1),
        encoding="utf-8",
    )
    again = load_spec(entry)
    assert parsed == ["task.yaml"]
    monkeypatch.setattr(files, "_PARSED", None)
    fresh = load_spec(entry)  # parses everything
    assert again.document == fresh.document != first.document
    assert again.locate(("components",)) == fresh.locate(("components",))


def test_templates_are_compiled_once_per_process_and_kept_between_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each Renderer has its own environment; compiling the templates again for each one (each
    save under ``--watch``, each process that renders) costs a tenth of a second. A template
    edited since is compiled again; the output is the same either way."""
    import jinja2

    from specfirst import render
    from specfirst.pipeline import build_api
    from specfirst.render import Renderer

    api, _ = build_api(Path(__file__).parents[2] / "specs/api.yaml")
    assert api is not None
    compiled: list[str | None] = []
    compile_template = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: Any, name: Any = None, *a: Any, **k: Any) -> Any:
        compiled.append(name)
        return compile_template(self, source, name, *a, **k)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    monkeypatch.setattr(render, "_COMPILED", {})
    plain = dict(Renderer(api, "# h").files())  # no folder: kept for the process
    assert compiled and len(compiled) == len(set(compiled))
    compiled.clear()
    assert dict(Renderer(api, "# h").files()) == plain
    assert compiled == []
    # another process: read back from the folder
    monkeypatch.setattr(render, "_COMPILED", {})
    folder = tmp_path / "compiled"
    first = dict(Renderer(api, "# h", compiled=folder).files())
    assert first == plain and compiled
    compiled.clear()
    monkeypatch.setattr(render, "_COMPILED", {})
    assert dict(Renderer(api, "# h", compiled=folder).files()) == plain
    assert compiled == []
    # a user template edited in between is compiled again, the others are not
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "init.py.jinja").write_text("{{ header }}\n# one\n", encoding="utf-8")
    assert dict(Renderer(api, "# h", templates, compiled=folder).files())["__init__.py"] == (
        "# h\n# one\n"
    )
    assert compiled == ["init.py.jinja"]
    compiled.clear()
    (templates / "init.py.jinja").write_text("{{ header }}\n# two\n", encoding="utf-8")
    assert dict(Renderer(api, "# h", templates, compiled=folder).files())["__init__.py"] == (
        "# h\n# two\n"
    )
    assert compiled == ["init.py.jinja"]


def test_a_tags_router_and_results_are_rendered_again_only_when_their_inputs_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an edit, each tag's router and results are read back unless what they are
    rendered from changed (the tag's IR, the names of its security requirements, the header,
    the generator): byte for byte what rendering gives."""
    import dataclasses

    import jinja2

    from specfirst.pipeline import build_api
    from specfirst.render import Renderer

    api, _ = build_api(Path(__file__).parents[2] / "specs/api.yaml")
    assert api is not None and len(api.services) > 2
    rendered: list[str] = []
    render_template = jinja2.Template.render

    def counting(self: jinja2.Template, *args: Any, **kwargs: Any) -> str:
        if self.name in ("router.py.jinja", "responses.py.jinja") and "service" in kwargs:
            rendered.append(f"{self.name} {kwargs['service'].tag}")
        return render_template(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", counting)
    folder = tmp_path / "tags"

    def render(api: Any, salt: str = "s", cache: Path | None = folder) -> dict[str, str]:
        renderer = Renderer(api, "# h", tag_cache=cache, salt=salt)
        files = dict(renderer.files())
        files.update(
            (f"responses/_{s.module}.py", text) for s, text, _n in renderer.responses_by_tag()
        )
        return files

    plain = render(api, cache=None)
    rendered.clear()
    assert render(api) == plain
    assert len(rendered) == 2 * len(api.services)
    rendered.clear()
    assert render(api) == plain and rendered == []  # all read back

    # one operation of one tag changed: that tag's files only, as a render without the cache
    service = api.services[1]
    op = dataclasses.replace(service.operations[0], summary="Edited.", description="Edited.")
    edited = dataclasses.replace(
        api,
        services=tuple(
            dataclasses.replace(s, operations=(op, *s.operations[1:])) if s is service else s
            for s in api.services
        ),
    )
    fresh = render(edited, cache=None)
    rendered.clear()
    assert render(edited) == fresh != plain
    assert sorted(rendered) == [
        f"responses.py.jinja {service.tag}",
        f"router.py.jinja {service.tag}",
    ]

    # the name of a security requirement changed (another tag's requirement took it): its
    # routers are rendered again, under the new name
    secured = next(s for s in api.services if any(o.secured for o in s.operations))
    original = Renderer.__init__

    def renamed(self: Renderer, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        for key, name in self.requirement_names.items():
            self.requirement_names[key] = f"{name}_renamed"

    monkeypatch.setattr(Renderer, "__init__", renamed)
    rendered.clear()
    with_names = render(api)
    assert f"router.py.jinja {secured.tag}" in rendered
    assert "_renamed" in with_names[f"routers/{secured.module}.py"]
    assert with_names == render(api, cache=None)
    monkeypatch.setattr(Renderer, "__init__", original)

    # another generator (code or templates): everything rendered again
    rendered.clear()
    assert render(api, salt="other") == plain
    assert len(rendered) == 2 * len(api.services)


def test_a_tags_template_reads_no_more_than_its_key_holds(tmp_path: Path) -> None:
    """The package's own templates of a tag's files are given the tag, not the whole API: a
    template reading ``api`` fails instead of being read back stale. A user's templates get
    ``api`` as every template does, and are not cached by tag."""
    import jinja2

    from specfirst.pipeline import build_api
    from specfirst.render import Renderer

    api, _ = build_api(Path(__file__).parents[2] / "specs/api.yaml")
    assert api is not None
    renderer = Renderer(api, "# h", tag_cache=tmp_path / "tags")
    probe = jinja2.DictLoader({"probe.jinja": "{{ service.tag }} {{ api.title }}"})
    assert renderer.env.loader is not None
    renderer.env.loader = jinja2.ChoiceLoader([probe, renderer.env.loader])
    with pytest.raises(jinja2.UndefinedError):
        renderer._tag_file("probe.jinja", api.services[0])
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "router.py.jinja").write_text("{{ api.title }} {{ service.tag }}\n")
    user = Renderer(api, "# h", templates, tag_cache=tmp_path / "user-tags")
    files = dict(user.files())
    service = api.services[0]
    assert files[f"routers/{service.module}.py"] == f"{api.title} {service.tag}\n"
    assert not (tmp_path / "user-tags").exists()
