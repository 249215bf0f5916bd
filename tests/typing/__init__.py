"""Typing tests: mypy --strict accepts conforming implementations and rejects the others."""
