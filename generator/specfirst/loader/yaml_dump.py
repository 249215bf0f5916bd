"""The bundled document as YAML, and the cache that dumps only the pieces that changed.

:func:`_yaml_text` dumps block-style YAML with keys in source order and no aliases;
:func:`dump_yaml_cached` assembles the same text from per-path-item and per-component pieces,
dumping again only those whose content changed since the last call.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import yaml

from specfirst import cachedir

# libyaml's C emitter is much faster; the pure-Python one only if PyYAML was built without it.
_BaseDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _SpecDumper(_BaseDumper):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _yaml_text(data: Any) -> str:
    out: str = yaml.dump(
        data,
        Dumper=_SpecDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return out


# Sections of a document whose entries become separate pieces of the YAML cache.
_PIECEWISE = ("paths", "webhooks")
# A parent key that PyYAML writes as one plain line ("  schemas:").
_PLAIN_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,99}$")


Piece = tuple[str, ...]
"""Where a piece is: ``("paths", url)``, ``("components", "schemas", name)``, ``("info",)``."""


def _yaml_pieces(document: dict[str, Any]) -> list[tuple[Piece, Any]]:
    """The document as ``(keys, value)`` pieces in order: a path item, a component, or
    a top-level entry that is not split further."""
    pieces: list[tuple[Piece, Any]] = []
    for key, value in document.items():
        if key in _PIECEWISE and isinstance(value, dict) and value:
            pieces.extend(((key, name), item) for name, item in value.items())
        elif key == "components" and isinstance(value, dict) and value:
            for section, entries in value.items():
                if isinstance(entries, dict) and entries and _PLAIN_KEY.match(section):
                    pieces.extend(((key, section, name), v) for name, v in entries.items())
                else:
                    pieces.append(((key, section), entries))
        else:
            pieces.append(((key,), value))
    return pieces


def compact_json(value: Any) -> str:
    """Compact JSON, non-ASCII kept, keys in their order (the served document's form)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _with_json(pieces: list[tuple[Piece, Any]]) -> list[tuple[Piece, Any, str]]:
    return [(keys, value, compact_json(value)) for keys, value in pieces]


def _yaml_piece(keys: tuple[str, ...], value: Any) -> str:
    """A piece as it appears in the whole document's YAML, with its parents' key lines.

    It is dumped inside its parents, so that indentation, and with it where long scalars
    are folded, is the same as in the whole document.
    """
    wrapped: Any = value
    for key in reversed(keys):
        wrapped = {key: wrapped}
    return _yaml_text(wrapped)


def dump_yaml_cached(
    document: dict[str, Any], cache: Path, texts: list[tuple[Piece, Any, str]] | None = None
) -> str:
    """:meth:`SourceSpec.dump_yaml` of ``document``, reusing the pieces dumped last time.

    The cache file holds the pieces of the last call, keyed by a hash of each piece's place
    and content (as JSON, which tells apart every value a loaded document holds), so after a
    one-line change only that path item or component is dumped again. A piece's parent key
    lines ("paths:", "components:", "  schemas:") are kept only where a parent opens.
    ``texts``: the pieces with their compact JSON, when dumped already
    (:class:`specfirst.loader.json_pieces.JsonPieces`).
    """
    file = cache / "yaml-pieces.json"
    version = f"{yaml.__version__} {_SpecDumper.__mro__[1].__name__}"
    try:
        saved = json.loads(cachedir.read(file))
        known: dict[str, str] = saved["pieces"] if saved.get("version") == version else {}
    except (OSError, ValueError, KeyError, TypeError):
        known = {}
    out: list[str] = []
    used: dict[str, str] = {}
    opened: tuple[str, ...] = ()
    for keys, value, as_json in texts or _with_json(_yaml_pieces(document)):
        # the JSON of [keys, value]: a piece's place and content
        listed = compact_json(keys)
        digest = hashlib.sha256(f"[{listed},{as_json}]".encode()).hexdigest()
        text = known.get(digest)
        if text is None:
            text = _yaml_piece(keys, value)
        used[digest] = text
        parents = keys[:-1]
        shared = 0
        while shared < len(parents) and shared < len(opened) and parents[shared] == opened[shared]:
            shared += 1
        for _ in range(shared):  # drop the key lines of parents already written
            text = text[text.index("\n") + 1 :]
        out.append(text)
        opened = parents
    if used.keys() != known.keys():
        cachedir.write(file, json.dumps({"version": version, "pieces": used}, ensure_ascii=False))
    return "".join(out)
