"""Base classes of generated models, and the schema rules pydantic has no field option for.

``defer_build`` postpones building each model's validator until its first use, so importing
a package with thousands of models (GitHub's API has about 4,700) costs a fraction of a second
per hundred models actually used instead of seconds up front.

These JSON Schema rules have no pydantic equivalent, so the generator registers them per class
(``constrain``) and the class's schema enforces them when it is built (after ``constrain`` ran
at import), only in the classes that have such rules:

- ``uniqueItems``: a ``set`` would silently drop duplicates and accept the request (an
  ``after`` validator of the model);
- an optional property that is not nullable: its Python type must admit ``None`` (the value
  when absent), but an explicit ``null`` in JSON input breaks the schema. ``None`` given in
  Python (``Model(isbn=None)``, a dict a handler returns) means what the type says: not set,
  so the property is left out, as if it had not been passed: dumps leave it out
  (``exclude_if``) and so does ``model_fields_set``, when read. The field's own core schema
  refuses a JSON ``null``: its JSON branch checks the value the field's type validated from
  the JSON (so a time or an enum member is still read from JSON text, strictly), its Python
  branch is the type unchanged, so building a model from Python objects, as a handler builds
  its response, runs no Python code for this rule;
- a required property typed ``X | None`` that refuses null all the same (``refuse_null``: an
  enum that does not list null, ``nullable: true`` beside it): its JSON ``null`` is refused as
  above, while ``None`` given in Python stays and is dumped;
- an optional property whose schema admits no value (``no_value``: an ``enum`` none of whose
  members is of the declared ``type``, gov.bc.ca's ``jobTypes: {type: integer, enum: [[1],
  [2]]}``): any JSON value of it is refused, as ``null`` is above; absent, it is ``None``;
- ``patternProperties`` of an object that allows other keys too: only the values of matching
  keys must satisfy the pattern's schema (the object itself is typed ``dict[str, …]``; an
  ``after`` validator of the model);
- ``oneOf``: a value must be valid under exactly one member, where pydantic's union takes one
  valid under any (``one_of``: a property that is a ``oneOf``, the items of one, or a root
  model's value). Checked on JSON input only, the members tried on the value as it came; a
  handler building its response from Python objects runs no check.
- ``minProperties``/``maxProperties``: pydantic ignores the keys a class does not declare, and
  has no count of keys at all (``properties``: every key of the JSON object counted, before
  the class reads it; JSON input only, as ``oneOf``).

And pydantic parses dates and date-times more leniently than their formats allow (``"0"`` is
1970-01-01); every model's schema checks such strings as RFC 3339 first
(:mod:`specfirst.runtime.formats`). A property of another checked string format (``email``,
``uri`` …, typed ``str``) is registered too (``formats``): its field's schema checks the value,
or each item of an array, before anything else (a root model's ``root`` likewise).
"""

# No ``from __future__ import annotations`` here: pydantic evaluates the annotations of every
# base class for each model it creates, and the ClassVars below as strings would be compiled
# and evaluated again for each of a big API's thousands of models.

import contextlib
import functools
import gc
import json
import re
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast

import pydantic
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from .formats import checked_formats, rfc3339, string_format

# Patterns compile with pydantic's default engine, Rust's regex crate: linear time whatever the
# input, and Unicode classes (\p{L}). A package whose patterns need Python's engine instead
# (look-arounds, backreferences, sizes past the crate's limit such as seldon.local's
# ``^.{1,2097152}``) derives its models from ``PythonReBaseModel``/``PythonReRootModel``:
# the generator picks one engine per package (``specfirst.models``).
#
# ``serialize_by_alias``: ``model_dump()`` gives the document's names, so that
# ``Model(**m.model_dump())`` and ``Model.model_validate(m.model_dump())`` round-trip whatever
# Python names the properties got.
_CONFIG = pydantic.ConfigDict(defer_build=True, serialize_by_alias=True)
_PYTHON_RE = pydantic.ConfigDict(
    defer_build=True, serialize_by_alias=True, regex_engine="python-re"
)

RootT = TypeVar("RootT")


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic garbage collector off, then as it was before.

    Building a big API's models (classes, then their schemas) allocates hundreds of thousands
    of objects that all live on; the collector would walk them, and everything made before,
    again and again: about a seventh of the CPU of building Microsoft Graph's ``User`` schema
    (1,443 classes). Nested uses leave it off until the outermost ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_RULES = (
    "__sf_unique__",
    "__sf_not_null__",
    "__sf_patterns__",
    "__sf_formats__",
    "__sf_refuse_null__",
    "__sf_one_of__",
    "__sf_properties__",
    "__sf_no_value__",
)


