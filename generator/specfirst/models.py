"""The thin adapter around datamodel-code-generator: schemas in, a models module out."""

from __future__ import annotations

import ast
import bisect
import contextlib
import copy
import json
import multiprocessing
import re
import signal
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeGuard
from urllib.parse import unquote

import pydantic_core

from specfirst import cachedir
from specfirst.collector import gc_paused, rare_middle_collections
from specfirst.diagnostics import Diagnostic, Level
from specfirst.models_enums import (
    enum_member_names_in_linear_time,
    fill_large_enums,
    mark_large_enums,
    stand_in_large_enums,
)
from specfirst.models_incremental import from_base, make_base, owners_of
from specfirst.schema_rewrites import (
    SCHEMA_LISTS,
    SCHEMA_MAPS,
    SCHEMA_VALUES,
    component_resolver,
    declare_required_names,
    default_of_its_type,
    defaults_of_their_type,
    drop_nullable_false,
    enum_admits_none,
    enum_members_of_its_type,
    free_form_objects,
    ignore_ref_siblings,
    inline_conflicting_bases,
    keywords_of_its_type,
    nullable_references,
    one_of_holder,
    one_of_holders_spelled,
    optional_discriminators,
    schema_nodes,
    split_discriminator_subtypes,
)
from specfirst.schema_types import (
    checked_format,
    format_bounded,
    is_simple,
    primitive_type,
    schema_types,
)

# Options are chosen once, here, so that output is deterministic and independent of the
# user's own datamodel-code-generator configuration. Formatting is left to ruff (one pass
# over the whole package), which is far faster than the built-in formatters on big specs.
_OPTIONS: dict[str, Any] = {
    "input_file_type": "openapi",
    "output_model_type": "pydantic_v2.BaseModel",
    "target_python_version": "3.11",
    "openapi_scopes": ["schemas"],
    "formatters": [],
    "disable_timestamp": True,
    "use_annotated": True,
    "field_constraints": True,
    "use_standard_collections": True,
    "use_union_operator": True,
    "use_double_quotes": True,
    "use_schema_description": True,
    "use_field_description": True,
    "set_default_enum_member": True,
    "capitalise_enum_members": False,
    # pydantic's mypy plugin gives a constructor `**kwargs` unless extra fields are forbidden,
    # so a property named `kwargs` would be defined twice (pydantic#3125): it is `kwargs_` in
    # Python, with the spec's name as its alias, as the library does for `json` and `schema`.
    "aliases": {"kwargs": "kwargs_"},
    "base_class": "_runtime.base.BaseModel",
    # A field with a default is not nullable unless the schema says so.
    "strict_nullable": True,
    # A component schema keeps its name (the parser refers to it by that name): a nested
    # inline object named like one is numbered instead (ndhm.gov.in's gateway: the inline
    # ``HIUSubscriptionRequestReceipt.subscriptionRequest`` came first and took
    # ``SubscriptionRequest``, so the operations whose body is that component read the other).
    "naming_strategy": "definitions-first",
    # In OpenAPI 3.1 / JSON Schema 2020-12 `format` is an annotation. pydantic's EmailStr
    # rejects special-use domains (x@host.test) that the format allows, and AnyUrl rewrites
    # the value it returns (adds a trailing slash): both break round trips, so keep strings.
    "type_mappings": [
        "email=string",
        "idn-email=string",
        "uri=string",
        "uri-reference=string",
        "iri=string",
        "iri-reference=string",
        # `format: byte` is base64 text of any bytes: Base64Str also decodes them as UTF-8
        # and refuses binary data (windows.net's key credentials); Base64Bytes keeps them.
        "byte=binary",
        # `decimal` is no JSON Schema format (an annotation): a Decimal refused strings the
        # schema allows (nordigen's amount pattern takes "" and "-"). A number stays a Decimal.
        "decimal=string",
        # A string's `unixtime` (or `integer`) format is the library's int64 (int): the text
        # the schema allows was refused "Input should be a valid integer" (rumble.run's
        # `scan-start: {type: string, format: unixtime, example: "0"}`). It stays a string.
        "unixtime=string",
        "integer=string",
    ],
}


_ENGINE = threading.RLock()
"""One run of datamodel-code-generator (and of :func:`generate_models`, which patches it and reads
what it saw) at a time in a process: ``--watch`` warms it up in a background thread
(:func:`specfirst.pipeline.keep_models_worker`)."""


Engine = Callable[[dict[str, Any], str], tuple[str, list[dict[str, Any]]]]
"""datamodel-code-generator's module for a document, and its models' metadata (:func:`_run`)."""


def generate_models(
    document: dict[str, Any],
    header: str,
    base: Path | None = None,
    base_key: str = "",
    engine: Engine | None = None,
) -> tuple[str, frozenset[str], list[Diagnostic]]:
    """Run datamodel-code-generator on a schemas-only OpenAPI document.

    Returns the module source, the names of the classes it defines, and diagnostics. With
    ``base`` (a cache file; ``base_key`` says what else the output depends on), only the
    schemas that changed since the run that wrote it are generated again
    (:mod:`specfirst.models_incremental`), and the file is updated; by ``engine`` when given
    (:class:`EngineWorker`: the library imported in another process meanwhile).
    """
    with _ENGINE:
        return _generate_models(document, header, base, base_key, engine or _run)


