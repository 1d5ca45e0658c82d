import datetime as dt

from celery import shared_task

from reports import rendering
from reports.reminders import notify_deadline_moved


@shared_task(
    bind=True,
    name="reports.render",
    acks_late=True,  # a worker killed mid-render leaves the message for another worker
    reject_on_worker_lost=True,
    max_retries=None,  # only ever retried while another worker holds the lease
)
def render_task(self, *, render_id: int) -> str:
    """Render one Render row (by id). Idempotent: a done, failed or missing row is left alone."""
    try:
        render = rendering.claim(render_id)
    except rendering.Busy as busy:
        raise self.retry(countdown=busy.seconds) from None
    if render is None:
        return "nothing to do"
    render = rendering.run(render)
    return render.status


@shared_task(name="reports.notify_deadline_moved", acks_late=True)
def notify_deadline_moved_task(*, milestone_id: int, old_date: str, new_date: str) -> int:
    """Tell the organizers that a deadline moved (reports.reminders.notify_deadline_moved); dates as ISO text."""
    return notify_deadline_moved(
        milestone_id=milestone_id, old_date=dt.date.fromisoformat(old_date), new_date=dt.date.fromisoformat(new_date)
    )
