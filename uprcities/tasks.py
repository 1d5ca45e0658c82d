import logging

from celery import shared_task

from uprcities.registry import periodic_jobs

logger = logging.getLogger(__name__)


@shared_task(name="uprcities.tick", acks_late=True)
def tick() -> dict[str, str]:
    """The single beat tick (every 15 minutes): run each registered job; one failing job does not stop the rest.

    The jobs find what is due in the database, so running the tick twice, late or concurrently is harmless.
    """
    outcome: dict[str, str] = {}
    for name, job in periodic_jobs.items():
        try:
            outcome[name] = f"ok: {job()}"
        except Exception as exc:
            logger.exception("periodic job %s failed", name)
            outcome[name] = f"failed: {exc}"
    return outcome
