"""``specfirst mock SPEC``: the generated app with example stubs, served on 127.0.0.1.

Not a second implementation of the runtime: the spec is generated into the project's cache,
an implementation package is scaffolded there with example stubs (``specfirst scaffold
--stubs examples``), and the app is the one ``create_app`` builds from them. So the mock
validates requests, enforces every operation's security (it accepts the development
credential, ``$MOCK_DEV_CREDENTIAL`` or ``mock-development-only``, sent as
:func:`specfirst.contract.dev_credentials` sends it) and answers errors exactly as the real
app does. ``Prefer: code=NNN`` and ``Prefer: example=NAME`` (Prism's convention) pick another
declared response, or a named example, through the stubs' ``PreferMiddleware``.

The build is keyed by the bundled document and the generator's fingerprint: a second start
of the same spec imports what the first wrote. Each build has its own package names
(``specfirst_mock_<hash>``), so mocks of several specs live in one process side by side.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from specfirst.diagnostics import DiagnosticError

DEV_NAME = "mock"
"""The development credential's name: ``$MOCK_DEV_CREDENTIAL``, ``mock-development-only``."""
_READY = "mock.json"


@dataclass(frozen=True)
class Mock:
    """A mock app, what it was built from, and how a client gets past its security."""

    app: Any
    folder: Path  # the generated package and the example stubs
    headers: dict[str, str]  # the development credential, as each scheme takes it
    summary: list[str]  # what the stubs answer (examples or synthesized data)


def build(spec: str | Path, *, cache_dir: Path = Path(".specfirst-cache")) -> Mock:
    """Generate (or reuse) the mock project of ``spec`` and build its app.

    :class:`DiagnosticError` when the spec cannot be generated, with its diagnostics."""
    from specfirst.loader import load_spec
    from specfirst.pipeline import generator_fingerprint

    spec = Path(spec).resolve()
    document = load_spec(spec).document
    digest = hashlib.sha256(
        (json.dumps(document, sort_keys=True, default=str) + generator_fingerprint(None)).encode()
    ).hexdigest()[:16]
    name = f"specfirst_mock_{digest}"
    folder = (cache_dir / "mock" / digest).resolve()
    if not _complete(folder):
        shutil.rmtree(folder, ignore_errors=True)
        _write_project(spec, document, folder, name, cache_dir)
    built = json.loads((folder / _READY).read_text(encoding="utf-8"))
    app = _app(folder, name)
    from specfirst.contract.hooks import credential_headers

    credential = os.environ.get(f"{DEV_NAME.upper()}_DEV_CREDENTIAL") or (
        f"{DEV_NAME}-development-only"
    )
    return Mock(
        app=app,
        folder=folder,
        headers=credential_headers(document, credential) if built["secured"] else {},
        summary=list(built["summary"]),
    )


def _complete(folder: Path) -> bool:
    """Whether a build is there whole: the cache's pruning removes files one by one."""
    try:
        files = json.loads((folder / _READY).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError):
        return False
    return all((folder / rel).is_file() for rel in files)


def _write_project(spec: Path, document: Any, folder: Path, name: str, cache_dir: Path) -> None:
    """Generate the package and scaffold the example stubs into a folder of this run's own,
    then move it into place (two starts at once never see half a project)."""
    from specfirst.pipeline import generate
    from specfirst.scaffold import Scaffolder

    work = folder.with_name(f"{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        result = generate(spec, work / f"{name}_api", cache_dir=cache_dir.resolve())
        if not result.ok or result.api is None:
            raise DiagnosticError(result.diagnostics)
        scaffolder = Scaffolder(
            result.api,
            f"{name}_api",
            work / name,
            stubs="examples",
            document=document,
            dev_name=DEV_NAME,
        )
        scaffolder.write(scaffolder.plan())
        assert scaffolder.table is not None
        services = [
            (s.arg_name, s.module, s.class_name.removesuffix("Service") or s.class_name)
            for s in result.api.services
        ]
        files = sorted(
            p.relative_to(work).as_posix()
            for p in work.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        )
        (work / _READY).write_text(
            json.dumps(
                {
                    "spec": spec.as_posix(),
                    "files": files,
                    "services": services,
                    "secured": bool(result.api.schemes),
                    "errors": bool(result.api.error_models),
                    "summary": scaffolder.table.summary(),
                },
                indent=1,
            ),
            encoding="utf-8",
        )
        try:
            work.rename(folder)
        except OSError:  # another start built it first: use that one
            if not (folder / _READY).is_file():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _app(folder: Path, name: str) -> Any:
    """The app the scaffolded ``main.py`` would build, with undeclared problems only logged
    (a mock answers what it is asked for)."""
    built = json.loads((folder / _READY).read_text(encoding="utf-8"))
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    importlib.invalidate_caches()
    package = importlib.import_module(f"{name}_api")
    options: dict[str, Any] = {
        arg: getattr(importlib.import_module(f"{name}.{module}"), cls)()
        for arg, module, cls in built["services"]
    }
    if built["secured"]:
        options["security"] = importlib.import_module(f"{name}.security").Security()
    if built["errors"]:
        options["errors"] = importlib.import_module(f"{name}.errors").Errors()
    app = package.create_app(**options, undeclared_problems="log")
    app.add_middleware(importlib.import_module(f"{name}.examples").PreferMiddleware)
    return app


def serve(
    spec: str | Path,
    *,
    port: int = 4010,
    log_level: str = "info",
    cache_dir: Path = Path(".specfirst-cache"),
    on_ready: Callable[[Mock, str], None] | None = None,
) -> None:
    """Serve the mock on 127.0.0.1 only: it answers anyone who has the development
    credential with canned data, so never expose it."""
    import uvicorn

    mock = build(spec, cache_dir=cache_dir)
    if on_ready is not None:
        on_ready(mock, f"http://127.0.0.1:{port}")
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.run(mock.app, host="127.0.0.1", port=port, log_level=log_level)
