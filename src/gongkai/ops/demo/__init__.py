"""``gongkai demo``: a county with two townships and a street office, two years of history, every queue.

Everything is written through the services staff use (orgs, accounts, catalog, applications), one service
call at a time, with the demo accounts of the right roles as actors, so the demo has the audit trail, index
numbers, versions, screening results and case ledgers real work leaves. While it runs, no background task is
queued: page refreshes are paused (``make run`` builds the whole site next), screening scans and search
indexing run in this process at the end. The search index is complete and the task queue empty when it
returns.
"""

from __future__ import annotations

import random
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from tqdm import tqdm

from gongkai.applications.notify import mail_paused
from gongkai.catalog.models import Entry, EntryStatus
from gongkai.catalog.receivers import training_deferred
from gongkai.orgs.models import Org
from gongkai.portal.receivers import refresh_paused
from gongkai.screening.receivers import scans_deferred
from gongkai.search.models import SearchDocument
from gongkai.search.receivers import indexing_deferred

from . import cases, entries, world
from .data import COUNTY_CODE, DEMO_PASSWORD, UNITS

__all__ = ["DEMO_PASSWORD", "Loaded", "load", "state"]

DEFAULT_ENTRIES = 300


@dataclass
class Loaded:
    accounts: list[tuple[str, str]]
    entries: Counter[str] = field(default_factory=Counter)  # by status label
    indexed: int = 0
    cases: dict[str, Counter[str]] = field(default_factory=dict)
    letters: int = 0
    tracked: tuple[str, str] | None = None
    queued_tasks: int = 0


def state() -> str:
    """ "absent", "complete" or "partial". Entries are written last and each unit's work in progress last of
    all, so a run that stopped half way has the county but not the last unit's entries waiting for sign-off."""
    if not Org.objects.filter(code=COUNTY_CODE).exists():
        return "absent"
    last_unit = UNITS[-1][0]
    done = Entry.objects.filter(unit__code=last_unit, status=EntryStatus.SIGNOFF).exists()
    return "complete" if done else "partial"


def load(
    *,
    entries_total: int = DEFAULT_ENTRIES,
    seed: int = 2025,
    with_letters: bool = False,
    progress: bool | None = None,
) -> Loaded:
    """Create the demo. ``entries_total`` published entries are spread over the units (each also gets its
    quarterly 低保 lists and the policy pair); ``with_letters`` also issues the letters the cases name (their
    DOCX and PDF are rendered by the worker, so these tasks are left queued); ``progress`` None shows bars only
    on a terminal.

    Each service call is its own short transaction, as when staff do the work (attachments are extracted and
    scanned outside any transaction); only the org tree, accounts and catalogs are written in one.
    """
    rnd = random.Random(seed)
    today = timezone.localdate()
    start = date(today.year - 1, 1, 1)
    with ExitStack() as stack:
        stack.enter_context(refresh_paused())
        indexed = stack.enter_context(indexing_deferred())
        stack.enter_context(scans_deferred())
        stack.enter_context(training_deferred())
        stack.enter_context(mail_paused())
        with transaction.atomic():
            w = world.build()
        plan = cases.plan(today.year - 1, today)
        bar = tqdm(total=len(plan), desc="依申请公开", unit="件", disable=_quiet(progress))
        outcome = cases.load(w, plan, today, with_letters=with_letters, tick=lambda: bar.update(1))
        bar.close()
        per_unit = max(entries_total // len(w.units), 1)
        plans = {slug: entries.plan_unit(u, rnd, per_unit, start, today) for slug, u in w.units.items()}
        bar = tqdm(total=sum(len(p) for p in plans.values()), desc="演示信息", unit="条", disable=_quiet(progress))
        for slug, unit in w.units.items():
            entries.publish_history(unit, plans[slug], today, lambda: bar.update(1))
            entries.work_in_progress(unit, rnd, today, journey_one=slug == "dongshan")
        bar.close()
    loaded = Loaded(accounts=w.accounts)
    unit_ids = [u.org.pk for u in w.units.values()]
    for status in Entry.objects.filter(unit__in=unit_ids).values_list("status", flat=True):
        loaded.entries[EntryStatus(status).label] += 1
    loaded.indexed = SearchDocument.objects.filter(entry__in=indexed, part=0).count()
    loaded.cases = cases.summary(outcome.cases)
    loaded.letters, loaded.tracked = outcome.letters, outcome.tracked
    loaded.queued_tasks = DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()
    return loaded


def _quiet(progress: bool | None) -> bool | None:
    return None if progress is None else not progress
