"""The rendering pipeline: a Render row per (object, document, content version, format), filled by a Celery task.

- `request_render(obj, name, fmt)` builds the Document, hashes it, and returns the existing Render for that
  version or creates one and enqueues the task after the transaction commits. Asking twice is free.
- The task takes the Render's id. It claims the row with a lease (a conditional UPDATE), so two deliveries of the
  same message never render at once; the task is acknowledged late, so a worker killed mid-render leaves the
  message to be delivered again, and the next worker takes over once the lease has run out. Only the attempt that
  holds the lease may mark the row done, so it finishes exactly once.
- A failure is recorded on the row (error text, timings) and can be retried.
- `check_current(renders)` is the one gate before a file is listed or handed out: a render made from content that
  is no longer what would be printed now (an edit, a consent narrowed or withdrawn, a redaction, a new name) is
  marked superseded there and its file deleted, so no kind of change can be forgotten by a download path.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib import request

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.http import FileResponse, Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

from reports.document import Document
from reports.enums import RenderFormat, RenderStatus
from reports.models import Render

logger = logging.getLogger(__name__)

Builder = Callable[[object], Document]
_builders: dict[tuple[type, str], tuple[Builder, Callable[[object], str]]] = {}


def register_document(model: type, name: str, build: Builder, filename: Callable[[object], str]) -> None:
    """Declare that `model` objects have a printable document `name`, built by `build(obj)`."""
    _builders[(model, name)] = (build, filename)


def build_document(obj, name: str) -> Document:
    build, _filename = _builders[(type(obj), name)]
    return build(obj)


def lease_seconds() -> int:
    return getattr(settings, "RENDER_LEASE_SECONDS", 600)


# --- asking for renders ----------------------------------------------------------------------------------------


def request_render(obj, name: str, fmt: str, *, user=None, document: Document | None = None) -> Render:
    """The render of `obj`'s document `name` as it stands now, in `fmt`; created and queued if new."""
    if document is None:
        document = build_document(obj, name)
    version = document.version()
    _build, filename = _builders[(type(obj), name)]
    render, created = Render.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        document=name,
        version=version,
        format=fmt,
        defaults={
            "requested_by": user if user and user.is_authenticated else None,
            "filename": f"{filename(obj)}.{fmt}",
        },
    )
    if created:
        _enqueue(render)
    elif render.status == RenderStatus.SUPERSEDED:
        # The content is back to what this file was made from (a report edited back, say): make it again rather
        # than keep refusing the current text; the old file was deleted when it was superseded.
        requeued = Render.objects.filter(pk=render.pk, status=RenderStatus.SUPERSEDED).update(
            status=RenderStatus.QUEUED, error="", queued_at=timezone.now(), started_at=None, finished_at=None
        )
        if requeued:
            _enqueue(render)
        render.refresh_from_db()
    return render


def retry_render(render: Render) -> Render:
    """Queue a failed render again (nothing happens to one that is queued, running or done)."""
    updated = Render.objects.filter(pk=render.pk, status=RenderStatus.FAILED).update(
        status=RenderStatus.QUEUED, error="", queued_at=timezone.now(), started_at=None, finished_at=None
    )
    if updated:
        _enqueue(render)
    render.refresh_from_db()
    return render


def current_render(obj, name: str, fmt: str, *, version: str | None = None) -> Render | None:
    """The render of the current content (of `version` when the caller knows it), if one was asked for."""
    version = version or build_document(obj, name).version()
    return Render.objects.for_object(obj, name).filter(version=version, format=fmt).first()


# What may be superseded: a running render is left to finish (its worker checks the version before it starts, and
# the next look supersedes it if the content changed after that).
SUPERSEDABLE = (RenderStatus.QUEUED, RenderStatus.DONE, RenderStatus.FAILED)


