"""One contract run: :class:`ContractOptions` in, :class:`ContractResult` out.

:func:`run_contract` checks the options and builds schemathesis' configuration: the seed,
the phases, the checks and their expected statuses, the examples per operation; credentials
are what the auth hook and ``--header`` give, never an account of schemathesis' making.
:func:`_run` then calls the auth and setup hooks, adds their credentials and seed data to that
configuration, points the schema at the service, runs the engine, probes the secured
operations without credentials, applies the coverage gates and writes the reports. The steps
themselves live in the modules this one imports, one concern each (see
:mod:`specfirst.contract`).

Runs are deterministic by default (a fixed seed and a bounded number of examples per
operation); pass ``seed=None`` for a random seed, which the result reports so a failure can be
replayed.

schemathesis is driven as a library, not through its CLI, because the CLI cannot test an
ASGI app in-process and we want one code path for both. It is imported when a run starts.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from specfirst.contract.coverage import Coverage, Exemption
from specfirst.contract.credentials import (
    HEADER_CLASH,
    _auth_schemes,
    _mask_only_credentials,
    _probe_without_credentials,
    _unmeetable,
)
from specfirst.contract.document import formless_bodies
from specfirst.contract.engine import _execute
from specfirst.contract.gaps import operation_facts, settle_gaps
from specfirst.contract.hooks import (
    AuthContext,
    AuthHook,
    ContractError,
    SeedData,
    SetupHook,
    Value,
    call_auth_hook,
    call_setup_hook,
)
from specfirst.contract.paths import SHADOWED, _routes, _shadowed, loaded_operations
from specfirst.contract.reports import write_junit, write_reports
from specfirst.contract.results import ContractResult
from specfirst.contract.settings import (
    ExpectedStatuses,
    _check_operation_ids,
    _status_tables,
)
from specfirst.contract.stubs import excuse_stubs
from specfirst.contract.target import _session, _wait_until_reachable, like_a_server
from specfirst.loader import deref, server_base_path

FORMLESS = "form-body-object"
"""The note rule of an operation whose body is a form of a schema that is not an object."""

if TYPE_CHECKING:
    import requests

PHASES = ("examples", "coverage", "fuzzing", "stateful")
"""Every test phase, in the order they run."""

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "missing_required_header",
    "unsupported_method",
    "use_after_free",
    "ensure_resource_availability",
    "ignored_auth",
)
"""The checks a contract run asserts. ``"all"`` (the default) also turns on any check a newer
schemathesis adds, e.g. ``allow_header_conformance``."""

DEFAULT_SEED = 20240601
DEFAULT_MAX_EXAMPLES = 10


@dataclass(frozen=True)
class ContractOptions:
    """One contract run. Either ``url`` (a live server) or ``app`` (an ASGI app) is required."""

    spec: Path
    url: str | None = None
    app: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    auth: AuthHook | None = None
    checks: Sequence[str] = ("all",)
    phases: Sequence[str] = PHASES
    seed: int | None = DEFAULT_SEED
    max_examples: int = DEFAULT_MAX_EXAMPLES
    workers: int = 1
    max_time: int | None = None
    request_timeout: float = 10.0
    junit: Path | None = None
    suite_name: str = "specfirst contract"
    expected_statuses: Sequence[ExpectedStatuses] = ()
    """Passing statuses of the status checks (see :func:`.settings.load_project_settings`)."""
    exemptions: Sequence[Exemption] = ()
    """Operations a coverage gate does not fail (see :func:`.settings.load_exemptions`)."""
    setup: SetupHook | None = None
    """Creates test data before the run and returns it (:class:`.hooks.SeedData`)."""
    strict: bool = False
    """Spec gaps fail the run (:mod:`.gaps`): every status the runtime sends is declared."""
    require_implemented: bool = False
    """Unimplemented operations (a stub's 501) fail the run (:mod:`.stubs`)."""


def run_contract(
    options: ContractOptions, *, progress: Callable[[str], None] | None = None
) -> ContractResult:
    """Run schemathesis against the service; every failing (operation, check) in the result."""
    if (options.url is None) == (options.app is None):
        raise ContractError("give exactly one of url (a live server) or app (an ASGI app)")
    if not options.spec.is_file():
        raise ContractError(f"{options.spec}: no such spec file")
    unknown = set(options.phases) - set(PHASES)
    if unknown:
        raise ContractError(f"unknown phase(s) {sorted(unknown)}; choose from {', '.join(PHASES)}")

    seed = options.seed if options.seed is not None else random.SystemRandom().randrange(2**32)
    project: dict[str, Any] = {
        "seed": seed,
        "cache": {"enabled": False},  # replaying earlier runs' requests would break determinism
        "workers": options.workers,
        "request-timeout": options.request_timeout,
        "checks": _checks_table(options.checks),
        "phases": {name: {"enabled": name in options.phases} for name in PHASES},
        "generation": {"max-examples": options.max_examples, "database": "none"},
        # Credentials are what the auth hook and --header give, nothing else: schemathesis'
        # own sign-up would otherwise replace them with an account of its making.
        "auth": {"auto-signup": False},
    }
    if options.max_time is not None:
        project["max-time"] = options.max_time
    # Only for the checks that run: a check's table without `enabled` would switch it on.
    expected = [
        item
        for item in options.expected_statuses
        if "all" in options.checks or item.check in options.checks
    ]
    if expected:
        checks, operations = _status_tables(expected)
        for check, table in checks.items():
            project["checks"][check] = {**project["checks"].get(check, {}), **table}
        if operations:
            project["operations"] = operations
        if progress is not None:
            for item in expected:
                scope = f" for {', '.join(item.operations)}" if item.operations else ""
                verb = "also accepts" if item.operations else "accepts"
                progress(f"{item.check} {verb} {', '.join(item.statuses)}{scope}")
    unread: list[str] = []
    schema = _load(options.spec, project, unread)
    base_url = _base_url(options, schema.raw_schema)
    app = like_a_server(options.app) if options.app is not None else None
    with (
        _session(app) as session,
        _raw_bodies(schema.raw_schema),
        _unset_headers_unsent(schema.raw_schema),
        _unparsable_urls_skipped(),
    ):
        return _run(options, app, schema, project, base_url, session, seed, progress, unread)


@contextlib.contextmanager
def _raw_bodies(spec: Mapping[str, Any]) -> Iterator[None]:
    """Request bodies of media types schemathesis has no serializer for (a vendor's
    ``application/vnd.x``, OBS's ``plain/text``) are generated as raw bytes while the run
    lasts: the app reads such a body as the bytes it is (``BodyKind.BINARY``, whatever the
    schema), so the run tests those operations instead of stopping on "Serialization not
    possible". Such bodies are never "invalid" (any bytes are a body), as for
    ``application/octet-stream``."""
    from hypothesis import strategies as st
    from schemathesis.core.media_types import MEDIA_TYPE_STRATEGIES
    from schemathesis.specs.openapi.media_types import register_media_type
    from schemathesis.transport.asgi import ASGI_TRANSPORT
    from schemathesis.transport.requests import REQUESTS_TRANSPORT
    from schemathesis.transport.wsgi import WSGI_TRANSPORT

    missing = sorted(
        media
        for media in _request_media_types(spec)
        if "/" in media and REQUESTS_TRANSPORT.get_first_matching_media_type(media) is None
    )
    for media in missing:
        register_media_type(media, st.binary(max_size=64))
    try:
        yield
    finally:
        for media in missing:
            MEDIA_TYPE_STRATEGIES.pop(media, None)
        for transport in (ASGI_TRANSPORT, REQUESTS_TRANSPORT, WSGI_TRANSPORT):
            transport.unregister_serializer(*missing)


@contextlib.contextmanager
def _unparsable_urls_skipped() -> Iterator[None]:
    """A string in a response body that starts like a URL but that ``urlsplit`` refuses is not
    a link while the run lasts. schemathesis scans 2xx JSON bodies for same-origin URLs to
    infer links, and let urlsplit's ``ValueError`` end the whole run: shipengine's webhook
    ``url`` (``format: url``, any string) has the example ``https://[YOUR ENDPOINT ID].x...``,
    which an example stub answers, and a bracketed host must be an IP address ("'YOUR
    ENDPOINT ID' does not appear to be an IPv4 or IPv6 address"). Any service may answer such
    a string; it is simply not a link to follow."""
    from schemathesis.engine import observations

    original = observations._same_origin_path

    def same_origin_path(value: str, origin: tuple[str, str]) -> str | None:
        try:
            return original(value, origin)
        except ValueError:  # "Invalid IPv6 URL", a bracketed host that is no IP address, a bad port
            return None

    observations._same_origin_path = same_origin_path
    try:
        yield
    finally:
        observations._same_origin_path = original


@contextlib.contextmanager
def _unset_headers_unsent(spec: Mapping[str, Any]) -> Iterator[None]:
    """A header parameter the case leaves unset is not sent while the run lasts, where the
    HTTP client would send one of its own: schemathesis adds ``requests``' default headers
    (``Accept-Encoding: gzip, deflate``, ``User-Agent``, ``Accept``, ``Connection``) to every
    request, so a positive case without conjur's ``Accept-Encoding`` (``enum: [base64]``) sent
    a value its schema refuses ("Schema-valid request rejected"). Over HTTP, urllib3 is told
    to skip the ``Accept-Encoding`` and ``User-Agent`` it would add in their place. Headers the
    run is given (``-H``, the auth hook) are sent as given; operations that declare none of
    these headers are left alone."""
    from schemathesis.transport.asgi import ASGI_TRANSPORT
    from schemathesis.transport.prepare import get_default_headers
    from schemathesis.transport.requests import REQUESTS_TRANSPORT
    from urllib3.util import SKIP_HEADER, SKIPPABLE_HEADERS

    defaults = frozenset(name.lower() for name in get_default_headers())
    if not _header_parameters(spec) & defaults:
        yield
        return
    by_operation: dict[str, frozenset[str]] = {}

    def declared(case: Any) -> frozenset[str]:
        """The client's default headers the case's operation declares as parameters."""
        label = str(case.operation.label)
        if label not in by_operation:
            by_operation[label] = defaults & {
                str(parameter.name).lower()
                for parameter in case.operation.iter_parameters()
                if str(getattr(parameter.location, "value", parameter.location)) == "header"
            }
        return by_operation[label]

    def configured(case: Any) -> set[str]:
        headers = case.operation.schema.config.headers_for(operation=case.operation)
        return {str(name).lower() for name in headers}

    def unset(case: Any) -> frozenset[str]:
        given = {str(name).lower() for name in case.headers or {}} | configured(case)
        return declared(case) - given

    def serializing(original: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        def serialize_case(case: Any, **kwargs: Any) -> dict[str, Any]:
            data = original(case, **kwargs)
            headers = data.get("headers")
            if headers is None:
                return data
            # the case's own value, over the client's (the in-process client's `user-agent:
            # testclient` is sent over what the case gave); nothing where the case gave none
            own = {str(k).lower(): v for k, v in (case.headers or {}).items()}
            wanted = declared(case) - configured(case)
            for name in list(headers):
                if name.lower() in wanted and headers[name] != SKIP_HEADER:
                    del headers[name]
            for name in wanted & own.keys():
                headers[name] = own[name]
            return data

        return serialize_case

    def sending(original: Callable[..., Any]) -> Callable[..., Any]:
        def send(case: Any, **kwargs: Any) -> Any:
            skipped = {name: SKIP_HEADER for name in unset(case) & SKIPPABLE_HEADERS}
            if skipped:
                kwargs["headers"] = {**(kwargs.get("headers") or {}), **skipped}
            return original(case, **kwargs)

        return send

    transports = (ASGI_TRANSPORT, REQUESTS_TRANSPORT)
    # on these instances, for this run: the classes (and other transports) are left alone
    for transport in transports:
        setattr(transport, "serialize_case", serializing(transport.serialize_case))  # noqa: B010
    setattr(REQUESTS_TRANSPORT, "send", sending(REQUESTS_TRANSPORT.send))  # noqa: B010
    try:
        yield
    finally:
        for transport in transports:
            delattr(transport, "serialize_case")
        delattr(REQUESTS_TRANSPORT, "send")


def _header_parameters(spec: Mapping[str, Any]) -> set[str]:
    """The names (lower case) of every header parameter ``spec`` declares."""
    found: set[str] = set()
    paths = spec.get("paths")
    for item in paths.values() if isinstance(paths, Mapping) else ():
        item, _, _ = deref(spec, item, ())
        if not isinstance(item, Mapping):
            continue
        lists = [
            item.get("parameters"),
            *(op.get("parameters") for op in item.values() if isinstance(op, Mapping)),
        ]
        for parameters in lists:
            for parameter in parameters if isinstance(parameters, list) else ():
                parameter, _, _ = deref(spec, parameter, ())
                if isinstance(parameter, Mapping) and parameter.get("in") == "header":
                    found.add(str(parameter.get("name", "")).lower())
    return found


def _request_media_types(spec: Mapping[str, Any]) -> set[str]:
    """Every media type a request body of ``spec`` declares (``$ref``'d bodies followed)."""
    found: set[str] = set()
    paths = spec.get("paths")
    for item in paths.values() if isinstance(paths, Mapping) else ():
        item, _, _ = deref(spec, item, ())
        for operation in item.values() if isinstance(item, Mapping) else ():
            body = operation.get("requestBody") if isinstance(operation, Mapping) else None
            body, _, _ = deref(spec, body, ())
            content = body.get("content") if isinstance(body, Mapping) else None
            if isinstance(content, Mapping):
                found.update(str(media) for media in content)
    return found


def _load(spec: Path, project: dict[str, Any], unread: list[str] | None = None) -> Any:
    from schemathesis.config import ConfigError, SchemathesisConfig
    from schemathesis.core.errors import LoaderError

    try:
        config = SchemathesisConfig.from_dict(project)
        return _json_parameter_values(_keep_empty_segments(_load_schema(spec, config, unread)))
    except ConfigError as exc:
        raise ContractError(f"contract configuration: {exc}") from exc
    except LoaderError as exc:
        raise ContractError(f"{spec}: {exc}") from exc


def _keep_empty_segments(schema: Any) -> Any:
    """``schema`` sending each case to its path as written: schemathesis joins the path to the
    base URL with ``urljoin``, which drops empty segments, so tomtom's ``GET /map/1/wms//``
    was sent to ``/map/1/wms/``, another operation (as was ``/items/{id}/x`` with ``id=""``).
    OpenAPI appends the path to the server URL; a path with an empty segment is sent so."""
    from urllib.parse import quote, unquote

    from schemathesis.transport.prepare import prepare_path

    joined = schema.build_request_url

    def build_request_url(case: Any, base_url: str) -> str:
        path = prepare_path(case.path, case.path_parameters).lstrip("/")
        if "//" not in path:
            return str(joined(case, base_url))
        # as schemathesis does, less urljoin: the base is in wire form, its `%` kept as sent
        return unquote(base_url.replace("%", "%25").rstrip("/") + "/" + quote(path))

    schema.build_request_url = build_request_url
    return schema


def _json_parameter_values(schema: Any) -> Any:
    """``schema`` sending each path and query parameter declared as JSON text of a string (or
    a list of strings) as JSON text (:func:`specfirst.contract.document.json_text_parameters`):
    a value that is not (one taken from a response) is sent as the JSON string of its text (or
    a list holding it), which is what a client of the spec sends. The case is changed in place (before its query is prepared, which the
    requests and ASGI transports do after the URL), so that its reproduction shows what was
    sent."""
    import json
    from urllib.parse import quote, unquote

    from specfirst.contract.document import json_text_parameters

    names = json_text_parameters(getattr(schema, "raw_schema", None) or {})
    if not names:
        return schema
    joined = schema.build_request_url

    def as_json(text: str, is_list: bool) -> str | None:
        """``text`` as JSON text of a string (or a list holding it), or None when it is."""
        try:
            if isinstance(json.loads(text), list if is_list else str):
                return None
        except ValueError:
            pass
        return json.dumps([text] if is_list else text)

    def build_request_url(case: Any, base_url: str) -> str:
        wanted = names.get(f"{str(case.method).upper()} {case.path}", frozenset())
        for location, name, is_list in wanted:
            values = case.path_parameters if location == "path" else case.query
            value = values.get(name) if isinstance(values, dict) else None
            if not isinstance(value, str):
                continue
            fixed = as_json(unquote(value) if location == "path" else value, is_list)
            if fixed is not None:
                values[name] = quote(fixed, safe="") if location == "path" else fixed
        return str(joined(case, base_url))

    schema.build_request_url = build_request_url
    return schema


def _load_schema(spec: Path, config: Any, unread: list[str] | None = None) -> Any:
    """schemathesis' schema of ``spec``, as the generated app reads it
    (:mod:`specfirst.contract.document`): where that differs from the literal document, or for
    an OpenAPI 3.2 document with ``$self`` (whose refs are URIs based on it, which schemathesis
    would fetch over the network), schemathesis gets our bundled document; otherwise it reads
    the file itself. ``unread`` gains a line for each request body media type left out."""
    import schemathesis

    from specfirst.contract.document import as_the_app_reads, unread_media
    from specfirst.diagnostics import DiagnosticError
    from specfirst.loader import load_spec

    try:
        loaded = load_spec(spec)
    except (DiagnosticError, OSError):
        return schemathesis.openapi.from_path(spec, config=config)  # reported in its own words
    read = as_the_app_reads(loaded.document)
    if unread is not None and read is not None:
        unread.extend(unread_media(loaded.document))
    if read is not None:
        return schemathesis.openapi.from_dict(read, config=config)
    if isinstance(loaded.document.get("$self"), str):
        return schemathesis.openapi.from_dict(loaded.document, config=config)
    return schemathesis.openapi.from_path(spec, config=config)


def _run(
    options: ContractOptions,
    app: Any,
    schema: Any,
    project: dict[str, Any],
    base_url: str,
    session: requests.Session,
    seed: int,
    progress: Callable[[str], None] | None,
    unread: Sequence[str] = (),
) -> ContractResult:
    headers = dict(options.headers)
    ctx = AuthContext(base_url=base_url, session=session, spec=schema.raw_schema)
    if options.auth is not None:
        headers.update(call_auth_hook(options.auth, ctx))
    secret = {name.lower() for name in headers}
    schemes, headers_left = _auth_schemes(schema.raw_schema, headers)
    if schemes:
        project = {**project, "auth": {**project.get("auth", {}), "openapi": schemes}}
    data = (
        call_setup_hook(options.setup, replace(ctx, headers=headers))
        if options.setup is not None
        else None
    )
    if data is not None:
        operations = project.setdefault("operations", [])
        dictionaries, parameters = _seed_tables(data, operations)
        project = {**project, "dictionaries": dictionaries, "parameters": parameters}
        if not operations:
            project.pop("operations")
        if data.always:
            # An operation whose every input is seeded sends the same request each time;
            # Hypothesis would stop it as "filtering too much" after the first few.
            project["suppress-health-check"] = ["filter_too_much"]
    if schemes or data is not None:
        schema = _load(options.spec, project)
    if data is not None:
        seeded = sorted({*data.parameters, *(k for t in data.operations.values() for k in t)})
        if progress is not None and seeded:  # the scaffolded hook's empty SeedData names none
            progress(
                f"seed data for {', '.join(seeded)} (used with probability {data.probability:g})"
            )
        secret.update(name.lower() for h in data.credentials.values() for name in h)
    _mask_only_credentials(schema, ctx, secret)
    if app is not None:
        schema.app = app
    else:
        _wait_until_reachable(session, base_url)
    # Always: without a base URL schemathesis sends (and reproduces) an operation that has its
    # own `servers` at that server, the vendor's production host, not the service under test.
    schema.config.update(base_url=base_url)
    if headers_left:
        schema.config.update(headers=headers_left)

    # Only now: listing the operations fixes their base URL and headers.
    operation_ids = _operation_ids(schema)
    _check_operation_ids(
        [
            *(
                (f"expected statuses for {e.check}", e.operations)
                for e in options.expected_statuses
            ),
            *(("[tool.specfirst.contract.exempt]", e.operations) for e in options.exemptions),
            *(_seeded_operations(options.setup, data) if data is not None else ()),
        ],
        operation_ids.values(),
    )
    coverage = Coverage.from_spec(_declared_responses(schema))
    unknown = sorted(
        key
        for key in (data.credentials if data else ())
        if " /" in key and key not in coverage.operations
    )
    if unknown:
        where = _seeded_operations(options.setup, data)[-1][0] if data else ""
        raise ContractError(f"{where}: the spec has no operation {', '.join(unknown)}")
    coverage.exempt(options.exemptions)
    coverage.require_implemented = options.require_implemented
    fixed = (
        {
            op: {str(values[0]) for values in data.operations.get(op, {}).values() if values}
            for op in data.always
        }
        if data is not None
        else {}
    )
    shadowed = _shadowed(schema)
    for label, winner in shadowed.items():
        if label in coverage.operations:
            coverage.operations[label].exemption = Exemption(
                (), f"its requests are {winner}'s ({SHADOWED})"
            )
    for label, why in _unmeetable(schema).items():
        if label in coverage.operations and coverage.operations[label].exemption is None:
            coverage.operations[label].exemption = Exemption((), why, ("auth",), HEADER_CLASH)
    for label, why in formless_bodies(schema.raw_schema, coverage.operations).items():
        if coverage.operations[label].exemption is None:
            coverage.operations[label].exemption = Exemption((), why, ("success",), FORMLESS)
    result = _execute(
        schema, seed, progress, operation_ids, coverage, fixed, _routes(schema), shadowed
    )
    result.notes.extend(f"not sent: {line}" for line in unread)
    if not result.interrupted:
        credentials = set(schema.config.output.sanitization.keys_to_sanitize)
        _probe_without_credentials(
            session,
            schema,
            {**result.stubbed, **result.served},
            credentials | {name.lower() for name in (data.forbidden if data else {})},
            result,
            operation_ids,
            data.forbidden if data is not None else None,
        )
    excuse_stubs(result, coverage)
    settle_gaps(result, coverage, operation_facts(schema), strict=options.strict)
    result.gates = [] if result.interrupted else coverage.gate_failures()
    for rule, text in [] if result.interrupted else coverage.gate_notes():
        if text not in result.notes:
            result.notes.append(text)
            result.noted[rule] = result.noted.get(rule, 0) + 1
    if options.junit is not None:
        write_junit(result, options.junit, name=options.suite_name)
        result.reports.extend(
            write_reports(
                coverage,
                options.junit,
                title=options.suite_name,
                warnings=result.warnings,
                gates=result.gates,
                notes=result.notes,
                noted=result.noted,
                gaps=result.gaps,
                seed=seed,
            )
        )
    return result


def _declared_responses(schema: Any) -> list[tuple[str, str | None, list[str]]]:
    found: list[tuple[str, str | None, list[str]]] = []
    for operation in loaded_operations(schema):
        raw = operation.definition.raw
        operation_id = raw.get("operationId")
        responses = raw.get("responses") or {}
        found.append(
            (
                operation.label,
                operation_id if isinstance(operation_id, str) else None,
                [str(key) for key in responses],
            )
        )
    return found


def _seeded_operations(setup: SetupHook | None, data: SeedData) -> list[tuple[str, Sequence[str]]]:
    """Where the setup hook's seed data names operations, for :func:`_check_operation_ids`."""
    hook = f"{getattr(setup, '__module__', '?')}:{getattr(setup, '__qualname__', setup)}"
    return [
        (f"setup hook {hook}: SeedData.operations", sorted(data.operations)),
        (f"setup hook {hook}: SeedData.always", list(data.always)),
        (
            f"setup hook {hook}: SeedData.credentials",
            sorted(key for key in data.credentials if " /" not in key),
        ),
    ]


def _checks_table(checks: Sequence[str]) -> dict[str, Any]:
    if "all" in checks:
        return {"enabled": True}
    table: dict[str, Any] = {"enabled": False}
    for name in checks:
        table[name] = {"enabled": True}
    return table


def _seed_tables(
    data: SeedData, operations: list[dict[str, Any]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """schemathesis ``dictionaries`` and ``parameters`` for ``data``; ``operations`` (the
    ``[[operations]]`` entries) gain each operation's own parameters in place."""
    dictionaries: dict[str, Any] = {}

    def bind(values: Sequence[Value]) -> dict[str, Any]:
        name = f"specfirst-seed-{len(dictionaries)}"
        dictionaries[name] = {"values": list(values)}
        return {"dictionary": name, "probability": data.probability}

    parameters = {key: bind(values) for key, values in data.parameters.items()}
    by_id = {entry["include-operation-id"]: entry for entry in operations}
    for operation_id, table in sorted(data.operations.items()):
        entry = by_id.get(operation_id)
        if entry is None:
            entry = by_id[operation_id] = {"include-operation-id": operation_id}
            operations.append(entry)
        if operation_id in data.always:  # a fixed override, which every phase honours
            entry["parameters"] = {key: values[0] for key, values in table.items()}
        else:
            entry["parameters"] = {key: bind(values) for key, values in table.items()}
    for operation_id, headers in sorted(data.credentials.items()):
        entry = by_id.get(operation_id)
        if entry is None:
            # an operation without an operationId is named by its label (``GET /auth``)
            key = "include-name" if " /" in operation_id else "include-operation-id"
            entry = by_id[operation_id] = {key: operation_id}
            operations.append(entry)
        entry["headers"] = dict(headers)
    return dictionaries, parameters


def _base_url(options: ContractOptions, spec: Mapping[str, Any]) -> str:
    """The API base: ``--url`` (or the in-process app's host) joined with the path where the
    generated app mounts its routes (:func:`server_base_path`: the first server's path, each
    variable at its default), unless ``--url`` names a path itself."""
    root = options.url if options.url is not None else "http://testserver"
    parts = urlsplit(root)
    if parts.path not in ("", "/"):
        return root.rstrip("/")  # the caller named the base explicitly
    return f"{parts.scheme}://{parts.netloc}{server_base_path(spec)}"


def _operation_ids(schema: Any) -> dict[str, str]:
    """``{"POST /things": "createThing"}``, with ``$ref``'d path items (multi-file specs) resolved."""
    ids: dict[str, str] = {}
    for operation in loaded_operations(schema):
        operation_id = operation.definition.raw.get("operationId")
        if isinstance(operation_id, str):
            ids[operation.label] = operation_id
    return ids
