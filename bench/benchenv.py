"""The environment of an in-process benchmark, set before Django starts: a throw-away folder for the SQLite
database and files (or the PostgreSQL database named by BENCH_DATABASE_URL), no broker (Celery runs each task
eagerly, at commit), production-like settings and quiet logs.

    from benchenv import start
    VAR_DIR = start("reports", email_url="dummy://")   # then import the project's modules
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start(name: str, *, email_url: str | None = None) -> str:
    """Prepare the environment for benchmark `name`, start Django, and return the throw-away folder.

    When Django is already set up (another benchmark imports this one's builders: bench/http_world.py), the
    running settings are kept and the environment is left alone."""
    sys.path.insert(0, str(ROOT))
    from django.apps import apps

    if apps.ready:
        return os.environ.get("VAR_DIR", "")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uprcities.settings")
    var_dir = tempfile.mkdtemp(prefix=f"uprcities-bench-{name}-")
    os.environ["VAR_DIR"] = var_dir
    os.environ["MEDIA_ROOT"] = os.path.join(var_dir, "media")
    os.environ["PRIVATE_MEDIA_ROOT"] = os.path.join(var_dir, "private")  # rendered files
    os.environ.pop("DATABASE_URL", None)
    if os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    for variable in ("REDIS_URL", "CACHE_URL", "CELERY_BROKER_URL"):  # no broker: tasks run at commit
        os.environ.pop(variable, None)
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
    if email_url:
        os.environ["EMAIL_URL"] = email_url
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # eager Celery logs every task at INFO
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

    import django

    django.setup()
    return var_dir
