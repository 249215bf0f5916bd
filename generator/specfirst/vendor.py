"""The runtime generated packages import, vendored into each of them as ``_runtime/``.

Generated code imports its support code (problem responses, parameter decoding, security
checks, serialization, ``create_app``'s conformance check) relatively, from a copy of
``specfirst.runtime`` written next to it. Vendored rather than published as a distribution of
its own because:

- a deployed service runs exactly the runtime it was generated and tested with: there is no
  version to keep in step between generated code and a separately installed runtime, and so
  nothing to check at import;
- it needs nothing but FastAPI and Pydantic (and what the spec's features need), so a
  production install never pulls the generator, its templates or its validators;
- upgrading specfirst changes ``_runtime/`` like any other generated file: reviewers see the
  diff, and ``specfirst check`` reports it as drift until the package is regenerated.

The runtime therefore imports only the standard library, its own modules (relatively),
FastAPI/Starlette and Pydantic; optional libraries (fastapi-offline, httpx) are imported
where they are used.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from specfirst.ir import Api

RUNTIME = "_runtime"
_SOURCE = Path(__file__).parent / "runtime"


def runtime_files(version: str) -> dict[str, bytes]:
    """``_runtime/<module>.py`` → source, each with a do-not-edit header naming the version."""
    header = (
        f"# Vendored from the specfirst {version} runtime by `specfirst generate`. DO NOT EDIT.\n"
        "# Upgrade specfirst and regenerate to update it.\n"
    )
    return {
        f"{RUNTIME}/{path.name}": (header + path.read_text(encoding="utf-8")).encode("utf-8")
        for path in sorted(_SOURCE.glob("*.py"))
    }


def runtime_requirements(api: Api) -> list[str]:
    """The distributions a generated package needs at run time, for its spec's features."""
    requirements = [
        "fastapi>=0.163",
        "pydantic>=2.14",
        "uvicorn>=0.34",
        # offline API docs at /docs and /redoc (without it the app serves the spec only)
        "fastapi-offline>=1.7",
    ]
    if any(op.body is not None and op.body.form_class for op in api.operations):
        requirements.append("python-multipart>=0.0.20")
    if (
        api.checks_formats
        or any(p.checked_format for op in api.operations for p in op.parameters)
        or any(op.body is not None and op.body.checked_format for op in api.operations)
        or any(
            f.checked_format
            for op in api.operations
            if op.body is not None
            for f in op.body.form_fields
        )
    ):
        # the string formats (email, uri …) are checked as schemathesis judges them
        requirements.append("jsonschema-rs>=0.60")
    if api.senders:
        requirements.append("httpx>=0.28")  # the webhook and callback senders
    return sorted(requirements, key=str.lower)
