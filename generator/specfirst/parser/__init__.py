"""From a validated, bundled OpenAPI document to the IR (``specfirst.ir``).

- ``api_parser``: :class:`ApiParser`, the two passes around model generation.
"""

from specfirst.parser.api_parser import ApiParser
from specfirst.parser.services import service_tag

__all__ = ["ApiParser", "service_tag"]
