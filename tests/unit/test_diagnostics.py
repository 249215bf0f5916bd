"""Tests for specfirst.diagnostics."""

from __future__ import annotations

import pytest

from specfirst.diagnostics import (
    Diagnostic,
    DiagnosticError,
    Level,
    Location,
    has_errors,
    sort_diagnostics,
)


def test_format_with_and_without_location() -> None:
    located = Diagnostic(Level.ERROR, "openapi-schema", "boom", Location("specs/api.yaml", 42, 7))
    assert located.format() == "specs/api.yaml:42:7: openapi-schema: boom"
    assert Diagnostic(Level.WARNING, "rule", "message").format() == "rule: message"


def test_diagnostic_error_carries_all_diagnostics() -> None:
    diags = [
        Diagnostic(Level.ERROR, "a", "first", Location("f.yaml", 1, 2)),
        Diagnostic(Level.ERROR, "b", "second"),
    ]
    with pytest.raises(DiagnosticError) as info:
        raise DiagnosticError(diags)
    assert info.value.diagnostics == diags
    assert str(info.value) == "f.yaml:1:2: a: first\nb: second"


def test_has_errors() -> None:
    assert not has_errors([Diagnostic(Level.WARNING, "w", "m"), Diagnostic(Level.INFO, "i", "m")])
    assert has_errors([Diagnostic(Level.INFO, "i", "m"), Diagnostic(Level.ERROR, "e", "m")])
    assert not has_errors([])


def test_sort_is_by_file_line_col_rule_message() -> None:
    b9 = Diagnostic(Level.ERROR, "r", "m", Location("b.yaml", 9, 1))
    a10 = Diagnostic(Level.ERROR, "r", "m", Location("a.yaml", 10, 1))
    a9z = Diagnostic(Level.ERROR, "z", "m", Location("a.yaml", 9, 1))
    a9a = Diagnostic(Level.ERROR, "a", "m", Location("a.yaml", 9, 1))
    a9c2 = Diagnostic(Level.ERROR, "a", "m", Location("a.yaml", 9, 2))
    nowhere = Diagnostic(Level.ERROR, "r", "m")
    assert sort_diagnostics([b9, a10, a9z, a9c2, a9a, nowhere]) == [
        nowhere,
        a9a,
        a9z,
        a9c2,
        a10,
        b9,
    ]


def test_level_values() -> None:
    assert [str(level) for level in Level] == ["error", "warning", "info"]
