"""`{{ when|machine_datetime }}`: a datetime as HTML's `<time datetime>` wants it.

Django's `date:"c"` is `isoformat()`, which writes microseconds ("10:38:20.439288"); HTML allows at most three
digits of a second, so the Nu HTML checker rejects it. This writes whole seconds, in the time zone active where it
is used (inside `{% timezone %}`, that zone), with the offset as "+HH:MM".
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def machine_datetime(value) -> str:
    if not isinstance(value, dt.datetime):
        return value.isoformat() if isinstance(value, dt.date) else ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat()
