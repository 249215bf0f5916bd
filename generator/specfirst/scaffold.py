"""Implementation stubs, written once and never overwritten.

The implementation package (``[tool.specfirst] implementation``) follows one convention: a
module per tag, named like the generated router (``books.py``), holding a class named after
the tag (``Books``) that implements the tag's protocol (``BooksService``); ``security.py``
holds ``Security`` and ``Principal``; ``errors.py`` holds ``Errors``, which builds the error
bodies the spec declares (where they are not problem+json); ``main.py`` builds the app.

``scaffold`` writes what is missing: whole modules for new tags, and a stub method (answering
501 until it is written) appended to the class for every operation the class lacks. With
``stubs="examples"`` each stub instead answers the operation's first declared success from the
spec's examples (or data synthesized from the schema), through ``examples.py`` and the data in
``examples.json`` (:mod:`specfirst.examples`): the project is a working mock from the start. Existing
code is never rewritten: stubs are inserted after the class's last line, and only imports the
stubs need and the module lacks are added. An operation that is a renamed one the class has
a method for gets no stub: the plan says what to rename (:mod:`specfirst.renames`).
"""

from __future__ import annotations

import ast
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from specfirst.examples.table import Table as ExampleTable
from specfirst.examples.table import build_table, success_response
from specfirst.ir import Api, BodyKind, Operation, Response, Service
from specfirst.renames import Known, Rename, find_rename, moved_arguments
from specfirst.render import Renderer

# What stub annotations may reference, and the import line that provides each name.
_IMPORTS = {
    "AsyncIterator": "from collections.abc import AsyncIterator",
    "datetime": "import datetime",
    "uuid": "import uuid",
    "Any": "from typing import Any",
    "Literal": "from typing import Literal",
}


def fill_type(py_type: str) -> str:
    """What a scaffolded error method passes to ``fill``: the type, or a union's first member."""
    depth = 0
    for index, ch in enumerate(py_type):
        depth += (ch == "[") - (ch == "]")
        if ch == "|" and depth == 0:
            return py_type[:index].strip()
    return py_type


def impl_class(service_class: str) -> str:
    """``BooksService`` → ``Books``: the implementing class's conventional name."""
    return service_class.removesuffix("Service") or service_class


@dataclass
class Plan:
    """What ``scaffold`` would write: new files, and stubs appended to existing classes."""

    new_files: dict[Path, str] = field(default_factory=dict)
    appended: dict[Path, list[str]] = field(default_factory=dict)  # file → operationIds
    sources: dict[Path, str] = field(default_factory=dict)  # file → its new text
    missing_classes: list[tuple[Path, str]] = field(default_factory=list)
    renamed: dict[Path, list[Rename]] = field(default_factory=dict)  # no stub for these

    @property
    def empty(self) -> bool:
        return not (self.new_files or self.appended or self.renamed)

    def describe(self, root: Path) -> list[str]:
        lines = [f"{_rel(path, root)}: new" for path in sorted(self.new_files)]
        lines += [
            f"{_rel(path, root)}: {len(ops)} missing method(s): {', '.join(ops)}"
            for path, ops in sorted(self.appended.items())
        ]
        lines += [
            f"{_rel(path, root)}: no class {name}: add it (or move yours there) by hand"
            for path, name in self.missing_classes
        ]
        lines += [
            rename.describe(_rel(path, root))
            for path, renames in sorted(self.renamed.items())
            for rename in renames
        ]
        return lines


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


Stubs = Literal["501", "examples"]
"""What a stub does: answer 501 until written, or answer the spec's examples."""


