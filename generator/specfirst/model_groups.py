"""The models module of a big API split into groups by the tags whose operations use them.

Importing one ``models.py`` of GitHub's API means pydantic creating 4,745 classes (about 4 s),
whatever the request needs. Here the finished models source (``specfirst.models``; how it is
produced is not this module's business) is cut into one module per *set of tags* that reach a
class: a class goes to the group of exactly the tags whose operations reference it, directly
or through other classes. A tag's router then imports only the groups holding its tag.

No import circles: if class A references class B, every tag that reaches A reaches B, so
B's group is A's or one for strictly more tags; references only point to larger tag sets.
Classes in the same group keep the order they had in the single module (base classes and
enum defaults come first), and each group imports what it references from the others.

``models`` stays one name for users: ``models/__init__.py`` re-exports every class for type
checkers and IDEs (``if TYPE_CHECKING: from ._tag_pets import Pet as Pet``) and imports a
group on first attribute access at run time (a module ``__getattr__``, PEP 562).

Small APIs keep one module: below :data:`MIN_CLASSES` classes the whole module imports in a
fraction of a second, and a split would only scatter it.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from specfirst import cachedir

if TYPE_CHECKING:
    from specfirst.render import Renderer

# Below this many classes (or with fewer than two tags) ``models.py`` stays one module.
# Pydantic creates about 1,000 deferred-build classes a second: 300 cost about 0.3 s.
MIN_CLASSES = 300

_MODEL_REF = re.compile(r"\bmodels\.([A-Za-z_]\w*)")
_WORD = re.compile(r"[A-Za-z_]\w*")
OTHER = "_other"  # classes no tag's operation reaches (webhooks, unused components)


def referenced_models(texts: Iterable[str]) -> frozenset[str]:
    """The names ``models.X`` that generated source text refers to."""
    return frozenset(m.group(1) for text in texts for m in _MODEL_REF.finditer(text))


class _Annotation(NamedTuple):
    """An annotation of a definition, as :func:`_annotations` records it: its place in the
    definition's text (lines from 1, columns in UTF-8 bytes), the names it uses, and whether
    one of them is bound before it in the class body."""

    line: int
    col: int
    end_line: int
    end_col: int
    names: frozenset[str]
    bound: bool

    @classmethod
    def read(cls, value: object) -> _Annotation:
        """From its JSON form in a :data:`Statement`."""
        assert isinstance(value, list) and len(value) == 6
        line, col, end_line, end_col, names, bound = value
        assert isinstance(names, list)
        return cls(int(line), int(col), int(end_line), int(end_col), frozenset(names), bool(bound))


@dataclass(frozen=True)
class _Definition:
    name: str
    text: str
    uses: frozenset[str]
    bases: tuple[str, ...] = ()
    annotations: tuple[_Annotation, ...] = ()


@dataclass(frozen=True)
class Split:
    """The files replacing ``models.py`` (relative to the package), and each class's group."""

    files: dict[str, str]
    module_of: dict[str, str]


