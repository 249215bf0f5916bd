"""The pages in a real browser: they load with no console errors and show every operation.

Needs Chromium (Debian package ``chromium``); skipped without it, except on CI (``CI=true``),
where a missing browser fails the test.
"""

from __future__ import annotations

import re
from pathlib import Path

from specfirst.docs import render_diff_html, render_reference_html
from specfirst.loader import load_spec
from tests.docs.chromium import load
from tests.docs.test_docs import REPORT

REPO = Path(__file__).resolve().parents[2]


def test_the_harness_sees_console_errors(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text(
        "<!doctype html><title>bad</title><p>hi</p>"
        "<script>console.error('boom'); notAFunction();</script>",
        encoding="utf-8",
    )
    dom, console = load(page)
    assert "<p>hi</p>" in dom
    assert any("boom" in line for line in console), console
    assert any("notAFunction" in line for line in console), console


def test_reference_page_in_chromium(tmp_path: Path) -> None:
    spec = load_spec(REPO / "specs" / "api.yaml")
    page = tmp_path / "index.html"
    page.write_text(render_reference_html(spec), encoding="utf-8")
    dom, console = load(page)
    assert console == []
    expected = sorted(
        op["operationId"]
        for item in spec.document["paths"].values()
        for method, op in item.items()
        if method in ("get", "put", "post", "delete", "patch")
    )
    assert sorted(re.findall(r'data-operation-id="([^"]+)"', dom)) == expected
    assert "specfirst Tasks" in dom


def test_diff_page_in_chromium(tmp_path: Path) -> None:
    page = tmp_path / "diff.html"
    page.write_text(render_diff_html(REPORT), encoding="utf-8")
    dom, console = load(page)
    assert console == []
    assert re.findall(r'data-finding-id="([^"]+)"', dom) == [
        "operation-removed",
        "response-property-optional",
        "operation-added",
    ]