class BaseModel(pydantic.BaseModel):
    model_config = _CONFIG

    # The rules' types are for type checkers only: pydantic evaluates the annotations of a
    # base class's private names again for every model it creates (about a sixth of creating
    # each of Microsoft Graph's classes); unannotated dunder names are plain attributes.
    if TYPE_CHECKING:
        __sf_unique__: ClassVar[tuple[str, ...]]
        __sf_not_null__: ClassVar[tuple[str, ...]]
        __sf_patterns__: ClassVar[tuple[tuple[str, tuple[tuple[re.Pattern[str], Any], ...]], ...]]
        __sf_formats__: ClassVar[tuple[tuple[str, str], ...]]
        __sf_refuse_null__: ClassVar[tuple[str, ...]]
        __sf_one_of__: ClassVar[tuple[tuple[str, str], ...]]
        __sf_properties__: ClassVar[tuple[tuple[int, int | None], ...]]
        __sf_no_value__: ClassVar[tuple[str, ...]]
    __sf_unique__ = ()
    __sf_not_null__ = ()
    __sf_patterns__ = ()
    __sf_formats__ = ()
    __sf_refuse_null__ = ()
    __sf_one_of__ = ()
    __sf_properties__ = ()
    __sf_no_value__ = ()

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[pydantic.BaseModel], handler: pydantic.GetCoreSchemaHandler, /
    ) -> CoreSchema:
        with collector_paused():
            return _model_schema(cls, source, handler)

    @property
    def model_fields_set(self) -> set[str]:
        """The fields set explicitly. An optional property that is not nullable holding ``None``
        is not set (``None`` given in Python is its type's "not set"): left out here, when
        read, instead of by a validator run for every instance built."""
        explicit = self.__pydantic_fields_set__
        for name in type(self).__sf_not_null__:
            if name in explicit and getattr(self, name) is None:
                explicit.discard(name)
        return explicit


def _model_schema(
    cls: type[BaseModel], source: type[pydantic.BaseModel], handler: pydantic.GetCoreSchemaHandler
) -> CoreSchema:
    """The core schema of a generated model: pydantic's, with the rules of :func:`constrain`."""
    # An optional property that is not nullable holds None only when absent: dumping it
    # as null would make the dump invalid input for the model itself, so it is left out.
    # Set here, as the schema is built (deferred, after every ``constrain`` call), with the
    # rules registered for base classes (an ``allOf`` parent) merged in.
    for rule in _RULES:
        merged = [r for k in reversed(cls.__mro__) for r in vars(k).get(rule, ())]
        setattr(cls, rule, tuple(dict.fromkeys(merged) if rule != "__sf_patterns__" else merged))
    fields = cls.__pydantic_fields__
    for name in cls.__sf_not_null__:
        if name in fields and fields[name].exclude_if is None:
            fields[name].exclude_if = _is_none
    return _with_counted_properties(cls, _checked_model_schema(cls, source, handler))


def _checked_model_schema(
    cls: type[BaseModel], source: type[pydantic.BaseModel], handler: pydantic.GetCoreSchemaHandler
) -> CoreSchema:
    """pydantic's core schema of ``cls`` with the rules of its fields (and per instance)."""
    schema = rfc3339(handler(source), handler.resolve_ref_schema)
    if cls.__sf_one_of__:
        _check_one_of(cls, schema)
    if cls.__sf_formats__:
        _check_formats(cls, schema)
    not_null = cls.__sf_not_null__
    if cls.__sf_no_value__:  # first: the null rule then finds these fields checked already
        _refuse_null_from_json(cls, schema, cls.__sf_no_value__, _value_refuser)
    if cls.__sf_refuse_null__:
        _refuse_null_from_json(cls, schema, cls.__sf_refuse_null__)
    if not_null and not _refuse_null_from_json(cls, schema, not_null):
        # no fields found to rewrite (not expected): the null rule runs per instance
        check: Callable[..., CoreSchema] = functools.partial(
            core_schema.with_info_after_validator_function, _not_null_rule
        )
    elif cls.__sf_unique__ or cls.__sf_patterns__:
        check = functools.partial(core_schema.no_info_after_validator_function, _schema_rules)
    else:
        return schema  # no rules left to check per instance: no validator at all
    return _wrapped(schema, check)


