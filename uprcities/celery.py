"""The Celery application. Workers run `celery -A uprcities worker`; beat runs `celery -A uprcities beat`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uprcities.settings")

app = Celery("uprcities")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
