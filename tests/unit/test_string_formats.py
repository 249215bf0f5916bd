"""Which string formats the runtime checks, and that it accepts what schemathesis sends as valid.

schemathesis (the contract run) judges format values with jsonschema-rs: it sends values that
break a format as invalid data and expects a 4xx, and generates valid ones from its own
strategies, expecting them accepted. The runtime's checks are jsonschema-rs's, so both hold.
"""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError
from schemathesis.core.jsonschema import STANDARD_FORMATS, VALIDATED_FORMATS_BY_DRAFT
from schemathesis.generation.jsonschema.builder import build
from schemathesis.specs.openapi.formats import get_default_format_strategies

from specfirst.ir import Api
from specfirst.models import schema_rules
from specfirst.render import format_checked
from specfirst.runtime.formats import STRING_FORMATS, Format, string_format
from specfirst.schema_types import checked_format
from specfirst.vendor import runtime_requirements

# schemathesis has no strategy for these: it sends any text as valid data (its judge calls
# most of it invalid), so checking them would refuse its valid requests
UNGENERATED = {"regex", "json-pointer", "relative-json-pointer"}


def test_every_format_schemathesis_judges_is_checked() -> None:
    """Every format schemathesis can send invalid data for, under any draft, is checked here
    (``date`` and ``date-time`` by the RFC 3339 checks beside them), but those it cannot
    generate valid data for."""
    judged = set(STANDARD_FORMATS).union(*VALIDATED_FORMATS_BY_DRAFT.values())
    assert judged - {"date", "date-time"} - UNGENERATED == set(STRING_FORMATS)


@pytest.mark.parametrize("draft", [jsonschema_rs.Draft4, jsonschema_rs.Draft202012])
@pytest.mark.parametrize("fmt", sorted(STRING_FORMATS))
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_what_schemathesis_generates_as_valid_is_accepted(fmt: str, draft: int, data: Any) -> None:
    formats = get_default_format_strategies()
    value = data.draw(build({"type": "string", "format": fmt}, draft=draft, formats=formats))
    assert string_format(fmt)(value) == value


@pytest.mark.parametrize("fmt", sorted(UNGENERATED))
@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_schemathesis_sends_invalid_text_as_valid_for_the_formats_left_unchecked(
    fmt: str, data: Any
) -> None:
    """Why these three are not checked; when this fails, schemathesis learned them: check them."""
    formats = get_default_format_strategies()
    strategy = build({"type": "string", "format": fmt}, draft=jsonschema_rs.Draft4, formats=formats)
    judge = jsonschema_rs.Draft202012Validator({"format": fmt}, validate_formats=True)
    values = [data.draw(strategy) for _ in range(20)]
    assume(any(not judge.is_valid(v) for v in values))


@pytest.mark.parametrize("fmt", sorted(STRING_FORMATS))
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=st.text(max_size=12) | st.text(alphabet="ab@.:/[]{}%-_019 ", max_size=12))
def test_the_check_is_jsonschema_rs_judgement(fmt: str, value: str) -> None:
    judge = jsonschema_rs.Draft202012Validator({"format": fmt}, validate_formats=True)
    try:
        string_format(fmt)(value)
        accepted = True
    except PydanticCustomError:
        accepted = False
    assert accepted == judge.is_valid(value), value


def test_format_is_parameter_metadata_with_a_clear_message() -> None:
    from typing import Annotated

    adapter = TypeAdapter(Annotated[str, Format("email")])
    assert adapter.validate_python("x@host.test") == "x@host.test"
    with pytest.raises(ValidationError) as caught:
        adapter.validate_python("x")
    assert caught.value.errors()[0]["msg"] == "Input should be an email address (format email)"


def test_unknown_formats_have_no_check() -> None:
    with pytest.raises(ValueError, match="no check for format 'color'"):
        string_format("color")


@pytest.mark.parametrize(
    ("schema", "openapi_31", "expected"),
    [
        ({"type": "string", "format": "email"}, False, "email"),
        ({"type": ["string", "null"], "format": "uri"}, True, "uri"),
        ({"type": "string", "format": "email", "nullable": True}, False, "email"),
        ({"type": "array", "items": {"type": "string", "format": "ipv6"}}, False, "ipv6"),
        ({"type": "string", "format": "uuid"}, True, "uuid"),
        # under 3.0 schemathesis reads uuid as uuid.UUID does: pydantic's UUID is check enough
        ({"type": "string", "format": "uuid"}, False, None),
        ({"type": "string", "format": "email", "enum": ["a"]}, False, None),
        ({"type": "string", "format": "password"}, False, None),
        ({"type": "string", "format": "date"}, False, None),  # checked as RFC 3339 already
        ({"type": "string", "format": "regex"}, True, None),
        ({"type": "integer", "format": "email"}, False, None),
        ({"format": "email"}, False, None),
    ],
)
def test_which_schemas_are_checked(schema: Any, openapi_31: bool, expected: str | None) -> None:
    assert checked_format(schema, openapi_31=openapi_31) == expected