def _wrapped(schema: CoreSchema, check: Callable[..., CoreSchema]) -> CoreSchema:
    """``check(schema)``, the reference moved to the check, so a model reached again inside
    itself (a self-referencing ``Album`` holding albums) is checked there too."""
    ref = schema.get("ref")
    if isinstance(ref, str):
        inner = {key: value for key, value in schema.items() if key != "ref"}
        return check(cast(CoreSchema, inner), ref=ref)
    return check(schema)


def _with_counted_properties(cls: type[BaseModel], schema: CoreSchema) -> CoreSchema:
    """``schema`` checking first, on JSON input, that the object holds as many keys as the
    ``minProperties``/``maxProperties`` registered for ``cls`` allow: every key counts, the
    ones the class does not declare too (pydantic ignores those), as JSON Schema counts them.
    A handler building a model from Python objects runs no check."""
    bounds = cls.__sf_properties__
    if not bounds:
        return schema
    check = functools.partial(
        core_schema.with_info_before_validator_function, _property_counter(bounds)
    )
    return _wrapped(schema, check)


@functools.cache
def _property_counter(
    bounds: tuple[tuple[int, int | None], ...],
) -> Callable[[Any, core_schema.ValidationInfo], Any]:
    least = max(low for low, _ in bounds)
    highs = [high for _, high in bounds if high is not None]
    most = min(highs) if highs else None

    def count_properties(value: Any, info: core_schema.ValidationInfo) -> Any:
        if info.mode != "json" or not isinstance(value, dict):
            return value  # not an object: the model's own schema refuses it
        if len(value) < least:
            raise PydanticCustomError(
                "too_few_properties",
                "Object should have at least {least} properties, not {count}",
                {"least": least, "count": len(value)},
            )
        if most is not None and len(value) > most:
            raise PydanticCustomError(
                "too_many_properties",
                "Object should have at most {most} properties, not {count}",
                {"most": most, "count": len(value)},
            )
        return value

    return count_properties


def _refuse_null_from_json(
    cls: type[BaseModel],
    schema: CoreSchema,
    not_null: tuple[str, ...],
    refuser: Callable[[str], Callable[[Any], Any]] | None = None,
) -> bool:
    """Make the ``not_null`` fields of ``cls``'s own schema refuse a JSON ``null``, in place.

    Each such field's schema (inside its ``None`` default) becomes a ``json-or-python`` one:
    from Python objects, the type unchanged (``None`` accepted: :attr:`BaseModel.model_fields_set`
    reads it as unset); from JSON, the type validates the JSON value first, then a check
    refuses a ``null`` (only when the member is present). Validating the JSON value itself,
    not a Python object made of it, keeps what JSON carries as a string (a time, a date, an
    enum member) readable in strict mode. False when ``schema`` holds no fields of ``cls``.
    ``refuser``: the check for each field's wire name (:func:`_value_refuser`: any value);
    :func:`_null_refuser` when not given.
    """
    refuser = refuser or _null_refuser
    fields = _model_fields(schema, cls)
    if fields is None:
        return False
    for name in not_null:
        field = fields.get(name)
        if not isinstance(field, dict) or not isinstance(field.get("schema"), dict):
            continue
        holder = field["schema"]
        if holder.get("type") != "default":
            holder = field  # no default to keep outside the check
        inner = holder["schema"]
        if inner.get("type") == "json-or-python":
            continue  # rewritten already (the same schema object reached again)
        if inner.get("type") != "nullable":
            # The type itself refuses null (a subclass narrowed the property: a required
            # discriminator ``Literal``, which pydantic must find unwrapped): nothing to add.
            continue
        holder["schema"] = core_schema.json_or_python_schema(
            json_schema=core_schema.no_info_after_validator_function(
                refuser(_wire_name(cls, name)), inner
            ),
            python_schema=inner,
        )
    return True


def _model_fields(schema: Any, cls: type[BaseModel]) -> dict[str, Any] | None:
    """The ``fields`` of ``cls``'s own ``model-fields`` schema inside ``schema``, if any."""
    node = schema
    while isinstance(node, dict):
        kind = node.get("type")
        if kind == "model-fields":
            fields = node.get("fields")
            return fields if isinstance(fields, dict) else None
        if kind == "model" and node.get("cls") is not cls:
            return None
        if kind != "model" and not str(kind).startswith("function-"):
            return None
        node = node.get("schema")
    return None


