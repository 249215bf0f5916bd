"""specfirst as another team meets it: the wheel, a fresh install, ``specfirst init``, a deploy.

Every step runs as the README's "Use specfirst in your project" prints it:

1. build the wheel (``python -m build``) and check what it carries: one top-level import
   package, ``specfirst``, and required dependencies without the reference service's stack;
2. install the tool into a fresh venv from ``dist/`` (``PIP_FIND_LINKS``), ``specfirst init``
   a project there, then in the project: ``make test`` (its own venv, generate, unit tests and
   a contract run with zero failures), ``specfirst check`` (drift, lint, ``mypy --strict``) and
   a boot under uvicorn;
3. install the project into a second venv that holds only its runtime dependencies (no
   generator) and serve ``/openapi.json`` from it.

Slow (a few minutes: three venvs, packages from the index's cache), so one test walks it all.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"

# The tool's required dependencies: the pipeline, and what serving generated apps needs.
TOOL_REQUIRES = {
    "datamodel-code-generator",
    "openapi-spec-validator",
    "openapi-schema-validator",
    "jsonschema-rs",
    "pyyaml",
    "jinja2",
    "ruff",
    "rich",
    "watchfiles",
    "markdown-it-py",
    "fastapi",
    "pydantic",
    "python-multipart",
    "uvicorn",
    "fastapi-offline",
}
# Never required by the tool: the reference service's stack.
EXAMPLE_ONLY = {"sqlalchemy", "asyncpg", "aiosqlite", "alembic", "argon2-cffi", "pyjwt", "limits", "redis", "pydantic-settings"}  # fmt: skip
MAX_RUNTIME_DISTRIBUTIONS = 20

pytestmark = pytest.mark.slow


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = 900) -> str:
    done = subprocess.run(
        args,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"{' '.join(args)} exited {done.returncode}:\n{output[-8000:]}"
    return output


def _venv(path: Path) -> Path:
    _run([sys.executable, "-m", "venv", str(path)], path.parent)
    return path / "bin"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    env.pop("CI", None)  # the project's own tests run as a developer would run them
    env.update(extra)
    return env


def _readme_block() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"<!-- use-in-your-project -->\s*```sh\n(.*?)```", text, re.S)
    assert match, "README.md has no 'use-in-your-project' command block"
    return match.group(1)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(bin_dir: Path, cwd: Path, env: dict[str, str]) -> bytes:
    """Start ``uvicorn library.main:app``, fetch /openapi.json, stop it."""
    port = _free_port()
    with subprocess.Popen(
        [str(bin_dir / "uvicorn"), "library.main:app", "--host", "127.0.0.1", "--port", str(port)],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    ) as server:
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    url = f"http://127.0.0.1:{port}/openapi.json"
                    with urllib.request.urlopen(url, timeout=5) as response:
                        assert response.status == 200
                        return bytes(response.read())
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        server.kill()
                        output = server.communicate()[0].decode("utf-8", "replace")
                        raise AssertionError(f"uvicorn did not serve:\n{output[-4000:]}") from None
                    time.sleep(0.3)
        finally:
            server.terminate()
            server.communicate(timeout=30)


def test_a_new_team_installs_inits_tests_and_deploys(tmp_path: Path) -> None:
    # 1. the wheel
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)], REPO)
    (wheel,) = dist.glob("specfirst-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(archive.read(info).decode("utf-8"))
    top_level = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert top_level == {"specfirst"}
    required = {
        re.split(r"[\s;<>=!~\[]", requirement, maxsplit=1)[0].lower()
        for requirement in metadata.get_all("Requires-Dist") or []
        if "extra ==" not in requirement
    }
    assert required == TOOL_REQUIRES
    assert not required & EXAMPLE_ONLY
    assert {"contract", "typecheck"} <= set(metadata.get_all("Provides-Extra") or [])
    assert not any(n.startswith(("specfirst/init/example/impl/", "specfirst/templates/")) and n.endswith(".py") for n in names)  # fmt: skip

    # 2. the tool in a fresh venv, as the README says
    block = _readme_block()
    assert "pip install 'specfirst[contract,typecheck]'" in block
    assert "specfirst init library" in block and "make test" in block
    tool = _venv(tmp_path / "tool-venv")
    env = _env(PIP_FIND_LINKS=str(dist), PATH=f"{tool}{os.pathsep}{os.environ['PATH']}")
    _run([str(tool / "pip"), "install", "--quiet", "specfirst[contract,typecheck]"], tmp_path, env)
    assert "datamodel_code_generator" in _run(
        [
            str(tool / "python"),
            "-c",
            "import specfirst, datamodel_code_generator as d; print(d.__name__)",
        ],
        tmp_path,
        env,
    )
    missing = subprocess.run(
        [str(tool / "python"), "-c", "import generated"],
        cwd=tmp_path,
        capture_output=True,
        check=False,
    )
    assert missing.returncode != 0, "the tool's wheel must not install this repo's example"
    _run([str(tool / "specfirst"), "init", "library"], tmp_path, env)
    project = tmp_path / "library"
    for rel in (
        "pyproject.toml", "Makefile", ".gitignore", "README.md", ".github/workflows/ci.yml",
        ".pre-commit-config.yaml", "specs/api.yaml", "library/main.py", "library/books.py",
        "library_api/_runtime/app.py", "tests/test_contract.py",
    ):  # fmt: skip
        assert (project / rel).is_file(), rel
    assert ".specfirst-cache/" in (project / ".gitignore").read_text(encoding="utf-8")

    tests = _run(["make", "test"], project, env, timeout=1200)
    assert re.search(r"\b\d+ passed\b", tests) and " failed" not in tests, tests[-3000:]
    project_bin = project / ".venv" / "bin"
    check = _run([str(project_bin / "specfirst"), "check"], project, env)
    assert "mypy ok (library_api library)" in check, check
    served = json.loads(_serve(project_bin, project, env))
    assert served["info"]["title"] == "Library API"

    # 3. a deploy: the project alone, with only its runtime dependencies
    runtime = _venv(tmp_path / "runtime-venv")
    _run([str(runtime / "pip"), "install", "--quiet", str(project)], tmp_path, _env())
    listed = json.loads(_run([str(runtime / "pip"), "list", "--format", "json"], tmp_path, _env()))
    installed = {d["name"].lower() for d in listed} - {"pip", "setuptools"}
    assert "specfirst" not in installed and "datamodel-code-generator" not in installed
    assert "library" in installed
    assert len(installed) <= MAX_RUNTIME_DISTRIBUTIONS, sorted(installed)
    elsewhere = tmp_path / "elsewhere"  # not the project folder: the installed package serves
    elsewhere.mkdir()
    assert json.loads(_serve(runtime, elsewhere, _env())) == served
    print(f"runtime venv: {len(installed)} distributions: {', '.join(sorted(installed))}")
    shutil.rmtree(project / ".venv", ignore_errors=True)
