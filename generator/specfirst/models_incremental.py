"""Models after an edit: datamodel-code-generator reruns on the schemas the edit touched only.

A cold run gives datamodel-code-generator the whole schemas document and keeps, beside its
output, which schema each class came from (``--emit-model-metadata``: the class's
``source_ref``) and the hash of every schema it was given: the *base*. After an edit, the
schemas whose hash changed, and those whose classes may read them (below), are generated
again in a small document of theirs; their classes replace the old ones in the base output,
in place, and the base is updated. In that document, the schemas their classes read in full
(those they extend, the members of their discriminated unions) are as they are, and so are
their *neighbours* (below); every other schema they reach is a stub: as it is but for the
schemas of its properties, so that its class has the same name and kind but brings no inline
classes that the regenerated ones could be numbered or shared with.

datamodel-code-generator writes an inline class only once when it is identical to the last
class before it numbered from the same name (``Cvss9`` after ``Cvss8``; not when another
``Cvss`` stands between). Whether a regenerated class is written or shared, and with which,
is decided by that last class: the owners of those classes, and of the ones before them, are
the neighbours. The partial run is then checked to put each regenerated class after the same
class as the module does.

Class names are datamodel-code-generator's own, chosen across the whole module (an inline
object becomes ``Owner``, the next one ``Owner1``; identical inline enums share one class).
A small document names its classes differently, so each new class is renamed to the class
that came from the same place in the base (same ``source_ref``). Whenever that cannot be
exact, the whole document is generated again, as a cold run would:

- a schema was added, removed or moved, the options or the header changed;
- the classes of a regenerated schema do not come from the same places as before (an inline
  object added or removed shifts the numbers of names after it; an inline enum that shared
  another schema's class gets one of its own);
- a class of a regenerated schema references a name the base cannot place;
- a regenerated schema now references other schemas than before (the module's order, which
  datamodel-code-generator derives from references, could change).

Which classes read another schema (are regenerated with it): the schemas that extend it
(``allOf``), the discriminated unions it belongs to and, when it is a discriminated union, its
members (the members' property becomes a ``Literal``); and every schema that references it
when what changed is more than its properties, required list and prose (an enum's values: a
default of the enum member; a root model's type). Tests compare the result with a cold run,
byte for byte, on the reference spec, the golden specs and GitHub's.

An edit of descriptions only does not run datamodel-code-generator at all (importing it costs
more than a small spec's whole run): datamodel-code-generator writes a description only as a
docstring (a class's, a field's), as :func:`docstring` renders it, so the docstrings of the old
text are rewritten in the classes of the schemas that changed (:func:`_patch_prose`). That is
done only where it is sure to be exact; otherwise the schemas go through the engine as above.
"""

from __future__ import annotations

import ast
import bisect
import hashlib
import io
import itertools
import json
import re
import tokenize
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from specfirst import cachedir
from specfirst.diagnostics import Diagnostic, Level
from specfirst.schema_rewrites import SCHEMA_LISTS, SCHEMA_MAPS, SCHEMA_VALUES

_REF = "#/components/schemas/"
_SHELL_SKIP = frozenset({"properties", "required", "description", "title", "example", "examples"})

Generate = Callable[[dict[str, Any]], tuple[str, list[dict[str, Any]]]]
"""Run datamodel-code-generator on some of the schemas: its source and its models' metadata."""


