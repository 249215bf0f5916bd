"""Lint profiles: ``[tool.specfirst.lint] profile = "imported"`` for a spec a team brings.

A vendor's or a gateway's document was not written to this project's style: rewriting it to
name every operation, answer errors as problem+json or fix its examples is not the first
day's work. The ``imported`` profile (which ``specfirst init --spec`` writes) makes those style
rules warnings; the rules whose findings make generated code wrong (unresolved ``$ref``\\ s,
undeclared or unused path parameters, duplicate operationIds) stay errors. A query string in a
path key (``/combined_submissions?v=2``) is served as written (the route requires the fixed
pairs), so under this profile it is a warning too. A rule named in the table still takes the
level given there.
"""

from __future__ import annotations

from specfirst.diagnostics import Level

__all__ = ["PROFILES"]

PROFILES: dict[str, dict[str, Level | None]] = {
    "default": {},
    "imported": {
        # generated code derives a name from the method and path when there is none
        "operation-id": Level.WARNING,
        # an operation that declares no 2xx still generates and serves its declared answers
        "success-response": Level.WARNING,
        # vendors' examples often drift from their schemas; nothing is generated from them
        "example-valid": Level.WARNING,
        # `/templates/{id}?full=true` is routed with its fixed query pairs required (as
        # flickr's `/rest?method=...`); a spec written here declares query parameters instead
        "path-query-string": Level.WARNING,
        # the app sends a declared response media type as written (truora's `PDF`)
        "media-type-valid": Level.WARNING,
        # only the operations whose every requirement clashes are unreachable (conjur's
        # `rotateApiKey`: HTTP Basic beside an API key named Authorization); the rest serve
        "security-header-clash": Level.WARNING,
        # the generated model takes the name as declared with any value (e-conomic's
        # `Employee` requires `canApprove`, declared nowhere, beside additionalProperties: false)
        "required-undeclared": Level.WARNING,
        # the app refuses such members, as JSON Schema does (gov.bc.ca's jobTypes)
        "enum-type": Level.WARNING,
    },
}
"""Profile name → rule levels it sets (rules not named keep their default)."""
