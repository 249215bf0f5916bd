from __future__ import annotations

import logging

import pytest

from impl.settings import ConfigurationError, Settings


def test_missing_secret_outside_development_stops_the_service() -> None:
    with pytest.raises(ConfigurationError, match="JWT_SECRET is not set"):
        Settings(_env_file=None, environment="production")


def test_short_secret_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="too short"):
        Settings(_env_file=None, environment="production", jwt_secret="short")


def test_development_makes_an_ephemeral_secret_loudly(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        settings = Settings(_env_file=None, environment="development")
    assert settings.jwt_secret_is_ephemeral and len(settings.jwt_secret_value) >= 32
    assert "EPHEMERAL" in caplog.text
    assert settings.should_migrate_on_startup


def test_lists_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "https://a.example, https://b.example")
    monkeypatch.setenv("ALLOWED_UPLOAD_MEDIA_TYPES", '["Image/PNG"]')
    monkeypatch.setenv("JWT_SECRET", "s" * 40)
    settings = Settings(_env_file=None)
    assert settings.cors_origins == ["https://a.example", "https://b.example"]
    assert settings.allowed_upload_media_types == ("image/png",)
    assert not settings.jwt_secret_is_ephemeral


def test_admin_emails_are_off_by_default_and_normalised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ADMIN_EMAILS", raising=False)
    assert Settings(_env_file=None).admin_emails == frozenset()
    monkeypatch.setenv("ADMIN_EMAILS", " Ada@Example.com, ,ops@example.com ")
    assert Settings(_env_file=None).admin_emails == {"ada@example.com", "ops@example.com"}
