"""Background work of the catalog: retraining a unit's drafting suggestions after a publication."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from gongkai.core import priorities
from gongkai.orgs.models import Org

from . import suggest
from .models import SuggestionModel


@task(priority=priorities.BULK)
def train_suggestions(unit_id: int, requested_at: str = "") -> int:
    """Retrain the unit's suggestion model; returns the number of entries it learned from (-1: skipped).

    ``requested_at`` is when the publication asked for it (ISO 8601): a model trained since already knows
    that entry, so a burst of publications costs one training, not one each. Idempotent.
    """
    unit = Org.objects.filter(pk=unit_id).first()
    if unit is None:
        return -1
    if requested_at:
        asked = datetime.fromisoformat(requested_at)
        trained = SuggestionModel.objects.filter(unit=unit).values_list("trained_at", flat=True).first()
        if trained is not None and trained >= asked:
            return -1
    return suggest.retrain(unit=unit).entries
