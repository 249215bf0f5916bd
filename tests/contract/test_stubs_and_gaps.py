"""Unimplemented operations are reported, not failed; spec gaps are listed, not failed.

The things API of ``test_catches_breaks``: ``getThing`` left as a stub (``NotImplementedOperation``)
must not fail the run unless ``require_implemented``, while its security and validation are
still checked; ``createThing`` has a body but declares no 415, a spec gap that fails only
under ``strict``. Unknown operationIds in seed data stop the run like those in ``allow``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from specfirst.contract import (
    ContractError,
    ContractOptions,
    ContractResult,
    SeedData,
    format_summary,
    run_contract,
    write_junit,
)
from tests.contract.test_catches_breaks import (
    SPEC,
    StrictSecurity,
    contract,
    make_things,
)
from tests.e2e.conftest import GeneratedApi, MakeApi, make_api  # noqa: F401  (fixture)


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:  # noqa: F811
    return make_api(SPEC)


def stubbed(api: GeneratedApi, security: Any) -> Any:
    def stub(m: Any, thing_id: Any) -> Any:
        raise api.package.NotImplementedOperation("getThing")

    return api.create_app(security=security, things=make_things(api, get_thing=stub))


def run(api: GeneratedApi, app: Any, **options: Any) -> ContractResult:
    return contract(api, app, setup=None, **options)


def test_a_stub_is_reported_not_failed(api: GeneratedApi, tmp_path: Path) -> None:
    result = run(api, stubbed(api, StrictSecurity()))
    assert result.ok, format_summary(result)
    op = result.coverage.operations["GET /things/{thingId}"]
    assert op.unimplemented and op.stubbed > 0
    assert result.coverage.implemented() == (2, 3)
    summary = format_summary(result)
    assert summary.splitlines()[-1] == (
        "implemented: 2 of 3 operations (not yet: 1, each answered its stub's 501)"
    )
    assert "[not implemented: stub 501" in summary
    assert result.excused > 0  # its 501s failed not_a_server_error and were not counted
    write_junit(result, tmp_path / "c.xml")
    xml = (tmp_path / "c.xml").read_text()
    assert '<property name="implemented" value="2 of 3" />' in xml
    assert '<skipped message="not implemented: its stub answered 501' in xml


def test_require_implemented_fails_the_stub(api: GeneratedApi) -> None:
    result = run(api, stubbed(api, StrictSecurity()), require_implemented=True)
    assert not result.ok
    assert ("GET /things/{thingId}", "not_a_server_error") in result.failing()
    assert [(g.operation, g.gate) for g in result.gates] == [
        ("GET /things/{thingId} (getThing)", "success")
    ]
    assert "is not implemented: its stub answered 501" in result.gates[0].reason


def test_a_stub_is_still_behind_its_security(api: GeneratedApi) -> None:
    """Security runs before the stub: without credentials the stub is never reached, and the
    auth gate fails it as it fails any operation."""
    result = run_contract(
        ContractOptions(spec=api.spec_path, app=stubbed(api, StrictSecurity()), max_examples=3)
    )
    gates = {g.operation: g.gate for g in result.gates}
    assert gates["GET /things/{thingId} (getThing)"] == "auth", format_summary(result)
    assert not result.coverage.operations["GET /things/{thingId}"].stubbed


def test_spec_gaps_are_listed_and_fail_only_when_strict(api: GeneratedApi, tmp_path: Path) -> None:
    app = api.create_app(security=StrictSecurity(), things=make_things(api))
    result = run(api, app, junit=tmp_path / "c.xml")
    assert result.ok, format_summary(result)
    assert [(g.label, g.runtime.status, g.runtime.rule) for g in result.gaps] == [
        ("POST /things", "415", "media-type-response")
    ]
    summary = format_summary(result)
    assert "spec gaps (statuses the runtime sends that the spec does not declare" in summary
    assert "POST /things (createThing): 415 has a request body (other media types)" in summary
    markdown = (tmp_path / "c.coverage.md").read_text()
    assert "## Spec gaps" in markdown and "| 415 |" in markdown
    assert '"lint_rule": "media-type-response"' in (tmp_path / "c.coverage.json").read_text()

    strict = run(api, app, strict=True)
    assert not strict.ok
    assert ("POST /things", "spec_gap") in strict.failing()


def test_unknown_operation_ids_in_seed_data_stop_the_run(api: GeneratedApi) -> None:
    app = api.create_app(security=StrictSecurity(), things=make_things(api))
    for data in (
        SeedData(operations={"getThings": {"path.thingId": ["x"]}}),
        SeedData(always=["deleteThing"]),
    ):
        with pytest.raises(ContractError, match=r"setup hook .*SeedData\.\w+: the spec has no"):
            contract(api, app, setup=lambda ctx, data=data: data)


SERVERS_SPEC = """
openapi: 3.1.0
info: {title: Vendor, version: 1.0.0}
servers: [{url: 'https://api.vendor.example'}]
paths:
  /a:
    get:
      operationId: getA
      responses: {'200': {description: ok}}
  /b:
    servers: [{url: 'https://files.vendor.example'}]
    get:
      operationId: getB
      responses: {'200': {description: ok}}
