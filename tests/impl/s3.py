"""An S3-compatible server for the tests: moto's server mode on 127.0.0.1 and a free port,
started once per test session; each test gets a bucket of its own.

Import the fixtures into a conftest (`from tests.impl.s3 import moto_endpoint, s3_url`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

REGION = "us-east-1"


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def s3_client(endpoint: str) -> object:
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


@pytest.fixture
def s3_url(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """`s3://<fresh bucket>/files`, with the environment pointing the client at moto."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_REGION": REGION,
        "AWS_ENDPOINT_URL": moto_endpoint,
    }.items():
        monkeypatch.setenv(name, value)
    bucket = f"specfirst-{uuid.uuid4().hex[:12]}"
    s3_client(moto_endpoint).create_bucket(Bucket=bucket)  # type: ignore[attr-defined]
    return f"s3://{bucket}/files"


def bucket_state(endpoint: str, url: str) -> tuple[list[str], list[str]]:
    """(object keys, keys of unfinished multipart uploads) in the URL's bucket."""
    bucket = url.removeprefix("s3://").split("/", 1)[0]
    client = s3_client(endpoint)
    objects = client.list_objects_v2(Bucket=bucket).get("Contents", [])  # type: ignore[attr-defined]
    uploads = client.list_multipart_uploads(Bucket=bucket).get("Uploads", [])  # type: ignore[attr-defined]
    return [o["Key"] for o in objects], [u["Key"] for u in uploads]
