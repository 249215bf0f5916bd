"""Helpers shared by the handlers."""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import Request
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from generated import ProblemError
from generated.app import BASE_PATH
from impl.http.deps import RuntimeDep, SessionDep
from impl.runtime import Runtime
from impl.services.pagination import Page

M = TypeVar("M", bound=BaseModel)


def next_link(request: Request, next_cursor: str | None) -> str | None:
    """RFC 8288 `Link` to the next page: this request's URL with `cursor` replaced."""
    if next_cursor is None:
        return None
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"]
    params.append(("cursor", next_cursor))
    return f'<{request.url.path}?{urlencode(params)}>; rel="next"'


def location(*segments: object) -> str:
    return BASE_PATH + "".join(f"/{segment}" for segment in segments)


def page_body(model: type[M], page: Page[Any]) -> M:
    """A list body (`items` + `next_cursor`) read from a page of rows or views."""
    return model.model_validate(
        {"items": page.items, "next_cursor": page.next_cursor}, from_attributes=True
    )


def reject_nulls(body: BaseModel, *fields: str) -> None:
    """422 for an explicit `null` in fields the schema does not make nullable.

    The generated models type optional properties that have a default as `X | None`, so
    pydantic lets `null` through; the contract does not."""
    bad = [name for name in fields if name in body.model_fields_set and getattr(body, name) is None]
    if bad:
        raise ProblemError(
            422,
            "the request body does not match the API contract",
            errors=[{"pointer": f"/body/{name}", "detail": "may not be null"} for name in bad],
            extra={"code": "validation_failed"},
        )


class Handler:
    """Base of the per-request handler classes."""

    def __init__(
        self, session: SessionDep, runtime: RuntimeDep, request: Request, response: Response
    ) -> None:
        self.session: AsyncSession = session
        self.runtime: Runtime = runtime
        self.request = request
        self.response = response
