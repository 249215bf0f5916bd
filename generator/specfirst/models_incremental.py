"""Models after an edit: datamodel-code-generator reruns on the schemas the edit touched only.

A cold run gives datamodel-code-generator the whole schemas document and keeps, beside its
output, which schema each class came from (``--emit-model-metadata``: the class's
``source_ref``) and the hash of every schema it was given: the *base*. After an edit, the
schemas whose hash changed, and those whose classes may read them (below), are generated
again in a small document of theirs, with every schema they reference as context; their
classes replace the old ones in the base output, in place, and the base is updated.

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
"""

from __future__ import annotations

import ast
import hashlib
import io
import json
import tokenize
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from specfirst import cachedir

_REF = "#/components/schemas/"
_SHELL_SKIP = frozenset({"properties", "required", "description", "title", "example", "examples"})

Generate = Callable[[dict[str, Any]], tuple[str, list[dict[str, Any]]]]
"""Run datamodel-code-generator on some of the schemas: its source and its models' metadata."""


@dataclass
class Base:
    """A full run's output and what it came from (stored as JSON in the cache)."""

    key: str
    order: list[str]  # the schemas, in the document's order
    hashes: dict[str, str]  # schema -> hash of its canonical JSON
    shells: dict[str, str]  # schema -> hash of what referrers may read of it
    raw: str  # datamodel-code-generator's output
    owners: dict[str, list[str]]  # class -> [owning schema, source_ref]

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
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _digest(value: Any) -> str:
    return hashlib.sha256(canonical(value).encode("utf-8")).hexdigest()


def _shell(schema: Any) -> Any:
    """What referrers of a schema may read of it: all but its properties, required and prose."""
    if not isinstance(schema, dict):
        return schema
    return {k: v for k, v in schema.items() if k not in _SHELL_SKIP}


def make_base(key: str, schemas: dict[str, Any], raw: str, models: list[dict[str, Any]]) -> Base:
    """The base of a full run of ``schemas`` that wrote ``raw`` (``models``: its metadata)."""
    return Base(
        key=key,
        order=list(schemas),
        hashes={name: _digest(schema) for name, schema in schemas.items()},
        shells={name: _digest(_shell(schema)) for name, schema in schemas.items()},
        raw=raw,
        owners=_owners(models),
    )


def _owners(models: list[dict[str, Any]]) -> dict[str, list[str]]:
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


def closure(schemas: dict[str, Any], names: set[str]) -> set[str]:
    """``names`` and every schema they reference, transitively."""
    out: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in out or name not in schemas:
            continue
        out.add(name)
        todo.extend(references(schemas[name]) - out)
    return out


@dataclass(frozen=True)
class _Unit:
    name: str
    start: int  # 0-based first line
    end: int  # 0-based line after the last


def _units(source: str) -> tuple[list[_Unit], list[str], int] | None:
    """The module's classes (by line span), its import statements, and the line after its
    last import; None if it holds anything else at the top level (then it is not patched)."""
    tree = ast.parse(source)
    units: list[_Unit] = []
    imports: list[str] = []
    after_imports = 0
    for node in tree.body:
        end = node.end_lineno or node.lineno
        if isinstance(node, ast.Import | ast.ImportFrom):
            if not (isinstance(node, ast.ImportFrom) and node.module == "__future__"):
                imports.extend(_import_lines(node))
            after_imports = end
        elif isinstance(node, ast.ClassDef):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            units.append(_Unit(node.name, first - 1, end))
        else:
            return None
    return units, imports, after_imports


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


def patch(
    base: Base, key: str, schemas: dict[str, Any], run: Generate
) -> tuple[str, Base, int] | None:
    """The output of a full run of ``schemas``, from ``base`` and a run on what changed; None
    when that cannot be exact (the caller then runs on the whole document). The last item:
    how many schemas were generated again."""
    if base.key != key or base.order != list(schemas):
        return None
    hashes = {name: _digest(schema) for name, schema in schemas.items()}
    shells = {name: _digest(_shell(schema)) for name, schema in schemas.items()}
    changed = {n for n in schemas if hashes[n] != base.hashes.get(n)}
    if not changed:
        return base.raw, base, 0
    shell_changed = {n for n in changed if shells[n] != base.shells.get(n)}
    todo, unions = affected(schemas, changed, shell_changed)
    parsed = _units(base.raw)
    if parsed is None:
        return None
    old_units, old_imports, after_imports = parsed
    old_by_name = {u.name: u for u in old_units}
    old_refs = {ref: name for name, (_owner, ref) in base.owners.items()}
    lines = base.raw.splitlines(keepends=True)
    # A regenerated schema that references other schemas than before may move in the module.
    old_lines_of = {name: "".join(lines[u.start : u.end]) for name, u in old_by_name.items()}
    batch = closure(schemas, todo | unions)
    document = {name: schemas[name] for name in schemas if name in batch}
    try:
        source, models = run(document)
    except Exception:
        return None
    parsed_new = _units(source)
    if parsed_new is None:
        return None
    new_units, new_imports, _ = parsed_new
    new_lines = source.splitlines(keepends=True)
    new_owners = _owners(models)
    renames: dict[str, str] = {}
    for unit in new_units:
        owner_ref = new_owners.get(unit.name)
        if owner_ref is not None and owner_ref[1] in old_refs:
            renames[unit.name] = old_refs[owner_ref[1]]
    wanted = {  # old classes of the schemas regenerated: ref -> name
        ref: name for name, (owner, ref) in base.owners.items() if owner in todo
    }
    produced = {
        new_owners[u.name][1]: u for u in new_units if new_owners.get(u.name, ["", ""])[0] in todo
    }
    if set(produced) != set(wanted) or any(name not in old_by_name for name in wanted.values()):
        return None
    replaced: dict[str, str] = {}
    for ref, unit in produced.items():
        text = _rename("".join(new_lines[unit.start : unit.end]).rstrip("\n") + "\n", renames)
        unknown = {
            n for n in _names_in(text) if n in {u.name for u in new_units} and n not in renames
        }
        if unknown:
            return None
        name = wanted[ref]
        if _class_refs(text, old_by_name) != _class_refs(old_lines_of[name], old_by_name):
            return None
        replaced[name] = text
    for name, text in replaced.items():
        unit = old_by_name[name]
        lines[unit.start : unit.end] = [text] + [""] * (unit.end - unit.start - 1)
    extra = [imp for imp in new_imports if imp not in old_imports]
    if extra:
        lines[after_imports - 1] += "".join(extra)
    raw = "".join(lines)
    owners = dict(base.owners)
    new_base = Base(key, list(schemas), hashes, shells, raw, owners)
    return raw, new_base, len(todo)


def _class_refs(text: str, classes: dict[str, _Unit]) -> set[str]:
    return {n for n in _names_in(text) if n in classes}
