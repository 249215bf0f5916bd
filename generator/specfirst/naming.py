"""Mechanical, predictable Python names for everything the spec names.

One place decides how an operationId, a parameter, a tag or a header becomes a Python
identifier, so users learn the scheme once: ``createTask`` → ``create_task`` (method),
``CreateTask`` (class prefix), ``tasks`` tag → ``TasksService`` / ``tasks`` module.
"""

from __future__ import annotations

import hashlib
import keyword
import re
import unicodedata
from collections.abc import Iterable

MAX_IDENTIFIER = 72

# Names a generated module or endpoint already uses; a spec name equal to one gets a suffix.
RESERVED = frozenset(
    {
        "self",
        "cls",
        "body",
        "principal",
        "request",
        "response",
        "Annotated",
        "Any",
        "None",
        "True",
        "False",
        "int",
        "str",
        "float",
        "bool",
        "bytes",
        "list",
        "dict",
        "type",
        "object",
    }
)

_WORD_BOUNDARY = re.compile(r"([a-z0-9])([A-Z])|([A-Z]{2,})([A-Z][a-z])")
# "ETag", "OAuth2": one capital glued to a capitalised word is one word, not two.
_GLUED_INITIAL = re.compile(r"(?<![A-Za-z])([A-Z])([A-Z][a-z])")
_NON_IDENT = re.compile(r"[^0-9A-Za-z]+")


# Letters NFKD does not decompose into ASCII, transliterated as their languages write them.
_TRANSLITERATE = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "SS",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "Th",
    }
)


def _ascii(text: str) -> str:
    folded = (
        unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE))
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    if folded.strip() or not text.strip():
        return folded
    # Nothing ASCII survived (e.g. a name entirely in CJK): keep it stable and distinct.
    return "u" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def words(text: str, *, glue_initials: bool = False) -> list[str]:
    """Split any spec name (camelCase, kebab-case, snake_case, spaces, dots) into words."""
    text = _ascii(text)
    if glue_initials:
        text = _GLUED_INITIAL.sub(lambda m: m[1] + m[2].lower(), text)
    text = _WORD_BOUNDARY.sub(lambda m: f"{m[1] or m[3]} {m[2] or m[4]}", text)
    return [w for w in _NON_IDENT.split(text) if w]


def _shorten(name: str, *, glue: bool = False) -> str:
    """``name`` cut to :data:`MAX_IDENTIFIER` characters, ending in a digest of the whole.

    ``glue``: the digest is one more capitalised word (``…PrivaFefcadb4``), not ``_``-joined:
    datamodel-code-generator takes a class name with an ``_`` for words to glue and would
    name the class otherwise than the routers read it (threatjammer's request bodies were
    read as ``Any``)."""
    if len(name) <= MAX_IDENTIFIER:
        return name
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    if glue:
        return f"{name[: MAX_IDENTIFIER - 8]}{digest.capitalize()}"
    return f"{name[: MAX_IDENTIFIER - 9]}_{digest}"


def snake(text: str) -> str:
    """``createTask`` → ``create_task``; always a valid, non-keyword identifier."""
    name = "_".join(w.lower() for w in words(text, glue_initials=True)) or "value"
    if name[0].isdigit():
        name = f"n{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in RESERVED:
        name = f"{name}_"
    return _shorten(name)


def pascal(text: str) -> str:
    """``create-task`` → ``CreateTask``; always a valid identifier."""
    name = "".join(w[:1].upper() + w[1:] for w in words(text)) or "Value"
    if name[0].isdigit():
        name = f"N{name}"
    if keyword.iskeyword(name) or name in RESERVED:
        name = f"{name}_"
    return _shorten(name, glue=True)


def unique(name: str, taken: set[str]) -> str:
    """Return ``name`` or ``name2``, ``name3`` … whichever is free, and mark it taken."""
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}{n}"
    taken.add(candidate)
    return candidate


def operation_name(method: str, path: str) -> str:
    """A stable operationId for an operation that has none: ``get /users/{id}`` → ``getUsersById``."""
    parts: list[str] = [method.lower()]
    for segment in path.strip("/").split("/"):
        if not segment:
            continue
        if segment.startswith("{") and segment.endswith("}"):
            parts.extend(["by", segment[1:-1]])
        else:
            parts.append(segment)
    return snake("_".join(parts))


def status_label(status: str) -> str:
    """Response code as a class-name part: ``201`` → ``201``, ``2XX`` → ``2XX``, ``default`` → ``Default``."""
    return "Default" if status == "default" else status.upper()


def py_string(text: str) -> str:
    """A Python string literal for any text (safe inside generated code)."""
    return repr(text)


def docstring(text: str | None, indent: str = "    ") -> str | None:
    """Spec prose as the body of a triple-quoted docstring that no text can break out of."""
    if not text or not text.strip():
        return None
    body = text.strip().replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if not body.replace("\n", "").replace("\t", "").isprintable():
        body = "".join(
            ch if ch in "\n\t" or ch.isprintable() else f"\\x{ord(ch):02x}" for ch in body
        )
    lines = [line.rstrip() for line in body.splitlines()]
    # An empty line gets no indent: whitespace alone on a line is a lint error (W293).
    text = "\n".join([lines[0], *((indent + line) if line else "" for line in lines[1:])])
    if text.endswith('"'):
        text = text[:-1] + '\\"'  # a closing quote would merge with the docstring's own
    return text


def comment(text: str | None) -> str:
    """Spec text on one comment line: no newline can end the comment early."""
    if not text:
        return ""
    return " ".join(text.split())[:200]


def dedupe(names: Iterable[str]) -> list[str]:
    taken: set[str] = set()
    return [unique(n, taken) for n in names]
