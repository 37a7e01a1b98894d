"""Background work of the catalog: retraining a unit's drafting suggestions after a publication."""

from __future__ import annotations

from django_tasks import task

from gongkai.core import priorities
from gongkai.orgs.models import Org

from . import suggest
from .models import SuggestionModel


@task(priority=priorities.BULK)
def train_suggestions(unit_id: int) -> int:
    """Retrain the unit's suggestion model; returns the number of entries it learned from (-1: no unit).

    Clears the unit's ``pending`` mark first, so an entry published while this runs queues the next
    training: a burst of publications costs one training or two, never one each. Idempotent.
    """
    unit = Org.objects.filter(pk=unit_id).first()
    if unit is None:
        return -1
    SuggestionModel.objects.filter(unit=unit).update(pending=False)
    return suggest.retrain(unit=unit).entries
