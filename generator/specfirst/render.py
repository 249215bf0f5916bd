"""Rendering the IR into the files of a generated package (Jinja2, one template per file)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import jinja2

from specfirst import cachedir, naming
from specfirst.ir import (
    Api,
    BodyKind,
    Constraint,
    ErrorFormat,
    ErrorModel,
    FormatChoice,
    FormField,
    Operation,
    Parameter,
    ParamLocation,
    PartKind,
    Response,
    SecurityScheme,
    Service,
)
from specfirst.parser.media import json_media

_CONTAINER = {"path": "Path", "query": "Query", "header": "Header", "cookie": "Cookie"}
_FORM = "await rt.form_of(sf_request)"
"""The parsed form body, read once per request, its spooled files closed after the response."""
_STRING_LITERAL = re.compile(r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""")
_TEMPORAL = re.compile(r"\bdatetime\.(date|datetime)\b")
_FORMAT_TYPES = {"date": "formats.Date", "datetime": "formats.DateTime"}
_INTEGER_LITERAL = re.compile(r"\bLiteral\[-?[0-9]+(?:, -?[0-9]+)*\]")
_MEMBER = r"(?:-?[0-9]+|True|False)"
_BOOLEAN_LITERAL = re.compile(
    rf"\bLiteral\[(?={_MEMBER}(?:, {_MEMBER})*\])[^\]]*\b(?:True|False)\b[^\]]*\]"
)


_QUOTED = r"""(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
_ANY_MEMBER = rf"(?:{_MEMBER}|{_QUOTED})"
_MIXED_LITERAL = re.compile(rf"\bLiteral\[{_ANY_MEMBER}(?:, {_ANY_MEMBER})*\]")
_TEXT_OF_SCALAR = re.compile(r"""['"](?:[+-]?[0-9]+|true|false)['"]""")


def _mixed_literal(match: re.Match[str]) -> str:
    """A literal mixing string members with numbers or booleans (shutterstock's
    ``aspect_ratio: {type: string, enum: [43, 169, nonstandard]}``) takes the others as text
    too, unless a string member reads like one of them (the text would then be ambiguous)."""
    literal = match.group(0)
    members = literal[len("Literal[") : -1]
    quoted = re.findall(_QUOTED, members)
    scalars = re.sub(_QUOTED, "", members).replace(",", " ").split()
    if not quoted or not scalars or any(_TEXT_OF_SCALAR.fullmatch(q) for q in quoted):
        return literal
    return f"Annotated[{literal}, formats.ScalarText]"


def wire_type(py_type: str) -> str:
    """The annotation a route validates a parameter or form field with.

    The same as ``py_type``, except that dates and date-times are checked as the RFC 3339
    strings their formats define (``specfirst.runtime.formats``) rather than everything
    pydantic parses (``"0"`` would be 1970-01-01); and integer enums (``Literal[0, 1]``) take
    their members as text too (``"1"``), as parameters and form fields arrive, and so do enums
    with boolean members (``Literal[True, 1]``: ``"true"``, ``"1"``; OBS's ``withissues``), and
    so do the numbers of an enum mixing them with strings (``Literal[43, 'nonstandard']``).
    String literals (``Literal['…']``) are kept.
    """

    def wire(part: str) -> str:
        part = _TEMPORAL.sub(lambda m: _FORMAT_TYPES[m.group(1)], part)
        part = _BOOLEAN_LITERAL.sub(lambda m: f"Annotated[{m.group(0)}, formats.ScalarText]", part)
        return _INTEGER_LITERAL.sub(lambda m: f"Annotated[{m.group(0)}, formats.IntegerText]", part)

    parts = _STRING_LITERAL.split(_MIXED_LITERAL.sub(_mixed_literal, py_type))
    return "".join(part if index % 2 else wire(part) for index, part in enumerate(parts))


_FORMATTED = re.compile(r"\b(?:str|uuid\.UUID)\b")


def format_checked(tp: str, fmt: str | FormatChoice | None) -> str:
    """``tp`` (a parameter's or form field's wire type: ``str``, ``list[str] | None`` …) with its
    string values checked for format ``fmt``: ``Annotated[str, formats.Format('email')]``
    (:mod:`specfirst.runtime.formats`), or for one of a union's formats:
    ``formats.Format('ipv4', 'ipv6')``. The implementation still receives a ``str``."""
    if fmt is None:
        return tp
    if isinstance(fmt, FormatChoice):
        args = ", ".join(repr(name) for name in fmt.formats)
        call = f"formats.Format({args}{', one_of=True' if fmt.one_of else ''})"
    else:
        call = f"formats.Format({fmt!r})"
    parts = _STRING_LITERAL.split(tp)
    return "".join(
        part if index % 2 else _FORMATTED.sub(lambda m: f"Annotated[{m.group(0)}, {call}]", part)
        for index, part in enumerate(parts)
    )


