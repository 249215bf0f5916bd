"""schemathesis' engine, run over the loaded schema and read into a :class:`ContractResult`.

:func:`_execute` drives every enabled phase and reads its events: each check failure becomes
one :class:`ContractFailure` per distinct (operation, check, title; a stub's 501 apart, and
the status of a check a spec gap may excuse), with the steps to
reproduce it (:func:`_collect`); each response's status goes into the coverage, and the first
2xx request of each operation is kept for the probe without credentials (:func:`_observe`);
schemathesis' own warnings are collected as ``st run`` would print them (:func:`_warnings`).

A failing ``ensure_resource_availability`` is noted, not counted, when the request used seeded
values (``SeedData.always``) or the creation was an Idempotency-Key replay
(:mod:`specfirst.contract.idempotency`); a failing ``use_after_free`` is noted, not counted,
on a response an example stub answered (:func:`~specfirst.contract.stubs.is_example_answer`). So is a failing ``unsupported_method`` whose probe the
spec declares elsewhere: a path key with a query string (``/combined_submissions?v=2``) is no
path of its own to HTTP, so the method another path item declares at its path (``GET
/combined_submissions``) answers it, as the generated app routes it (:func:`_declared_elsewhere`);
nor are path keys that differ only in their parameters' names (signl4's
``/teams/{teamId}/schedules/{dutyId}`` beside ``…/{scheduleId}``: identical to OpenAPI) or in a
fragment, which no client sends (AutoRest's ``/{tenantID}/{nextLink}#Users_ListNext``), which
the app serves as one resource, whose ``Allow`` lists the methods of both: such an
``unsupported_method`` or ``allow_header_conformance`` failure is noted (:func:`_one_resource`).
When two such path keys declare the same method, the app serves only the first operation
(:func:`_shadowed`): every failure of the other one is noted, not counted, and the coverage
gates do not apply to it (vtex's two ``POST /{…}/pvt/orders/{…}/cancel``). A failing
``content_type_conformance`` or ``response_schema_conformance`` against a response media type
the spec declares that is not one (truora's ``PDF``, which the app sends as declared) is noted too (:func:`_malformed_declared`),
and a failing ``negative_data_rejection`` that only made a form's boolean field ``0`` or ``1``
(:func:`_boolean_text`), a failing ``response_schema_conformance`` against a ``oneOf``
whose members differ only in annotations, which no value can satisfy (:func:`_same_one_of`),
and a failing ``positive_data_acceptance`` whose request sent a string parameter its own
schema refuses (:func:`_invalid_positive`).
schemathesis is imported when a run executes.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from specfirst.contract.coverage import Coverage
from specfirst.contract.gaps import GAP_CHECKS
from specfirst.contract.idempotency import _remember_keys, _replayed_creation
from specfirst.contract.results import (
    ContractFailure,
    ContractProblem,
    ContractResult,
    ContractWarning,
)
from specfirst.contract.stubs import STATELESS_CHECKS, is_example_answer, is_stub
from specfirst.ir import BodyKind
from specfirst.parser.media import body_kind


def _execute(
    schema: Any,
    seed: int,
    progress: Callable[[str], None] | None,
    operation_ids: Mapping[str, str],
    coverage: Coverage,
    fixed: Mapping[str, set[str]] | None = None,
    routes: Routes | None = None,
    shadowed: Mapping[str, str] | None = None,
) -> ContractResult:
    """``fixed``: operationId → the values seeded for it with ``SeedData.always``; ``routes``:
    the operations by path (:func:`_routes`), for the probes of undeclared methods;
    ``shadowed``: the operations another one answers for (:func:`_shadowed`)."""
    from schemathesis.engine import Status, events, from_schema

    served: dict[str, Any] = {}

    result = ContractResult(seed=seed, coverage=coverage)
    found: dict[tuple[str, str, str, str], ContractFailure] = {}
    seen_errors: set[tuple[str, str]] = set()
    watcher = _warnings_watcher(schema)
    keys: dict[tuple[str, str], float] = {}
    started = time.perf_counter()
    for event in from_schema(schema).execute():
        if watcher is not None:
            watcher.on_event(event)
        if isinstance(event, events.PhaseStarted) and progress is not None:
            progress(f"phase {event.phase.name.value}")
        elif isinstance(event, events.PhaseFinished):
            if event.phase.is_enabled:
                name = event.phase.name.value
                if result.phases.get(name) != Status.FAILURE.value:
                    result.phases[name] = event.status.value
        elif isinstance(event, events.ScenarioFinished):
            _collect(
                event.recorder, found, result, operation_ids, keys, fixed or {}, routes, shadowed
            )
            _observe(event.recorder, coverage, served, result.stubbed)
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
    if watcher is not None:
        result.warnings = _warnings(watcher)
    result.served = served
    return result


def _observe(
    recorder: Any,
    coverage: Coverage,
    served: dict[str, Any] | None = None,
    stubbed: dict[str, Any] | None = None,
) -> None:
    """Every response's status, for its operation. Requests sent with another method than the
    operation's (``unsupported_method``'s probes) reach no operation and are left out.
    ``served`` collects the first request each operation answered with a 2xx, ``stubbed`` the
    first its stub answered (a 501 marked by :func:`is_stub`)."""
    for case_id, interaction in recorder.interactions.items():
        node = recorder.cases.get(case_id)
        if node is None or interaction.response is None:
            continue
        operation = node.value.operation
        if interaction.request.method.upper() != operation.method.upper():
            continue
        status = interaction.response.status_code
        stub = is_stub(status, interaction.response.headers)
        coverage.record(operation.label, status, stub=stub)
        if served is not None and 200 <= status < 300:
            served.setdefault(operation.label, interaction.request)
        if stubbed is not None and stub:
            stubbed.setdefault(operation.label, interaction.request)


SHADOWED = (
    "path keys that differ only in their parameters' names or a fragment are one path, so the "
    "app serves the first operation declared with this method there"
)
"""Why an operation another one answers for is not tested (:func:`_shadowed`)."""

Routes = dict[str, list[tuple[str, frozenset[tuple[str, str]], str]]]
"""Path (without its query, templates unnamed) → (method, the path key's fixed query pairs,
the operation's label) of every operation declared there."""

_TEMPLATE = re.compile(r"\{[^}/]*\}")


def _split(path: str) -> tuple[str, frozenset[tuple[str, str]]]:
    """``/things/{id}?v=2`` → ``("/things/{}", {("v", "2")})``. A fragment is never sent:
    AutoRest's ``/{tenantID}/{nextLink}#Users_ListNext`` is ``/{tenantID}/{nextLink}``."""
    path, _, query = path.partition("#")[0].partition("?")
    pairs = parse_qsl(query, keep_blank_values=True)
    # `?query={query}` names a query parameter, not a fixed pair (as the app routes it)
    fixed = frozenset((key, value) for key, value in pairs if not _TEMPLATE.fullmatch(value))
    return _TEMPLATE.sub("{}", path), fixed


def _routes(schema: Any) -> Routes:
    routes: Routes = {}
    for item in schema.get_all_operations():
        try:
            operation = item.ok()
        except Exception:  # reported as an error by the run
            continue
        path, query = _split(operation.path)
        routes.setdefault(path, []).append((operation.method.upper(), query, operation.label))
    return routes


def _shadowed(schema: Any) -> dict[str, str]:
    """Operation label → the label of the operation that takes its requests: one with the
    same method at a path key that differs only in its templates' names (``/{a}/orders/{b}``
    beside ``/{c}/orders/{d}``: one path to OpenAPI, which forbids such pairs). The app tries
    the routes in the order of its services (the document's ``tags``, then by name), each
    service's operations in document order, so the first one answers every request (the
    lint's ``unreachable-operation``)."""
    from specfirst.parser.services import document_tags, service_rank, service_tag

    tags = document_tags(schema.raw_schema)
    ranked: list[tuple[tuple[int, str], int, Any]] = []
    for index, item in enumerate(schema.get_all_operations()):
        try:
            operation = item.ok()
        except Exception:  # reported as an error by the run
            continue
        tag = service_tag(operation.definition.raw.get("tags"), tags.info)
        ranked.append((service_rank(tag, tags), index, operation))
    first: dict[tuple[str, str, frozenset[tuple[str, str]]], str] = {}
    shadowed: dict[str, str] = {}
    for _rank, _index, operation in sorted(ranked, key=lambda r: r[:2]):
        key = (operation.method.upper(), *_split(operation.path))
        winner = first.setdefault(key, operation.label)
        if winner != operation.label:
            shadowed[operation.label] = winner
    return shadowed


def _declared_elsewhere(routes: Routes, path: str, method: str) -> str | None:
    """The label of the operation that serves ``method`` at the URL of path key ``path``, when
    another path key declares the method at that URL: one that differs from ``path`` only in
    its templates' names (``/s/{dutyId}`` beside ``/s/{scheduleId}``: one path to OpenAPI), or,
    when ``path`` carries a query string, one at its path with no fixed query or fewer of the
    same pairs. ``None`` otherwise."""
    bare, query = _split(path)
    for declared, fixed, label in routes.get(bare, ()):
        if declared == method.upper() and fixed <= query:
            return label
    return None


def _equivalent(routes: Routes, path: str) -> tuple[set[str], list[str]]:
    """The methods declared at path key ``path`` and at those that differ from it only in
    their templates' names, and those other path keys."""
    bare, query = _split(path)
    same = [(method, label) for method, fixed, label in routes.get(bare, ()) if fixed == query]
    others = {label.partition(" ")[2] for _, label in same} - {path}
    return {method for method, _ in same}, sorted(others)


_IMPLICIT = frozenset({"HEAD", "OPTIONS"})
"""Methods schemathesis does not expect the spec to declare (``allow_header_conformance``)."""


def _one_resource(routes: Routes, path: str, allow: str) -> str | None:
    """Why a failing ``allow_header_conformance`` of path key ``path`` is the spec's own
    ambiguity: the ``Allow`` header lists exactly the methods of ``path`` and of the path keys
    that differ from it only in their templates' names (one path, so one resource, to OpenAPI
    and to HTTP); ``None`` when it does not, or there are no such path keys."""
    methods, others = _equivalent(routes, path)
    advertised = {m.strip().upper() for m in allow.split(",") if m.strip()}
    if not others or advertised - _IMPLICIT != methods - _IMPLICIT:
        return None
    return (
        f"Allow: {allow} lists the methods of {path} and of {', '.join(others)}, path keys "
        "that differ only in their parameters' names (one path to OpenAPI and to HTTP, so "
        "one resource)"
    )


def _path_excuse(check: str, operation: Any, failure: Any, routes: Routes | None) -> str | None:
    """Why a failing ``unsupported_method`` or ``allow_header_conformance`` of ``operation`` is
    the spec's own doing (another path key at the same URL), or ``None``."""
    if check not in ("unsupported_method", "allow_header_conformance"):
        return None
    path = operation.path
    method = getattr(failure, "method", None)
    if check == "unsupported_method" and method:
        served = _declared_elsewhere(routes or {}, path, str(method))
        if served is None:
            return None
        why = (
            "path keys that differ only in their parameters' names or a fragment are one path"
            if _split(served.partition(" ")[2]) == _split(path)
            else "a query string in a path key does not make a path of its own"
        )
        return f"{str(method).upper()} {path} is {served}, which the spec declares ({why})"
    allow = getattr(failure, "allow_header", None)
    if check == "allow_header_conformance" and allow:
        return _one_resource(routes or {}, path, str(allow))
    return None


def _malformed_declared(check: str, failure: Any, case: Any, response: Any) -> str | None:
    """Why a failing ``content_type_conformance`` or ``response_schema_conformance`` is the
    spec's own doing: a media type it declares for the response is not one (no
    ``type/subtype``: truora's ``PDF``; vtex's ``Promotion``, with a schema), so schemathesis
    cannot compare any answer with it, nor deserialize one for its schema (the app sends the
    declared one); or ``None``. Lint rule ``media-type-valid`` names it in the spec."""
    from schemathesis.core import media_types

    if check == "content_type_conformance":
        defined = getattr(failure, "defined", None)
    elif check == "response_schema_conformance" and response is not None:
        # only the media type the spec declares for this status, as the app sent it
        sent = ",".join(response.headers.get("content-type", []))
        declared = case.operation.responses.find_by_status_code(response.status_code)
        content = getattr(declared, "definition", {}).get("content")
        defined = sent if isinstance(content, Mapping) and sent in content else None
    else:
        return None
    if not isinstance(defined, str):
        return None
    try:
        media_types.parse(defined)
    except ValueError:
        return (
            f"the spec declares the response media type {defined!r}, which is not "
            "type/subtype (lint rule media-type-valid), so no answer can be compared with it"
        )
    return None


_ANNOTATIONS = frozenset(
    {"title", "description", "example", "examples", "default", "deprecated", "externalDocs", "xml"}
)
"""Keywords that change no value's validity (JSON Schema's annotations, OpenAPI's ``xml``)."""


def _same_one_of(check: str, failure: Any) -> str | None:
    """Why a failing ``response_schema_conformance`` is the spec's own doing: the ``oneOf`` it
    failed lists members that differ only in annotations (descriptions, examples, titles), so
    they admit the same values and no value is valid under exactly one of them
    (digitallocker's 400 ``oneOf`` of four ``{error, error_description}`` objects that differ
    only in their descriptions); noted only when the answer is valid under the member. ``None``
    otherwise."""
    if check != "response_schema_conformance":
        return None
    path = list(getattr(failure, "schema_path", None) or [])
    root = getattr(failure, "_root_schema", None)
    if not path or path[-1] != "oneOf" or not isinstance(root, dict):
        return None
    from schemathesis.core.transforms import resolve_path

    members = resolve_path(root, path)
    if not isinstance(members, list) or len(members) < 2:
        return None
    try:
        plain = [_plain(member, root, 0) for member in members]
    except ValueError:  # an unresolvable or recursive reference
        return None
    if any(member != plain[0] for member in plain[1:]):
        return None
    import jsonschema_rs

    if not jsonschema_rs.validator_for(plain[0]).is_valid(getattr(failure, "instance", None)):
        return None
    return (
        f"the answer is valid under all {len(members)} members of the declared oneOf, which "
        "differ only in annotations (descriptions, examples), so no value is valid under "
        "exactly one of them: no server can satisfy it"
    )


def _plain(schema: Any, root: Mapping[str, Any], depth: int) -> Any:
    """``schema`` with its ``#/…`` references inlined and its annotations dropped."""
    if depth > 32:
        raise ValueError("too deep")
    if isinstance(schema, list):
        return [_plain(item, root, depth + 1) for item in schema]
    if not isinstance(schema, Mapping):
        return schema
    ref = schema.get("$ref")
    if isinstance(ref, str):
        if not ref.startswith("#"):
            raise ValueError(ref)
        from schemathesis.core.transforms import resolve_path

        tokens = [t.replace("~1", "/").replace("~0", "~") for t in ref[1:].split("/") if t]
        target = resolve_path(root, tokens)
        if not isinstance(target, Mapping | bool):
            raise ValueError(ref)
        rest = {k: v for k, v in schema.items() if k != "$ref"}
        inlined = _plain(target, root, depth + 1)
        return {"allOf": [inlined, _plain(rest, root, depth + 1)]} if rest else inlined
    plain: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _ANNOTATIONS or key.startswith("x-"):
            continue
        # property names and the like are keys, not schemas: keep them, clean their values
        plain[key] = (
            {name: _plain(sub, root, depth + 1) for name, sub in value.items()}
            if key in _SCHEMA_MAPS and isinstance(value, Mapping)
            else _plain(value, root, depth + 1)
        )
    return plain


_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "definitions", "$defs"})


