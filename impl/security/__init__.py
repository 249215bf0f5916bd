"""Credentials: password hashing, JWT access tokens, refresh tokens, API keys, principals."""

from impl.security.principal import Principal

__all__ = ["Principal"]
