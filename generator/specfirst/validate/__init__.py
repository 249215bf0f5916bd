"""The validator: every problem of a bundled OpenAPI document, as a located Diagnostic.

Callers go through :mod:`specfirst.validation`, which answers from its cache when it can and
imports :mod:`specfirst.validate.run` only when it must validate. This ``__init__`` imports
nothing, so that the light :mod:`specfirst.validate.results` can be imported without loading
openapi-spec-validator and jsonschema.

- ``run``: :func:`validate_uncached`: every check, repairs applied, the repaired document
  checked again;
- ``results``: :class:`Validation` (diagnostics and repairs), ``Repair``, and applying repairs.
"""
