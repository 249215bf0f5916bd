"""The HTML pages: complete, escaped, offline."""

from __future__ import annotations

import re
import textwrap
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from specfirst.cli import main
from specfirst.docs import render_diff_html, render_reference_html
from specfirst.loader import load_spec

REPO = Path(__file__).resolve().parents[2]

HOSTILE = """
openapi: 3.1.0
info:
  title: "<script>alert('title')</script>"
  version: '1 "quoted"'
  description: |
    Hello <b>bold</b> <img src=x onerror=alert(1)> and [a link](javascript:alert(1)),
    ![tracker](https://tracker.example/pixel.png) and [docs](https://example.org/docs).
servers:
  - url: 'https://api.example.com/v1'
tags:
  - name: "x<y>"
    description: "<iframe src=evil>"
paths:
  /things/{id}:
    get:
      operationId: '"><script>alert(2)</script>'
      tags: ["x<y>"]
      summary: "</title><script>alert(3)</script>"
      description: "<style>body{display:none}</style>"
      parameters:
        - name: id
          in: path
          required: true
          description: "<svg onload=alert(4)>"
          schema: {type: string, pattern: "^<[a-z]>$"}
      responses:
        '200':
          description: "<a href='javascript:alert(5)'>x</a>"
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      type: object
      description: "<script>alert(6)</script>"
      properties:
        "<name>": {type: string, enum: ["</td><script>alert(7)</script>"]}
"""


class Elements(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(html)
    return parser.tags


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "api.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def assert_offline_and_inert(html: str) -> None:
    tags = elements(html)
    names = {tag for tag, _ in tags}
    assert not names & {"script", "iframe", "img", "svg", "link", "object", "embed", "base"}
    for tag, attrs in tags:
        for key, value in attrs.items():
            assert not key.startswith("on"), (tag, key)
            if key in ("src", "srcset", "action", "poster", "data"):
                raise AssertionError(f"<{tag} {key}={value!r}> loads something")
            if key == "href":
                assert value is not None
                assert not value.lower().startswith(("javascript:", "data:", "vbscript:")), value
    assert "url(" not in html.split("</style>", 1)[0].split("<style>", 1)[1]
    assert "@import" not in html


def test_untrusted_spec_text_is_escaped(tmp_path: Path) -> None:
    html = render_reference_html(load_spec(write(tmp_path, HOSTILE)))
    assert_offline_and_inert(html)
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # raw HTML in markdown stays text
    assert '<a href="https://example.org/docs">docs</a>' in html  # links are kept...
    # ...images are not: at most a link to the picture, never fetched
    assert '!<a href="https://tracker.example/pixel.png">tracker</a>' in html
    assert "&lt;/td&gt;&lt;script&gt;alert(7)&lt;/script&gt;" in html
    assert "<code>&lt;name&gt;</code>" in html


def test_page_is_self_contained(tmp_path: Path) -> None:
    html = render_reference_html(load_spec(REPO / "specs" / "api.yaml"))
    assert_offline_and_inert(html)
    csp = r"""<meta http-equiv="Content-Security-Policy" content="default-src (&#39;|')none"""
    assert re.search(csp, html)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)


def test_every_operation_is_documented() -> None:
    spec = load_spec(REPO / "specs" / "api.yaml")
    html = render_reference_html(spec)
    ops = [
        (url, method, op)
        for url, item in spec.document["paths"].items()
        for method, op in item.items()
        if method in ("get", "put", "post", "delete", "patch")
    ]
    assert len(ops) > 20
    ids = re.findall(r'data-operation-id="([^"]+)"', html)
    assert sorted(ids) == sorted(op["operationId"] for _, _, op in ops)
    for _url, _method, op in ops:
        anchor = f'id="op-{op["operationId"]}"'
        section = html.split(anchor, 1)[1].split("</article>", 1)[0]
        assert f'<a href="#op-{op["operationId"]}">' in html  # in the table of contents
        for status in op["responses"]:
            assert f"<code>{status}</code>" in section, (op["operationId"], status)
        assert "<h4>Security</h4>" in section
        if "requestBody" in op:
            assert "Request body" in section
        if op.get("summary"):
            assert str(op["summary"]).replace("'", "&#39;") in section


