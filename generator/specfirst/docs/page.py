"""What both pages share: the Content-Security-Policy, the stylesheet, the templates, Markdown.

The templates and the stylesheet are files in ``assets/``: ``page-head.html.jinja`` (the
``<head>`` both pages include), ``reference.html.jinja``, ``diff.html.jinja`` and
``page.css``, inlined into every page. Every string a template prints is escaped by Jinja2's
autoescaping unless it is :class:`~markupsafe.Markup` made here or by the page's model.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

__all__ = ["CSP", "markdown", "render_page"]

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("specfirst.docs", "assets"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@lru_cache(maxsize=1)
def _stylesheet() -> Markup:
    return Markup(files("specfirst.docs").joinpath("assets", "page.css").read_text("utf-8"))


def render_page(template: str, **context: Any) -> str:
    """A page from ``assets/``, with the policy and the stylesheet its head needs."""
    return _environment().get_template(template).render(csp=CSP, css=_stylesheet(), **context)


@lru_cache(maxsize=1)
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")  # an image would be fetched from wherever the spec says
    return md


def markdown(text: object) -> Markup:
    """CommonMark from the spec as safe HTML: raw HTML escaped, no images, no script URLs."""
    if not isinstance(text, str) or not text.strip():
        return Markup("")
    return Markup(_markdown().render(text))
