"""The document a contract run gives schemathesis: the spec as the generated app reads it.

These readings differ from a literal one, and the run must test the API the app serves:

- a header parameter named ``Accept``, ``Content-Type`` or ``Authorization`` is ignored
  (OpenAPI 3: the definition "SHALL be ignored"; content negotiation, the body's media type
  and security schemes cover them), so the run does not send requests without it expecting a
  4xx (va.gov's facilities API declares a required ``Accept``);
- a schema with ``properties`` (or ``required``) and no ``type`` is an object: the generator
  makes it a model, as its author meant, where a literal reading lets any non-object through
  (climate.com's ``BoundaryUpload``: schemathesis sent ``null`` as a valid body);
- a parameter's ``type: string`` schema whose ``enum`` lists numbers (openSUSE OBS's
  ``addrevision: {type: string, enum: [1]}``) admits no value on a literal reading (JSON
  Schema compares ``"1"`` and ``1`` as different), so schemathesis made up "valid" values
  such as ``0`` or ``AAA``; the app reads the member as the number given as text, so the run's
  document lists the text (``enum: ["1"]``), which is what a client sends.
- likewise a parameter's ``type: boolean`` schema whose ``enum`` lists the text of booleans
  (oxforddictionaries' ``prefix: {type: boolean, enum: ["false", "true"]}``): schemathesis
  sent ``prefix=AAA`` as valid and ``prefix=false`` as invalid; the app reads the members as
  the booleans they name (:func:`~specfirst.schema_types.boolean_members`), and so does the
  run's document (``enum: [false, true]``).
- a request body is read in the media types :func:`~specfirst.parser.media.read_media` picks
  (a JSON body: every media type declared, each into its own type; a body of another kind:
  that kind only), and the others are answered 415, as ``generate`` says ("accepted as
  multipart/form-data only"). The run sends only those; a form or multipart media type whose
  schema is not an object is one the app does not read (archive.org's wayback: an array, which
  schemathesis sends as its items' keys run together). Nor does it send a form alternate with
  object properties, which the app reads as JSON text and schemathesis encodes as the
  objects' keys (smart-me.com).
  :func:`unread_media` names what is left out, and the run prints it. A ``$ref`` to a place
  in a media type left out is replaced by a copy of what it names (:func:`_inline_refs_into`).
- a request body key that is no media type (spoonacular's meal planner: ``content: {'':
  …}``; lint rule ``media-type-valid``) is one schemathesis refuses with the whole operation
  ("Malformed media type": no request sent). Beside media types the app reads, it is left
  out; alone, the app reads the body as the bytes sent under any ``Content-Type``, and the run
  sends ``application/octet-stream`` bytes (:func:`_bodies_of_no_media_type`).
- a form or multipart body of a string alone (spoonacular's ``POST /food/detect``, its example
  the form's encoded text) is read by the app as the raw text sent; schemathesis wraps such a
  string in a multipart boundary, or sends an array as its JSON text (a "negative" case the
  app, reading any text, accepts), so the run sends it as ``text/plain``
  (:func:`_bodies_of_form_text`).
- a form or multipart body whose schema admits ``null`` is sent as an object: a form has no
  encoding of null (stream-io's nullable ``FileUploadRequest``: schemathesis sent the text
  ``None`` as the whole multipart body).
- a required array property of a form or multipart body is sent with an item at least: a form
  has one field (or part) per item, so an empty array is no field at all, the property left
  out, which the app refuses (truora's ``BatchUploadInput``, a required array of files:
  schemathesis sent ``{"file": []}`` as a multipart with no parts, "Schema-valid request
  rejected").
- a path key whose query string names a query parameter (medium.com's
  ``/search/articles?query={query}``, ``query`` declared ``in: query``) is read without that
  pair: the app routes it at ``/search/articles`` and reads ``query`` as the parameter it is,
  where schemathesis took ``{query}`` for an undeclared path parameter ("Schema Error");
- a path parameter declared as JSON text of a string is generated without characters JSON
  escapes (:func:`_json_path_text_unescaped`): schemathesis replaces a percent-encoded
  backslash in a path with ``_``, which changes or breaks the JSON text.
- in an ``allOf``, ``additionalProperties`` (of the schema, or of a part) applies to the
  names no part declares, as the generated classes read it: the schema subclasses its
  ``$ref``'d parts, whose rule for other keys is inherited. A literal reading applies a part's
  ``additionalProperties`` to the properties its siblings declare (windows.net's graphrbac:
  ``UserCreateParameters`` is allOf [``UserBase``, which takes other keys as objects only] with
  a required boolean ``accountEnabled``: no body was valid, "Cannot generate test data"); the
  run's document declares those names in that part too, with the schema they have where they
  are declared (:func:`_allof_extras`; not ``{}``, which schemathesis' examples took for the
  whole schema: shipengine's ``create_label_request_body`` was sent with ``"shipment": null``).
  The names a closed schema's ``anyOf`` alternatives declare count as its own too.
- a ``oneOf`` beside keywords of its own schema (``properties``, ``required``, ``allOf``,
  ``additionalProperties: false``) is spelled as each alternative merged with the holder,
  ``oneOf: [{allOf: [<holder>, A]}, …]``, as the generated models read it
  (:func:`_one_of_holders`): a closed holder closes each alternative over its own names and
  the holder's (shipengine's ``estimate_rates_request_body`` and
  ``compare_bulk_rates_request_body``: no body was valid read literally).
- a name an object schema with ``additionalProperties: false`` requires but does not declare
  is declared, with any value (:func:`_required_declared`): literally it is both required and
  forbidden, so no body is valid (e-conomic's ``Employee`` requires ``canApprove``, declared
  nowhere; schemathesis sent ``canApprove: null`` as valid and the app refused it); the
  generated model reads the listing as the declaration its author meant.
- in a 3.0 document, a request example that its schema refuses is left out where that schema
  has draft-04's boolean ``exclusiveMinimum``/``exclusiveMaximum``
  (:func:`_refused_examples`): schemathesis checks examples as JSON Schema 2020-12, cannot
  read such a schema, and so sends every example of it as valid data, completing none
  (portfoliooptimizer.io's ``POST /portfolio/analysis/ulcer-index``: an example without the
  required ``riskFreeRate``, "Schema-valid request rejected"). Elsewhere schemathesis judges
  its examples itself. :func:`unread_media` names each one left out.
- a path parameter's example that schemathesis never sends in a path (``{``, ``}`` or ``/``
  in it: getpostman.com's Postman variables, ``{{apiId}}``) is left out
  (:func:`_unsendable_path_examples`): fuzzing drew it only to filter it out, and on an
  operation whose every path parameter had one, Hypothesis' health check failed the run.
- a ``oneOf`` whose members are open objects with nothing to tell them apart (mailscript's
  ``criteria``, lint ``one-of-overlap``) is spelled as the same set of values, each member with
  the others barred (:func:`_one_of_spelled_exclusive`): schemathesis filtered what it drew
  from the members for values valid under exactly one, kept none, and sent no positive case.

:func:`as_the_app_reads` returns the document with these applied, and ``None`` when none
applies, so that the spec is loaded as it is.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from specfirst.contract.plain import plain_schema
from specfirst.ir import BodyKind
from specfirst.loader.pointers import Pointer, copy_json, deref, pointer_step, ref_pointer
from specfirst.one_of_overlap import overlapping_pair
from specfirst.parser.media import (
    body_kind,
    form_as_text,
    form_encodable,
    is_binary_schema,
    is_media_type,
    read_media,
)
from specfirst.schema_rewrites import one_of_holder, spell_one_of_holder
from specfirst.schema_types import BOOLEAN_TEXT, boolean_members

if TYPE_CHECKING:
    from specfirst.lint.examples import ExampleChecker

_QUERY_TEMPLATE = re.compile(r"[^=&]+=\{[^{}]+\}")
"""A query pair of a path key whose value is a template: ``query={query}``."""

OCTET_STREAM = "application/octet-stream"
"""The media type the run sends a body whose declared key is no media type as (raw bytes)."""

TEXT_PLAIN = "text/plain"
"""The media type the run sends a form the app reads as its raw text as (:func:`_bodies_of_form_text`)."""

IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
"""Header parameters OpenAPI 3 says to ignore (lowercase)."""

_COMPOSITION = ("allOf", "oneOf", "anyOf", "$ref", "not", "if")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "dependentSchemas", "$defs", "definitions")
_SUBSCHEMA_LISTS = ("allOf", "oneOf", "anyOf", "prefixItems")
_SUBSCHEMAS = ("items", "additionalProperties", "not", "contains", "propertyNames", "if", "then")
_SUBSCHEMAS_MORE = ("else", "unevaluatedItems", "unevaluatedProperties", "additionalItems")


def as_the_app_reads(document: dict[str, Any]) -> dict[str, Any] | None:
    """A copy of ``document`` read as the generated app reads it, or None if that is the same.

    The document is looked through once before anything is copied: most specs need neither
    reading, and a deep copy of a large one (GitHub's) costs about a second."""
    readings = (
        _one_of_holders,
        _drop_ignored_headers,
        _objects_without_type,
        _numbers_as_text,
        _booleans_from_text,
        _form_arrays_not_empty,
        _forms_never_null,
        _json_path_text_unescaped,
        _drop_refused_examples,
        _drop_unsendable_path_examples,
        _query_templates_unnamed,
        _allof_extras,
        _required_declared,
        _one_of_spelled_exclusive,
    )
    if not (any(reading(document, apply=False) for reading in readings) or unread_media(document)):
        return None
    changed = copy.deepcopy(document)
    # media types first: the form readings replace a body's schema, after which a form
    # alternate no longer reads as the JSON body's own schema (read_media compares them)
    left_out = [
        (body, media)
        for body, _, _, unread, unsent in _bodies_read(changed)
        for media in [*unread, *unsent]
    ]
    as_bytes = [(body, media) for body, _, media in _bodies_of_no_media_type(changed)]
    replaced = [*left_out, *as_bytes]
    _inline_refs_into(changed, [body["content"][media] for body, media in replaced])
    for body, media in replaced:
        body["content"].pop(media, None)  # a body shared through components: once
    for body, _ in as_bytes:
        body["content"][OCTET_STREAM] = {"schema": {"type": "string", "format": "binary"}}
    for body, _, media in list(_bodies_of_form_text(changed)):
        if media in body["content"]:  # a body shared through components: once
            body["content"] = {TEXT_PLAIN: body["content"][media]}
    for reading in readings:
        reading(changed, apply=True)
    return changed


def _inline_refs_into(document: dict[str, Any], nodes: list[Any]) -> None:
    """Each ``$ref`` of ``document`` to a place inside one of ``nodes`` (media types the run
    leaves out) replaced by a copy of what it names, so that it still names something once
    they are gone (conjur: every policy body's ``text/plain`` schema is a ``$ref`` to PUT's
    ``text/yaml`` schema, which the app does not read)."""
    inside = {id(node) for node in nodes}
    if not inside:
        return
    for _ in range(8):  # a copied target may itself refer into a node left out: again
        replaced = 0
        for holder in _ref_holders(document):
            found, target = _target_inside(document, str(holder["$ref"]), inside)
            if found:
                siblings = {k: v for k, v in holder.items() if k != "$ref"}
                holder.clear()
                holder.update({**copy_json(target), **siblings} if isinstance(target, dict) else {})
                replaced += 1
        if not replaced:
            return


def _ref_holders(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every mapping of ``document`` with an internal ``$ref`` to a media type's content."""
    stack: list[Any] = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#") and "/content/" in ref:
                yield node
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _target_inside(document: dict[str, Any], ref: str, inside: set[int]) -> tuple[bool, Any]:
    """``(True, target)`` when ``ref`` names a place inside a node whose id is in ``inside``."""
    node: Any = document
    within = False
    for segment in ref_pointer(ref):
        if isinstance(node, list) and not str(segment).isdigit():
            return False, None
        node, _ = pointer_step(node, int(segment) if isinstance(node, list) else str(segment))
        if node is None:
            return False, None
        within = within or id(node) in inside
    return within, node


def unread_media(document: dict[str, Any]) -> list[str]:
    """``"POST /things: request body as application/xml (read as application/json only)"``
    for each operation whose request body declares media types the app does not read, a
    line for the form alternates the run cannot send (:func:`_unencodable_form`), one for
    each form sent as text (:func:`_bodies_of_form_text`), and one for each example left out
    (:func:`_refused_examples`)."""
    lines = [
        f"{label}: request {where} example{'' if name is None else f' {name!r}'} "
        f"(its schema refuses it: {why})"
        for label, where, _, _, name, why in _refused_examples(document)
    ]
    lines += [
        f"{label}: path parameter {parameter!r} example {value!r} (schemathesis sends no path "
        "value with '{', '}' or '/')"
        for label, parameter, _, _, _, value in _unsendable_path_examples(document)
    ]
    lines += [
        f"{label}: request body as {media!r} (not a media type: sent as {OCTET_STREAM}, the "
        "bytes the app reads under any Content-Type)"
        for _, label, media in _bodies_of_no_media_type(document)
    ]
    lines += [
        f"{label}: request body as {media} (a string, which no form encodes: sent as "
        f"{TEXT_PLAIN}, the raw text the app reads under any Content-Type)"
        for _, label, media in _bodies_of_form_text(document)
    ]
    for _, label, read, unread, unsent in _bodies_read(document):
        content = _mapping(_mapping(_body(document, label)).get("content"))
        malformed = [m for m in unread if not is_media_type(m)]
        if malformed:
            lines.append(
                f"{label}: request body as {', '.join(map(repr, malformed))} (not a media "
                f"type, lint rule media-type-valid; read as {', '.join(read)})"
            )
        unread = [m for m in unread if m not in malformed]
        formless = [
            m
            for m in unread
            if body_kind(m) in (BodyKind.FORM, BodyKind.MULTIPART)
            and not form_encodable(_resolved(document, _mapping(content.get(m)).get("schema")))
        ]
        unread = [m for m in unread if m not in formless]
        if unread:
            lines.append(
                f"{label}: request body as {', '.join(unread)} (read as {', '.join(read)} only)"
            )
        if formless:
            lines.append(
                f"{label}: request body as {', '.join(formless)} (its schema is not an object, "
                "so a form has no fields for it: answered 415)"
            )
        forms = [m for m in unsent if body_kind(m) is BodyKind.FORM]
        raw = [m for m in unsent if m not in forms]
        why = sorted({_form_reason(document, content.get(m)) or _OBJECT_KEYS for m in forms})
        if forms:
            lines.append(f"{label}: request body as {', '.join(forms)} ({'; '.join(why)})")
        if raw:
            lines.append(
                f"{label}: request body as {', '.join(raw)} (the app hands it over undecoded: "
                "the implementation validates it)"
            )
    return lines


def _request_bodies(
    document: dict[str, Any],
) -> Iterator[tuple[dict[str, Any], str, dict[str, Any]]]:
    """(request body, its operation's label, its ``content``) of each operation whose body
    (its ``$ref`` followed) declares a ``content`` mapping; a body shared through components
    once per operation that uses it."""
    for path, item in _mapping(document.get("paths")).items():
        for method in _mapping(item):
            body, _ = request_body(document, path, method)
            content = body.get("content") if body is not None else None
            if body is not None and isinstance(content, dict):
                yield body, f"{method.upper()} {path}", content


def _bodies_read(
    document: dict[str, Any],
) -> Iterator[tuple[dict[str, Any], str, tuple[str, ...], list[str], list[str]]]:
    """(request body, its operation's label, the media types the app reads, those it does not,
    those it reads but the run cannot send) of each operation whose body has either kind."""
    for body, label, content in _request_bodies(document):
        if len(content) < 2:
            continue
        # a key that is no media type (spoonacular's '') is one schemathesis refuses
        # ("Malformed media type": not one request of the operation): left out where
        # the body declares a media type beside it (alone, see _bodies_of_no_media_type)
        valid = {m: content[m] for m in content if is_media_type(str(m))}
        if not valid:
            continue
        media, alternates, variants = read_media(
            valid, partial(_kind, document), partial(_resolved, document)
        )
        read = (media, *alternates, *variants)
        unread = [str(other) for other in content if other not in read]
        # a JSON body: its form alternates, when the run can send them as the app reads them
        unsent = [
            m
            for m in alternates
            if body_kind(m) is BodyKind.FORM and _unencodable_form(document, content[m])
        ]
        # and its other media types of a structured schema the app hands over undecoded
        # (as generate says: "the implementation validates it"): the app cannot be held to
        # that schema, and schemathesis often has no serializer for them either (noosh.com's
        # x-yaml, x-json-smile, text/csv beside JSON: "Serialization not possible")
        raw = [
            m
            for m in variants
            if _kind(document, m, content[m]) in (BodyKind.BINARY, BodyKind.TEXT)
            and _structured(_resolved(document, _mapping(content[m]).get("schema")))
        ]
        if unread or unsent or raw:
            yield body, label, read, unread, [*unsent, *raw]


def _bodies_of_no_media_type(
    document: dict[str, Any],
) -> Iterator[tuple[dict[str, Any], str, str]]:
    """(request body, its operation's label, its media type) of each body declared under one
    key that is no media type only (spoonacular's meal planner: ``content: {'': …}``, lint rule
    ``media-type-valid``). schemathesis refuses such an operation whole ("Malformed media
    type"), so the run sent it nothing. The app reads such a body by its name's kind, binary
    (or text): the bytes sent under any ``Content-Type``, never decoded nor validated; so the
    run sends it as :data:`OCTET_STREAM` bytes."""
    for body, label, content in _request_bodies(document):
        if len(content) != 1:
            continue
        (media,) = content
        if not is_media_type(str(media)) and _kind(document, str(media), content[media]) in (
            BodyKind.BINARY,
            BodyKind.TEXT,
        ):
            yield body, label, str(media)


def _bodies_of_form_text(document: dict[str, Any]) -> Iterator[tuple[dict[str, Any], str, str]]:
    """(request body, its operation's label, its media type) of each body the app reads as its
    raw text though declared as a form or multipart one (a string schema alone:
    :func:`~specfirst.parser.media.form_as_text`, spoonacular's ``POST /food/detect``).
    schemathesis wraps such a string in a multipart boundary, or sends an array as JSON text,
    which the app, reading any text, cannot tell from a string; the run sends it as
    :data:`TEXT_PLAIN`, the string's text as the body, which the app reads alike."""
    for body, label, content in _request_bodies(document):
        media = form_as_text(content, partial(_resolved, document))
        if media is not None:
            yield body, label, media


def _structured(schema: dict[str, Any]) -> bool:
    """Whether a schema describes more than a string (text or bytes): an object, an array, a
    number, or a composition (the parser's test for its "undecoded" note)."""
    if not schema:
        return False
    kind = schema.get("type")
    return not (kind == "string" or kind == ["string"])


def _kind(document: dict[str, Any], media: str, media_obj: Any) -> BodyKind:
    """How the app reads a body of ``media``: by its name, but a file (``format: binary``) is
    bytes under any media type (the parser's reading, ``parser.bodies._media_kind``)."""
    kind = body_kind(media)
    schema = _resolved(document, _mapping(media_obj).get("schema"))
    if kind is BodyKind.JSON and is_binary_schema(schema):
        return BodyKind.BINARY
    return kind


def _unencodable_form(document: dict[str, Any], media: Any) -> bool:
    """Whether a form-urlencoded alternate's schema has a property holding objects (an object,
    or an array of them): the app reads each as JSON text (the OpenAPI default for an object),
    but schemathesis encodes an object as its keys (``Values=Name&Values=Value``, smart-me.com's
    ``POST /api/CustomDevice``), which no server can read back, so the run cannot send one."""
    return _form_reason(document, media) is not None


_OBJECT_KEYS = (
    "the app reads its object properties as JSON text; schemathesis would send an object's keys"
)
_NESTED_ARRAYS = (
    "the app reads each item of an array of arrays as JSON text; schemathesis would send "
    "each inner array as Python text ([1, 'a'])"
)


def _form_reason(document: dict[str, Any], media: Any) -> str | None:
    """Why the run cannot send a form-urlencoded alternate (:func:`_unencodable_form`), or
    None: a property holding objects, or an array of arrays (nordigen's ``access_scope``),
    whose inner arrays schemathesis writes as Python's ``str`` of a list."""
    if not isinstance(media, dict):
        return None
    schema = _resolved(document, media.get("schema"))
    reasons: list[str] = []
    for prop in _dicts(_mapping(schema.get("properties"))):
        prop = _resolved(document, prop)
        if _holds_objects(document, prop) or _holds_objects(document, prop.get("items")):
            reasons.append(_OBJECT_KEYS)
        elif _holds_arrays(document, prop.get("items")):
            reasons.append(_NESTED_ARRAYS)
    return _OBJECT_KEYS if _OBJECT_KEYS in reasons else next(iter(reasons), None)


def _holds_arrays(document: dict[str, Any], schema: Any) -> bool:
    """Whether ``schema`` describes arrays: by type or ``items``."""
    if not isinstance(schema, dict):
        return False
    schema = _resolved(document, schema)
    kind = schema.get("type")
    return kind == "array" or (isinstance(kind, list) and "array" in kind) or "items" in schema


def _holds_objects(document: dict[str, Any], schema: Any, depth: int = 4) -> bool:
    """Whether ``schema`` describes objects: by type or properties, or a composition member
    that does (telegram.org's ``InlineQueryResult``, ``anyOf`` twenty result objects)."""
    schema = _resolved(document, schema)
    if schema.get("type") == "object" or "properties" in schema:
        return True
    members = [
        *_list(schema.get("anyOf")),
        *_list(schema.get("oneOf")),
        *_list(schema.get("allOf")),
    ]
    return depth > 0 and any(_holds_objects(document, m, depth - 1) for m in members)


def _resolved(document: dict[str, Any], schema: Any) -> dict[str, Any]:
    """``schema`` with its ``#/components/schemas`` references followed (a few levels)."""
    schemas = _mapping(_mapping(document.get("components")).get("schemas"))
    prefix = "#/components/schemas/"
    for _ in range(8):
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        if not (isinstance(ref, str) and ref.startswith(prefix)):
            break
        schema = schemas.get(ref[len(prefix) :])
    return _mapping(schema)


def formless_bodies(document: dict[str, Any], labels: Iterable[str]) -> dict[str, str]:
    """Operation label → why it cannot reach a success with a body: the media type its body
    is read in is a form or multipart one whose schema is not an object (no form has fields
    for it), so the app answers any body 415 (and refuses an absent one when required); lint
    rule ``form-body-object``. A string alone is read as its raw text, and is not one."""
    found: dict[str, str] = {}
    for label in labels:
        content = _mapping(_mapping(_body(document, label)).get("content"))
        if not content:
            continue
        if form_as_text(content, partial(_resolved, document)):
            continue  # read as its raw text: it can succeed
        media, _, _ = read_media(content, None, partial(_resolved, document))
        schema = _resolved(document, _mapping(content.get(media)).get("schema"))
        if body_kind(media) in (BodyKind.FORM, BodyKind.MULTIPART) and not form_encodable(schema):
            found[label] = (
                f"its request body is {media} of a schema that is not an object, which no form "
                "encodes: the app answers any body 415 (lint rule form-body-object)"
            )
    return found


def _body(document: dict[str, Any], label: str) -> dict[str, Any] | None:
    """The request body of operation ``label`` (``"POST /things"``), its ``$ref`` followed."""
    method, _, path = label.partition(" ")
    return request_body(document, path, method)[0]


def request_body(
    document: Mapping[str, Any], path: str, method: str
) -> tuple[dict[str, Any] | None, Pointer]:
    """The request body of the operation at ``path`` and ``method`` (any case), its local
    ``$ref``s followed, and where it is; ``None`` where there is none, or its reference names
    nothing."""
    pointer: Pointer = ("paths", path, method.lower(), "requestBody")
    node: Any = document
    for step in pointer:
        node = node.get(step) if isinstance(node, Mapping) else None
    body, pointer, broken = deref(document, node, pointer)
    return (body if isinstance(body, dict) and broken is None else None), pointer


def _parameter_lists(document: dict[str, Any]) -> Iterator[list[Any]]:
    for item in _mapping(document.get("paths")).values():
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("parameters"), list):
            yield item["parameters"]
        for operation in item.values():
            if isinstance(operation, dict) and isinstance(operation.get("parameters"), list):
                yield operation["parameters"]


def _query_templates_unnamed(document: dict[str, Any], *, apply: bool) -> int:
    """Path keys read without the query pairs whose value is a template (``?query={query}``),
    unless that would make them another path key of the document."""
    paths = _mapping(document.get("paths"))
    renamed = {key: _without_query_templates(key) for key in paths}
    renamed = {key: new for key, new in renamed.items() if new != key and new not in paths}
    if renamed and apply:
        document["paths"] = {renamed.get(key, key): item for key, item in paths.items()}
    return len(renamed)


def _without_query_templates(key: str) -> str:
    """``/search?query={query}&v=2`` → ``/search?v=2``."""
    path, mark, query = key.partition("?")
    if not mark:
        return key
    kept = [pair for pair in query.split("&") if not _QUERY_TEMPLATE.fullmatch(pair)]
    return path + ("?" + "&".join(kept) if kept else "")


def _drop_ignored_headers(document: dict[str, Any], *, apply: bool) -> int:
    components = _mapping(_mapping(document.get("components")).get("parameters"))
    dropped = 0
    for parameters in _parameter_lists(document):
        kept = [p for p in parameters if not _ignored(p, components)]
        dropped += len(parameters) - len(kept)
        if apply:
            parameters[:] = kept
    return dropped


def _parameter(parameter: Any, components: dict[str, Any]) -> Any:
    """``parameter`` with its ``#/components/parameters`` reference followed."""
    if isinstance(parameter, dict) and isinstance(parameter.get("$ref"), str):
        prefix = "#/components/parameters/"
        ref = parameter["$ref"]
        return components.get(ref[len(prefix) :]) if ref.startswith(prefix) else None
    return parameter


def _ignored(parameter: Any, components: dict[str, Any]) -> bool:
    parameter = _parameter(parameter, components)
    if not isinstance(parameter, dict):
        return False
    name = parameter.get("name")
    return (
        parameter.get("in") == "header"
        and isinstance(name, str)
        and name.lower() in IGNORED_HEADERS
    )


def _one_of_holders(document: dict[str, Any], *, apply: bool) -> int:
    """Each ``oneOf`` beside keywords of its own schema (``properties``, ``required``,
    ``allOf``, ``additionalProperties``) spelled as the generated models read it: each
    alternative merged with the holder, ``oneOf: [{allOf: [<holder>, A]}, …]``
    (:func:`~specfirst.schema_rewrites.spell_one_of_holder`). A closed holder then closes each
    alternative over the names it and the holder declare (:func:`_allof_extras`, which runs
    after): shipengine's ``estimate_rates_request_body`` (closed, allOf [options], oneOf [by
    carrier id, by carrier ids], open objects) admitted no body read literally, and with the
    alternatives' names declared on the holder every body was valid under both; schemathesis
    got no accepted case. Innermost first, so an alternative's copies hold the spelled form."""
    resolve = partial(_resolved, document)
    found = [schema for schema in _schemas(document) if one_of_holder(schema, resolve)]
    if apply:
        for schema in reversed(found):  # _schemas yields a schema before its subschemas
            spell_one_of_holder(schema)
    return len(found)


def _objects_without_type(document: dict[str, Any], *, apply: bool) -> int:
    typed = 0
    for schema in _schemas(document):
        if (
            "type" not in schema
            and ("properties" in schema or "required" in schema)
            and not any(key in schema for key in _COMPOSITION)
        ):
            if apply:
                schema["type"] = "object"
            typed += 1
    return typed


def _declared(document: dict[str, Any], schema: Any, depth: int = 0) -> set[str]:
    """The property names ``schema`` declares, its own and its allOf parts' (refs followed)."""
    return set(_declarations(document, schema, depth))


def _declarations(document: dict[str, Any], schema: Any, depth: int = 0) -> dict[str, list[Any]]:
    """Each property name ``schema`` declares, its own and its allOf parts' (refs followed),
    with the schemas it is declared with there (its own first)."""
    schema = _resolved(document, schema)
    found: dict[str, list[Any]] = {
        name: [sub] for name, sub in _mapping(schema.get("properties")).items()
    }
    if depth < 8:
        for part in _list(schema.get("allOf")):
            for name, subs in _declarations(document, part, depth + 1).items():
                found.setdefault(name, []).extend(subs)
    return found


def _closed(schema: dict[str, Any]) -> bool:
    """Whether ``schema`` restricts the keys it does not declare."""
    extra = schema.get("additionalProperties", True)
    return extra is not True and isinstance(extra, dict | bool)


def _as_declared(
    declarations: dict[str, list[Any]], names: set[str], combine: str = "allOf"
) -> dict[str, Any]:
    """Each of ``names`` with (a copy of) the schema it is declared with elsewhere, or all of
    them combined (``allOf`` for an allOf's parts, which all hold; ``anyOf`` for the
    alternatives of a oneOf or anyOf): the same constraint again, not ``{}``. schemathesis
    merges an allOf's properties for its examples with the parent's (or a later part's)
    winning, and takes the parent's for a oneOf's alternatives, so a ``{}`` there stood for
    the real schema: shipengine's ``create_label_request_body`` (allOf [``label``], closed)
    was sent with ``"shipment": null`` as a valid body, and every example was one with nulls
    ("Schema-valid request rejected")."""
    declared: dict[str, Any] = {}
    for name in sorted(names):
        subs = [copy.deepcopy(sub) for sub in declarations[name]]
        declared[name] = subs[0] if len(subs) == 1 else {combine: subs}
    return declared


def _alternatives(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, list[Any]]:
    """Each property name the ``oneOf``/``anyOf`` alternatives of ``schema`` declare (their
    allOf parts' too, refs followed), with the schemas it is declared with there."""
    found: dict[str, list[Any]] = {}
    for keyword in ("oneOf", "anyOf"):
        for member in _list(schema.get(keyword)):
            for name, subs in _declarations(document, member).items():
                found.setdefault(name, []).extend(subs)
    return found


def _allof_extras(document: dict[str, Any], *, apply: bool) -> int:
    """Each schema with an allOf (or oneOf/anyOf alternatives) whose own or a part's
    ``additionalProperties`` would apply to names another part, an alternative or the schema
    declares: those names declared where it is written, with the schema they have where they
    are declared (:func:`_as_declared`). A part that is a ``$ref`` is replaced by a copy, so
    the component keeps its meaning where it stands alone.

    Alternatives count as the generated models read them: a closed schema's ``anyOf`` (or a
    ``oneOf`` :func:`_one_of_holders` leaves as written, one with a discriminator) admits no
    value read literally when its alternatives declare names the schema does not. Each name is
    declared with the schemas of the alternatives that declare it (any of them), so that the
    alternatives still pick one. A ``oneOf`` beside holder keywords is spelled first, each
    alternative merged with the holder, whose closedness then covers that alternative's names
    only (shipengine's ``compare_bulk_rates_request_body``)."""
    found = 0
    for schema in list(_schemas(document)):
        parts = _list(schema.get("allOf"))
        if not parts and not _closed(schema):
            continue
        alternatives = _alternatives(document, schema)
        if not parts and not alternatives:
            continue
        declarations = _declarations(document, schema)
        names = set(declarations) | set(alternatives)
        own = set(_mapping(schema.get("properties")))
        if _closed(schema) and names - own:
            found += 1
            if apply:
                extra = {
                    **_as_declared(
                        alternatives, set(alternatives) - own - set(declarations), "anyOf"
                    ),
                    **_as_declared(declarations, set(declarations) - own),
                }
                schema["properties"] = {**_mapping(schema.get("properties")), **extra}
        for index, part in enumerate(parts):
            resolved = _resolved(document, part)
            missing = names - _declared(document, resolved)
            if not (_closed(resolved) and missing):
                continue
            found += 1
            if apply:
                extra = {
                    **_as_declared(alternatives, missing - set(declarations), "anyOf"),
                    **_as_declared(declarations, missing & set(declarations)),
                }
                properties = {**_mapping(resolved.get("properties")), **extra}
                if resolved is part:  # inline: in place, where its own names are declared too
                    part["properties"] = properties
                else:
                    parts[index] = {**resolved, "properties": properties}
    return found


def _required_declared(document: dict[str, Any], *, apply: bool) -> int:
    """Each object schema with ``additionalProperties: false`` and a ``required`` name it does
    not declare: the name declared as ``{}``, as the generated model reads it
    (:func:`~specfirst.schema_rewrites.declare_required_names`). Literally the name is both
    required and forbidden, so no object is valid, and schemathesis sent e-conomic's
    ``Employee`` with ``canApprove: null`` as a valid body. Runs after :func:`_allof_extras`,
    which declares in a part what its siblings declare."""
    found = 0
    for schema in list(_schemas(document)):
        required = schema.get("required")
        if (
            schema.get("additionalProperties", True) is not False
            or not isinstance(required, list)
            or any(key in schema for key in _COMPOSITION)
            or "patternProperties" in schema  # a pattern may allow the name
        ):
            continue
        properties = _mapping(schema.get("properties"))
        missing = [n for n in required if isinstance(n, str) and n not in properties]
        if missing:
            found += 1
            if apply:
                schema["properties"] = {**properties, **{name: {} for name in missing}}
    return found


def _one_of_spelled_exclusive(document: dict[str, Any], *, apply: bool) -> int:
    """Each ``oneOf`` with two members that are open objects with nothing to tell them apart
    (:func:`~specfirst.one_of_overlap.overlapping_pair`) spelled as the same set of values, one
    alternative per member with the others barred: ``anyOf: [{allOf: [A, {not: B}]}, {allOf:
    [B, {not: A}]}]``. schemathesis draws a ``oneOf``'s values from each member and keeps those
    valid under exactly one: such members admit together almost all they draw, so nothing was
    kept ("Unsatisfiable", mailscript's ``criteria``: no positive case, the operation never
    reached its 201); from the spelled complement it draws values of one member only
    (``{"and": 5}``). A ``oneOf`` whose members differ only in annotations admits nothing
    either way and is left as written (the ``same-one-of`` note reads it)."""
    found = 0
    for schema in list(_schemas(document)):
        if overlapping_pair(schema, partial(_resolved, document)) is None:
            continue
        members = schema["oneOf"]
        try:
            plain = [plain_schema(member, document, 0) for member in members]
        except ValueError:  # an unresolvable or recursive reference: left as written
            continue
        if any(plain.count(member) > 1 for member in plain):
            continue
        found += 1
        if not apply:
            continue
        alternatives = []
        for index, member in enumerate(members):
            # copies: schemathesis rewrites a schema's nodes in place, each once
            others = copy.deepcopy(members[:index] + members[index + 1 :])
            barred = others[0] if len(others) == 1 else {"anyOf": others}
            alternatives.append({"allOf": [member, {"not": barred}]})
        del schema["oneOf"]
        if "anyOf" in schema:
            schema["allOf"] = [*_list(schema.get("allOf")), {"anyOf": alternatives}]
        else:
            schema["anyOf"] = alternatives
    return found


def _forms_never_null(document: dict[str, Any], *, apply: bool) -> int:
    """A form or multipart body whose schema admits ``null`` (stream-io's nullable
    ``FileUploadRequest``): a form has no encoding of null (schemathesis sent the text
    ``None`` as the whole multipart body), so the run sends objects only."""
    found = 0
    for media_obj in _form_media(document):
        schema = _mapping(media_obj.get("schema"))
        resolved = _resolved(document, schema)
        kind = resolved.get("type")
        if resolved.get("nullable") is not True and not (isinstance(kind, list) and "null" in kind):
            continue
        if apply and schema.get("type") != "object":  # a body shared: once
            media_obj["schema"] = {"allOf": [schema], "type": "object"}
        found += 1
    return found


def _form_media(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The media type objects of the operations' form and multipart request bodies (a body
    shared through components once per operation that uses it)."""
    for _, _, content in _request_bodies(document):
        for media, media_obj in content.items():
            if body_kind(str(media)) in (BodyKind.FORM, BodyKind.MULTIPART):
                yield _mapping(media_obj)


def _form_arrays_not_empty(document: dict[str, Any], *, apply: bool) -> int:
    """A form or multipart body's required array properties get ``minItems: 1``: an empty
    array is encoded as no field (schemathesis sends one part or field per item, even under an
    ``encoding.contentType``), which is the property left out (truora's ``BatchUploadInput``).
    Its properties that admit null get ``not: {enum: [null]}``: a form has no encoding of null
    (RFC 6570 leaves an undefined value out). A required one's null was sent as no part, the
    property left out too (telegram.org's ``animation``, ``anyOf`` an empty ``InputFile``
    schema or a string); an optional one's as the text ``null`` (twilio.com's UpdateMember
    ``LastConsumedMessageIndex``, a nullable integer): both "Schema-valid request rejected".
    An optional property is still left out as often.

    The body's schema and those properties are copied, not changed in place: a component
    shared with a JSON body keeps ``[]`` valid there. The body keeps its ``properties`` at the
    top, where schemathesis looks for file parts."""
    found = 0
    for media_obj in _form_media(document):
        schema = _resolved(document, media_obj.get("schema"))
        properties = _mapping(schema.get("properties"))
        required = [name for name in _list(schema.get("required")) if isinstance(name, str)]
        names = [
            name
            for name in required
            if _may_be_empty(document, properties.get(name))
            or _may_be_null(document, properties.get(name))
        ]
        names += [
            name
            for name in properties
            if isinstance(name, str)
            and name not in required
            and _may_be_null(document, properties[name])
            and _resolved(document, properties[name]).get("type") not in ("null", ["null"])
        ]
        if not names:
            continue
        if apply:  # a body shared through components: once, as it is not met again
            properties = dict(properties)
            for name in names:
                prop = _resolved(document, properties[name])
                if _may_be_empty(document, prop):
                    prop = {**prop, "minItems": 1}
                if _may_be_null(document, prop):
                    prop = _not_null(prop)  # schemathesis' coverage phase reads no ``not``
                if _may_be_null(document, prop):
                    prop = (
                        {**prop, "not": {"enum": [None]}}
                        if "not" not in prop
                        else {
                            "allOf": [prop],
                            "not": {"enum": [None]},
                        }
                    )
                properties[name] = prop
            copied = {**schema, "properties": properties}
            copied.pop("nullable", None)  # a form is never null (_forms_never_null)
            kind = copied.get("type")
            if isinstance(kind, list):
                copied["type"] = [k for k in kind if k != "null"]
            media_obj["schema"] = copied
        found += 1
    return found


def _not_null(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` without its own ``nullable: true`` or ``null`` type (a copy)."""
    copied = dict(schema)
    if copied.get("nullable") is True:
        del copied["nullable"]
    kind = copied.get("type")
    if isinstance(kind, list) and "null" in kind:
        copied["type"] = [k for k in kind if k != "null"]
    return copied


def _may_be_empty(document: dict[str, Any], schema: Any) -> bool:
    """Whether ``schema`` is an array that admits no items (no ``minItems`` of 1 or more)."""
    schema = _resolved(document, schema)
    kind = schema.get("type")
    array = kind == "array" or (isinstance(kind, list) and "array" in kind)
    if not array and not (kind is None and "items" in schema):
        return False
    least = schema.get("minItems")
    return not (_number(least) and least >= 1)


def _may_be_null(document: dict[str, Any], schema: Any, depth: int = 4) -> bool:
    """Whether ``schema`` admits null: ``nullable``, a ``null`` type, no type at all (an empty
    schema, or a description only), or a composition member that does."""
    schema = _resolved(document, schema)
    kind = schema.get("type")
    if schema.get("nullable") is True or kind == "null" or "null" in _list(kind):
        return True
    if isinstance(schema.get("not"), dict) and _list(schema["not"].get("enum")) == [None]:
        return False
    members = [*_list(schema.get("anyOf")), *_list(schema.get("oneOf"))]
    if members:
        return depth > 0 and any(_may_be_null(document, m, depth - 1) for m in members)
    structural = ("type", "properties", "items", "allOf", "enum", "const", "$ref", "not")
    return not any(key in schema for key in structural)


def _all_parameters(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every parameter object the document declares: in path items, operations and components."""
    components = _mapping(document.get("components"))
    parameters = [p for ps in _parameter_lists(document) for p in ps if isinstance(p, dict)]
    parameters.extend(_dicts(_mapping(components.get("parameters"))))
    return parameters


def _parameter_enums(
    document: dict[str, Any], kind: str
) -> Iterator[tuple[dict[str, Any], list[Any]]]:
    """(schema, its ``enum``) of each parameter whose schema is of type ``kind`` with an enum."""
    for parameter in _all_parameters(document):
        schema = parameter.get("schema")
        enum = schema.get("enum") if isinstance(schema, dict) else None
        if isinstance(schema, dict) and schema.get("type") == kind and isinstance(enum, list):
            yield schema, enum


def _numbers_as_text(document: dict[str, Any], *, apply: bool) -> int:
    found = 0
    for schema, enum in _parameter_enums(document, "string"):
        if not any(_number(m) for m in enum):
            continue
        if apply:
            schema["enum"] = [json.dumps(m) if _number(m) else m for m in enum]
        found += 1
    return found


def _booleans_from_text(document: dict[str, Any], *, apply: bool) -> int:
    found = 0
    for schema, enum in _parameter_enums(document, "boolean"):
        if not any(isinstance(m, str) and m in BOOLEAN_TEXT for m in enum):
            continue
        if apply:
            members = boolean_members(enum)
            kept = [m for m in (False, True) if m in members]
            schema["enum"] = [*kept, None] if None in enum else kept
        found += 1
    return found


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _schemas(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every schema of the document, subschemas included (never examples or defaults)."""
    components = _mapping(document.get("components"))
    roots: list[Any] = list(_mapping(components.get("schemas")).values())
    for parameters in _parameter_lists(document):
        roots.extend(p.get("schema") for p in parameters if isinstance(p, dict))
    roots.extend(p.get("schema") for p in _dicts(_mapping(components.get("parameters"))))
    roots.extend(h.get("schema") for h in _dicts(_mapping(components.get("headers"))))
    for holder in _content_holders(document):
        roots.extend(m.get("schema") for m in _dicts(_mapping(holder.get("content"))))
        for header in _dicts(_mapping(holder.get("headers"))):
            roots.append(header.get("schema"))
    seen: set[int] = set()
    stack = [r for r in roots if isinstance(r, dict)]
    while stack:
        schema = stack.pop()
        if id(schema) in seen:
            continue
        seen.add(id(schema))
        yield schema
        for key in _SUBSCHEMA_MAPS:
            stack.extend(_dicts(_mapping(schema.get(key))))
        for key in _SUBSCHEMA_LISTS:
            value = schema.get(key)
            if isinstance(value, list):
                stack.extend(v for v in value if isinstance(v, dict))
        for key in (*_SUBSCHEMAS, *_SUBSCHEMAS_MORE):
            value = schema.get(key)
            if isinstance(value, dict):
                stack.append(value)


def _content_holders(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Request bodies and responses: what holds ``content`` (and responses' ``headers``)."""
    components = _mapping(document.get("components"))
    yield from _dicts(_mapping(components.get("requestBodies")))
    yield from _dicts(_mapping(components.get("responses")))
    for item in _dicts(_mapping(document.get("paths"))):
        for operation in _dicts(item):
            body = operation.get("requestBody")
            if isinstance(body, dict):
                yield body
            yield from _dicts(_mapping(operation.get("responses")))


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _dicts(mapping: dict[str, Any]) -> Iterator[dict[str, Any]]:
    return (v for v in mapping.values() if isinstance(v, dict))


def json_text_parameters(document: dict[str, Any]) -> dict[str, frozenset[tuple[str, str, bool]]]:
    """The path and query parameters sent as JSON text of a string or of a list of strings
    (``content: application/json``): ``(location, name, is a list)`` by operation label
    (``"DELETE /lists/{name}"``).

    schemathesis does not always send such a value as JSON: a value its stateful phase takes
    from a response (``"name": ":"``) goes into the path or query as it is, so the app,
    reading JSON, answers 4xx to a request the spec allows (stream-io's ``DELETE
    /blocklists/{name}``, ``DELETE /devices?user_id=``). The run sends these as JSON text
    (:func:`specfirst.contract.runner._json_parameter_values`)."""
    found: dict[str, set[tuple[str, str, bool]]] = {}
    for label, parameter, media_obj in _json_string_parameters(
        document, ("path", "query"), lists=True
    ):
        schema = _resolved(document, media_obj.get("schema"))
        where, name = str(parameter["in"]), str(parameter.get("name"))
        found.setdefault(label, set()).add((where, name, schema.get("type") == "array"))
    return {label: frozenset(names) for label, names in found.items()}


def _json_string_parameters(
    document: dict[str, Any], locations: tuple[str, ...], *, lists: bool = False
) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(operation label, parameter, its media type object) of each parameter in one of
    ``locations`` declared as JSON text of a string (or, with ``lists``, of a list of
    strings)."""
    components = _mapping(_mapping(document.get("components")).get("parameters"))
    for path, item in _mapping(document.get("paths")).items():
        if not isinstance(item, dict):
            continue
        shared = _list(item.get("parameters"))
        for method, operation in item.items():
            if not isinstance(operation, dict) or method == "parameters":
                continue
            for parameter in [*shared, *_list(operation.get("parameters"))]:
                parameter = _parameter(parameter, components)
                if not isinstance(parameter, dict) or parameter.get("in") not in locations:
                    continue
                content = _mapping(parameter.get("content"))
                if len(content) != 1:
                    continue
                media, media_obj = next(iter(content.items()))
                schema = _resolved(document, _mapping(media_obj).get("schema"))
                if lists and schema.get("type") == "array":
                    schema = _resolved(document, schema.get("items"))
                if "json" in str(media).lower() and schema.get("type") == "string":
                    yield f"{method.upper()} {path}", parameter, _mapping(media_obj)


_UNESCAPED = "^[ !#-\\[\\]-~]*$"
"""Text that JSON writes without an escape: printable ASCII but ``"`` and ``\\``."""


def _json_path_text_unescaped(document: dict[str, Any], *, apply: bool) -> int:
    """A path parameter declared as JSON text of a string is generated without characters that
    JSON escapes: schemathesis replaces a percent-encoded backslash in a path with ``_``, so
    ``"\\u00fa"`` was sent as ``"_u00fa"``, another string, longer than its ``maxLength``
    (stream-io's ``DELETE /push_providers/{type}/{name}``), and ``"a\\"b"`` as invalid JSON."""
    found = 0
    for _, _, media_obj in _json_string_parameters(document, ("path",)):
        schema = _mapping(media_obj.get("schema"))
        if any(key in _resolved(document, schema) for key in ("pattern", "enum", "const")):
            continue
        if apply:
            media_obj["schema"] = {"allOf": [schema], "type": "string", "pattern": _UNESCAPED}
        found += 1
    return found


_BOUNDS = ("exclusiveMinimum", "exclusiveMaximum")
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _drop_refused_examples(document: dict[str, Any], *, apply: bool) -> int:
    found = _refused_examples(document)
    if apply:
        for _, _, holder, key, name, _ in found:
            if name is not None:  # the entry, not the shared component it may refer to
                _mapping(holder.get(key)).pop(name, None)
                if not holder.get(key):
                    holder.pop(key, None)
            else:
                holder.pop(key, None)
    return len(found)


def _drop_unsendable_path_examples(document: dict[str, Any], *, apply: bool) -> int:
    found = _unsendable_path_examples(document)
    if apply:
        for _, _, holder, key, name, _ in found:
            if name is not None:
                _mapping(holder.get(key)).pop(name, None)
                if not holder.get(key):
                    holder.pop(key, None)
            else:
                holder.pop(key, None)
    return len(found)


def _unsendable_path_examples(
    document: dict[str, Any],
) -> list[tuple[str, str, dict[str, Any], str, str | None, Any]]:
    """(operation label, parameter name, the object holding the example, its key, a named
    example's name or None, the value) for each example of a path parameter (its own, or its
    inline schema's) that schemathesis never sends: a value with ``{``, ``}`` or ``/``, or
    one that empties or collapses the segment (``""``, ``.``, ``..``).

    schemathesis draws a parameter's examples while fuzzing and filters out such path values
    (they route to another path, or read as a template). getpostman.com declares Postman
    variables (``{{apiId}}``) as every path parameter's example: on an operation of four,
    nearly every draw was filtered, and Hypothesis' health check failed the operation
    ("filter_too_much") where the service had done nothing wrong."""
    from schemathesis.openapi.generation.filters import is_invalid_path_parameter

    found: list[tuple[str, str, dict[str, Any], str, str | None, Any]] = []
    seen: set[tuple[int, str, str | None]] = set()  # a path item's parameter: once
    for label, _, parameter, _ in _example_holders(document):
        if parameter.get("in") != "path" or "content" in parameter:
            continue
        schema = parameter["schema"]
        holders = [parameter] + ([schema] if "$ref" not in schema else [])
        for holder in holders:
            for key, name, value in _examples_of(document, holder):
                if (id(holder), key, name) in seen:
                    continue
                if value is not None and is_invalid_path_parameter(value):
                    seen.add((id(holder), key, name))
                    found.append((label, str(parameter.get("name")), holder, key, name, value))
    return found


def _refused_examples(
    document: dict[str, Any],
) -> list[tuple[str, str, dict[str, Any], str, str | None, str]]:
    """(operation label, where: "body"/"parameter 'x'", the object holding the example, its
    key, the name of a named example (else None), why its schema refuses it) for each request
    example, in an OpenAPI 3.0 document, whose schema schemathesis cannot check: one with
    draft-04's boolean ``exclusiveMinimum``/``exclusiveMaximum``.

    schemathesis validates examples as JSON Schema 2020-12, where those keywords are numbers:
    it builds no validator of such a schema and takes every example as valid, so an example
    the spec's own schema refuses (portfoliooptimizer.io's ulcer-index example without the
    required ``riskFreeRate``) went out as valid data and its 4xx failed the run. Examples are
    judged as ``specfirst lint``'s example-valid rule judges them (a request: OpenAPI 3.0's
    write dialect); those of the media type or parameter, and those inside the schema."""
    if not str(document.get("openapi", "")).startswith("3.0") or not any(
        isinstance(schema.get(bound), bool) for schema in _schemas(document) for bound in _BOUNDS
    ):
        return []
    from specfirst.lint.examples import ExampleChecker

    checker = ExampleChecker(document, "3.0")
    found: list[tuple[str, str, dict[str, Any], str, str | None, str]] = []
    judged: set[int] = set()  # schemas inside components: once, for the first operation

    def judge(label: str, where: str, holder: dict[str, Any], schema_ptr: tuple[Any, ...]) -> None:
        for key, name, value in _examples_of(document, holder):
            why = _refusal(checker, schema_ptr, value)
            if why is not None:
                found.append((label, where, holder, key, name, why))

    for label, where, holder, pointer in _example_holders(document):
        schema = holder.get("schema")
        if not _has_boolean_bound(document, schema):
            continue
        judge(label, where, holder, (*pointer, "schema"))
        for node, node_ptr in _schema_nodes(document, schema, (*pointer, "schema")):
            if id(node) not in judged and "example" in node:
                judged.add(id(node))
                if _has_boolean_bound(document, node):
                    # an example inside the schema is the schema's own: its holder is itself
                    why = _refusal(checker, node_ptr, node["example"])
                    if why is not None:
                        found.append((label, where, node, "example", None, why))
    return found


def _refusal(checker: ExampleChecker, schema_ptr: tuple[Any, ...], value: Any) -> str | None:
    """Why the schema at ``schema_ptr`` refuses ``value`` as a request, or None."""
    for message, _ in checker.check(schema_ptr, (), value, "write"):
        return message.removeprefix("example does not match its schema: ")
    return None


def _examples_of(
    document: dict[str, Any], holder: dict[str, Any]
) -> Iterator[tuple[str, str | None, Any]]:
    """(key, a named example's name or None, value) of a media type's or parameter's examples (a named
    one's ``$ref`` to ``#/components/examples`` followed; ``externalValue`` is not fetched)."""
    if "example" in holder:
        yield "example", None, holder["example"]
    shared = _mapping(_mapping(document.get("components")).get("examples"))
    for name, example in _mapping(holder.get("examples")).items():
        ref = example.get("$ref") if isinstance(example, dict) else None
        if isinstance(ref, str) and ref.startswith("#/components/examples/"):
            example = shared.get(ref[len("#/components/examples/") :])
        if isinstance(example, dict) and "value" in example:
            yield "examples", name, example["value"]


def _example_holders(
    document: dict[str, Any],
) -> Iterator[tuple[str, str, dict[str, Any], tuple[Any, ...]]]:
    """(operation label, "body"/"parameter 'x'", the media type or parameter object, its
    pointer) of each operation's request body media types and parameters with a schema."""
    components = _mapping(document.get("components"))
    for path, item in _mapping(document.get("paths")).items():
        if not isinstance(item, dict):
            continue
        for method in _HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            label = f"{method.upper()} {path}"
            shared = [
                (p, ("paths", path, "parameters", i))
                for i, p in enumerate(_list(item.get("parameters")))
            ]
            own = [
                (p, ("paths", path, method, "parameters", i))
                for i, p in enumerate(_list(operation.get("parameters")))
            ]
            for parameter, pointer in [*shared, *own]:
                ref = parameter.get("$ref") if isinstance(parameter, dict) else None
                if isinstance(ref, str) and ref.startswith("#/components/parameters/"):
                    name = ref[len("#/components/parameters/") :]
                    parameter, pointer = (
                        _mapping(components.get("parameters")).get(name),
                        (
                            "components",
                            "parameters",
                            name,
                        ),
                    )
                if isinstance(parameter, dict) and isinstance(parameter.get("schema"), dict):
                    yield label, f"parameter {parameter.get('name')!r}", parameter, pointer
            body, pointer = operation.get("requestBody"), ("paths", path, method, "requestBody")
            ref = body.get("$ref") if isinstance(body, dict) else None
            if isinstance(ref, str) and ref.startswith("#/components/requestBodies/"):
                name = ref[len("#/components/requestBodies/") :]
                body = _mapping(components.get("requestBodies")).get(name)
                pointer = ("components", "requestBodies", name)
            for media, media_obj in _mapping(_mapping(body).get("content")).items():
                if isinstance(media_obj, dict) and isinstance(media_obj.get("schema"), dict):
                    yield label, "body", media_obj, (*pointer, "content", media)


def _schema_nodes(
    document: dict[str, Any], schema: Any, pointer: tuple[Any, ...]
) -> Iterator[tuple[dict[str, Any], tuple[Any, ...]]]:
    """Every schema reached from ``schema`` (at ``pointer``), its ``#/components/schemas``
    references followed, with its pointer; each once."""
    schemas = _mapping(_mapping(document.get("components")).get("schemas"))
    stack: list[tuple[Any, tuple[Any, ...]]] = [(schema, pointer)]
    seen: set[int] = set()
    while stack:
        node, at = stack.pop()
        if not isinstance(node, dict) or id(node) in seen:
            continue
        seen.add(id(node))
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            name = ref[len("#/components/schemas/") :]
            stack.append((schemas.get(name), ("components", "schemas", name)))
            continue
        yield node, at
        for key in _SUBSCHEMA_MAPS:
            stack.extend((v, (*at, key, k)) for k, v in _mapping(node.get(key)).items())
        for key in _SUBSCHEMA_LISTS:
            stack.extend((v, (*at, key, i)) for i, v in enumerate(_list(node.get(key))))
        for key in (*_SUBSCHEMAS, *_SUBSCHEMAS_MORE):
            stack.append((node.get(key), (*at, key)))


def _has_boolean_bound(document: dict[str, Any], schema: Any) -> bool:
    """Whether ``schema``, or a schema it reaches, has a boolean ``exclusiveMinimum`` or
    ``exclusiveMaximum`` (draft-04's, OpenAPI 3.0's)."""
    return any(
        isinstance(node.get(bound), bool)
        for node, _ in _schema_nodes(document, schema, ())
        for bound in _BOUNDS
    )