@dataclass
class Base:
    """A full run's output and what it came from (stored as JSON in the cache).

    The output is kept as its head (up to its last import) and its classes, each with the
    text from the end of the one before it, so that ``head + texts`` is the module.
    """

    key: str
    order: list[str]  # the schemas, in the document's order
    hashes: dict[str, str]  # schema -> hash of its canonical JSON
    shells: dict[str, str]  # schema -> hash of what referrers may read of it
    head: str
    imports: list[str]  # the head's imports, one name per statement
    units: list[list[str]]  # [class, text], in the module's order
    rebuilds: list[str]  # classes whose ``model_rebuild()`` ends the module
    owners: dict[str, list[str]]  # class -> [owning schema, source_ref]
    prose: dict[str, list[str]]  # schema -> its descriptions (:func:`prose_of`)

    @property
    def raw(self) -> str:
        rebuilt = set(self.rebuilds)
        # One call per line, the last line without a line break, as datamodel-code-generator
        # ends its module (what follows, blank lines included, is appended to it as is).
        tail = "\n".join(f"{n}.model_rebuild()" for n, _ in self.units if n in rebuilt)
        return self.head + "".join(text for _, text in self.units) + ("\n\n" + tail if tail else "")

    def spans(self) -> list[tuple[int, int]]:
        """Where each class starts and ends in :attr:`raw`."""
        out: list[tuple[int, int]] = []
        start = len(self.head)
        for _, text in self.units:
            out.append((start, start + len(text)))
            start += len(text)
        return out

    def to_json(self) -> str:
        return json.dumps(self.__dict__, separators=(",", ":"))

    @classmethod
    def read(cls, path: Path) -> Base | None:
        try:
            data = json.loads(cachedir.read(path))
            return cls(**{k: data[k] for k in cls.__dataclass_fields__})
        except (OSError, ValueError, KeyError, TypeError):
            return None