_SENT = {"header": "headers", "query": "query", "path": "path_parameters", "cookie": "cookies"}


def _invalid_positive(check: str, case: Any) -> str | None:
    """Why a failing ``positive_data_acceptance`` rejected no schema-valid request: a string
    parameter was sent with a value its own schema refuses (schemathesis' coverage phase sent
    an optional header declared with a ``pattern`` as ``''`` in its default positive case),
    so a 4xx is the right answer; or ``None``."""
    if check != "positive_data_acceptance":
        return None
    refused = []
    for parameter in case.operation.iter_parameters():
        location = str(getattr(parameter.location, "value", parameter.location))
        sent = getattr(case, _SENT.get(location, ""), None)
        if not isinstance(sent, Mapping) or parameter.name not in sent:
            continue
        value = sent[parameter.name]
        schema = (getattr(parameter, "definition", None) or {}).get("schema")
        string = isinstance(schema, Mapping) and schema.get("type") == "string"
        if string and isinstance(value, str) and not parameter.is_valid(value):
            refused.append(f"{location} {parameter.name}={value!r}")
    if not refused:
        return None
    return (
        f"the request sent {', '.join(refused)}, which the parameter's own schema refuses, "
        "so it was no schema-valid request"
    )


_BOOLEAN_TEXT = frozenset({"true", "false", "0", "1"})
_FORMS = (BodyKind.FORM, BodyKind.MULTIPART)
_TYPE_LOCATION = re.compile(r"/properties/([^/~]+)/type")


