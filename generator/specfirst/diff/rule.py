"""What a rule of ``specfirst diff`` is: an id, a default severity and a one-line example.

Each check family declares its own rules beside the code that raises them (``RULES`` in
``specfirst.diff.operations.parameters``, ``specfirst.diff.schemas.facets``, …);
``specfirst.diff.registry`` collects them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.StrEnum):
    BREAKING = "breaking"
    POSSIBLY = "possibly-breaking"
    INFO = "info"


B, P, N = Severity.BREAKING, Severity.POSSIBLY, Severity.INFO


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    example: str  # one line: before → after
