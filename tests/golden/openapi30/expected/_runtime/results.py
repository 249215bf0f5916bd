# Vendored from the specfirst 0.1.0 runtime by `specfirst generate`. DO NOT EDIT.
# Upgrade specfirst and regenerate to update it.
"""The base class of generated response classes (``responses.py``).

A generated result class lists its fields in ``__slots__`` and assigns them in an explicit
keyword-only ``__init__``; this base makes instances immutable, printable and comparable by
value, as a frozen dataclass would. Written out instead of ``@dataclass`` because a large API
has thousands of these classes, and a dataclass compiles four or five methods per class at
import time: on GitHub's API (about 5,000 result classes) that was seconds of start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar


class Result:
    __slots__: ClassVar[tuple[str, ...]] = ()

    if not TYPE_CHECKING:  # hidden from type checkers, which then still flag unknown names

        def __setattr__(self, name: str, value: Any) -> None:
            raise AttributeError(f"{type(self).__name__} is immutable: cannot assign {name!r}")

        def __delattr__(self, name: str) -> None:
            raise AttributeError(f"{type(self).__name__} is immutable: cannot delete {name!r}")

    def _fields(self) -> tuple[tuple[str, Any], ...]:
        return tuple((name, getattr(self, name)) for name in type(self).__slots__)

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in self._fields())
        return f"{type(self).__qualname__}({fields})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Result)
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash((type(self), self._fields()))
