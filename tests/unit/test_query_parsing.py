"""The compiled plan's query parsing (``specfirst.runtime.params.parsed_query``) reads a query
string exactly as Starlette's ``QueryParams`` does, on its fast path (nothing to decode) too."""

from __future__ import annotations

import pytest
from starlette.datastructures import QueryParams

from specfirst.runtime.params import QUERY, parsed_query

QUERIES = [
    b"",
    b"limit=20",
    b"tag=a&tag=b&limit=3",
    b"a",
    b"a=",
    b"=b",
    b"=",
    b"&&a=1&&",
    b"a=1=2",
    b"a=1;b=2",
    b"a=x y",
    b"a=caf\xc3\xa9",
    b"a=caf\xe9",
    b"a=%20b&c=d",
    b"a=b+c",
    b"a%5B0%5D=1&a%5B1%5D=2",
    b"q=%E2%82%AC&q=%ZZ",
]


@pytest.mark.parametrize("raw", QUERIES)
def test_parsed_query_reads_as_starlette_does(raw: bytes) -> None:
    scope = {"type": "http", "query_string": raw}
    expected: dict[str, list[str]] = {}
    for key, value in QueryParams(raw).multi_items():
        expected.setdefault(key, []).append(value)
    assert parsed_query(scope) == expected
    assert list(parsed_query(scope)) == list(expected)  # names in order
    assert scope[QUERY] == expected
