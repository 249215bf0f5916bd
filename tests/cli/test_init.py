"""``specfirst init`` and ``specfirst scaffold``: a working project, written once.

The whole journey through a built wheel and fresh venvs is ``tests/distribution``; these run in this
process's environment and pin the files, the never-overwrite rule and the stubs.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from specfirst.cli import main

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


def _init(tmp_path: Path, *args: str) -> int:
    with contextlib.chdir(tmp_path):
        return main(["init", *args])


@contextlib.asynccontextmanager
async def _project_client(project: Path, name: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the new project's ``<name>.main:app``, its packages forgotten afterwards."""
    sys.path.insert(0, str(project))
    try:
        app = importlib.import_module(f"{name}.main").app
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            yield client
    finally:
        sys.path.remove(str(project))
        for module in [n for n in sys.modules if n.split(".")[0] in {name, f"{name}_api"}]:
            del sys.modules[module]


def test_init_writes_the_whole_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _init(tmp_path, "library") == 0
    project = tmp_path / "library"
    for rel in (
        "pyproject.toml", "Makefile", "README.md", ".gitignore", ".pre-commit-config.yaml",
        ".github/workflows/ci.yml", "specs/api.yaml", "tests/contract.py", "tests/test_api.py",
        "tests/test_contract.py", "library/main.py", "library/security.py", "library/books.py",
        "library/loans.py", "library/auth.py", "library/health.py", "library_api/app.py",
        "library_api/_runtime/render.py",
    ):  # fmt: skip
        assert (project / rel).is_file(), rel
    pyproject = (project / "pyproject.toml").read_text(encoding="utf-8")
    assert 'implementation = "library"' in pyproject
    assert 'package = "library_api"' in pyproject
    assert '"fastapi>=' in pyproject and "sqlalchemy" not in pyproject.lower()
    assert '"python-multipart>=' in pyproject  # the token endpoint takes a form
    assert ".specfirst-cache/" in (project / ".gitignore").read_text(encoding="utf-8")
    assert "contract-deep" in (project / ".github/workflows/ci.yml").read_text(encoding="utf-8")
    err = capsys.readouterr().err
    assert "next: cd library && make run" in err


def test_the_example_project_passes_its_own_tests(tmp_path: Path) -> None:
    assert _init(tmp_path, "library") == 0
    project = tmp_path / "library"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "ignore"],
        cwd=project,
        env={"PATH": str(Path(sys.executable).parent), "PYTHONPATH": str(project)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-5000:]
    assert "6 passed" in done.stdout, done.stdout


def test_init_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "library"
    (project / "library").mkdir(parents=True)
    (project / "library" / "books.py").write_text("# mine\n", encoding="utf-8")
    (project / "Makefile").write_text("mine:\n", encoding="utf-8")
    assert _init(tmp_path, "library") == 0
    assert (project / "library" / "books.py").read_text(encoding="utf-8") == "# mine\n"
    assert (project / "Makefile").read_text(encoding="utf-8") == "mine:\n"
    err = capsys.readouterr().err
    assert "kept  library/books.py (exists; not overwritten)" in err
    assert "kept  Makefile (exists; not overwritten)" in err


async def test_init_from_a_multifile_spec_writes_501_stubs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = GOLDEN / "multifile" / "spec" / "api.yaml"
    assert _init(tmp_path, "shelf", "--spec", str(spec)) == 0
    project = tmp_path / "shelf"
    copied = sorted(
        p.relative_to(project / "specs").as_posix() for p in (project / "specs").rglob("*.yaml")
    )
    assert len(copied) > 1 and "api.yaml" in copied
    books = (project / "shelf" / "books.py").read_text(encoding="utf-8")
    assert "class Books:" in books and "raise NotImplementedOperation(" in books
    assert not (project / "tests" / "test_api.py").exists()  # the example's tests only

    async with _project_client(project, "shelf") as client:
        response = await client.get("/books")
    assert response.status_code in (401, 501), response.text
    capsys.readouterr()