def _generate_models(
    document: dict[str, Any], header: str, base: Path | None, base_key: str, partial: Engine
) -> tuple[str, frozenset[str], list[Diagnostic]]:
    schemas = (document.get("components") or {}).get("schemas") or {}
    if not schemas:
        return f"{header}\nfrom __future__ import annotations\n", frozenset(), []
    diagnostics: list[Diagnostic] = []
    # Copies and walks of the whole document, nothing cyclic: the collector would walk
    # them again and again (0.3 s of GitHub's 1 s).
    with gc_paused():
        document = _one_of_holders_spelled(document)
        document, schemas = _open_pattern_properties(document)
        document = _tidy_prose(document)
        _bound_integer_formats(document)  # in place: _tidy_prose made a copy
        working = document["components"]["schemas"]
        drop_nullable_false(working, schema_nodes)  # in place too
        if str(document.get("openapi", "")).startswith("3.0"):
            nullable_references(working, schema_nodes)
            ignore_ref_siblings(working, schema_nodes)
        keywords_of_its_type(working, schema_nodes)
        free_form_objects(working, schema_nodes)
        declare_required_names(working, schema_nodes)
        defaults_of_their_type(working, schema_nodes)
        enum_members_of_its_type(working, schema_nodes)
        optional_discriminators(working, schema_nodes)
        split_discriminator_subtypes(working, schema_nodes)
        inline_conflicting_bases(working, schema_nodes)
        document, engine, dropped = _choose_regex_engine(document)
        document, defaults = _default_mappings(document, diagnostics)
        cut, large = stand_in_large_enums(document)
    diagnostics.extend(
        Diagnostic(
            Level.WARNING,
            "unsupported",
            f"pattern {pattern!r} is not enforced: no regex engine compiles it together with "
            "the API's other patterns",
        )
        for pattern in dropped
    )
    key = f"{base_key}|{header}|{document.get('openapi')}|{engine}|{options_fingerprint()}"
    if large:  # the members of large enums are named by the resolver of the run that wrote them
        base = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fills: dict[str, str] = {}
        spans: list[tuple[int, int]] | None = None  # of the classes in source, when known
        try:
            updated = from_base(
                base,
                key,
                cut["components"]["schemas"],
                lambda part: partial({**cut, "components": {"schemas": part}}, header),
                diagnostics,
            )
            if updated is not None:
                source, spans = updated.raw, updated.spans()
                # Only the head's imports are read below: no need to parse the whole module.
                tree = ast.parse(updated.head)
                classes = frozenset(name for name, _ in updated.units)
                owners = updated.owners
            else:
                source, metadata = _run(cut, header)
                # The tree holds millions of nodes, none of them garbage, and collections
                # after the library's run walk its heap too: GitHub's base took 1 s of CPU
                # with the collector, 0.15 s without.
                with gc_paused():
                    tree = ast.parse(source)
                    classes = frozenset(
                        node.name for node in tree.body if isinstance(node, ast.ClassDef)
                    )
                    updated = make_base(key, cut["components"]["schemas"], source, metadata, tree)
                    owners = owners_of(metadata)
                    if updated is not None:
                        # the same head and classes, blank lines as the base
                        source, spans = updated.raw, updated.spans()
                    if base is not None and updated is not None:
                        cachedir.write(base, updated.to_json())
            if large:
                spans = None
                marked = mark_large_enums(source, large)
                if marked is None:  # not the class expected: the library writes every member
                    source, _ = _run(document, header)
                    with gc_paused():
                        tree = ast.parse(source)
                else:
                    source, fills = marked
        except Exception as exc:  # the library raises many types; report, don't crash
            message = " ".join(str(exc).split())[:500] or type(exc).__name__
            diagnostics.append(
                Diagnostic(Level.ERROR, "models", f"datamodel-code-generator failed: {message}")
            )
            return f"{header}\nfrom __future__ import annotations\n", frozenset(), diagnostics
    for warning in caught:
        text = " ".join(str(warning.message).split())[:300]
        diagnostics.append(Diagnostic(Level.INFO, "models", text))
    with gc_paused():  # as above (the tree let go first: it leaves with its last name)
        # Before the imports change, while ``spans`` hold (it changes no line breaks).
        source = _enum_members_clear_of_str(source, spans)
        source = _own_root_model(source, tree)
        del tree
        if defaults:
            source = _with_default_mappings(source, defaults, diagnostics)
        if engine == "python-re":
            source = source.replace(
                "from _runtime.base import BaseModel\n",
                "from _runtime.base import PythonReBaseModel as BaseModel\n",
                1,
            ).replace(
                "from _runtime.base import RootModel\n",
                "from _runtime.base import PythonReRootModel as RootModel\n",
                1,
            )
        # The base classes live in the package's vendored runtime (see ``specfirst.vendor``).
        source = source.replace("from _runtime.", "from ._runtime.")
        diagnostics.extend(_renamed_components(owners))
        inline = {cls: ref for cls, (_owner, ref) in owners.items()}
        openapi_31 = not str(document.get("openapi", "")).startswith(("2.", "3.0"))
        rules = schema_rules(schemas, classes, inline, openapi_31=openapi_31)
        source = before_rebuilds(fill_large_enums(source, fills), rules)
    return source, classes, diagnostics


