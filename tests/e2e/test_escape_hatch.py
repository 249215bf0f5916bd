"""The escape hatch: a class-based service gets Request, Response and its own dependencies."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

import pytest
from fastapi import Depends, Request, Response

from tests.e2e.conftest import GeneratedApi, MakeApi, client
from tests.e2e.specs import HATCH


class Session:
    """Stands in for a database session: one per request, closed afterwards."""

    opened: ClassVar[list[Session]] = []

    def __init__(self) -> None:
        self.closed = False
        Session.opened.append(self)


async def get_session() -> Any:
    session = Session()
    try:
        yield session
    finally:
        session.closed = True


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:
    return make_api(HATCH)


def make_greeter(api: GeneratedApi) -> type:
    class Greeter:
        """Instantiated by FastAPI per request, its ``__init__`` parameters resolved as dependencies."""

        def __init__(
            self,
            request: Request,
            response: Response,
            session: Annotated[Session, Depends(get_session)],
        ) -> None:
            self.request = request
            self.response = response
            self.session = session

        async def hello(self, *, name: str) -> Any:
            self.response.set_cookie("visited", "yes")
            self.response.headers["X-Served-By"] = "greeter"
            agent = self.request.headers.get("user-agent", "?")
            assert not self.session.closed
            return api.models.Hello200ResponseBody(greeting=f"hello {name} from {agent}")

    return Greeter


async def test_class_service_reaches_request_response_and_dependencies(api: GeneratedApi) -> None:
    Session.opened.clear()
    app = api.create_app(greeter=make_greeter(api))
    async with client(app) as c:
        res = await c.get("/hello", headers={"User-Agent": "probe/1"})
        again = await c.get("/hello", params={"name": "Ada"})
    assert res.status_code == 200
    assert res.json() == {"greeting": "hello world from probe/1"}
    assert res.headers["x-served-by"] == "greeter"
    assert res.cookies["visited"] == "yes"
    assert res.headers["content-type"] == "application/json"
    assert again.json()["greeting"].startswith("hello Ada")
    assert len(Session.opened) == 2 and all(s.closed for s in Session.opened)


async def test_factory_function_service(api: GeneratedApi) -> None:
    Greeter = make_greeter(api)

    def factory(request: Request, response: Response) -> Any:
        return Greeter(request, response, Session())

    app = api.create_app(greeter=factory)
    async with client(app) as c:
        res = await c.get("/hello", params={"name": "Bea"})
    assert res.status_code == 200
    assert res.headers["x-served-by"] == "greeter"
