"""The intermediate representation: plain, frozen data between the spec and the templates.

``specfirst.parser`` (``ApiParser.build``) turns a validated, bundled document into an
:class:`Api`; templates read only these objects, never the raw spec dictionary. Type
expressions (``py_type``) are Python source for an annotation, resolved against the
generated ``models`` module.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from specfirst.loader import Pointer


class ParamLocation(enum.StrEnum):
    PATH = "path"
    QUERY = "query"
    HEADER = "header"
    COOKIE = "cookie"
    QUERYSTRING = "querystring"  # OpenAPI 3.2: the whole query string as one ``content`` value


class BodyKind(enum.StrEnum):
    JSON = "json"
    FORM = "form"
    MULTIPART = "multipart"
    BINARY = "binary"
    TEXT = "text"


class SchemeKind(enum.StrEnum):
    HTTP_BEARER = "http_bearer"
    HTTP_BASIC = "http_basic"
    API_KEY = "api_key"
    OAUTH2 = "oauth2"
    OPENID = "openid"


@dataclass(frozen=True, slots=True)
class Constraint:
    """One keyword argument for FastAPI's ``Path``/``Query``/``Header``/``Cookie``."""

    name: str
    value: str  # Python literal


@dataclass(frozen=True, slots=True)
class FormatChoice:
    """The string formats a value must have one of: a ``oneOf``/``anyOf`` whose members are
    strings, each of a checked format (FastAPI writes ``IPvAnyAddress`` as ``anyOf`` of
    ``ipv4`` and ``ipv6``); ``one_of``: exactly one of them."""

    formats: tuple[str, ...]
    one_of: bool = False


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str  # name on the wire
    py_name: str
    location: ParamLocation
    required: bool
    py_type: str
    default: str | None  # Python literal, None when there is no default
    constraints: tuple[Constraint, ...]
    description: str | None
    deprecated: bool
    explode: bool
    style: str
    pointer: Pointer
    shape: str = "primitive"  # primitive | array | object: how the value is serialized
    union: bool = False  # py_type is a union of primitives (``int | str``): tried in order
    content_type: str | None = None  # a ``content``-typed parameter: the value is a document
    item_constraints: tuple[Constraint, ...] = ()  # an array's: each item's bounds, length…
    # ``allowEmptyValue`` on a query parameter whose type refuses "": ``?limit=`` is the
    # parameter left out (its default, else None), ``?ids=`` an empty array
    allow_empty: bool = False
    # the string format the runtime checks the value (an array's: each item) for, e.g. "email"
    # (``specfirst.schema_types.checked_format``), or those of a union's members; the type
    # stays ``str``
    checked_format: str | FormatChoice | None = None

    @property
    def styled(self) -> bool:
        """Read by ``runtime.params.StyledParam`` rather than FastAPI's own parameter parsing."""
        if self.content_type is not None or self.shape == "object" or self.union:
            return True
        if self.allow_empty:
            return True
        if "models." in self.py_type or "dict[" in self.py_type:
            return True  # a model (an allOf, a oneOf …), or a list of them: validated by pydantic
        if self.shape == "array":
            return not (
                self.location is ParamLocation.QUERY and self.style == "form" and self.explode
            )
        return self.location is ParamLocation.PATH and self.style in ("label", "matrix")


class PartKind(enum.StrEnum):
    """How one field of a form or multipart body travels."""

    VALUE = "value"  # text, converted by FastAPI (numbers, enums …); repeated for arrays
    FILE = "file"  # an uploaded file (``UploadFile``), checked against ``encoding.contentType``
    JSON = "json"  # a JSON document (objects and other structured values in multipart)
    DEEP = "deep"  # ``name[key]=value`` keys (form-urlencoded, ``encoding.style: deepObject``)
    MIXED = "mixed"  # a union with a text member: text, JSON for a structured one, or a file


@dataclass(frozen=True, slots=True)
class Header:
    name: str
    py_name: str
    py_type: str
    required: bool
    description: str | None
    constraints: tuple[Constraint, ...] = ()  # multipart part headers: checked on the way in
    # a schema-valid value as header text (the header's example, else one built from its
    # schema): what the runtime's own error answers send for a required header
    example: str | None = None


