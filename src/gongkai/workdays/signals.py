from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .calendar import calendar
from .models import CalendarOverride, CalendarYear


@receiver([post_save, post_delete], sender=CalendarOverride)
@receiver([post_save, post_delete], sender=CalendarYear)
def _calendar_changed(**kwargs: Any) -> None:
    calendar.invalidate()
