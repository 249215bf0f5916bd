"""What operations, webhooks and callbacks are called in Python (pass 1).

Decided once, before anything is hoisted, since every name derived from an operation starts
from its class prefix: ``createTask`` → ``create_task`` (method) and ``CreateTask`` (prefix of
``CreateTaskRequest``, ``CreateTask201Response`` …). Webhooks get their payload alias, and each
callback operation the stem of its names (``SubscribeOnEvent``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from specfirst import naming
from specfirst.diagnostics import Level
from specfirst.loader import Pointer, path_item_operations
from specfirst.parser.context import Context


class OperationName(NamedTuple):
    """The names of one operation."""

    operation_id: str  # as written, or derived from method and path
    py_name: str  # the service method: ``create_task``
    class_prefix: str  # the stem of its classes: ``CreateTask``


def name_operations(ctx: Context) -> dict[Pointer, OperationName]:
    """Every operation's names, by its site (``("paths", path, method)``); a repeated
    operationId is an error. An operation served at two paths (a path item that is a
    ``$ref`` to another) is two operations, each with names of its own."""
    names: dict[Pointer, OperationName] = {}
    taken_prefix: set[str] = set()
    taken_py: set[str] = set()
    seen_ids: dict[str, Pointer] = {}
    for path, method, _item, op, ptr, site in ctx.operations():
        raw_id = op.get("operationId")
        if isinstance(raw_id, str) and raw_id.strip():
            op_id = raw_id
            if op_id in seen_ids:
                ctx.warn(
                    "duplicate-operation-id",
                    f"operationId {op_id!r} is already used by another operation; "
                    "this one gets a numbered name",
                    (*ptr, "operationId"),
                    Level.ERROR,
                )
            seen_ids.setdefault(op_id, ptr)
        else:
            op_id = naming.operation_name(method, path)
        py_name = naming.unique(naming.snake(op_id), taken_py)
        prefix = naming.unique(naming.pascal(op_id), taken_prefix)
        names[site] = OperationName(op_id, py_name, prefix)
    return names


def webhook_names(ctx: Context) -> dict[Pointer, str]:
    """Payload alias per webhook operation: ``NewPetWebhook`` (``NewPetPostWebhook`` if several)."""
    ops = list(ctx.webhooks())
    counts: dict[str, int] = {}
    for name, _method, _op, _ptr in ops:
        counts[name] = counts.get(name, 0) + 1
    taken: set[str] = set()
    out: dict[Pointer, str] = {}
    for name, method, op, ptr in ops:
        base = op.get("operationId") if isinstance(op.get("operationId"), str) else name
        if counts[name] > 1 and base == name:
            base = f"{name}_{method}"
        out[ptr] = naming.unique(naming.pascal(str(base)) + "Webhook", taken)
    return out


@dataclass(slots=True)
class CallbackOp:
    """One operation of a callback, as read from the document (pass 1 and 2)."""

    owner: Pointer  # the operation declaring the callback
    name: str
    expression: str
    method: str
    item: Mapping[str, Any]
    op: Mapping[str, Any]
    ptr: Pointer
    base: str = ""  # ``SubscribeOnEvent``: the stem of its names
    owner_id: str = ""  # the operationId of the operation declaring it


def find_callbacks(ctx: Context, op_names: Mapping[Pointer, OperationName]) -> list[CallbackOp]:
    """Every operation of every operation's callbacks, each with the stem of its names.

    Read once per parser, so their diagnostics are reported once. An operation served at
    two paths declares its callbacks once: they are named after its first site."""
    found: list[CallbackOp] = []
    owners: dict[Pointer, OperationName] = {}
    for _path, _method, _item, op, ptr, site in ctx.operations():
        callbacks = op.get("callbacks")
        if not isinstance(callbacks, Mapping) or ptr in owners:
            continue
        owners[ptr] = op_names[site]
        for name, raw in callbacks.items():
            callback, cb_ptr = ctx.deref(raw, (*ptr, "callbacks", name))
            if not isinstance(callback, Mapping):
                continue
            for expression, raw_item in callback.items():
                if str(expression).startswith("x-"):
                    continue
                item, item_ptr = ctx.deref(raw_item, (*cb_ptr, expression))
                if not isinstance(item, Mapping):
                    continue
                for method, rel, cb_op in path_item_operations(item):
                    found.append(
                        CallbackOp(
                            ptr,
                            str(name),
                            str(expression),
                            method.lower(),
                            item,
                            cb_op,
                            (*item_ptr, *rel),
                        )
                    )
    counts: dict[tuple[Pointer, str], int] = {}
    for cb in found:
        counts[(cb.owner, cb.name)] = counts.get((cb.owner, cb.name), 0) + 1
    taken: set[str] = set()
    for cb in found:
        base = owners[cb.owner].class_prefix + naming.pascal(cb.name)
        if counts[(cb.owner, cb.name)] > 1:
            base += naming.pascal(cb.method)
        cb.base = naming.unique(base, taken)
        cb.owner_id = owners[cb.owner].operation_id
    return found