def _add_count_pets(project: Path, responses: str) -> None:
    """Add ``GET /pets/count`` (tag pets, ``countPets``) with ``responses`` to the copied spec."""
    api = project / "specs" / "api.yaml"
    added = (
        "paths:\n  /pets/count:\n    get:\n      tags: [pets]\n      operationId: countPets\n"
        "      responses:\n" + responses
    )
    api.write_text(api.read_text(encoding="utf-8").replace("paths:\n", added, 1), encoding="utf-8")


def test_scaffold_appends_stubs_and_keeps_written_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = GOLDEN / "openapi30" / "spec" / "api.yaml"
    assert _init(tmp_path, "pets", "--spec", str(spec)) == 0
    project = tmp_path / "pets"
    module = project / "pets" / "pets.py"
    written = module.read_text(encoding="utf-8").replace(
        'raise NotImplementedOperation("listPets")', "raise ProblemError(503)  # mine"
    )
    module.write_text(written, encoding="utf-8")
    _add_count_pets(
        project,
        "        '200':\n          description: ok\n"
        "          content:\n            application/json:\n"
        "              schema: {type: integer}\n",
    )
    with contextlib.chdir(project):
        assert main(["generate"]) == 0
        assert "pets/pets.py: 1 missing method(s): countPets" in capsys.readouterr().err
        assert main(["scaffold", "--check"]) == 1
        assert main(["scaffold"]) == 0
        assert main(["scaffold", "--check"]) == 0
    after = module.read_text(encoding="utf-8")
    assert after.startswith(written.rstrip("\n"))  # everything before is byte for byte as it was
    assert (
        "async def count_pets(" in after and 'raise NotImplementedOperation("countPets")' in after
    )


async def test_init_writes_the_error_hook_and_scaffold_adds_new_error_bodies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = GOLDEN / "openapi30" / "spec" / "api.yaml"  # errors as application/json {code, message}
    assert _init(tmp_path, "pets", "--spec", str(spec)) == 0
    project = tmp_path / "pets"
    errors = project / "pets" / "errors.py"
    assert "errors=Errors()" in (project / "pets" / "main.py").read_text(encoding="utf-8")
    assert "return fill(models.Error, problem)" in errors.read_text(encoding="utf-8")

    async with _project_client(project, "pets") as client:
        invalid = await client.post("/pets", json={})
        unimplemented = await client.get("/pets")
    assert invalid.status_code == 400  # the declared 400: the Error model, not problem+json
    assert invalid.headers["content-type"] == "application/json"
    assert invalid.json() == {
        "code": 400,
        "message": "the request body does not match the API contract",
    }
    assert unimplemented.status_code == 501  # under the declared default
    assert unimplemented.json() == {
        "code": 501,
        "message": "operation 'listPets' is not implemented yet",
    }

    errors.write_text(errors.read_text(encoding="utf-8") + "    # mine\n", encoding="utf-8")
    _add_count_pets(
        project,
        "        '200':\n          description: ok\n"
        "        '503':\n          description: down\n"
        "          content:\n            application/json:\n"
        "              schema: {type: object, required: [reason], properties: {reason: {type: string}}}\n",
    )
    with contextlib.chdir(project):
        assert main(["scaffold"]) == 0
    err = capsys.readouterr().err
    assert "pets/errors.py: 1 missing method(s): Errors.count_pets503_response_body" in err
    after = errors.read_text(encoding="utf-8")
    assert "    # mine\n" in after
    assert (
        "def count_pets503_response_body(self, problem: Problem) -> models.CountPets503ResponseBody:"
        in after
    )


