"""``specfirst diff``: breaking changes between two OpenAPI documents, as clients see them.

Direction matters, as in oasdiff: a request may only get *wider* (accept more) and a
response only *narrower* (promise more) without breaking a client. One relation decides
both, facet by facet: types (``integer`` ⊂ ``number``), nullability, formats (``int32`` ⊂
``int64``), enums, bounds and patterns. Each finding has a stable rule id (``specfirst diff
--list-rules``), a severity, the location in both versions, and every operation it affects
with the field path that reaches it::

    GET /repos/{owner}/{repo}/issues/{issue_number}/timeline → 200 → [].source.issue.body

Schemas are compared semantically, not as text: ``$ref`` is resolved, ``allOf`` is flattened
into one shape, and the alternatives of ``oneOf``/``anyOf`` are matched pairwise (by ``$ref``
target, discriminator value, ``title``, then structure), so a property that moved behind a
union is not "removed", and a ``$ref`` that became a union reports only the alternative that
is new. A shared component is compared once per pair of versions and direction (memoised),
which keeps GitHub-size documents to seconds.

Where things live (one check family per module, its rules beside the code that raises them):

- ``engine``: ``diff_specs``, which runs the comparison and applies severities and the
  ignore file.
- ``context``: ``Context``, what every check shares: both versions, the schema comparison,
  the findings so far.
- ``side``: ``Side``, one version of the document: ``$ref``s, locations, operations, views.
- ``operations/``: the checks of an operation: endpoints, parameters, request bodies,
  responses, security (see its map).
- ``schemas/``: the comparison of two schemas: views, the type lattice, facets, properties,
  unions (see its map).
- ``report``: ``Finding``, ``Occurrence`` and ``DiffReport`` with its text, markdown and JSON.
- ``rule``: ``Rule`` and ``Severity``, what every rule is made of.
- ``registry``: ``RULES``, every family's rules in one list (``--list-rules``).
- ``settings``: a team's configuration: severities in ``pyproject.toml``, the ignore file.
"""

from specfirst.diff.engine import diff_specs, iter_breaking
from specfirst.diff.report import DiffReport, Finding, Occurrence
from specfirst.diff.rule import Severity

__all__ = ["DiffReport", "Finding", "Occurrence", "Severity", "diff_specs", "iter_breaking"]
