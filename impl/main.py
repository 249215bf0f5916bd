"""The reference service: `uvicorn impl.main:app` (or `make run`).

Settings come from the environment (`impl.settings`). A configuration that cannot start
(e.g. no `JWT_SECRET` outside development) prints one clear line and exits with status 1.
"""

from __future__ import annotations

import sys

from fastapi import FastAPI

from impl.app import build_app
from impl.process import configured_settings
from impl.settings import ConfigurationError


def _build() -> FastAPI:
    settings = configured_settings()
    try:
        return build_app(settings)
    except ConfigurationError as exc:
        print(f"specfirst: cannot start: {exc}", file=sys.stderr)
        raise SystemExit(1) from None


app = _build()