def canonical(value: Any) -> str:
    """``value`` as JSON, its keys in their order: datamodel-code-generator writes a class's
    fields in the order of the schema's properties, so two orders are two schemas."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _digest(value: Any) -> str:
    return hashlib.sha256(canonical(value).encode("utf-8")).hexdigest()


def _shell(schema: Any) -> Any:
    """What referrers of a schema may read of it: all but its properties, required and prose."""
    if not isinstance(schema, dict):
        return schema
    return {k: v for k, v in schema.items() if k not in _SHELL_SKIP}


def make_base(
    key: str,
    schemas: dict[str, Any],
    raw: str,
    models: list[dict[str, Any]],
    tree: ast.Module | None = None,
) -> Base | None:
    """The base of a full run of ``schemas`` that wrote ``raw`` (``models``: its metadata);
    None when the module holds more than imports and classes."""
    split = _split(raw, tree)
    if split is None:
        return None
    head, imports, units, rebuilds = split
    return Base(
        key=key,
        order=list(schemas),
        hashes={name: _digest(schema) for name, schema in schemas.items()},
        shells={name: _digest(_shell(schema)) for name, schema in schemas.items()},
        head=head,
        imports=imports,
        units=units,
        rebuilds=rebuilds,
        owners=owners_of(models),
        prose={name: prose_of(schema) for name, schema in schemas.items()},
    )


def owners_of(models: list[dict[str, Any]]) -> dict[str, list[str]]:
    owners: dict[str, list[str]] = {}
    for model in models:
        path = model.get("source_path") or []
        ref = str(model.get("source_ref") or "")
        if len(path) >= 3 and path[0] == "components" and path[1] == "schemas":
            owners[str(model["class_name"])] = [str(path[2]), ref]
    return owners


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _target(ref: Any) -> str | None:
    return ref[len(_REF) :] if isinstance(ref, str) and ref.startswith(_REF) else None


def references(schema: Any) -> set[str]:
    """The schemas ``schema`` references (``$ref``s anywhere in it)."""
    return {t for node in _walk(schema) if (t := _target(node.get("$ref"))) is not None}


def _bases_and_members(schema: Any) -> tuple[set[str], set[str]]:
    """The schemas ``schema`` extends (``allOf``) and the members of its discriminated
    unions: their classes are read in full by this one's, or read this one's discriminator."""
    bases: set[str] = set()
    members: set[str] = set()
    for node in _walk(schema):
        parts = node.get("allOf")
        for part in parts if isinstance(parts, list) else ():
            if isinstance(part, dict) and (t := _target(part.get("$ref"))) is not None:
                bases.add(t)
        disc = node.get("discriminator")
        if isinstance(disc, dict):
            members |= references({k: node.get(k) for k in ("oneOf", "anyOf")})
            mapping = disc.get("mapping")
            for value in mapping.values() if isinstance(mapping, dict) else ():
                if (t := _target(value)) is not None:
                    members.add(t)
    return bases, members


def affected(
    schemas: dict[str, Any], changed: set[str], shell_changed: set[str]
) -> tuple[set[str], set[str]]:
    """The schemas to generate again (``changed`` and those whose classes may differ because
    they changed), and the discriminated unions their members need beside them."""
    referrers: dict[str, set[str]] = {}
    children: dict[str, set[str]] = {}  # base -> schemas extending it
    unions: dict[str, set[str]] = {}  # member -> its discriminated unions
    members_of: dict[str, set[str]] = {}
    for name, schema in schemas.items():
        for target in references(schema):
            referrers.setdefault(target, set()).add(name)
        bases, members = _bases_and_members(schema)
        for base in bases:
            children.setdefault(base, set()).add(name)
        members_of[name] = members
        for member in members:
            unions.setdefault(member, set()).add(name)
    todo = list(changed)
    for name in shell_changed:
        todo.extend(referrers.get(name, ()))
    for name in changed:
        todo.extend(members_of.get(name, ()))
    out: set[str] = set()
    while todo:
        name = todo.pop()
        if name in out or name not in schemas:
            continue
        out.add(name)
        todo.extend(children.get(name, ()))
    context = {union for name in out for union in unions.get(name, ())}
    return out, context


def closure(
    schemas: dict[str, Any], names: set[str], follow: Callable[[Any], set[str]] = references
) -> set[str]:
    """``names`` and every schema they reach, transitively, through ``follow`` (by default
    their references)."""
    out: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in out or name not in schemas:
            continue
        out.add(name)
        todo.extend(follow(schemas[name]) - out)
    return out


def _split(
    source: str, tree: ast.Module | None = None
) -> tuple[str, list[str], list[list[str]], list[str]] | None:
    """The module's head (up to its last import), its imports (one name per statement), its
    classes with their text, and the classes rebuilt at its end (``X.model_rebuild()``);
    None if it holds anything else at the top level. ``tree``: the source, parsed already."""
    tree = ast.parse(source) if tree is None else tree
    lines = source.splitlines(keepends=True)
    imports: list[str] = []
    head_end = 0
    classes: list[tuple[str, int]] = []  # name, 0-based line after its end
    rebuilds: list[str] = []
    for node in tree.body:
        end = node.end_lineno or node.lineno
        if isinstance(node, ast.Import | ast.ImportFrom):
            if classes:
                return None
            if not (isinstance(node, ast.ImportFrom) and node.module == "__future__"):
                imports.extend(_import_lines(node))
            head_end = end
        elif isinstance(node, ast.ClassDef) and not rebuilds:
            classes.append((node.name, end))
        elif (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Attribute)
            and node.value.func.attr == "model_rebuild"
            and isinstance(node.value.func.value, ast.Name)
            and not node.value.args
            and not node.value.keywords
        ):
            rebuilds.append(node.value.func.value.id)
        else:
            return None
    units: list[list[str]] = []
    start = head_end
    for name, stop in classes:
        # Two blank lines before each class, as datamodel-code-generator writes them.
        units.append([name, "\n\n" + "".join(lines[start:stop]).strip("\n") + "\n"])
        start = stop
    return "".join(lines[:head_end]).rstrip("\n") + "\n", imports, units, rebuilds


def _import_lines(node: ast.Import | ast.ImportFrom) -> list[str]:
    """One statement per imported name, so that names are compared one by one."""
    prefix = (
        f"from {'.' * node.level}{node.module or ''} import "
        if isinstance(node, ast.ImportFrom)
        else "import "
    )
    return [
        f"{prefix}{alias.name}{f' as {alias.asname}' if alias.asname else ''}\n"
        for alias in node.names
    ]


def _rename(text: str, names: dict[str, str]) -> str:
    """``text`` with the identifiers in ``names`` renamed (not attributes: ``X.name``)."""
    if not any(old != new for old, new in names.items()):
        return text
    tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    lines = text.splitlines(keepends=True)
    edits: list[tuple[int, int, int, str]] = []
    previous = ""
    for tok in tokens:
        if tok.type == tokenize.NAME and tok.string in names and previous != ".":
            new = names[tok.string]
            if new != tok.string:
                edits.append((tok.start[0], tok.start[1], tok.end[1], new))
        if tok.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT):
            previous = tok.string
    for row, start, end, new in reversed(edits):
        line = lines[row - 1]
        lines[row - 1] = line[:start] + new + line[end:]
    return "".join(lines)


def _names_in(text: str) -> set[str]:
    return {
        tok.string
        for tok in tokenize.generate_tokens(io.StringIO(text).readline)
        if tok.type == tokenize.NAME
    }


def from_base(
    base: Path | None,
    key: str,
    schemas: dict[str, Any],
    run: Generate,
    diagnostics: list[Diagnostic],
) -> Base | None:
    """The models of ``schemas`` from the base at ``base`` and a run on what changed since
    (stored back), or None when there is none or it cannot give a cold run's output (then a
    note says why)."""
    previous = Base.read(base) if base is not None else None
    if base is None or previous is None:
        return None
    try:
        updated, redone = patch(previous, key, schemas, run)
    except Unpatchable as exc:
        diagnostics.append(Diagnostic(Level.INFO, "models", f"models generated in full: {exc}"))
        return None
    if redone < 0:
        message = f"models of {-redone} of {len(schemas)} schemas patched: descriptions only"
    else:
        message = f"models of {redone} of {len(schemas)} schemas generated again"
    diagnostics.append(Diagnostic(Level.INFO, "models", message))
    if updated is not previous:
        cachedir.write(base, updated.to_json())
    return updated


def _stem(name: str) -> str:
    return name.rstrip("0123456789")


def _body(text: str, name: str) -> str:
    """A class's text without its name (datamodel-code-generator shares identical ones)."""
    return text.strip().replace(f"class {name}(", "class _(", 1)


