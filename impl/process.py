"""What every process of the service does first (the API's and `impl.worker`'s): configure
logging, then read the settings, or print one clear line and exit with status 1."""

from __future__ import annotations

import logging
import sys

from pydantic import ValidationError

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


def configured_settings() -> Settings:
    configure_logging()  # JSON from the first line, including the settings' own warnings
    settings = _load_settings()
    configure_logging(settings.log_level, json_lines=settings.log_json)
    logging.captureWarnings(True)  # library warnings become structured log lines too
    logging.getLogger("uvicorn.access").disabled = True  # HttpHygieneMiddleware logs requests
    return settings
