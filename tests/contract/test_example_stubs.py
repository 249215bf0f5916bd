"""``specfirst init DIR --spec S --stubs examples`` on real specs: the new project is a working
mock on the real runtime. Its contract run reaches a declared 2xx on every operation with no
failure, its stubs pass ``specfirst check`` (ruff, mypy --strict), and ``specfirst scaffold
--stubs examples`` appends example stubs and their data without touching what exists.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from specfirst.cli import main
from specfirst.contract import ContractOptions, format_summary, run_contract
from specfirst.contract.hooks import credential_headers
from specfirst.examples.table import Table, build_table
from specfirst.loader import load_spec
from specfirst.pipeline import build_api
from tests.contract.test_mock import PINECONE, corpus_spec
from tests.e2e.conftest import client

ROOT = Path(__file__).resolve().parents[2]
READYAPI = ROOT / ".cache/corpus/node_modules/@readme/oas-examples/3.0/json/response-examples.json"


@contextlib.contextmanager
def project(tmp_path: Path, spec: Path, name: str) -> Iterator[Path]:
    """A project made by ``init --stubs examples``, importable while the block runs."""
    with contextlib.chdir(tmp_path):
        assert main(["init", name, "--spec", str(spec), "--stubs", "examples"]) == 0
    root = tmp_path / name
    sys.path.insert(0, str(root))
    try:
        yield root
    finally:
        sys.path.remove(str(root))
        for module in [m for m in sys.modules if m.split(".")[0] in {name, f"{name}_api"}]:
            del sys.modules[module]


def served(tmp_path: Path, text: str, name: str, *urls: str) -> tuple[list[Any], Any]:
    """What the ``init --stubs examples`` project of the spec ``text`` answers to a GET of
    each of ``urls``, and its contract run."""
    spec = tmp_path / f"{name}.yaml"
    spec.write_text(text)
    with project(tmp_path, spec, name) as root:
        app: Any = importlib.import_module(f"{name}.main").app

        async def fetch() -> list[Any]:
            async with client(app) as http:
                return [await http.get(url) for url in urls]

        responses = asyncio.run(fetch())
        result = run_contract(
            ContractOptions(spec=root / "specs" / "api.yaml", app=app, max_examples=3)
        )
    return responses, result


@pytest.mark.parametrize(
    ("spec", "name", "operations"),
    [(PINECONE, "pinecone", 15), (READYAPI, "answers", 2)],
    ids=["pinecone", "readme-response-examples"],
)
def test_example_stubs_reach_a_declared_success_on_every_operation(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    spec: Path,
    name: str,
    operations: int,
) -> None:
    spec = corpus_spec(spec)
    with project(tmp_path, spec, name) as root:
        said = capsys.readouterr().err
        assert said.count("examples: ") >= 1  # the summary, once: not a line per operation
        app: Any = importlib.import_module(f"{name}.main").app
        document = load_spec(root / "specs" / "api.yaml").document
        result = run_contract(
            ContractOptions(
                spec=root / "specs" / "api.yaml",
                app=app,
                headers=credential_headers(document, f"{name}-development-only"),
                max_examples=3,
            )
        )
    assert result.ok, format_summary(result)
    assert not result.failures and not result.errors
    assert result.coverage.reached() == (operations, operations), format_summary(result)
    assert result.coverage.implemented() == (operations, operations)


def test_pinecone_example_project_passes_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The stubs type-check against the generated protocols under mypy --strict, and lint."""
    spec = corpus_spec(PINECONE)
    with project(tmp_path, spec, "pc") as root:
        capsys.readouterr()
        stubs = (root / "pc" / "index_operations.py").read_text(encoding="utf-8")
        assert "body=answer.body(models.Index)" in stubs
        assert "if answer.status == " in stubs  # Prefer: code= picks a declared response
        assert "NotImplementedOperation" not in stubs
        with contextlib.chdir(root):
            code = main(["check"])
        said = capsys.readouterr()
    assert code == 0, said.out + said.err
    assert "mypy ok" in said.err, said.err


