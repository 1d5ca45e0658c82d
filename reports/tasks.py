from celery import shared_task

from reports import rendering


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
