"""Static HTML for reviewers: the spec as one reference page, and a breaking-change report.

Both pages are single self-contained files: inline CSS, no scripts, no fonts or images from
anywhere, and a Content-Security-Policy that forbids loading anything, so they open offline
from a CI artifact or a local folder and cannot phone home.

Spec text is untrusted: every string is escaped by Jinja2's autoescaping, and descriptions
(CommonMark) are rendered by markdown-it-py with raw HTML and images turned off; its link
validation already refuses ``javascript:``, ``vbscript:``, ``file:`` and ``data:`` URLs.

Where things live:

- ``reference``: :func:`render_reference_html`, the page's frame: info, servers, and the
  operations grouped into tag sections.
- ``operations``: an operation's row: security, parameters, request body, responses.
- ``components``: the security schemes table and the schema sections.
- ``context``: :class:`~specfirst.docs.context.ReferenceContext`, what those parts share:
  the document, ``$ref`` lookups, the page's anchors.
- ``schema_text``: a schema as one line of text (``array of Task``, ``string (uuid)``).
- ``diff``: :func:`render_diff_html`, the breaking-change report's page.
- ``page``: what both pages share: the CSP, the stylesheet, the template environment, and
  Markdown rendering.
- ``assets/``: the templates (``page-head``, ``reference``, ``diff``) and ``page.css``.
"""

from __future__ import annotations

from specfirst.docs.diff import render_diff_html
from specfirst.docs.reference import render_reference_html

__all__ = ["render_diff_html", "render_reference_html"]
