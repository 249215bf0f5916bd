"""specfirst: a contract-first OpenAPI to FastAPI pipeline.

Where things live, in the order ``specfirst generate`` runs them (``pipeline``)::

    loader/       read YAML/JSON with positions and guards, bundle $refs → SourceSpec
    validation    check()/validate(): results and their cache (imports validate/ only to validate)
    validate/     the document checks: OpenAPI schema, dialects, lenient repairs, our own checks
    parser/       a validated document → the IR (ir.py), one module per concern
    models        datamodel-code-generator behind a thin adapter: schemas in, models.py out
                  (models_enums: the members of large enums, written without its per-member cost)
    schema_rewrites  what models rewrites in the schemas first, so the output type-checks
    model_groups  a big API's models.py (and responses) cut into groups by the tags using them
    models_incremental  after an edit, only the schemas it touched go through it again
    render        the IR → the generated package's files (templates/, one per file)
    vendor        runtime/ copied into each generated package as _runtime/
    pipeline      the stages above in order, the manifest, formatting, writing

Beside the pipeline: ``runtime/`` (what generated code imports at run time; needs nothing
of the tool), ``lint/`` (API style rules, one module per family), ``diff/`` (breaking
changes, rules beside the code that raises them), ``contract/`` (schemathesis contract
runs; ``specfirst.contract`` is the hook API users import), ``docs/`` (the offline HTML
reference), ``scaffold`` (implementation stubs), ``renames`` (operations renamed since the
implementation was written), ``adopt/`` (a spec written elsewhere brought in by ``init``:
JSON as YAML, operationIds), ``examples/`` (what example stubs answer, and ``specfirst mock``:
the generated app with them), ``watch``, ``warm`` (the warm generator one-shot runs of
``generate`` go to), ``cli`` and ``commands/`` (one module per subcommand). Shared: ``diagnostics``, ``naming``, ``schema_types``, ``config``,
``cachedir``, ``spec_gaps`` (the statuses the runtime sends by itself, for lint and the
contract run). Each package's ``__init__`` maps its modules.
"""
