"""The bundled document's compact JSON, dumped once per run, piece by piece.

Several steps of a run need the document as JSON text: the served ``openapi.json``, the keys of
the YAML pieces (:mod:`specfirst.loader.yaml_dump`), the keys of the validation units
(:mod:`specfirst.validate.units`) and the validation snapshot (:mod:`specfirst.validation`).
Each dumped it again (GitHub's 13 MB document: 0.1-0.3 s of CPU each). Here it is dumped once,
in the pieces the YAML cache cuts it into (a path item, a component, a top-level entry), and
the whole text is assembled from them: byte for byte ``json.dumps(document,
ensure_ascii=False, separators=(",", ":"))``, as a JSON object's text is its members' texts
joined.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from specfirst.loader.yaml_dump import Piece, _yaml_pieces
from specfirst.loader.yaml_dump import compact_json as dumps

__all__ = ["JsonPieces"]


class JsonPieces:
    """Each piece of a document (``_yaml_pieces``' cut) with its compact JSON text."""

    def __init__(self, document: dict[str, Any], known: Sequence[JsonPieces] = ()) -> None:
        self.document = document
        self.pieces: list[tuple[Piece, Any, str]] = []
        for keys, value in _yaml_pieces(document):
            text = next(filter(None, (k.text(keys, value) for k in known)), None)
            self.pieces.append((keys, value, dumps(value) if text is None else text))
        self.by_keys = {keys: (value, text) for keys, value, text in self.pieces}
        self._whole: str | None = None
        self._offsets: dict[Piece, tuple[int, int]] = {}

    @classmethod
    def of(cls, document: dict[str, Any], known: Sequence[JsonPieces] = ()) -> JsonPieces | None:
        """``None`` when a piece is no JSON (a YAML binary, a date) or a key of the levels
        the pieces are cut at is no string (their text would not be the whole dump's).
        ``known``: the pieces of other documents (a repaired copy shares most of its objects
        with the loaded one): a piece that is the very object there is not dumped again."""
        if not all(isinstance(k, str) for k in document):
            return None
        for key in ("paths", "webhooks", "components"):
            section = document.get(key)
            if isinstance(section, dict) and not all(isinstance(k, str) for k in section):
                return None
        components = document.get("components")
        if isinstance(components, dict):
            for entries in components.values():
                if isinstance(entries, dict) and not all(isinstance(k, str) for k in entries):
                    return None
        try:
            return cls(document, known)
        except (TypeError, ValueError, RecursionError):
            return None

    def text(self, keys: Piece, value: Any) -> str | None:
        """The JSON of the piece at ``keys``, when ``value`` is that very piece."""
        found = self.by_keys.get(keys)
        return found[1] if found is not None and found[0] is value else None

    def whole(self) -> str:
        """The whole document's compact JSON, from the pieces' texts (assembled once)."""
        if self._whole is None:
            self._whole = self._assembled()
        return self._whole

    def offsets(self) -> dict[Piece, tuple[int, int]]:
        """Where each piece's text is in :meth:`whole` (start and end, in characters)."""
        self.whole()
        return self._offsets

    def _assembled(self) -> str:
        parts: list[str] = []
        size = 0

        def emit(text: str) -> None:
            nonlocal size
            parts.append(text)
            size += len(text)

        def members(prefix: Piece, mapping: dict[str, Any]) -> None:
            emit("{")
            for i, (key, value) in enumerate(mapping.items()):
                emit(f",{dumps(key)}:" if i else f"{dumps(key)}:")
                found = self.by_keys.get((*prefix, key))
                if found is None:  # a section cut into pieces
                    members((*prefix, key), value)
                else:
                    self._offsets[(*prefix, key)] = (size, size + len(found[1]))
                    emit(found[1])
            emit("}")

        members((), self.document)
        return "".join(parts)
