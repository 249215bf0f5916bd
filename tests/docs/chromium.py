"""Headless Chromium for page tests: load a local file, return its DOM and console messages."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
)
# Chromium logs every console message (errors, CSP violations, uncaught exceptions) like
# "[pid:tid:date:INFO:CONSOLE:1] "message", source: file:///... (1)" (older builds: CONSOLE(1)).
CONSOLE = re.compile(r":CONSOLE[:(]\d*\)?\]\s*(.*)")


def chromium() -> str:
    """The Chromium binary; skips the test without one, except on CI where it must exist."""
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    message = "chromium is not installed (Debian: apt-get install -y chromium)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message + "; CI must install it (.ci/run does)")
    pytest.skip(message)


def load(page: Path, timeout: float = 60) -> tuple[str, list[str]]:
    """Open ``page`` in headless Chromium: (serialized DOM, console messages)."""
    binary = chromium()
    with tempfile.TemporaryDirectory(prefix="specfirst-chromium-") as profile:
        done = subprocess.run(
            [binary, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.resolve().as_uri()],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    console = [m.group(1) for m in CONSOLE.finditer(done.stderr)]
    return done.stdout, console
