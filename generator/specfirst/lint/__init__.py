"""API style rules for an OpenAPI document: ``specfirst lint``.

Validation (``validate/``) says whether a document is OpenAPI; linting says whether it is
an API a team wants to ship: every operation named, tagged and documented, errors as
``application/problem+json``, lists paginated, examples that match their schemas, no dead
components. Each rule has an id and a default level; a project turns rules off or changes
their level in ``pyproject.toml``::

    [tool.specfirst.lint]
    profile = "imported"          # optional: a spec you brought (see profiles)
    operation-description = "off"
    list-pagination = "error"

Rules read the bundled document, never raise on a malformed one (they skip what they cannot
read), and report every finding as a located :class:`~specfirst.diagnostics.Diagnostic`.

Where things live: one module per rule family, holding its rules' ids, default levels and
checks together, so "why is this a lint error?" is answered by the module listing its id:

- ``context``: :class:`Context` (the document and the lookups rules share: operations,
  effective parameters, responses, security, ``$ref`` following) and :class:`Rule`.
- ``operations``: operation-id, operation-id-unique, operation-id-identifier,
  operation-tags, operation-summary, operation-description.
- ``responses``: error-problem-json, security-responses, validation-response,
  media-type-response, success-response (the spec gaps of :mod:`specfirst.spec_gaps`),
  media-type-valid, form-body-object, no-content-body.
- ``security``: security-header-clash (a requirement whose schemes need one header in
  different forms, :mod:`specfirst.security_headers`).
- ``pagination``: list-pagination (what is a list, what is a page parameter).
- ``paths``: path-parameters, path-trailing-slash, path-query-string, path-equivalent,
  path-segment-split.
- ``examples``: example-valid (where examples are, and validating them per OpenAPI version).
- ``references``: unused-component, unresolved-ref.
- ``schemas``: keyword-type-mismatch (object or array keywords beside a ``type`` that
  excludes that shape: they constrain nothing), required-undeclared (a required name that
  ``additionalProperties: false`` forbids: no object is valid), one-of-overlap (oneOf members
  nothing tells apart, :mod:`specfirst.one_of_overlap`), enum-type (an array or object enum
  member under a type that admits neither: no valid value), one-of-holder-closed (a closed
  schema's oneOf alternatives declare names it forbids, read literally), discriminator-value
  (a member selected by a value its own enum or const refuses).
- ``registry``: ``RULES``, every family's rules in order, and ``RULE_IDS``.
- ``settings``: ``[tool.specfirst.lint]`` read into :data:`LintSettings`.
- ``profiles``: ``profile = "imported"`` (what ``specfirst init --spec`` writes): the style
  rules a vendor's document breaks become warnings; those that make generated code wrong
  stay errors.
- ``run``: :func:`lint`, which runs the enabled rules and sorts the diagnostics.

A new rule goes in its family's module (or a new one) and its ``RULES``; ``registry`` lists
the families.
"""

from __future__ import annotations

from specfirst.lint.context import Rule
from specfirst.lint.registry import RULES
from specfirst.lint.run import lint
from specfirst.lint.settings import LintSettings, load_lint_settings, parse_lint_settings

__all__ = [
    "RULES",
    "LintSettings",
    "Rule",
    "lint",
    "load_lint_settings",
    "parse_lint_settings",
]