SMALL = """
openapi: 3.1.0
info: {title: Notes, version: 1.0.0}
paths:
  /notes:
    get:
      operationId: listNotes
      tags: [notes]
      responses:
        '200':
          description: Notes.
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Note'}}
              example: [{id: 1, text: first}]
components:
  schemas:
    Note:
      type: object
      required: [id, text]
      properties:
        id: {type: integer}
        text: {type: string}
"""

ADDED = """
  /notes/{id}:
    get:
      operationId: getNote
      tags: [notes]
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        '200':
          description: A note.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Note'}
"""


def test_scaffold_appends_example_stubs_and_their_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "notes.yaml"
    spec.write_text(SMALL)
    with project(tmp_path, spec, "notes") as root:
        data_path = root / "notes" / "examples.json"
        data = json.loads(data_path.read_text(encoding="utf-8"))
        assert data == {"listNotes": [{"status": "200", "body": [{"id": 1, "text": "first"}]}]}
        data["listNotes"][0]["body"] = [{"id": 7, "text": "edited"}]  # the user's edit
        data_path.write_text(json.dumps(data), encoding="utf-8")
        api_spec = root / "specs" / "api.yaml"
        api_spec.write_text(_with_operation(api_spec.read_text(encoding="utf-8")), encoding="utf-8")
        with contextlib.chdir(root):
            assert main(["generate"]) == 0
            assert main(["scaffold", "--stubs", "examples"]) == 0
        said = capsys.readouterr().err
        assert "notes/notes.py: 1 missing method(s): getNote" in said
        assert "examples: 1 answer data synthesized from the schema (no example): getNote" in said
        data = json.loads(data_path.read_text(encoding="utf-8"))
        assert data["listNotes"][0]["body"] == [{"id": 7, "text": "edited"}]  # kept
        assert data["getNote"][0]["synthesized"] is True
        assert "async def get_note(" in (root / "notes" / "notes.py").read_text(encoding="utf-8")
        app: Any = importlib.import_module("notes.main").app

        async def fetch() -> tuple[Any, Any]:
            async with client(app) as http:
                return (await http.get("/notes")).json(), (await http.get("/notes/3")).json()

        listed, one = asyncio.run(fetch())
    assert listed == [{"id": 7, "text": "edited"}]
    assert one == {"id": 1, "text": "string"}


def _with_operation(text: str) -> str:
    """The copied spec with ``getNote`` added under ``paths``."""
    head, sep, tail = text.partition("components:")
    return head.rstrip("\n") + "\n" + ADDED.strip("\n") + "\n" + sep + tail


def test_example_data_is_deterministic() -> None:
    spec = corpus_spec(PINECONE)
    api, _ = build_api(spec)
    assert api is not None
    document = load_spec(spec).document
    first = build_table(api, document).to_json()
    assert first == build_table(api, document).to_json()
    assert json.loads(first)["describe_index"][0]["status"] == "200"


def table_of(tmp_path: Path, text: str) -> Table:
    """The example table of the spec ``text``."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(text)
    api, _ = build_api(spec)
    assert api is not None
    return build_table(api, load_spec(spec).document)


STAR = """
openapi: 3.0.3
info: {title: Star, version: '1'}
paths:
  /categories:
    get:
      operationId: listCategories
      responses:
        '200':
          description: OK
          content:
            '*/*':
              schema:
                type: array
                items: {type: object, required: [id], properties: {id: {type: string}}}
