"""The validator: every problem of a bundled OpenAPI document, as a located Diagnostic.

Callers go through :mod:`specfirst.validation`, which answers from its cache when it can and
imports ``run`` only when it must validate. This ``__init__`` imports nothing, so that the
light ``results`` can be imported without loading openapi-spec-validator and jsonschema.

- ``run``: :func:`validate_uncached`: the order of the checks, repairs applied, rounds;
- ``results``: :class:`Validation` (diagnostics and repairs), ``Repair``, applying repairs;
- ``versions``: which OpenAPI this is (Swagger 2.0, not OpenAPI, unsupported version);
- ``schema``: the document against the OpenAPI JSON Schema (jsonschema-rs, then jsonschema);
- ``messages``: readable wording of JSON Schema errors, the best ``oneOf`` branch;
- ``keywords``: openapi-spec-validator's keyword checks, each error located;
- ``dialects``: schemas read as JSON Schema 2020-12, other dialects warned about and repaired;
- ``lenient``: the errors that are warnings, with the repair that drops the example or default;
- ``own_checks``: unresolved refs, duplicate operationIds, path parameters, tag parents.
"""