def _check_formats(cls: type[BaseModel], schema: CoreSchema) -> None:
    """Check the string formats registered for ``cls``'s own fields in its schema, in place."""
    fields = _model_fields(schema, cls)
    for name, fmt in cls.__sf_formats__ if fields is not None else ():
        field = fields.get(name) if fields is not None else None
        if isinstance(field, dict) and isinstance(field.get("schema"), dict):
            field["schema"] = checked_formats(field["schema"], fmt)


def _check_one_of(cls: type[BaseModel], schema: CoreSchema) -> None:
    """Check the ``oneOf`` rules registered for ``cls``'s own fields in its schema, in place:
    ``(name, "value")`` for a property that is a ``oneOf``, ``(name, "items")`` for the items
    of an array property that are one."""
    fields = _model_fields(schema, cls)
    for name, where in cls.__sf_one_of__ if fields is not None else ():
        field = fields.get(name) if fields is not None else None
        info = cls.__pydantic_fields__.get(name)
        if not isinstance(field, dict) or not isinstance(field.get("schema"), dict) or not info:
            continue
        annotation = _without_none(info.annotation)
        if where == "items":
            annotation = _without_none(next(iter(typing.get_args(annotation)), None))
        members = _without_none_members(annotation)
        if len(members) > 1:
            field["schema"] = _one_of_checked(
                field["schema"], members, _wire_name(cls, name), where
            )


def _without_none(annotation: Any) -> Any:
    """``X`` for ``X | None``; anything else as it is."""
    members = _without_none_members(annotation)
    return members[0] if len(members) == 1 else annotation


