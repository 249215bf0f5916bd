"""Services: operations grouped by tag, one ``<Tag>Service`` protocol and module each.

An operation belongs to the service of its first tag that groups (OpenAPI 3.2 label kinds
aside), or to ``default``. Services come in the order the document's ``tags`` list them, then
alphabetically. A tag's one name, ``Books``, is spelt the same way everywhere: module and
create_app argument ``books`` (the generated router's and the implementation's module),
protocol ``BooksService``, implementing class ``Books``. Where any spelling would collide (with
another tag's, with a name the generated package or the scaffolded implementation package
already uses), all of them get the same number: tag ``Security`` is ``security2``,
``Security2Service`` and ``Security2``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from specfirst import naming
from specfirst.ir import Operation, Service
from specfirst.parser.context import Context

# OpenAPI 3.2 tag kinds that label operations rather than group them (the registry's
# ``badge`` and ``audience``): they never become the service an operation belongs to.
_LABEL_KINDS = frozenset({"badge", "audience"})
# Names a service module (and create_app argument) must not take.
TAKEN_MODULES = frozenset(
    {
        "app",
        "models",
        "responses",
        "security",
        "services",
        "routers",
        "runtime",
        "errors",  # the generated error formats, the implementation's error hook
        # the scaffolded implementation package's own modules
        "main",
        "examples",
        # create_app's own parameters and locals: a tag must not shadow them
        "docs",
        "allow_unimplemented",
        "fastapi_options",
        "given",
        "providers",
        "handler",
        "handler_impl",
        "P",
        "missing",
        "undeclared_problems",
        "lazy_routes",
        "lazy",
        "setattr",
        "tuple",
        "create_app",
        "annotations",
        # names app.py imports: an argument of create_app must not shadow them
        "provider",
        "resolve",
        "add_routers",
        "serve_spec",
        "install_error_handlers",
        "hook_problems",
    }
)
# Names an implementing class (``Books``) must not take: the classes the scaffolded
# implementation package defines beside it (``security.py``, ``errors.py``, ``examples.py``) and
# the names its ``main.py`` and tag modules bind (see ``scaffold/*.py.jinja``).
TAKEN_CLASSES = frozenset(
    {
        "Security",
        "Principal",
        "Errors",
        "PreferMiddleware",
        "PRODUCTION",
        "AsyncIterator",
        "Any",
        "Literal",
        "NotImplementedOperation",
        "Problem",
    }
)


class Tags(NamedTuple):
    """The tags the document lists, in its order."""

    descriptions: dict[str, str | None]  # name -> description
    info: dict[str, tuple[str | None, str | None]]  # name -> (parent, kind)


def read_tags(ctx: Context) -> Tags:
    return document_tags(ctx.doc)


def document_tags(doc: Mapping[str, Any]) -> Tags:
    """The tags ``doc`` lists (a bundled document)."""
    descriptions: dict[str, str | None] = {}
    info: dict[str, tuple[str | None, str | None]] = {}
    for tag in doc.get("tags") or []:
        if isinstance(tag, Mapping) and isinstance(tag.get("name"), str):
            descriptions[tag["name"]] = (
                tag.get("description") if isinstance(tag.get("description"), str) else None
            )
            info[tag["name"]] = (
                tag.get("parent") if isinstance(tag.get("parent"), str) else None,
                tag.get("kind") if isinstance(tag.get("kind"), str) else None,
            )
    return Tags(descriptions, info)


def service_tag(tags: Any, info: Mapping[str, tuple[str | None, str | None]]) -> str:
    """The tag whose service holds an operation: its first tag that groups (not a label)."""
    names = [str(t) for t in tags] if isinstance(tags, list) else []
    for name in names:
        if info.get(name, (None, None))[1] not in _LABEL_KINDS:
            return name
    return names[0] if names else "default"


def service_rank(tag: str, tags: Tags) -> tuple[int, str]:
    """Where the service of ``tag`` comes among the services: the document's ``tags`` order,
    then by name. The app tries the routes of the services in this order."""
    listed = list(tags.descriptions)
    return (listed.index(tag) if tag in listed else len(listed), tag)


def group_services(operations: Mapping[str, list[Operation]], tags: Tags) -> list[Service]:
    """One service per tag of ``operations`` (tag -> its operations, in document order)."""
    descriptions = tags.descriptions
    taken = _Taken(set(TAKEN_MODULES), set(TAKEN_CLASSES), set())
    built: list[Service] = []
    for tag in sorted(operations, key=lambda t: service_rank(t, tags)):
        module, class_name = taken.names(tag)
        parent, kind = tags.info.get(tag, (None, None))
        built.append(
            Service(
                tag,
                class_name,
                module,
                descriptions.get(tag),
                tuple(operations[tag]),
                parent=parent,
                kind=kind,
            )
        )
    return built


class _Taken(NamedTuple):
    """The names the services so far (and the packages) took."""

    modules: set[str]  # module and create_app argument: ``books``
    bases: set[str]  # implementing class: ``Books``
    classes: set[str]  # generated protocols: ``BooksService``, ``UnimplementedBooksService``

    def names(self, tag: str) -> tuple[str, str]:
        """``tag``'s module and protocol class, numbered alike where either collides."""
        module, base = naming.snake(tag), naming.pascal(tag)
        n = 1
        while True:
            suffix = "" if n == 1 else str(n)
            m, b = module + suffix, base + suffix
            classes = {f"{b}Service", f"Unimplemented{b}Service"}
            if m not in self.modules and b not in self.bases and not classes & self.classes:
                break
            n += 1
        self.modules.add(m)
        self.bases.add(b)
        self.classes.update(classes)
        return m, f"{b}Service"