def item_checked(tp: str, checks: Sequence[Constraint]) -> str:
    """``list[X]`` (or ``list[X] | None``) with each item's constraints as ``pydantic.Field``
    bounds on ``X``: an array parameter's ``items`` schema holds for every value sent."""
    if not checks or not tp.startswith("list["):
        return tp
    depth = 0
    for end, char in enumerate(tp):
        depth += (char == "[") - (char == "]")
        if char == "]" and depth == 0:
            field = ", ".join(f"{c.name}={c.value}" for c in checks)
            return f"list[Annotated[{tp[5:end]}, Field({field})]]{tp[end + 1 :]}"
    return tp


def _xml_error_name(literal: str) -> str:
    """The router module's constant holding an XML error body's schema: named by its content,
    so that operations declaring the same one share it."""
    return "_XML_ERROR_" + hashlib.sha256(literal.encode()).hexdigest()[:8].upper()


def _xml_error_schemas(service: Service) -> list[tuple[str, str]]:
    """(constant, schema literal) for each distinct XML error body of a service's operations."""
    found: dict[str, str] = {}
    for op in service.operations:
        for e in op.errors:
            if e.xml_schema is not None:
                found.setdefault(_xml_error_name(e.xml_schema), e.xml_schema)
    return list(found.items())


def _error_format(e: ErrorFormat) -> str:
    """The ``rt.ErrorFormat`` expression of one declared error response."""
    args = [repr(e.media_type)] if e.media_type is not None else []
    if e.py_type is not None:
        args.append(e.py_type)
    if e.method is not None:
        args.append(repr(e.method))
    if e.xml_schema is not None:
        args.append(f"xml={_xml_error_name(e.xml_schema)}")
    if e.headers:
        args.append(f"headers={dict(e.headers)!r}")
    return f"rt.ErrorFormat({', '.join(args)})"


def _error_format_name(expression: str) -> str:
    """The router module's constant holding an error format: named by its content, so that the
    statuses and operations declaring the same one share it."""
    return "_ERROR_FORMAT_" + hashlib.sha256(expression.encode()).hexdigest()[:8].upper()


def _error_table_rows(op: Operation) -> tuple[tuple[str, str], ...]:
    """(declared status, the constant holding its format) for each of ``op``'s error responses."""
    return tuple((e.status, _error_format_name(_error_format(e))) for e in op.errors)


def _error_table_name(op: Operation) -> str:
    """The router module's constant holding ``op``'s error formats by status: named by its
    content, so that operations declaring the same errors share it."""
    return "_ERRORS_" + hashlib.sha256(repr(_error_table_rows(op)).encode()).hexdigest()[:8].upper()


def _error_tables(service: Service) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """(constant, rows) for each distinct error table of a service's operations."""
    found: dict[str, tuple[tuple[str, str], ...]] = {}
    for op in service.operations:
        if op.own_error_formats and not op.stream:
            found.setdefault(_error_table_name(op), _error_table_rows(op))
    return list(found.items())


def _error_formats(service: Service) -> list[tuple[str, str]]:
    """(constant, ``rt.ErrorFormat`` expression) for each distinct error format of a service's
    operations that declare their own (``Operation.own_error_formats``)."""
    found: dict[str, str] = {}
    for op in service.operations:
        if op.own_error_formats and not op.stream:
            for e in op.errors:
                expression = _error_format(e)
                found.setdefault(_error_format_name(expression), expression)
    return list(found.items())


# above this many operations, create_app imports routers and models on first use by default
LAZY_THRESHOLD = 200

_ROUTER_NAMES = {
    *("datetime", "uuid", "formats", "rt", "models", "responses", "security", "router"),
    *("service", "security_handler", "prefix", "body", "result", "field"),
}


def _requirement_key(op: Operation) -> tuple[Any, ...]:
    return tuple(tuple((u.scheme, u.scopes) for u in r.uses) for r in op.security)


_COMPILED: dict[str, bytes] = {}
"""Compiled templates by Jinja's bucket key, for the life of the process (see
:class:`TemplateCode`)."""


