"""Background work of the applications app (run by ``gongkai worker``)."""

from __future__ import annotations

from django_tasks import task

from . import letters


@task()
def render_letter(letter_id: int) -> str:
    """DOCX and PDF of a numbered letter; idempotent (``letters.render``)."""
    return letters.render(letter_id)