def split_models(
    source: str,
    roots: Mapping[str, frozenset[str]],
    header: str,
    *,
    min_classes: int | None = None,
    memo: dict[str, list[Statement]] | None = None,
    annotated: dict[str, str] | None = None,
) -> Split | None:
    """``models.py``'s source cut into groups, or None when it stays one module.

    ``roots``: per tag (its router module's name), the classes its generated code names.
    None too when the source holds a statement this split does not know how to place (it is
    then served whole, as before). ``memo``: see :func:`_parse`. ``annotated``: each class's
    source as a group writes it (:func:`_quoted`), by :func:`_annotated_key`;
    read, then left holding this source's classes only.
    """
    threshold = MIN_CLASSES if min_classes is None else min_classes
    if not _worth_splitting(source, len(roots), threshold):
        return None
    parsed = _parse(source, memo)
    if parsed is None:
        return None
    imports, definitions, tails = parsed
    by_name = {d.name: d for d in definitions}
    tail_uses: dict[str, set[str]] = {}
    for owner, _text, uses in tails:
        tail_uses.setdefault(owner, set()).update(uses)
    deps = {
        d.name: sorted((d.uses | tail_uses.get(d.name, set())) & by_name.keys())
        for d in definitions
    }
    # Pydantic resolves the annotations a class inherits in the subclass's module: a group
    # imports what its classes' base classes (in other groups too) reference.
    inherited: dict[str, set[str]] = {}

    def needs(name: str) -> set[str]:
        if name not in inherited:
            inherited[name] = set()
            found = set(by_name[name].uses) | tail_uses.get(name, set())
            for base in by_name[name].bases:
                if base in by_name:
                    found |= needs(base)
            inherited[name] = found
        return inherited[name]

    for definition in definitions:
        needs(definition.name)
    tags_of: dict[str, set[str]] = {name: set() for name in by_name}
    for tag in sorted(roots):
        stack = [n for n in sorted(roots[tag]) if n in by_name]
        while stack:
            name = stack.pop()
            if tag in tags_of[name]:
                continue
            tags_of[name].add(tag)
            stack.extend(n for n in deps[name] if tag not in tags_of[n])
    module_of = {name: _group_name(frozenset(tags)) for name, tags in tags_of.items()}
    members: dict[str, list[_Definition]] = {}
    for definition in definitions:
        members.setdefault(module_of[definition.name], []).append(definition)
    files: dict[str, str] = {}
    known = annotated if annotated is not None else {}
    now: dict[str, str] = {}
    for module, group in sorted(members.items()):
        files[f"models/{module}.py"] = _group_source(
            header, module, group, imports, tails, deps, inherited, module_of, tags_of, (known, now)
        )
    if annotated is not None:
        annotated.clear()
        annotated.update(now)
    package = lazy_package(
        header,
        "The API's models, one module per group of tags that use them, each imported on first\n"
        "use: ``models.Pet`` imports the group defining ``Pet`` (and the groups it references),\n"
        "so a request to one tag creates only the classes its operations reach.\n",
        {module: [d.name for d in group] for module, group in members.items()},
    )
    files.update((f"models/{name}", text) for name, text in package.items())
    return Split(files, module_of)


def _worth_splitting(source: str, tags: int, threshold: int) -> bool:
    """Enough classes and tags to split (counted without parsing: small specs pay nothing)."""
    return tags >= 2 and source.count("\nclass ") >= threshold


def _group_name(tags: frozenset[str]) -> str:
    if not tags:
        return OTHER
    if len(tags) == 1:
        return f"_tag_{next(iter(tags))}"
    digest = hashlib.sha256("\n".join(sorted(tags)).encode()).hexdigest()[:10]
    return f"_shared_{digest}"


def _names(node: ast.AST) -> frozenset[str]:
    """Every name ``node`` uses, forward references in string annotations included.

    A string counts only where it can be a type (not in a call's arguments, such as a
    ``Field`` description, nor in ``Literal[...]``), so prose naming a class adds no edge.
    """
    found: set[str] = set()

    def visit(sub: ast.AST, typed: bool) -> None:
        if isinstance(sub, ast.Name):
            found.add(sub.id)
        elif isinstance(sub, ast.Constant):
            if typed and isinstance(sub.value, str):
                found.update(_WORD.findall(sub.value))
            return
        elif isinstance(sub, ast.Call):
            visit(sub.func, False)
            for arg in [*sub.args, *(k.value for k in sub.keywords)]:
                visit(arg, False)
            return
        elif isinstance(sub, ast.AnnAssign):
            visit(sub.annotation, True)
            if sub.value is not None:
                visit(sub.value, False)
            return
        elif isinstance(sub, ast.Subscript):
            visit(sub.value, typed)
            head = sub.value
            literal = (isinstance(head, ast.Name) and head.id == "Literal") or (
                isinstance(head, ast.Attribute) and head.attr == "Literal"
            )
            visit(sub.slice, typed and not literal)
            return
        for child in ast.iter_child_nodes(sub):
            visit(child, typed)

    visit(node, False)
    return frozenset(found)


Statement = list[object]
"""What :func:`_statements` reads of one top-level statement (JSON, for the memo):
``["import", text]``, ``["def", name, text, uses, bases, annotations]``, ``["tail", owner,
text, uses]``, or ``["other"]`` for a statement the split cannot place."""


