# Vendored from the specfirst 0.1.0 runtime by `specfirst generate`. DO NOT EDIT.
# Upgrade specfirst and regenerate to update it.
"""Run-time support imported by generated packages.

Small and dependency-light on purpose: it holds what every generated app shares (problem
responses, credential extraction and requirement checks, response serialization, the
start-up conformance check) so that generated code stays short and readable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .problems import (
        PROBLEM_JSON,
        NotImplementedOperation,
        ProblemError,
        UndeclaredResponseError,
        problem_response,
        undeclared_status,
    )

__all__ = [
    "PROBLEM_JSON",
    "NotImplementedOperation",
    "ProblemError",
    "UndeclaredResponseError",
    "problem_response",
    "undeclared_status",
]


def __getattr__(name: str) -> Any:
    # Imported on first use: importing the package (or a light module of it, such as
    # ``streams``) does not load FastAPI.
    if name in __all__:
        from . import problems

        return getattr(problems, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