@pytest.mark.parametrize(
    ("tp", "expected"),
    [
        ("str", "Annotated[str, formats.Format('email')]"),
        ("str | None", "Annotated[str, formats.Format('email')] | None"),
        ("list[str] | None", "list[Annotated[str, formats.Format('email')]] | None"),
        ("uuid.UUID", "Annotated[uuid.UUID, formats.Format('email')]"),
        ("Literal['str']", "Literal['str']"),
    ],
)
def test_parameters_are_annotated(tp: str, expected: str) -> None:
    assert format_checked(tp, "email") == expected
    assert format_checked(tp, None) == tp


def test_schema_rules_register_formats_and_root_models() -> None:
    schemas = {
        "Mail": {"type": "string", "format": "email"},
        "Id": {"type": "string", "format": "uuid"},
        "Thing": {
            "type": "object",
            "required": ["mail"],
            "properties": {
                "mail": {"type": "string", "format": "email"},
                "links": {"type": "array", "items": {"type": "string", "format": "uri"}},
                "id": {"type": "string", "format": "uuid"},
            },
        },
    }
    rules = schema_rules(schemas, frozenset(schemas), openapi_31=False)
    assert "constrain(Mail, formats={'root': 'email'})" in rules
    assert "constrain(Id" not in rules
    assert "formats={'mail': 'email', 'links': 'uri'}" in rules
    rules_31 = schema_rules(schemas, frozenset(schemas), openapi_31=True)
    assert "constrain(Id, formats={'root': 'uuid'})" in rules_31
    assert "'id': 'uuid'" in rules_31


def test_an_enum_without_null_refuses_null_beside_nullable() -> None:
    """OpenAPI 3.0.3: null must be listed in an enum to be valid, ``nullable: true`` or not;
    schemathesis keeps such a request schema as written (null never sent as valid)."""
    enum = {"type": "string", "enum": ["a", "b"], "nullable": True}
    schemas = {
        "Thing": {
            "type": "object",
            "required": ["kind"],
            "properties": {
                "kind": enum,
                "color": enum,
                "typed": {"type": ["string", "null"], "enum": ["a"]},
                "listed": {"type": "string", "enum": ["a", None], "nullable": True},
                "free": {"type": "string", "nullable": True},
            },
        }
    }
    rules = schema_rules(schemas, frozenset(schemas))
    assert "not_null=('color', 'typed')" in rules
    assert "refuse_null=('kind',)" in rules


def test_jsonschema_rs_is_a_runtime_requirement_when_formats_are_checked() -> None:
    api = Api("t", "1", None, "3.1.0", "", (), (), checks_formats=True)
    assert any(r.startswith("jsonschema-rs") for r in runtime_requirements(api))
    plain = Api("t", "1", None, "3.1.0", "", (), ())
    assert not any(r.startswith("jsonschema-rs") for r in runtime_requirements(plain))


def test_the_values_the_runtime_fills_in_are_valid_for_their_formats() -> None:
    """Error bodies the runtime builds (``conform``) and the stubs' synthesized data carry
    values of every format the runtime checks, valid for it."""
    from specfirst.examples.synthesize import _FORMAT_EXAMPLES
    from specfirst.runtime.conform import _FORMATS

    for samples in (_FORMATS, _FORMAT_EXAMPLES):
        for fmt in STRING_FORMATS:
            assert string_format(fmt)(samples[fmt]) == samples[fmt], fmt


def test_a_union_of_formats_takes_a_value_of_one_of_them() -> None:
    """``anyOf`` ``ipv4``/``ipv6`` (FastAPI's ``IPvAnyAddress``): either, nothing else; with
    ``one_of``, a value valid for two of the formats is refused."""
    from typing import Annotated

    adapter = TypeAdapter(Annotated[str, Format("ipv4", "ipv6")])
    assert adapter.validate_python("192.0.2.1") == "192.0.2.1"
    assert adapter.validate_python("::1") == "::1"
    for wrong in ("members", "÷", "192.0.2.300"):
        with pytest.raises(ValidationError) as caught:
            adapter.validate_python(wrong)
    assert caught.value.errors()[0]["msg"] == (
        "Input should be an IPv4 address or an IPv6 address (format ipv4 or ipv6)"
    )
    exactly = TypeAdapter(Annotated[str, Format("hostname", "ipv4", one_of=True)])
    assert exactly.validate_python("example.com") == "example.com"
    with pytest.raises(ValidationError, match="exactly one of"):
        exactly.validate_python("192.0.2.1")  # a host name too


def test_parameters_of_a_union_of_formats_are_annotated() -> None:
    from specfirst.ir import FormatChoice

    assert format_checked("str", FormatChoice(("ipv4", "ipv6"))) == (
        "Annotated[str, formats.Format('ipv4', 'ipv6')]"
    )
    assert format_checked("list[str]", FormatChoice(("ipv4", "ipv6"), one_of=True)) == (
        "list[Annotated[str, formats.Format('ipv4', 'ipv6', one_of=True)]]"
    )
