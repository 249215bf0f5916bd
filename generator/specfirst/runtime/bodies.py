"""Request bodies: a JSON body, read and validated by the generated endpoint itself.

Form bodies are :mod:`.forms`; the problems for a missing or invalid body are in
:mod:`.problems`; the strict JSON validation both share is :mod:`.codec`.
"""

from __future__ import annotations

from typing import Any

from pydantic import AfterValidator, ValidationError
from pydantic_core import PydanticCustomError
from starlette.requests import Request

from .codec import _validate_json, adapter
from .forms import _form_body, _media_matches
from .problems import ProtocolProblem, _body_problem, _required_problem


def _unique(value: Any) -> Any:
    if isinstance(value, list):
        seen: list[Any] = []
        for item in value:
            if item in seen:
                raise PydanticCustomError("unique_items", "Items should be unique")
            seen.append(item)
    return value


UNIQUE_ITEMS = AfterValidator(_unique)
"""Metadata of a JSON body that is an array of ``uniqueItems`` and no model:
``Annotated[list[str], Field(max_length=500), rt.UNIQUE_ITEMS]`` (a model's array properties
have theirs in :func:`~.base.constrain`)."""


async def json_body(
    request: Request,
    tp: Any,
    *,
    required: bool,
    status: int,
    forms: bool = False,
    variants: tuple[tuple[str, str, Any], ...] = (),
    json_media: tuple[str, ...] = (),
) -> Any:
    """Read and validate a JSON request body in one pass (pydantic-core parses the bytes).

    Runs inside the endpoint, after the security requirement was checked, so an anonymous
    caller learns nothing from validation errors. Wrong media type → 415. With ``forms``, the
    operation also declares a form media type with the same schema: such a body is read as a
    form and validated into the same type. ``variants`` are the other media types it declares,
    each read into its own type: ``(media type or range, kind, type)``, kind ``"form"`` or
    ``"multipart"`` (a form validated into the model ``type``), ``"text"`` (``str``) or
    ``"binary"`` (``bytes``); the first that matches the request's ``Content-Type`` is used.
    ``json_media`` (given when a variant is a media range) are the JSON media types declared:
    a JSON ``Content-Type`` none of them names is the range's, as the closest declared media
    range wins (apicurio: ``*/*`` as a file beside ``application/vnd.create.extended+json``,
    so ``application/json`` is a file).
    """
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    is_form = media == "application/x-www-form-urlencoded" or media.startswith("multipart/")
    if variants and media and (not _is_json(media) or (json_media and media not in json_media)):
        for declared, kind, variant_tp in variants:
            if _media_matches(media, declared):
                return await _variant_body(request, kind, variant_tp, required, status)
    if forms and is_form:
        return await _form_body(request, tp, required=required, status=status)
    raw = await request.body()
    if not raw:
        if required:
            raise _required_problem(status)
        return None
    if media and not _is_json(media):
        raise ProtocolProblem(415, f"expected a JSON body, got {media!r}")
    try:
        return _validate_json(tp, raw)
    except ValidationError as exc:
        raise _body_problem(exc, status) from None


def _is_json(media: str) -> bool:
    """JSON: ``application/json``, ``+json`` types and the aliases ``text/json`` (ASP.NET's)
    and ``application/x-json``."""
    return media in ("application/json", "text/json", "application/x-json") or media.endswith(
        "+json"
    )


async def _variant_body(request: Request, kind: str, tp: Any, required: bool, status: int) -> Any:
    """A body in one of a JSON body's other declared media types (``json_body``'s variants)."""
    if kind in ("form", "multipart"):
        return await _form_body(request, tp, required=required, status=status)
    return await raw_body(request, required=required, status=status, text=kind == "text")


async def raw_body(
    request: Request, *, required: bool, status: int, text: bool = False, tp: Any = None
) -> Any:
    """A binary (``bytes``) or text (``str``) request body, as sent; a text one validated
    into ``tp`` when given (``Annotated[str, Field(max_length=…)]``: its schema's keywords).

    No bytes and no ``Content-Type``: no body, refused when one is required. No bytes under a
    ``Content-Type``: an empty file or text, which a binary or text schema allows (a required
    body is then ``b""`` or ``""``; an optional one is None, as an absent one).
    """
    raw = await request.body()
    if not raw:
        if required and "content-type" not in request.headers:
            raise _required_problem(status)
        if not required:
            return None
    if not text:
        return raw
    decoded = raw.decode("utf-8", "replace")
    if tp is None:
        return decoded
    try:
        return adapter(tp).validate_python(decoded)
    except ValidationError as exc:
        raise _body_problem(exc, status) from None
