"""GitHub's REST API spec (≈1,200 operations) through the same pipeline, unchanged.

Generates, imports, builds the app with every service unimplemented, and checks one route per
operation and that ``/openapi.json`` serves the source document. Needs ``make corpus-fetch``;
without it the test skips locally and fails on CI.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from specfirst.pipeline import generate

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / ".cache/corpus/node_modules/@octokit/openapi/generated/api.github.com.json"
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def github_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding the generated package ``github_api``."""
    if not SPEC.is_file():
        message = f"{SPEC} missing: run `make corpus-fetch`"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    out = tmp_path_factory.mktemp("github")
    result = generate(SPEC, out / "github_api", cache_dir=ROOT / ".specfirst-cache")
    assert result.ok, [d.format() for d in result.diagnostics if d.level == "error"]
    return out


@pytest.fixture(scope="module")
def github(github_dir: Path) -> Iterator[tuple[Any, dict[str, Any]]]:
    out = github_dir
    sys.path.insert(0, str(out))
    try:
        package = importlib.import_module("github_api")
        app = package.create_app(allow_unimplemented=True)
        yield app, json.loads(SPEC.read_bytes())
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m == "github_api" or m.startswith("github_api.")]:
            del sys.modules[name]


def _fetch(app: Any, *requests: tuple[str, str]) -> list[httpx.Response]:
    async def run() -> list[httpx.Response]:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"
        ) as client:
            return [await client.request(method, url) for method, url in requests]

    return asyncio.run(run())


def test_one_route_per_operation(github: tuple[Any, dict[str, Any]]) -> None:
    app, doc = github
    expected = {
        (method.upper(), path)
        for path, item in doc["paths"].items()
        for method in item
        if method in METHODS
    }
    served = {
        (method, route.path_format)
        for route in app.routes
        if getattr(route, "operation_id", None)
        for method in route.methods
    }

    # Route paths use Python parameter names; compare the templates by their literal parts.
    def shape(path: str) -> str:
        return re.sub(r"{[^}]+}", "{}", path)

    assert len(expected) > 1000
    assert {(m, shape(p)) for m, p in served} == {(m, shape(p)) for m, p in expected}
    assert len(served) == len(expected)


def test_serves_the_source_document_and_answers_501(github: tuple[Any, dict[str, Any]]) -> None:
    app, doc = github
    spec, meta, issues = _fetch(
        app, ("GET", "/openapi.json"), ("GET", "/meta"), ("GET", "/repos/octo/hello/issues")
    )
    assert spec.status_code == 200
    assert spec.json() == doc
    for response in (meta, issues):
        assert response.status_code == 501
        assert response.headers["content-type"] == "application/problem+json"


PROBE = r"""
import asyncio, json, sys
import httpx, pydantic
import github_api

app = github_api.create_app(allow_unimplemented=True)

async def main():
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        return (await c.get(sys.argv[1])).status_code

status = asyncio.run(main())
groups = sorted(m for m in sys.modules if m.startswith("github_api.models."))
classes = sum(
    1
    for m in groups
    for v in vars(sys.modules[m]).values()
    if isinstance(v, type) and issubclass(v, pydantic.BaseModel) and v.__module__ == m
)
print(json.dumps({"status": status, "groups": groups, "classes": classes}))
"""


@pytest.mark.parametrize(("tag", "url"), [("meta", "/meta"), ("issues", "/repos/o/r/issues")])
def test_a_first_request_creates_only_its_tags_models(github_dir: Path, tag: str, url: str) -> None:
    """GitHub's 4,745 models are grouped by the tags that use them (``model_groups``)."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, url],
        cwd=github_dir,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    out = json.loads(done.stdout.splitlines()[-1])
    assert out["status"] == 501
    models = github_dir / "github_api" / "models"
    everything = sum(p.read_text().count("\nclass ") for p in models.glob("_*.py"))
    assert everything > 4000
    assert 0 < out["classes"] < everything // 10
    for module in out["groups"]:  # each group it imported is one its tag uses
        doc = (models / f"{module.rpartition('.')[2]}.py").read_text().split('"""')[1]
        assert re.search(rf"\b{tag}\b", doc), (module, doc)