def check_current(
    renders: Iterable[Render], *, known: dict[tuple[object, str], Document] | None = None
) -> list[Render]:
    """`renders` as they may be listed and handed out now: each one whose content version is not that of its
    document as it would be printed today is marked superseded (one UPDATE) and its file deleted after commit.

    Every place that lists or serves a render file calls this, so whatever changed the content (an edit, a
    consent narrowed or withdrawn, a redaction, a new name) stops the file. Each document is built once per call
    (once per request), whatever the number of rows; `known` gives documents the caller already built, as
    {(object, document name): Document}.
    """
    renders = list(renders)
    versions: dict[tuple[int, int, str], str | None] = {}
    for (obj, name), document in (known or {}).items():
        versions[(ContentType.objects.get_for_model(type(obj)).pk, obj.pk, name)] = document.version()
    for render in renders:
        key = (render.content_type_id, render.object_id, render.document)
        if key not in versions:
            subject = render.subject
            # A report that is gone has no current content: none of its files may be handed out.
            versions[key] = build_document(subject, render.document).version() if subject is not None else None
    stale = [
        r
        for r in renders
        if r.status in SUPERSEDABLE and r.version != versions[(r.content_type_id, r.object_id, r.document)]
    ]
    if stale:
        files = [(r.file.storage, r.file.name) for r in stale if r.file]
        Render.objects.filter(pk__in=[r.pk for r in stale], status__in=SUPERSEDABLE).update(
            status=RenderStatus.SUPERSEDED, file="", lease_until=None
        )
        # The old words go with the file (a withdrawn quote must not stay in a file on disk either); after commit,
        # so a rolled-back request keeps both.
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
        for render in stale:
            render.status, render.file = RenderStatus.SUPERSEDED, ""
    return renders


CONTENT_TYPES = {
    RenderFormat.PDF: "application/pdf",
    RenderFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def file_response(render: Render, *, known: dict[tuple[object, str], Document] | None = None) -> FileResponse:
    """The render's file, when it is done and still the document as it would be printed now: every download of a
    render (organizers, the admin, the public PDF) goes through here, and so through `check_current`."""
    render = check_current([render], known=known)[0]
    if render.status != RenderStatus.DONE:
        raise Http404("Not rendered yet, or superseded by a change")
    response = FileResponse(
        render.file.open("rb"), as_attachment=True, filename=render.filename, content_type=CONTENT_TYPES[render.format]
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def delete_renders(model: type, object_ids: set[int]) -> int:
    """Delete every render of these objects, rows and files (the files after commit): for words that must be gone
    from every file at once (a withdrawal), where superseding on the next look would be too late."""
    if not object_ids:
        return 0
    renders = Render.objects.for_objects(model, object_ids)
    names = list(renders.exclude(file="").values_list("file", flat=True))
    deleted, _per_model = renders.delete()
    storage = Render._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return deleted


def _enqueue(render: Render) -> None:
    transaction.on_commit(lambda: _hand_over(render.pk))


def _hand_over(render_id: int) -> None:
    from reports.tasks import render_task

    # The broker-tolerant task base returns None instead of raising when the broker is down: the row then keeps
    # its old hand-over time and the tick tries again.
    if render_task.delay(render_id=render_id) is not None:
        Render.objects.filter(pk=render_id).update(handed_over_at=timezone.now())


def hand_over_stranded_renders(now: dt.datetime | None = None) -> int:
    """Periodic job: hand over again every queued render that was never handed to the broker, or not for
    RENDER_HANDOVER_SECONDS (the broker was down, or the message was lost). The render task's claim makes a
    message delivered twice render once. Returns how many were handed over."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=getattr(settings, "RENDER_HANDOVER_SECONDS", 300))
    stranded = list(
        Render.objects.filter(status=RenderStatus.QUEUED, queued_at__lt=cutoff)
        .filter(Q(handed_over_at__isnull=True) | Q(handed_over_at__lt=cutoff))
        .order_by("queued_at")
        .values_list("pk", flat=True)[:100]
    )
    for render_id in stranded:
        _hand_over(render_id)
    return len(stranded)


# --- doing a render (called by the task) ------------------------------------------------------------------------


class Busy(Exception):
    """Another worker holds the render's lease; `seconds` until it runs out."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"render is held by another worker for {seconds:.0f} s more")
        self.seconds = seconds


def claim(render_id: int) -> Render | None:
    """Take the render's lease. None when there is nothing to do (done, failed, gone); Busy while another holds it."""
    now = timezone.now()
    claimable = Q(status=RenderStatus.QUEUED) | Q(status=RenderStatus.RUNNING, lease_until__lt=now)
    taken = Render.objects.filter(claimable, pk=render_id).update(
        status=RenderStatus.RUNNING,
        started_at=now,
        lease_until=now + dt.timedelta(seconds=lease_seconds()),
        attempts=F("attempts") + 1,
    )
    render = Render.objects.filter(pk=render_id).first()
    if taken:
        return render
    if render is None or render.finished:
        return None
    raise Busy(max(1.0, (render.lease_until - now).total_seconds()) if render.lease_until else 1.0)


def run(render: Render) -> Render:
    """Render the file for a claimed row and record the outcome on it."""
    attempt = render.attempts
    started = time.perf_counter()
    try:
        obj = render.subject
        if obj is None:
            raise LookupError("the report this render belongs to no longer exists")
        document = build_document(obj, render.document)
        if document.version() != render.version:
            raise ValueError(
                "the content changed after this render was asked for (an edit, or a quote's consent); "
                "ask for the file again"
            )
        data, pages = render_bytes(document, render.format)
    except Exception as exc:
        logger.exception("render %s failed", render.pk)
        Render.objects.filter(pk=render.pk, attempts=attempt).update(
            status=RenderStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}",
            finished_at=timezone.now(),
            render_seconds=time.perf_counter() - started,
            lease_until=None,
        )
        render.refresh_from_db()
        return render
    name = render.file.storage.save(render.file.field.generate_filename(render, render.filename), ContentFile(data))
    finished = Render.objects.filter(pk=render.pk, attempts=attempt, status=RenderStatus.RUNNING).update(
        status=RenderStatus.DONE,
        file=name,
        pages=pages,
        error="",
        finished_at=timezone.now(),
        render_seconds=time.perf_counter() - started,
        lease_until=None,
    )
    if not finished:  # another attempt took over after our lease ran out: its file wins, ours goes
        render.file.storage.delete(name)
    render.refresh_from_db()
    return render


def render_bytes(document: Document, fmt: str) -> tuple[bytes, int | None]:
    """The file of `document` in `fmt`, made today (its footer says so), and its page count if known."""
    if fmt == RenderFormat.PDF:
        return render_pdf(document)
    if fmt == RenderFormat.DOCX:
        from reports.docx import render_docx

        return render_docx(document), None
    raise ValueError(f"unknown format {fmt!r}")


# --- HTML and PDF -----------------------------------------------------------------------------------------------


def print_stylesheet() -> str:
    path = finders.find("reports/print.css")
    if path is None:
        raise FileNotFoundError("static/reports/print.css is missing")
    return path


def render_html(document: Document, *, made: dt.date | None = None) -> str:
    """The print HTML of a document (what WeasyPrint lays out), for a file made on `made` (today if not given)."""
    with translation.override(document.language):
        return render_to_string(
            "reports/print/document.html",
            {
                "doc": document,
                "blocks": [dataclasses.asdict(b) for b in document.blocks],
                "footer_css": css_string(document.footer_label),
                "stamp_css": css_string(document.footer_line(made or timezone.localdate())),
            },
        )


def css_string(text: str) -> str:
    """`text` as a CSS string literal that is safe inside a <style> element: every character but letters, digits
    and spaces is written as a CSS escape, so no quote, backslash, line break (a carriage return or form feed ends
    a CSS string as well as a newline), `<` or `url(` in a city name or title can end the string or the element."""
    escaped = "".join(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):x} " for ch in text)
    return f'"{escaped}"'