@dataclass(frozen=True, slots=True)
class FormField:
    name: str
    py_name: str
    py_type: str  # the type the implementation sees (for JSON/DEEP parts a model or container)
    required: bool
    is_list: bool
    kind: PartKind = PartKind.VALUE
    constraints: tuple[Constraint, ...] = ()
    content_types: tuple[str, ...] = ()  # FILE: the media types ``encoding`` accepts
    item_type: str = ""  # JSON lists: the type of one part
    part_headers: tuple[Header, ...] = ()  # FILE: the headers ``encoding.headers`` declares
    checked_format: str | None = None  # VALUE: the string format checked, as for a Parameter

    @property
    def is_file(self) -> bool:
        return self.kind is PartKind.FILE

    @property
    def wire_type(self) -> str:
        """The type FastAPI reads the field as, before the runtime decodes JSON parts."""
        if self.kind is PartKind.JSON:
            return "list[str]" if self.is_list else "str"
        return self.py_type


@dataclass(frozen=True, slots=True)
class BodyVariant:
    """Another media type a JSON body may come as, read into its own type: a form or
    multipart body of another schema (a model), text (``str``) or binary (``bytes``)."""

    media_type: str  # as declared: a media type or a range (``*/*``, ``image/*``)
    kind: BodyKind
    py_type: str


@dataclass(frozen=True, slots=True)
class Body:
    media_type: str
    kind: BodyKind
    py_type: str
    required: bool
    form_class: str | None = None  # multipart/form: the generated dataclass
    form_fields: tuple[FormField, ...] = ()
    description: str | None = None
    # forms: the schema's additionalProperties is false, so a field it does not declare is
    # refused (FastAPI's Form/File parameters read only the declared ones)
    closed: bool = False
    # forms: the schema is not an object (an array, a string), so a form has no fields for it
    # (:func:`~specfirst.parser.media.form_encodable`): any body sent is answered 415
    unread: bool = False
    # JSON bodies: other media types read into the same type (forms with the same schema)
    alternates: tuple[str, ...] = ()
    # JSON bodies: other media types read into their own types (the handler gets the union)
    variants: tuple[BodyVariant, ...] = ()
    # JSON bodies of a schema that needs no model (``list[str]``): the validation keywords its
    # type does not carry, checked as a parameter's are (the handler still gets ``py_type``)
    constraints: tuple[Constraint, ...] = ()
    item_constraints: tuple[Constraint, ...] = ()
    checked_format: str | FormatChoice | None = None
    unique_items: bool = False
    # text bodies: the format the text must read as, as a model reads it (``date``,
    # ``date-time``; ``uuid`` under OpenAPI 3.0), the handler still getting the ``str``
    text_format: str | None = None

    @property
    def accepts_forms(self) -> bool:
        return any(body_is_form(m) for m in self.alternates)

    @property
    def handler_type(self) -> str:
        """The type the implementation receives: the body's, or the union with its variants'."""
        if self.form_class:
            return f"responses.{self.form_class}"
        members = [self.py_type]
        for variant in self.variants:
            if variant.py_type not in members:
                members.append(variant.py_type)
        return " | ".join(members)


def body_is_form(media_type: str) -> bool:
    base = media_type.split(";")[0].strip().lower()
    return base == "application/x-www-form-urlencoded" or base.startswith("multipart/")


@dataclass(frozen=True, slots=True)
class Response:
    status: str  # "200", "2XX", "default"
    class_name: str
    description: str | None
    media_type: str | None
    kind: BodyKind | None  # None: no body
    py_type: str | None
    headers: tuple[Header, ...]
    media_types: tuple[str, ...] = ()  # every media type declared for this response
    # OpenAPI 3.2 ``itemSchema``: a stream of items (``jsonl``, ``json-seq`` or ``sse``)
    stream: str | None = None
    item_type: str | None = None  # the type of one item of the stream
    # an XML body's schema, ``$ref``s inlined, as a Python literal (an error in XML is built
    # from it, ``xml`` keywords included); None for other bodies
    xml_schema: str | None = None
    # an error response typed by another media type that declares problem+json beside it
    # with a schema: that schema's type (the runtime's own answers are problem documents)
    problem_type: str | None = None

    @property
    def fixed_status(self) -> int | None:
        return int(self.status) if self.status.isdigit() else None

    @property
    def is_success(self) -> bool:
        return self.status.startswith("2")