class TemplateCode(jinja2.BytecodeCache):
    """Compiled templates, kept for the process and, with ``directory``, on disk.

    Each :class:`Renderer` has an environment of its own (its filters are bound to it), and
    compiling the templates costs a tenth of a second, paid again by every ``specfirst generate``
    that renders and by every save under ``--watch``. Jinja keys an entry by the template's name
    and file and checks it against the source's checksum (and its own and Python's versions),
    so an edited template is compiled again.
    """

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = _COMPILED.get(bucket.key)
        if data is None and self.directory is not None:
            try:
                data = cachedir.read(self.directory / f"{bucket.key}.code")
            except OSError:
                return
        if data is not None:
            bucket.bytecode_from_string(data)
            if bucket.code is not None:
                _COMPILED[bucket.key] = data

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = bucket.bytecode_to_string()
        if _COMPILED.get(bucket.key) == data:
            return
        _COMPILED[bucket.key] = data
        if self.directory is not None:
            cachedir.write(self.directory / f"{bucket.key}.code", data)


class Renderer:
    """Holds the Jinja environment and the naming filters, registered in one place.

    ``compiled``: a folder that keeps the compiled templates between processes
    (:class:`TemplateCode`; within a process they are kept anyway).
    ``tag_cache``: a folder that keeps each tag's router and results as rendered, keyed by
    :meth:`tag_inputs` and ``salt`` (what stands for the generator's own code: its
    templates and the filters), so that after an edit only the tags it reached are rendered
    again. Only with the package's own templates: a user's template may read anything.
    """

    def __init__(
        self,
        api: Api,
        header: str,
        user_templates: Path | None = None,
        *,
        compiled: Path | None = None,
        tag_cache: Path | None = None,
        salt: str = "",
    ) -> None:
        self.api = api
        self.header = header
        self._user_templates = user_templates is not None
        self._tag_cache = tag_cache
        self._salt = salt
        self._service_reprs: dict[int, tuple[Service, str]] = {}
        loaders: list[jinja2.BaseLoader] = []
        if user_templates is not None:
            loaders.append(jinja2.FileSystemLoader(str(user_templates)))
        loaders.append(jinja2.PackageLoader("specfirst", "templates"))
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            autoescape=False,
            bytecode_cache=TemplateCode(compiled),
        )
        self.schemes_by_key = {s.key: s for s in api.schemes}
        self.requirement_names: dict[tuple[Any, ...], str] = {}
        # names a router module binds where the requirement dependencies live
        self._reserved = {op.py_name for op in api.operations} | _ROUTER_NAMES
        for op in api.operations:
            key = _requirement_key(op)
            if op.secured and key not in self.requirement_names:
                self.requirement_names[key] = self._name_requirement(
                    op, set(self.requirement_names.values())
                )
        f = self.env.filters
        f["view_name"] = self._view_name
        f["docstring"] = lambda text, indent="    ": naming.docstring(text, indent)
        f["comment"] = naming.comment
        f["dictrepr"] = lambda pairs: repr(dict(pairs))
        f["pystr"] = naming.py_string
        f["pylist"] = lambda values: repr(sorted(values))
        f["body_annotation"] = self._body_annotation
        f["result_fields"] = self._result_fields
        f["slots"] = self._slots
        f["result_union"] = self._result_union
        f["service_secured"] = lambda s: any(op.secured for op in s.operations)
        f["method_args"] = self._method_args
        f["op_docstring"] = self._op_docstring
        f["scheme_doc"] = self._scheme_doc
        f["scheme_const"] = lambda s: "SCHEME_" + naming.snake(s.key).upper().strip("_")
        f["requirement_names"] = self._service_requirements
        f["requirement_name"] = lambda op: self.requirement_names[_requirement_key(op)]
        f["endpoint_param"] = self._endpoint_param
        f["call_args"] = self._call_args
        f["json_body_args"] = self._json_body_args
        f["body_type"] = self._body_type
        f["body_checked"] = lambda op: self._body_type(op) != op.body.py_type
        f["form_values"] = self._form_values
        f["response_table"] = self._response_table
        f["error_table_name"] = _error_table_name
        f["error_tables"] = _error_tables
        f["xml_error_schemas"] = _xml_error_schemas
        f["error_formats"] = _error_formats
        f["error_model_doc"] = self._error_model_doc
        f["table_name"] = lambda op: op.py_name.upper()
        f["tuplerepr"] = lambda items: repr(tuple(items))
        f["stream_call"] = self._stream_call
        f["renamed_path_params"] = lambda op: repr(
            {
                p.py_name: p.name
                for p in op.parameters
                if p.location is ParamLocation.PATH and p.py_name != p.name
            }
        ).replace("{}", "")
        f["form_names"] = lambda op: (
            "frozenset({" + ", ".join(repr(f.name) for f in op.body.form_fields) + "})"
        )
        f["query_names"] = lambda op: (
            "frozenset({"
            + ", ".join(
                repr(n)
                for n in sorted(
                    {p.name for p in op.parameters if p.location is ParamLocation.QUERY}
                )
            )
            + "})"
        ).replace("frozenset({})", "frozenset[str]()")

    # ----------------------------------------------------------------- names

    def _view_name(self, op: Operation) -> str:
        """The name of ``op``'s view function in its router's ``build_router``: its method's,
        unless a name the view functions read there is that (maif's otoroshi has an operation
        ``service``: its view rebound ``build_router``'s ``service`` provider, which mypy
        refused, and one named ``models`` would hide the module from every view after it)."""
        requirements = self.requirement_names.values()
        name = op.py_name
        while (
            name in _ROUTER_NAMES
            or name in requirements
            or (name != op.py_name and name in self._reserved)
        ):
            name += "_"
        return name

    def _name_requirement(self, op: Operation, taken: set[str]) -> str:
        """A readable name for one operation's ``security`` list: what it requires.

        The scopes when every alternative asks for the same ones (``tasks:write`` by OAuth2 or
        API key → ``tasks_write``), else the schemes (``bearer_auth``, ``basic_or_api_key``),
        ``optional_`` in front when anonymous access is allowed too, and the operation's name
        when that would be too long to read. Never a name the router module already uses.
        """
        alternatives = [r for r in op.security if r.uses]
        scope_sets = {frozenset(s for u in r.uses for s in u.scopes) for r in alternatives}
        scopes = sorted(next(iter(scope_sets))) if len(scope_sets) == 1 else []
        if scopes:
            name = "_".join(naming.snake(s) for s in scopes)
        else:
            name = "_or_".join(
                "_and_".join(naming.snake(u.scheme) for u in r.uses) for r in alternatives
            )
        if len(alternatives) < len(op.security):
            name = "optional_" + name
        name = re.sub(r"_+", "_", name).strip("_")
        if len(name) > 40 or not name or not name[0].isalpha():
            name = f"{op.py_name}_security"
        if name in taken or name in self._reserved:
            with_schemes = "_or_".join(
                "_and_".join(naming.snake(u.scheme) for u in r.uses) for r in alternatives
            )
            name = re.sub(r"_+", "_", f"{name}_{with_schemes}")
            if len(name) > 40:
                name = f"{op.py_name}_security"
        return naming.unique(name, taken | self._reserved)

    def _service_requirements(self, service: Service) -> list[str]:
        out: list[str] = []
        for op in service.operations:
            if op.secured:
                name = self.requirement_names[_requirement_key(op)]
                if name not in out:
                    out.append(name)
        return out

    # ----------------------------------------------------------------- types

    @staticmethod
    def _body_annotation(py_type: str, kind: BodyKind) -> str:
        if kind is BodyKind.BINARY:
            return "bytes | AsyncIterable[bytes] | Iterable[bytes]"
        if kind is BodyKind.TEXT:
            return "str | AsyncIterable[str] | Iterable[str]"
        return py_type

    @classmethod
    def _result_fields(cls, r: Response) -> list[tuple[str, str, str]]:
        """(name, annotation, default or "") of a result class's fields, required ones first."""
        fields: list[tuple[str, str, str]] = []
        if r.fixed_status is None:
            fields.append(("status_code", "int", ""))
        if r.stream is not None:
            fields.append(("body", f"AsyncIterable[{r.item_type}] | Iterable[{r.item_type}]", ""))
        elif r.kind is not None:
            fields.append(("body", cls._body_annotation(r.py_type or "Any", r.kind), ""))
        fields.extend((h.py_name, h.py_type, "") for h in r.headers if h.required)
        if r.kind is not None and r.kind is not BodyKind.JSON and r.stream is None:
            fields.append(("media_type", "str | None", "None"))
        fields.extend(
            (h.py_name, f"{h.py_type} | None", "None") for h in r.headers if not h.required
        )
        return fields

    @staticmethod
    def _slots(fields: list[tuple[str, str, str]]) -> str:
        """A ``__slots__`` tuple of the field names, in natural order (as ruff's RUF023 wants)."""

        def natural(name: str) -> list[tuple[int, str]]:
            return [(0, t) if not t.isdigit() else (int(t), "") for t in re.split(r"(\d+)", name)]

        names = sorted((name for name, _tp, _default in fields), key=natural)
        inner = ", ".join(f'"{name}"' for name in names)
        return f"({inner},)" if len(names) == 1 else f"({inner})"

    @staticmethod
    def _result_union(op: Operation) -> str:
        members = [f"{r.class_name}" for r in op.responses]
        if op.bare_success:
            members.append(op.bare_success)
        if op.bare_none:
            members.append("None")
        return " | ".join(members)

    @staticmethod
    def _param_annotation(p: Parameter) -> str:
        if p.required or p.default is not None:
            return p.py_type
        return p.py_type if p.py_type.endswith("| None") else f"{p.py_type} | None"

    def _method_args(self, op: Operation) -> list[tuple[str, str]]:
        args = [(p.py_name, self._param_annotation(p)) for p in op.parameters]
        if op.body is not None:
            body_type = op.body.handler_type
            as_is = op.body.required or "None" in body_type.split(" | ")  # a nullable body
            args.append(("body", body_type if as_is else f"{body_type} | None"))
        if op.secured:
            args.append(
                (
                    "principal",
                    "PrincipalT_contra | None" if op.security_optional else "PrincipalT_contra",
                )
            )
        return args

    @staticmethod
    def _op_docstring(op: Operation) -> str:
        parts = [t.strip() for t in (op.summary, op.description) if t and t.strip()]
        if len(parts) == 2 and parts[0] == parts[1]:
            parts = parts[:1]
        text = "\n\n".join(parts) or f"{op.method.upper()} {op.path}"
        text += f"\n\noperationId: {op.operation_id}"
        return naming.docstring(text, "        ") or ""

    @staticmethod
    def _scheme_doc(s: SecurityScheme) -> str:
        kind = {
            "http_bearer": f"HTTP {s.scheme} token",
            "http_basic": "HTTP Basic credentials",
            "api_key": f"API key in {s.location} {s.param_name!r}",
            "oauth2": "OAuth2 access token"
            + (f" (scopes: {', '.join(s.scopes)})" if s.scopes else ""),
            "openid": "OpenID Connect token",
        }[s.kind]
        text = f"{s.key}: {kind}; return the principal, or None when the credential is not valid."
        if s.description:
            text += "\n\n" + s.description
        return naming.docstring(text, "        ") or ""

    # ----------------------------------------------------------------- endpoints

    @staticmethod
    def _styled_param(p: Parameter, op: Operation) -> str:
        tp = item_checked(
            format_checked(wire_type(p.py_type), p.checked_format), p.item_constraints
        )
        if p.constraints:
            tp = (
                f"Annotated[{tp}, Field({', '.join(f'{c.name}={c.value}' for c in p.constraints)})]"
            )
        kwargs = [
            f"style={p.style!r}",
            f"explode={p.explode!r}",
            f"shape={p.shape!r}",
            f"required={p.required!r}",
        ]
        if p.default is not None:
            kwargs.append(f"default={p.default}")
        if p.location is ParamLocation.PATH and p.py_name != p.name:
            kwargs.append(f"key={p.py_name!r}")
        if p.content_type is not None:
            kwargs.append(f"content_type={p.content_type!r}")
        if p.allow_empty:
            kwargs.append("allow_empty=True")
        if p.location is ParamLocation.QUERY and p.shape == "object" and p.explode:
            others = sorted(
                q.name for q in op.parameters if q.location is ParamLocation.QUERY and q is not p
            )
            if others:
                kwargs.append(f"exclude={others!r}")
        styled = f"StyledParam({p.name!r}, {str(p.location)!r}, {tp}, {', '.join(kwargs)})"
        annotation = Renderer._param_annotation(p)
        suffix = ""
        if not p.required:
            suffix = f" = {p.default}" if p.default is not None else " = None"
        return f"{p.py_name}: Annotated[{annotation}, Depends({styled})]{suffix}"

    @staticmethod
    def _endpoint_param(p: Parameter, op: Operation) -> str:
        if p.styled:
            return Renderer._styled_param(p, op)
        container = _CONTAINER[p.location]
        kwargs: list[str] = []
        if p.location is not ParamLocation.PATH and p.name != p.py_name:
            kwargs.append(f"alias={p.name!r}")
        if p.location is ParamLocation.HEADER and p.name == p.py_name:
            kwargs.append("convert_underscores=False")
        kwargs.extend(f"{c.name}={c.value}" for c in p.constraints)
        if p.deprecated:
            kwargs.append("deprecated=True")
        spec = f"{container}({', '.join(kwargs)})"
        py_type = item_checked(
            format_checked(wire_type(p.py_type), p.checked_format), p.item_constraints
        )
        if p.required:
            return f"{p.py_name}: Annotated[{py_type}, {spec}]"
        if p.default is not None:
            return f"{p.py_name}: Annotated[{py_type}, {spec}] = {p.default}"
        annotation = py_type if py_type.endswith("| None") else f"{py_type} | None"
        return f"{p.py_name}: Annotated[{annotation}, {spec}] = None"

    @staticmethod
    def _form_read(field: FormField, tp: str | None, status: int) -> str:
        """The arguments of a runtime form reader: the parsed form, the field, its type.

        Every field is read from the parsed form, so a required field of an optional body is
        refused when a form is sent without it (the body itself may be left out)."""
        typed = f"{tp}, " if tp is not None else ""
        return (
            f"{_FORM}, {field.name!r}, {typed}required={field.required}, "
            f"sequence={field.is_list}, status={status}"
        )

    @staticmethod
    def _form_values(op: Operation) -> list[tuple[str, str]]:
        """Each form field's value for the form dataclass: decoded and checked as ``encoding`` says."""
        assert op.body is not None
        status = op.validation_status
        out = []
        for field in op.body.form_fields:
            if field.kind is PartKind.FILE:
                value = f"rt.form_upload({Renderer._form_read(field, None, status)})"
                if field.content_types:
                    accepted = tuple(field.content_types)
                    value = f"rt.form_file({value}, {field.name!r}, {accepted!r})"
            elif field.kind is PartKind.JSON:
                tp = field.item_type or field.py_type
                value = f"await rt.form_json({Renderer._form_read(field, tp, status)})"
            elif field.kind is PartKind.DEEP:
                value = (
                    f"rt.form_deep_object({_FORM}, {field.name!r}, "
                    f"{field.py_type}, required={field.required}, status={status})"
                )
            elif field.kind is PartKind.MIXED:
                tp = field.item_type or field.py_type
                value = f"rt.form_mixed({Renderer._form_read(field, tp, status)})"
            else:
                checks = "".join(f"({c.name!r}, {c.value}), " for c in field.constraints)
                tp = format_checked(wire_type(field.wire_type), field.checked_format)
                value = (
                    f"rt.form_value({Renderer._form_read(field, tp, status)}"
                    + (f", checks=({checks})" if checks else "")
                    + ")"
                )
            if field.part_headers:
                declared = ", ".join(
                    f"({h.name!r}, {h.required}, {h.py_type}, ("
                    + "".join(f"({c.name!r}, {c.value}), " for c in h.constraints)
                    + "))"
                    for h in field.part_headers
                )
                value = f"rt.form_part_headers({value}, {field.name!r}, ({declared},), {status})"
            out.append((field.py_name, value))
        return out

    @staticmethod
    def _body_type(op: Operation) -> str:
        """The type ``rt.json_body`` validates a JSON body as (``rt.raw_body`` a text one): its
        type, with the checks of a schema that needs no model (bounds, items' bounds and
        format, ``uniqueItems``; a text's format). When it differs from the body's type it is
        a constant of the module, ``_BODY_<OP>``: built once, so the runtime's cache of
        validators by type finds it at every request."""
        body = op.body
        assert body is not None
        tp = item_checked(format_checked(body.py_type, body.checked_format), body.item_constraints)
        if body.text_format is not None:
            tp = f"Annotated[{tp}, formats.Reads({body.text_format!r})]"
        metadata = []
        if body.constraints:
            metadata.append(f"Field({', '.join(f'{c.name}={c.value}' for c in body.constraints)})")
        if body.unique_items:
            metadata.append("rt.UNIQUE_ITEMS")
        return f"Annotated[{tp}, {', '.join(metadata)}]" if metadata else tp

    @staticmethod
    def _json_body_args(op: Operation) -> str:
        """The keyword arguments of ``rt.json_body`` after the type: how the body is read."""
        assert op.body is not None
        args = f"required={op.body.required}, status={op.validation_status}"
        if op.body.accepts_forms:
            args += ", forms=True"
        if op.body.variants:
            read = "".join(
                f"({v.media_type!r}, {str(v.kind)!r}, {v.py_type}), " for v in op.body.variants
            )
            args += f", variants=({read})"
            if any("*" in v.media_type for v in op.body.variants):
                declared = (op.body.media_type, *op.body.alternates)
                named = [m.split(";")[0].strip().lower() for m in declared if json_media(m)]
                args += f", json_media={tuple(named)!r}"
        return args

    @staticmethod
    def _call_args(op: Operation) -> list[tuple[str, str]]:
        args = [(p.py_name, p.py_name) for p in op.parameters]
        if op.body is not None:
            if op.body.kind in (BodyKind.BINARY, BodyKind.TEXT):
                text = ", text=True" if op.body.kind is BodyKind.TEXT else ""
                if op.body.kind is BodyKind.TEXT and Renderer._body_type(op) != op.body.py_type:
                    text += f", tp=_BODY_{op.py_name.upper()}"
                value = (
                    f"await rt.raw_body(sf_request, required={op.body.required}, "
                    f"status={op.validation_status}{text})"
                )
            else:
                value = "body"
            args.append(("body", value))
        if op.secured:
            args.append(("principal", "sf_principal"))
        return args

    @staticmethod
    def _entry(r: Response, status: str, with_headers: bool = True) -> str:
        """The ``rt.Json``/``rt.Raw``/``rt.Empty`` expression sending response ``r``."""
        headers = ""
        if r.headers:
            headers = "headers={" + ", ".join(f"{h.name!r}: {h.py_name!r}" for h in r.headers) + "}"
        if r.kind is None:
            args = [status]
            kind = "Empty"
        elif r.stream is not None:
            args = [status, r.item_type or "Any", repr(r.media_type), repr(r.stream)]
            kind = "Stream"
        elif r.kind is BodyKind.JSON:
            args = [status, r.py_type or "Any"]
            if r.media_type != "application/json":
                args.append(repr(r.media_type))
            kind = "Json"
        else:
            args = [status, repr(r.media_type)]
            kind = "Raw"
        if headers and with_headers:
            args.append(headers)
        return f"rt.{kind}({', '.join(args)})"

    def _response_table(self, op: Operation) -> list[tuple[str, str]]:
        """(result type, entry) for the operation's ``rt.Responses`` table."""
        rows: list[tuple[str, str]] = []
        for r in op.responses:
            status = str(r.fixed_status) if r.fixed_status is not None else repr(r.status)
            rows.append((f"responses.{r.class_name}", self._entry(r, status)))
        keys = {key for key, _ in rows}
        if op.bare_success:
            r = self._single_success(op)
            entry = self._entry(r, str(r.fixed_status), with_headers=False)
            for key in self._isinstance_type(op.bare_success).split(" | "):
                if key not in keys:
                    keys.add(key)
                    rows.append((key, entry))
        if op.bare_none and "type(None)" not in keys:
            rows.append(("type(None)", f"rt.Empty({self._single_success(op).fixed_status})"))
        return rows

    @staticmethod
    def _error_model_doc(m: ErrorModel, shown: int = 6) -> str:
        """Where the spec declares an error body: ``getThing 404, listThings default …``."""
        kind = "Text" if m.text else "JSON"
        uses = ", ".join(m.uses[:shown])
        if len(m.uses) > shown:
            uses += f" and {len(m.uses) - shown} more"
        return naming.docstring(f"{kind} error body of {uses}.", "        ") or ""

    @staticmethod
    def _single_success(op: Operation) -> Response:
        return next(r for r in op.responses if r.is_success)

    @staticmethod
    def _isinstance_type(py_type: str) -> str:
        """The classes a bare ``py_type`` value may be: ``list[models.X]`` → ``list``.

        ``Literal``/``Any``/``Annotated`` members cannot be checked, so they admit any value.
        """
        members: list[str] = []
        depth = start = 0
        for i, ch in enumerate(py_type):
            depth += ch == "["
            depth -= ch == "]"
            if ch == "|" and depth == 0:
                members.append(py_type[start:i].strip())
                start = i + 1
        members.append(py_type[start:].strip())
        out: list[str] = []
        for member in members:
            base = member.split("[", 1)[0].strip()
            if base in ("Literal", "Any", "Annotated", "typing.Any"):
                return "object"
            base = {"None": "type(None)", "float": "int | float"}.get(base, base)
            if base not in out:
                out.append(base)
        return " | ".join(out)

    @staticmethod
    def _stream_call(op: Operation, var: str, sub: str) -> str:
        """Stream what an async-generator implementation yields (``Operation.stream``)."""
        r = op.stream
        assert r is not None
        return (
            f"await rt.stream_items({op.operation_id!r}, {r.fixed_status}, {r.item_type}, "
            f"{var}, {r.media_type!r}, {r.stream!r}, {sub})"
        )

    # ----------------------------------------------------------------- files

    def _render(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(header=self.header, api=self.api, **context)

    def tag_inputs(self, service: Service) -> str:
        """All a tag's router and results are rendered from, as text the same in every process:
        the header, the tag's IR (``repr`` holds every field; a service holds no set) and the
        names of its operations' security requirements, which :meth:`_tag_file` renders them
        from (the only part of this renderer's state they read besides the templates; the
        document-wide ``api`` is not given to them)."""
        names = [
            self.requirement_names[_requirement_key(op)] for op in service.operations if op.secured
        ]
        return f"({self.header!r}, {self.service_repr(service)}, {names!r})"  # a tuple's repr

    def service_repr(self, service: Service) -> str:
        """``repr(service)``, made once per service (:func:`specfirst.ir.fingerprint` and
        each of a tag's files read it)."""
        made = self._service_reprs.get(id(service))
        if made is None or made[0] is not service:
            made = self._service_reprs[id(service)] = (service, repr(service))
        return made[1]

    def _tag_file(self, template: str, service: Service, **context: str) -> str:
        """One of a tag's files, rendered from :meth:`tag_inputs` only (its operations given
        as ``operations`` too) and ``context``'s strings; through the tag cache when there is
        one. A user's templates get ``api`` as every template does, and no cache."""
        if self._user_templates:
            return self._render(template, service=service, operations=service.operations, **context)
        entry = None
        if self._tag_cache is not None:
            digest = hashlib.sha256()
            for part in (
                self._salt,
                template,
                repr(sorted(context.items())),
                self.tag_inputs(service),
            ):
                digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
            entry = self._tag_cache / f"{digest.hexdigest()}.py"
            try:
                return cachedir.read(entry).decode("utf-8", "surrogatepass")
            except (OSError, UnicodeDecodeError):
                pass
        # no ``api``: a template of a tag's file that read it would fail, not go stale
        text = self.env.get_template(template).render(
            header=self.header, service=service, operations=service.operations, **context
        )
        if entry is not None:
            cachedir.write(entry, text.encode("utf-8", "surrogatepass"))
        return text

    def files(self) -> Iterable[tuple[str, str]]:
        """(relative path, source) for every Python file of the package except models."""
        api = self.api
        requirement_sets = [
            (name, next(op.security for op in api.operations if _requirement_key(op) == key))
            for key, name in self.requirement_names.items()
        ]
        yield "__init__.py", self._render("init.py.jinja")
        yield (
            "app.py",
            self._render("app.py.jinja", services=api.services, lazy_threshold=LAZY_THRESHOLD),
        )
        yield (
            "responses.py",
            self._render("responses.py.jinja", operations=api.operations, up=".", tag=None),
        )
        yield "services.py", self._render("services.py.jinja", services=api.services)
        yield (
            "security.py",
            self._render(
                "security.py.jinja",
                schemes=api.schemes,
                schemes_by_key=self.schemes_by_key,
                requirement_sets=requirement_sets,
            ),
        )
        if api.error_models:
            yield "errors.py", self._render("errors.py.jinja", models=api.error_models)
        if api.webhooks:
            yield (
                "webhooks.py",
                self._render(
                    "webhooks.py.jinja", webhooks=api.webhooks, schemes_by_key=self.schemes_by_key
                ),
            )
        if api.callbacks:
            yield (
                "callbacks.py",
                self._render(
                    "callbacks.py.jinja",
                    callbacks=api.callbacks,
                    schemes_by_key=self.schemes_by_key,
                ),
            )
        convertors = sorted(
            {kind for s in api.services for op in s.operations for kind in op.route_convertors}
        )
        yield (
            "routers/__init__.py",
            self._render("routers_init.py.jinja", services=api.services, convertors=convertors),
        )
        for service in api.services:
            yield f"routers/{service.module}.py", self._tag_file("router.py.jinja", service)

    def responses_by_tag(self) -> Iterable[tuple[Service, str, list[str]]]:
        """``responses.py`` cut by tag: (service, source of ``responses/_<tag>.py``, its names).

        For packages whose models are split by tag (``specfirst.model_groups``): a router then
        imports only its own tag's results, and with them only its own tag's models.
        """
        for service in self.api.services:
            names: list[str] = []
            for op in service.operations:
                names += [r.class_name for r in op.responses]
                names.append(op.result_alias)
                if op.body is not None and op.body.form_class:
                    names.append(op.body.form_class)
            source = self._tag_file("responses.py.jinja", service, up="..", tag=service.tag)
            yield service, source, names
