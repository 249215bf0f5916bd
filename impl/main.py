"""The reference service: `uvicorn impl.main:app` (or `make run`).

Settings come from the environment (`impl.settings`). A configuration that cannot start
(e.g. no `JWT_SECRET` outside development) prints one clear line and exits with status 1.
"""

from __future__ import annotations

import logging
import sys

from fastapi import FastAPI
from pydantic import ValidationError

from impl.app import build_app
from impl.logging import configure_logging
from impl.settings import ConfigurationError, Settings, get_settings


def _load_settings() -> Settings:
    """The settings, or one clear line on stderr and exit status 1 (no traceback)."""
    try:
        return get_settings()
    except (ConfigurationError, ValidationError) as exc:
        message = str(exc) if isinstance(exc, ConfigurationError) else " ".join(str(exc).split())
        print(f"specfirst: cannot start: {message}", file=sys.stderr)
        raise SystemExit(1) from None


def _configure() -> Settings:
    configure_logging()  # JSON from the first line, including the settings' own warnings
    settings = _load_settings()
    configure_logging(settings.log_level, json_lines=settings.log_json)
    logging.captureWarnings(True)  # library warnings become structured log lines too
    logging.getLogger("uvicorn.access").disabled = True  # HttpHygieneMiddleware logs requests
    return settings


def _build() -> FastAPI:
    settings = _configure()
    try:
        return build_app(settings)
    except ConfigurationError as exc:
        print(f"specfirst: cannot start: {exc}", file=sys.stderr)
        raise SystemExit(1) from None


app = _build()
