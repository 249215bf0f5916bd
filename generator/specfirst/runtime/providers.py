"""How a service implementation reaches each request: the provider ``create_app`` makes of it.

:func:`provider` turns what was passed to ``create_app`` (an instance, a class, a factory) into
a FastAPI dependency. A shared instance becomes a :class:`Shared`, which the compiled plans
pass as a constant (:mod:`.injection`), and a class or factory a coroutine the plan calls per
request with its own dependencies.
:class:`Overrides` is ``app.dependency_overrides`` as the generated routes read it: an
override is found by the provider, by what was passed to ``create_app`` or by the generated
protocol the provider serves.
A module of its own because :mod:`.app` (which makes providers) and :mod:`.routing` (which
recognizes a shared one and honours overrides) both need it.
"""

from __future__ import annotations

import inspect
import typing
import weakref
from collections.abc import Callable, Iterator, Mapping
from typing import Any


def provider(impl: object, *, protocol: type | None = None) -> Callable[..., Any]:
    """A FastAPI dependency yielding the implementation for each request.

    An instance is shared; a class or a factory function is called per request with its
    own dependencies resolved by FastAPI (database session, settings, ``Request`` …).
    ``app.dependency_overrides`` replaces it when keyed by ``impl`` (a class or a factory) or
    by ``protocol`` (the generated protocol it implements, whatever was passed).

    Every provider is a coroutine function: FastAPI runs a plain ``def`` dependency (and a
    class, whose ``__init__`` is one) in a worker thread, which costs more than the whole
    request. Constructing an object is not blocking work, so it is done inline; generator
    and async dependencies are passed to FastAPI untouched.
    """
    made = _provider(impl)
    keys: tuple[object, ...] = (protocol,) if protocol is not None else ()
    if made is not impl and not isinstance(made, Shared):  # a class or a factory, wrapped
        keys = (impl, *keys)
    if keys:
        _KEYS[made] = tuple(dict.fromkeys(_KEYS.get(made, ()) + keys))
    return made


def _provider(impl: object) -> Callable[..., Any]:
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


# provider → the other keys an override of it may be found by (see :class:`Overrides`). Weak:
# a provider lives as long as the routes that depend on it. A factory or generated protocol
# given for several apps collects each app's keys; they name the same thing in each.
_KEYS: weakref.WeakKeyDictionary[Callable[..., Any], tuple[object, ...]] = (
    weakref.WeakKeyDictionary()
)


class Shared:
    """The provider of an instance shared by every request.

    A FastAPI dependency like any other provider; a compiled plan (:mod:`.injection`)
    recognizes it and passes the instance as a constant.
    """

    __slots__ = ("__weakref__", "instance")

    def __init__(self, instance: object) -> None:
        self.instance = instance

    async def __call__(self) -> object:
        return self.instance


class Overrides:
    """``app.dependency_overrides`` as the routes of one generated router read it.

    Given to FastAPI as the routes' ``dependency_overrides_provider`` (the app itself is not
    known yet when a router is built: :meth:`bind` names it afterwards). FastAPI looks an
    override up by the callable a ``Depends`` names; generated routes depend on providers
    made by :func:`provider`, so an override is also found by what a provider stands for.
    Any other dependency (a ``get_db`` a service class asks for) is looked up as is.
    """

    __slots__ = ("app",)

    def __init__(self) -> None:
        self.app: Any = None

    def bind(self, app: Any) -> None:
        self.app = app

    @property
    def dependency_overrides(self) -> Mapping[Any, Any]:
        given: Mapping[Any, Any] | None = getattr(self.app, "dependency_overrides", None)
        return _Aliased(given) if given else {}


class _Aliased(Mapping[Any, Any]):
    """The app's overrides, each provider also found under its :func:`provider` keys."""

    __slots__ = ("given",)

    def __init__(self, given: Mapping[Any, Any]) -> None:
        self.given = given

    def __getitem__(self, call: Any) -> Any:
        if call in self.given:
            return self.given[call]
        try:
            keys = _KEYS.get(call, ())
        except TypeError:  # not weak-referenceable: never a provider
            keys = ()
        for key in keys:
            if key in self.given:
                return self.given[key]
        raise KeyError(call)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.given)

    def __len__(self) -> int:
        return len(self.given)