def _stems(name: str) -> set[str]:
    """The names ``name`` may have been numbered from (``Type527``: ``Type52``, ``Type5``,
    ``Type``, itself): datamodel-code-generator shares a class only with the last one
    before it numbered from the same name, when they are identical."""
    digits = len(name) - len(name.rstrip("0123456789"))
    return {name[: len(name) - k] for k in range(digits + 1)} - {""}


def _predecessors(names: list[str]) -> dict[int, int]:
    """For each position in ``names``, the last position before it whose name may have been
    numbered from the same name (absent when none)."""
    last: dict[str, int] = {}
    out: dict[int, int] = {}
    for index, name in enumerate(names):
        stems = _stems(name)
        before = [last[stem] for stem in stems if stem in last]
        if before:
            out[index] = max(before)
        for stem in stems:
            last[stem] = index
    return out


def _neighbours(base: Base, todo: set[str]) -> set[str]:
    """The schemas whose classes decide which class each of ``todo``'s shares in a cold run.

    datamodel-code-generator writes a class only once when it is identical to the last class
    before it numbered from the same name (``Type527`` after ``Type526``): the owners of the
    inline classes ``todo``'s classes use (the ones they shared), of the class before each of
    theirs, and of the class before each of those neighbours' (which decides whether the
    neighbour is written or shared in turn)."""
    names = [name for name, _ in base.units]
    before = _predecessors(names)
    inline = {n for n, (_, ref) in base.owners.items() if ref.count("/") > 3}
    owners: dict[str, list[int]] = {}
    for index, name in enumerate(names):
        owners.setdefault(owner_of(base, name), []).append(index)
    near: set[str] = set()
    for index in (i for name in todo for i in owners.get(name, ())):
        near |= {owner_of(base, n) for n in _names_in(base.units[index][1]) & inline}
        if index in before:
            near.add(owner_of(base, names[before[index]]))
    near -= todo
    out = set(near)
    for index in (i for name in near for i in owners.get(name, ())):
        if index in before:
            out.add(owner_of(base, names[before[index]]))
    return out - todo - {""}


def _read_in_full(schemas: dict[str, Any], names: set[str]) -> set[str]:
    """``names`` and, transitively, the schemas they extend and the members of their
    discriminated unions: what their classes read of more than its shell."""
    return closure(schemas, names, lambda schema: set.union(*_bases_and_members(schema)))


