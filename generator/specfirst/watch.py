"""``specfirst generate --watch``: regenerate whenever a spec file or user template is saved."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

# What a change to can alter the generated package.
WATCHED_SUFFIXES = frozenset({".yaml", ".yml", ".json", ".jinja"})

STEP_MS = 20
"""How long no further change must come before a batch is regenerated. A save is one or two
events within a millisecond or two (a write, or a write and a rename); watchfiles' default, 50
ms, put 70-80 ms between a save and the regeneration's start, a quarter of the loop on a small
spec. A save whose events are further apart is regenerated twice, the second time complete."""

Changes = Iterable[set[tuple[Any, str]]]
"""Batches of (change kind, path), as ``watchfiles.watch`` yields them."""


def watch_roots(spec_files: Sequence[Path], templates: Path | None) -> list[Path]:
    """The folders to watch: those of every file the spec is made of, and the user templates."""
    folders = {path.resolve().parent for path in spec_files}
    if templates is not None and templates.is_dir():
        folders.add(templates.resolve())
    # Watching a folder covers its subfolders: keep only the outermost ones.
    return sorted(f for f in folders if not any(o != f and o in f.parents for o in folders))


def relevant(paths: Iterable[str], output: Path) -> list[str]:
    """The changed paths that can change the output (never files inside the output itself)."""
    out = output.resolve()
    found = set()
    for raw in paths:
        path = Path(raw).resolve()
        if path.suffix.lower() in WATCHED_SUFFIXES and out not in path.parents and path != out:
            found.add(raw)
    return sorted(found)


def watch_loop(
    regenerate: Callable[[], int],
    changes: Changes,
    output: Path,
    *,
    stream: TextIO = sys.stderr,
) -> int:
    """Regenerate once, then again after every batch of relevant changes; returns at the end."""
    code = regenerate()
    for batch in changes:
        names = relevant((path for _, path in batch), output)
        if not names:
            continue
        shown = ", ".join(_display(n) for n in names[:3]) + (" …" if len(names) > 3 else "")
        print(f"[{time.strftime('%H:%M:%S')}] changed: {shown}; regenerating", file=stream)
        code = regenerate()
    return code


def watch(
    regenerate: Callable[[], int],
    spec_files: Sequence[Path],
    output: Path,
    templates: Path | None = None,
) -> int:
    """Watch the spec's folders with watchfiles until Ctrl-C."""
    import watchfiles

    roots = watch_roots(spec_files, templates)
    print(
        f"watching {', '.join(_display(str(r)) for r in roots)} (Ctrl-C to stop)", file=sys.stderr
    )
    changes = watchfiles.watch(*roots, raise_interrupt=False, debounce=300, step=STEP_MS)
    watch_loop(regenerate, changes, output)
    return 0


def _display(path: str) -> str:
    try:
        return Path(path).resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path


def spec_files(spec: Path) -> list[Path]:
    """Every file the spec is made of now (just the entry file if it cannot be loaded)."""
    from specfirst.diagnostics import DiagnosticError
    from specfirst.loader import load_spec

    try:
        return [spec, *load_spec(spec).files]
    except DiagnosticError:
        return [spec]
