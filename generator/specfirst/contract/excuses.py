"""Check failures that are the spec's own doing (or the test's), noted, not counted.

Some failing checks are no fault of the server: the spec declares something no server can
satisfy, or schemathesis sent what the spec itself refuses. :data:`EXCUSES` is the one table of
these rules, asked in order for every failing check (:func:`excuse`); the first rule that
gives a reason turns the failure into a note (``<operation>: <check> not counted: <reason>``)
in :attr:`ContractResult.notes`, counted per rule in :attr:`ContractResult.noted`.

============================  ==================================  ======================
rule                          checks                              lint rule
============================  ==================================  ======================
``seeded-values``             ``ensure_resource_availability``    -
``idempotent-replay``         ``ensure_resource_availability``    -
``shadowed-operation``        every check                         ``path-equivalent``,
                                                                  ``path-query-string``
``declared-elsewhere``        ``unsupported_method``              ``path-equivalent``,
                                                                  ``path-query-string``
``one-resource``              ``allow_header_conformance``        ``path-equivalent``
``malformed-media-type``      ``content_type_conformance``,       ``media-type-valid``
                              ``response_schema_conformance``
``no-content``                ``content_type_conformance``,       ``no-content-body``
                              ``response_schema_conformance``
``boolean-text``              ``negative_data_rejection``         -
``ignorable-only``            ``negative_data_rejection``         -
``discriminator-only``        ``negative_data_rejection``         -
``form-one-item``             ``negative_data_rejection``         -
``same-one-of``               ``response_schema_conformance``     -
``invalid-positive``          ``positive_data_acceptance``        -
``invalid-positive-body``     ``positive_data_acceptance``        -
``form-body-object``          ``positive_data_acceptance``        ``form-body-object``
``example-stub``              ``use_after_free``                  -
============================  ==================================  ======================

* ``seeded-values``: the request looked for a value seeded with ``SeedData.always``, not only
  what the creating response linked to (:func:`_seeded`).
* ``idempotent-replay``: the creating request replayed an earlier ``Idempotency-Key``, so its
  2xx made nothing (:mod:`specfirst.contract.idempotency`).
* ``shadowed-operation``: another operation with the same method at an equivalent path key
  answers every request of this one (vtex's two ``POST /{…}/pvt/orders/{…}/cancel``,
  :func:`~specfirst.contract.paths._shadowed`); the coverage gates skip it too.
* ``declared-elsewhere``: the probe of an undeclared method reached the operation another
  path key declares at the same URL (``/combined_submissions?v=2`` beside
  ``/combined_submissions``; signl4's ``…/{dutyId}`` beside ``…/{scheduleId}``).
* ``one-resource``: ``Allow`` lists the methods of every path key of the same URL.
* ``form-body-object``: the body was a form or multipart media type whose schema is not an
  object (an array, a string): a form has no fields for it, so the app answers it 415 (and
  the coverage gates skip the operation's success).
* ``malformed-media-type``: the response media type the spec declares is no ``type/subtype``
  (truora's ``PDF``), so no answer can be compared with it (:func:`_malformed_declared`).
* ``no-content``: the spec declares a body for a 204 or 304, which HTTP forbids, and the
  answer had none (shipengine's ``DELETE /v1/environment/webhooks/{webhook_id}``,
  :func:`_no_content`).
* ``boolean-text``: a negative case only made a form's boolean field ``0`` or ``1``, which is
  the text of a boolean on the wire (:func:`_boolean_text`).
* ``ignorable-only``: a negative case only set readOnly body properties and added undeclared
  query, header or cookie parameters, each of which schemathesis excuses alone (airflow's
  ``patch_pool``, :func:`_ignorable_only`).
* ``discriminator-only``: the JSON body of a negative case is valid under its schema; only
  schemathesis' pinning of a discriminator's values refuses it, which OpenAPI 3.0.4 forbids a
  discriminator to do (prime-data-hub, :func:`_discriminator_only`).
* ``form-one-item``: a negative case only made a form's array field one valid item, which is
  the one-item array on the wire (a form sends a field per item; conjur's ``cidr``,
  :func:`_one_item`).
* ``same-one-of``: the answer is valid under every member of a ``oneOf`` whose members differ
  only in annotations, so no value satisfies it (digitallocker, :func:`_same_one_of`).
* ``invalid-positive``: a "positive" case sent a parameter a text its own schema refuses
  (openbanking's ``x-fapi-auth-date: ''``; c19qrserver's integer ``userId`` sent a ``guid``
  its stateful phase took from a response, :func:`_invalid_positive`).
* ``invalid-positive-body``: a "positive" case sent a JSON body its own schema refuses, as
  OpenAPI reads it (:func:`_invalid_positive_body`): schemathesis assembles examples from the
  properties' ones and checks them as JSON Schema 2020-12, so it checks nothing where a schema
  has draft-04's boolean ``exclusiveMinimum`` (shipengine's ``estimate_rates``: both
  ``carrier_id`` and ``carrier_ids``, valid under both members of its ``oneOf``).
* ``example-stub``: an example stub keeps no state, so it still finds what was deleted
  (:func:`~specfirst.contract.stubs.is_example_answer`); counted once the operation is written.

schemathesis is imported only by the rules that need it, when they run.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from specfirst.contract.document import request_body
from specfirst.contract.idempotency import _replayed_creation
from specfirst.contract.paths import (
    SHADOWED,
    Routes,
    _declared_elsewhere,
    _one_resource,
    _split,
)
from specfirst.contract.plain import local_target, plain_schema
from specfirst.contract.results import ContractResult
from specfirst.contract.stubs import STATELESS_CHECKS, is_example_answer
from specfirst.ir import BodyKind
from specfirst.loader.pointers import Pointer
from specfirst.parser.media import body_kind

if TYPE_CHECKING:
    from specfirst.lint.examples import ExampleChecker


class Checkers:
    """The example checker of the run's document (:class:`~specfirst.lint.examples.ExampleChecker`,
    made at the first body it judges: a large document's validators cost a while), held by the
    run (:class:`Known`), so that two runs in one process share nothing."""

    def __init__(self) -> None:
        self._kept: tuple[dict[str, Any], ExampleChecker] | None = None

    def of(self, document: dict[str, Any]) -> ExampleChecker:
        """The checker of ``document``: the one made before, if made for this document."""
        if self._kept is None or self._kept[0] is not document:
            from specfirst.lint.examples import ExampleChecker

            version = "3.0" if str(document.get("openapi", "")).startswith("3.0") else "3.1"
            self._kept = (document, ExampleChecker(document, version))
        return self._kept[1]


@dataclass(frozen=True)
class Known:
    """What the run knows besides a failure: ``fixed``, operationId → the values seeded for it
    with ``SeedData.always``; ``routes``, the operations by path
    (:func:`~specfirst.contract.paths._routes`); ``shadowed``, the operations another one
    answers for; ``keys``, when each ``(operation, Idempotency-Key)`` was first sent;
    ``checkers``, the run's example checker of its document."""

    fixed: Mapping[str, set[str]] = field(default_factory=dict)
    routes: Routes = field(default_factory=dict)
    shadowed: Mapping[str, str] = field(default_factory=dict)
    keys: Mapping[tuple[str, str], float] = field(default_factory=dict)
    checkers: Checkers = field(default_factory=Checkers)