def _boolean_text(check: str, case: Any) -> str | None:
    """Why a failing ``negative_data_rejection`` is no invalid request on the wire: each of its
    mutations made a boolean property of a form or multipart body an integer 0 or 1 or the
    string ``true``/``false``/``0``/``1``, which a form carries as the text of a boolean
    (telegram.org's ``disable_notification`` sent ``0``). schemathesis excuses exactly these
    for query and path parameters, whose text is the same, but not for a form's fields."""
    body = getattr(case, "body", None)
    media = str(getattr(case, "media_type", None) or "")
    if check != "negative_data_rejection" or not isinstance(body, dict):
        return None
    if body_kind(media) not in _FORMS:
        return None
    names = _booleans_mutated(case, media)
    if not names or any(_text(body.get(name)) not in _BOOLEAN_TEXT for name in names):
        return None
    sent = ", ".join(f"{name}={body[name]!r}" for name in names)
    return (
        f"{sent} is sent as the text of a boolean (a form field is text; schemathesis "
        "excuses these for query and path parameters)"
    )


def _booleans_mutated(case: Any, media: str) -> list[str]:
    """The boolean body properties a negative case changed the type of, or [] when it changed
    anything else: a fuzzing case's mutations, or a coverage case's ``incorrect_type``."""
    data = getattr(getattr(getattr(case, "meta", None), "phase", None), "data", None)
    mutations = getattr(data, "mutations", None) or ()
    names = []
    for mutation in mutations:
        path = tuple(getattr(mutation, "path", ()) or ())
        location = getattr(getattr(mutation, "parameter_location", None), "value", None)
        if location != "body" or len(path) != 1 or mutation.original_value != "boolean":
            return []
        names.append(str(path[0]))
    if mutations:
        return names
    scenario = getattr(getattr(data, "scenario", None), "value", None)
    found = _TYPE_LOCATION.fullmatch(str(getattr(data, "location", None) or ""))
    if scenario != "incorrect_type" or found is None:
        return []
    for declared in getattr(case.operation, "body", ()):
        if declared.media_type == media:
            schema = getattr(declared, "optimized_schema", None) or declared.definition
            props = schema.get("properties") if isinstance(schema, dict) else None
            prop = props.get(found[1]) if isinstance(props, dict) else None
            if isinstance(prop, dict) and prop.get("type") == "boolean":
                return [found[1]]
    return []