"""


def test_a_body_declared_for_any_media_type_is_synthesized_from_its_schema(
    tmp_path: Path,
) -> None:
    """``*/*`` is served as JSON: its schema, not a bare string, shapes the example."""
    table = table_of(tmp_path, STAR)
    [answer] = table.answers["listCategories"]
    assert answer.body == [{"id": "string"}] and answer.synthesized


EDGE = """
openapi: 3.2.0
info: {title: Edge, version: '1'}
paths:
  /any:
    get:
      operationId: getAny
      responses:
        2XX:
          description: Anything.
          content:
            application/json: {}
        default:
          description: Error.
          content:
            text/plain:
              schema: {type: string}
  /headers:
    get:
      operationId: getHeaders
      responses:
        '200':
          description: Headers.
          headers:
            X-Count: {required: true, schema: {type: integer, minimum: 3}}
            X-When: {schema: {type: string, format: date-time}}
            X-Kind: {schema: {type: string, enum: [a, b]}}
          content:
            application/json:
              schema:
                oneOf:
                  - {type: object, required: [a], properties: {a: {type: integer}}}
                  - {type: string}
  /file:
    get:
      operationId: getFile
      responses:
        '200':
          description: A file.
          content:
            application/octet-stream:
              schema: {type: string, format: binary}
  /stream:
    get:
      operationId: getStream
      responses:
        '200':
          description: Items.
          content:
            application/jsonl:
              itemSchema: {type: object, required: [id], properties: {id: {type: integer, minimum: 1}}}
  /nothing:
    delete:
      operationId: deleteNothing
      responses:
        '204': {description: Gone.}
        '404': {description: Not found.}
"""


def test_every_kind_of_response_has_a_typed_example_stub(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ranged and ``default`` statuses, schema-less JSON, text, binary, a 3.2 stream, typed
    headers and bodyless answers: the stubs pass ``specfirst check`` and answer."""
    spec = tmp_path / "edge.yaml"
    spec.write_text(EDGE)
    with project(tmp_path, spec, "edge") as root:
        with contextlib.chdir(root):
            code = main(["check"])
        said = capsys.readouterr()
        assert code == 0, said.out + said.err
        app: Any = importlib.import_module("edge.main").app

        async def fetch() -> dict[str, Any]:
            async with client(app) as http:
                return {
                    "any": await http.get("/any"),
                    "default": await http.get("/any", headers={"Prefer": "code=503"}),
                    "headers": await http.get("/headers"),
                    "file": await http.get("/file"),
                    "stream": await http.get("/stream"),
                    "gone": await http.delete("/nothing"),
                    "missing": await http.delete("/nothing", headers={"Prefer": "code=404"}),
                    # declares no such response, nor a 400: still the request's fault, a 400
                    "unmet": await http.delete("/nothing", headers={"Prefer": "code=418"}),
                    "unnamed": await http.get("/file", headers={"Prefer": "example=nope"}),
                }

        got = asyncio.run(fetch())
    assert got["any"].status_code == 200 and got["any"].json() == "string"
    assert got["default"].status_code == 503 and got["default"].text == "string"
    headers = got["headers"]
    assert headers.status_code == 200 and headers.json() == {"a": 1}
    assert headers.headers["x-count"] == "3" and headers.headers["x-kind"] == "a"
    # an example stub's answer is marked (a contract run excuses use_after_free on it) …
    assert headers.headers["specfirst-example"] == "getHeaders"
    assert got["missing"].headers["specfirst-example"] == "deleteNothing"
    # … a refused preference is the runtime's own answer, not the stub's
    assert "specfirst-example" not in got["unmet"].headers
    assert got["file"].headers["content-type"] == "application/octet-stream"
    assert [json.loads(line) for line in got["stream"].text.splitlines()] == [{"id": 1}] * 2
    assert got["gone"].status_code == 204 and got["missing"].status_code == 404
    for unmet in (got["unmet"], got["unnamed"]):  # not a 500, in the project's "error" mode
        assert unmet.status_code == 400, unmet.text
        assert unmet.headers["content-type"].startswith("application/problem+json")


VENDOR_SLIPS = """
openapi: 3.0.3
info: {title: Slips, version: '1'}
paths:
  /meta:
    get:
      operationId: getMeta
      responses:
        '200':
          description: Metadata.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Meta'}
  /applications:
    post:
      operationId: createApplication
      responses:
        '201':
          description: Created.
          headers:
            Location:
              schema:
                type: string
                format: uri
                example: "<p>HTTP/1.1 201 Created</p>\\n<p>Location: https://example.com/a/1</p>\\n"
            X-Note: {example: "caf\\u00e9 \\u20ac", schema: {type: string}}
            X-Id: {example: "a1", schema: {type: string}}
components:
  schemas:
    Meta:
      type: object
      required: [id, version, state, group]
      properties:
        id: {type: string}
        groupId: {type: string}
        version: {type: string}
        state: {type: string, enum: [ENABLED, DISABLED]}
      example: {id: Invoice, groupId: My-Group, version: 18}
"""


def test_an_invalid_example_with_a_required_name_it_does_not_declare_is_synthesized(
    tmp_path: Path,
) -> None:
    """apicurio's ``ArtifactMetaData``: the example has ``version`` as an integer and lacks
    ``state``; ``group`` is required but not among the properties. The synthesized value
    must be valid, so it gives ``group`` a value too, and the stub says why it synthesized."""
    table = table_of(tmp_path, VENDOR_SLIPS)
    [answer] = table.answers["getMeta"]
    assert (
        answer.synthesized and table.synthesized["getMeta"] == "examples invalid against the schema"
    )
    assert answer.body == {
        "id": "string",
        "groupId": "string",
        "version": "string",
        "state": "ENABLED",
        "group": "string",
    }


CLOSED_REQUIRED = """
openapi: 3.0.1
info: {title: Staff, version: '1'}
paths:
  /employees/{number}:
    get:
      operationId: getEmployee
      parameters:
        - {name: number, in: path, required: true, schema: {type: integer}}
      responses:
        '200':
          description: One employee.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Employee'}
components:
  schemas:
    Employee:
      type: object
      additionalProperties: false
      required: [name, canApprove]
      properties:
        name: {type: string}
      example: {Id: 1, Description: An awesome employee}
"""


def test_a_required_name_beside_no_other_names_is_synthesized(tmp_path: Path) -> None:
    """e-conomic's ``Employee`` requires ``canApprove``, declares it nowhere and forbids other
    names; its example is no employee. The synthesized answer has ``canApprove`` (the model
    requires it, any value): without it the stub answered 500."""
    table = table_of(tmp_path, CLOSED_REQUIRED)
    [answer] = table.answers["getEmployee"]
    assert answer.synthesized
    assert answer.body == {"name": "string", "canApprove": "string"}


def test_a_header_example_http_cannot_carry_is_synthesized_and_said_once(tmp_path: Path) -> None:
    """``X-Note``'s example is not ASCII: the stub answers a value a header can carry,
    synthesized from the schema, and the summary names the header. velopayments' ``Location``
    example is HTML with line breaks, no ``format: uri`` either: the stub answers a URI (an
    example invalid against its schema is never answered, so there is nothing to say)."""
    table = table_of(tmp_path, VENDOR_SLIPS)
    [answer] = table.answers["createApplication"]
    assert answer.headers == {"Location": "https://example.com/", "X-Note": "string", "X-Id": "a1"}
    said = [line for line in table.summary() if "HTTP header" in line]
    assert said == [
        "examples: 1 header value(s) synthesized from the schema (example cannot be sent in an "
        "HTTP header): createApplication X-Note"
    ]


JSON_FILES = """
openapi: 3.0.3
info: {title: Reports, version: '1'}
paths:
  /reports/{name}:
    get:
      operationId: getReport
      parameters:
        - {name: name, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: The report file.
          content:
            application/json: {schema: {type: string, format: binary}}
            text/plain: {schema: {type: string, format: binary}}
  /declared/{name}:
    get:
      operationId: getDeclared
      parameters:
        - {name: name, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: The report file, with an example.
          content:
            application/json: {schema: {type: string, format: binary}, example: report}
"""


def test_a_binary_body_declared_as_json_is_answered_as_json(tmp_path: Path) -> None:
    """signl4's report and attachment downloads declare ``application/json`` with a binary
    string: the example stub answered empty bytes as JSON, which no client (nor the contract
    run's response_schema_conformance) can parse. Its text is the JSON string now."""
    (synthesized, declared), result = served(
        tmp_path, JSON_FILES, "reports", "/reports/r1", "/declared/r1"
    )
    assert synthesized.headers["content-type"].startswith("application/json")
    assert isinstance(synthesized.json(), str)
    assert declared.json() == "report"
    assert result.ok, format_summary(result)


TYPED_AS_THE_MODELS = """
openapi: 3.0.2
info: {title: Microcks slips, version: '1'}
paths:
  /jobs:
    get:
      operationId: getJob
      responses:
        '200':
          description: A job.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Job'}
  /secrets/{id}:
    get:
      operationId: getSecretRef
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: A secret's reference.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/SecretRef'}
  /events:
    get:
      operationId: getEvents
      responses:
        '200':
          description: Events.
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Event'}}
              example: [{message: hello, type: pair}]
components:
  schemas:
    SecretRef:
      required: [secretId, name]
      properties:
        secretId: {type: string}
        name: {type: string}
      example: "{\\n  \\"secretId\\": \\"5be5\\",\\n  \\"name\\": \\"Gogs\\"\\n}"
    Job:
      type: object
      required: [name]
      properties:
        name: {type: string}
        secretRef: {$ref: '#/components/schemas/SecretRef'}
    Exchange:
      oneOf: [{$ref: '#/components/schemas/Pair'}, {$ref: '#/components/schemas/Event'}]
      discriminator:
        propertyName: type
        mapping: {pair: '#/components/schemas/Pair', event: '#/components/schemas/Event'}
    Abstract:
      type: object
      required: [type]
      properties:
        type: {type: string, enum: [pair, event]}
    Pair:
      allOf:
        - {type: object, required: [request], properties: {request: {type: string}}}
        - {$ref: '#/components/schemas/Abstract'}
    Event:
      allOf:
        - {type: object, required: [message], properties: {message: {type: string}}}
        - {$ref: '#/components/schemas/Abstract'}
"""


def test_synthesized_data_is_typed_as_the_generated_models_type_it(tmp_path: Path) -> None:
    """microcks.local: a schema with properties and no ``type`` is a model (an object), yet its
    ``example`` is the object's JSON as a string, which JSON Schema accepts (no ``type``): the
    stubs answered it and the model refused it (a 500 on 11 operations). ``Event``, mapped to
    ``event`` by ``Exchange``'s discriminator, is a model whose ``type`` is ``Literal["event"]``,
    though it inherits the enum [pair, event]: the stub answered ``pair`` (3 more 500s), and an
    example that has it (valid against the schema, refused by the model) is no answer."""
    table = table_of(tmp_path, TYPED_AS_THE_MODELS)
    [job] = table.answers["getJob"]
    [ref] = table.answers["getSecretRef"]
    [events] = table.answers["getEvents"]
    assert job.body == {"name": "string", "secretRef": {"secretId": "string", "name": "string"}}
    assert ref.body == {"secretId": "string", "name": "string"}
    assert events.body == [{"message": "string", "type": "event"}]
    assert table.synthesized["getEvents"] == "examples invalid against the schema"


UPGRADE = """
openapi: 3.0.3
info: {title: Upgrade, version: '1'}
paths:
  /realtime:
    get:
      operationId: getRealtime
      parameters:
        - {name: sec-websocket-protocol, in: header, required: true, schema: {type: string}}
      responses:
        '101': {description: Upgrade connection}
  /moved:
    get:
      operationId: getMoved
      responses:
        '301': {description: Moved}
"""


def test_an_operation_that_only_switches_protocols_keeps_its_501_stub(tmp_path: Path) -> None:
    """edrv's websocket handshake declares only ``101``: a 1xx is no final answer to an HTTP
    request (the upgrade is the server's, not a handler's), so its stub answers 501 and the
    summary says so; a 3xx is still answered."""
    table = table_of(tmp_path, UPGRADE)
    assert "getRealtime" not in table.answers
    assert table.no_success == ["getRealtime"]
    assert [a.status for a in table.answers["getMoved"]] == ["301"]
    assert table.summary()[-1] == (
        "examples: 1 declare no success response a stub can send; their stubs answer 501: "
        "getRealtime"
    )


BAD_PROPERTY_EXAMPLES = """
openapi: 3.0.3
info: {title: Reports, version: '1'}
paths:
  /reports/{id}:
    get:
      operationId: getReport
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                oneOf:
                  - {$ref: '#/components/schemas/SmsReport'}
                  - {$ref: '#/components/schemas/CallReport'}
components:
  schemas:
    SmsReport:
      type: object
      properties:
        status: {type: string, enum: [delivered, expired], example: delivered}
        received: {type: string, format: date, example: '2019-06-28T15:30:00+0000'}
        kind: {type: string, enum: [sms, mms], default: none}
        account: {type: string, example: abcdef01}
    CallReport:
      type: object
      properties:
        status: {type: string, enum: [answered, busy], example: answered}
        received: {type: string, format: date, example: '2019-06-28T15:30:00+0000'}
"""


def test_a_property_example_invalid_against_its_schema_is_not_answered(tmp_path: Path) -> None:
    """nexmo's reports: ``format: date`` properties whose examples are date-times, members of
    a ``oneOf`` that the object without them matches more than one of. The stub answered the
    date-times, which the model refuses (a 500); only the property's bad example is replaced,
    the others are kept."""
    table = table_of(tmp_path, BAD_PROPERTY_EXAMPLES)
    [answer] = table.answers["getReport"]
    assert answer.body == {
        "status": "delivered",
        "received": "2025-01-15",
        "kind": "sms",
        "account": "abcdef01",
    }


DOWNLOADS = """
openapi: 3.0.3
info: {title: Downloads, version: '1'}
paths:
  /avatar:
    get:
      operationId: getAvatar
      responses:
        '200':
          description: An avatar.
          content:
            image/png: {schema: {type: string, format: binary}}
  /icon:
    get:
      operationId: getIcon
      responses:
        '200':
          description: An icon.
          content:
            image/gif: {schema: {type: string, format: binary}}
  /blob:
    get:
      operationId: getBlob
      responses:
        '200':
          description: Some bytes.
          content:
            application/octet-stream: {schema: {type: string, format: binary}}
"""


def _png_chunks(data: bytes) -> list[bytes]:
    """The chunk types of a PNG, each checked against its CRC."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    found, at = [], 8
    while at < len(data):
        size = int.from_bytes(data[at : at + 4])
        kind, chunk = data[at + 4 : at + 8], data[at + 8 : at + 8 + size]
        assert zlib.crc32(kind + chunk) == int.from_bytes(data[at + 8 + size : at + 12 + size])
        if kind == b"IDAT":
            zlib.decompress(chunk)
        found.append(kind)
        at += 12 + size
    return found


def test_a_download_without_an_example_answers_a_minimal_file_not_empty_bytes(
    tmp_path: Path,
) -> None:
    """A binary download the spec has no example of answered empty bytes (``format:
    binary`` synthesizes ``""``): an image/png that is no image. It answers a minimal valid
    file of its media type where one is known, else bytes that are not empty."""
    (avatar, icon, blob), result = served(
        tmp_path, DOWNLOADS, "downloads", "/avatar", "/icon", "/blob"
    )
    assert avatar.headers["content-type"] == "image/png"
    assert _png_chunks(avatar.content) == [b"IHDR", b"IDAT", b"IEND"]
    assert icon.content.startswith(b"GIF89a\x01\x00\x01\x00") and icon.content.endswith(b";")
    assert blob.content == b"example"
    assert result.ok, format_summary(result)