def _stub(schema: Any) -> Any:
    """A schema whose class is only referenced by the classes generated: as it is, but for
    the schemas of its properties (so it brings no inline classes nor references)."""
    if not isinstance(schema, dict) or not isinstance(schema.get("properties"), dict):
        return schema
    return {**schema, "properties": {name: {} for name in schema["properties"]}}


def _partial(schemas: dict[str, Any], full: set[str]) -> dict[str, Any]:
    """The schemas document of a partial run: ``full`` as they are, the schemas they reach
    as stubs (:func:`_stub`), in the document's order."""
    part: dict[str, Any] = {}
    todo = list(full)
    while todo:
        name = todo.pop()
        if name in part or name not in schemas:
            continue
        part[name] = schemas[name] if name in full else _stub(schemas[name])
        todo.extend(references(part[name]) - part.keys())
    return {name: part[name] for name in schemas if name in part}


def _bound(line: str) -> str:
    """The name an import line (one name per statement) binds."""
    words = line.split()
    return words[-1] if words[-2:-1] == ["as"] or words[0] == "from" else words[-1].split(".")[0]


class Unpatchable(Exception):
    """Why the base cannot give a cold run's output; the whole document is generated."""


def patch(base: Base, key: str, schemas: dict[str, Any], run: Generate) -> tuple[Base, int]:
    """The base of a full run of ``schemas``, made from ``base`` and a run on what changed,
    and how many schemas went through that run (negative: that many had only their
    descriptions patched, with no run). Raises :class:`Unpatchable` when the result could
    differ from a full run's."""
    if base.key != key:
        raise Unpatchable("other options or generator")
    old_order = [n for n in base.order if n in schemas]
    if old_order != [n for n in schemas if n in base.hashes]:
        raise Unpatchable("schemas moved")
    hashes = {name: _digest(schema) for name, schema in schemas.items()}
    shells = {name: _digest(_shell(schema)) for name, schema in schemas.items()}
    changed = {n for n in schemas if hashes[n] != base.hashes.get(n)}
    removed = [n for n in base.order if n not in schemas]
    if not changed and not removed:
        return base, 0
    shell_changed = {n for n in changed if shells[n] != base.shells.get(n)}
    todo, unions = affected(schemas, changed, shell_changed | set(removed))
    if not removed:
        prosed = _patch_prose(base, schemas, changed, todo | unions)
        if prosed is not None:
            return replace(prosed, key=key, hashes=hashes, shells=shells), -len(changed)
    if 2 * len(todo) > len(schemas):
        raise Unpatchable(f"{len(todo)} of {len(schemas)} schemas changed")
    full = _read_in_full(schemas, todo | unions | _neighbours(base, todo))
    part = _partial(schemas, full)
    try:
        source, models = run(part)
    except Exception as exc:
        raise Unpatchable(f"the partial run failed: {type(exc).__name__}") from exc
    split = _split(source)
    if split is None:
        raise Unpatchable("the partial run wrote more than classes")
    _, new_imports, new_units, new_rebuilds = split
    new_owners = owners_of(models)
    old_name_of = {ref: name for name, (_owner, ref) in base.owners.items()}
    renames = {
        name: old_name_of.get(new_owners[name][1], name)
        for name, _ in new_units
        if name in new_owners
    }
    redo = todo | set(removed)
    kept = [(n, t) for n, t in base.units if base.owners.get(n, ["", ""])[0] not in redo]
    kept_names = {n for n, _ in kept}
    gone = {n for n, _ in base.units} - kept_names
    kept_stems = {_stem(n) for n in kept_names}
    position = {name: index for index, name in enumerate(schemas)}
    kept_bodies: dict[str, list[str]] = {}
    for n, t in kept:
        kept_bodies.setdefault(_body(t, n), []).append(n)
    shared: set[str] = set()
    for name, text in new_units:
        owner = new_owners.get(name, ["", ""])[0]
        if owner not in todo or new_owners[name][1] in old_name_of:
            continue
        # A class the base has not got. datamodel-code-generator writes identical classes
        # numbered from one name once, under the name of the first: the base's, when it
        # stands before. One of another name is a class of its own (an operation's body
        # ``{name: string}`` beside a ``Label``).
        same = [
            n
            for n in kept_bodies.get(_body(_rename(text, renames), name), [])
            if _stem(n) == _stem(name)
        ]
        if len(same) == 1 and position.get(owner_of(base, same[0]), -1) < position[owner]:
            renames[name] = same[0]
            shared.add(name)
    blocks: dict[str, list[list[str]]] = {}
    for name, text in new_units:
        owner = new_owners.get(name, ["", ""])[0]
        if owner not in todo or name in shared:
            continue
        new_name = renames.get(name, name)
        text = _rename(text, renames)
        # A class the base has not got: a cold run names it alike, and writes it (shares it
        # with none), only when no other class shares its stem.
        new_class = new_owners[name][1] not in old_name_of or new_name in kept_names
        if new_class and (_stem(new_name) in kept_stems or new_name in kept_names):
            raise Unpatchable(f"new class {new_name} could be numbered differently")
        blocks.setdefault(owner, []).append([new_name, text])
    batch_names = {name for name, _ in new_units}
    produced = {n for block in blocks.values() for n, _ in block}
    for block in blocks.values():
        for name, text in block:
            unknown = (_names_in(text) & batch_names) - set(renames.values()) - produced
            if unknown:
                raise Unpatchable(f"{name} references {sorted(unknown)[0]}, not placed")
    for name in gone - produced:
        if _stem(name) in kept_stems:
            raise Unpatchable(f"removing {name} could renumber others")
        if any(re.search(rf"\b{re.escape(name)}\b", t) for _, t in kept):
            raise Unpatchable(f"removed class {name} is still used")
    for owner, block in blocks.items():
        before = {
            n for n, t in base.units if owner_of(base, n) == owner for n in _names_in(t)
        } & kept_names
        after = {n for _, t in block for n in _names_in(t)} & kept_names
        if owner in base.hashes and before != after:
            # datamodel-code-generator orders classes by what they reference
            raise Unpatchable(
                f"the classes of {owner} reference other classes than before "
                f"({sorted(before ^ after)[0]})"
            )
    placed = [
        renames[n] if n in shared or (n in new_owners and new_owners[n][1] in old_name_of)
        else f"?{n}"
        for n, _ in new_units
    ]  # fmt: skip
    _same_neighbours(base, placed, produced)
    units = _placed(base, schemas, kept, blocks)
    used = {n for block in blocks.values() for _, t in block for n in _names_in(t)}
    extra = [imp for imp in new_imports if imp not in base.imports and _bound(imp) in used]
    owners = {n: o for n, o in base.owners.items() if n in kept_names}
    for name, _ in new_units:
        if name in new_owners and renames.get(name, name) in produced:
            owners[renames.get(name, name)] = new_owners[name]
    rebuilds = [n for n in base.rebuilds if n in kept_names]
    rebuilds += [renames.get(n, n) for n in new_rebuilds if renames.get(n, n) in produced]
    prose = {
        n: base.prose[n] if n not in changed and n in base.prose else prose_of(schemas[n])
        for n in schemas
    }
    updated = Base(
        key,
        list(schemas),
        hashes,
        shells,
        base.head + "".join(extra),
        [*base.imports, *extra],
        units,
        rebuilds,
        owners,
        prose,
    )
    return updated, len(todo)


