"""Settings for bench/testimony_load.py: the portal's own settings, with the per-address rate limits raised
(every simulated client comes from 127.0.0.1) and plain-HTTP cookies and static files so gunicorn can run with
DEBUG=0 on a loopback port without TLS or collectstatic. Nothing else differs from production settings."""

from uprcities.settings import *  # noqa: F403
from uprcities.settings import RATE_LIMITS, STORAGES

RATE_LIMITS = {scope: (10**9, window) for scope, (_limit, window) in RATE_LIMITS.items()}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
