# Vendored from the specfirst 0.1.0 runtime by `specfirst generate`. DO NOT EDIT.
# Upgrade specfirst and regenerate to update it.
"""Run-time support imported by generated packages.

Small and dependency-light on purpose: it holds what every generated app shares (problem
responses, credential extraction and requirement checks, response serialization, the
start-up conformance check) so that generated code stays short and readable. Vendored flat
into each package as ``_runtime/`` (``specfirst.vendor``), so it stays one level of modules:

Building the app
    ``app``        ``create_app``'s steps: implementation checks, route order, spec and docs
    ``providers``  how an implementation reaches each request (``provider``, ``Shared``)
    ``routing``    registering operations: ``OperationRouter``, compiled plans, lazy routes
    ``injection``  dependencies compiled once per operation (services, yield sessions …)

Reading a request
    ``security``   credential extraction and security requirement checks
    ``params``     parameter styles FastAPI cannot read; unknown query parameters
    ``formats``    ``date`` and ``date-time`` exactly as RFC 3339 defines them; the other
                   string formats (``email``, ``uri`` …) as schemathesis judges them
    ``bodies``     a JSON request body
    ``forms``      form bodies: fields, files, part headers, deep objects

Writing the response
    ``render``     results into responses (``Json``, ``Raw``, ``Empty``, ``Stream``,
                   ``Responses``); the one module generated routers call, as ``rt``
    ``streaming``  streamed responses: items checked and framed (JSON Lines, SSE …)
    ``streams``    which media types stream, framed how (standard library only)
    ``headers``    header values on the wire
    ``problems``   RFC 9457 problem details, the exceptions behind them, error handlers
    ``errors``     errors in the spec's own format: the declared error responses, the hook
    ``conform``    a valid value of a declared type from named values (``errors.fill``)

Sending requests
    ``senders``    the requests an API sends itself: webhooks and callbacks

Underneath
    ``base``       base classes of generated models, and schema rules pydantic lacks
    ``results``    ``Result``, the base of generated result classes
    ``codec``      JSON by type: cached adapters, strict validation, the rule for ``None``
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .problems import (
        PROBLEM_JSON,
        NotImplementedOperation,
        ProblemError,
        ProtocolProblem,
        UndeclaredResponseError,
        error_response,
        problem_response,
        undeclared_status,
    )

__all__ = [
    "PROBLEM_JSON",
    "NotImplementedOperation",
    "ProblemError",
    "ProtocolProblem",
    "UndeclaredResponseError",
    "error_response",
    "problem_response",
    "undeclared_status",
]


def __getattr__(name: str) -> Any:
    # Imported on first use: importing the package (or a light module of it, such as
    # ``streams``) does not load FastAPI.
    if name in __all__:
        from . import problems

        return getattr(problems, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