def _same_neighbours(base: Base, placed: list[str], produced: set[str]) -> None:
    """Raise :class:`Unpatchable` unless each class regenerated that the base has follows the
    same class numbered from the same name as in the base (``placed``: the partial run's
    classes by their names in the module, ``?`` before those it cannot place): whether
    datamodel-code-generator shares a class with the one before depends on which that is."""
    old = [name for name, _ in base.units]
    old_before = {old[i]: old[j] for i, j in _predecessors(old).items()}
    new_before = {placed[i]: placed[j] for i, j in _predecessors(placed).items()}
    kept = set(old)
    for name in produced & kept:
        if old_before.get(name) != new_before.get(name):
            raise Unpatchable(
                f"{name} follows {new_before.get(name, 'none').lstrip('?')} of its name in the "
                f"partial run, {old_before.get(name, 'none')} in the module"
            )


def _placed(
    base: Base,
    schemas: dict[str, Any],
    kept: list[tuple[str, str]],
    blocks: dict[str, list[list[str]]],
) -> list[list[str]]:
    """The classes of the module: each regenerated schema's block where its old one stood,
    a new schema's after the classes of the schema before it in the document."""
    owner_of = {n: o[0] for n, o in base.owners.items()}
    position = {name: index for index, name in enumerate(schemas)}
    out: list[list[str]] = []
    placed: set[str] = set()
    pending = sorted(
        (o for o in blocks if o not in base.hashes), key=lambda o: position[o], reverse=True
    )
    kept_names = {n for n, _ in kept}
    for name, text in base.units:
        owner = owner_of.get(name, "")
        if name in kept_names:
            while pending and position.get(owner, -1) > position[pending[-1]]:
                new = pending.pop()
                out.extend(blocks[new])
                placed.add(new)
            out.append([name, text])
        elif owner in blocks and owner not in placed:
            out.extend(blocks[owner])
            placed.add(owner)
    for owner in reversed(pending):
        out.extend(blocks[owner])
    return out


