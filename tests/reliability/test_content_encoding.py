"""`Content-Encoding` on a request body was ignored: a gzip body got 422 (the compressed bytes
read as JSON), and a plain body labelled `br` was accepted with 201. The service decodes no
content coding, so a body in any coding but `identity` is now a 415 problem with
`Accept-Encoding: identity` (RFC 7694 §3), before the handler or the body parser runs.
"""

from __future__ import annotations

import gzip
import json

import pytest

from tests.service.conftest import User, assert_declared, assert_problem


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [("gzip", True), ("br", False), ("deflate", False), ("GZIP", True), ("gzip, identity", True)],
)
async def test_an_encoded_json_body_is_a_415(ada: User, encoding: str, compress: bool) -> None:
    body = json.dumps({"name": "Encoded"}).encode()
    response = await ada.post(
        "/v1/projects",
        content=gzip.compress(body) if compress else body,
        headers={"Content-Type": "application/json", "Content-Encoding": encoding},
    )
    assert_problem(response, 415, "unsupported_content_encoding")
    assert response.headers["accept-encoding"] == "identity"
    assert_declared(response, "createProject")
    assert (await ada.get("/v1/projects")).json()["items"] == []


async def test_an_encoded_form_and_upload_are_415_too(ada: User) -> None:
    project = await ada.project()
    task = await ada.task(project["id"])
    upload = await ada.post(
        f"/v1/tasks/{task['id']}/attachments",
        files={"file": ("a.txt", b"hello", "text/plain")},
        headers={"Content-Encoding": "gzip"},
    )
    assert_problem(upload, 415, "unsupported_content_encoding")
    token = await ada.client.post(
        "/v1/auth/token",
        content=gzip.compress(b"grant_type=password&username=x&password=y"),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Content-Encoding": "gzip",
        },
    )
    assert_problem(token, 415, "unsupported_content_encoding")
    assert_declared(token, "createToken")


async def test_identity_and_bodyless_requests_are_unaffected(ada: User) -> None:
    created = await ada.post(
        "/v1/projects",
        json={"name": "Plain"},
        headers={"Content-Encoding": "identity"},
    )
    assert created.status_code == 201, created.text
    listed = await ada.get("/v1/projects", headers={"Content-Encoding": "gzip"})
    assert listed.status_code == 200, listed.text