def _parse(
    source: str, memo: dict[str, list[Statement]] | None = None
) -> tuple[list[str], list[_Definition], list[tuple[str, str, frozenset[str]]]] | None:
    """(import statements, definitions in order, trailing calls on a class) or None.

    ``memo``: what each chunk of the source (a top-level statement, as :func:`_chunks` cuts
    it) was read as, by the chunk's digest; read, then left holding this source's chunks
    only, so that after an edit only the statements that changed are parsed again. Without
    it, or when a chunk does not parse alone, the whole source is parsed at once.
    """
    statements: list[Statement] | None = None
    if memo is not None:
        statements = []
        now: dict[str, list[Statement]] = {}
        for chunk in _chunks(source):
            key = hashlib.sha256(chunk.encode("utf-8")).hexdigest()
            found = memo.get(key)
            if found is None:
                try:
                    found = _statements(chunk)
                except SyntaxError:  # not cut at a statement's bounds: parse it whole
                    statements = None
                    break
            now[key] = found
            statements.extend(found)
        memo.clear()
        memo.update(now)
    if statements is None:
        statements = _statements(source)
    imports: list[str] = []
    definitions: list[_Definition] = []
    tails: list[tuple[str, str, frozenset[str]]] = []
    defined: set[str] = set()
    for kind, *fields in statements:
        if kind == "import":
            imports.append(str(fields[0]))
        elif kind == "def":
            name, text, uses, bases, annotations = fields
            assert isinstance(uses, list) and isinstance(bases, list)
            assert isinstance(annotations, list)
            definitions.append(
                _Definition(
                    str(name),
                    str(text),
                    frozenset(uses),
                    tuple(bases),
                    tuple(_Annotation.read(a) for a in annotations),
                )
            )
            defined.add(str(name))
        elif kind == "tail" and fields[0] in defined:
            owner, text, uses = fields
            assert isinstance(uses, list)
            tails.append((str(owner), str(text), frozenset(uses)))
        else:
            return None
    return imports, definitions, tails


def _chunks(source: str) -> list[str]:
    """The source cut before each line that starts at its first column (but for closing
    brackets and what follows a decorator): one top-level statement each, in the modules
    datamodel-code-generator writes. A cut inside a multi-line string makes a chunk that
    does not parse alone (an unterminated string), which :func:`_parse` notices."""
    chunks: list[str] = []
    current: list[str] = []
    for line in source.splitlines(keepends=True):
        if (
            current
            and line[:1] not in ("", " ", "\t", "\n", "\r", ")", "]", "}")
            and not current[-1].startswith("@")
        ):
            chunks.append("".join(current))
            current = []
        current.append(line)
    if current:
        chunks.append("".join(current))
    return chunks


