"""Daily reminders to the officer handling each case and the office heads: in-app notices and one e-mail
digest per person. Run by ``gongkai remind`` (cron, once a working day)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai import rules
from gongkai.orgs.models import Membership, Role

from . import clock, notify
from .access import APPROVER_ROLES
from .choices import OPEN_STATUSES, Status
from .models import Application, Notice


@dataclass
class Reminder:
    application: Application
    kind: str
    message: str


def due_reminders(today: date) -> list[Reminder]:
    out: list[Reminder] = []
    for app in Application.objects.filter(status__in=OPEN_STATUSES).select_related("unit").iterator(chunk_size=500):
        state = clock.refresh(app, today)
        num = app.tracking_number
        if app.status == Status.PENDING and app.submitted_on < today:
            out.append(Reminder(app, "confirm", f"{num} 已于 {app.submitted_on:%Y-%m-%d} 提交，尚未确认收到"))
        if state.warning:
            out.append(Reminder(app, "calendar", f"{num}：{state.warning}"))
        remaining = state.remaining_days(today)
        if remaining is not None and remaining < 0:
            out.append(
                Reminder(app, "overdue", f"{num} 已超过答复期限（{app.due_date:%Y-%m-%d}）{-remaining} 个工作日")
            )
        elif remaining is not None and remaining <= rules.get("due_soon").workdays:
            out.append(
                Reminder(app, "due_soon", f"{num} 距答复期限（{app.due_date:%Y-%m-%d}）还有 {remaining} 个工作日")
            )
        if app.status == Status.IN_CONSULTATION and state.consultation_due and state.consultation_due <= today:
            out.append(
                Reminder(
                    app,
                    "consultation",
                    f"{num} 征求意见期限（{state.consultation_due:%Y-%m-%d}）已到，"
                    "对方逾期未提出意见的由本机关依法决定",
                )
            )
        if app.status == Status.AWAITING_CORRECTION and state.correction_due and state.correction_due < today:
            out.append(
                Reminder(
                    app, "correction", f"{num} 补正期限（{state.correction_due:%Y-%m-%d}）已过，可按逾期不补正办结"
                )
            )
        if app.status == Status.AWAITING_FEE and state.fee_payment_due and state.fee_payment_due < today:
            out.append(
                Reminder(app, "fee", f"{num} 缴费期限（{state.fee_payment_due:%Y-%m-%d}）已过，可按逾期未缴费办结")
            )
        if (
            app.status == Status.IN_PROGRESS
            and not state.correction_requested
            and state.correction_request_by
            and state.received_on == state.base_on
            and today <= state.correction_request_by
            and clock._safe(state, partial(clock.count_workdays, today, state.correction_request_by)) == 1
        ):
            out.append(
                Reminder(
                    app,
                    "correction_window",
                    f"{num} 如需补正，最迟应于 {state.correction_request_by:%Y-%m-%d} 发出补正通知",
                )
            )
    return out


def recipients(app: Application) -> list[Any]:
    """The handling officer (or, if none, the unit's 公开办) and the office heads of the unit."""
    user_model = get_user_model()
    heads = set(
        Membership.objects.filter(org__in=app.unit.subtree(), role__in=APPROVER_ROLES).values_list("user_id", flat=True)
    )
    ids = set(heads)
    if app.handler_id:
        ids.add(app.handler_id)
    else:
        ids |= set(Membership.objects.filter(org=app.unit, role=Role.UNIT_ADMIN).values_list("user_id", flat=True))
    return list(user_model.objects.filter(pk__in=ids, is_active=True))


def send_reminders(today: date | None = None, *, dry_run: bool = False) -> tuple[int, int]:
    """Create today's notices and e-mail each person a digest. Returns (notices, e-mails)."""
    today = today or timezone.localdate()
    digests: dict[Any, list[str]] = defaultdict(list)
    created = 0
    for item in due_reminders(today):
        for user in recipients(item.application):
            if dry_run:
                digests[user].append(item.message)
                continue
            try:
                with transaction.atomic():
                    Notice.objects.create(
                        user=user, application=item.application, kind=item.kind, message=item.message[:300], day=today
                    )
            except IntegrityError:
                continue  # already reminded today: the command may run twice
            created += 1
            digests[user].append(item.message)
    mails = 0
    for user, lines in digests.items():
        if not user.email or dry_run:
            continue
        body = "以下依申请公开事项需要办理：\n\n" + "\n".join(f"· {line}" for line in lines)
        body += f"\n\n请登录政务公开工作平台查看：{settings.GONGKAI_PUBLIC_URL}/staff/applications/"
        send_mail(f"【依申请公开提醒】{today:%Y-%m-%d} 共 {len(lines)} 项", body, None, [user.email])
        mails += 1
    if not dry_run:
        mails += notify.resend_due()  # applicants' progress mails that failed or lost their task
    return created, mails
