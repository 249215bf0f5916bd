"""The reliability tests drive the reference service with the service suite's fixtures (both
backends, a fresh database each) and run under the same secret watch on the log."""

from __future__ import annotations

from tests.service.conftest import (  # noqa: F401  (fixtures, found by name)
    ada,
    app,
    client,
    grace,
    new_user,
    passwords,
    runtime,
    secret_watch,
    settings,
)
