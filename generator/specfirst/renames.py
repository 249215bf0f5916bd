"""Operations renamed since the implementation was written, and what to rename in it.

Without operationIds, names come from method and path: renaming ``{id}`` to
``{category_id}`` turns ``get_categories_by_id`` into ``get_categories_by_category_id``. The
method the implementation lacks is then not a new operation but a renamed one, and a stub
beside the orphaned code would be wrong: ``generate`` and ``scaffold`` say which method (and
which arguments) to rename in which file instead (:class:`Rename`).

An operation is the one known before when it has the same method and path (its variables'
names aside), or the same operationId on another path. What was known before comes from:

- the manifest's ``operations`` table (:func:`table`): ``generate`` reads the one it is about
  to replace, ``scaffold`` the current one (it does not regenerate);
- the tables ``generate`` replaced earlier, remembered in the project's cache
  (:func:`remember`, :func:`recall`), so that ``scaffold`` run after ``generate`` knows them;
- with neither (a fresh clone, a cleared cache), the implementation itself: a method no
  operation is named by, whose name is what the operation's method and path derive with
  other variable names, and whose keyword arguments are those variables
  (:func:`_derived_from`): ``get_categories_by_id(*, id)`` for ``GET /categories/{category_id}``.

A rename is reported only while the implementation has the old method and lacks the new one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from specfirst import cachedir, naming
from specfirst.ir import Api, Operation, ParamLocation

_VAR = re.compile(r"{([^{}]+)}")
REMEMBERED = "operations.json"  # in the cache folder
_LIMIT = 5000  # operations remembered at most (the most recent first)


@dataclass(frozen=True)
class Known:
    """An operation as one generation named it."""

    operation_id: str
    method: str  # upper-case
    path: str
    py_name: str
    class_prefix: str  # of its classes: ``GetCategoriesById`` (``…Response``)
    arguments: tuple[str, ...]  # its path variables' Python names, in template order

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def shape(self) -> str:
        return f"{self.method} {_VAR.sub('{}', self.path)}"


def known(op: Operation) -> Known:
    order = {name: i for i, name in enumerate(_VAR.findall(op.path))}
    variables = sorted(
        (p for p in op.parameters if p.location is ParamLocation.PATH and p.name in order),
        key=lambda p: order[p.name],
    )
    return Known(
        op.operation_id,
        op.http_method,
        op.path,
        op.py_name,
        op.class_prefix,
        tuple(p.py_name for p in variables),
    )


def table(api: Api) -> dict[str, list[object]]:
    """The manifest's ``operations``: ``"GET /pets/{id}": [operationId, Python method,
    class prefix, [path variables' argument names]]``."""
    return {k.label: _entry(k) for k in map(known, api.operations)}


def _entry(k: Known) -> list[object]:
    return [k.operation_id, k.py_name, k.class_prefix, list(k.arguments)]


def parse_table(raw: object) -> list[Known]:
    """A manifest's (or the cache's) table read back; anything malformed is left out."""
    out: list[Known] = []
    if not isinstance(raw, Mapping):
        return out
    for label, entry in raw.items():
        method, _, path = str(label).partition(" ")
        if not (isinstance(entry, list) and len(entry) == 4 and isinstance(entry[3], list)):
            continue
        op_id, py_name, prefix = map(str, entry[:3])
        arguments = entry[3]
        out.append(Known(op_id, method, path, py_name, prefix, tuple(map(str, arguments))))
    return out


def remember(cache: Path, replaced: Sequence[Known], api: Api) -> None:
    """Add the operations of a table ``generate`` replaced to those remembered (most recent
    first), leaving out the ones the new generation still has as they were."""
    current = {known(op) for op in api.operations}
    gone = [k for k in replaced if k not in current]
    if not gone:
        return
    merged: dict[Known, None] = dict.fromkeys([*gone, *recall(cache)])
    records = [k for k in merged if k not in current][:_LIMIT]
    # a list, not a table: one label may have had several names over time
    data = [[k.label, *_entry(k)] for k in records]
    cachedir.write(cache / REMEMBERED, json.dumps(data, ensure_ascii=False))


def recall(cache: Path) -> list[Known]:
    try:
        data = json.loads(cachedir.read(cache / REMEMBERED))
    except (OSError, ValueError):
        return []
    if not isinstance(data, list):
        return []
    return [
        k
        for entry in data
        if isinstance(entry, list) and len(entry) == 5
        for k in parse_table({entry[0]: entry[1:]})
    ]


@dataclass(frozen=True)
class Rename:
    """``new`` is the operation ``old`` was: the method and the arguments to rename."""

    old: Known
    new: Operation
    arguments: tuple[tuple[str, str], ...]  # (old, new) Python argument names

    def describe(self, file: str) -> str:
        new = known(self.new)
        was = f"was {self.old.label}" if self.old.label != new.label else "was renamed"
        if self.old.py_name != new.py_name:
            what = f"rename `{self.old.py_name}` to `{new.py_name}`"
            if self.arguments:
                what += ", its " + self._arguments()
        else:
            what = "rename the " + self._arguments() + f" of `{new.py_name}`"
        if self.old.class_prefix != new.class_prefix:
            what += (
                f", and the generated types it names from `{self.old.class_prefix}…` to "
                f"`{new.class_prefix}…`"
            )
        return f"the operation {new.label} {was}: {what} in `{file}`"

    def _arguments(self) -> str:
        pairs = ", ".join(f"`{old}` to `{new}`" for old, new in self.arguments)
        return ("argument " if len(self.arguments) == 1 else "arguments ") + pairs


def find_rename(
    op: Operation, orphans: Mapping[str, Sequence[str]], records: Sequence[Known]
) -> Rename | None:
    """The rename that explains why the class has no method for ``op``, if one does.

    ``orphans``: the class's public methods that no operation is named by, each with its
    keyword arguments; ``records``: the operations known before, the most recent first."""
    new = known(op)
    for k in records:
        if k.py_name in orphans and (k.shape == new.shape or k.operation_id == op.operation_id):
            return Rename(k, op, _renamed(k.arguments, new.arguments, orphans[k.py_name]))
    for name, arguments in orphans.items():
        old = _derived_from(op, name, arguments)
        if old is not None:
            return Rename(old, op, _renamed(old.arguments, new.arguments, arguments))
    return None


def moved_arguments(
    op: Operation, arguments: Sequence[str], records: Sequence[Known]
) -> Rename | None:
    """An operation that kept its name on a path with other variables, while the method
    still takes the old ones as arguments."""
    new = known(op)
    for k in records:
        if k.operation_id == op.operation_id and k.py_name == op.py_name:
            pairs = _renamed(k.arguments, new.arguments, arguments)
            if pairs:
                return Rename(k, op, pairs)
    return None


def _renamed(
    old: Sequence[str], new: Sequence[str], have: Sequence[str]
) -> tuple[tuple[str, str], ...]:
    """The path variables (by position) whose argument the method still has under its old
    name and not under the new one."""
    return tuple(
        (a, b) for a, b in zip(old, new, strict=False) if a != b and a in have and b not in have
    )


def _derived_from(op: Operation, name: str, arguments: Sequence[str]) -> Known | None:
    """``name`` as the name ``op``'s method and path derive with other variable names, each
    of them one of the method's arguments: the operation before its variables were renamed."""
    variables = _VAR.findall(op.path)
    tokens = [f"zzvar{i}zz" for i in range(len(variables))]
    it = iter(tokens)
    template = _VAR.sub(lambda _m: "{" + next(it) + "}", op.path)
    pattern = re.escape(naming.operation_name(op.method, template))
    for token in tokens:
        pattern = pattern.replace(token, "([a-z0-9_]+?)", 1)
    found = re.fullmatch(pattern, name)
    if found is None or not all(g in arguments for g in found.groups()):
        return None
    olds = iter(found.groups())
    old_path = _VAR.sub(lambda _m: "{" + next(olds) + "}", op.path)
    return Known(name, op.http_method, old_path, name, naming.pascal(name), found.groups())
