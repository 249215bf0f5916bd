"""Rules on what an operation answers: a success, errors as problem details, 401 and 403.

Every operation declares a 2xx; every 4xx and 5xx is ``application/problem+json`` (RFC 9457),
so clients parse one error shape; an operation that needs credentials declares the 401 it
answers without them, and the 403 it answers without its scopes. A range (``4XX``) covers
its statuses.
"""

from __future__ import annotations

from collections.abc import Iterator

from specfirst.diagnostics import Level
from specfirst.lint.context import Context, Finding, Rule

__all__ = ["RULES"]

PROBLEM_JSON = "application/problem+json"


def _covers(statuses: set[str], code: str) -> bool:
    return code in statuses or f"{code[0]}XX" in statuses or f"{code[0]}xx" in statuses


def _error_problem_json(ctx: Context) -> Iterator[Finding]:
    for o in ctx.path_operations:
        if o.method == "head":
            continue  # a HEAD response has no body to declare
        for status, (response, pointer) in ctx.responses(o).items():
            if status[:1] not in "45" or len(status) != 3:
                continue
            content = response.get("content")
            media = sorted(content) if isinstance(content, dict) else []
            if PROBLEM_JSON in media:
                continue
            has = f"declares {', '.join(media)}" if media else "declares no body"
            yield (
                f"{o.label} response {status} {has}; errors should be {PROBLEM_JSON} (RFC 9457)",
                pointer,
            )


def _security_responses(ctx: Context) -> Iterator[Finding]:
    for o in ctx.path_operations:
        requirements = ctx.security(o)
        if not requirements or any(not r for r in requirements):
            continue  # public, or authentication is optional
        statuses = set(ctx.responses(o))
        if not _covers(statuses, "401"):
            yield (
                f"{o.label} requires authentication but does not declare a 401 response",
                (*o.pointer, "responses"),
            )
        scoped = any(isinstance(s, list) and s for r in requirements for s in r.values())
        if scoped and not _covers(statuses, "403"):
            yield (
                f"{o.label} requires scopes but does not declare a 403 response",
                (*o.pointer, "responses"),
            )


def _success_response(ctx: Context) -> Iterator[Finding]:
    for o in ctx.path_operations:
        statuses = set(ctx.responses(o))
        if not any(s.startswith("2") for s in statuses):
            yield f"{o.label} declares no 2xx response", (*o.pointer, "responses")


RULES: tuple[Rule, ...] = (
    Rule(
        "error-problem-json",
        Level.WARNING,
        "every 4xx/5xx response is application/problem+json",
        _error_problem_json,
    ),
    Rule(
        "security-responses",
        Level.WARNING,
        "secured operations declare 401 (and 403 when they need scopes)",
        _security_responses,
    ),
    Rule("success-response", Level.ERROR, "every operation declares a 2xx", _success_response),
)
