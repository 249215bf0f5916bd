"""Which OpenAPI a document is, with a targeted hint for the common wrong inputs.

A Swagger 2.0 file (``not-openapi-3``: how to convert it), a file that is not OpenAPI at all
(``not-openapi``), a version specfirst does not support (``unsupported-version``). Validation
goes no further than this when the version is wrong.
"""

from __future__ import annotations

import re

from specfirst.diagnostics import Diagnostic, Level
from specfirst.loader import SourceSpec
from specfirst.validate.messages import _short


def _check_version(spec: SourceSpec) -> str | Diagnostic:
    doc = spec.document
    if "swagger" in doc:
        return Diagnostic(
            Level.ERROR,
            "not-openapi-3",
            f"this is a Swagger {doc['swagger']} document; specfirst needs OpenAPI 3.0, 3.1 or 3.2. "
            f"Convert it first, e.g. `npx swagger2openapi --yaml {spec.path.name} "
            f"-o {spec.path.stem}.openapi.yaml`, or in editor.swagger.io with "
            "Edit > Convert to OpenAPI 3",
            spec.locate(("swagger",)),
        )
    if "openapi" not in doc:
        return Diagnostic(
            Level.ERROR,
            "not-openapi",
            "no 'openapi' field at the top level, so this is not an OpenAPI document; "
            "an OpenAPI 3 document starts with `openapi: 3.1.0` (or 3.0.3), `info` and `paths`",
            spec.locate(()),
        )
    value = doc["openapi"]
    if not isinstance(value, str):
        return Diagnostic(
            Level.ERROR,
            "unsupported-version",
            f"'openapi' must be a string such as \"3.1.0\", not {_short(value)}; quote it",
            spec.locate(("openapi",)),
        )
    match = re.match(r"^(3\.[012])\.\d+(-.+)?$", value)
    if match is None:
        return Diagnostic(
            Level.ERROR,
            "unsupported-version",
            f"OpenAPI version {value!r} is not supported; specfirst supports 3.0.x, 3.1.x and 3.2.x",
            spec.locate(("openapi",)),
        )
    return match.group(1)
