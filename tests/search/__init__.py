"""Tests of the search. Full-text tests need PostgreSQL (CI runs on it); the simpler search is tested on either."""

from django.conf import settings

POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
