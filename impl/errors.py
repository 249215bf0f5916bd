"""Domain errors, raised by services and mapped by the HTTP layer to RFC 9457 problems.

    DomainError                       status  code (default)
    ├── BadRequest                    400     bad_request
    │   ├── InvalidCursor             400     invalid_cursor
    │   ├── InvalidQuery              400     invalid_query     unknown sort/filter field
    │   └── InvalidGrant              400     invalid_grant     (also invalid_scope, …)
    ├── Unauthorized                  401     unauthorized
    ├── Forbidden                     403     forbidden
    ├── NotFound                      404     not_found
    ├── Conflict                      409     conflict
    │   ├── IdempotencyKeyInUse       409     idempotency_key_in_use
    │   └── IdempotencyKeyReused      409     idempotency_key_reused
    ├── PreconditionFailed            412     etag_mismatch
    ├── PayloadTooLarge               413     payload_too_large
    ├── UnsupportedMediaType          415     unsupported_media_type
    ├── UnprocessableContent          422     validation_failed  (with field errors)
    ├── PreconditionRequired          428     precondition_required
    ├── TooManyRequests               429     rate_limited       (with retry_after)
    └── ServiceUnavailable            503     unavailable

Nothing here knows about HTTP frameworks: `status` is just the number the contract declares
for the condition, and `to_problem()` builds the body.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True, slots=True)
class FieldError:
    """One field-level problem; `pointer` is a JSON pointer into the request (RFC 6901)."""

    pointer: str
    detail: str


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    status: ClassVar[int] = 500
    title: ClassVar[str] = "Internal Server Error"
    code: ClassVar[str] = "internal_error"

    def __init__(
        self,
        detail: str | None = None,
        *,
        code: str | None = None,
        errors: list[FieldError] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.instance_code = code or self.code
        self.errors = errors or []

    def to_problem(self, instance: str | None = None) -> dict[str, Any]:
        """The `application/problem+json` body for this error."""
        problem: dict[str, Any] = {
            "type": "about:blank",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "code": self.instance_code,
        }
        if instance is not None:
            problem["instance"] = instance
        if self.errors:
            problem["errors"] = [{"pointer": e.pointer, "detail": e.detail} for e in self.errors]
        return problem


class BadRequest(DomainError):
    status, title, code = 400, "Bad Request", "bad_request"


class InvalidCursor(BadRequest):
    code = "invalid_cursor"


class InvalidQuery(BadRequest):
    code = "invalid_query"


class InvalidGrant(BadRequest):
    """An OAuth2 token-endpoint error; `code` carries the RFC 6749 error code."""

    code = "invalid_grant"


class Unauthorized(DomainError):
    status, title, code = 401, "Unauthorized", "unauthorized"


class Forbidden(DomainError):
    status, title, code = 403, "Forbidden", "forbidden"


class NotFound(DomainError):
    status, title, code = 404, "Not Found", "not_found"


class Conflict(DomainError):
    status, title, code = 409, "Conflict", "conflict"


class IdempotencyKeyInUse(Conflict):
    code = "idempotency_key_in_use"


class PreconditionFailed(DomainError):
    status, title, code = 412, "Precondition Failed", "etag_mismatch"


class PayloadTooLarge(DomainError):
    status, title, code = 413, "Content Too Large", "payload_too_large"


class UnsupportedMediaType(DomainError):
    status, title, code = 415, "Unsupported Media Type", "unsupported_media_type"


class UnprocessableContent(DomainError):
    status, title, code = 422, "Unprocessable Content", "validation_failed"


class IdempotencyKeyReused(Conflict):
    """The key was used before with a different request. A 409, not the IETF draft's 422: the
    request itself is well formed; it conflicts with what the server stored under the key."""

    code = "idempotency_key_reused"


class PreconditionRequired(DomainError):
    status, title, code = 428, "Precondition Required", "precondition_required"


class TooManyRequests(DomainError):
    status, title, code = 429, "Too Many Requests", "rate_limited"

    def __init__(self, detail: str | None = None, *, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class ServiceUnavailable(DomainError):
    status, title, code = 503, "Service Unavailable", "unavailable"
