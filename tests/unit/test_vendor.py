"""The runtime is vendored into every generated package as ``_runtime/``."""

from __future__ import annotations

import ast
from pathlib import Path

import specfirst.runtime
from specfirst.pipeline import HEADER_MARK, generator_version
from specfirst.vendor import RUNTIME, runtime_files

SOURCE = Path(specfirst.runtime.__file__).parent


def test_every_runtime_module_is_vendored_with_a_header() -> None:
    files = runtime_files(generator_version())
    assert sorted(files) == sorted(f"{RUNTIME}/{p.name}" for p in SOURCE.glob("*.py"))
    for rel, source in files.items():
        text = source.decode("utf-8")
        head = "".join(text.splitlines(keepends=True)[:2])
        assert HEADER_MARK in head and generator_version() in head, rel
        assert text.endswith((SOURCE / Path(rel).name).read_text(encoding="utf-8"))


def test_runtime_imports_nothing_of_the_tool() -> None:
    """Deployed services install FastAPI and Pydantic, never the generator: the runtime may
    import only the standard library, those, and itself (relatively)."""
    allowed = {"fastapi", "starlette", "pydantic", "pydantic_core", "typing_extensions"}
    optional = {"fastapi_offline", "httpx", "python_multipart", "multipart", "jsonschema_rs"}
    import sys

    for path in SOURCE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top in sys.stdlib_module_names or top in allowed | optional, (
                    f"{path.name} imports {name}"
                )