@dataclass(frozen=True)
class Failed:
    """One failing check of one case, as schemathesis recorded it."""

    check: str
    failure: Any  # schemathesis' Failure
    case: Any  # its Case; None when the recorder holds none
    response: Any  # the case's Response; None when there was none
    recorder: Any
    case_id: str
    known: Known

    @property
    def label(self) -> str:
        """The label of the operation the case was sent to."""
        if self.case is not None:
            return str(self.case.operation.label)
        return str(self.failure.operation or self.recorder.label)


@dataclass(frozen=True)
class Excuse:
    """One rule: ``decide`` gives the reason a failure of one of ``checks`` (``None``: any) is
    not the server's fault, or ``None``; ``lint`` names the lint rules that report the spec's
    fault, where there are any; ``subject`` is what the note is about."""

    name: str
    checks: frozenset[str] | None
    decide: Callable[[Failed], str | None]
    lint: tuple[str, ...] = ()
    subject: Callable[[Failed], str] = lambda failed: failed.label
    """The operation the note names: by default the one the case was sent to."""


def excuse(failed: Failed) -> tuple[Excuse, str] | None:
    """The first rule of :data:`EXCUSES` that excuses ``failed``, and its note."""
    for rule in EXCUSES:
        if rule.checks is not None and failed.check not in rule.checks:
            continue
        reason = rule.decide(failed)
        if reason is not None:
            return rule, f"{rule.subject(failed)}: {failed.check} not counted: {reason}"
    return None