"""


def test_reproductions_use_the_runs_base_url(make_api: MakeApi) -> None:  # noqa: F811
    """Not the spec's production host, nor an operation's own ``servers``."""
    vendor = make_api(SERVERS_SPEC)

    class Crashing:
        async def get_a(self) -> Any:
            raise RuntimeError("broken")

        async def get_b(self) -> Any:
            raise RuntimeError("broken")

    app = vendor.create_app(default=Crashing())
    result = run_contract(ContractOptions(spec=vendor.spec_path, url=None, app=app, max_examples=2))
    reproduce = {f.operation: f.reproduce for f in result.failures}
    assert set(reproduce) == {"GET /a", "GET /b"}, format_summary(result)
    for curl in reproduce.values():
        assert "vendor.example" not in curl, curl
        assert "http://testserver/" in curl, curl


def test_the_reference_spec_has_no_spec_gaps_as_the_run_reads_it() -> None:
    """schemathesis lists a security scheme's API key as a parameter: it is not one, so an
    operation without parameters (GET /users/me) has no validation status to declare."""
    import schemathesis

    from specfirst.contract.gaps import operation_facts
    from specfirst.spec_gaps import spec_gaps

    facts = operation_facts(
        schemathesis.openapi.from_path(Path(__file__).resolve().parents[2] / "specs" / "api.yaml")
    )
    assert len(facts) == 35
    assert not facts["GET /users/me"].has_parameters
    assert {label: spec_gaps(f) for label, f in facts.items() if spec_gaps(f)} == {}


VARIABLES_SPEC = """
openapi: 3.1.0
info: {title: Cards, version: 1.0.0}
servers:
  - url: 'https://api.cards.example/v2/{lang}'
    variables: {lang: {default: en, enum: [en, fr]}}
paths:
  /cards:
    get:
      operationId: listCards
      responses: {'200': {description: ok}}
"""


def test_the_run_sends_requests_where_the_app_mounts_a_server_with_variables(
    make_api: MakeApi,  # noqa: F811
) -> None:
    """The app mounts routes at the first server's path with each variable at its default
    (``/v2/en``); the run must send its requests there, not to a literal ``/v2/{lang}``."""
    cards = make_api(VARIABLES_SPEC)

    class Cards:
        async def list_cards(self) -> Any:
            return None

    app = cards.create_app(default=Cards())
    result = run_contract(ContractOptions(spec=cards.spec_path, url=None, app=app, max_examples=2))
    assert result.ok, format_summary(result)
    assert result.coverage.reached() == (1, 1), format_summary(result)