class Scaffolder:
    """Plans and writes the implementation package's stubs for ``api``.

    ``stubs="examples"`` needs the bundled ``document`` (the IR holds no examples).
    ``dev_name`` names the development credential (``<DEV_NAME>_DEV_CREDENTIAL``, default
    ``<dev_name>-development-only``); it defaults to the implementation package's name."""

    def __init__(
        self,
        api: Api,
        package: str,
        implementation: Path,
        known: Sequence[Known] = (),
        *,
        stubs: Stubs = "501",
        document: Mapping[str, Any] | None = None,
        dev_name: str | None = None,
    ) -> None:
        self.api = api
        self.known = known  # operations as earlier generations named them (renames)
        self.package = package
        self.folder = implementation
        self.module = implementation.name
        self.dev_name = dev_name or self.module
        self.stubs = stubs
        self.table: ExampleTable | None = None
        if stubs == "examples":
            if document is None:
                raise ValueError("example stubs need the spec's document")
            self.table = build_table(api, document)
        self.renderer = Renderer(api, "")
        filters = self.renderer.env.filters
        filters["impl_class"] = impl_class
        filters["fill_type"] = fill_type
        filters["success_response"] = success_response
        filters["example_fields"] = example_fields
        filters["no_success"] = no_success

    def _render(self, template: str, **context: object) -> str:
        return self.renderer.env.get_template(f"scaffold/{template}").render(
            api=self.api,
            package=self.package,
            implementation=self.module,
            env_prefix=self.dev_name.upper(),
            dev_name=self.dev_name,
            scopes=self._scopes(),
            examples=self.stubs == "examples",
            **context,
        )

    @property
    def stub_macro(self) -> str:
        return "example_stub" if self.stubs == "examples" else "stub"

    def _scopes(self) -> list[str]:
        """Every scope the spec declares: its OAuth2 flows' and its requirements'."""
        found = {scope for scheme in self.api.schemes for scope in scheme.scopes}
        found.update(
            scope
            for op in self.api.operations
            for requirement in op.security
            for use in requirement.uses
            for scope in use.scopes
        )
        return sorted(found)

    def plan(self, *, whole_package: bool = True) -> Plan:
        """What is missing. ``whole_package=False`` looks only at tag modules that exist
        (``specfirst generate`` uses that to report, so a project that does not follow the
        convention is not told about modules it does not want)."""
        plan = Plan()
        if whole_package:
            for name, template in (
                ("__init__.py", None),
                ("security.py", "security.py.jinja"),
                ("main.py", "main.py.jinja"),
                *((("errors.py", "errors.py.jinja"),) if self.api.error_models else ()),
                *((("examples.py", "examples.py.jinja"),) if self.table else ()),
            ):
                path = self.folder / name
                if not path.exists():
                    plan.new_files[path] = (
                        self._render(template)
                        if template
                        else f'"""The implementation of {self.api.title}."""\n'
                    )
        for service in self.api.services:
            path = self.folder / f"{service.module}.py"
            if not path.exists():
                if whole_package:
                    plan.new_files[path] = self._render(
                        "service.py.jinja",
                        service=service,
                        class_name=impl_class(service.class_name),
                    )
                continue
            self._plan_append(plan, path, service)
        errors = self.folder / "errors.py"
        if self.api.error_models and errors.exists():
            self._plan_error_methods(plan, errors)
        if self.table is not None:
            self._plan_example_data(plan, self.folder / "examples.json")
        return plan

    def _plan_example_data(self, plan: Plan, path: Path) -> None:
        """``examples.json``: new, or the answers of operations it lacks added (those it
        has, perhaps edited, are kept)."""
        assert self.table is not None
        if not path.exists():
            plan.new_files[path] = self.table.to_json()
            return
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            return  # not ours to repair: the stubs' first request says what is wrong
        if not isinstance(data, dict):
            return
        added = [op for op in self.table.answers if op not in data]
        if added:
            new = json.loads(self.table.to_json())
            data.update({op: new[op] for op in added})
            plan.appended[path] = added
            plan.sources[path] = json.dumps(data, indent=1, ensure_ascii=False) + "\n"

    def _plan_error_methods(self, plan: Plan, path: Path) -> None:
        """Append a ``fill`` method to ``Errors`` for each error body the spec added."""
        source = path.read_text(encoding="utf-8")
        try:
            tree = ast.parse(source)
        except SyntaxError:
            return
        cls = next(
            (n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Errors"), None
        )
        if cls is None:
            return  # not the scaffold's layout: mypy says what create_app(errors=...) lacks
        have = {n.name for n in cls.body if isinstance(n, ast.FunctionDef)}
        missing = [m for m in self.api.error_models if m.method not in have]
        if missing:
            plan.appended[path] = [f"Errors.{m.method}" for m in missing]
            template = self.renderer.env.from_string(
                '{% import "scaffold/macros.jinja" as m %}{{ m.error_method(model) }}\n'
            )
            stubs = "".join("\n" + template.render(model=model) for model in missing)
            plan.sources[path] = self._insert(source, tree, cls, stubs)

    def _plan_append(self, plan: Plan, path: Path, service: Service) -> None:
        source = path.read_text(encoding="utf-8")
        try:
            tree = ast.parse(source)
        except SyntaxError:
            return  # mypy and the app's start-up check will say what is wrong
        name = impl_class(service.class_name)
        cls = next((n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == name), None)
        if cls is None:
            plan.missing_classes.append((path, name))
            return
        methods = {
            n.name: [a.arg for a in (*n.args.args, *n.args.kwonlyargs)]
            for n in cls.body
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        named = {op.py_name for op in service.operations}
        orphans = {n: a for n, a in methods.items() if n not in named and not n.startswith("_")}
        missing: list[Operation] = []
        renamed: list[Rename] = []
        for op in service.operations:
            if op.py_name in methods:
                rename = moved_arguments(op, methods[op.py_name], self.known)
            else:
                rename = find_rename(op, orphans, self.known)
                if rename is None:
                    missing.append(op)
                else:
                    orphans.pop(rename.old.py_name)
            if rename is not None:
                renamed.append(rename)
        if renamed:
            plan.renamed[path] = renamed
        if not missing:
            return
        plan.appended[path] = [op.operation_id for op in missing]
        plan.sources[path] = self._append(source, tree, cls, missing)

    def _append(
        self, source: str, tree: ast.Module, cls: ast.ClassDef, ops: list[Operation]
    ) -> str:
        template = self.renderer.env.from_string(
            '{% import "scaffold/macros.jinja" as m %}{{ m.'
            + self.stub_macro
            + '(op, "Principal") }}\n'
        )
        stubs = "".join("\n" + template.render(op=op) for op in ops)
        return self._insert(source, tree, cls, stubs)

    def _insert(self, source: str, tree: ast.Module, cls: ast.ClassDef, stubs: str) -> str:
        """``source`` with the methods ``stubs`` after ``cls``'s last line, imports added."""
        from specfirst.pipeline import format_sources

        # formatted as the body of a class, then inserted without it
        formatted = format_sources({"stubs.py": "class _S:\n" + stubs})["stubs.py"]
        stubs = "\n" + formatted.split("\n", 1)[1].lstrip("\n")
        lines = source.splitlines(keepends=True)
        end = cls.end_lineno or len(lines)
        if lines and not lines[end - 1].endswith("\n"):
            lines[end - 1] += "\n"
        lines[end:end] = [stubs]
        imports = self._missing_imports(tree, stubs)
        if imports:
            at = max(
                (
                    n.end_lineno or 0
                    for n in tree.body
                    if isinstance(n, ast.Import | ast.ImportFrom)
                ),
                default=0,
            )
            lines[at:at] = [line + "\n" for line in imports]
        return "".join(lines)

    def _missing_imports(self, tree: ast.Module, stubs: str) -> list[str]:
        bound: set[str] = set()
        for node in tree.body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                bound.update((a.asname or a.name).split(".")[0] for a in node.names)
            elif isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                bound.add(node.name)
        used = {n.id for n in ast.walk(ast.parse("class _S:\n" + stubs)) if isinstance(n, ast.Name)}
        wanted = {
            **_IMPORTS,
            "models": f"from {self.package} import models",
            "responses": f"from {self.package} import responses",
            "NotImplementedOperation": f"from {self.package} import NotImplementedOperation",
            "examples": f"from {self.module} import examples",
            "Principal": f"from {self.module}.security import Principal",
            "Problem": f"from {self.package}.errors import Problem",
            "fill": f"from {self.package}.errors import fill",
        }
        return sorted(line for name, line in wanted.items() if name in used - bound)

    def write(self, plan: Plan) -> list[Path]:
        """Write the plan; new files are formatted, existing ones only get their stubs."""
        from specfirst.pipeline import format_sources

        written: list[Path] = []
        if plan.new_files:
            names = {path: path.relative_to(self.folder).as_posix() for path in plan.new_files}
            formatted = format_sources(
                {names[p]: text for p, text in plan.new_files.items() if p.suffix == ".py"}
            )
            for path, rel in names.items():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(formatted.get(rel, plan.new_files[path]), encoding="utf-8")
                written.append(path)
        for path, text in plan.sources.items():
            path.write_text(text, encoding="utf-8")
            written.append(path)
        return written


def no_success(op: Operation) -> str:
    """Why the example stub of an operation that declares no success answers 501 (what
    ``NotImplementedOperation`` says after the operationId)."""
    statuses = ", ".join(r.status for r in op.responses) or "none"
    return f"declares no success response for an example stub to answer (only {statuses})"


def example_fields(response: Response) -> str:
    """The keyword arguments an example stub builds ``response``'s result class with, from
    the ``answer`` of ``examples.answer``."""
    headers = {h.py_name: h for h in response.headers}
    args: list[str] = []
    for name, _annotation, _default in Renderer._result_fields(response):
        if name == "status_code":
            args.append("status_code=answer.code")
        elif name == "body":
            if response.stream is not None:
                args.append(f"body=answer.items({response.item_type})")
            elif response.kind is BodyKind.TEXT:
                args.append("body=answer.text()")
            elif response.kind is BodyKind.BINARY:
                args.append("body=answer.binary()")
            else:
                args.append(f"body=answer.body({response.py_type or 'Any'})")
        elif name in headers:
            header = headers[name]
            args.append(f"{name}=answer.header({header.name!r}, {header.py_type})")
    return ", ".join(args)
