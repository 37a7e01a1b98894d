"""Writing and verifying the audit chain.

Each event carries a digest over its content and the previous event's digest. Two digest versions exist;
a row's ``digest_version`` says which, and a row is always verified the way it was written:

- **1** (rows written before issue 17): plain SHA-256 of the canonical JSON. Anyone with write access to
  the database can recompute these, so they prove order, not origin.
- **2** (every new row): HMAC-SHA256 with the audit key (``GONGKAI_AUDIT_KEY``, kept outside the database
  and distinct from ``SECRET_KEY``) over the same JSON plus the version and the key's id. ``key_id`` names the
  key (a short hash of it, never the key), so keys can rotate: old keys stay listed in
  ``GONGKAI_AUDIT_OLD_KEYS`` for verification only.

GB/T 22239-2019（等保 2.0）8.1.4.3 安全审计 c): audit records are protected against unauthorised deletion,
change or overwriting — including by someone who can write to the database but does not hold the key. A
rewrite of the whole log with valid digests (a rollback to an earlier backup, or a chain recomputed by the
key holder) is caught by the anchors written outside the database (``core.anchors``).
"""

from __future__ import annotations

import contextvars
import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, Protocol

from django.conf import settings
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


#: The digest version new rows are written with.
KEYED = 2


def key_id(key: str) -> str:
    """The short public name of an audit key, stored with each row (never the key itself)."""
    return hashlib.sha256(b"gongkai-audit-key-id\0" + key.encode("utf-8")).hexdigest()[:12]


def current_key() -> tuple[str, str]:
    """``(key_id, key)`` for new rows."""
    key = settings.GONGKAI_AUDIT_KEY
    return key_id(key), key


def known_keys() -> dict[str, str]:
    """Every key a row may have been written with: the current one and the retired ones."""
    keys = [settings.GONGKAI_AUDIT_KEY, *getattr(settings, "GONGKAI_AUDIT_OLD_KEYS", [])]
    return {key_id(k): k for k in keys if k}


def _payload(event: AuditEvent) -> dict[str, Any]:
    return {
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


def _blob(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _digest(event: AuditEvent, keys: Mapping[str, str] | None = None) -> str | None:
    """The digest ``event`` should carry, by its own ``digest_version`` (and ``key_id``); None when it
    cannot be computed here (a key that is not configured, a version this code does not know)."""
    version = getattr(event, "digest_version", 1)
    if version == 1:
        return hashlib.sha256(_blob(_payload(event))).hexdigest()
    if version == KEYED:
        key = (keys if keys is not None else known_keys()).get(event.key_id)
        if key is None:
            return None
        payload = {**_payload(event), "v": KEYED, "key_id": event.key_id}
        return hmac.new(key.encode("utf-8"), _blob(payload), hashlib.sha256).hexdigest()
    return None


def _sign(event: AuditEvent, keys: Mapping[str, str]) -> str:
    """The digest of a row being written (always with the current key)."""
    digest = _digest(event, keys)
    if digest is None:  # pragma: no cover - the current key is always among the known ones
        raise RuntimeError("audit key missing")
    return digest


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
            digest_version=KEYED,
            key_id=current_key()[0],
        )
        event.hash = _sign(event, known_keys())
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
        "digest_version": KEYED,
        "key_id": current_key()[0],
    }
    keys = known_keys()
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
            event.hash = prev = _sign(event, keys)  # type: ignore[arg-type]
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


class Checkpoints(Protocol):
    """What ``verify`` compares the rows with besides their own digests (``core.anchors``)."""

    def see(self, seq: int, event: AuditEvent, problems: list[ChainProblem]) -> None: ...

    def finish(self, seen: int, problems: list[ChainProblem]) -> None: ...


def verify(events: Iterable[AuditEvent] | None = None, *, checkpoints: Checkpoints | None = None) -> list[ChainProblem]:
    """Walk the chain in id order; report every row whose digest or link does not hold, a keyed chain that
    turns unkeyed (a forger without the key writing version-1 rows) and, for the whole log, a head that does
    not match. ``checkpoints`` (the anchors, see ``anchors.verify``) sees every row by its position."""
    problems: list[ChainProblem] = []
    prev = GENESIS
    seen = 0
    keys = known_keys()
    keyed_since: int | None = None
    whole = events is None
    rows = events if events is not None else AuditEvent.objects.order_by("id").iterator(chunk_size=2000)
    for event in rows:
        seen += 1
        version = getattr(event, "digest_version", 1)
        if event.prev_hash != prev:
            problems.append(ChainProblem(event.id, "链接断裂：前一条记录被删除、插入或修改"))
        expected = _digest(event, keys)
        if expected is None:
            if version == KEYED:
                problems.append(
                    ChainProblem(
                        event.id,
                        f"无法校验：记录使用的审计密钥（编号 {event.key_id}）未配置；"
                        "轮换后的旧密钥应列在 GONGKAI_AUDIT_OLD_KEYS 中",
                    )
                )
            else:
                problems.append(ChainProblem(event.id, f"未知的摘要版本 {version}：记录被修改"))
        elif not hmac.compare_digest(expected, event.hash):
            problems.append(ChainProblem(event.id, "内容与哈希不符：记录被修改，或链被不持有密钥的人重新计算"))
        if version == KEYED and keyed_since is None:
            keyed_since = event.id
        elif version != KEYED and keyed_since is not None:
            problems.append(
                ChainProblem(event.id, f"带密钥的记录（自记录 {keyed_since} 起）之后出现无密钥记录：记录被伪造")
            )
        if checkpoints is not None:
            checkpoints.see(seen, event, problems)
        prev = event.hash
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and whole:
        if head.count != seen:
            problems.append(ChainProblem(None, f"记录条数为 {seen}，链头记载 {head.count}：有记录被删除或插入"))
        if head.last_hash != prev:
            problems.append(ChainProblem(None, "最后一条记录与链头不符：末尾记录被删除或修改"))
    if checkpoints is not None:
        checkpoints.finish(seen, problems)
    return problems
