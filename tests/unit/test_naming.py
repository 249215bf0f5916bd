"""Naming: spec names to Python names, mechanically and safely."""

from __future__ import annotations

import ast

import pytest

from specfirst import naming


@pytest.mark.parametrize(
    ("spec_name", "snake", "pascal"),
    [
        ("createTask", "create_task", "CreateTask"),
        ("meta/root", "meta_root", "MetaRoot"),
        ("api-keys", "api_keys", "ApiKeys"),
        ("X-Request-ID", "x_request_id", "XRequestID"),
        ("ETag", "etag", "ETag"),
        ("OAuth2Password", "oauth2_password", "OAuth2Password"),
        ("HTTPResponse", "http_response", "HTTPResponse"),
        ("class", "class_", "Class"),
        ("None", "none", "None_"),
        ("200", "n200", "N200"),
        ("Ünïcödé name", "unicode_name", "UnicodeName"),
        ("größe", "grosse", "Grosse"),
        ("", "value", "Value"),
    ],
)
def test_snake_and_pascal(spec_name: str, snake: str, pascal: str) -> None:
    assert naming.snake(spec_name) == snake
    assert naming.pascal(spec_name) == pascal


def test_names_with_no_ascii_letters_are_stable_and_distinct() -> None:
    first, second = naming.snake("タスク"), naming.snake("作業")
    assert first.isidentifier() and second.isidentifier()
    assert first != second
    assert naming.snake("タスク") == first


def test_long_names_are_shortened_with_a_stable_digest() -> None:
    name = naming.snake("very" * 40)
    assert len(name) <= naming.MAX_IDENTIFIER
    assert name == naming.snake("very" * 40)
    assert name != naming.snake("very" * 41)


def test_unique_numbers_collisions() -> None:
    taken: set[str] = set()
    assert [naming.unique("item", taken) for _ in range(3)] == ["item", "item2", "item3"]


def test_operation_name_without_operation_id() -> None:
    assert naming.operation_name("GET", "/users/{id}/repos") == "get_users_by_id_repos"


@pytest.mark.parametrize(
    "text",
    [
        'ends with a quote"',
        'has """ triple quotes',
        "back\\slash\\",
        "{{ jinja }} {% tag %}",
        "tab\tand\x00nul",
    ],
)
def test_docstring_text_cannot_break_out(text: str) -> None:
    body = naming.docstring(text)
    assert body is not None
    source = f'def f():\n    """{body}"""\n'
    tree = ast.parse(source)
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef)
    assert len(func.body) == 1  # nothing escaped into code


def test_comment_is_one_line() -> None:
    assert naming.comment("two\nlines\r\nhere") == "two lines here"


def test_long_class_names_end_in_their_digest_as_a_word() -> None:
    """No ``_`` in a shortened class name: datamodel-code-generator would glue the digest on
    (``…Priva_fefcadb4`` → ``…PrivaFefcadb4``) and the routers would read another name."""
    name = naming.pascal("Body_update_private_content_of_the_allowlist_of_the_user_" * 2)
    assert len(name) == naming.MAX_IDENTIFIER and "_" not in name
    assert name == naming.pascal("Body_update_private_content_of_the_allowlist_of_the_user_" * 2)
    assert name != naming.pascal("Body_update_private_content_of_the_allowlist_of_the_user_" * 3)
