"""Regenerate every golden tree: ``python -m tests.golden.regen`` (``make regen-golden``).

Each case folder under ``tests/golden/`` holds ``spec/api.yaml`` (the reference spec, possibly
split over several files) and ``expected/`` (the whole generated package, minus the manifest).
Review the resulting diff like any other code change.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from specfirst.pipeline import MANIFEST, generate
from specfirst.vendor import RUNTIME

GOLDEN = Path(__file__).resolve().parent
CASES = ("openapi30", "openapi31", "openapi32", "security", "multifile")
SPEC = Path("spec/api.yaml")  # relative: the generated header names it, so it must not vary


@contextmanager
def _cwd(path: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def generate_case(case: str, output: Path) -> None:
    """Generate ``case`` into ``output`` exactly as the goldens are made; raise on errors."""
    with _cwd(GOLDEN / case):
        result = generate(SPEC, output.resolve(), cache_dir=None, force=True)
    if not result.ok:
        text = "\n".join(d.format() for d in result.diagnostics)
        raise RuntimeError(f"golden case {case!r} does not generate:\n{text}")


def tree(root: Path) -> dict[str, bytes]:
    """Relative POSIX path → bytes for every file under ``root`` except the manifest and the
    vendored runtime (the same in every package; ``tests/unit/test_vendor.py`` checks it)."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
        and path.name != MANIFEST
        and "__pycache__" not in path.parts
        and path.relative_to(root).parts[0] != RUNTIME
    }


def regen(case: str) -> None:
    expected = GOLDEN / case / "expected"
    with tempfile.TemporaryDirectory(prefix=f"golden-{case}-") as tmp:
        out = Path(tmp) / "out"
        generate_case(case, out)
        (out / MANIFEST).unlink(missing_ok=True)
        shutil.rmtree(out / RUNTIME)  # the same in every package: tests/unit/test_vendor.py
        if expected.exists():
            shutil.rmtree(expected)
        shutil.copytree(out, expected)


def main(argv: list[str] | None = None) -> int:
    cases = argv if argv else list(CASES)
    for case in cases:
        if case not in CASES:
            print(f"unknown golden case {case!r}; known: {', '.join(CASES)}", file=sys.stderr)
            return 2
        regen(case)
        print(f"tests/golden/{case}/expected regenerated", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
