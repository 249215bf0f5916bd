"""Start-up at scale: importing the package and serving the spec import no router and no model.

With ``lazy_routes`` (the default for large APIs), ``create_app`` registers placeholders from
``routers.ROUTES``; the first request to an operation imports its tag's router (and the
models module, whose classes stay unbuilt until used: ``defer_build``). Checked in a fresh
interpreter so that nothing imported by other tests hides an import.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from specfirst.pipeline import generate
from tests.e2e.specs import TASKS

PROBE = r"""
import asyncio, json, sys
import httpx, pydantic
import lazy_pkg

def loaded():
    return sorted(m.removeprefix("lazy_pkg.") for m in sys.modules if m.startswith("lazy_pkg."))

out = {"after_import": loaded()}
app = lazy_pkg.create_app(allow_unimplemented=True, lazy_routes=sys.argv[1] == "lazy")
out["after_create_app"] = loaded()

async def main():
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        out["spec"] = (await client.get("/openapi.json")).status_code
        out["after_spec"] = loaded()
        out["get"] = (await client.get("/api/tasks/1")).status_code
        out["after_get"] = loaded()
        out["again"] = (await client.get("/api/tasks/2")).status_code
        out["wrong_method"] = (await client.put("/api/tasks/2")).status_code

asyncio.run(main())
models = sys.modules.get("lazy_pkg.models")
classes = [
    v for v in vars(models).values()
    if isinstance(v, type) and issubclass(v, pydantic.BaseModel) and v.__module__ == models.__name__
] if models else []
out["models"] = len(classes)
out["built"] = sum(1 for c in classes if c.__pydantic_complete__)
out["attribute"] = lazy_pkg.responses.__name__  # `package.responses` still works, on first use
print(json.dumps(out))
"""


def _probe(tmp_path: Path, mode: str) -> dict[str, Any]:
    if not (tmp_path / "lazy_pkg").exists():
        spec = tmp_path / "api.yaml"
        spec.write_text(TASKS, encoding="utf-8")
        assert generate(spec, tmp_path / "lazy_pkg", cache_dir=None).ok
    done = subprocess.run(
        [sys.executable, "-c", PROBE, mode],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_importing_the_package_and_serving_the_spec_build_no_model(tmp_path: Path) -> None:
    out = _probe(tmp_path, "lazy")
    light = ["_runtime", "app", "errors", "routers", "security", "services"]
    for stage in ("after_import", "after_create_app", "after_spec"):
        assert not [m for m in out[stage] if m == "models" or m.startswith("routers.")], stage
    assert out["spec"] == 200
    assert out["get"] == out["again"] == 501  # allow_unimplemented: the route works
    assert out["wrong_method"] == 405
    # the first request imported its tag's router only, and the models without building them
    assert "routers.tasks" in out["after_get"] and "routers.admin" not in out["after_get"]
    assert "models" in out["after_get"]
    assert out["models"] > 3 and out["built"] == 0
    assert out["attribute"] == "lazy_pkg.responses"
    assert all(any(m == n or m.startswith(n + ".") for n in light) for m in out["after_spec"])


def test_eager_routes_import_routers_at_create_app(tmp_path: Path) -> None:
    out = _probe(tmp_path, "eager")
    assert "routers.tasks" in out["after_create_app"] and "routers.admin" in out["after_create_app"]
    assert out["get"] == 501 and out["wrong_method"] == 405