@dataclass(frozen=True, slots=True)
class ErrorFormat:
    """How the runtime answers a problem whose status this declared error response covers.

    ``media_type`` None: ``application/problem+json``, because that is what is declared (or
    ``*/*``), or the response declares no body at all. Otherwise the declared media type, with
    ``py_type`` the body the ``ErrorFormats`` hook builds (its ``method``), or None for a JSON
    body without a schema (the problem document is sent as that media type), or
    ``xml_schema`` for an XML body the runtime builds from the problem. A problem+json
    media type with a ``py_type`` (and no ``method``): the declared schema of the problem
    document, which the runtime conforms the document to where it does not validate (a
    vendor's ``errors`` as an object of messages by field, a required ``code`` …).
    """

    status: str  # "400", "4XX", "default"
    media_type: str | None = None
    py_type: str | None = None
    method: str | None = None
    xml_schema: str | None = None  # an XML body built from this schema (``Response.xml_schema``)
    # the response's required headers: (name, a schema-valid value), sent with every answer
    # of this status that does not set them (the request's header of that name, when it
    # sent one: a correlation id such as ``X-Request-ID`` is echoed)
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def text(self) -> bool:
        return self.media_type is not None and self.media_type.lower().startswith("text/")

    @property
    def problem(self) -> bool:
        """A declared problem+json schema: the runtime's document, conformed where needed."""
        return self.media_type is not None and is_problem_json(self.media_type)


def is_problem_json(media_type: str) -> bool:
    """``application/problem+json`` (or a vendor's ``…/x.problem+json``), parameters aside."""
    return media_type.split(";")[0].strip().lower().endswith("/problem+json")


@dataclass(frozen=True, slots=True)
class ErrorModel:
    """A declared error body the ``ErrorFormats`` hook builds: one method per type."""

    method: str
    py_type: str
    text: bool  # sent as declared text (``text/plain`` …), not JSON
    uses: tuple[str, ...]  # where it is declared: "getThing 404", in document order


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    key: str  # name in components.securitySchemes
    py_name: str  # handler method suffix
    kind: SchemeKind
    param_name: str | None = None  # api key: header/query/cookie name
    location: str | None = None  # api key: header | query | cookie
    scheme: str | None = None  # http: bearer | basic | ...
    bearer_format: str | None = None
    token_url: str | None = None  # oauth2 password/clientCredentials
    authorization_url: str | None = None
    device_authorization_url: str | None = None  # oauth2 deviceAuthorization (OpenAPI 3.2)
    flows: tuple[str, ...] = ()  # oauth2: the flows the scheme declares
    scopes: tuple[str, ...] = ()
    description: str | None = None


@dataclass(frozen=True, slots=True)
class SchemeUse:
    scheme: str  # SecurityScheme.key
    scopes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SecurityRequirement:
    """All schemes must authenticate (AND); an empty requirement means anonymous access."""

    uses: tuple[SchemeUse, ...]


@dataclass(frozen=True, slots=True)
class Operation:
    operation_id: str
    py_name: str  # method name on the Protocol
    class_prefix: str  # CreateTask
    method: str  # lower-case HTTP method
    path: str  # as in the spec
    route_path: str  # FastAPI path with Python parameter names
    tag: str
    summary: str | None
    description: str | None
    deprecated: bool
    parameters: tuple[Parameter, ...]
    body: Body | None
    responses: tuple[Response, ...]
    security: tuple[SecurityRequirement, ...]  # empty: no security
    validation_status: int
    bare_success: str | None  # py_type an implementation may return as-is
    bare_none: bool  # a single body-less success: returning None is allowed
    pointer: Pointer
    strict_query: bool = False  # reject query parameters the operation does not declare
    route_query: tuple[tuple[str, str], ...] = ()  # fixed query pairs of a ``/rest?method=x`` key
    # path convertors ``route_path`` names: name -> the texts it matches (``path_segments``)
    route_convertors: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # the declared 4xx/5xx/``default`` responses: the format of the runtime's own answers
    errors: tuple[ErrorFormat, ...] = ()

    @property
    def own_error_formats(self) -> bool:
        """Some declared error response is not problem+json, or requires headers: the runtime's
        answers follow them."""
        return any(e.media_type is not None or e.headers for e in self.errors)

    @property
    def secured(self) -> bool:
        return bool(self.security)

    @property
    def security_optional(self) -> bool:
        return any(not r.uses for r in self.security)

    @property
    def result_alias(self) -> str:
        return f"{self.class_prefix}Response"

    @property
    def http_method(self) -> str:
        return self.method.upper()

    @property
    def stream(self) -> Response | None:
        """The streamed response when it is the only success (fixed status, no required
        headers): the implementation is then an async generator yielding its items."""
        successes = [r for r in self.responses if r.is_success]
        if len(successes) != 1:
            return None
        r = successes[0]
        if r.stream is None or r.fixed_status is None or any(h.required for h in r.headers):
            return None
        return r


