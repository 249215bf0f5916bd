"""``pattern``: one regex engine per package, chosen so every pattern compiles.

Rust's engine (pydantic's default: linear time, Unicode classes such as ``\\p{L}``) unless a
pattern needs Python's (look-arounds, backreferences, sizes past the Rust crate's limit); a
pattern neither engine can take along with the others is reported and not enforced.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from specfirst.pipeline import generate
from tests.e2e.conftest import generate_package

SPEC = """
openapi: 3.0.3
info: {title: Patterns, version: "1"}
paths: {}
components:
  schemas:
    Name: {type: string, pattern: "%s"}
    Tag:
      type: object
      properties:
        label: {type: string, pattern: "%s"}
"""

UNICODE = r"^[\\p{L}\\p{N} ]+$"  # Rust only
LOOKAHEAD = r"^(?!admin$)[a-z]+$"  # Python only


@pytest.mark.parametrize(
    ("name", "label", "valid", "invalid"),
    [
        (UNICODE, UNICODE, "Zoë 42", "a-b"),
        (LOOKAHEAD, LOOKAHEAD, "alice", "admin"),
        (r"^.{1,2097152}$", "^[a-z]+$", "x", ""),  # past the Rust crate's size limit
    ],
)
def test_every_pattern_is_enforced(
    tmp_path: Path, name: str, label: str, valid: str, invalid: str
) -> None:
    api = generate_package(SPEC % (name, label), tmp_path)
    assert api.models.Name.model_validate(valid).root == valid
    with pytest.raises(ValidationError):
        api.models.Name.model_validate(invalid)
    if label == name:
        assert api.models.Tag.model_validate({"label": valid}).label == valid
        with pytest.raises(ValidationError):
            api.models.Tag.model_validate({"label": invalid})


def test_a_pattern_no_engine_takes_with_the_rest_is_reported(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(SPEC % (UNICODE, LOOKAHEAD), encoding="utf-8")
    result = generate(spec, tmp_path / "out", cache_dir=None, force=True)
    assert result.ok
    notes = [d.format() for d in result.diagnostics if d.rule == "unsupported"]
    assert any("is not enforced: no regex engine compiles it" in n for n in notes), notes
