"""Email addresses exactly as the contract declares them: `format: email`, nothing stricter.

The generated models keep `format: email` fields as plain strings (pydantic's `EmailStr`
rejects addresses the format allows, such as special-use domains like `x@host.test`), and the
generated runtime checks requests against the format with jsonschema-rs (the JSON Schema
implementation schemathesis uses for formats). The services check again, the same way, every
address they store or look up, whatever path it came by: whatever the format accepts is
accepted, and only that.

Accepted addresses are then normalised for storage and lookup (trimmed, lower-cased), so that
`Ada@Example.com` and `ada@example.com` are one account.
"""

from __future__ import annotations

import jsonschema_rs

from impl.errors import FieldError, UnprocessableContent
from impl.repositories.users import normalize_email

_FORMAT = jsonschema_rs.validator_for({"type": "string", "format": "email"}, validate_formats=True)


def is_email(value: str) -> bool:
    """Whether `value` satisfies the JSON Schema `email` format (RFC 5321 mailbox)."""
    return _FORMAT.is_valid(value)


def checked_email(value: str, *, pointer: str = "/email") -> str:
    """`value` normalised, or a 422 pointing at `pointer` when it is not an email address."""
    if not is_email(value):
        raise UnprocessableContent(
            "The request is invalid.",
            errors=[FieldError(pointer, "Not an email address.")],
        )
    return normalize_email(value)
