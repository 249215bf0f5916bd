"""Feature tests: one inline spec per OpenAPI feature, generated, imported and driven over HTTP.

They reuse the end-to-end helper (``tests/e2e/conftest.py``): ``make_api(SPEC)`` generates and
imports a package; ``client(app)`` talks to its app in-process.
"""

from tests.e2e.conftest import make_api

__all__ = ["make_api"]