def note(result: ContractResult, failed: Failed) -> bool:
    """Whether a rule excuses ``failed``; if so, its note is in ``result`` once."""
    found = excuse(failed)
    if found is None:
        return False
    rule, text = found
    if text not in result.notes:
        result.notes.append(text)
        result.noted[rule.name] = result.noted.get(rule.name, 0) + 1
    return True


def _seeded(failed: Failed) -> str | None:
    """The request used a value seeded with ``SeedData.always``: it did not only follow what
    the creating response linked to, so a 404 may be the seed's, not the creation's."""
    if failed.case is None:
        return None
    operation = failed.case.operation
    seeded = failed.known.fixed.get(operation.definition.raw.get("operationId"), set())
    used = {str(v) for v in (failed.case.path_parameters or {}).values()} & seeded
    if not used:
        return None
    return (
        f"the request used seeded {', '.join(sorted(used))} (SeedData.always), not only what "
        "the creating response linked to"
    )


def _replayed(failed: Failed) -> str | None:
    if failed.case is None:
        return None
    replayed = _replayed_creation(failed.recorder, failed.case_id, failed.known.keys)
    if replayed is None:
        return None
    return (
        f"the creating request reused Idempotency-Key {replayed!r}, so its 2xx replayed an "
        "earlier creation (as the Idempotency-Key draft requires), whose resource may be gone"
    )


def _shadowed_by(failed: Failed) -> str | None:
    winner = failed.known.shadowed.get(failed.label) if failed.case is not None else None
    return None if winner is None else f"its requests are {winner}'s ({SHADOWED})"


def _elsewhere(failed: Failed) -> str | None:
    """Why a failing ``unsupported_method`` probed a method another path key declares at the
    same URL (:func:`~specfirst.contract.paths._declared_elsewhere`)."""
    method = getattr(failed.failure, "method", None)
    if failed.case is None or not method:
        return None
    path = failed.case.operation.path
    served = _declared_elsewhere(failed.known.routes, path, str(method))
    if served is None:
        return None
    why = (
        "path keys that differ only in their parameters' names or a fragment are one path"
        if _split(served.partition(" ")[2]) == _split(path)
        else "a query string in a path key does not make a path of its own"
    )
    return f"{str(method).upper()} {path} is {served}, which the spec declares ({why})"


def _allowed(failed: Failed) -> str | None:
    allow = getattr(failed.failure, "allow_header", None)
    if failed.case is None or not allow:
        return None
    return _one_resource(failed.known.routes, failed.case.operation.path, str(allow))


def _malformed_declared(failed: Failed) -> str | None:
    """Why a failing ``content_type_conformance`` or ``response_schema_conformance`` is the
    spec's own doing: a media type it declares for the response is not one (no
    ``type/subtype``: truora's ``PDF``; vtex's ``Promotion``, with a schema), so schemathesis
    cannot compare any answer with it, nor deserialize one for its schema (the app sends the
    declared one); or ``None``. Lint rule ``media-type-valid`` names it in the spec."""
    from schemathesis.core import media_types

    if failed.case is None:
        return None
    response = failed.response
    if failed.check == "content_type_conformance":
        defined = getattr(failed.failure, "defined", None)
    elif response is not None:
        # only the media type the spec declares for this status, as the app sent it
        sent = ",".join(response.headers.get("content-type", []))
        declared = failed.case.operation.responses.find_by_status_code(response.status_code)
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


NO_BODY_STATUSES = frozenset({204, 304})
"""Statuses whose responses have no content (RFC 9110 §15.3.5, §15.4.5)."""