def _text(value: Any) -> str | None:
    """The text a form field carries for ``value`` when it is a scalar (``0``, ``True``)."""
    return str(value).lower() if isinstance(value, (int, str)) else None


def _warnings_watcher(schema: Any) -> Any:
    """schemathesis' own warning collector (the one ``st run`` prints), fed our events.

    It lives in schemathesis' CLI package; a version without it gives no warnings rather than
    a failed run (pyproject pins the version this was written against).
    """
    try:
        from schemathesis.cli.commands.run.context import ExecutionContext
    except ImportError:  # pragma: no cover - another schemathesis layout
        return None
    return ExecutionContext(
        config=schema.config, find_operation_by_label=schema.find_operation_by_label
    )


def _warnings(watcher: Any) -> list[ContractWarning]:
    from schemathesis.cli.commands.run.handlers.output import warning_blocks

    found: list[ContractWarning] = []
    for block in warning_blocks(watcher):
        items: list[str] = []
        tips: list[str] = []
        for group in block.groups:
            indent = ""
            if group.heading:
                items.append(f"{group.heading}:")
                indent = "  "
            for item in group.items:
                details = f" ({'; '.join(item.details)})" if item.details else ""
                items.append(f"{indent}{item.text}{details}")
            tips.extend(tip for tip in group.tips or () if tip not in tips)
        found.append(ContractWarning(block.title, block.summary, tuple(items), tuple(tips)))
    return found