def test_reference_details(tmp_path: Path) -> None:
    spec = """
    openapi: 3.0.3
    info: {title: Details, version: '2'}
    security: [{key: []}]
    paths:
      /items:
        get:
          operationId: listItems
          deprecated: true
          parameters:
            - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100}}
          responses:
            '200':
              description: ok
              headers:
                Link: {schema: {type: string}}
              content:
                application/json:
                  schema: {type: array, items: {$ref: '#/components/schemas/Item'}}
        post:
          operationId: createItem
          security: [{key: []}, {}]
          requestBody:
            required: true
            content:
              application/json:
                schema: {$ref: '#/components/schemas/Item'}
          responses:
            '201': {description: created}
    components:
      securitySchemes:
        key: {type: apiKey, in: header, name: X-Key}
      schemas:
        Item:
          type: object
          required: [name]
          properties:
            name: {type: string, nullable: true, maxLength: 10}
            kind: {type: string, enum: [a, b]}
    """
    html = render_reference_html(load_spec(write(tmp_path, spec)))
    assert '<span class="badge deprecated">deprecated</span>' in html
    assert 'array of <a href="#schema-Item"><code>Item</code></a>' in html
    assert 'integer <span class="meta">(≥ 1; ≤ 100)</span>' in html
    assert "<code>Link</code> string" in html
    assert 'string <span class="meta">(length ≤ 10)</span> | null' in html
    assert "one of &#34;a&#34;, &#34;b&#34;" in html
    assert "no credentials (optional)" in html
    assert '<a href="#security-key"><code>key</code></a>' in html
    assert "X-Key in header" in html


REPORT: dict[str, Any] = {
    "base": {"label": "origin/main:specs/api.yaml", "version": "1.0.0"},
    "head": {"label": "specs/api.yaml", "version": "1.1.0"},
    "summary": {"breaking": 1, "possibly-breaking": 1, "info": 1, "major_version_bumped": False},
    "findings": [
        {
            "id": "operation-removed",
            "severity": "breaking",
            "message": "DELETE /things/{id} was removed <script>alert(1)</script>",
            "operation": "DELETE /things/{id}",
            "base": "specs/api.yaml:40:5",
            "head": None,
        },
        {
            "id": "response-property-optional",
            "severity": "possibly-breaking",
            "message": "property 'name' of the 200 response is no longer required",
            "operation": "GET /things → 200 → [].name (+1 more operations)",
            "operations": [
                {"operation": "GET /things", "paths": ["200 → [].name"]},
                {"operation": "GET /things/{id}", "paths": ["200 → .name"]},
            ],
            "base": "specs/api.yaml:12:9",
            "head": "specs/api.yaml:12:9",
        },
        {
            "id": "operation-added",
            "severity": "info",
            "message": "POST /things was added",
            "operation": "POST /things",
            "base": None,
            "head": "specs/api.yaml:20:5",
        },
    ],
}


def test_diff_page() -> None:
    html = render_diff_html(REPORT)
    assert_offline_and_inert(html)
    assert "origin/main:specs/api.yaml (version 1.0.0)" in html
    assert "Breaking changes: existing clients may fail." in html
    assert re.findall(r'data-finding-id="([^"]+)"', html) == [
        "operation-removed",
        "response-property-optional",
        "operation-added",
    ]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<h2 class="sev-breaking">Breaking (1)</h2>' in html
    assert "specs/api.yaml:40:5" in html
    assert "all 2 operations" in html
    assert "<code>GET /things/{id}</code> → <code>200 → .name</code>" in html


def test_diff_page_without_findings_or_summary() -> None:
    html = render_diff_html({"base": "a.yaml", "head": "b.yaml", "findings": []})
    assert "No breaking changes." in html
    assert "No changes that affect clients." in html
    bumped = render_diff_html(
        {**REPORT, "summary": {**REPORT["summary"], "major_version_bumped": True}}
    )
    assert "Breaking changes, allowed: the major version was bumped." in bumped


def test_docs_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(REPO)
    assert main(["docs", "-o", str(tmp_path / "site")]) == 0
    page = tmp_path / "site" / "index.html"
    assert "specfirst Tasks" in page.read_text(encoding="utf-8")
    assert main(["docs", str(write(tmp_path, HOSTILE)), "-o", str(tmp_path / "one.html")]) == 0
    assert (tmp_path / "one.html").is_file()
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: [\n", encoding="utf-8")
    assert main(["docs", str(broken), "-o", str(tmp_path / "x")]) == 1
    assert "syntax-error" in capsys.readouterr().err
