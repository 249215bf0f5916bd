"""Generated result classes behave as frozen dataclasses did (``specfirst.runtime.results``)."""

from __future__ import annotations

from typing import ClassVar

import pytest

from specfirst.runtime.results import Result


class Created(Result):
    __slots__ = ("body", "location")
    status_code: ClassVar[int] = 201
    body: dict[str, int]
    location: str | None

    def __init__(self, *, body: dict[str, int], location: str | None = None) -> None:
        object.__setattr__(self, "body", body)
        object.__setattr__(self, "location", location)


class Gone(Result):
    __slots__ = ()
    status_code: ClassVar[int] = 410


def test_immutable() -> None:
    result = Created(body={"a": 1})
    with pytest.raises(AttributeError, match="immutable"):
        result.location = "/x"
    with pytest.raises(AttributeError, match="immutable"):
        del result.body
    with pytest.raises(AttributeError):
        setattr(result, "other", 1)  # noqa: B010  # mypy refuses result.other = 1 already


def test_value_semantics() -> None:
    assert Created(body={"a": 1}, location="/x") == Created(body={"a": 1}, location="/x")
    assert Created(body={"a": 1}) != Created(body={"a": 2})
    assert Gone() == Gone() and hash(Gone()) == hash(Gone())
    assert Gone() != Created(body={})
    assert repr(Created(body={"a": 1})) == "Created(body={'a': 1}, location=None)"
    assert Created.status_code == 201
