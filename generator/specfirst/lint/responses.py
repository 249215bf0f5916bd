"""Rules on what an operation answers: a success, errors as problem details, 401 and 403,
media types that are media types, no body where HTTP has none.

Every operation declares a 2xx; a form or multipart request body's schema is an object; every
4xx and 5xx is ``application/problem+json`` (RFC 9457), so clients parse one error shape; an
operation declares every status the runtime answers by itself (:mod:`specfirst.spec_gaps`): the
401 and 403 of its security, the validation status of its parameters and body, the 415 of its
body. A range (``4XX``) or ``default`` covers them.
"""

from __future__ import annotations

from collections.abc import Iterator

from specfirst.diagnostics import Level
from specfirst.ir import BodyKind
from specfirst.lint.context import Context, Finding, Rule
from specfirst.parser.media import body_kind, form_encodable, is_media_type, raw_form
from specfirst.spec_gaps import facts_of, spec_gaps

__all__ = ["RULES"]

PROBLEM_JSON = "application/problem+json"


def _error_problem_json(ctx: Context) -> Iterator[Finding]:
    for o in ctx.path_operations:
        if o.method == "head":
            continue  # a HEAD response has no body to declare
        for status, (response, pointer) in ctx.responses(o).items():
            if status[:1] not in "45" or len(status) != 3:
                continue
            content = response.get("content")
            media = sorted(content) if isinstance(content, dict) else []
            if PROBLEM_JSON in media:
                continue
            has = f"declares {', '.join(media)}" if media else "declares no body"
            yield (
                f"{o.label} response {status} {has}; errors should be {PROBLEM_JSON} (RFC 9457)",
                pointer,
            )


def _gaps(ctx: Context, rule: str) -> Iterator[Finding]:
    """The spec gaps (:mod:`specfirst.spec_gaps`) that ``rule`` asks the spec to close."""
    for o in ctx.path_operations:
        facts = facts_of(o.op, ctx.doc, has_parameters=bool(ctx.parameters(o)))
        for gap in spec_gaps(facts):
            if gap.rule == rule:
                yield gap.message(o.label), (*o.pointer, "responses")


def _security_responses(ctx: Context) -> Iterator[Finding]:
    return _gaps(ctx, "security-responses")


def _validation_response(ctx: Context) -> Iterator[Finding]:
    return _gaps(ctx, "validation-response")


def _media_type_response(ctx: Context) -> Iterator[Finding]:
    return _gaps(ctx, "media-type-response")


def _media_type_valid(ctx: Context) -> Iterator[Finding]:
    """Each key of a request body's or a response's ``content`` is a media type: the app
    sends a response's as its ``Content-Type``, which no client parses otherwise (truora's
    ``PDF``), and the contract run cannot check an answer against it."""
    for o in ctx.path_operations:
        body, body_pointer = ctx.deref(o.op.get("requestBody"), (*o.pointer, "requestBody"))
        holders = [("request body", body, body_pointer)] if isinstance(body, dict) else []
        holders.extend(
            (f"response {status}", response, pointer)
            for status, (response, pointer) in ctx.responses(o).items()
        )
        for what, holder, pointer in holders:
            content = holder.get("content")
            for media in content if isinstance(content, dict) else ():
                if not is_media_type(str(media)):
                    yield (
                        f"{o.label} {what} declares {str(media)!r}, which is not a media "
                        "type (type/subtype, e.g. application/pdf)",
                        (*pointer, "content", media),
                    )


_RAW_READ = {BodyKind.TEXT: "text sent (a str)", BodyKind.BINARY: "bytes sent (bytes)"}


def _form_body_object(ctx: Context) -> Iterator[Finding]:
    """A form or multipart request body's schema is an object: a form's fields are its
    properties (OpenAPI's ``encoding`` is keyed by them), and nothing encodes an array or a
    string as one (archive.org's wayback declares its array of requests under JSON, form and
    CSV alike). The app reads such a media type only when the body declares no other; beside
    another it answers 415 (:func:`~specfirst.parser.media.read_media`). A string alone is read
    as the raw text sent, a binary one as the bytes (:func:`~specfirst.parser.media.raw_form`)."""
    for o in ctx.path_operations:
        body, body_pointer = ctx.deref(o.op.get("requestBody"), (*o.pointer, "requestBody"))
        content = body.get("content") if isinstance(body, dict) else None
        if not isinstance(content, dict):
            continue
        formless = [
            media
            for media, media_obj in content.items()
            if body_kind(str(media)) in (BodyKind.FORM, BodyKind.MULTIPART)
            and not form_encodable(
                ctx.deref(media_obj.get("schema") if isinstance(media_obj, dict) else None, ())[0]
            )
        ]
        for media in formless:
            # read only where no other media type is (read_media prefers the others)
            raw = raw_form(content, lambda schema: ctx.deref(schema, ())[0])
            if raw is not None:
                read = f"; the app reads it as the raw {_RAW_READ[raw[1]]}"
            elif len(formless) == len(content):
                read = ""
            else:
                read = "; the app answers it 415"
            yield (
                f"{o.label} request body {media} has a schema that is not an object: a "
                f"form's fields are an object's properties, so nothing encodes it{read}",
                (*body_pointer, "content", media, "schema"),
            )


def _no_content_body(ctx: Context) -> Iterator[Finding]:
    """A 204 or 304 response declares no ``content``: HTTP forbids a body there (RFC 9110
    §15.3.5, §15.4.5), so the app sends none and generates no type for it, and no answer can
    match the declared media type (the contract run notes that, rule ``no-content``)."""
    for o in ctx.path_operations:
        for status, (response, pointer) in ctx.responses(o).items():
            content = response.get("content")
            if status in ("204", "304") and isinstance(content, dict) and content:
                yield (
                    f"{o.label} response {status} declares content ({', '.join(sorted(content))}), "
                    f"but a {status} has no body (RFC 9110); the app sends none",
                    (*pointer, "content"),
                )


def _success_response(ctx: Context) -> Iterator[Finding]:
    for o in ctx.path_operations:
        statuses = set(ctx.responses(o))
        if not any(s.startswith("2") for s in statuses):
            yield f"{o.label} declares no 2xx response", (*o.pointer, "responses")


RULES: tuple[Rule, ...] = (
    Rule(
        "error-problem-json",
        Level.WARNING,
        "every 4xx/5xx response is application/problem+json",
        _error_problem_json,
    ),
    Rule(
        "security-responses",
        Level.WARNING,
        "secured operations declare 401 (and 403 when they need scopes)",
        _security_responses,
    ),
    Rule(
        "validation-response",
        Level.WARNING,
        "operations with parameters or a body declare the status invalid requests get "
        "(422, 400, 4XX or default)",
        _validation_response,
    ),
    Rule(
        "media-type-response",
        Level.WARNING,
        "operations with a request body declare 415 (another media type)",
        _media_type_response,
    ),
    Rule("success-response", Level.ERROR, "every operation declares a 2xx", _success_response),
    Rule(
        "no-content-body",
        Level.WARNING,
        "204 and 304 responses declare no content (HTTP forbids a body)",
        _no_content_body,
    ),
    Rule(
        "media-type-valid",
        Level.ERROR,
        "every content key is a media type (type/subtype)",
        _media_type_valid,
    ),
    Rule(
        "form-body-object",
        Level.WARNING,
        "a form or multipart request body's schema is an object (its fields)",
        _form_body_object,
    ),
)
