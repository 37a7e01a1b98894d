"""Background work of the applications app (run by ``gongkai worker``)."""

from __future__ import annotations

from django_tasks import task

from gongkai.core import priorities

from . import letters, notify


@task(priority=priorities.DOCUMENT)
def render_letter(letter_id: int, unit_id: int | None = None) -> str:
    """DOCX and PDF of a numbered letter; idempotent (``letters.render``). ``unit_id`` is not used here: it
    tells the queue panel (``worker.taskinfo``) whose administrator may see and retry the task."""
    return letters.render(letter_id)


@task(priority=priorities.INTERACTIVE)
def send_applicant_mail(mail_id: int, unit_id: int | None = None) -> str:
    """One progress mail to an applicant (``notify.send``: a failure is kept on the row, never raised)."""
    return notify.send(mail_id)
