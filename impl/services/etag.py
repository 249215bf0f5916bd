"""Entity tags and conditional requests (RFC 9110 §8.8.3, §13.1).

ETags are strong, opaque and derived from the row's id and version column, so they change on
every committed update and never repeat across resources.
"""

from __future__ import annotations

import base64
import hashlib
import uuid

from impl.errors import PreconditionFailed, PreconditionRequired


def compute_etag(resource_id: uuid.UUID, version: int) -> str:
    digest = hashlib.sha256(f"{resource_id}:{version}".encode()).digest()
    return '"' + base64.urlsafe_b64encode(digest[:12]).decode().rstrip("=") + '"'


def _tags(header: str) -> list[str]:
    return [part.strip() for part in header.split(",") if part.strip()]


def require_if_match(if_match: str | None, current: str) -> None:
    """428 without `If-Match`, 412 unless it names the current ETag (strong comparison)."""
    if if_match is None or not if_match.strip():
        raise PreconditionRequired(
            "This request must be conditional: send If-Match with the ETag you last read."
        )
    tags = _tags(if_match)
    if "*" in tags:
        return
    if current not in [tag for tag in tags if not tag.startswith("W/")]:
        raise PreconditionFailed(
            "The resource has changed since it was read; fetch it again and retry."
        )


def if_none_match_hits(if_none_match: str | None, current: str) -> bool:
    """True when a GET can answer 304 (weak comparison, `*` matches anything)."""
    if not if_none_match:
        return False
    tags = [tag.removeprefix("W/") for tag in _tags(if_none_match)]
    return "*" in tags or current in tags
