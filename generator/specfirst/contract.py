"""Contract testing: property-test a running service (or an ASGI app) against its spec.

The spec is the contract. :func:`run_contract` loads the *source* document (multi-file
``$ref`` included), drives schemathesis' engine through every phase (``examples``,
``coverage``, ``fuzzing`` and ``stateful`` through the spec's OpenAPI links) with every check
on, and returns a :class:`ContractResult`: one :class:`ContractFailure` per distinct
(operation, check, problem), each with a ``curl`` command that reproduces it.

Runs are deterministic by default (a fixed seed and a bounded number of examples per
operation); pass ``seed=None`` for a random seed, which the result reports so a failure can be
replayed.

Credentials come from headers, typically built by an *auth hook*: a function that receives
an :class:`AuthContext` (a ``requests`` session aimed at the service, or at the app in-process)
and returns headers. :func:`password_token` and :func:`api_key` cover OAuth2 password flows
and API keys.

Which statuses count as passing for the checks that take a list (``positive_data_acceptance``,
``negative_data_rejection``, ``not_a_server_error``, ``missing_required_header``) can be set per
project in ``[tool.specfirst.contract]`` (:func:`load_project_settings`): globally, and for
named operations with a mandatory reason. Nothing there can switch a check off or skip an
operation.

schemathesis is driven as a library, not through its CLI, because the CLI cannot test an
ASGI app in-process and we want one code path for both. Everything schemathesis-specific
stays in this module.
"""

from __future__ import annotations

import importlib
import inspect
import os
import random
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

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

Headers = Mapping[str, str]
AuthHook = Callable[..., Headers]


class ContractError(Exception):
    """The contract run could not start (bad spec path, unreachable server, broken hook)."""


STATUS_CHECKS = (
    "not_a_server_error",
    "positive_data_acceptance",
    "negative_data_rejection",
    "missing_required_header",
)
"""The checks whose passing statuses are configurable (schemathesis' ``expected-statuses``)."""


@dataclass(frozen=True)
class ExpectedStatuses:
    """Statuses that pass ``check``: the whole list for every operation (``operations`` empty),
    or statuses *added* to that list for the named operations, with the reason why."""

    check: str
    statuses: tuple[str, ...]
    operations: tuple[str, ...] = ()  # operationIds
    reason: str = ""


# --- project settings ([tool.specfirst.contract]) ---------------------------------------------


def load_project_settings(pyproject: Path | None) -> tuple[ExpectedStatuses, ...]:
    """``[tool.specfirst.contract]`` of ``pyproject``; empty when there is none.

    .. code-block:: toml

        [tool.specfirst.contract.expected-statuses]
        positive_data_acceptance = ["2XX", "3XX", "401", "403", "404", "409", "412", "428"]

        [[tool.specfirst.contract.allow]]
        check = "positive_data_acceptance"
        operations = ["listProjects"]
        statuses = ["400"]
        reason = "why this is a false positive"

    Raises :class:`ContractError` for anything else, so a typo cannot pass silently.
    """
    if pyproject is None or not pyproject.is_file():
        return ()
    import tomllib

    with pyproject.open("rb") as fh:
        table = tomllib.load(fh).get("tool", {}).get("specfirst", {}).get("contract", {})
    where = f"{pyproject}: [tool.specfirst.contract]"
    if not isinstance(table, Mapping):
        raise ContractError(f"{where} must be a table")
    unknown = set(table) - {"expected-statuses", "allow"}
    if unknown:
        raise ContractError(f"{where}: unknown key(s) {sorted(unknown)}")
    found: list[ExpectedStatuses] = []
    expected = table.get("expected-statuses", {})
    if not isinstance(expected, Mapping):
        raise ContractError(f"{where}.expected-statuses must be a table: check name → statuses")
    for check, statuses in expected.items():
        found.append(
            ExpectedStatuses(
                check=_status_check(check, where),
                statuses=_statuses(statuses, f"{where}.expected-statuses.{check}"),
            )
        )
    allow = table.get("allow", [])
    if not isinstance(allow, list):
        raise ContractError(f"{where}.allow must be an array of tables ([[...allow]])")
    for number, entry in enumerate(allow, 1):
        at = f"{where}.allow #{number}"
        if not isinstance(entry, Mapping):
            raise ContractError(f"{at} must be a table")
        keys = set(entry)
        if keys != {"check", "operations", "statuses", "reason"}:
            raise ContractError(
                f"{at} needs exactly check, operations, statuses and reason "
                f"(missing {sorted({'check', 'operations', 'statuses', 'reason'} - keys)}, "
                f"unknown {sorted(keys - {'check', 'operations', 'statuses', 'reason'})})"
            )
        operations = entry["operations"]
        reason = entry["reason"]
        if (
            not isinstance(operations, list)
            or not operations
            or not all(isinstance(o, str) and o for o in operations)
        ):
            raise ContractError(f"{at}.operations must be a non-empty list of operationIds")
        if not isinstance(reason, str) or not reason.strip():
            raise ContractError(f"{at}.reason must say why (a non-empty string)")
        found.append(
            ExpectedStatuses(
                check=_status_check(entry["check"], at),
                statuses=_statuses(entry["statuses"], f"{at}.statuses"),
                operations=tuple(operations),
                reason=" ".join(reason.split()),
            )
        )
    return tuple(found)


