"""Settings come from the environment and refuse to start a production system on unsafe values (issue 2 item 3)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PROBE = "import django; django.setup(); from django.conf import settings; print(settings.DATABASES['default']['ENGINE'], settings.TIME_ZONE, settings.LANGUAGE_CODE, settings.DEBUG)"


def run_settings(**env: str) -> subprocess.CompletedProcess:
    base = {
        k: v for k, v in os.environ.items() if not k.startswith(("XINBAO_", "DATABASE_URL", "SECRET_KEY"))
    }
    base["DJANGO_SETTINGS_MODULE"] = "config.settings"
    base.update(env)
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=base, capture_output=True, text=True)


def test_production_mode_refuses_the_development_secret():
    result = run_settings()
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "ImproperlyConfigured" in result.stderr


def test_production_mode_refuses_a_short_secret():
    result = run_settings(SECRET_KEY="too-short")
    assert result.returncode != 0
    assert "at least 32 characters" in result.stderr


def test_secret_from_file_and_defaults(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s" * 50 + "\n")
    result = run_settings(SECRET_KEY_FILE=str(secret), ALLOWED_HOSTS="xinbao.example.gov.cn")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "Asia/Shanghai", "zh-hans", "False"]


def test_unreadable_secret_file_is_named():
    result = run_settings(SECRET_KEY_FILE="/nonexistent/secret")
    assert result.returncode != 0
    assert "SECRET_KEY_FILE" in result.stderr


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"DATABASE_URL": "mysql://u@h/db"}, "Unsupported database engine"),
        ({"XINBAO_IDLE_TIMEOUT_MINUTES": "thirty"}, "XINBAO_IDLE_TIMEOUT_MINUTES must be an integer"),
        ({"XINBAO_DEBUG": "maybe"}, "XINBAO_DEBUG must be a boolean"),
        ({"CACHE_URL": "memcached://x"}, "CACHE_URL"),
    ],
)
def test_bad_values_fail_loudly(env, needle):
    result = run_settings(XINBAO_DEBUG=env.pop("XINBAO_DEBUG", "1"), **env)
    assert result.returncode != 0
    assert needle in result.stderr


def test_postgres_url_and_time_zone_from_environment():
    result = run_settings(
        XINBAO_DEBUG="1", DATABASE_URL="postgres://u:p@db.internal:5432/xinbao", TIME_ZONE="Asia/Urumqi"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["django.db.backends.postgresql", "Asia/Urumqi"]


def test_sessions_come_from_redis_only_when_the_cache_is_shared():
    probe = "import django; django.setup(); from django.conf import settings; print(settings.SESSION_ENGINE)"

    def engine(**env: str) -> str:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("XINBAO_", "CACHE_URL"))}
        base |= {"DJANGO_SETTINGS_MODULE": "config.settings", "XINBAO_DEBUG": "1", **env}
        result = subprocess.run(
            [sys.executable, "-c", probe], cwd=ROOT, env=base, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert engine(CACHE_URL="redis://127.0.0.1:6379/0") == "django.contrib.sessions.backends.cached_db"
    # A per-process cache would keep a logged-out session alive in the other workers.
    assert engine() == "django.contrib.sessions.backends.db"