def _without_none_members(annotation: Any) -> tuple[Any, ...]:
    """The members of a union, ``None`` left out; ``(annotation,)`` for any other type."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return tuple(m for m in typing.get_args(annotation) if m is not type(None))
    return (annotation,)


_ONE_OF_HOLDERS = {"default": "schema", "nullable": "schema"}


def _one_of_checked(
    schema: CoreSchema, members: tuple[Any, ...], wire: str, where: str
) -> CoreSchema:
    """``schema`` (a field's, or a root model's value) with its union, or its list's items,
    checked on JSON input to be valid under exactly one of ``members``."""
    kind = str(schema.get("type"))
    key = _ONE_OF_HOLDERS.get(kind) or (
        "items_schema" if kind == "list" and where == "items" else None
    )
    inner = schema.get(key) if key else None
    if key is not None and isinstance(inner, dict):
        below = "value" if kind == "list" else where  # the items are the oneOf
        checked = _one_of_checked(cast(CoreSchema, inner), members, wire, below)
        return cast(CoreSchema, {**schema, key: checked})
    if kind == "json-or-python":
        return schema  # checked already (the same schema reached again, an inherited field)
    return core_schema.json_or_python_schema(
        json_schema=core_schema.no_info_wrap_validator_function(
            _exactly_one(members, wire), schema
        ),
        python_schema=schema,
    )


def _exactly_one(
    members: tuple[Any, ...], wire: str
) -> Callable[[Any, core_schema.ValidatorFunctionWrapHandler], Any]:
    def exactly_one(value: Any, handler: core_schema.ValidatorFunctionWrapHandler) -> Any:
        result = handler(value)  # valid under a member, or pydantic's own errors
        text = json.dumps(value)
        valid = 0
        for member in members:
            try:
                _adapter(member).validate_json(text, strict=True)
            except pydantic.ValidationError:
                continue
            valid += 1
        if valid > 1:
            raise PydanticCustomError(
                "one_of",
                _ONE_OF_MESSAGE,
                {"name": wire, "count": valid, "total": len(members)},
            )
        return result

    return exactly_one


_ONE_OF_MESSAGE = "{name}: valid under {count} of its oneOf members, not exactly one"


@functools.cache
def _null_refuser(wire: str) -> Callable[[Any], Any]:
    """The check of a JSON value validated for the optional, non-nullable property ``wire``."""

    def refuse_null(value: Any) -> Any:
        if value is None:  # a null on the wire: the schema does not allow it
            raise PydanticCustomError("null_not_allowed", _NULL_MESSAGE, {"name": wire})
        return value

    return refuse_null


_NULL_MESSAGE = "{name}: null is not allowed"


def _value_refuser(wire: str) -> Callable[[Any], Any]:
    """The check of a JSON value validated for ``wire``, a property whose schema admits none."""

    def refuse(value: Any) -> Any:
        raise PydanticCustomError("no_value_allowed", _NO_VALUE_MESSAGE, {"name": wire})

    return refuse


_NO_VALUE_MESSAGE = "{name}: no value is valid (no member of its enum is of its type)"


def _not_null_rule(self: BaseModel, info: core_schema.ValidationInfo) -> BaseModel:
    """The null rule for a class whose fields could not be rewritten, per instance: a JSON
    ``null`` is refused (and ``model_fields_set`` reads a Python ``None`` as unset)."""
    cls = type(self)
    if info.mode == "json":
        explicit = self.__pydantic_fields_set__
        for name in cls.__sf_not_null__:
            if name in explicit and getattr(self, name) is None:
                raise ValueError(f"{_wire_name(cls, name)}: null is not allowed")
    return _schema_rules(self)


def _schema_rules(self: BaseModel) -> BaseModel:
    """``uniqueItems`` and ``patternProperties`` registered for this instance's class (only
    such classes run it)."""
    cls = type(self)
    for name in cls.__sf_unique__:
        value = getattr(self, name)
        if isinstance(value, list) and _has_duplicates(value):
            raise ValueError(f"{_wire_name(cls, name)}: items must be unique")
    for name, checks in cls.__sf_patterns__:
        value = getattr(self, name)
        if isinstance(value, dict):
            _check_patterns(_wire_name(cls, name), value, checks)
    return self


class RootModel(pydantic.RootModel[RootT], Generic[RootT]):
    """Base class of generated root models (a schema that is a string, a list …), same config."""

    model_config = _CONFIG

    # For type checkers only, as on BaseModel: no annotation for pydantic to evaluate per class.
    if TYPE_CHECKING:
        __sf_format__: ClassVar[str | None]
        __sf_one_of__: ClassVar[bool]
        __sf_unique__: ClassVar[bool]
    __sf_format__ = None
    __sf_one_of__ = False
    __sf_unique__ = False

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[pydantic.BaseModel], handler: pydantic.GetCoreSchemaHandler, /
    ) -> CoreSchema:
        with collector_paused():
            schema = rfc3339(handler(source), handler.resolve_ref_schema)
        fmt = cls.__sf_format__
        inner = schema.get("schema")
        if schema.get("type") != "model" or not isinstance(inner, dict):
            return schema
        if cls.__sf_one_of__:
            members = _without_none_members(cls.__pydantic_fields__["root"].annotation)
            if len(members) > 1:
                inner = _one_of_checked(cast(CoreSchema, inner), members, "root", "value")
        if fmt is not None:
            inner = checked_formats(cast(CoreSchema, inner), fmt)  # before the model takes it
        if cls.__sf_unique__:
            inner = core_schema.no_info_after_validator_function(_unique_root, inner)
        return cast(CoreSchema, {**schema, "schema": inner})


def _unique_root(value: Any) -> Any:
    if isinstance(value, list) and _has_duplicates(value):
        raise ValueError("items must be unique")
    return value


def _check_patterns(
    wire: str, value: dict[str, Any], checks: tuple[tuple[re.Pattern[str], Any], ...]
) -> None:
    for key, item in value.items():
        for regex, tp in checks:
            if regex.search(key) is None:
                continue
            try:
                # As the JSON it came from: strict, so "1" is no number here either.
                _adapter(tp).validate_json(json.dumps(item), strict=True)
            except pydantic.ValidationError as exc:
                msg = exc.errors(include_url=False)[0]["msg"]
                raise ValueError(f"{wire}.{key}: {msg}") from None


def _is_none(value: object) -> bool:
    return value is None


@functools.cache
def _adapter(tp: Any) -> pydantic.TypeAdapter[Any]:
    return pydantic.TypeAdapter(tp)


def _wire_name(cls: type[pydantic.BaseModel], name: str) -> str:
    field = cls.model_fields.get(name)
    return (field.alias if field is not None and field.alias else name) if field else name


def _has_duplicates(values: list[Any]) -> bool:
    seen: list[Any] = []
    for value in values:
        item = value.model_dump(mode="json") if isinstance(value, pydantic.BaseModel) else value
        if item in seen:
            return True
        seen.append(item)
    return False


def constrain(
    model: type,
    *,
    unique: tuple[str, ...] = (),
    not_null: tuple[str, ...] = (),
    patterns: dict[str, tuple[tuple[str, Any], ...]] | None = None,
    formats: dict[str, str] | None = None,
    refuse_null: tuple[str, ...] = (),
    one_of: dict[str, str] | None = None,
    properties: tuple[int, int | None] | None = None,
    no_value: tuple[str, ...] = (),
) -> None:
    """Register the rules for ``model``'s fields (named as in the spec; aliases resolved here).

    ``refuse_null``: required properties typed ``X | None`` whose JSON ``null`` is refused all
    the same (an enum that does not list null, ``nullable: true`` beside it); ``None`` given
    in Python stays (and is dumped as null).
    ``formats``: property → the string format its values (or its array's items) are checked
    for (:data:`specfirst.runtime.formats.STRING_FORMATS`); ``"root"`` for a root model's value.
    ``one_of``: property → ``"value"`` (it is a ``oneOf``) or ``"items"`` (its array's items
    are); ``{"root": "value"}`` for a root model that is one. ``unique``: ``("root",)`` for a
    root model of an array of ``uniqueItems``.
    ``properties``: the object's ``(minProperties, maxProperties)`` (``None``: no most), every
    key counted, checked on JSON input.
    ``no_value``: optional properties whose schema admits no value: any JSON value refused.
    The checks are built here, at import, so a missing jsonschema-rs stops the app at start.
    A name datamodel-code-generator gave to something else (an enum) is skipped.
    """
    for fmt in (formats or {}).values():
        string_format(fmt)
    if isinstance(model, type) and issubclass(model, RootModel):
        root = (formats or {}).get("root")
        one = "root" in (one_of or {})
        distinct = "root" in unique
        if (
            (root is not None and model.__sf_format__ != root)
            or one != model.__sf_one_of__
            or distinct != model.__sf_unique__
        ):
            model.__sf_format__ = root if root is not None else model.__sf_format__
            model.__sf_one_of__ = one
            model.__sf_unique__ = distinct
            if model.__pydantic_complete__:
                model.model_rebuild(force=True)
        return
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return
    by_wire = {(f.alias or n): n for n, f in model.model_fields.items()}
    model.__sf_unique__ = tuple(by_wire[w] for w in unique if w in by_wire)
    model.__sf_not_null__ = tuple(by_wire[w] for w in not_null if w in by_wire)
    model.__sf_patterns__ = tuple(
        (by_wire[w], tuple((re.compile(rx), tp) for rx, tp in checks))
        for w, checks in (patterns or {}).items()
        if w in by_wire
    )
    model.__sf_refuse_null__ = tuple(by_wire[w] for w in refuse_null if w in by_wire)
    model.__sf_formats__ = tuple(
        (by_wire[w], fmt) for w, fmt in (formats or {}).items() if w in by_wire
    )
    model.__sf_one_of__ = tuple(
        (by_wire[w], where) for w, where in (one_of or {}).items() if w in by_wire
    )
    model.__sf_properties__ = (properties,) if properties is not None else ()
    model.__sf_no_value__ = tuple(by_wire[w] for w in no_value if w in by_wire)
    if model.__pydantic_complete__:
        # Built before its rules were registered: rebuilt with them. (Models built already
        # that embed this one keep a copy without them, so the generated models register
        # every class's rules before their ``model_rebuild()`` calls build anything.)
        model.model_rebuild(force=True)


def discriminate(prop: str, mapping: Mapping[str, str], default: str) -> Callable[[Any], str]:
    """A pydantic ``Discriminator`` for a discriminator with OpenAPI 3.2's ``defaultMapping``.

    Union members are tagged with their class names. Input data goes to the member its
    ``prop`` value maps to, and to ``default`` when the value is absent or maps to nothing;
    a model instance (when serializing) to its own class.
    """

    def tag(value: Any) -> str:
        if isinstance(value, pydantic.BaseModel):
            return type(value).__name__
        found = value.get(prop) if isinstance(value, dict) else None
        return mapping.get(found, default) if isinstance(found, str) else default

    return tag


class PythonReBaseModel(BaseModel):
    """``BaseModel`` compiling patterns with Python's ``re``."""

    model_config = _PYTHON_RE


class PythonReRootModel(RootModel[RootT], Generic[RootT]):
    """``RootModel`` compiling patterns with Python's ``re``."""

    model_config = _PYTHON_RE