def _status_check(name: object, where: str) -> str:
    if name not in STATUS_CHECKS:
        raise ContractError(
            f"{where}: {name!r} is not a check with expected statuses; "
            f"choose from {', '.join(STATUS_CHECKS)}"
        )
    return str(name)


def _statuses(value: object, where: str) -> tuple[str, ...]:
    if isinstance(value, list) and value and all(isinstance(v, str | int) for v in value):
        return tuple(str(v).upper() for v in value)
    raise ContractError(f'{where} must be a non-empty list of statuses (e.g. 404, "2XX")')


def _status_tables(
    expected: Sequence[ExpectedStatuses],
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """schemathesis' ``checks`` entries and ``[[operations]]`` entries for ``expected``.

    An operation entry replaces the global list in schemathesis, so each one carries the
    global list (or the check's default) plus what is allowed for that operation.
    """
    from schemathesis.config import ChecksConfig

    defaults = ChecksConfig()
    checks: dict[str, dict[str, Any]] = {}
    for item in expected:
        if not item.operations:
            checks[item.check] = {"expected-statuses": list(item.statuses)}
    extra: dict[str, dict[str, list[str]]] = {}
    for item in expected:
        if not item.operations:
            continue
        for op in item.operations:
            statuses = extra.setdefault(op, {}).setdefault(item.check, [])
            statuses.extend(s for s in item.statuses if s not in statuses)
    operations: list[dict[str, Any]] = []
    for op, by_check in sorted(extra.items()):
        table: dict[str, Any] = {}
        for check, added in by_check.items():
            base = checks.get(check, {}).get("expected-statuses") or [
                status.upper() for status in getattr(defaults, check).expected_statuses
            ]
            table[check] = {"expected-statuses": [*base, *(s for s in added if s not in base)]}
        operations.append({"include-operation-id": op, "checks": table})
    return checks, operations


def _check_operation_ids(
    expected: Sequence[ExpectedStatuses], operation_ids: Iterable[str]
) -> None:
    known = set(operation_ids)
    for item in expected:
        missing = [op for op in item.operations if op not in known]
        if missing:
            raise ContractError(
                f"expected statuses for {item.check}: the spec has no operation "
                f"with id {', '.join(missing)}"
            )


# --- auth -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuthContext:
    """What an auth hook may use to obtain credentials.

    ``session`` is a ``requests.Session`` that reaches the service under test: over the
    network for ``--url``, in-process for ``--app``. ``base_url`` is the API's base URL (it
    includes the spec's server path, e.g. ``http://127.0.0.1:8000/v1``), ``spec`` the loaded
    document, for hooks that read e.g. the OAuth2 ``tokenUrl`` from it.
    """

    base_url: str
    session: requests.Session
    spec: Mapping[str, Any]

    def url(self, path: str) -> str:
        """``path`` (relative to the API base, or an absolute path/URL from the spec) as a URL."""
        if path.startswith(("http://", "https://")):
            return path
        base = urlsplit(self.base_url)
        if path.startswith("/") and base.path and path.startswith(base.path.rstrip("/") + "/"):
            return f"{base.scheme}://{base.netloc}{path}"
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        response = self.session.request(method, self.url(path), timeout=30, **kwargs)
        return response

    def oauth2_token_url(self) -> str | None:
        """The ``tokenUrl`` of the spec's first OAuth2 password flow, if any."""
        schemes = self.spec.get("components", {}).get("securitySchemes", {})
        for scheme in schemes.values():
            if isinstance(scheme, Mapping) and scheme.get("type") == "oauth2":
                password = scheme.get("flows", {}).get("password")
                if isinstance(password, Mapping) and isinstance(password.get("tokenUrl"), str):
                    return str(password["tokenUrl"])
        return None


def bearer(token: str) -> dict[str, str]:
    """``Authorization: Bearer <token>``."""
    return {"Authorization": f"Bearer {token}"}


def api_key(value: str, header: str = "X-API-Key") -> dict[str, str]:
    """An API key in a header."""
    return {header: value}


def password_token(
    ctx: AuthContext,
    username: str,
    password: str,
    *,
    scope: str | Sequence[str] | None = None,
    token_url: str | None = None,
) -> dict[str, str]:
    """Bearer headers from an OAuth2 password grant (RFC 6749 §4.3) at the spec's ``tokenUrl``."""
    url = token_url or ctx.oauth2_token_url()
    if url is None:
        raise ContractError("the spec declares no OAuth2 password flow; pass token_url=")
    form = {"grant_type": "password", "username": username, "password": password}
    if scope:
        form["scope"] = scope if isinstance(scope, str) else " ".join(scope)
    response = ctx.request("POST", url, data=form)
    if response.status_code != 200:
        raise ContractError(
            f"token request to {ctx.url(url)} failed: {response.status_code} {response.text[:300]}"
        )
    return bearer(str(response.json()["access_token"]))


def load_object(reference: str) -> Any:
    """``module:attribute`` (or ``module.attribute``) → the object. Imports from the cwd too."""
    module_name, sep, attribute = reference.partition(":")
    if not sep:
        module_name, _, attribute = reference.rpartition(".")
    if not module_name or not attribute:
        raise ContractError(f"{reference!r}: expected module:attribute")
    if os.getcwd() not in sys.path and "" not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ContractError(f"{reference!r}: cannot import {module_name}: {exc}") from exc
    target: Any = module
    for part in attribute.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise ContractError(
                f"{reference!r}: {module_name} has no attribute {attribute}"
            ) from None
    return target


def call_auth_hook(hook: AuthHook, ctx: AuthContext) -> dict[str, str]:
    """Call ``hook`` with the context when it takes an argument; check it returns headers."""
    takes_context = bool(inspect.signature(hook).parameters)
    try:
        headers = hook(ctx) if takes_context else hook()
    except ContractError:
        raise
    except Exception as exc:
        raise ContractError(
            f"auth hook {getattr(hook, '__qualname__', hook)!r} failed: {exc}"
        ) from exc
    if not isinstance(headers, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
    ):
        raise ContractError(
            f"auth hook {getattr(hook, '__qualname__', hook)!r} must return dict[str, str]"
        )
    return dict(headers)


# --- results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContractFailure:
    """One distinct way the service broke the contract."""

    operation: str  # "POST /projects"
    operation_id: str | None
    check: str
    title: str
    message: str
    reproduce: str  # a curl command (or several, for a stateful sequence)
    response: str = ""  # "401 Unauthorized" and the start of the body
    occurrences: int = 1

    def headline(self) -> str:
        op = f"{self.operation} ({self.operation_id})" if self.operation_id else self.operation
        return f"{op}: {self.check}: {self.title}"


@dataclass(frozen=True)
class ContractProblem:
    """An error that stopped part of the run (network error, invalid schema, crash)."""

    where: str
    message: str


@dataclass
class ContractResult:
    seed: int
    failures: list[ContractFailure] = field(default_factory=list)
    errors: list[ContractProblem] = field(default_factory=list)
    operations: set[str] = field(default_factory=set)
    cases: int = 0
    elapsed: float = 0.0
    phases: dict[str, str] = field(default_factory=dict)
    interrupted: bool = False
    """Stopped by Ctrl-C or SIGTERM before every phase ran: not a pass, whatever was found."""

    @property
    def ok(self) -> bool:
        return not self.failures and not self.errors and not self.interrupted

    def failing(self) -> set[tuple[str, str]]:
        """``{(operation, check)}`` of every failure: what tests assert on."""
        return {(f.operation, f.check) for f in self.failures}


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
    """Passing statuses of the status checks (see :func:`load_project_settings`)."""


# --- running ----------------------------------------------------------------------------------


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

    import schemathesis
    from schemathesis.config import ConfigError, SchemathesisConfig
    from schemathesis.core.errors import LoaderError

    seed = options.seed if options.seed is not None else random.SystemRandom().randrange(2**32)
    project: dict[str, Any] = {
        "seed": seed,
        "cache": {"enabled": False},  # replaying earlier runs' requests would break determinism
        "workers": options.workers,
        "request-timeout": options.request_timeout,
        "checks": _checks_table(options.checks),
        "phases": {name: {"enabled": name in options.phases} for name in PHASES},
        "generation": {"max-examples": options.max_examples, "database": "none"},
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
    try:
        config = SchemathesisConfig.from_dict(project)
        schema = schemathesis.openapi.from_path(options.spec, config=config)
    except ConfigError as exc:
        raise ContractError(f"contract configuration: {exc}") from exc
    except LoaderError as exc:
        raise ContractError(f"{options.spec}: {exc}") from exc

    base_url = _base_url(options, schema.raw_schema)
    app = like_a_server(options.app) if options.app is not None else None
    with _session(app) as session:
        return _run(options, app, schema, base_url, session, seed, progress)


def _run(
    options: ContractOptions,
    app: Any,
    schema: Any,
    base_url: str,
    session: requests.Session,
    seed: int,
    progress: Callable[[str], None] | None,
) -> ContractResult:
    headers = dict(options.headers)
    if options.auth is not None:
        ctx = AuthContext(base_url=base_url, session=session, spec=schema.raw_schema)
        headers.update(call_auth_hook(options.auth, ctx))
    if app is not None:
        schema.app = app
        if urlsplit(base_url).path not in ("", "/"):
            schema.config.update(base_url=base_url)
    else:
        _wait_until_reachable(session, base_url)
        schema.config.update(base_url=base_url)
    if headers:
        schema.config.update(headers=headers)

    # Only now: listing the operations fixes their base URL and headers.
    operation_ids = _operation_ids(schema)
    _check_operation_ids(options.expected_statuses, operation_ids.values())
    result = _execute(schema, seed, progress, operation_ids)
    if options.junit is not None:
        write_junit(result, options.junit, name=options.suite_name)
    return result


def _checks_table(checks: Sequence[str]) -> dict[str, Any]:
    if "all" in checks:
        return {"enabled": True}
    table: dict[str, Any] = {"enabled": False}
    for name in checks:
        table[name] = {"enabled": True}
    return table


def _base_url(options: ContractOptions, spec: Mapping[str, Any]) -> str:
    """The API base: ``--url`` joined with the spec's first server path when that is relative."""
    servers = spec.get("servers") or [{"url": "/"}]
    declared = str(servers[0].get("url", "/")) if isinstance(servers[0], Mapping) else "/"
    declared_path = urlsplit(declared).path if "://" in declared else declared
    root = options.url if options.url is not None else "http://testserver"
    parts = urlsplit(root)
    if parts.path not in ("", "/"):
        return root.rstrip("/")  # the caller named the base explicitly
    return f"{parts.scheme}://{parts.netloc}{declared_path.rstrip('/')}"


def like_a_server(app: Any) -> Any:
    """``app`` behaving as it does under uvicorn: an exception becomes a 500, never a raise.

    Starlette re-raises an unhandled exception after answering 500, so that test clients see
    it; a server logs it instead. Without this an in-process run would stop at the exception
    rather than report the operation and the ``not_a_server_error`` check.
    """

    async def served(scope: Any, receive: Any, send: Any) -> None:
        started = False

        async def tracking(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        try:
            await app(scope, receive, tracking)
        except Exception:
            if started:
                return  # the app already answered (its 500 problem); a server only logs this
            body = b"Internal Server Error"
            await send(
                {
                    "type": "http.response.start",
                    "status": 500,
                    "headers": [
                        (b"content-type", b"text/plain; charset=utf-8"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})

    return served


def _session(app: Any) -> requests.Session:
    if app is not None:
        from schemathesis.python import asgi

        # Entering the client runs the app's lifespan, which schemathesis keeps for the process.
        return asgi.get_client(app)
    import requests

    return requests.Session()


def _wait_until_reachable(session: requests.Session, base_url: str, timeout: float = 5.0) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while True:
        try:
            session.get(base_url, timeout=2)
            return
        except requests.ConnectionError as exc:
            if time.monotonic() > deadline:
                raise ContractError(f"{base_url}: server not reachable: {exc}") from None
            time.sleep(0.2)


def _execute(
    schema: Any,
    seed: int,
    progress: Callable[[str], None] | None,
    operation_ids: Mapping[str, str],
) -> ContractResult:
    from schemathesis.engine import Status, events, from_schema

    result = ContractResult(seed=seed)
    found: dict[tuple[str, str, str], ContractFailure] = {}
    seen_errors: set[tuple[str, str]] = set()
    started = time.perf_counter()
    for event in from_schema(schema).execute():
        if isinstance(event, events.PhaseStarted) and progress is not None:
            progress(f"phase {event.phase.name.value}")
        elif isinstance(event, events.PhaseFinished):
            if event.phase.is_enabled:
                name = event.phase.name.value
                if result.phases.get(name) != Status.FAILURE.value:
                    result.phases[name] = event.status.value
        elif isinstance(event, events.ScenarioFinished):
            _collect(event.recorder, found, result, operation_ids)
        elif isinstance(event, events.NonFatalError):
            message = event.info.format(base_url_is_set=True)
            key = (event.label, message)
            if key not in seen_errors:
                seen_errors.add(key)
                result.errors.append(ContractProblem(event.label, message))
        elif isinstance(event, events.Interrupted):
            result.interrupted = True
        elif isinstance(event, events.FatalError):
            result.errors.append(
                ContractProblem("run", f"{type(event.exception).__name__}: {event.exception}")
            )
    result.failures = sorted(found.values(), key=lambda f: (f.operation, f.check, f.title))
    result.elapsed = time.perf_counter() - started
    return result


def _collect(
    recorder: Any,
    found: dict[tuple[str, str, str], ContractFailure],
    result: ContractResult,
    operation_ids: Mapping[str, str],
) -> None:
    for case_id, node in recorder.cases.items():
        result.operations.add(node.value.operation.label)
        result.cases += case_id in recorder.interactions
    for case_id, checks in recorder.checks.items():
        node = recorder.cases.get(case_id)
        for check in checks:
            info = check.failure_info
            if info is None:
                continue
            failure = info.failure
            label = failure.operation or (
                node.value.operation.label if node is not None else recorder.label
            )
            key = (label, check.name, failure.title)
            if key in found:
                previous = found[key]
                found[key] = ContractFailure(
                    **{**previous.__dict__, "occurrences": previous.occurrences + 1}
                )
                continue
            steps = getattr(info, "steps", None) or []
            reproduce = "\n".join(step.curl for step in steps) if steps else info.code_sample
            interaction = recorder.interactions.get(case_id)
            found[key] = ContractFailure(
                operation=label,
                operation_id=operation_ids.get(label),
                check=check.name,
                title=failure.title,
                message=failure.message,
                reproduce=reproduce,
                response=_describe(interaction.response if interaction is not None else None),
            )


def _describe(response: Any) -> str:
    if response is None:
        return ""
    body = bytes(response.content[:500]).decode("utf-8", "replace")
    content_type = ",".join(response.headers.get("content-type", [])) or "no content type"
    return f"{response.status_code} {response.message} ({content_type}) {body}".rstrip()


def _operation_ids(schema: Any) -> dict[str, str]:
    """``{"POST /things": "createThing"}``, with ``$ref``'d path items (multi-file specs) resolved."""
    ids: dict[str, str] = {}
    for found in schema.get_all_operations():
        try:
            operation = found.ok()
        except Exception:  # an operation schemathesis cannot load is reported as an error anyway
            continue
        operation_id = operation.definition.raw.get("operationId")
        if isinstance(operation_id, str):
            ids[operation.label] = operation_id
    return ids


# --- reporting --------------------------------------------------------------------------------


def format_summary(result: ContractResult, *, verbose: bool = True) -> str:
    """A human summary: every failing operation and check, with how to reproduce it."""
    lines: list[str] = []
    for number, failure in enumerate(result.failures, 1):
        lines.append(f"{number}. {failure.headline()}")
        if verbose:
            if failure.message:
                lines.extend("     " + line for line in _truncate(failure.message).splitlines())
            if failure.response:
                lines.append(f"   response: {failure.response}")
            lines.append("   reproduce:")
            lines.extend("     " + line for line in failure.reproduce.splitlines())
            lines.append("")
    for problem in result.errors:
        lines.append(f"error: {problem.where}")
        if verbose:
            lines.extend("     " + line for line in _truncate(problem.message).splitlines())
    phases = ", ".join(f"{name} {status}" for name, status in result.phases.items())
    found = f"{len(result.failures)} failure(s), {len(result.errors)} error(s)"
    if result.interrupted:
        verdict = f"INTERRUPTED (so far {found})"
    elif result.ok:
        verdict = "PASSED"
    else:
        verdict = f"FAILED: {found}"
    lines.append(
        f"contract {verdict}: {len(result.operations)} operations, {result.cases} requests, "
        f"{result.elapsed:.1f}s, seed {result.seed} ({phases})"
    )
    if not result.ok:
        lines.append(f"replay with: --seed {result.seed}")
    return "\n".join(lines)


def _truncate(text: str, limit: int = 40) -> str:
    lines = text.splitlines()
    if len(lines) <= limit:
        return text
    return "\n".join([*lines[:limit], f"… ({len(lines) - limit} more lines)"])


def write_junit(result: ContractResult, path: Path, *, name: str = "specfirst contract") -> None:
    """JUnit XML: one test case per operation, one ``<failure>`` per failing check."""
    by_operation: dict[str, list[ContractFailure]] = {op: [] for op in sorted(result.operations)}
    for failure in result.failures:
        by_operation.setdefault(failure.operation, []).append(failure)
    suite = ET.Element(
        "testsuite",
        name=name,
        tests=str(len(by_operation) + len(result.errors)),
        failures=str(sum(1 for fs in by_operation.values() if fs)),
        errors=str(len(result.errors)),
        time=f"{result.elapsed:.3f}",
    )
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="seed", value=str(result.seed))
    for operation, failures in by_operation.items():
        case = ET.SubElement(suite, "testcase", classname=name, name=operation)
        for failure in failures:
            element = ET.SubElement(case, "failure", type=failure.check, message=failure.headline())
            element.text = f"{failure.message}\n\nResponse: {failure.response}\n\nReproduce:\n{failure.reproduce}\n"
    for problem in result.errors:
        case = ET.SubElement(suite, "testcase", classname=name, name=f"error: {problem.where}")
        ET.SubElement(
            case, "error", message=problem.message.splitlines()[0] if problem.message else ""
        ).text = problem.message
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n")


def failures_named(result: ContractResult, operation: str) -> Iterable[ContractFailure]:
    """The failures of one operation (``"GET /things"`` or an operationId)."""
    return (f for f in result.failures if operation in (f.operation, f.operation_id))
