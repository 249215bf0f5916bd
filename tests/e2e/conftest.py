"""Generate a package from an inline YAML spec, import it, and drive its app over HTTP.

``make_api(SPEC)`` writes the spec to a temporary folder, runs the whole pipeline into a
package with a unique name, imports it and returns a :class:`GeneratedApi`. Packages are
cached per spec text for the test module and removed from ``sys.modules``/``sys.path``
afterwards. ``client(app)`` is an ``httpx.AsyncClient`` talking to the app in-process.
"""

from __future__ import annotations

import importlib
import itertools
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from specfirst.pipeline import generate

_counter = itertools.count()

MakeApi = Callable[[str], "GeneratedApi"]


@dataclass
class GeneratedApi:
    """An imported generated package and its modules."""

    name: str
    root: Path  # folder on sys.path holding the package
    path: Path  # the package folder
    spec_path: Path
    package: ModuleType
    models: ModuleType
    responses: ModuleType
    services: ModuleType
    security: ModuleType

    def create_app(self, **kwargs: Any) -> Any:
        return self.package.create_app(**kwargs)

    @property
    def StartupError(self) -> type[Exception]:
        return self.package.StartupError  # type: ignore[no-any-return]


def generate_package(spec_text: str, root: Path, *, spec_name: str = "api.yaml") -> GeneratedApi:
    """Generate ``spec_text`` into a fresh, uniquely named package under ``root`` and import it."""
    name = f"sf_e2e_{next(_counter)}_{root.name.replace('-', '_')}"
    spec_dir = root / f"{name}_spec"
    spec_dir.mkdir(parents=True)
    spec_path = spec_dir / spec_name
    spec_path.write_text(textwrap.dedent(spec_text), encoding="utf-8")
    result = generate(spec_path, root / name, cache_dir=None, force=True)
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    importlib.invalidate_caches()
    package = importlib.import_module(name)
    modules = {
        m: importlib.import_module(f"{name}.{m}")
        for m in ("models", "responses", "services", "security")
    }
    return GeneratedApi(name, root, root / name, spec_path, package, **modules)


def _forget(api: GeneratedApi) -> None:
    for module in [m for m in sys.modules if m == api.name or m.startswith(api.name + ".")]:
        del sys.modules[module]
    if str(api.root) in sys.path:
        sys.path.remove(str(api.root))


@pytest.fixture(scope="module")
def make_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], GeneratedApi]]:
    """Factory: spec text → imported package (cached per spec for the module)."""
    made: dict[str, GeneratedApi] = {}

    def make(spec_text: str) -> GeneratedApi:
        if spec_text not in made:
            made[spec_text] = generate_package(spec_text, tmp_path_factory.mktemp("e2e"))
        return made[spec_text]

    yield make
    for api in made.values():
        _forget(api)


def client(app: Any) -> httpx.AsyncClient:
    """An HTTP client for ``app``; server errors come back as responses, not exceptions."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """Assert ``response`` is an RFC 9457 problem with ``status``; return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json", response.headers
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert isinstance(body["title"], str) and body["title"]
    assert "type" in body
    return body
