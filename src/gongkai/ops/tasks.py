"""The staff page's way to an archive package: ``start_export`` records an ``ArchiveExport`` and, after commit,
queues ``run_export_task``; the worker writes the ZIP (``archive.write_package`` into a temporary file, then
into storage in chunks) and marks the export done with its audit event in one short transaction. A double
click joins the export of the same unit and year already queued or running (a partial unique constraint)."""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from gongkai.core import priorities
from gongkai.core.errors import DomainError
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org

from . import archive
from .models import ACTIVE, ArchiveExport, ExportStatus


def start_export(*, actor: Any, unit: Org, year: int) -> ArchiveExport:
    """开始归档 on the staff page: the export of this unit and year already queued or running, or a new one
    queued for the worker (``tasks.run_export``) once the transaction commits."""
    perms.require(unit.is_unit and perms.can_manage_unit(actor, unit), "只有本单位公开办管理员可以归档移交")
    archive.check_year(year)
    active = ArchiveExport.objects.filter(unit=unit, year=year, status__in=ACTIVE)
    existing = active.first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            export = ArchiveExport.objects.create(unit=unit, year=year, created_by=actor)
            export_id = export.pk
            transaction.on_commit(lambda: run_export_task.enqueue(export_id))
    except IntegrityError:
        return active.get()  # the other click of a double click committed first
    return export


def run_export(export_id: int) -> str:
    """The task body: write the ZIP to a temporary file, store it, then mark the export done (and audit it)
    in one short transaction. A finished export is left alone."""
    with transaction.atomic():
        export = (
            ArchiveExport.objects.select_for_update(of=("self",))
            .select_related("unit", "created_by")
            .filter(pk=export_id)
            .first()
        )
        if export is None or export.status not in ACTIVE:
            return "skipped"
        export.status = ExportStatus.RUNNING
        export.save(update_fields=["status"])
    fd, tmp = tempfile.mkstemp(suffix=".zip", prefix="gongkai-archive-")
    os.close(fd)
    try:
        try:
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
                summary = archive.write_package(export.unit, export.year, archive.ZipSink(zf), actor=export.created_by)
            with open(tmp, "rb") as fh:
                name = f"{export.unit.code}-{export.year}-archive-{timezone.now():%Y%m%d%H%M%S}.zip"
                export.file.save(name, File(fh), save=False)  # copied in chunks
        except Exception as exc:
            message = exc.message if isinstance(exc, DomainError) else f"生成时出错（{type(exc).__name__}），请重新归档"
            ArchiveExport.objects.filter(pk=export.pk).update(
                status=ExportStatus.FAILED, error=message[:500], finished_at=timezone.now()
            )
            return "failed"
    finally:
        Path(tmp).unlink(missing_ok=True)
    with transaction.atomic():
        export.status = ExportStatus.DONE
        export.finished_at = timezone.now()
        export.entries, export.cases, export.files = summary.entries, summary.cases, summary.files
        export.manifest_sha256 = summary.manifest_sha256
        export.out_path = export.file.name or ""
        export.save()
        archive._record(export, summary, export.created_by)
    return "done"


@task(priority=priorities.DOCUMENT)
def run_export_task(export_id: int) -> str:
    """Write the archive package of an ``ArchiveExport`` as a ZIP (Art. 45 归档, staff page)."""
    return run_export(export_id)
