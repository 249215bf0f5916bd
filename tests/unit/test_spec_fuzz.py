"""A bad spec, however bad, ends in a located diagnostic and exit 1, within seconds.

Mutations of a small valid spec (truncation, wrong types, dangling and cyclic refs, refs
outside the spec folder, huge and deeply nested files, invalid UTF-8, YAML alias bombs,
duplicate keys) go through ``specfirst validate`` and ``specfirst generate``. Each run is a
child process with a 10 s limit: a hang is a failure, so is a traceback, an "internal error"
(exit 70), any other exit code than 1, or no ``file:line:col: rule: message`` line.

The children are forked from this process once the generator is imported, so each starts in
milliseconds and the whole file stays well under a minute. The mutations are drawn from a
fixed seed: a failure names its case, and reruns the same.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import random
import re
import signal
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

LIMIT = 10.0  # seconds per command
SEED = 13

BASE = textwrap.dedent(
    """
    openapi: 3.1.0
    info:
      title: "Fuzz \\"target\\""
      version: "1.0"
    paths:
      /pets/{petId}:
        get:
          operationId: getPet
          summary: "Fetch one pet, by its id"
          parameters:
            - {name: petId, in: path, required: true, schema: {type: integer}}
            - {name: verbose, in: query, schema: {type: boolean, default: false}}
          responses:
            "200":
              description: "The pet"
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Pet"}
            "404": {$ref: "#/components/responses/NotFound"}
      /pets:
        post:
          operationId: createPet
          requestBody:
            required: true
            content:
              application/json:
                schema: {$ref: "#/components/schemas/Pet"}
          responses:
            "201": {description: "Created"}
    components:
      responses:
        NotFound: {description: "No such pet"}
      schemas:
        Pet:
          type: object
          required: [name]
          properties:
            name: {type: string, maxLength: 64}
            tag: {type: string, description: "A \\"tag\\", free text"}
            owner: {$ref: "#/components/schemas/Owner"}
        Owner:
          type: object
          properties:
            email: {type: string, format: email}
    """
).lstrip()

LOCATED = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): (?P<rule>[a-z0-9-]+): \S")


@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, bytes]  # relative to the case folder; the entry is specs/api.(yaml|json)
    entry: str = "specs/api.yaml"
    rule: str | None = None  # the rule that must be among the diagnostics, where it is known


def _yaml(doc: Any) -> bytes:
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True).encode()


def _base() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load(BASE)
    return doc


def _mutated(path: tuple[str | int, ...], value: Any) -> bytes:
    doc = _base()
    node: Any = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return _yaml(doc)


def _truncations(rng: random.Random) -> Iterator[Case]:
    text = json.dumps(_base(), indent=2).encode()
    for n, cut in enumerate(sorted(rng.sample(range(1, len(text) - 1), 6))):
        yield Case(f"truncated-json-{n}", {"specs/api.json": text[:cut]}, "specs/api.json")
    # YAML is forgiving: most prefixes are YAML. A cut inside a quoted scalar never is.
    raw = BASE.encode()
    inside = [
        m.start() + 1 + rng.randrange(max(1, len(m.group()) - 2))
        for m in re.finditer(rb'"[^"\n]{4,}"', raw)
    ]
    for n, cut in enumerate(sorted(rng.sample(inside, 4))):
        yield Case(f"truncated-yaml-{n}", {"specs/api.yaml": raw[:cut]})


def _wrong_types() -> Iterator[Case]:
    mutations: list[tuple[tuple[str | int, ...], Any]] = [
        (("paths",), 5),
        (("info",), ["not", "a", "mapping"]),
        (("openapi",), 3.1),
        (("paths", "/pets/{petId}", "get", "parameters"), {"name": "petId"}),
        (("paths", "/pets/{petId}", "get", "responses"), "none"),
        (("paths", "/pets/{petId}", "get", "operationId"), ["a", 1]),
        (("components", "schemas", "Pet", "properties"), ["name"]),
        (("components", "schemas", "Pet", "type"), {"type": "object"}),
        (("components", "schemas", "Pet", "required"), "name"),
        (("paths", "/pets", "post", "requestBody", "content"), None),
    ]
    for n, (path, value) in enumerate(mutations):
        yield Case(
            f"wrong-type-{n}-{'.'.join(map(str, path[-2:]))}",
            {"specs/api.yaml": _mutated(path, value)},
        )
    yield Case("root-is-a-list", {"specs/api.yaml": b"- openapi: 3.1.0\n"})
    yield Case("empty-file", {"specs/api.yaml": b""})


def _refs() -> Iterator[Case]:
    owner = ("components", "schemas", "Pet", "properties", "owner")
    yield Case(
        "dangling-internal-ref",
        {"specs/api.yaml": _mutated(owner, {"$ref": "#/components/schemas/Nope"})},
    )
    yield Case("dangling-file-ref", {"specs/api.yaml": _mutated(owner, {"$ref": "owner.yaml"})})
    yield Case(
        "dangling-pointer-in-file",
        {
            "specs/api.yaml": _mutated(owner, {"$ref": "owner.yaml#/Nope"}),
            "specs/owner.yaml": b"Owner: {type: object}\n",
        },
    )
    doc = _base()
    doc["components"]["schemas"]["Owner"] = {"$ref": "#/components/schemas/Alias"}
    doc["components"]["schemas"]["Alias"] = {"$ref": "#/components/schemas/Owner"}
    yield Case("cyclic-internal-refs", {"specs/api.yaml": _yaml(doc)}, rule="unresolved-ref")
    yield Case(
        "cyclic-file-refs",
        {
            "specs/api.yaml": _mutated(
                ("paths", "/pets", "post", "responses", "201"), {"$ref": "a.yaml"}
            ),
            "specs/a.yaml": b"$ref: b.yaml\n",
            "specs/b.yaml": b"$ref: a.yaml\n",
        },
        rule="ref-cycle",
    )
    yield Case(
        "ref-outside-the-spec-folder",
        {
            "specs/api.yaml": _mutated(owner, {"$ref": "../outside.yaml"}),
            "outside.yaml": b"type: object\n",
        },
        rule="ref-outside-spec-folder",
    )
    yield Case(
        "ref-to-an-absolute-path",
        {"specs/api.yaml": _mutated(owner, {"$ref": "/etc/passwd"})},
        rule="ref-outside-spec-folder",
    )
    yield Case(
        "remote-ref", {"specs/api.yaml": _mutated(owner, {"$ref": "http://127.0.0.1:9/x.yaml"})}
    )
    yield Case("ref-chain-3000", {"specs/api.yaml": _ref_chain(3000)}, rule="ref-chain-too-long")
    loop = _base()  # a loop as long: every ref in it is a target, none starts it
    schemas = loop["components"]["schemas"]
    for i in range(3000):
        schemas[f"L{i}"] = {"$ref": f"#/components/schemas/L{(i + 1) % 3000}"}
    yield Case("ref-loop-3000", {"specs/api.yaml": _yaml(loop)}, rule="ref-chain-too-long")
    nested = _base()  # Owner has a property that is a $ref to Owner1, which has one to ...
    schemas = nested["components"]["schemas"]
    for i in range(1, 3001):
        schemas[f"Owner{i}"] = {
            "type": "object",
            "properties": {"next": {"$ref": f"#/components/schemas/Owner{i + 1}"}},
        }
    schemas["Owner3001"] = {"type": "object"}
    schemas["Owner"]["properties"]["next"] = {"$ref": "#/components/schemas/Owner1"}
    yield Case(
        "ref-nesting-3000",
        {"specs/api.json": json.dumps(nested).encode()},
        "specs/api.json",
        "ref-nesting-too-deep",
    )


def _ref_chain(n: int) -> bytes:
    """The base spec with Owner reached through ``n`` schemas that are each a bare $ref to the
    next (``n + 1`` refs from Pet's ``owner``, the first)."""
    doc = _base()
    schemas = doc["components"]["schemas"]
    schemas["Owner0"] = schemas.pop("Owner")
    schemas["Pet"]["properties"]["owner"] = {"$ref": "#/components/schemas/Owner1"}
    for i in range(1, n + 1):
        schemas[f"Owner{i}"] = {"$ref": f"#/components/schemas/Owner{i + 1 if i < n else 0}"}
    return _yaml(doc)


def _big_and_broken() -> Iterator[Case]:
    text = BASE.replace(  # ~10 MB of text, and an operation whose responses are a string
        '  version: "1.0"\n',
        '  version: "1.0"\n  description: "' + "lorem ipsum " * 800_000 + '"\n',
    ).replace(
        '      responses:\n        "201": {description: "Created"}',
        "      responses: none",
    )
    yield Case("huge-file", {"specs/api.yaml": text.encode()})
    many = _base()
    for i in range(3000):
        many["paths"][f"/p{i}"] = {
            "get": {"operationId": f"op{i}", "responses": {"200": {"description": "ok"}}}
        }
    many["paths"]["/p2999"]["get"]["operationId"] = "op0"
    yield Case("many-operations", {"specs/api.json": json.dumps(many).encode()}, "specs/api.json")
    yield Case(
        "deep-json",
        {"specs/api.json": b'{"openapi": "3.1.0", "x": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"},
        "specs/api.json",
    )
    yield Case(
        "deep-yaml",
        {"specs/api.yaml": b"openapi: 3.1.0\nx: " + b"[" * 50_000 + b"]" * 50_000 + b"\n"},
    )


def _numbers() -> Iterator[Case]:
    """Integers with more digits than Python converts (4,300 by default), as a bound."""
    digits = "9" * 5000
    text = BASE.replace(
        "{name: petId, in: path, required: true, schema: {type: integer}}",
        f"{{name: petId, in: path, required: true, schema: {{type: integer, maximum: {digits}}}}}",
    )
    yield Case("integer-of-5000-digits", {"specs/api.yaml": text.encode()}, rule="number-too-large")
    body = json.dumps(_base(), indent=1).replace('"maxLength": 64', f'"maxLength": -{digits}')
    yield Case(
        "integer-of-5000-digits-json",
        {"specs/api.json": body.encode()},
        "specs/api.json",
        "number-too-large",
    )


def _encodings() -> Iterator[Case]:
    raw = BASE.encode()
    at = raw.index(b"Fetch one pet")
    yield Case(
        "invalid-utf8",
        {"specs/api.yaml": raw[:at] + b"\xff\xfe" + raw[at:]},
        rule="unreadable-file",
    )
    yield Case("utf16-file", {"specs/api.yaml": BASE.encode("utf-16")})
    yield Case(
        "invalid-utf8-in-a-referenced-file",
        {
            "specs/api.yaml": _mutated(
                ("components", "schemas", "Pet", "properties", "owner"), {"$ref": "owner.yaml"}
            ),
            "specs/owner.yaml": b'type: object\ndescription: "caf\xe9"\n',
        },
    )


def _aliases() -> Iterator[Case]:
    lines = ["openapi: 3.1.0", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{','.join([f'*{prev}'] * 9)}]")
    yield Case(
        "billion-laughs",
        {"specs/api.yaml": ("\n".join(lines) + "\n").encode()},
        rule="yaml-alias-limit",
    )
    yield Case(
        "recursive-alias",
        {"specs/api.yaml": BASE.encode() + b"x-loop: &loop [1, *loop]\n"},
        rule="yaml-alias-limit",
    )
    wide = (
        "openapi: 3.1.0\nx-a: &x "
        + json.dumps(["v" * 10] * 2000)
        + "\nx-b: ["
        + ", ".join(["*x"] * 1000)
        + "]\n"
    )
    yield Case("wide-alias-bomb", {"specs/api.yaml": wide.encode()}, rule="yaml-alias-limit")


def _duplicates() -> Iterator[Case]:
    text = BASE.replace("  /pets:\n", "  /pets/{petId}:\n")
    yield Case("duplicate-path", {"specs/api.yaml": text.encode()}, rule="duplicate-key")
    text = BASE.replace("        tag: {type: string", "        name: {type: string")
    yield Case("duplicate-property", {"specs/api.yaml": text.encode()}, rule="duplicate-key")
    text = BASE.replace("info:\n", 'info:\n  version: "2"\n', 1)
    yield Case("duplicate-in-info", {"specs/api.yaml": text.encode()}, rule="duplicate-key")
    flow = BASE.replace("{name: petId, in: path,", "{name: petId, in: path, in: query,")
    yield Case("duplicate-in-flow-mapping", {"specs/api.yaml": flow.encode()}, rule="duplicate-key")
    body = json.dumps(_base(), indent=1)
    body = body.replace(
        '"operationId": "createPet"', '"operationId": "createPet", "operationId": "other"'
    )
    yield Case(
        "duplicate-json-key", {"specs/api.json": body.encode()}, "specs/api.json", "duplicate-key"
    )


def cases() -> list[Case]:
    rng = random.Random(SEED)
    return [
        *_truncations(rng),
        *_wrong_types(),
        *_refs(),
        *_big_and_broken(),
        *_numbers(),
        *_encodings(),
        *_aliases(),
        *_duplicates(),
    ]


# --------------------------------------------------------------------------- running


def _child(argv: list[str], folder: str, err_path: str) -> None:
    os.setpgrp()  # its own group: a timeout also kills a models worker it may have started
    os.chdir(folder)
    with open(err_path, "w", encoding="utf-8") as err:
        os.dup2(err.fileno(), 2)
        os.dup2(err.fileno(), 1)
        sys.stderr = sys.stdout = err
        from specfirst.cli import main

        code = main(argv)
        err.flush()
    os._exit(code)


def run_cli(argv: list[str], folder: Path, limit: float = LIMIT) -> tuple[int | None, str]:
    """``specfirst ARGV`` in ``folder``, in a forked child: (exit code or None on timeout, output)."""
    err_path = folder / f".out-{argv[0]}.txt"
    process = multiprocessing.get_context("fork").Process(
        target=_child, args=(argv, str(folder), str(err_path))
    )
    process.start()
    assert process.pid is not None
    process.join(limit)
    if process.is_alive():
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.join()
        return None, err_path.read_text(encoding="utf-8", errors="replace")
    return process.exitcode, err_path.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module", autouse=True)
def warm() -> None:
    """Import what the commands import, once, so every forked child starts warm."""
    import specfirst.cli
    import specfirst.pipeline
    import specfirst.validate.run

    specfirst.cli.build_parser()


def _write(root: Path, case: Case) -> None:
    for rel, data in case.files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


CASES = cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_spec_ends_in_a_located_diagnostic(case: Case, tmp_path: Path) -> None:
    _write(tmp_path, case)
    for argv in (
        ["validate", "--no-cache", case.entry],
        ["generate", "--no-cache", "--force", case.entry, "-o", "out"],
    ):
        code, output = run_cli(argv, tmp_path)
        command = f"specfirst {' '.join(argv)} [{case.id}]"
        assert code is not None, f"{command}: no answer within {LIMIT:.0f} s"
        assert "Traceback" not in output and "internal error" not in output, f"{command}:\n{output}"
        assert code == 1, f"{command}: exit {code}\n{output}"
        located = [m for m in map(LOCATED.match, output.splitlines()) if m]
        assert located, f"{command}: no file:line:col: rule: message line in\n{output[:2000]}"
        for m in located:
            assert (tmp_path / m["file"]).is_file(), f"{command}: names no real file: {m.group()}"
            assert int(m["line"]) >= 1 and int(m["col"]) >= 1
        if case.rule is not None:
            assert case.rule in {m["rule"] for m in located}, (
                f"{command}: no {case.rule}:\n{output}"
            )
        assert not (tmp_path / "out").exists(), f"{command}: wrote output for a bad spec"


def test_the_base_spec_is_valid(tmp_path: Path) -> None:
    """The mutations start from a valid spec, so each one's error is the mutation's."""
    _write(tmp_path, Case("base", {"specs/api.yaml": BASE.encode()}))
    code, output = run_cli(["validate", "--no-cache", "specs/api.yaml"], tmp_path)
    assert code == 0, output


def test_every_kind_of_mutation_is_covered() -> None:
    ids = " ".join(c.id for c in CASES)
    for kind in (
        "truncated-json",
        "truncated-yaml",
        "wrong-type",
        "dangling",
        "cyclic",
        "outside",
        "huge",
        "deep",
        "utf8",
        "laughs",
        "alias",
        "duplicate",
        "ref-chain",
        "ref-loop",
        "ref-nesting",
        "digits",
    ):
        assert kind in ids, kind


def _located_rules(output: str) -> set[str]:
    return {m["rule"] for m in map(LOCATED.match, output.splitlines()) if m}


def test_every_command_refuses_a_long_ref_chain_with_a_located_error(tmp_path: Path) -> None:
    """Every command that follows refs starts from the loader, which refuses the chain."""
    _write(tmp_path, Case("chain", {"specs/api.yaml": _ref_chain(3000)}))
    _write(tmp_path, Case("base", {"specs/base.yaml": BASE.encode()}))
    for argv in (
        ["lint", "specs/api.yaml"],
        ["docs", "specs/api.yaml", "-o", "site"],
        ["diff", "specs/base.yaml", "specs/api.yaml"],
        ["diff", "specs/api.yaml", "specs/base.yaml"],
    ):
        code, output = run_cli(argv, tmp_path)
        command = f"specfirst {' '.join(argv)}"
        assert code is not None, f"{command}: no answer within {LIMIT:.0f} s"
        assert "Traceback" not in output and code == 1, f"{command}: exit {code}\n{output}"
        assert "specs/api.yaml:" in output and "ref-chain-too-long" in _located_rules(output), (
            f"{command}:\n{output}"
        )


def test_a_ref_chain_as_long_as_the_limit_is_valid_and_one_longer_is_not(tmp_path: Path) -> None:
    from specfirst.loader.chains import MAX_REF_CHAIN

    for refs, expected in ((MAX_REF_CHAIN, 0), (MAX_REF_CHAIN + 1, 1)):
        folder = tmp_path / str(refs)
        _write(folder, Case("chain", {"specs/api.yaml": _ref_chain(refs - 1)}))
        code, output = run_cli(["validate", "--no-cache", "specs/api.yaml"], folder)
        assert code == expected, f"{refs} refs: exit {code}\n{output}"
        if expected:
            assert _located_rules(output) == {"ref-chain-too-long"}, output
            assert f"a chain of {refs} $refs" in output, output


def test_ref_chains_are_measured_with_one_step_per_distinct_ref() -> None:
    """Linear time: however the chains are shaped, each distinct ref is followed once (a
    chain of 3,000 used to be followed from each of its refs: 4.5 million steps)."""
    from specfirst.loader.chains import _next_ref, ref_chain_lengths

    n = 20_000
    schemas: dict[str, Any] = {
        f"S{i}": {"$ref": f"#/components/schemas/S{i + 1}"} for i in range(n)
    }
    schemas[f"S{n}"] = {"type": "object"}
    for i in range(n):  # a loop of n refs beside it
        schemas[f"L{i}"] = {"$ref": f"#/components/schemas/L{(i + 1) % n}"}
    doc = {"components": {"schemas": schemas}}
    steps: list[str] = []

    def step(d: Any, ref: str) -> str | None:
        steps.append(ref)
        return _next_ref(d, ref)

    refs = [f"#/components/schemas/{name}" for name in reversed(schemas)]  # ends first, and
    refs += [f"#/components/schemas/S{i}" for i in range(0, n, 7)]  # again, from the middle
    lengths = ref_chain_lengths(doc, refs, step)
    assert len(steps) == len(set(steps)) == 2 * n + 1
    assert lengths["#/components/schemas/S0"] == n + 1
    assert lengths[f"#/components/schemas/S{n}"] == 1
    assert lengths["#/components/schemas/L0"] == lengths["#/components/schemas/L7"] == n


def test_ref_nesting_is_measured_once_per_ref_and_recursion_ends_it() -> None:
    from specfirst.loader.chains import MAX_REF_NESTING, ref_nesting_depths

    def ref(name: str) -> dict[str, str]:
        return {"$ref": f"#/components/schemas/{name}"}

    schemas: dict[str, Any] = {
        f"N{i}": {"type": "object", "properties": {"a": ref(f"N{i + 1}"), "b": ref("Tree")}}
        for i in range(5000)
    }
    schemas["N5000"] = {"type": "object"}
    schemas["Tree"] = {"type": "object", "properties": {"kids": {"items": ref("Tree")}}}
    doc = {"components": {"schemas": schemas}}
    depths = ref_nesting_depths(doc, [f"#/components/schemas/{n}" for n in schemas])
    assert depths["#/components/schemas/N0"] == 5001 > MAX_REF_NESTING
    assert depths["#/components/schemas/N4999"] == 2
    assert depths["#/components/schemas/Tree"] == 1  # a recursive schema is one level


@pytest.mark.parametrize("kind", ["fifo", "directory"])
def test_a_ref_to_what_is_not_a_regular_file_is_a_located_error(kind: str, tmp_path: Path) -> None:
    """Reading a FIFO waits for a writer forever: run_cli's time limit turns a regression
    into a failure, not a hung test run."""
    owner = ("components", "schemas", "Pet", "properties", "owner")
    _write(tmp_path, Case(kind, {"specs/api.yaml": _mutated(owner, {"$ref": "owner.yaml"})}))
    target = tmp_path / "specs" / "owner.yaml"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.mkdir()
    for argv in (
        ["validate", "--no-cache", "specs/api.yaml"],
        ["generate", "--no-cache", "--force", "specs/api.yaml", "-o", "out"],
        ["lint", "specs/api.yaml"],
    ):
        code, output = run_cli(argv, tmp_path)
        command = f"specfirst {' '.join(argv)} [{kind}]"
        assert code is not None, f"{command}: no answer within {LIMIT:.0f} s"
        assert "Traceback" not in output and code == 1, f"{command}: exit {code}\n{output}"
        assert "missing-ref-file" in _located_rules(output), f"{command}:\n{output}"
        assert "not a regular file" in output, output
    if kind == "fifo":  # the entry file itself
        code, output = run_cli(["validate", "--no-cache", "specs/owner.yaml"], tmp_path)
        assert code == 1 and "named pipe (FIFO), not a regular file" in output, output


ENUM_VALUES = [
    *("a b", "a_b", "a-b", "a_b_1", "mro", "class", "None", "1x", "é", 'q"uote', "x\\y"),
    *("A", "a", "_", "__", "", "v\n2", "v.2"),
    *(f"v{i}" for i in range(40)),
]


def test_a_large_enum_gets_the_members_and_names_the_library_would_give(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past LARGE_ENUM values, the members are written by specfirst (datamodel-code-generator
    costs minutes on 100,000): the module is the same, byte for byte once formatted. An enum
    a default refers to stays with the library."""
    import specfirst.models_enums
    from specfirst.models import generate_models
    from specfirst.pipeline import format_sources

    def document() -> dict[str, Any]:
        return {
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {
                "schemas": {
                    "Big": {"type": "string", "description": "Many.", "enum": ENUM_VALUES},
                    "Other": {"enum": [f"w{i}" for i in range(9)]},
                    "Holder": {
                        "type": "object",
                        "properties": {
                            "big": {"$ref": "#/components/schemas/Big"},
                            "other": {"$ref": "#/components/schemas/Other", "default": "w7"},
                        },
                    },
                }
            },
        }

    by_library, _, _ = generate_models(document(), "# header")
    monkeypatch.setattr(specfirst.models_enums, "LARGE_ENUM", 3)
    _, large = specfirst.models_enums.stand_in_large_enums(document())
    assert list(large) == ["Big"]  # Other: a default names one of its members
    by_specfirst, classes, diagnostics = generate_models(document(), "# header")
    assert not [d for d in diagnostics if d.level.name == "ERROR"], diagnostics
    assert {"Big", "Other", "Holder"} <= classes
    assert "specfirst:" not in by_specfirst
    formatted = format_sources({"a.py": by_library, "b.py": by_specfirst})
    assert formatted["a.py"] == formatted["b.py"]
    assert 'a_b_1 = "a_b"' in formatted["b.py"] and "mro_ = " in formatted["b.py"]


def test_an_enum_of_200k_values_generates(tmp_path: Path) -> None:
    """It used to run for minutes (member naming was quadratic, and each member a pydantic
    object in datamodel-code-generator); the limit here only keeps a regression from hanging."""
    doc = _base()
    values = [f"value-{i}" for i in range(200_000)]
    doc["components"]["schemas"]["Kind"] = {"type": "string", "enum": values}
    doc["components"]["schemas"]["Pet"]["properties"]["kind"] = {
        "$ref": "#/components/schemas/Kind"
    }
    _write(tmp_path, Case("enum", {"specs/api.json": json.dumps(doc).encode()}, "specs/api.json"))
    argv = ["generate", "--no-cache", "--force", "specs/api.json", "-o", "out"]
    code, output = run_cli(argv, tmp_path, limit=180)
    assert code == 0, output
    models = (tmp_path / "out" / "models.py").read_text(encoding="utf-8")
    members = re.findall(r'^    (value_\d+) = "value-(\d+)"$', models, re.MULTILINE)
    assert len(members) == len(values)
    assert all(name == f"value_{i}" for name, i in members)


# --------------------------------------------------------------------------- hostile text

HOSTILE = [
    '"',
    "'",
    '"""',
    "'''",
    "\\",
    "\\n",
    "{{ x }}",
    "{% if %}",
    "{# c #}",
    "\n",
    "class",
    "def",
    "None",
    "import",
    "lambda",
    "async",
    "await",
    "__init__",
    "#",
    "*/",
    "$",
    "%s",
    "\t",
    "ü",
]


def _hostile(rng: random.Random, n: int = 3) -> str:
    return "".join(rng.choice(HOSTILE) + rng.choice(["", " ", "x"]) for _ in range(n))


def hostile_spec(seed: int = SEED) -> str:
    """A valid spec whose names and texts are built from fragments that break naive codegen."""
    rng = random.Random(seed)
    words = ["class", "def", "None", "import", "from", "async", "await", "lambda", "True"]
    schemas: dict[str, Any] = {}
    paths: dict[str, Any] = {}
    for i, word in enumerate(words):
        # Component names are limited to [a-zA-Z0-9._-] by OpenAPI itself.
        schema_name = f"{word}{rng.choice(['', '_', '-', '.', '__init__', '1', '.py'])}"
        schemas[schema_name] = {
            "type": "object",
            "description": _hostile(rng, 6),
            "required": [word],
            "properties": {
                word: {"type": "string", "description": _hostile(rng), "example": _hostile(rng)},
                _hostile(rng, 2): {"type": "string", "default": _hostile(rng)},
                f"{word}_kind": {"type": "string", "enum": [_hostile(rng, 1), word, "a b"]},
            },
        }
        paths[f"/{word}{i}/{{{word}}}"] = {
            "get": {
                "operationId": f"{word}{_hostile(rng, 1)}",
                "tags": [f"{word}{_hostile(rng, 1)}"],
                "summary": _hostile(rng, 5),
                "description": _hostile(rng, 8),
                "parameters": [
                    {"name": word, "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": _hostile(rng, 2), "in": "query", "schema": {"type": "integer"}},
                    {"name": f"X-{word}", "in": "header", "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {
                        "description": _hostile(rng, 4),
                        "headers": {f"X-{word}-out": {"schema": {"type": "string"}}},
                        "content": {
                            "application/json": {
                                "schema": {"$ref": f"#/components/schemas/{schema_name}"}
                            }
                        },
                    }
                },
            }
        }
    doc = {
        "openapi": "3.1.0",
        "info": {"title": _hostile(rng, 6), "version": "1", "description": _hostile(rng, 10)},
        "tags": [
            {"name": f"{w}{_hostile(rng, 1)}", "description": _hostile(rng)} for w in words[:2]
        ],
        "paths": paths,
        "components": {"schemas": schemas},
    }
    return json.dumps(doc, ensure_ascii=False, indent=1)


def _import_and_serve(package_root: str, package: str) -> None:
    sys.path.insert(0, package_root)
    import asyncio
    import importlib

    import httpx

    module = importlib.import_module(package)
    app = module.create_app(allow_unimplemented=True)

    async def fetch() -> int:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            return (await c.get("/openapi.json")).status_code

    os._exit(0 if asyncio.run(fetch()) == 200 else 3)


def test_hostile_names_and_texts_generate_code_that_imports_and_type_checks(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    import shutil
    import subprocess

    from specfirst.pipeline import generate

    from .strict_types import mypy_strict

    spec = tmp_path / "spec" / "api.json"
    spec.parent.mkdir()
    spec.write_text(hostile_spec(), encoding="utf-8")
    result = generate(spec, tmp_path / "hostile_pkg", cache_dir=None, force=True)
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    assert result.api is not None and len(result.api.operations) == 9

    child = multiprocessing.get_context("fork").Process(
        target=_import_and_serve, args=(str(tmp_path), "hostile_pkg")
    )
    child.start()
    child.join(60)
    assert child.exitcode == 0, "the package does not import, or /openapi.json is not served"

    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or "ruff"
    lint = subprocess.run(
        [
            *(ruff, "check", "--isolated", "--no-cache", "--select=E,F,W,I,B,UP,SIM,RUF"),
            *("--ignore=E501", "--line-length=100", "--target-version=py311", "hostile_pkg"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr

    status, output = mypy_strict(tmp_path / "hostile_pkg", tmp_path_factory)
    assert status == 0, output
