"""Domain errors (and database conflicts) as RFC 9457 problems, registered once on the app."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from sqlalchemy.exc import IntegrityError
from starlette.responses import Response

from generated._runtime import problem_response, undeclared_status
from impl.errors import DomainError, TooManyRequests

log = logging.getLogger(__name__)


def instance(path: str) -> str:
    """The request path as a valid URI reference (the `instance` member's format)."""
    return quote(path, safe="/:@!$&'()*+,;=-._~%")


async def _on_domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    if undeclared_status(request, exc.status) != exc.status:  # logged as a contract violation
        return problem_response(
            500, "the server produced a response the API does not declare",
            instance=instance(request.url.path),
        )  # fmt: skip
    headers: dict[str, str] = {}
    if isinstance(exc, TooManyRequests):
        headers["Retry-After"] = str(exc.retry_after)
    return problem_response(
        exc.status,
        exc.detail,
        title=exc.title,
        instance=instance(request.url.path),
        errors=[{"pointer": e.pointer, "detail": e.detail} for e in exc.errors] or None,
        headers=headers,
        extra={"code": exc.instance_code},
    )


async def _on_integrity_error(request: Request, exc: Exception) -> Response:
    # A uniqueness race lost to a concurrent request (e.g. two registrations of one email).
    log.info("integrity error answered with 409: %s", type(exc).__name__)
    return problem_response(
        409,
        "The request conflicts with a concurrent change; retry.",
        instance=instance(request.url.path),
        extra={"code": "conflict"},
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _on_domain_error)
    app.add_exception_handler(IntegrityError, _on_integrity_error)
