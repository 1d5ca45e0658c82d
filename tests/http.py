"""Helpers for test responses."""

from django.core.signals import request_finished
from django.db import close_old_connections


def release(response) -> None:
    """Close a streamed response (and its file) the way Django's test client does, without letting
    request_finished close the test's database connection (on PostgreSQL the rest of the test would then fail)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
