"""When the working-day calendar changes, every unanswered message's due date is recomputed from its ledger."""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver

from gongkai.workdays.calendar import calendar
from gongkai.workdays.services import calendar_changed

from .clock import recompute_open

log = logging.getLogger(__name__)


@receiver(calendar_changed, dispatch_uid="interaction.recompute_open_messages")
def recompute_on_calendar_change(sender: Any, **kwargs: Any) -> None:
    calendar.invalidate()
    log.info("calendar changed: %d open messages got a new due date", recompute_open())
