"""Background work of the documents app (run by ``gongkai worker``)."""

from __future__ import annotations

import logging

from django_tasks import task

from gongkai.core import priorities

from . import fonts, jobs

log = logging.getLogger(__name__)


@task(priority=priorities.BULK)
def build_fonts() -> list[str]:
    """Build the CJK subsets a render found missing (about a minute per face). Queued by the render that
    fell back to the system font; ``gongkai fonts`` does the same from the command line."""
    made = []
    for face in fonts.missing_faces():
        try:
            made.append(str(fonts.build_face(face)))
        except OSError:
            # A read-only installation: documents keep using the system font until someone who may
            # write there runs `gongkai fonts` (or GONGKAI_FONT_DIR points to a writable folder).
            log.exception("cannot build the font subset %s in %s; run `gongkai fonts`", face.key, fonts.font_dir())
            raise
    return made


@task(priority=priorities.DOCUMENT)
def run_job(job_id: str, unit_id: int | None = None) -> str:
    """Render a ``DocumentJob``. ``unit_id`` is not used here: it tells the queue panel (``worker.taskinfo``)
    whose administrator may see and retry the task."""
    return jobs.run(job_id)
