"""Queue the documents app's background work (``tasks.py``) when ``signals.py`` says so."""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver

from gongkai.core.signals import worker_starting

from .signals import fonts_missing, job_created
from .tasks import build_fonts, run_job

log = logging.getLogger(__name__)


@receiver(fonts_missing, dispatch_uid="documents.queue_font_build")
def queue_font_build(sender: Any, **kwargs: Any) -> None:
    try:
        build_fonts.enqueue()
    except Exception:
        # Documents keep using the system font; `gongkai fonts` builds the subsets by hand.
        log.exception("could not queue the CJK font subset build; run `gongkai fonts`")


@receiver(job_created, dispatch_uid="documents.queue_job")
def queue_job(sender: Any, job_id: str, unit_id: int | None = None, **kwargs: Any) -> None:
    try:
        run_job.enqueue(job_id, unit_id=unit_id)
    except Exception:
        # The job page offers 重新排队 for a job that stays queued; the request that started it must not fail.
        log.exception("could not queue document job %s", job_id)


@receiver(worker_starting, dispatch_uid="documents.warm_up")
def warm_up_pdf(sender: Any, **kwargs: Any) -> str:
    """The worker renders PDFs: pay WeasyPrint's first-render cost before the first task (``pdf.warm_up``).
    An error (no CJK font at all) is logged by the worker, which starts regardless; the first real document
    then says what is wrong in its job."""
    from . import pdf

    return f"PDF 预热完成，用时 {pdf.warm_up():.2f} 秒"
