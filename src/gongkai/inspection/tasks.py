"""Background self-inspection (the staff page's 重新检查 button; run by ``gongkai worker``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django_tasks import task

from gongkai.core import priorities
from gongkai.orgs.models import Org
from gongkai.portal.writer import is_built

from . import services


@task(priority=priorities.DOCUMENT)  # a person waits on the page, but it reads the whole site folder
def run_inspection_task(unit_id: int, user_id: int | None = None) -> int:
    """Inspect the unit against the live site folder (when built) and ``GONGKAI_INSPECTION_URL`` (when set);
    returns the score."""
    unit = Org.objects.get(pk=unit_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    site = settings.SITE_DIR if is_built(settings.SITE_DIR) else None
    url = getattr(settings, "GONGKAI_INSPECTION_URL", "") or None
    return services.run_inspection(actor=user, unit=unit, site=site, url=url).score
