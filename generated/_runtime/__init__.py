# Vendored from the specfirst 0.1.0 runtime by `specfirst generate`. DO NOT EDIT.
# Upgrade specfirst and regenerate to update it.
"""Run-time support imported by generated packages.

Small and dependency-light on purpose: it holds what every generated app shares (problem
responses, credential extraction and requirement checks, response serialization, the
start-up conformance check) so that generated code stays short and readable.
"""

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
