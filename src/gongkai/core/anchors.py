"""Anchors: the audit chain's head written outside the database, so a rewrite of the log can be seen.

Issue 17 item 1; GB/T 22239-2019（等保 2.0）8.1.4.3 c) 应对审计记录进行保护. A keyed digest (``core.audit``)
stops someone without the key from forging rows; it cannot stop the whole table being put back to an earlier
state (a restored old backup, rows deleted from the end together with the head) or a chain recomputed by
someone who holds the key. An anchor is the head — position, event id, digest, time — written to an
append-only file (``GONGKAI_AUDIT_ANCHOR_FILE``, one JSON line each, with an HMAC under the audit key so
a line cannot be made up) and into every backup's manifest. ``gongkai audit anchor`` writes one (and prints
it, for the operator to publish or send elsewhere); the worker writes one when the last is older than
``GONGKAI_AUDIT_ANCHOR_HOURS`` (24); ``gongkai audit verify`` checks the chain against every anchor it has.

The file is only ever appended to. Against a person who can also change that file, the operator keeps a
second copy elsewhere: the printed lines, the backup manifests, or the file made append-only
(``chattr +a``) — ``verify --anchors`` reads such copies.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import audit
from .models import AuditChainHead, AuditEvent

FIELDS = ("seq", "event_id", "digest", "at", "key_id")


@dataclass(frozen=True)
class Anchor:
    """The head at one moment: ``seq`` events, the last with id ``event_id`` and digest ``digest``."""

    seq: int
    event_id: int | None
    digest: str
    at: str
    key_id: str
    mac: str
    source: str = ""

    def body(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k in FIELDS}

    def line(self) -> str:
        return json.dumps({**self.body(), "mac": self.mac}, ensure_ascii=False, sort_keys=True)

    def describe(self) -> str:
        return f"{self.at} 的锚点（第 {self.seq} 条，摘要 {self.digest[:16]}…）"


def _mac(body: dict[str, Any], key: str) -> str:
    blob = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hmac.new(key.encode("utf-8"), b"gongkai-audit-anchor\0" + blob, hashlib.sha256).hexdigest()


def current() -> Anchor:
    """The head now, signed with the current key (nothing is written)."""
    with transaction.atomic():
        head = AuditChainHead.objects.filter(id=1).first()
        count, digest = (head.count, head.last_hash) if head else (0, audit.GENESIS)
        last = AuditEvent.objects.filter(hash=digest).values_list("id", flat=True).first()
    kid, key = audit.current_key()
    made = Anchor(
        seq=count,
        event_id=last,
        digest=digest,
        at=timezone.localtime().isoformat(timespec="seconds"),
        key_id=kid,
        mac="",
    )
    return replace(made, mac=_mac(made.body(), key))


def anchor_file() -> Path:
    return Path(settings.GONGKAI_AUDIT_ANCHOR_FILE)


def write(path: Path | None = None) -> Anchor:
    """Append the current head to the anchor file (created if missing) and return it."""
    made = current()
    target = path or anchor_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    # One write of one line with O_APPEND: concurrent writers (worker, backup, command) never interleave.
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, (made.line() + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return made


def _parse(obj: Any, source: str) -> Anchor | str:
    keys = audit.known_keys()
    try:
        anchor = Anchor(
            seq=int(obj["seq"]),
            event_id=None if obj["event_id"] is None else int(obj["event_id"]),
            digest=str(obj["digest"]),
            at=str(obj["at"]),
            key_id=str(obj["key_id"]),
            mac=str(obj["mac"]),
            source=source,
        )
    except (KeyError, TypeError, ValueError):
        return f"{source}：锚点格式不正确，无法读取"
    key = keys.get(anchor.key_id)
    if key is None:
        return f"{source}：锚点使用的审计密钥（编号 {anchor.key_id}）未配置，无法确认锚点真实"
    if not hmac.compare_digest(_mac(anchor.body(), key), anchor.mac):
        return f"{source}：锚点的校验码不符，锚点被修改或伪造"
    return anchor


def load(path: Path | None = None) -> list[Anchor | str]:
    """The anchors in an anchor file, or in a backup's ``manifest.json``; a string for each line that is not
    a genuine anchor (what is wrong with it, in Chinese). A missing file has none."""
    target = path or anchor_file()
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [] if path is None else [f"锚点文件 {target} 不存在"]
    except (OSError, UnicodeDecodeError):
        return [f"锚点文件 {target} 无法读取"]
    stripped = text.lstrip()
    if stripped.startswith("{") and "\n{" not in stripped.rstrip():
        try:
            whole = json.loads(stripped)
        except json.JSONDecodeError:
            whole = None
        if isinstance(whole, dict) and "files" in whole:  # a backup manifest
            found = whole.get("audit_anchor")
            return [_parse(found, f"{target.name}（备份清单）")] if found else []
    out: list[Anchor | str] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            out.append(f"{target.name} 第 {number} 行：锚点格式不正确，无法读取")
            continue
        out.append(_parse(obj, f"{target.name} 第 {number} 行"))
    return out


class Checkpoints:
    """Compares the rows with the anchors as ``audit.verify`` walks them (``audit.Checkpoints``)."""

    def __init__(self, items: Iterable[Anchor | str]) -> None:
        self.defects: list[str] = []
        self.anchors: list[Anchor] = []
        for item in items:
            (self.defects if isinstance(item, str) else self.anchors).append(item)  # type: ignore[arg-type]
        self.by_seq: dict[int, list[Anchor]] = defaultdict(list)
        for a in self.anchors:
            self.by_seq[a.seq].append(a)

    def see(self, seq: int, event: AuditEvent, problems: list[audit.ChainProblem]) -> None:
        for a in self.by_seq.get(seq, ()):
            if a.digest != event.hash or (a.event_id is not None and a.event_id != event.id):
                problems.append(
                    audit.ChainProblem(
                        event.id,
                        f"与{a.describe()}不符（现为 {event.hash[:16]}…）：此前的记录被修改、删除或整条链被重新计算",
                    )
                )

    def finish(self, seen: int, problems: list[audit.ChainProblem]) -> None:
        problems.extend(audit.ChainProblem(None, d) for d in self.defects)
        beyond = [a for a in self.anchors if a.seq > seen]
        if beyond:
            latest = max(beyond, key=lambda a: a.seq)
            problems.append(
                audit.ChainProblem(None, f"日志被回滚：{latest.describe()}已有 {latest.seq} 条记录，现在只有 {seen} 条")
            )
        ordered = sorted(self.anchors, key=lambda a: (a.at, a.seq))
        for earlier, later in itertools.pairwise(ordered):
            if later.seq < earlier.seq:
                problems.append(
                    audit.ChainProblem(
                        None, f"{later.describe()}比更早的{earlier.describe()}记录更少：日志曾被回滚到较早的状态"
                    )
                )


def verify(extra: Iterable[Path] = ()) -> list[audit.ChainProblem]:
    """The whole chain against the anchor file and any ``extra`` anchor files or backup manifests."""
    items: list[Anchor | str] = list(load())
    for path in extra:
        items.extend(load(path))
    return audit.verify(checkpoints=Checkpoints(items))


def _last_time(path: Path) -> datetime | None:
    try:
        with path.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 4096))
            tail = fh.read().decode("utf-8", "replace").splitlines()
    except FileNotFoundError:
        return None
    for line in reversed(tail):
        try:
            return datetime.fromisoformat(json.loads(line)["at"])
        except (ValueError, KeyError, TypeError):
            continue
    return None


def due(now: datetime | None = None) -> bool:
    """Whether the last anchor is older than ``GONGKAI_AUDIT_ANCHOR_HOURS`` (or there is none)."""
    hours = float(settings.GONGKAI_AUDIT_ANCHOR_HOURS)
    if hours <= 0:
        return False
    last = _last_time(anchor_file())
    return last is None or (now or timezone.now()) - last >= timedelta(hours=hours)


def iter_lines(path: Path | None = None) -> Iterator[str]:
    """The anchor file's lines as written (for ``gongkai audit anchor --list``)."""
    target = path or anchor_file()
    if target.exists():
        yield from (line for line in target.read_text(encoding="utf-8").splitlines() if line.strip())
