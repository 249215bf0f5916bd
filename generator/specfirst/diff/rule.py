"""What a rule of ``specfirst diff`` is: an id, a default severity and a one-line example.

``specfirst.diff.registry`` lists every rule.
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