def _collect(
    recorder: Any,
    found: dict[tuple[str, str, str, str], ContractFailure],
    result: ContractResult,
    operation_ids: Mapping[str, str],
    keys: dict[tuple[str, str], float] | None = None,
    fixed: Mapping[str, set[str]] | None = None,
    routes: Routes | None = None,
    shadowed: Mapping[str, str] | None = None,
) -> None:
    keys = {} if keys is None else keys
    shadowed = shadowed or {}
    _remember_keys(recorder, keys)
    for case_id, node in recorder.cases.items():
        result.operations.add(node.value.operation.label)
        result.cases += case_id in recorder.interactions
    for case_id, checks in recorder.checks.items():
        node = recorder.cases.get(case_id)
        for check in checks:
            info = check.failure_info
            if info is None:
                continue
            if check.name == "ensure_resource_availability" and node is not None:
                operation = node.value.operation
                seeded = (fixed or {}).get(operation.definition.raw.get("operationId"), set())
                used = {str(v) for v in (node.value.path_parameters or {}).values()} & seeded
                if used:
                    note = (
                        f"{info.failure.operation} → {operation.label}: "
                        "ensure_resource_availability not counted: the request used seeded "
                        f"{', '.join(sorted(used))} (SeedData.always), not only what the "
                        "creating response linked to"
                    )
                    if note not in result.notes:
                        result.notes.append(note)
                    continue
                replayed = _replayed_creation(recorder, case_id, keys)
                if replayed is not None:
                    note = (
                        f"{info.failure.operation}: ensure_resource_availability not counted: "
                        f"the creating request reused Idempotency-Key {replayed!r}, so its 2xx "
                        "replayed an earlier creation (as the Idempotency-Key draft requires), "
                        "whose resource may be gone"
                    )
                    if note not in result.notes:
                        result.notes.append(note)
                    continue
            if node is not None and node.value.operation.label in shadowed:
                label = node.value.operation.label
                note = (
                    f"{label}: {check.name} not counted: its requests are "
                    f"{shadowed[label]}'s ({SHADOWED})"
                )
                if note not in result.notes:
                    result.notes.append(note)
                continue
            if node is not None:
                interaction = recorder.interactions.get(case_id)
                answer = interaction.response if interaction is not None else None
                excuse = (
                    _path_excuse(check.name, node.value.operation, info.failure, routes)
                    or _malformed_declared(check.name, info.failure, node.value, answer)
                    or _boolean_text(check.name, node.value)
                    or _same_one_of(check.name, info.failure)
                    or _invalid_positive(check.name, node.value)
                )
                if excuse is not None:
                    note = f"{node.value.operation.label}: {check.name} not counted: {excuse}"
                    if note not in result.notes:
                        result.notes.append(note)
                    continue
            failure = info.failure
            label = failure.operation or (
                node.value.operation.label if node is not None else recorder.label
            )
            interaction = recorder.interactions.get(case_id)
            response = interaction.response if interaction is not None else None
            if (
                check.name in STATELESS_CHECKS
                and response is not None
                and is_example_answer(response.headers)
            ):
                note = (
                    f"{label}: {check.name} not counted: answered by an example stub, which "
                    "keeps no state (it counts once the operation is written)"
                )
                if note not in result.notes:
                    result.notes.append(note)
                continue
            status = response.status_code if response is not None else None
            stub = response is not None and is_stub(response.status_code, response.headers)
            # a stub's 501 and each status a spec gap may excuse are told apart (see stubs, gaps)
            told = "stub" if stub else str(status) if check.name in GAP_CHECKS else ""
            key = (label, check.name, failure.title, told)
            if key in found:
                previous = found[key]
                found[key] = ContractFailure(
                    **{**previous.__dict__, "occurrences": previous.occurrences + 1}
                )
                continue
            steps = getattr(info, "steps", None) or []
            reproduce = "\n".join(step.curl for step in steps) if steps else info.code_sample
            found[key] = ContractFailure(
                operation=label,
                operation_id=operation_ids.get(label),
                check=check.name,
                title=failure.title,
                message=failure.message,
                reproduce=reproduce,
                response=_describe(response),
                status=status,
                stub=stub,
            )


def _describe(response: Any) -> str:
    if response is None:
        return ""
    body = bytes(response.content[:500]).decode("utf-8", "replace")
    content_type = ",".join(response.headers.get("content-type", [])) or "no content type"
    return f"{response.status_code} {response.message} ({content_type}) {body}".rstrip()
