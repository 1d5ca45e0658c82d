"""The Celery application. Workers run `celery -A uprcities worker`; beat runs `celery -A uprcities beat`."""

import logging
import os

from celery import Celery
from celery import Task as CeleryTask
from kombu.exceptions import OperationalError as BrokerOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uprcities.settings")

logger = logging.getLogger(__name__)

BROKER_UNREACHABLE = (BrokerOperationalError, RedisConnectionError, RedisTimeoutError)


class Task(CeleryTask):
    """Enqueueing never fails the caller: a broker that cannot be reached is logged, and the task is not sent.

    Tasks are enqueued after the change they follow has committed, so by then the testimony, the
    registration or the render request is stored; turning the response into a 500 would tell the person it was not.
    What was not sent stays recorded in the database, and the periodic tick hands it over again when the broker is
    back: an email stays queued in the outbox (portal.mail), a render stays queued (reports.rendering).
    """

    def apply_async(self, args=None, kwargs=None, *rest, **options):
        if self.app.conf.task_always_eager:
            return super().apply_async(args, kwargs, *rest, **options)
        try:
            return super().apply_async(args, kwargs, *rest, **options)
        except BROKER_UNREACHABLE as exc:
            # Names only: the arguments can hold an email's addresses and text.
            logger.error(
                "celery: broker unreachable, task %s not enqueued (arguments %s): %s: %s",
                self.name,
                sorted((kwargs or {}).keys()),
                type(exc).__name__,
                exc,
            )
            return None


app = Celery("uprcities", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
