"""Writing and verifying the audit chain."""

from __future__ import annotations

import contextvars
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .audit_actions import Action
from .models import AuditChainHead, AuditEvent

GENESIS = "0" * 64
_request_address: contextvars.ContextVar[str | None] = contextvars.ContextVar("gongkai_address", default=None)


@contextmanager
def request_address(address: str | None) -> Iterator[None]:
    """Attach the client address to every audit event written inside the block."""
    token = _request_address.set(address)
    try:
        yield
    finally:
        _request_address.reset(token)


def _jsonable(value: Any) -> Any:
    if value is None or type(value) in (str, int, bool, float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return value


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for each field whose value changed."""
    out: dict[str, list[Any]] = {}
    for key in sorted(set(before) | set(after)):
        old, new = _jsonable(before.get(key)), _jsonable(after.get(key))
        if old != new:
            out[key] = [old, new]
    return out


def _digest(event: AuditEvent) -> str:
    payload = {
        "created_at": event.created_at.isoformat(),
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "address": event.address,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "org_code": event.org_code,
        "outcome": event.outcome,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "comment": event.comment,
        "changes": event.changes,
        "prev_hash": event.prev_hash,
    }
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _checked(action: Action) -> Action:
    """The member for ``action``. A stray string (a typo, an action nobody listed) fails loudly here,
    before it becomes a hashed row that can never be corrected."""
    if isinstance(action, Action):
        return action
    try:
        return Action(action)
    except ValueError:
        raise ValueError(
            f"未登记的审计动作 {action!r}：请在 gongkai.core.audit_actions.Action 中增加，并传入 Action 成员"
        ) from None


def record(
    action: Action,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    org_code: str = "",
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    changes: Mapping[str, Any] | None = None,
    success: bool = True,
    address: str | None = None,
) -> AuditEvent:
    """Append one event to the chain. Joins the caller's transaction, so a rolled-back action leaves no row.

    ``action`` is an ``Action`` member; its value (the same string as before the enum) is what is stored
    and hashed.
    """
    action = _checked(action)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        event = AuditEvent(
            created_at=timezone.now(),
            actor=user,
            actor_name=getattr(user, "username", "") or ("system" if actor is None else "anonymous"),
            address=address or _request_address.get(),
            action=action.value,
            object_type=object_type,
            object_id=str(object_id),
            org_code=org_code,
            outcome=AuditEvent.Outcome.SUCCESS if success else AuditEvent.Outcome.FAILURE,
            from_state=from_state,
            to_state=to_state,
            comment=comment,
            changes=_jsonable(dict(changes or {})),
            prev_hash=head.last_hash,
        )
        event.hash = _digest(event)
        event.save(force_insert=True)
        head.last_hash = event.hash
        head.count += 1
        head.save(update_fields=["last_hash", "count"])
    return event


@dataclass(frozen=True)
class Pending:
    """One event of a batch written by ``record_many``: the object and what happened to it."""

    obj: models.Model
    from_state: str = ""
    to_state: str = ""
    comment: str = ""
    changes: Mapping[str, Any] | None = None


def record_many(
    action: Action,
    items: Iterable[Pending],
    *,
    actor: Any = None,
    org_code: str = "",
    address: str | None = None,
    batch_size: int = 1000,
) -> int:
    """Append one event per item, in order: the same rows and the same chain as one ``record`` call per
    item, but the head is locked and saved once and the rows go in with ``executemany`` (bulk services write
    one event per object they create; nothing refers to an event's id, so none is read back). Joins the
    caller's transaction. Returns the number of events."""
    action = _checked(action)
    user = actor if getattr(actor, "is_authenticated", False) else None
    common = {
        "actor": user,
        "actor_id": getattr(user, "pk", None),
        "actor_name": getattr(user, "username", "") or ("system" if actor is None else "anonymous"),
        "address": address or _request_address.get(),
        "action": action,
        "org_code": org_code,
        "outcome": AuditEvent.Outcome.SUCCESS.value,
    }
    connection = transaction.get_connection()
    fields = [f for f in AuditEvent._meta.local_concrete_fields if not f.primary_key]
    # Text columns go in as they are; the others (time, JSON, address, actor) through their field's adapter.
    adapt = [(i, f) for i, f in enumerate(fields) if not isinstance(f, models.CharField | models.TextField)]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        connection.ops.quote_name(AuditEvent._meta.db_table),
        ", ".join(connection.ops.quote_name(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        prev = head.last_hash
        batch: list[list[Any]] = []
        for item in items:
            # What _digest reads, as an AuditEvent would carry it (building model instances costs more).
            event = SimpleNamespace(
                **common,
                created_at=timezone.now(),
                object_type=item.obj._meta.label_lower,
                object_id=str(item.obj.pk),
                from_state=item.from_state,
                to_state=item.to_state,
                comment=item.comment,
                changes=_jsonable(dict(item.changes or {})),
                prev_hash=prev,
            )
            event.hash = prev = _digest(event)  # type: ignore[arg-type]
            row = [getattr(event, f.attname) for f in fields]
            for i, f in adapt:
                row[i] = f.get_db_prep_save(row[i], connection)
            batch.append(row)
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                count, batch = count + len(batch), []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
        if count:
            head.last_hash = prev
            head.count += count
            head.save(update_fields=["last_hash", "count"])
    return count


@dataclass
class ChainProblem:
    event_id: int | None
    problem: str


def verify(events: Iterable[AuditEvent] | None = None) -> list[ChainProblem]:
    """Walk the chain in id order; report every row whose hash or link does not hold."""
    problems: list[ChainProblem] = []
    prev = GENESIS
    seen = 0
    rows = events if events is not None else AuditEvent.objects.order_by("id").iterator(chunk_size=2000)
    for event in rows:
        seen += 1
        if event.prev_hash != prev:
            problems.append(ChainProblem(event.id, "链接断裂：前一条记录被删除、插入或修改"))
        if _digest(event) != event.hash:
            problems.append(ChainProblem(event.id, "内容与哈希不符：记录被修改"))
        prev = event.hash
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and events is None:
        if head.count != seen:
            problems.append(ChainProblem(None, f"记录条数为 {seen}，链头记载 {head.count}：有记录被删除或插入"))
        if head.last_hash != prev:
            problems.append(ChainProblem(None, "最后一条记录与链头不符：末尾记录被删除或修改"))
    return problems