def _statements(source: str) -> list[Statement]:
    """What :func:`_parse` reads of each top-level statement of ``source``."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)

    def first(node: ast.stmt) -> int:
        decorators: list[ast.expr] = getattr(node, "decorator_list", [])
        return min([node.lineno, *(d.lineno for d in decorators)])

    def text(node: ast.stmt) -> str:
        return "".join(lines[first(node) - 1 : node.end_lineno or node.lineno])

    def annotations(index: int) -> list[list[object]]:
        """:func:`_annotations` of the statement, read from its text alone as a group reads
        it: none when it shares a line with another statement (its text then holds both)."""
        node = tree.body[index]
        start, end = first(node), node.end_lineno or node.lineno
        before = tree.body[index - 1] if index else None
        after = tree.body[index + 1] if index + 1 < len(tree.body) else None
        if (before is not None and (before.end_lineno or before.lineno) >= start) or (
            after is not None and first(after) <= end
        ):
            return []
        return _annotations(node, start - 1)

    out: list[Statement] = []
    for index, node in enumerate(tree.body):
        if isinstance(node, ast.ImportFrom | ast.Import):
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                continue
            out.append(["import", text(node).strip()])
        elif isinstance(node, ast.ClassDef):
            bases = [b.id for b in node.bases if isinstance(b, ast.Name)]
            out.append(
                ["def", node.name, text(node), sorted(_names(node)), bases, annotations(index)]
            )
        elif (
            isinstance(node, ast.Assign | ast.AnnAssign)
            and len(targets := node.targets if isinstance(node, ast.Assign) else [node.target]) == 1
            and isinstance(targets[0], ast.Name)
        ):
            out.append(
                ["def", targets[0].id, text(node), sorted(_names(node)), [], annotations(index)]
            )
        elif isinstance(node, ast.Expr) and _is_rebuild(node.value):
            # ``X.model_rebuild()``, which datamodel-code-generator writes for forward
            # references, builds X's validator at import, defeating ``defer_build``; across
            # groups each such build inlines what it reaches (Microsoft Graph's ran out of
            # memory). Left out: pydantic rebuilds a model on its first use by itself.
            continue
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            owner = _call_owner(node.value)
            out.append(
                ["other"] if owner is None else ["tail", owner, text(node), sorted(_names(node))]
            )
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # a module docstring
        else:
            out.append(["other"])
    return out


def _is_rebuild(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "model_rebuild"
        and not node.args
        and not node.keywords
    )


def _group_import(statement: str, keep: set[str]) -> str:
    """One of the models' imports as a group writes it: one package level deeper, and
    ``X as X`` for a name only inherited annotations use (so that ruff keeps it)."""
    node = ast.parse(statement).body[0]
    if not isinstance(node, ast.ImportFrom):
        return statement
    module = "." * (node.level + 1 if node.level else 0) + (node.module or "")
    names = []
    for alias in node.names:
        bound = alias.asname or alias.name
        if bound in keep:
            names.append(f"{alias.name} as {bound}")
        else:
            names.append(alias.name if alias.asname is None else f"{alias.name} as {bound}")
    line = f"from {module} import {', '.join(names)}"
    odd = any(a.asname not in (None, a.name) and a.asname in keep for a in node.names)
    # a kept name under another alias is no re-export to ruff: say it is meant
    return f"{line}  # noqa: F401" if odd else line


def _call_owner(call: ast.Call) -> str | None:
    """The class a trailing call is about: ``constrain(Pet, …)`` or ``Pet.model_rebuild()``."""
    if isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name):
        return call.func.value.id
    if call.args and isinstance(call.args[0], ast.Name):
        return call.args[0].id
    return None


def _group_source(
    header: str,
    module: str,
    group: list[_Definition],
    imports: list[str],
    tails: list[tuple[str, str, frozenset[str]]],
    deps: dict[str, list[str]],
    inherited: dict[str, set[str]],
    module_of: dict[str, str],
    tags_of: dict[str, set[str]],
    annotated: tuple[dict[str, str], dict[str, str]],
) -> str:
    names = {d.name for d in group}
    tags = sorted(tags_of[group[0].name])
    if not tags:
        purpose = "Models no tag's operations reach (webhooks, callbacks, unused schemas)."
    else:
        purpose = "Models used by the operations of " + (
            f"the tag module {tags[0]!r}."
            if len(tags) == 1
            else f"{len(tags)} tags: {', '.join(tags)}."
        )
    wanted: dict[str, set[str]] = {}
    direct = {n for d in group for n in d.uses} | {
        n for owner, _t, uses in tails if owner in names for n in uses
    }
    needed = {n for d in group for n in inherited[d.name]}
    for name in sorted(needed):
        if name in module_of and name not in names:
            wanted.setdefault(module_of[name], set()).add(name)
    # what only inherited annotations use stays imported: ``X as X`` tells ruff it is meant
    keep = sorted(needed - direct - names)
    out = [header, f'"""{purpose}"""', ""]
    out += [_group_import(statement, set(keep)) for statement in imports]
    for other in sorted(wanted):
        plain = sorted(n for n in wanted[other] if n not in keep)
        if plain:
            out.append(f"from .{other} import {', '.join(plain)}")
        for n in sorted(n for n in wanted[other] if n in keep):
            out.append(f"from .{other} import {n} as {n}")
    out.append("")
    later = {d.name for d in group}
    known, now = annotated
    for definition in group:  # each class may reference itself and the classes after it
        key = _annotated_key(definition, later)
        text = known.get(key)
        if text is None:
            text = _quoted(definition.text, definition.annotations, later)
        now[key] = text
        out.append("\n" + text)
        later.discard(definition.name)
    own_tails = [t for owner, t, _uses in tails if owner in names]
    if own_tails:
        out.append("")
        out += own_tails
    return "\n".join(out).rstrip("\n") + "\n"


def _annotated_key(definition: _Definition, later: set[str]) -> str:
    """What :func:`_quoted` reads: the definition's source and which of the
    names it uses are defined later (its annotations' names are among ``uses``, which holds
    every name the statement's tree holds)."""
    given = json.dumps([definition.text, sorted(definition.uses & later)])
    return hashlib.sha256(given.encode("utf-8", "surrogatepass")).hexdigest()


def _annotations(node: ast.stmt, offset: int) -> list[list[object]]:
    """The annotations of a top-level definition :func:`_quoted` may quote, in the JSON form
    of :class:`_Annotation` (``offset``: the line before the definition's text in the source
    ``node`` was parsed from): read while the models are parsed, so that no group parses a
    definition's text again."""
    found: list[list[object]] = []
    bound: set[str] = set()

    def check(annotation: ast.expr | None) -> None:
        if annotation is None:
            return
        used = {n.id for n in ast.walk(annotation) if isinstance(n, ast.Name)}
        found.append(
            [
                annotation.lineno - offset,
                annotation.col_offset,
                (annotation.end_lineno or annotation.lineno) - offset,
                annotation.end_col_offset or 0,
                sorted(used),
                bool(used & bound),
            ]
        )

    if isinstance(node, ast.AnnAssign):
        check(node.annotation)
    elif isinstance(node, ast.ClassDef):
        for statement in node.body:
            if isinstance(statement, ast.AnnAssign):
                if statement.value is not None:  # assigned before its annotation is evaluated
                    bound.update(
                        n.id for n in ast.walk(statement.target) if isinstance(n, ast.Name)
                    )
                check(statement.annotation)
            elif isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
                arguments = statement.args
                for argument in [
                    *arguments.posonlyargs,
                    *arguments.args,
                    *arguments.kwonlyargs,
                    *(a for a in (arguments.vararg, arguments.kwarg) if a is not None),
                ]:
                    check(argument.annotation)
                check(statement.returns)
                bound.add(statement.name)
            elif isinstance(statement, ast.ClassDef):
                bound.add(statement.name)
            else:
                for sub in ast.walk(statement):
                    if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                        bound.add(sub.id)
    return found


def _quoted(text: str, annotations: Iterable[_Annotation], later: set[str]) -> str:
    """A definition's source for a group module, which has no ``from __future__ import
    annotations``: its annotations are then evaluated once by the interpreter when the class
    is created, instead of each being compiled and evaluated from a string by pydantic (most
    of creating a class). An annotation that cannot be evaluated there stays a string, as
    every annotation was: one naming a class defined later in the module (``later``: a
    forward reference, the class itself included) or a name the class body has bound before
    it (a field named like a type with a default, ``date: date | None = None``: the default
    is assigned before the annotation is evaluated).
    """
    quoted = [a for a in annotations if a.bound or not later.isdisjoint(a.names)]
    if not quoted:
        return text
    lines = [line.encode() for line in text.splitlines(keepends=True)]
    for annotation in sorted(quoted, key=lambda a: (a.line, a.col), reverse=True):
        start, end = annotation.line - 1, annotation.end_line - 1
        head, tail = lines[start][: annotation.col], lines[end][annotation.end_col :]
        written = b"".join(lines[start : end + 1])  # offsets count UTF-8 bytes
        segment = written[annotation.col : len(written) - len(tail)]
        lines[start : end + 1] = [head + _string(segment.decode()).encode() + tail]
    return b"".join(lines).decode()


def _string(source: str) -> str:
    """``source`` (an annotation as written, over several lines maybe: the string is compiled
    as an expression, where line breaks inside brackets are fine) as one string literal, in
    double quotes where it holds none. Not ``ast.unparse``: it recurses once per operand, and
    Microsoft Graph's unions of hundreds of classes went past Python's recursion limit."""
    plain = not any(c in source for c in ('"', "\\", "\n", "\r"))
    return f'"{source}"' if plain else repr(source)


def lazy_package(header: str, doc: str, members: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """``__init__.py`` and ``__init__.pyi`` of a package whose names live in submodules.

    The stub re-exports every name explicitly (``from ._tag_pets import Pet as Pet``), so
    type checkers and IDEs see them all, and a misspelt one stays a type error. At run time a
    module ``__getattr__`` (PEP 562) imports the submodule that defines a name on its first use.
    The run-time table holds a few lines of text per submodule rather than one constant per
    name: importing the package of GitHub's 4,745 models stays a matter of milliseconds.
    """
    groups = sorted(members)
    re_exports = "\n".join(
        f"from .{module} import {', '.join(f'{n} as {n}' for n in members[module])}"
        for module in groups
    )
    rows = []
    for module in groups:
        names = list(members[module])
        lines = [" ".join(names[i : i + 6]) for i in range(0, len(names), 6)]
        rows.append(f"    {module!r}: ({''.join(f'{line!r}, ' for line in lines)}),")
    table = "\n".join(rows)
    runtime = f'''{header}
"""{doc}"""

import importlib as _importlib

# submodule -> the names it defines, space-separated (``__init__.pyi`` lists them for types)
_GROUPS: dict[str, tuple[str, ...]] = {{
{table}
}}
_MODULE_OF: dict[str, str] = {{}}


def __getattr__(name: str) -> object:
    if not _MODULE_OF:
        _MODULE_OF.update(
            (n, module) for module, lines in _GROUPS.items() for n in " ".join(lines).split()
        )
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {{__name__!r}} has no attribute {{name!r}}")
    value = getattr(_importlib.import_module(f"{{__name__}}.{{module}}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    names = (n for lines in _GROUPS.values() for n in " ".join(lines).split())
    return sorted({{*globals(), *names}})
'''
    stub = f'''{header}
"""{doc}"""

{re_exports}
'''
    return {"__init__.py": runtime, "__init__.pyi": stub}


def splits(renderer: Renderer, models_source: str, *, min_classes: int | None = None) -> bool:
    """Whether :func:`split_package` splits these models (without reading the routers)."""
    threshold = MIN_CLASSES if min_classes is None else min_classes
    return _worth_splitting(models_source, len(renderer.api.services), threshold)


def _own_digest() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def split_package(
    renderer: Renderer,
    routers: Mapping[str, str],
    models_source: str,
    header: str,
    *,
    cache: Path | None = None,
    min_classes: int | None = None,
) -> dict[str, str] | None:
    """The ``models/`` and ``responses/`` packages (relative path → source), or None.

    ``routers``: each tag's rendered router (``routers/<tag>.py`` → source). A tag's roots are
    the models its router and its own results name. None when the models stay one module.
    Cached by the models source and the roots (``cache``): a change to operations that
    leaves both as they were does not cut GitHub's 170,000 lines again.
    """
    threshold = MIN_CLASSES if min_classes is None else min_classes
    if not splits(renderer, models_source, min_classes=threshold):
        return None
    results = {
        service.module: (source, names) for service, source, names in renderer.responses_by_tag()
    }
    roots = {
        module: referenced_models([routers.get(f"routers/{module}.py", ""), source])
        for module, (source, _names) in results.items()
    }
    digest = hashlib.sha256(_own_digest().encode())
    digest.update(f"{threshold}\n{header}\n".encode())
    digest.update(json.dumps({tag: sorted(names) for tag, names in roots.items()}).encode())
    digest.update(models_source.encode())
    key = cache / f"{digest.hexdigest()}.json" if cache is not None else None
    models_files: dict[str, str] | None = None
    if key is not None:
        with contextlib.suppress(OSError, ValueError):
            models_files = json.loads(cachedir.read(key))
    if models_files is None:
        # What each statement of the models was read as, and each class's source as its group
        # writes it, kept for the next run (only this run's, so that it does not grow), by
        # this module's own digest.
        memo_path = cache / f"statements-{_own_digest()[:16]}.json" if cache is not None else None
        memo: dict[str, list[Statement]] = {}
        annotated: dict[str, str] = {}
        if memo_path is not None:
            with contextlib.suppress(OSError, ValueError):
                saved = json.loads(cachedir.read(memo_path))
                if isinstance(saved, list) and all(isinstance(part, dict) for part in saved):
                    memo, annotated = saved
        split = split_models(
            models_source, roots, header, min_classes=threshold, memo=memo, annotated=annotated
        )
        models_files = split.files if split is not None else {}
        if key is not None:
            cachedir.write(key, json.dumps(models_files))
        if memo_path is not None and memo:
            cachedir.write(memo_path, json.dumps([memo, annotated], separators=(",", ":")))
    if not models_files:
        return None
    files = dict(models_files)
    for module, (source, _names) in results.items():
        files[f"responses/_{module}.py"] = source
    package = lazy_package(
        header,
        "Typed results, one module per tag, each imported on first use: a tag's router\n"
        "imports only its own results (and the models they name).\n",
        {f"_{module}": names for module, (_source, names) in results.items()},
    )
    files.update((f"responses/{name}", text) for name, text in package.items())
    return files