@dataclass(frozen=True, slots=True)
class Service:
    tag: str
    class_name: str  # TasksService
    module: str  # tasks
    description: str | None
    operations: tuple[Operation, ...]
    parent: str | None = None  # OpenAPI 3.2 tag ``parent``: the tag this one is nested under
    kind: str | None = None  # OpenAPI 3.2 tag ``kind`` (``nav``, ``badge``, ``audience`` …)

    @property
    def unimplemented_name(self) -> str:
        return f"Unimplemented{self.class_name}"

    @property
    def arg_name(self) -> str:
        return self.module


@dataclass(frozen=True, slots=True)
class Credential:
    """A keyword argument of a sender: the credential for one security scheme."""

    scheme: str  # SecurityScheme.key
    py_name: str
    py_type: str  # ``str``, or ``tuple[str, str]`` for HTTP basic


@dataclass(frozen=True, slots=True)
class Sender:
    """An outgoing request the API makes (a webhook or a callback): what its sender sends."""

    py_name: str  # ``send_pet_added``
    method: str
    payload_type: str | None  # None: no body
    media_type: str | None
    body_required: bool
    parameters: tuple[Parameter, ...]  # header, query and cookie parameters
    security: tuple[SecurityRequirement, ...]  # the operation's own ``security`` only
    credentials: tuple[Credential, ...]
    statuses: tuple[str, ...]  # declared response statuses
    summary: str | None
    description: str | None


@dataclass(frozen=True, slots=True)
class UrlValue:
    """A value a callback URL's runtime expressions read: ``$request.body`` → ``request_body``."""

    source: str  # ``$request.body``, ``$request.query.returnUrl``, ``$url`` …
    py_name: str
    py_type: str


@dataclass(frozen=True, slots=True)
class Callback:
    """One operation of an operation's callback: the URL it is sent to, and its sender."""

    owner: str  # operationId of the operation declaring it
    name: str  # key under ``callbacks``
    expression: str  # the URL template, with runtime expressions
    method: str
    alias: str  # payload type alias in ``callbacks.py``: ``SubscribeOnEventCallback``
    py_type: str  # the payload type
    url_function: str  # ``subscribe_on_event_url``
    url_values: tuple[UrlValue, ...]
    sender: Sender


@dataclass(frozen=True, slots=True)
class Webhook:
    """An OpenAPI 3.1 webhook operation: the app does not serve it; its payload is a model."""

    name: str  # key under ``webhooks``
    method: str
    operation_id: str
    alias: str  # ``NewPetWebhook``: the payload type alias in ``webhooks.py``
    py_type: str  # the payload type (``models.Pet``), ``Any`` when there is no JSON body
    media_type: str | None
    summary: str | None
    sender: Sender | None = None


@dataclass(frozen=True, slots=True)
class Api:
    title: str
    version: str
    description: str | None
    openapi_version: str
    base_path: str
    services: tuple[Service, ...]
    schemes: tuple[SecurityScheme, ...]
    model_names: frozenset[str] = field(default_factory=frozenset)
    webhooks: tuple[Webhook, ...] = ()
    callbacks: tuple[Callback, ...] = ()
    error_models: tuple[ErrorModel, ...] = ()  # what ``errors.ErrorFormats`` builds
    # a schema whose string values the runtime checks for their format (e.g. ``email``):
    # the generated package then needs jsonschema-rs (``specfirst.vendor.runtime_requirements``)
    checks_formats: bool = False

    @property
    def senders(self) -> tuple[Sender, ...]:
        hooks = tuple(w.sender for w in self.webhooks if w.sender is not None)
        return hooks + tuple(c.sender for c in self.callbacks)

    @property
    def operations(self) -> tuple[Operation, ...]:
        return tuple(op for s in self.services for op in s.operations)

    @property
    def secured(self) -> bool:
        return any(op.secured for op in self.operations)


def fingerprint(api: Api, service_repr: Callable[[Service], str] = repr) -> str:
    """A digest of everything ``api`` holds, the same in every process: two IRs with the same
    fingerprint render the same files (``specfirst.pipeline.rendered_files``).

    The dataclasses' own ``repr`` holds every field and is ten times faster than walking them;
    its one part that depends on the process, the order of a set, is written sorted (every
    other field is a tuple, in the order the parser made it: tests/unit/test_incremental.py).
    ``service_repr``: a service's ``repr``, when a caller keeps them (the renderer reads them
    again for each tag's cache key: GitHub's are 0.1 s or more each time).
    """
    text = repr(replace(api, model_names=frozenset(), services=())) + repr(sorted(api.model_names))
    text += "".join(service_repr(service) for service in api.services)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
