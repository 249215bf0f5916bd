"""Request bodies (JSON, form, multipart, binary, text) and non-JSON responses."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import GeneratedApi, MakeApi, client, problem
from tests.e2e.specs import BODIES


def make_service(api: GeneratedApi) -> Any:
    m, r = api.models, api.responses

    class Bodies:
        async def submit_form(self, *, body: Any) -> Any:
            return m.SubmitForm200ResponseBody(name=body.name, age=body.age)

        async def upload(self, *, body: Any) -> Any:
            data = await body.file.read()
            return r.Upload200Response(body=f"{body.file.filename}:{len(data)}:{body.note}")

        async def put_blob(self, *, body: bytes) -> Any:
            return r.PutBlob200Response(body=body[::-1], x_size=len(body))

        async def shout(self, *, body: str) -> Any:
            async def chunks() -> Any:
                for word in body.split():
                    yield word.upper() + "!"

            return r.Shout200Response(body=chunks())

    return Bodies()


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:
    return make_api(BODIES)


@pytest.fixture
def app(api: GeneratedApi) -> Any:
    return api.create_app(default=make_service(api))


async def test_form_body(app: Any) -> None:
    async with client(app) as c:
        full = await c.post("/form", data={"name": "Ann", "age": "41"})
        partial = await c.post("/form", data={"name": "Bo"})
        missing = await c.post("/form", data={"age": "3"})
        not_int = await c.post("/form", data={"name": "Cy", "age": "old"})
    assert full.status_code == 200 and full.json() == {"name": "Ann", "age": 41}
    assert partial.json() == {"name": "Bo", "age": None}
    assert [e["pointer"] for e in problem(missing, 422)["errors"]] == ["/body/name"]
    assert [e["pointer"] for e in problem(not_int, 422)["errors"]] == ["/body/age"]


async def test_form_field_constraints_are_enforced(app: Any) -> None:
    async with client(app) as c:
        short = await c.post("/form", data={"name": "A"})  # minLength: 2
    assert [e["pointer"] for e in problem(short, 422)["errors"]] == ["/body/name"]


async def test_multipart_upload_and_text_response(app: Any) -> None:
    async with client(app) as c:
        res = await c.post(
            "/upload",
            files={"file": ("a.bin", b"12345", "application/octet-stream")},
            data={"note": "hi"},
        )
        no_file = await c.post("/upload", data={"note": "hi"})
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("text/plain")
    assert res.text == "a.bin:5:hi"
    assert [e["pointer"] for e in problem(no_file, 422)["errors"]] == ["/body/file"]


async def test_binary_body_and_binary_response_with_header(app: Any) -> None:
    async with client(app) as c:
        res = await c.put(
            "/blob",
            content=b"\x00\x01\xffabc",
            headers={"content-type": "application/octet-stream"},
        )
    assert res.status_code == 200
    assert res.headers["content-type"] == "application/octet-stream"
    assert res.headers["x-size"] == "6"
    assert res.content == b"cba\xff\x01\x00"


async def test_text_body_and_streamed_text_response(app: Any) -> None:
    async with client(app) as c:
        res = await c.post(
            "/text", content="make some noise", headers={"content-type": "text/plain"}
        )
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("text/plain")
    assert res.text == "MAKE!SOME!NOISE!"


async def test_json_bodies_round_trip_unicode(app: Any) -> None:
    async with client(app) as c:
        res = await c.post("/form", data={"name": "Zoë ☃"})
    assert res.json()["name"] == "Zoë ☃"
