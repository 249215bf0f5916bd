"""The project's cache folder (``.specfirst-cache/``): reading entries back, and pruning it.

Every entry is keyed by what it was computed from, so each edit of a spec adds entries (a
validation result, the formatted files it changed, after a schema change the models: 5 MB on
GitHub's spec) and none is ever overwritten. Entries are touched when they are read, and
after each ``specfirst generate`` the least recently used ones are removed while the folder
holds more than :func:`limit_bytes`. Everything in it can be recomputed: removing an entry
only costs time.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from pathlib import Path

DEFAULT_LIMIT_MB = 256
LIMIT_ENV = "SPECFIRST_CACHE_MB"
_STALE_TMP_S = 3600  # a temporary file this old was left by a run that did not finish


def read(path: Path) -> bytes:
    """The entry's bytes (``OSError`` when there is none); marks it as recently used."""
    data = path.read_bytes()
    with contextlib.suppress(OSError):
        os.utime(path)
    return data


def write(path: Path, data: str | bytes) -> None:
    """Store an entry (text as UTF-8) atomically, through a temporary file of its own (two runs
    writing at once never share one); a cache that cannot be written only costs time."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def limit_bytes() -> int:
    """The cache's size limit: ``SPECFIRST_CACHE_MB`` megabytes, else 256 MB."""
    raw = os.environ.get(LIMIT_ENV, "").strip()
    megabytes = int(raw) if raw.isdigit() else DEFAULT_LIMIT_MB
    return megabytes * 1024 * 1024


def prune(root: Path, limit: int | None = None) -> list[Path]:
    """Remove the least recently used entries until ``root`` holds at most ``limit`` bytes,
    and temporary files left by runs that did not finish; returns what was removed."""
    limit = limit_bytes() if limit is None else limit
    now = time.time()
    entries: list[tuple[float, int, Path]] = []
    removed: list[Path] = []
    for path in sorted(root.rglob("*")) if root.is_dir() else ():
        try:
            stat = path.lstat()
        except OSError:
            continue
        if not path.is_file() or path.is_symlink():
            continue
        if path.suffix == ".tmp" and now - stat.st_mtime > _STALE_TMP_S:
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
            continue
        entries.append((stat.st_mtime, stat.st_size, path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= limit:
            break
        with contextlib.suppress(OSError):  # another run may have removed it already
            path.unlink()
            removed.append(path)
        total -= size
    return removed
