"""``specfirst diff``: the breaking-change diff of two OpenAPI documents.

``diff_specs(base, head)`` answers which changes matter to existing clients; the report it
returns prints as text, markdown or JSON.

Where things live:

- ``engine``: the comparison (being split by concern).
- ``side``: ``Side``, one version of the document: ``$ref``s, locations, operations, views.
- ``schemas/``: schema views and the type lattice (see its map).
- ``report``: ``Finding``, ``Occurrence`` and ``DiffReport`` with its text, markdown and JSON.
- ``rule``: ``Rule`` and ``Severity``, what every rule is made of.
- ``registry``: the rule ids with their default severities and examples (``--list-rules``).
- ``settings``: a team's configuration: severities in ``pyproject.toml``, the ignore file.
"""

from specfirst.diff.engine import diff_specs, iter_breaking
from specfirst.diff.report import DiffReport, Finding, Occurrence
from specfirst.diff.rule import Severity

__all__ = ["DiffReport", "Finding", "Occurrence", "Severity", "diff_specs", "iter_breaking"]