def owner_of(base: Base, name: str) -> str:
    return base.owners.get(name, ["", ""])[0]


def prose_of(schema: Any) -> list[str]:
    """The descriptions of ``schema`` and its subschemas (not of examples, defaults or other
    values): its own first, then its subschemas' by their keys in sorted order, so that two
    schemas that differ only in them list them alike."""
    out: list[str] = []
    _prose_walk(schema, out, None)
    return out


def _with_prose(schema: Any, values: Iterator[str]) -> Any:
    """A copy of ``schema`` with its descriptions (:func:`prose_of`) taken from ``values``."""
    return _prose_walk(schema, [], values)


def _prose_walk(node: Any, out: list[str], values: Iterator[str] | None) -> Any:
    if not isinstance(node, dict):
        return node
    copy = dict(node)
    own = node.get("description")
    if isinstance(own, str):
        out.append(own)
        if values is not None:
            copy["description"] = next(values)
    for key in sorted(node):
        value = node[key]
        if key in SCHEMA_MAPS and isinstance(value, dict):
            walked = {k: _prose_walk(value[k], out, values) for k in sorted(value)}
            copy[key] = {k: walked[k] for k in value}  # in their order (:func:`canonical`)
        elif key in SCHEMA_LISTS and isinstance(value, list):
            copy[key] = [_prose_walk(v, out, values) for v in value]
        elif key in SCHEMA_VALUES:
            copy[key] = _prose_walk(value, out, values)
    return copy if values is not None else node


def docstring(text: str) -> str:
    """A description as datamodel-code-generator writes it in a class, as the class's or a
    field's docstring (its ``format_docstring`` at an indent of 4, no one-line form): backslashes
    and triple quotes escaped, a null byte as ``\\x00``, each line indented but empty ones."""
    escaped = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').replace("\0", "\\x00")
    body = "\n".join(f"    {line}" if line else "" for line in escaped.split("\n"))
    return f'"""\n{body}\n    """'


# Text whose docstring would not be read back as it is written: line breaks other than LF
# (a line of the module ends there too), lone surrogates and U+FFFD (the engine writes the one
# as the other). An edit of such a description goes through the engine.
_UNSURE = re.compile("[\r\v\f\x1c\x1d\x1e\x85\u2028\u2029\ud800-\udfff\ufffd]")