def _no_content(failed: Failed) -> str | None:
    """Why a failing ``content_type_conformance`` or ``response_schema_conformance`` is the
    spec's own doing: it declares content for a 204 or 304, which HTTP forbids (RFC 9110
    §15.3.5: a 204 "cannot contain content"), so no server can send it, and the answer sent
    none (no body, no ``Content-Type``); or ``None``. Lint rule ``no-content-body`` names it."""
    response = failed.response
    if response is None or response.status_code not in NO_BODY_STATUSES or response.content_size:
        return None
    return (
        f"the spec declares content for {response.status_code}, which HTTP forbids (RFC 9110; "
        "lint rule no-content-body), and the answer had none"
    )


_BOOLEAN_TEXT = frozenset({"true", "false", "0", "1"})
_FORMS = (BodyKind.FORM, BodyKind.MULTIPART)
_TYPE_LOCATION = re.compile(r"/properties/([^/~]+)/type")


def _boolean_text(failed: Failed) -> str | None:
    """Why a failing ``negative_data_rejection`` is no invalid request on the wire: each of its
    mutations made a boolean property of a form or multipart body an integer 0 or 1 or the
    string ``true``/``false``/``0``/``1``, which a form carries as the text of a boolean
    (telegram.org's ``disable_notification`` sent ``0``). schemathesis excuses exactly these
    for query and path parameters, whose text is the same, but not for a form's fields."""
    case = failed.case
    body = getattr(case, "body", None)
    media = str(getattr(case, "media_type", None) or "")
    if not isinstance(body, dict) or body_kind(media) not in _FORMS:
        return None
    names = _mutated(case, media, "boolean")
    if not names or any(_text(body.get(name)) not in _BOOLEAN_TEXT for name in names):
        return None
    sent = ", ".join(f"{name}={body[name]!r}" for name in names)
    return (
        f"{sent} is sent as the text of a boolean (a form field is text; schemathesis "
        "excuses these for query and path parameters)"
    )


def _mutated(case: Any, media: str, kind: str) -> list[str]:
    """The body properties of type ``kind`` a negative case changed the type of, or [] when it
    changed anything else: a fuzzing case's mutations, or a coverage case's
    ``incorrect_type``."""
    data = getattr(getattr(getattr(case, "meta", None), "phase", None), "data", None)
    mutations = getattr(data, "mutations", None) or ()
    names = []
    for mutation in mutations:
        path = tuple(getattr(mutation, "path", ()) or ())
        location = getattr(getattr(mutation, "parameter_location", None), "value", None)
        if location != "body" or len(path) != 1 or mutation.original_value != kind:
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
            if isinstance(prop, dict) and prop.get("type") == kind:
                return [found[1]]
    return []


def _one_item(failed: Failed) -> str | None:
    """Why a failing ``negative_data_rejection`` is no invalid request on the wire: each of its
    mutations made an array property of a form body one scalar that is a valid item, and a
    form carries an array as one field per item, so that is the one-item array (conjur's
    ``cidr=AAA``, an array of strings). Not for multipart, whose parts may hold JSON."""
    import jsonschema_rs
    from schemathesis.specs.openapi.utils import sent_text_is_valid

    case = failed.case
    body = getattr(case, "body", None)
    media = str(getattr(case, "media_type", None) or "")
    if not isinstance(body, dict) or body_kind(media) is not BodyKind.FORM:
        return None
    names = _mutated(case, media, "array")
    if not names:
        return None
    for name in names:
        value, items = body.get(name), _items(case, media, name)
        if items is None or isinstance(value, dict | list) or value is None:
            return None
        is_valid = jsonschema_rs.validator_for(items).is_valid
        types = [str(t) for t in _list_of(items.get("type"))]
        if not (is_valid(value) or sent_text_is_valid(str(value), is_valid, types)):
            return None
    sent = ", ".join(f"{name}={body[name]!r}" for name in names)
    return f"{sent} is sent as an array of one item (a form sends an array as a field per item)"