def _renamed_components(owners: dict[str, list[str]]) -> list[Diagnostic]:
    """An error for each component schema whose key names a class made from another schema:
    the parser names each component's class (the key, already a unique class name) and the
    routers and protocols read that name, so they would read the other class (ndhm.gov.in's
    gateway before ``naming_strategy``: an inline object took ``SubscriptionRequest``, the
    component became ``SubscriptionRequest1``, and every body of it was read as the inline
    object). A name the library avoids for another reason (``Field`` → ``FieldModel``: its
    own import) reads no other class and is left to the rules that cover it, and so is a
    second class of the component itself: a schema that may be an array or an object
    (wealthreader.com's ``error-codes``: ``items`` and ``properties``, no ``type``) is a root
    model of the key's name, a union of a list and the numbered class of the object."""
    return [
        Diagnostic(
            Level.ERROR,
            "models",
            f"datamodel-code-generator named the class of schema {key!r} {cls!r} and gave "
            f"{key!r} to {owners[key][1]}: the generated code would read that class instead",
        )
        for cls, (key, ref) in sorted(owners.items())
        if ref == f"#/components/schemas/{key.replace('~', '~0').replace('/', '~1')}"
        and cls != key
        and key in owners
        and owners[key][1] != ref
    ]


def _run(document: dict[str, Any], header: str) -> tuple[str, list[dict[str, Any]]]:
    """datamodel-code-generator's module for ``document``, and the metadata of its models
    (each class's ``source_ref``: which schema it came from)."""
    with _ENGINE:
        return _run_engine(document, header)


def _run_engine(document: dict[str, Any], header: str) -> tuple[str, list[dict[str, Any]]]:
    # Imported here, not before: an edit of descriptions only never runs the engine, and
    # importing it costs more than a small spec's whole run.
    from datamodel_code_generator import generate

    enum_member_names_in_linear_time()
    with (
        tempfile.TemporaryDirectory(prefix="specfirst-models-") as tmp,
        _compact_model_metadata(),
        rare_middle_collections(),
    ):
        metadata = Path(tmp) / "models.json"
        source = generate(
            json.dumps(document),
            custom_file_header=header,
            emit_model_metadata=metadata,
            **_OPTIONS,
        )
        models = json.loads(metadata.read_text(encoding="utf-8")).get("models") or []
    if not isinstance(source, str):
        raise TypeError("datamodel-code-generator returned several modules; expected one")
    return source, list(models)


@contextlib.contextmanager
def _compact_model_metadata() -> Iterator[None]:
    """The model metadata file written as compact JSON while the library runs here.

    The library writes it indented (``json.dumps(..., indent=2)``), which runs the pure-Python
    encoder: about 3% of GitHub's run for a file read back here at once. Without the indent,
    the C encoder writes the same values (the same keys, in order, and text), and only
    :func:`_run_engine` reads the file. The library looks the function up at each write
    (``_generation._model_metadata_text``); it is put back after the run.
    """
    from datamodel_code_generator import model_metadata

    indented = model_metadata.dump_model_metadata

    def compact(metadata: Any) -> str:
        payload = metadata if metadata is not None else model_metadata.model_metadata_payload([])
        return json.dumps(payload, ensure_ascii=False)

    # setattr: a function of the library is replaced on purpose, and put back below.
    setattr(model_metadata, "dump_model_metadata", compact)  # noqa: B010
    try:
        yield
    finally:
        setattr(model_metadata, "dump_model_metadata", indented)  # noqa: B010


class EngineWorker:
    """datamodel-code-generator in a fresh process, imported there from the moment this is
    made, for the partial runs of an edit (:func:`generate_models`'s ``engine``): importing it
    costs more than a small spec's whole run, and here it overlaps loading and validating the
    spec. Unused (an edit of descriptions only needs no run), it is stopped at :meth:`close`."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=serve_engine, args=(child,), daemon=True)
        self._process.start()
        child.close()

    def __call__(self, document: dict[str, Any], header: str) -> tuple[str, list[dict[str, Any]]]:
        self._conn.send((document, header))
        ok, value, caught = self._conn.recv()
        for message in caught:  # as if the library had warned here
            warnings.warn(message, stacklevel=2)
        if not ok:
            raise RuntimeError(value)
        source, models = value
        return source, models

    def close(self) -> None:
        self._conn.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join(5)


def serve_engine(conn: Connection) -> None:
    """:class:`EngineWorker`'s process: the library imported, then one run per request."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the parent, which stops this
    import datamodel_code_generator  # noqa: F401  # the point: imported before it is asked

    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                reply: tuple[bool, Any] = (True, _run(*job))
            except Exception as exc:  # the library raises many types; the caller says why
                reply = (False, " ".join(str(exc).split())[:500] or type(exc).__name__)
        conn.send((*reply, [str(w.message) for w in caught]))


def warm_up() -> None:
    """Import datamodel-code-generator and run it once on a tiny document (a warm worker)."""
    _run(
        {
            "openapi": "3.1.0",
            "info": {"title": "warm", "version": "0"},
            "paths": {},
            "components": {"schemas": {"Warm": {"type": "object", "properties": {}}}},
        },
        "# warm",
    )


