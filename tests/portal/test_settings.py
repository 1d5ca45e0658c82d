import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from uprcities.env import env_bool, env_int, env_list, env_str
from uprcities.settings import _mailer_from_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("yes", True), ("on", True), ("0", False), ("false", False)]
)
def test_env_bool_reads_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", not expected) is expected


def test_env_bool_fails_loudly_on_a_typo(monkeypatch):
    monkeypatch.setenv("FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="FLAG='ture' is not a boolean"):
        env_bool("FLAG", False)


def test_env_int_and_list(monkeypatch):
    monkeypatch.setenv("N", "12")
    monkeypatch.setenv("HOSTS", "a.org, b.org,,")
    assert env_int("N", 0) == 12
    assert env_list("HOSTS", []) == ["a.org", "b.org"]
    monkeypatch.setenv("N", "twelve")
    with pytest.raises(ImproperlyConfigured):
        env_int("N", 0)


def test_env_str_file_variant_wins(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-file\n")
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("SECRET_KEY_FILE", str(secret))
    assert env_str("SECRET_KEY") == "from-file"


def test_mailer_from_url():
    assert _mailer_from_url("console://") == {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    assert _mailer_from_url("smtp://user:p%40ss@mail.example.org:587/?tls=1") == {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "mail.example.org", "port": 587, "username": "user", "password": "p@ss", "use_tls": True},
    }
    with pytest.raises(ImproperlyConfigured):
        _mailer_from_url("carrier-pigeon://coop")


def _settings_in_clean_env(**env) -> dict:
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], "
        "'eager': settings.CELERY_TASK_ALWAYS_EAGER, 'mail': settings.MAILERS['default']['BACKEND'], "
        "'media': str(settings.MEDIA_ROOT), 'debug': settings.DEBUG, 'cache': settings.CACHES['default']['BACKEND']}))"
    )
    clean = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "uprcities.settings", **env}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_no_environment_means_embedded_defaults(tmp_path):
    assert _settings_in_clean_env(VAR_DIR=str(tmp_path)) == {
        "engine": "django.db.backends.sqlite3",
        "eager": True,
        "mail": "django.core.mail.backends.console.EmailBackend",
        "media": str(tmp_path / "media"),
        "debug": True,
        "cache": "django.core.cache.backends.locmem.LocMemCache",
    }


def test_production_environment_switches_services(tmp_path):
    assert _settings_in_clean_env(
        VAR_DIR=str(tmp_path),
        DEBUG="0",
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://u@db:5432/upr",
        REDIS_URL="redis://redis:6379/0",
        EMAIL_URL="smtp://mail:25",
        MEDIA_ROOT="/data/media",
    ) == {
        "engine": "django.db.backends.postgresql",
        "eager": False,
        "mail": "django.core.mail.backends.smtp.EmailBackend",
        "media": "/data/media",
        "debug": False,
        "cache": "portal.cache_backend.ResilientRedisCache",
    }


def test_production_without_secret_key_refuses_to_start(tmp_path):
    with pytest.raises(subprocess.CalledProcessError) as failed:
        _settings_in_clean_env(VAR_DIR=str(tmp_path), DEBUG="0")
    assert "SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG=0" in failed.value.stderr


def test_an_oversized_request_is_refused_before_its_body_is_read(client, personas):
    response = client.post(
        "/cities/pittsburgh-pa/testimony/new/",
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(2 * 1024**3),
    )
    assert response.status_code == 413
    assert "What you sent is too large" in response.text
    assert "at most 210 MB" in response.text
