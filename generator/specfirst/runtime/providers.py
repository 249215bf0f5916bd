"""How a service implementation reaches each request: the provider ``create_app`` makes of it.

:func:`provider` turns what was passed to ``create_app`` (an instance, a class, a factory) into
a FastAPI dependency. A shared instance becomes a :class:`Shared`, which the generated router
recognizes so that it can skip FastAPI's per-request dependency solving (:mod:`.routing`).
A module of its own because :mod:`.app` (which makes providers) and :mod:`.routing` (which
recognizes a shared one) both need it.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from typing import Any


def provider(impl: object) -> Callable[..., Any]:
    """A FastAPI dependency yielding the implementation for each request.

    An instance is shared; a class or a factory function is called per request with its
    own dependencies resolved by FastAPI (database session, settings, ``Request`` …).

    Every provider is a coroutine function: FastAPI runs a plain ``def`` dependency (and a
    class, whose ``__init__`` is one) in a worker thread, which costs more than the whole
    request. Constructing an object is not blocking work, so it is done inline; generator
    and async dependencies are passed to FastAPI untouched.
    """
    if (
        inspect.isasyncgenfunction(impl)
        or inspect.isgeneratorfunction(impl)
        or inspect.iscoroutinefunction(impl)
    ):
        return typing.cast(Callable[..., Any], impl)
    if isinstance(impl, type) or inspect.isfunction(impl) or inspect.ismethod(impl):
        factory = typing.cast(Callable[..., Any], impl)

        async def construct(**kwargs: Any) -> object:
            return factory(**kwargs)

        signature = inspect.signature(factory)
        target = getattr(factory, "__init__", factory) if isinstance(factory, type) else factory
        try:  # resolve string annotations where the factory was written, not here
            hints = typing.get_type_hints(target, include_extras=True)
        except Exception:  # unresolvable: FastAPI gets the annotations as written
            hints = {}
        parameters = [
            p.replace(annotation=hints.get(p.name, p.annotation))
            for p in signature.parameters.values()
        ]
        resolved = signature.replace(
            parameters=parameters, return_annotation=inspect.Signature.empty
        )
        setattr(construct, "__signature__", resolved)  # noqa: B010
        return construct

    return Shared(impl)


class Shared:
    """The provider of an instance shared by every request.

    A FastAPI dependency like any other provider; the generated router also recognizes it and
    then calls the service directly, without FastAPI's per-request dependency solving
    (:mod:`.routing`).
    """

    __slots__ = ("instance",)

    def __init__(self, instance: object) -> None:
        self.instance = instance

    async def __call__(self) -> object:
        return self.instance