def _items(case: Any, media: str, name: str) -> dict[str, Any] | None:
    """The ``items`` schema of the array property ``name`` of the body in ``media``, when it
    is written out (no ``$ref`` to follow), else None."""
    for declared in getattr(case.operation, "body", ()):
        if declared.media_type == media:
            schema = getattr(declared, "optimized_schema", None) or declared.definition
            props = schema.get("properties") if isinstance(schema, dict) else None
            prop = props.get(name) if isinstance(props, dict) else None
            items = prop.get("items") if isinstance(prop, dict) else None
            if isinstance(items, dict) and "$ref" not in json.dumps(items):
                return items
    return None


def _list_of(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _text(value: Any) -> str | None:
    """The text a form field carries for ``value`` when it is a scalar (``0``, ``True``)."""
    return str(value).lower() if isinstance(value, (int, str)) else None


_EXTRA_LOCATIONS = frozenset({"query", "header", "cookie"})


def _ignorable_only(failed: Failed) -> str | None:
    """Why a failing ``negative_data_rejection`` sent nothing the spec forbids the app to
    accept: each mutation of the case either added parameters the operation does not declare
    (in the query, headers or cookies: servers ignore them) or gave values to body properties
    a request may not set (readOnly ones: the owning authority may ignore them), the body being
    valid once those are let be (airflow's ``patch_pool``: unknown query parameters beside an
    array ``update_mask``, and ``open_slots`` in the body). schemathesis excuses each kind
    alone, not both in one case; or ``None``."""
    case = failed.case
    data = getattr(getattr(getattr(case, "meta", None), "phase", None), "data", None)
    mutations = getattr(data, "mutations", None) or ()
    if case is None or not mutations:
        return None
    extras: set[str] = set()
    forbidden = False
    for mutation in mutations:
        location = str(getattr(mutation.parameter_location, "value", mutation.parameter_location))
        if location == "body":
            forbidden = True
        elif location in _EXTRA_LOCATIONS and tuple(mutation.keywords) == ("additionalProperties",):
            extras.add(location)
        else:
            return None
    if not forbidden or not extras or not _only_forbidden_properties(case):
        return None
    return (
        "the request only gave values to body properties a request may not set (readOnly: "
        "the app may ignore them) and added undeclared "
        f"{' and '.join(sorted(extras))} parameters (ignored); schemathesis excuses each alone"
    )


def _only_forbidden_properties(case: Any) -> bool:
    """Whether the case's body breaks its schema only in properties schemathesis forbids in a
    request (readOnly ones): invalid under the body's schema, valid once those admit any
    value (schemathesis' own ``permissive_schema``)."""
    from schemathesis.core.jsonschema import make_validator

    declared = case.operation.get_body_for_media_type(getattr(case, "media_type", None))
    if declared is None or not isinstance(case.body, Mapping):
        return False
    schema, permissive = declared.optimized_schema, declared.permissive_schema
    if permissive is schema:
        return False  # no property is forbidden
    validator = case.operation.schema.adapter.jsonschema_validator_cls
    try:
        return not make_validator(schema, validator).is_valid(case.body) and bool(
            make_validator(permissive, validator).is_valid(case.body)
        )
    except Exception:  # a schema the validator cannot read (an ECMA-only pattern)
        return False


_LOCATIONS = ("path", "query", "header", "cookie", "body")


def _discriminator_only(failed: Failed) -> str | None:
    """Why a failing ``negative_data_rejection`` sent no invalid request: only its JSON body
    was generated to be invalid, and the body is valid under its schema; only schemathesis'
    reading of a ``discriminator`` refuses it (it pins each ``oneOf``/``anyOf`` member to the
    value that names it, where OpenAPI 3.0.4 and 3.1.1 say a discriminator MUST NOT change the
    validation outcome). prime-data-hub's ``translations`` items: an ``anyOf`` whose member
    ``RedoxConfiguration: {}`` admits any object, with ``type: STANDARD_HL7`` (the spec's own
    example), which names no member. ``None`` otherwise."""
    from schemathesis.core.jsonschema import make_validator
    from schemathesis.core.parameters import ParameterLocation

    case = failed.case
    meta = getattr(case, "meta", None)
    if case is None or meta is None:
        return None
    negated = [name for name in _LOCATIONS if meta.is_negative_at(ParameterLocation(name))]
    media = str(getattr(case, "media_type", None) or "")
    if negated != ["body"] or body_kind(media) is not BodyKind.JSON:
        return None
    declared = case.operation.get_body_for_media_type(media)
    if declared is None:
        return None
    pinned = declared.optimized_schema
    unpinned = _unpinned(pinned)
    if unpinned == pinned:
        return None
    validator = case.operation.schema.adapter.jsonschema_validator_cls
    try:
        if not make_validator(unpinned, validator).is_valid(case.body):
            return None
    except Exception:  # a schema the validator cannot read (an ECMA-only pattern)
        return None
    return (
        "the body is valid under its schema; only a discriminator's value refuses it, and a "
        "discriminator MUST NOT change the validation outcome (OpenAPI 3.0.4, 3.1.1)"
    )


def _unpinned(schema: Any) -> Any:
    """``schema`` without the values schemathesis pins a discriminator's members to: a member
    it wrapped as ``{"allOf": [member, {"properties": {prop: {"enum": [value]}}}]}`` beside a
    ``discriminator`` naming ``prop`` is ``member`` again."""
    if isinstance(schema, list):
        return [_unpinned(item) for item in schema]
    if not isinstance(schema, Mapping):
        return schema
    out = {key: _unpinned(value) for key, value in schema.items()}
    disc = schema.get("discriminator")
    prop = disc.get("propertyName") if isinstance(disc, Mapping) else None
    if not isinstance(prop, str):
        return out
    for key in ("oneOf", "anyOf"):
        members = out.get(key)
        if isinstance(members, list):
            out[key] = [_pinned_member(member, prop) for member in members]
    return out


def _pinned_member(member: Any, prop: str) -> Any:
    parts = member.get("allOf") if isinstance(member, Mapping) and len(member) == 1 else None
    if not isinstance(parts, list) or len(parts) != 2:
        return member
    pin = parts[1]
    if not isinstance(pin, Mapping) or set(pin) != {"properties"}:
        return member
    properties = pin["properties"]
    if not isinstance(properties, Mapping) or set(properties) != {prop}:
        return member
    value = properties[prop]
    if not isinstance(value, Mapping) or set(value) != {"enum"}:
        return member
    return parts[0]


def _same_one_of(failed: Failed) -> str | None:
    """Why a failing ``response_schema_conformance`` is the spec's own doing: the ``oneOf`` it
    failed lists members that differ only in annotations (descriptions, examples, titles), so
    they admit the same values and no value is valid under exactly one of them
    (digitallocker's 400 ``oneOf`` of four ``{error, error_description}`` objects that differ
    only in their descriptions); noted only when the answer is valid under the member. ``None``
    otherwise."""
    path = list(getattr(failed.failure, "schema_path", None) or [])
    root = _response_schema(failed)
    if not path or path[-1] != "oneOf" or not isinstance(root, dict):
        return None
    from schemathesis.core.transforms import resolve_path

    members = resolve_path(root, path)
    if not isinstance(members, list) or len(members) < 2:
        return None
    try:
        plain = [plain_schema(member, root, 0) for member in members]
    except ValueError:  # an unresolvable or recursive reference
        return None
    if any(member != plain[0] for member in plain[1:]):
        return None
    import jsonschema_rs

    instance = getattr(failed.failure, "instance", None)
    if not jsonschema_rs.validator_for(plain[0]).is_valid(instance):
        return None
    return (
        f"the answer is valid under all {len(members)} members of the declared oneOf, which "
        "differ only in annotations (descriptions, examples), so no value is valid under "
        "exactly one of them: no server can satisfy it"
    )


def _response_schema(failed: Failed) -> Any:
    """The schema schemathesis validated the answer against: the one the operation declares
    for its status and media type, its references bundled into it (the root of the failure's
    ``schema_path``); ``None`` when there is none."""
    from schemathesis.core.transport import response_content_type

    response = failed.response
    if failed.case is None or response is None:
        return None
    declared = failed.case.operation.responses.find_by_status_code(response.status_code)
    if declared is None:
        return None
    return declared.get_schema(response_content_type(response)).schema


_SENT = {"header": "headers", "query": "query", "path": "path_parameters", "cookie": "cookies"}


def _invalid_positive(failed: Failed) -> str | None:
    """Why a failing ``positive_data_acceptance`` rejected no schema-valid request: a parameter
    was sent with a text its own schema refuses, so a 4xx is the right answer; or ``None``.
    schemathesis' coverage phase sent an optional header declared with a ``pattern`` as ``''``
    in its default positive case (openbanking's ``x-fapi-auth-date``); its stateful phase took
    a response's string for an integer path parameter (c19qrserver's ``POST /user`` answers a
    ``guid``, which it linked to ``GET /user/{userId}`` by the name's ending)."""
    case = failed.case
    if case is None:
        return None
    refused = []
    for parameter in case.operation.iter_parameters():
        location = str(getattr(parameter.location, "value", parameter.location))
        sent = getattr(case, _SENT.get(location, ""), None)
        if not isinstance(sent, Mapping) or parameter.name not in sent:
            continue
        value = sent[parameter.name]
        kind = _scalar_type(parameter) if isinstance(value, str) else None
        if kind is not None and not any(parameter.is_valid(v) for v in _readings(value, kind)):
            refused.append(f"{location} {parameter.name}={value!r}")
    if not refused:
        return None
    return (
        f"the request sent {', '.join(refused)}, which the parameter's own schema refuses, "
        "so it was no schema-valid request"
    )


def _invalid_positive_body(failed: Failed) -> str | None:
    """Why a failing ``positive_data_acceptance`` rejected no schema-valid request: its JSON
    body is refused by the schema of its media type, judged as ``specfirst lint`` judges a
    request example (OpenAPI's own dialect, the document as the app reads it), so a 4xx is
    the right answer; or ``None``. schemathesis sends examples it assembled from properties'
    examples as positive data, and checks them only where it can read the schema."""
    case = failed.case
    body = getattr(case, "body", None)
    media = str(getattr(case, "media_type", None) or "")
    if case is None or not isinstance(body, dict | list) or body_kind(media) is not BodyKind.JSON:
        return None
    document = case.operation.schema.raw_schema
    pointer = _body_schema_pointer(document, case.operation, media)
    if pointer is None:
        return None
    for message, _ in failed.known.checkers.of(document).check(pointer, (), body, "write"):
        why = message.removeprefix("example does not match its schema: ")
        return f"the request body is refused by its own schema ({why}), so it was no schema-valid request"
    return None


def _body_schema_pointer(document: Mapping[str, Any], operation: Any, media: str) -> Pointer | None:
    """Where the schema of ``operation``'s request body in ``media`` is, its ``$ref``s to a
    request body followed."""
    body, pointer = request_body(document, str(operation.path), str(operation.method))
    content = body.get("content") if body is not None else None
    if not isinstance(content, Mapping) or not isinstance(content.get(media), Mapping):
        return None
    if "schema" not in content[media]:
        return None
    return (*pointer, "content", media, "schema")


_INTEGER_TEXT = re.compile(r"-?[0-9]+")


def _readings(text: str, kind: str) -> list[Any]:
    """The values a parameter's ``text`` stands for when its schema admits only ``kind``: the
    text of a string; the integer, number or boolean it spells for the others (none when it
    spells none: ``'d5e5…'`` is no integer)."""
    if kind == "string":
        return [text]
    if kind == "boolean":
        return [text == "true"] if text in ("true", "false") else []
    readings: list[Any] = [int(text)] if _INTEGER_TEXT.fullmatch(text) else []
    try:
        number = float(text)
    except ValueError:
        return readings
    return [*readings, number] if math.isfinite(number) else readings


def _scalar_type(parameter: Any) -> str | None:
    """The one type a parameter's schema admits, when it is a string, integer, number or
    boolean: ``type`` itself, through a ``$ref`` or in a member of an ``allOf`` (every member
    holds); ``None`` for anything else (a union, an array, a ``content`` document), whose text
    this reads no further. Only then does its validator judge the value the text stands for."""
    definition = getattr(parameter, "definition", None) or {}
    if isinstance(definition, Mapping) and "content" in definition:
        return None
    schema = getattr(parameter, "validation_schema", None)
    if schema is None:
        schema = definition.get("schema") if isinstance(definition, Mapping) else None
    if not isinstance(schema, Mapping):
        return None
    try:
        return _declared_scalar(schema, schema, 0)
    except ValueError:  # an unresolvable or recursive reference
        return None


_SCALARS = ("string", "integer", "number", "boolean")


def _declared_scalar(schema: Any, root: Mapping[str, Any], depth: int) -> str | None:
    if depth > 32:
        raise ValueError("too deep")
    if not isinstance(schema, Mapping):
        return None
    if schema.get("type") in _SCALARS:
        return str(schema["type"])
    ref = schema.get("$ref")
    if isinstance(ref, str):
        found = _declared_scalar(local_target(ref, root), root, depth + 1)
        if found is not None:
            return found
    members = schema.get("allOf")
    if isinstance(members, list):
        for member in members:
            found = _declared_scalar(member, root, depth + 1)
            if found is not None:
                return found
    return None


def _formless_form(failed: Failed) -> str | None:
    """Why a request with a body was answered 415: the body is a form or multipart media type
    whose schema is not an object, which no form encodes
    (:func:`~specfirst.contract.document.formless_bodies`)."""
    from specfirst.contract.document import formless_bodies

    response = failed.response
    if failed.case is None or response is None or response.status_code != 415:
        return None
    document = failed.case.operation.schema.raw_schema
    return formless_bodies(document, [failed.label]).get(failed.label)


def _from_stub(failed: Failed) -> str | None:
    response = failed.response
    if response is None or not is_example_answer(response.headers):
        return None
    return "answered by an example stub, which keeps no state (it counts once the operation is written)"


def _creation(failed: Failed) -> str:
    """The creating operation, and the one that lost what it created."""
    return f"{failed.failure.operation} → {failed.label}"


EXCUSES: tuple[Excuse, ...] = (
    Excuse(
        "seeded-values",
        frozenset({"ensure_resource_availability"}),
        _seeded,
        subject=_creation,
    ),
    Excuse(
        "idempotent-replay",
        frozenset({"ensure_resource_availability"}),
        _replayed,
        subject=lambda failed: str(failed.failure.operation),
    ),
    Excuse("shadowed-operation", None, _shadowed_by, lint=("path-equivalent", "path-query-string")),
    Excuse(
        "declared-elsewhere",
        frozenset({"unsupported_method"}),
        _elsewhere,
        lint=("path-equivalent", "path-query-string"),
    ),
    Excuse(
        "one-resource", frozenset({"allow_header_conformance"}), _allowed, lint=("path-equivalent",)
    ),
    Excuse(
        "malformed-media-type",
        frozenset({"content_type_conformance", "response_schema_conformance"}),
        _malformed_declared,
        lint=("media-type-valid",),
    ),
    Excuse(
        "no-content",
        frozenset({"content_type_conformance", "response_schema_conformance"}),
        _no_content,
        lint=("no-content-body",),
    ),
    Excuse("boolean-text", frozenset({"negative_data_rejection"}), _boolean_text),
    Excuse("ignorable-only", frozenset({"negative_data_rejection"}), _ignorable_only),
    Excuse("discriminator-only", frozenset({"negative_data_rejection"}), _discriminator_only),
    Excuse("form-one-item", frozenset({"negative_data_rejection"}), _one_item),
    Excuse("same-one-of", frozenset({"response_schema_conformance"}), _same_one_of),
    Excuse("invalid-positive", frozenset({"positive_data_acceptance"}), _invalid_positive),
    Excuse(
        "invalid-positive-body",
        frozenset({"positive_data_acceptance"}),
        _invalid_positive_body,
    ),
    Excuse(
        "form-body-object",
        frozenset({"positive_data_acceptance"}),
        _formless_form,
        ("form-body-object",),
    ),
    Excuse(
        "example-stub",
        STATELESS_CHECKS,
        _from_stub,
        subject=lambda failed: str(failed.failure.operation or failed.label),
    ),
)
"""Every rule, in the order they are asked: the first reason wins."""
