"""The runtime behind generated webhook and callback senders: URL expressions, credentials."""

from __future__ import annotations

import httpx
import pytest
from pydantic import BaseModel, Field

from specfirst.runtime import senders
from specfirst.runtime.security import Scheme, SchemeKind


class Body(BaseModel):
    callback_url: str = Field(alias="callbackUrl")
    hooks: list[dict[str, str]] = []


def test_expand_reads_runtime_expressions() -> None:
    body = Body.model_validate({"callbackUrl": "https://h.test/cb", "hooks": [{"a/b": "x"}]})
    values = {"$request.body": body, "$request.query.id": 7, "$method": "POST"}
    assert (
        senders.expand("{$request.body#/callbackUrl}?id={$request.query.id}&m={$method}", values)
        == "https://h.test/cb?id=7&m=POST"
    )
    assert senders.expand("{$request.body#/hooks/0/a~1b}", values) == "x"  # escapes, indexes
    with pytest.raises(KeyError, match="nothing at"):
        senders.expand("{$request.body#/missing}", values)
    with pytest.raises(KeyError, match="no value"):
        senders.expand("{$url}", values)
    with pytest.raises(ValueError, match="not a scalar"):
        senders.expand("{$request.body#/hooks}", values)


API_KEY_QUERY = Scheme("q", SchemeKind.API_KEY, "m", param_name="key", location="query")
API_KEY_COOKIE = Scheme("c", SchemeKind.API_KEY, "m", param_name="sid", location="cookie")
BEARER = Scheme("b", SchemeKind.HTTP_BEARER, "m", auth_scheme="Bearer")


async def test_credentials_and_parameters_in_every_location() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        response = await senders.send(
            "hook",
            "POST",
            "https://h.test/in?fixed=1",
            str,
            "hi",
            media_type="text/plain",
            params=(("query", "tag", ["a", "b"]), ("cookie", "lang", "en"), ("header", "X-N", 3)),
            security=((API_KEY_QUERY, API_KEY_COOKIE), (BEARER,)),
            credentials={"q": "k1", "c": "s1", "b": None},
            client=client,
        )
        # Only the second alternative can be met: the bearer token is used.
        await senders.send(
            "hook",
            "GET",
            "https://h.test/in",
            None,
            None,
            media_type=None,
            security=((API_KEY_QUERY, API_KEY_COOKIE), (BEARER,)),
            credentials={"q": "k1", "b": "t"},
            client=client,
        )
    assert response.status_code == 204
    first, second = seen
    assert first.url.query == b"fixed=1&tag=a&tag=b&key=k1"
    assert first.headers["cookie"] == "lang=en; sid=s1"
    assert first.headers["x-n"] == "3" and first.content == b"hi"
    assert first.headers["content-type"] == "text/plain"
    assert second.headers["authorization"] == "Bearer t" and "cookie" not in second.headers
    assert second.content == b""


async def test_basic_credentials_must_be_a_pair() -> None:
    basic = Scheme("basic", SchemeKind.HTTP_BASIC, "m")
    with pytest.raises(senders.CredentialsError, match="username, password"):
        await senders.send(
            "hook",
            "POST",
            "https://h.test/",
            None,
            None,
            media_type=None,
            security=((basic,),),
            credentials={"basic": "not-a-pair"},
        )
