"""``init --spec --add-operation-ids``: the derived names of operations, made explicit.

Without an ``operationId`` an operation is named from its method and path
(``GET /categories/{id}`` → ``get_categories_by_id``, ``GetCategoriesById…`` classes), so
renaming ``{id}`` would rename the method and every class. Writing the derived name into the
copied spec as its ``operationId`` keeps every generated name as it is today, and later path
edits rename nothing. The id written is the one whose Python names are exactly the derived
ones (the derived id, or the numbered name when two operations derive the same one), and
never one another operation already has. Only lines are added
(:func:`specfirst.loader.edit.insert_first_keys`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from specfirst import naming
from specfirst.adopt.files import SpecCopy
from specfirst.loader import Pointer
from specfirst.loader.edit import insert_first_keys
from specfirst.parser.context import Context
from specfirst.parser.operation_names import name_operations


@dataclass
class AddedIds:
    """What :func:`add_operation_ids` wrote: operation label → operationId, and the
    operations it left without one, each with the reason."""

    added: dict[str, str] = field(default_factory=dict)
    left: dict[str, str] = field(default_factory=dict)


def add_operation_ids(copy: SpecCopy) -> AddedIds:
    """Write an ``operationId`` into every operation of ``copy`` that has none (in the texts
    about to be written); the names generated code derives stay exactly the same."""
    spec = copy.spec
    if not isinstance(spec.document.get("paths", {}), Mapping):
        return AddedIds()  # not an OpenAPI document's paths: validation will say so
    ctx = Context(spec, [])
    names = name_operations(ctx)
    taken = {
        op["operationId"]
        for _path, _method, _item, op, _ptr, _site in ctx.operations()
        if isinstance(op.get("operationId"), str)
    }
    result = AddedIds()
    # operation label → its site, and the file and pointer it was written at
    lacking: dict[str, tuple[Pointer, tuple[str, Pointer]]] = {}
    for path, method, _item, op, ptr, site in ctx.operations():
        label = f"{method.upper()} {path}"
        if "operationId" in op:
            if not (isinstance(op["operationId"], str) and op["operationId"].strip()):
                result.left[label] = "its operationId is empty or not a string: write one"
            continue
        source, written = spec.origin(ptr)
        lacking[label] = (site, (copy.by_source(source).target, written))
    shared = Counter(place for _ptr, place in lacking.values())
    edits: dict[str, dict[Pointer, tuple[str, str]]] = defaultdict(dict)
    labels: dict[tuple[str, Pointer], str] = {}
    for label, (site, place) in lacking.items():
        name = names[site]
        value = next(
            (
                v
                for v in (name.operation_id, name.py_name)
                if v not in taken
                and naming.snake(v) == name.py_name
                and naming.pascal(v) == name.class_prefix
            ),
            None,
        )
        if shared[place] > 1:
            result.left[label] = "its path item is shared with another path ($ref)"
        elif value is None:
            result.left[label] = "no operationId keeps its generated names"
        else:
            taken.add(value)
            edits[place[0]][place[1]] = ("operationId", value)
            labels[place] = label
            result.added[label] = value
    for file in copy.files:
        if file.target not in edits:
            continue
        file.text, skipped = insert_first_keys(
            file.text, edits[file.target], json_text=file.is_json
        )
        for pointer in skipped:
            label = labels[(file.target, pointer)]
            del result.added[label]
            result.left[label] = f"specs/{file.target}: no place for a line in its mapping"
    return result
