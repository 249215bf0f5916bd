"""Checks on the reference spec in specs/ that openapi-spec-validator does not make.

Every example must validate against its schema, every operation must be documented, and
the operation list must stay what the reference service implements.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

SPEC = Path(__file__).resolve().parents[2] / "specs" / "api.yaml"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


@cache
def _load(path: Path) -> Any:
    with path.open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def _resolve(node: Any, base: Path) -> Any:
    """Inline every relative `$ref` (file#/pointer), keeping `$ref` siblings (3.1 allows them)."""
    if isinstance(node, list):
        return [_resolve(item, base) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and not ref.startswith("#"):
        file_part, _, pointer = ref.partition("#")
        target_file = (base.parent / file_part).resolve()
        target: Any = _load(target_file)
        for token in filter(None, pointer.split("/")):
            target = target[token.replace("~1", "/").replace("~0", "~")]
        resolved = _resolve(target, target_file)
        siblings = {k: _resolve(v, base) for k, v in node.items() if k != "$ref"}
        return {**resolved, **siblings} if siblings else resolved
    if isinstance(ref, str):
        # Same-file refs: inline against the file they live in.
        return _resolve({"$ref": f"{base.name}{ref}"}, base)
    return {key: _resolve(value, base) for key, value in node.items()}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return _resolve(_load(SPEC), SPEC)  # type: ignore[no-any-return]


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, item[method])
        for path, item in document["paths"].items()
        for method in METHODS
        if method in item
    ]


def _check(instance: Any, schema: dict[str, Any], where: str) -> None:
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, f"{where}: " + "; ".join(
        f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors
    )


def test_spec_is_valid_openapi_3_1() -> None:
    spec, base_uri = read_from_filename(str(SPEC))
    validate(spec, base_uri=base_uri)
    assert spec["openapi"] == "3.1.0"


def test_operation_list(document: dict[str, Any]) -> None:
    ids = sorted(op["operationId"] for _, _, op in _operations(document))
    assert ids == sorted(
        [
            "register", "createToken", "logout",
            "getCurrentUser", "updateCurrentUser", "listUsers", "deactivateUser",
            "createApiKey", "listApiKeys", "revokeApiKey",
            "createProject", "listProjects", "getProject", "updateProject", "deleteProject",
            "listMembers", "addMember", "removeMember",
            "createTask", "listTasks", "getTask", "updateTask", "deleteTask",
            "listComments", "createComment", "deleteComment",
            "uploadAttachment", "listAttachments", "downloadAttachment", "deleteAttachment",
            "createExport", "getExport", "downloadExport",
            "getLiveness", "getReadiness",
        ]
    )  # fmt: skip


def test_every_operation_is_documented_and_tagged(document: dict[str, Any]) -> None:
    tags = {tag["name"] for tag in document["tags"]}
    for path, method, op in _operations(document):
        where = f"{method.upper()} {path}"
        assert op.get("summary") and op.get("description"), where
        assert len(op.get("tags", [])) == 1 and op["tags"][0] in tags, where


def test_every_error_is_problem_json(document: dict[str, Any]) -> None:
    for path, method, op in _operations(document):
        for status, response in op["responses"].items():
            if status.startswith(("4", "5")):
                assert list(response["content"]) == ["application/problem+json"], (
                    f"{method.upper()} {path} {status}"
                )


def test_examples_validate_against_their_schemas(document: dict[str, Any]) -> None:
    checked = 0
    for path, method, op in _operations(document):
        where = f"{method.upper()} {path}"
        body = op.get("requestBody")
        if body:
            for media_type, content in body["content"].items():
                assert "example" in content, f"{where} request {media_type} has no example"
                if media_type != "multipart/form-data":
                    _check(content["example"], content["schema"], f"{where} request")
                    checked += 1
        for status, response in op["responses"].items():
            for media_type, content in response.get("content", {}).items():
                if "example" in content:
                    _check(content["example"], content["schema"], f"{where} {status}")
                    checked += 1
                elif status.startswith("2") and media_type != "*/*":
                    pytest.fail(f"{where} {status} {media_type} has no example")
    for name, schema in document["components"]["schemas"].items():
        for example in schema.get("examples", []):
            _check(example, schema, f"components.schemas.{name}")
            checked += 1
    assert checked > 80


def test_create_operations_have_links(document: dict[str, Any]) -> None:
    for path, method, op in _operations(document):
        created = op["responses"].get("201") or op["responses"].get("202")
        if created and op["operationId"] != "register":
            assert created.get("links"), f"{method.upper()} {path} has no links"
