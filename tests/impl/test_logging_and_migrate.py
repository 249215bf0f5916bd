from __future__ import annotations

import json
import logging
from pathlib import Path

from sqlalchemy import create_engine, inspect

from impl.db.migrate import upgrade_to_head
from impl.logging import JsonFormatter, RequestIdFilter, request_id


def test_json_lines_carry_the_request_id_and_redact_secrets() -> None:
    record = logging.LogRecord(
        "impl.test", logging.INFO, __file__, 1, "login for %s", ("ada",), None
    )
    record.password = "hunter2"
    record.body = {"refresh_token": "rt_x", "name": "ok"}
    token = request_id.set("req-123")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "login for ada" and line["request_id"] == "req-123"
    assert line["password"] == "[redacted]"
    assert line["body"] == {"refresh_token": "[redacted]", "name": "ok"}


def test_upgrade_to_head_creates_the_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nested' / 'm.db'}"
    upgrade_to_head(url)
    upgrade_to_head(url)  # idempotent
    engine = create_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"users", "projects", "tasks", "exports", "alembic_version"} <= tables
    assert not [t for t in tables if t.startswith("pgqueuer")]  # SQLite: the queue is in memory
