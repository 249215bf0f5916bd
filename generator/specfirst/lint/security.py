"""Rules on security requirements: every requirement is one a request can meet.

A requirement's schemes must all be satisfied by one request, so two of them that need the same
header in different forms (:mod:`specfirst.security_headers`: HTTP Basic beside an API key named
``Authorization``, conjur's ``rotateApiKey``) make a requirement no client can meet; two OAuth2
flows or two API keys of one header share a value, and are fine. It is an
error: the generated app answers such an operation 401 whatever it is sent. The author mostly
meant alternatives, which are separate entries of the ``security`` list.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specfirst.diagnostics import Level
from specfirst.lint.context import Context, Finding, Rule
from specfirst.loader import Pointer
from specfirst.security_headers import RULE, header_clashes

__all__ = ["RULES"]


def _security_header_clash(ctx: Context) -> Iterator[Finding]:
    sources: list[tuple[str, Any, Pointer]] = [
        ("the document's security", ctx.doc.get("security"), ("security",))
    ]
    sources.extend(
        (f"{o.label}'s security", o.op.get("security"), (*o.pointer, "security"))
        for o in ctx.operations
    )
    for where, requirements, pointer in sources:
        if not isinstance(requirements, list):
            continue
        for i, requirement in enumerate(requirements):
            for clash in header_clashes(requirement, ctx.doc):
                names = ", ".join(str(name) for name in requirement)
                yield (
                    f"requirement {{{names}}} of {where}: {clash.message()}; a request sends "
                    "it once, so no client can meet it; list them as separate requirements if "
                    "either will do",
                    (*pointer, i),
                )


RULES: tuple[Rule, ...] = (
    Rule(
        RULE,
        Level.ERROR,
        "no security requirement needs one header in two forms",
        _security_header_clash,
    ),
)