def allowed_file_roots() -> list[Path]:
    """Where a document may load files from: the portal's own static files, nothing else."""
    roots = [Path(path) for path in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    return [root.resolve() for root in roots]


def portal_url_fetcher():
    """WeasyPrint's fetcher for our documents: `data:` URLs and files under `allowed_file_roots()` only. A
    document's HTML holds words people typed (titles, city names, testimony); whatever they make look like a
    link, a stylesheet or an image, the worker never opens a network address or any other file."""
    from weasyprint.urls import URLFetcher

    class PortalURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(request.url2pathname(url.split("?", 1)[0].removeprefix("file:"))).resolve()
                if any(path.is_relative_to(root) for root in allowed_file_roots()) and path.is_file():
                    return super().fetch(path.as_uri(), headers)
            logger.warning("render refused to fetch %.200s", url)
            raise ValueError("documents load only the portal's own static files")

    return PortalURLFetcher(allowed_protocols={"file", "data"}, allow_redirects=False, timeout=5)


def render_pdf(document: Document, *, made: dt.date | None = None) -> tuple[bytes, int]:
    from weasyprint import CSS, HTML

    html = render_html(document, made=made)
    fetcher = portal_url_fetcher()
    laid_out = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher).render(
        stylesheets=[CSS(filename=print_stylesheet(), url_fetcher=fetcher)], pdf_variant="pdf/ua-1"
    )
    return laid_out.write_pdf(pdf_variant="pdf/ua-1"), len(laid_out.pages)


def slug_filename(*parts: str) -> str:
    return slugify("-".join(p for p in parts if p))[:120] or "report"
