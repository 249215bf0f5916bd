"""JSON merge patch (RFC 7396).

The HTTP layer hands services the patch document as a dict (the validated model dumped with
`exclude_unset=True`), so "absent" and "null" stay distinct: absent leaves a field alone,
null clears it.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from impl.errors import FieldError, UnprocessableContent


def apply_merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 §2, verbatim: returns a new document, leaving both arguments untouched."""
    if not isinstance(patch, Mapping):
        return copy.deepcopy(patch)
    result: dict[str, Any] = dict(target) if isinstance(target, Mapping) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = apply_merge_patch(result.get(key), value)
    return result


def patch_fields(
    patch: Mapping[str, Any], *, allowed: frozenset[str], nullable: frozenset[str]
) -> dict[str, Any]:
    """Check a flat merge patch against the fields a resource lets clients change.

    Returns the changes to apply (`None` meaning "clear"). Unknown fields, and `null` for a
    field that cannot be empty, are 422s pointing at the field.
    """
    errors = [
        FieldError(f"/{key}", "This field cannot be changed.")
        for key in patch
        if key not in allowed
    ]
    errors += [
        FieldError(f"/{key}", "This field cannot be null.")
        for key, value in patch.items()
        if value is None and key in allowed and key not in nullable
    ]
    if errors:
        raise UnprocessableContent("The patch is invalid.", errors=errors)
    return dict(patch)
