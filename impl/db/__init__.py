"""Persistence: engine and sessions, ORM models, migrations."""

from impl.db.engine import Database, create_engine, normalize_url

__all__ = ["Database", "create_engine", "normalize_url"]