def _patch_prose(
    base: Base, schemas: dict[str, Any], changed: set[str], readers: set[str]
) -> Base | None:
    """``base`` with the docstrings of the descriptions that changed rewritten, when nothing but
    descriptions changed in ``changed`` and the result is sure to be datamodel-code-generator's
    (``readers``: the schemas it would generate again, :func:`affected`); None otherwise.

    Each old text's docstring is replaced in the classes of the schemas that changed it; that
    is exact when: every node of such a schema with that text gets the same new text (the same
    change everywhere in it); the docstring is found in the module only in classes of schemas
    that have that text (not copied into another, as a field of a base class redeclared in a
    class extending it), and in none of the other schemas that read a changed one; no class
    patched is shared with another schema (an inline class the engine wrote once for two
    identical nodes, which differ now), and none becomes identical to another of its name."""
    mapping: dict[str, str] = {}
    texts: dict[str, set[str]] = {}  # schema -> the old texts it changes
    for name in changed:
        old = base.prose.get(name)
        new = prose_of(schemas[name])
        if old is None or len(old) != len(new):
            return None
        if _digest(_with_prose(schemas[name], iter(old))) != base.hashes.get(name):
            return None  # more than descriptions changed
        for was, now in zip(old, new, strict=True):
            if was != now and mapping.setdefault(was, now) != now:
                return None
        mine = {was for was, now in zip(old, new, strict=True) if was != now}
        if any(was in mine and now != mapping[was] for was, now in zip(old, new, strict=True)):
            return None  # the same text changed in one place, not in another
        texts[name] = mine
    for was, now in mapping.items():
        if not was.strip() or not now.strip() or _UNSURE.search(was + now):
            return None
    owned: dict[str, list[int]] = {}
    for index, (name, _) in enumerate(base.units):
        owned.setdefault(owner_of(base, name), []).append(index)
    holders: dict[str, set[str]] = {was: set() for was in mapping}
    for name, descriptions in base.prose.items():
        for was in mapping.keys() & set(descriptions):
            holders[was].add(name)
    module = "".join(text for _, text in base.units)
    docs = {docstring(was): docstring(now) for was, now in mapping.items()}
    for was in mapping:
        old_doc = docstring(was)
        changers = {name for name, mine in texts.items() if was in mine}
        found = {
            name: sum(base.units[i][1].count(old_doc) for i in owned.get(name, ()))
            for name in holders[was] | readers
        }
        if sum(found[name] for name in holders[was]) != module.count(old_doc):
            return None  # written in a class of a schema without that text
        if any(found[name] for name in readers - changers):
            return None
        if not any(found[name] for name in changers):
            return None  # not written at all: which class holds it is not known
    units = [list(unit) for unit in base.units]
    patched: list[int] = []
    for name, mine in texts.items():
        wanted = {docstring(was) for was in mine}
        pattern = re.compile("|".join(re.escape(doc) for doc in wanted))
        for index in owned.get(name, ()):
            text = units[index][1]
            strings = [
                tok.string
                for tok in tokenize.generate_tokens(io.StringIO(text).readline)
                if tok.type == tokenize.STRING
            ]
            hits = [doc for doc in strings if doc in wanted]
            if sum(text.count(doc) for doc in wanted) != len(hits):
                return None  # found but not as a docstring of its own
            if hits:
                units[index][1] = pattern.sub(lambda m: docs[m.group(0)], text)
                patched.append(index)
    inline = {n for n, (_, ref) in base.owners.items() if ref.count("/") > 3}
    starts = list(itertools.accumulate(len(text) for _, text in base.units))
    for name in texts:
        mine = {base.units[i][0] for i in owned.get(name, ())}
        used = set().union(*(_names_in(base.units[i][1]) for i in owned.get(name, ())))
        if any(owner_of(base, n) != name for n in used & inline):
            return None  # it shares a class of another schema
        for cls in mine & inline:
            for hit in re.finditer(rf"\b{re.escape(cls)}\b", module):
                where = bisect.bisect_right(starts, hit.start())
                if owner_of(base, base.units[where][0]) != name:
                    return None  # another schema shares it
    stems: dict[str, list[int]] = {}
    for index, (cls, _) in enumerate(units):
        stems.setdefault(_stem(cls), []).append(index)
    for index in patched:
        cls, text = units[index]
        body = _body(text, cls)
        for other in stems[_stem(cls)]:
            if other != index and _body(units[other][1], units[other][0]) == body:
                return None  # the engine would write it once
    prose = dict(base.prose)
    for name in changed:
        prose[name] = prose_of(schemas[name])
    return replace(base, units=units, prose=prose)