def test_a_missing_extra_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "schemathesis" else real(name, *a),
    )
    assert main(["contract", "--app", "nowhere:app"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        "specfirst: contract testing needs schemathesis, which is not installed: "
        "pip install 'specfirst[contract]'"
    )


SCHEMES_SPEC = """
openapi: 3.1.0
info: {title: Keys, version: '1'}
paths:
  /query-key:
    get:
      security: [{query_key: []}]
      responses: {'200': {description: ok}}
  /cookie-key:
    get:
      security: [{cookie_key: []}]
      responses: {'200': {description: ok}}
  /basic:
    get:
      security: [{basic: []}]
      responses: {'200': {description: ok}}
  /oauth:
    get:
      security: [{oauth: [things:write]}, {header_key: []}]
      responses: {'200': {description: ok}}
components:
  securitySchemes:
    query_key: {type: apiKey, in: query, name: key}
    cookie_key: {type: apiKey, in: cookie, name: session}
    header_key: {type: apiKey, in: header, name: X-Key}
    basic: {type: http, scheme: basic}
    oauth:
      type: oauth2
      flows:
        clientCredentials: {tokenUrl: /token, scopes: {things:write: Write.}}
"""


async def test_the_scaffold_and_the_auth_hook_share_a_development_credential(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each scheme kind gets past 401 to the stub's 501 with what the auth hook sends, a wrong
    credential is 401, and in production the default credential is refused."""
    import httpx
    import requests

    from specfirst.contract import AuthContext, dev_credentials

    spec = tmp_path / "keys.yaml"
    spec.write_text(SCHEMES_SPEC, encoding="utf-8")
    assert _init(tmp_path, "keys", "--spec", str(spec)) == 0
    project = tmp_path / "keys"
    pyproject = (project / "pyproject.toml").read_text(encoding="utf-8")
    assert '[tool.specfirst.lint]\nprofile = "imported"' in pyproject
    assert 'undeclared_problems="log" if PRODUCTION' in (project / "keys" / "main.py").read_text()

    monkeypatch.syspath_prepend(str(project))
    monkeypatch.delenv("KEYS_DEV_CREDENTIAL", raising=False)
    try:
        security = importlib.import_module("keys.security")
        main_module = importlib.import_module("keys.main")
        ctx = AuthContext(base_url="http://t", session=requests.Session(), spec=_yaml(SCHEMES_SPEC))
        good = dev_credentials(ctx, security.dev_credential(), username=security.DEV_USERNAME)
        bad = dev_credentials(ctx, "wrong", username=security.DEV_USERNAME)
        assert set(good) == {"key", "session", "X-Key", "Authorization"}
        assert good["Authorization"].startswith(
            "Basic "
        )  # basic and oauth: one use each, basic first

        async def answers(app: Any, creds: dict[str, str]) -> dict[str, int]:
            statuses = {}
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                for path, params, headers, cookies in (
                    ("/query-key", {"key": creds["key"]}, {}, {}),
                    ("/cookie-key", {}, {}, {"session": creds["session"]}),
                    ("/basic", {}, {"Authorization": creds["Authorization"]}, {}),
                    ("/oauth", {}, {"X-Key": creds["X-Key"]}, {}),
                ):
                    client.cookies.clear()
                    client.cookies.update(cookies)
                    response = await client.get(path, params=params, headers=headers)
                    statuses[path] = response.status_code
                    if response.status_code == 501:
                        assert response.headers["specfirst-unimplemented"]
            return statuses

        assert set((await answers(main_module.app, good)).values()) == {501}
        assert set((await answers(main_module.app, bad)).values()) == {401}
        production = main_module.create_app(
            security=security.Security(production=True), allow_unimplemented=True
        )
        assert set((await answers(production, good)).values()) == {401}
    finally:
        for name in [n for n in sys.modules if n.split(".")[0] in {"keys", "keys_api"}]:
            del sys.modules[name]
    capsys.readouterr()


def _yaml(text: str) -> Any:
    import yaml

    return yaml.safe_load(text)


def test_a_package_name_never_shadows_the_standard_library(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from specfirst.commands.init import package_name

    assert package_name("email") == "app_email" and package_name("json") == "app_json"
    assert package_name("orders") == "orders"
    with contextlib.chdir(tmp_path):
        assert main(["init", "svc", "--name", "json"]) == 2
    assert "'json' is a module of Python's standard library" in capsys.readouterr().err