def _bound_integer_formats(document: dict[str, Any]) -> None:
    """The range of every ``format: int32``/``int64`` as the schema's bounds, so that the
    models enforce it (``ge=``/``le=``); explicit narrower bounds are kept. In place."""
    for schema in ((document.get("components") or {}).get("schemas") or {}).values():
        for node in schema_nodes(schema):
            bounded = format_bounded(node)
            if bounded is not node:
                node.clear()
                node.update(bounded)


def _compiles(pattern: str, engine: str) -> bool:
    if engine == "python-re":
        try:
            re.compile(pattern)
        except (re.error, OverflowError, RecursionError):
            return False
        return True
    try:
        pydantic_core.SchemaValidator(pydantic_core.core_schema.str_schema(pattern=pattern))
    except pydantic_core.SchemaError:
        return False
    return True


_TRAILING_SPACE = re.compile(r"[ \t]+(?=\n|$)")


def _tidy_prose(node: Any) -> Any:
    """Descriptions and titles without whitespace at line ends.

    datamodel-code-generator copies them into docstrings as they are, and whitespace before a
    line break there is something ruff reports (W291/W293) in the generated code.
    """
    if isinstance(node, dict):
        return {
            key: _TRAILING_SPACE.sub("", value)
            if key in ("description", "title") and isinstance(value, str)
            else _tidy_prose(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_tidy_prose(item) for item in node]
    return node


def _choose_regex_engine(document: dict[str, Any]) -> tuple[dict[str, Any], str, list[str]]:
    """One regex engine for the package's ``pattern``s: Rust's (linear time, ``\\p{L}``)
    when it compiles every one, else Python's when that does, else the one that compiles more,
    the others left unenforced (returned, for a diagnostic)."""
    schemas = list(((document.get("components") or {}).get("schemas") or {}).values())
    patterns = sorted(
        {
            node["pattern"]
            for schema in schemas
            for node in schema_nodes(schema)
            if isinstance(node.get("pattern"), str)
        }
    )
    rust_bad = [p for p in patterns if not _compiles(p, "rust-regex")]
    if not rust_bad:
        return document, "rust-regex", []
    python_bad = [p for p in patterns if not _compiles(p, "python-re")]
    engine, dropped = (
        ("python-re", python_bad) if len(python_bad) <= len(rust_bad) else ("rust-regex", rust_bad)
    )
    if dropped:
        document = copy.deepcopy(document)
        for schema in document["components"]["schemas"].values():
            for node in schema_nodes(schema):
                if node.get("pattern") in dropped:
                    del node["pattern"]
    return document, engine, dropped


def _own_root_model(source: str, tree: ast.Module) -> str:
    """Import ``RootModel`` from ``specfirst.runtime.base``: root models get the models' config.

    datamodel-code-generator derives root models from ``pydantic.RootModel``, whatever
    ``base_class`` says, so without this they would miss the deferred build, the RFC 3339 date
    checks and the package's regex engine.
    """
    for node in tree.body:
        if not (isinstance(node, ast.ImportFrom) and node.module == "pydantic" and not node.level):
            continue
        if not any(a.name == "RootModel" and a.asname is None for a in node.names):
            continue
        rest = [
            a.name if a.asname is None else f"{a.name} as {a.asname}"
            for a in node.names
            if a.name != "RootModel"
        ]
        lines = source.splitlines(keepends=True)
        statement = f"from pydantic import {', '.join(rest)}\n" if rest else ""
        statement += "from _runtime.base import RootModel\n"
        return "".join(
            [*lines[: node.lineno - 1], statement, *lines[node.end_lineno or node.lineno :]]
        )
    return source


_STR_ATTRIBUTES = frozenset(name for name in dir(str) if not name.startswith("_"))


_MEMBER_LINE = re.compile(r"^    ([A-Za-z_]\w*) = ", re.MULTILINE)


def _enum_members_clear_of_str(source: str, spans: list[tuple[int, int]] | None = None) -> str:
    """Rename members of string enums that are also ``str`` methods: ``center`` → ``center_``.

    datamodel-code-generator names a member after its value; in a ``StrEnum``, a member
    ``center`` (or ``title``, ``upper`` …) replaces the method of ``str`` with an enum value,
    which mypy refuses (an incompatible override in generated code, formapi.io's
    ``Alignment``). The value on the wire stays ``"center"``; references in defaults follow.

    ``spans``: where each class of ``source`` starts and ends, when known (the models made
    from a base): only the classes holding a line that could define such a member are parsed
    (GitHub's models: one class of 4,745), not the whole module.
    """
    starts = [a for a, _ in spans] if spans is not None else []
    chosen: set[tuple[int, int]] = set()
    for match in _MEMBER_LINE.finditer(source):
        if match.group(1) not in _STR_ATTRIBUTES:
            continue
        if spans is None:
            break
        index = bisect.bisect_right(starts, match.start()) - 1
        if index >= 0 and match.start() < spans[index][1]:
            chosen.add(spans[index])
    else:
        if not chosen:
            return source
    parts = (
        [(a, b, ast.parse(source[a:b])) for a, b in sorted(chosen)]
        if spans is not None
        else [(0, len(source), ast.parse(source))]
    )
    renames: dict[str, dict[str, str]] = {}
    pieces: list[str] = []
    done = 0
    for a, b, tree in parts:
        pieces += [source[done:a], _members_renamed(source[a:b], tree, renames)]
        done = b
    text = "".join([*pieces, source[done:]])
    for cls, renamed in renames.items():  # references: Alignment.center → Alignment.center_
        for old, new in renamed.items():
            text = re.sub(rf"\b{re.escape(cls)}\.{re.escape(old)}\b", f"{cls}.{new}", text)
    return text


def _members_renamed(source: str, tree: ast.Module, renames: dict[str, dict[str, str]]) -> str:
    """``source`` (parsed: ``tree``) with the string enums' members named like ``str``
    methods renamed at their definitions; the renames are added to ``renames``."""
    found: dict[str, dict[str, str]] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        if not any(ast.unparse(base) in ("StrEnum", "str") for base in node.bases):
            continue
        members = {
            target.id
            for item in node.body
            if isinstance(item, ast.Assign)
            for target in item.targets
            if isinstance(target, ast.Name)
        }
        for name in sorted(members & _STR_ATTRIBUTES):
            new = name + "_"
            while new in members:
                new += "_"
            members.add(new)
            found.setdefault(node.name, {})[name] = new
    if not found:
        return source
    renames.update(found)
    lines = source.splitlines(keepends=True)
    for node in tree.body:  # the member definitions, by position
        if isinstance(node, ast.ClassDef) and node.name in found:
            for item in node.body:
                if isinstance(item, ast.Assign) and isinstance(item.targets[0], ast.Name):
                    old = item.targets[0].id
                    if old in found[node.name]:
                        line = lines[item.lineno - 1]
                        col = item.targets[0].col_offset
                        lines[item.lineno - 1] = (
                            line[:col] + found[node.name][old] + line[col + len(old) :]
                        )
    return "".join(lines)


_SCHEMA_REF = "#/components/schemas/"


@dataclass(frozen=True)
class _DefaultMapping:
    """A discriminated union with OpenAPI 3.2's ``defaultMapping``, by model class names."""

    prop: str
    mapping: dict[str, str]  # discriminator value -> member class
    default: str
    members: tuple[str, ...]


def _class_of(ref: Any) -> str | None:
    if not isinstance(ref, str):
        return None
    return ref[len(_SCHEMA_REF) :] if ref.startswith(_SCHEMA_REF) else ref or None


def _default_mappings(
    document: dict[str, Any], diagnostics: list[Diagnostic]
) -> tuple[dict[str, Any], dict[str, _DefaultMapping]]:
    """Take the discriminators with ``defaultMapping`` away from datamodel-code-generator.

    It reads a discriminator as "every member's property is a literal": it would make the
    default member's property ``Literal['<its name>']``, refusing the very values the default
    exists for. It gets a plain union instead, and :func:`_with_default_mappings` rewrites
    the root model to route values with a callable discriminator. Component schemas that
    are a ``oneOf``/``anyOf`` of refs only; others keep datamodel-code-generator's reading.
    """
    schemas: dict[str, Any] = document["components"]["schemas"]
    found: dict[str, _DefaultMapping] = {}
    changed: dict[str, Any] = {}
    for name, schema in schemas.items():
        disc = schema.get("discriminator") if isinstance(schema, dict) else None
        if not isinstance(disc, dict) or "defaultMapping" not in disc:
            continue
        members_raw = schema.get("oneOf") or schema.get("anyOf")
        default = _class_of(disc.get("defaultMapping"))
        prop = disc.get("propertyName")
        members = [
            _class_of(m.get("$ref")) if isinstance(m, dict) else None
            for m in (members_raw if isinstance(members_raw, list) else [])
        ]
        if (
            not members
            or default not in schemas
            or not isinstance(prop, str)
            or any(m is None or m not in schemas for m in members)
        ):
            diagnostics.append(
                Diagnostic(
                    Level.WARNING,
                    "unsupported",
                    f"discriminator defaultMapping of schema {name!r} is not applied: it is "
                    "applied to a oneOf/anyOf of component $refs with a component as default",
                )
            )
            continue
        explicit = disc.get("mapping")
        mapping: dict[str, str] = {}
        for key, value in explicit.items() if isinstance(explicit, dict) else ():
            target = _class_of(value)
            if target is not None and target in schemas:
                mapping[str(key)] = target
        for member in members:  # implicit mapping: a member's own name
            if member is not None and member != default and member not in mapping.values():
                mapping.setdefault(member, member)
        ordered = tuple(dict.fromkeys([*(m for m in members if m), default]))
        found[name] = _DefaultMapping(prop, mapping, default, ordered)
        plain = {k: v for k, v in schema.items() if k != "discriminator"}
        if default not in members:
            plain[next(k for k in ("oneOf", "anyOf") if k in schema)] = [
                *members_raw,
                {"$ref": _SCHEMA_REF + default},
            ]
        changed[name] = plain
    if not changed:
        return document, {}
    components = {**document["components"], "schemas": {**schemas, **changed}}
    return {**document, "components": components}, found


def _with_default_mappings(
    source: str, defaults: dict[str, _DefaultMapping], diagnostics: list[Diagnostic]
) -> str:
    """Give each root model of :func:`_default_mappings` its callable discriminator."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    replaced: list[tuple[int, int, str]] = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or node.name not in defaults:
            continue
        rule = defaults[node.name]
        if not any("RootModel" in ast.unparse(base) for base in node.bases):
            diagnostics.append(
                Diagnostic(
                    Level.WARNING,
                    "unsupported",
                    f"discriminator defaultMapping of {node.name!r} is not applied: the schema "
                    "is not a plain oneOf/anyOf",
                )
            )
            continue
        union = " | ".join(rule.members)
        tagged = " | ".join(f"Annotated[{m}, Tag({m!r})]" for m in rule.members)
        body = (
            f"class {node.name}(RootModel[{union}]):\n"
            f"    root: Annotated[\n"
            f"        {tagged},\n"
            f"        Discriminator(discriminate({rule.prop!r}, {rule.mapping!r}, "
            f"{rule.default!r})),\n"
            f"    ]\n"
        )
        docstring = ast.get_docstring(node, clean=False)
        if docstring is not None:
            body = body.replace(":\n", f":\n    {json.dumps(docstring)}\n\n", 1)
        replaced.append((node.lineno, node.end_lineno or node.lineno, body))
    if not replaced:
        return source
    for start, end, body in reversed(replaced):
        lines[start - 1 : end] = [body]
    text = "".join(lines)
    return text.replace(
        "from __future__ import annotations\n",
        "from __future__ import annotations\n\n"
        "from typing import Annotated\n\n"
        "from _runtime.base import discriminate\n"
        "from pydantic import Discriminator, Tag\n",
        1,
    )


def _nullable(schema: Any, schemas: dict[str, Any], depth: int = 0) -> bool | None:
    """True/False when the schema says whether null is allowed; None when it cannot tell."""
    if not isinstance(schema, dict) or depth > 5:
        return None
    ref = schema.get("$ref")
    if isinstance(ref, str):
        prefix = "#/components/schemas/"
        return (
            _nullable(schemas.get(ref[len(prefix) :]), schemas, depth + 1)
            if ref.startswith(prefix)
            else None
        )
    enum = schema.get("enum")
    if isinstance(enum, list) and None not in enum:
        # An enum that does not list null refuses it, ``nullable: true`` or a type list with
        # "null" notwithstanding (OpenAPI 3.0.3; JSON Schema): schemathesis sends no null there
        # as valid in a request, and one as invalid data.
        return False
    if schema.get("nullable") is True:
        return True
    kind = schema.get("type")
    if isinstance(kind, list):
        return "null" in kind
    if isinstance(kind, str):
        return kind == "null"
    if ("properties" in schema or "required" in schema) and not any(
        key in schema for key in ("allOf", "oneOf", "anyOf", "not", "if")
    ):
        # no type but an object's keywords: generated as a class, an object, and read so by
        # the contract run (``contract.document``, which declares ``type: object`` there and
        # sends null as invalid data: adyen's AvsAddress, xero's BookDepreciationSetting)
        return False
    parts = schema.get("allOf")
    if isinstance(parts, list) and any(
        _nullable(part, schemas, depth + 1) is False for part in parts
    ):
        return False  # null must be valid under every part: one refuses it
    for key in ("oneOf", "anyOf"):
        members = schema.get(key)
        if isinstance(members, list) and members:
            said = [_nullable(member, schemas, depth + 1) for member in members]
            if all(one is False for one in said):
                return False  # null must be valid under a member: none takes it
            if any(one is True for one in said):
                return True
    return None


def _null_typed_enum(schema: dict[str, Any]) -> bool:
    """An enum without null that says null all the same (``nullable: true``, a type list with
    "null"): datamodel-code-generator types it ``X | None``, and JSON null must be refused."""
    enum = schema.get("enum")
    kind = schema.get("type")
    return (
        isinstance(enum, list)
        and None not in enum
        and (schema.get("nullable") is True or (isinstance(kind, list) and "null" in kind))
    )


def _one_of_holders_spelled(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with each ``oneOf`` beside holder keywords spelled as its alternatives,
    each merged with the holder (:func:`~specfirst.schema_rewrites.spell_one_of_holder`): a
    copy where there is one. First of the rewrites, so that the rules
    (:func:`schema_rules`) read the schemas at the places the library reports its classes
    from (``Body/oneOf/0``: the holder merged with its first alternative)."""
    schemas = document["components"]["schemas"]
    resolve = component_resolver(schemas)
    if not any(one_of_holder(n, resolve) for s in schemas.values() for n in schema_nodes(s)):
        return document
    spelled = copy.deepcopy(schemas)
    one_of_holders_spelled(spelled, component_resolver(spelled))
    return {**document, "components": {**document["components"], "schemas": spelled}}


def _open_pattern_properties(document: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Keep keys that match no ``patternProperties`` pattern valid.

    datamodel-code-generator types such an object as ``dict[<str matching the pattern>, V]``,
    which refuses every other key, though JSON Schema allows them unless
    ``additionalProperties`` is false. Such objects become ``dict[str, V | A]`` here (``A`` the
    ``additionalProperties`` schema, anything when absent); :func:`schema_rules` registers the
    pattern checks for the properties of component schemas. Returns the document to generate
    from and its original schemas (for the rules).
    """
    schemas = (document.get("components") or {}).get("schemas") or {}
    if "patternProperties" not in json.dumps(schemas):
        return document, schemas
    opened = copy.deepcopy(document)
    for schema in opened["components"]["schemas"].values():
        _open_patterns_in(schema)
    return opened, schemas


def _open_patterns_in(schema: Any) -> None:
    """Rewrite open ``patternProperties`` objects in ``schema`` and its subschemas (not in
    examples, defaults or other values that merely look like schemas)."""
    if not isinstance(schema, dict):
        return
    patterns = schema.get("patternProperties")
    extra = schema.get("additionalProperties", True)
    if isinstance(patterns, dict) and patterns and extra is not False:
        values = [v for v in patterns.values() if isinstance(v, dict)]
        for value in values:
            _open_patterns_in(value)
        del schema["patternProperties"]
        schema["additionalProperties"] = (
            {"anyOf": [*values, extra]} if isinstance(extra, dict) and extra else {}
        )
    for key, value in schema.items():
        if key in SCHEMA_MAPS and isinstance(value, dict):
            for sub in value.values():
                _open_patterns_in(sub)
        elif key in SCHEMA_LISTS and isinstance(value, list):
            for sub in value:
                _open_patterns_in(sub)
        elif key in SCHEMA_VALUES:
            _open_patterns_in(value)


def _pattern_rules(
    props: dict[str, Any], classes: frozenset[str]
) -> dict[str, tuple[tuple[str, str], ...]]:
    """``{property: ((regex, value type), …)}`` for open ``patternProperties`` objects."""

    def ref_type(ref: str) -> str:
        name = ref.removeprefix("#/components/schemas/")
        return name if name in classes and ref != name else "Any"

    out: dict[str, tuple[tuple[str, str], ...]] = {}
    for prop, schema in props.items():
        if not isinstance(schema, dict) or schema.get("additionalProperties") is False:
            continue
        patterns = schema.get("patternProperties")
        if not isinstance(patterns, dict):
            continue
        checks = []
        for regex, value in patterns.items():
            if not _compiles(str(regex), "python-re"):
                continue  # the rule checks with Python's re: such a key pattern goes unchecked
            if isinstance(value, dict) and (is_simple(value) or "$ref" in value):
                tp = primitive_type(value, ref_type)
                if tp != "Any":
                    checks.append((str(regex), tp))
        if checks:
            out[prop] = tuple(checks)
    return out


def schema_rules(
    schemas: dict[str, Any],
    classes: frozenset[str],
    sources: dict[str, str] | None = None,
    *,
    openapi_31: bool = True,
) -> str:
    """Registrations for ``specfirst.runtime.base.constrain``, placed at the end of the models
    module, before its rebuild calls (:func:`before_rebuilds`).

    ``sources`` (class → the ``#/components/schemas/…`` schema it was made from, as
    datamodel-code-generator reports it) says which schema each class has its rules from: the
    classes made inside a component (an array's items, an inline property object; just-eat's
    ``RestaurantETAs`` items took ``restaurantId: null``), and a component whose class got
    another name (just-eat's ``location`` became ``LocationModel``, and its rules went to an
    inline ``Location`` class). Without them, a component's rules go to the class of its name.

    ``formats``: the properties (and a root model's ``root``) whose string values the runtime
    checks for their format (:func:`specfirst.schema_types.checked_format`; ``uuid`` only when
    ``openapi_31``).
    """
    prefix = "#/components/schemas/"
    found: dict[str, Any] = {}
    for cls, ref in (sources or {}).items():
        node = _at_path(schemas, ref.removeprefix(prefix).split("/"))
        if cls in classes and ref.startswith(prefix) and node is not None:
            found[cls] = node
    if not sources:
        found = {name: schemas[name] for name in schemas if name in classes}
    lines: list[str] = []
    for name in sorted(found):
        props, required = _own_properties(found[name])
        root_format = checked_format(found[name], openapi_31=openapi_31)
        root = [f"formats={{'root': {root_format!r}}}"] if root_format is not None else []
        if _one_of(found[name]):
            root.append("one_of={'root': 'value'}")
        if _unique_root(found[name]):
            root.append("unique=('root',)")
        if root:
            lines.append(f"constrain({name}, {', '.join(root)})")
        counted = _property_counts(found[name])
        if not props:
            if counted:
                lines.append(f"constrain({name}, properties={counted!r})")
            continue
        unique = [
            p for p, s in props.items() if isinstance(s, dict) and s.get("uniqueItems") is True
        ]
        not_null = [
            p
            for p, s in props.items()
            if p not in required
            and isinstance(s, dict)
            # a default the model drops (not of the declared type) leaves it None when absent
            and not default_of_its_type(s)[0]
            and _nullable(s, schemas) is False
        ]
        # optional, of an enum none of whose members is of its type: no value is valid
        no_value = [p for p, s in props.items() if p not in required and enum_admits_none(s)]
        # required, typed ``X | None`` (nullable) but refusing null all the same: an enum
        refuse_null = [
            p
            for p, s in props.items()
            if p in required and isinstance(s, dict) and _null_typed_enum(s)
        ]
        patterns = _pattern_rules(props, classes)
        formats = {
            p: fmt
            for p, s in props.items()
            if (fmt := checked_format(s, openapi_31=openapi_31)) is not None
        }
        one_of = {p: where for p, s in props.items() if (where := _one_of_site(s)) is not None}
        args = []
        if patterns:
            rendered = ", ".join(
                f"{prop!r}: ({''.join(f'({rx!r}, {tp}), ' for rx, tp in checks)})"
                for prop, checks in patterns.items()
            )
            args.append(f"patterns={{{rendered}}}")
        if unique:
            args.append(f"unique={tuple(unique)!r}")
        if not_null:
            args.append(f"not_null={tuple(not_null)!r}")
        if refuse_null:
            args.append(f"refuse_null={tuple(refuse_null)!r}")
        if no_value:
            args.append(f"no_value={tuple(no_value)!r}")
        if formats:
            args.append(f"formats={formats!r}")
        if one_of:
            args.append(f"one_of={one_of!r}")
        if counted:
            args.append(f"properties={counted!r}")
        if args:
            lines.append(f"constrain({name}, {', '.join(args)})")
    if not lines:
        return ""
    return (
        "\n\nfrom ._runtime.base import constrain  # noqa: E402\n\n"
        "# Schema rules pydantic has no field option for (see specfirst.runtime.base).\n"
        + "\n".join(lines)
        + "\n"
    )


def _unique_root(schema: Any) -> bool:
    """Whether ``schema`` is an array of ``uniqueItems``: a root model of a list, which a
    ``set`` would read by silently dropping duplicates."""
    return (
        isinstance(schema, dict)
        and schema.get("uniqueItems") is True
        and "array" in schema_types(schema)
    )


def _property_counts(schema: Any) -> tuple[int, int | None] | None:
    """``(minProperties, maxProperties)`` of an object schema that limits its number of keys
    (``None``: no most), or ``None`` when it does not."""
    if not isinstance(schema, dict):
        return None
    least, most = schema.get("minProperties", 0), schema.get("maxProperties")
    if not _count(least) or not (most is None or _count(most)):
        return None  # malformed: validation reports it
    return (least, most) if least > 0 or most is not None else None


def _count(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _one_of(schema: Any) -> bool:
    """Whether ``schema`` is a ``oneOf`` that pydantic's union would read as ``anyOf``: two
    members or more, and no discriminator (a tagged union takes one member by its tag)."""
    if not isinstance(schema, dict) or "discriminator" in schema:
        return False
    members = schema.get("oneOf")
    return isinstance(members, list) and len(members) > 1


def _one_of_site(schema: Any) -> str | None:
    """``"value"`` for a property that is such a ``oneOf`` (:func:`_one_of`), ``"items"`` for
    an array property whose items are one; ``None`` otherwise."""
    if _one_of(schema):
        return "value"
    if isinstance(schema, dict) and _one_of(schema.get("items")):
        return "items"
    return None


def _at_path(schemas: dict[str, Any], path: list[str]) -> Any:
    """The schema at ``path`` (JSON pointer parts, escaped) below ``components/schemas``."""
    node: Any = schemas
    for part in path:
        part = unquote(part).replace("~1", "/").replace("~0", "~")
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return None
    return node if isinstance(node, dict) else None


def _own_properties(schema: Any, depth: int = 0) -> tuple[dict[str, Any], set[str]]:
    """The properties a schema's class declares itself, and the names it requires: its own
    ``properties`` and those of its inline ``allOf`` members (datamodel-code-generator puts
    them in the class; a ``$ref`` member is a base class, with its own rules)."""
    if not isinstance(schema, dict) or depth > 20:
        return {}, set()
    props = schema.get("properties")
    own = {} if not isinstance(props, dict) else dict(props)
    required = {r for r in schema.get("required") or [] if isinstance(r, str)}
    members = schema.get("allOf")
    for member in members if isinstance(members, list) else []:
        if isinstance(member, dict) and "$ref" not in member:
            more, names = _own_properties(member, depth + 1)
            for prop, prop_schema in more.items():
                own.setdefault(prop, prop_schema)
            required |= names
    return own, required


_REBUILD = re.compile(r"[A-Za-z_]\w*\.model_rebuild\(\)")


def before_rebuilds(source: str, rules: str) -> str:
    """``source`` with ``rules`` (:func:`schema_rules`) placed before the ``X.model_rebuild()``
    calls that end it.

    Such a call (datamodel-code-generator's, for a self-referencing model) builds X's schema at
    once, with a copy of the schema of every model X embeds: a model whose rules were registered
    only afterwards would be embedded without them, and X would accept what they refuse.
    """
    if not rules:
        return source
    body = source.rstrip("\n")
    cut = end = len(body)  # where the trailing rebuild calls start; the line read ends
    while end > 0:
        start = body.rfind("\n", 0, end) + 1
        if not _REBUILD.fullmatch(body, start, end):
            break
        cut, end = start, start - 1
    if cut == len(body):
        return source + rules
    return body[:cut].rstrip("\n") + "\n" + rules + "\n" + body[cut:] + "\n"


def options_fingerprint() -> str:
    """datamodel-code-generator's version and our options: part of the models cache key."""
    from importlib.metadata import version

    return json.dumps(
        {"version": version("datamodel-code-generator"), "options": _OPTIONS}, sort_keys=True
    )
