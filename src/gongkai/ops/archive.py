"""Art. 45 归档: a self-describing package of one unit's year, for the 档案馆.

Layout of a package (a folder from ``gongkai archive``, the same tree inside a ZIP from the staff page)::

    manifest.json              format, unit, year, time, counts, every item with its 保管期限, every file's
                               SHA-256 and size (the file itself is the only one not listed)
    manifest.xml               the same items and files as XML, for archive systems that read XML
    移交清单.html               the receipt the archive office signs: 件号, 题名, 日期, 保管期限, signature lines
    entries/<索引号>/           one folder per entry published in the year (withdrawn ones included, with the
        metadata.json          withdrawal): every field, versions (when, by whom), attachments, audit history
        body.html
        attachments/NN-<name>  the files as stored (replaced ones too, marked in metadata.json)
    cases/                     内部·涉及个人信息 (see ``CASES_MARKING``): applications closed in the year
        <申请编号>/metadata.json applicant data, events, reply, fee notices, appeals, letters, audit history
        <申请编号>/letters/…    the generated DOCX/PDF and uploaded documents

Which items belong to a year: entries by the date of their (first) publication, case files by the date they
were closed (办结); a case still open goes into the year it closes. A year with nothing to archive still
gives a valid package with empty lists: the receipt then records that the year was looked at.

Archiving deletes and changes nothing in gongkai. Each package is recorded as an ``ArchiveExport`` and one
audit event (``Action.ARCHIVE_EXPORT``). Files are copied from storage in chunks (into the folder or straight
into the ZIP), never held whole in memory, and nothing slow runs inside a transaction.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Protocol
from xml.etree import ElementTree as ET

from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from gongkai.applications.models import Application
from gongkai.catalog.models import Entry, EntryStatus
from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.core.errors import DomainError
from gongkai.core.models import AuditEvent
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org
from gongkai.reports.models import AnnualReport

from . import retention
from .models import ArchiveExport, ExportStatus

FORMAT = 1
MANIFEST = "manifest.json"
MANIFEST_XML = "manifest.xml"
RECEIPT = "移交清单.html"
#: The receipt's print style, a file of its own beside it (no inline style in any template: tests/core/test_headers).
RECEIPT_CSS = "移交清单.css"
RECEIPT_CSS_SOURCE = Path(__file__).resolve().parent / "data" / "transfer_list.css"
REGULATION = "《中华人民共和国政府信息公开条例》第四十五条"
CASES_MARKING = "内部·涉及个人信息"
CASES_NOTE = (
    "本目录为依申请公开案卷，含申请人姓名、证件号码、联系方式等个人信息，仅限档案馆按档案管理规定保管和利用，"
    "不得公开或向无关人员提供（《中华人民共和国个人信息保护法》《中华人民共和国档案法》）。"
)
FIRST_YEAR = 2008  # the first Regulation took effect on 2008-05-01


class ArchiveError(DomainError):
    """A package cannot be written or does not verify; the message is Chinese and says why."""


# --- writing files -----------------------------------------------------------------------------------------


class Sink(Protocol):
    def write(self, rel: str, stream: IO[bytes]) -> tuple[str, int]:
        """Copy ``stream`` to ``rel`` in chunks; the SHA-256 and size of what was written."""


def _copy(stream: IO[bytes], out: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
        size += len(chunk)
        out.write(chunk)
    return digest.hexdigest(), size


class DirSink:
    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, rel: str, stream: IO[bytes]) -> tuple[str, int]:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "xb") as out:
            return _copy(stream, out)


class ZipSink:
    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf

    def write(self, rel: str, stream: IO[bytes]) -> tuple[str, int]:
        with self.zf.open(rel, "w", force_zip64=True) as out:
            return _copy(stream, out)


class _Bytes:
    def __init__(self, data: bytes) -> None:
        self.data, self.done = data, False

    def read(self, n: int = -1) -> bytes:
        if self.done:
            return b""
        self.done = True
        return self.data


# --- turning rows into JSON --------------------------------------------------------------------------------


def _json(value: Any) -> Any:
    if value is None or type(value) in (str, int, bool, float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return str(value)


def _fields(obj: models.Model, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every stored field by name (a foreign key as the key it stores); ``<name>_label`` for choices."""
    out: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.name in skip:
            continue
        value = getattr(obj, f.attname)
        out[f.name] = value.name if isinstance(value, models.fields.files.FieldFile) else _json(value)
        if f.choices and value not in (None, ""):
            out[f"{f.name}_label"] = str(getattr(obj, f"get_{f.name}_display")())
    return out


def _who(user: Any) -> dict[str, str] | None:
    if user is None:
        return None
    return {"username": user.get_username(), "name": user.get_full_name() if hasattr(user, "get_full_name") else ""}


def _history(obj: models.Model) -> list[dict[str, Any]]:
    events = AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("id")
    return [
        {
            "time": e.created_at.isoformat(),
            "action": e.action,
            "action_label": str(Action(e.action).label) if e.action in Action.values else e.action,
            "actor": e.actor_name,
            "from_state": e.from_state,
            "to_state": e.to_state,
            "comment": e.comment,
        }
        for e in events
    ]


_UNSAFE = re.compile(r'[\x00-\x1f/\\:*?"<>|]+')


def _safe(name: str, fallback: str) -> str:
    """A file or folder name that every file system and ZIP tool accepts."""
    cleaned = _UNSAFE.sub("_", name).strip(" .")[:80]
    return cleaned or fallback


def _unique(name: str, taken: set[str], suffix: str) -> str:
    out = name if name not in taken else f"{name}-{suffix}"
    taken.add(out)
    return out


def _ext(stored: str, default: str) -> str:
    suffix = Path(stored).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else default


# --- the package -------------------------------------------------------------------------------------------


@dataclass
class Summary:
    entries: int = 0
    withdrawn: int = 0
    cases: int = 0
    files: int = 0
    manifest_sha256: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.entries and not self.cases


@dataclass
class _Package:
    sink: Sink
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    items: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, rel: str, stream: IO[bytes]) -> dict[str, Any]:
        sha, size = self.sink.write(rel, stream)
        self.files[rel] = {"sha256": sha, "size": size}
        return {"path": rel, "sha256": sha, "size": size}

    def add_bytes(self, rel: str, data: bytes) -> dict[str, Any]:
        return self.add(rel, _Bytes(data))  # type: ignore[arg-type]

    def add_json(self, rel: str, data: Any) -> None:
        self.add_bytes(rel, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8"))

    def add_stored(self, rel: str, fieldfile: Any, what: str) -> dict[str, Any] | None:
        """Copy a file from storage; a missing one is listed as a warning instead of failing the package."""
        try:
            opened: AbstractContextManager[IO[bytes]] = fieldfile.open("rb")
            with opened as fh:
                return self.add(rel, fh)
        except (FileNotFoundError, OSError) as exc:
            self.warnings.append(f"{what} 的文件 {fieldfile.name} 无法读取（{type(exc).__name__}），未放入归档包")
            return None


def entries_for(unit: Org, year: int) -> models.QuerySet[Entry]:
    """Entries of ``unit`` first published in ``year``: published or since withdrawn (drafts never)."""
    return (
        Entry.objects.filter(
            unit=unit, status__in=[EntryStatus.PUBLISHED, EntryStatus.WITHDRAWN], published_date__year=year
        )
        .select_related("category", "publisher", "created_by", "superseded_by")
        .order_by("published_at", "id")
    )


def cases_for(unit: Org, year: int) -> models.QuerySet[Application]:
    """Applications handled by ``unit`` and closed (replied or transferred) in ``year``."""
    return (
        Application.objects.filter(unit=unit, closed_on__year=year)
        .select_related("handler", "created_by")
        .order_by("closed_on", "tracking_number")
    )


def _category_slugs(entry: Entry) -> list[str]:
    return [entry.category.slug, *(c.slug for c in reversed(entry.category.ancestors()))]


def _entry(pkg: _Package, entry: Entry, number: int, folder: str, period: str) -> None:
    attachments = []
    for i, att in enumerate(entry.attachments.select_related("uploaded_by").order_by("sort_order", "id"), 1):
        fallback = f"附件{i}{_ext(att.file.name or '', '')}"
        rel = f"{folder}/attachments/{i:02d}-{_safe(att.original_name, fallback)}"
        stored = pkg.add_stored(rel, att.file, f"信息“{entry.title}”的附件“{att.original_name}”")
        if stored is not None and stored["sha256"] != att.sha256:
            pkg.warnings.append(f"附件 {rel} 的 SHA-256 与上传时记录的不一致")
        attachments.append(
            {
                **_fields(att, skip=("entry", "uploaded_by")),
                "uploaded_by": _who(att.uploaded_by),
                "replaced": att.replaced_at is not None,
                "package_file": stored["path"] if stored else None,
            }
        )
    versions = [
        {
            "number": v.number,
            "created_at": v.created_at.isoformat(),
            "created_by": _who(v.created_by),
            "reason": v.reason,
            "snapshot": v.snapshot,
        }
        for v in entry.versions.select_related("created_by").order_by("number")
    ]
    title = f"{entry.title}"
    body = (
        f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{_escape(title)}</title></head>'
        f"<body>\n<h1>{_escape(title)}</h1>\n{entry.body}\n</body></html>\n"
    )
    pkg.add_bytes(f"{folder}/body.html", body.encode("utf-8"))
    metadata = {
        "件号": number,
        "kind": "entry",
        "title": entry.title,
        "retention": period,
        "unit": {"code": entry.unit.code, "name": entry.unit.name},
        "publisher": {"code": entry.publisher.code, "name": entry.publisher.name},
        "category": {"slug": entry.category.slug, "name": entry.category.full_name()},
        "created_by": _who(entry.created_by),
        "fields": _fields(entry, skip=("created_by",)),
        "superseded_by": entry.superseded_by.index_number if entry.superseded_by else None,
        "related": sorted(r.index_number or str(r.pk) for r in entry.related.all()),
        "withdrawal": (
            {"withdrawn_at": entry.withdrawn_at.isoformat(), "reason": entry.withdrawn_reason}
            if entry.withdrawn_at
            else None
        ),
        "versions": versions,
        "attachments": attachments,
        "history": _history(entry),
    }
    pkg.add_json(f"{folder}/metadata.json", metadata)
    pkg.items.append(
        {
            "件号": number,
            "kind": "entry",
            "folder": folder,
            "title": entry.title,
            "reference": entry.index_number or "",
            "document_number": entry.document_number,
            "date": entry.published_date.isoformat() if entry.published_date else "",
            "retention": period,
            "status": entry.status,
            "note": f"已撤回（{timezone.localdate(entry.withdrawn_at).isoformat()}）" if entry.withdrawn_at else "",
        }
    )


def _case(pkg: _Package, app: Application, number: int, folder: str, period: str) -> None:
    letters = []
    for i, letter in enumerate(app.letters.select_related("created_by").order_by("issued_on", "id"), 1):
        stem = _safe(f"{i:02d}-{letter.title}{('-' + letter.number) if letter.number else ''}", f"{i:02d}")
        files = {}
        for name in ("docx", "pdf", "uploaded"):
            fieldfile = getattr(letter, name)
            if not fieldfile:
                continue
            suffix = "-上传" if name == "uploaded" else ""
            rel = f"{folder}/letters/{stem}{suffix}{_ext(fieldfile.name or '', '.' + name)}"
            stored = pkg.add_stored(rel, fieldfile, f"申请 {app.tracking_number} 的文书“{letter.title}”")
            files[name] = stored["path"] if stored else None
        letters.append(
            {
                **_fields(letter, skip=("application", "created_by")),
                "created_by": _who(letter.created_by),
                "files": files,
            }
        )
    reply = getattr(app, "reply", None)  # the reverse one-to-one raises AttributeError when there is none
    metadata = {
        "件号": number,
        "kind": "application",
        "marking": CASES_MARKING,
        "marking_note": CASES_NOTE,
        "retention": period,
        "unit": {"code": app.unit.code, "name": app.unit.name},
        "handler": _who(app.handler),
        "created_by": _who(app.created_by),
        "fields": _fields(app, skip=("handler", "created_by", "query_code_hash")),
        "events": [
            {**_fields(e, skip=("application", "actor")), "actor": _who(e.actor)}
            for e in app.events.select_related("actor").order_by("on", "id")
        ],
        "reply": (
            {
                **_fields(reply, skip=("application", "actor")),
                "result_label": str(reply.result),
                "actor": _who(reply.actor),
            }
            if reply
            else None
        ),
        "fee_notices": [_fields(f, skip=("application",)) for f in app.fee_notices.order_by("issued_on", "id")],
        "appeals": [
            {**_fields(a, skip=("application", "created_by")), "created_by": _who(a.created_by)}
            for a in app.appeals.select_related("created_by").order_by("filed_on", "id")
        ],
        "letters": letters,
        "history": _history(app),
    }
    pkg.add_json(f"{folder}/metadata.json", metadata)
    pkg.items.append(
        {
            "件号": number,
            "kind": "application",
            "folder": folder,
            "title": f"{app.name}的政府信息公开申请（{app.description[:40]}）",
            "reference": app.tracking_number,
            "document_number": "",
            "date": app.closed_on.isoformat() if app.closed_on else "",
            "retention": period,
            "status": app.status,
            "note": CASES_MARKING,
            "marking": CASES_MARKING,
        }
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _xml(manifest: dict[str, Any]) -> bytes:
    root = ET.Element("archivePackage", format=str(FORMAT))
    for key in ("regulation", "year", "created_at", "retention_source"):
        ET.SubElement(root, key).text = str(manifest[key])
    ET.SubElement(root, "unit", code=manifest["unit"]["code"]).text = manifest["unit"]["name"]
    ET.SubElement(root, "createdBy").text = manifest["created_by"] or ""
    counts = ET.SubElement(root, "counts")
    for key, value in manifest["counts"].items():
        counts.set(key, str(value))
    items = ET.SubElement(root, "items")
    for item in manifest["items"]:
        node = ET.SubElement(
            items,
            "item",
            number=str(item["件号"]),
            kind=item["kind"],
            folder=item["folder"],
            retention=item["retention"],
            date=item["date"],
        )
        if item.get("marking"):
            node.set("marking", item["marking"])
        ET.SubElement(node, "title").text = item["title"]
        ET.SubElement(node, "reference").text = item["reference"]
    files = ET.SubElement(root, "files")
    for rel, info in sorted(manifest["files"].items()):
        ET.SubElement(files, "file", path=rel, sha256=info["sha256"], size=str(info["size"]))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def write_package(unit: Org, year: int, sink: Sink, *, actor: Any = None) -> Summary:
    """Write the whole package of ``unit``'s ``year`` into ``sink``, ``manifest.json`` last."""
    rules = retention.load()
    now = timezone.now()
    pkg = _Package(sink)
    reports = set(AnnualReport.objects.filter(unit=unit, entry__isnull=False).values_list("entry_id", flat=True))
    number, taken = 0, set[str]()
    summary = Summary()
    for entry in entries_for(unit, year).iterator(chunk_size=200):
        number += 1
        name = _unique(_safe(entry.index_number or "", f"id-{entry.pk}"), taken, f"id-{entry.pk}")
        period = rules.for_kind("annual_report") if entry.pk in reports else rules.for_slugs(_category_slugs(entry))
        _entry(pkg, entry, number, f"entries/{name}", period)
        summary.entries += 1
        summary.withdrawn += entry.status == EntryStatus.WITHDRAWN
    case_count = 0
    for app in cases_for(unit, year).select_related("unit").iterator(chunk_size=200):
        number += 1
        case_count += 1
        name = _unique(_safe(app.tracking_number, f"id-{app.pk}"), taken, f"id-{app.pk}")
        kind = "application_appealed" if app.appeals.exists() else "application"
        _case(pkg, app, number, f"cases/{name}", rules.for_kind(kind))
    summary.cases = case_count
    if case_count:
        pkg.add_bytes(f"cases/{CASES_MARKING}.txt", (CASES_NOTE + "\n").encode("utf-8"))
    created_by = actor.get_username() if getattr(actor, "is_authenticated", False) else ""
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "kind": "gongkai-archive",
        "regulation": REGULATION,
        "unit": {"code": unit.code, "name": unit.name, "short_name": unit.short_name},
        "year": year,
        "created_at": now.isoformat(),
        "created_by": created_by,
        "retention_source": rules.source,
        "selection": "信息：本年度首次发布的（含已撤回的）；申请：本年度办结的",
        "counts": {"entries": summary.entries, "withdrawn": summary.withdrawn, "cases": summary.cases},
        "markings": {"cases/": {"marking": CASES_MARKING, "note": CASES_NOTE}} if case_count else {},
        "items": pkg.items,
        "warnings": pkg.warnings,
    }
    receipt = render_to_string(
        "ops/transfer_list.html",
        {"m": manifest, "unit": unit, "year": year, "now": timezone.localtime(now), "marking": CASES_MARKING},
    )
    pkg.add_bytes(RECEIPT, receipt.encode("utf-8"))
    pkg.add_bytes(RECEIPT_CSS, RECEIPT_CSS_SOURCE.read_bytes())
    manifest["files"] = dict(pkg.files)
    manifest["counts"]["files"] = len(pkg.files) + 1  # and manifest.xml
    manifest["files"][MANIFEST_XML] = pkg.add_bytes(MANIFEST_XML, _xml({**manifest, "files": dict(pkg.files)}))
    del manifest["files"][MANIFEST_XML]["path"]
    blob = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    summary.manifest_sha256 = pkg.add_bytes(MANIFEST, blob)["sha256"]
    summary.files = len(manifest["files"])
    summary.warnings = pkg.warnings
    return summary


# --- checking a package ------------------------------------------------------------------------------------


def _open_package(path: Path) -> tuple[set[str], Callable[[str], IO[bytes]], Callable[[], None]]:
    if path.is_dir():
        names = {p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()}
        return names, lambda rel: open(path / rel, "rb"), lambda: None
    if path.is_file() and zipfile.is_zipfile(path):
        zf = zipfile.ZipFile(path)
        names = {i.filename for i in zf.infolist() if not i.is_dir()}
        return names, lambda rel: zf.open(rel), zf.close
    raise ArchiveError(f"{path} 不是归档包目录，也不是归档包 ZIP 文件")


def verify(path: Path | str) -> dict[str, Any]:
    """The manifest, if every file it lists is present with its hash and size, and nothing else was added."""
    path = Path(path)
    names, opener, close = _open_package(path)
    try:
        if MANIFEST not in names:
            raise ArchiveError(f"归档包已损坏：{path} 中没有清单文件 {MANIFEST}")
        try:
            with opener(MANIFEST) as fh:
                manifest = json.loads(fh.read().decode("utf-8"))
            files: dict[str, dict[str, Any]] = manifest["files"]
        except (ValueError, KeyError, TypeError) as exc:
            raise ArchiveError(f"归档包已损坏：清单文件 {MANIFEST} 无法读取") from exc
        if manifest.get("format") != FORMAT or manifest.get("kind") != "gongkai-archive":
            raise ArchiveError(f"归档包格式版本 {manifest.get('format')} 不受支持（应为 {FORMAT}）")
        problems: list[str] = []
        for rel, info in sorted(files.items()):
            if ".." in Path(rel).parts or rel not in names:
                problems.append(f"缺少文件 {rel}")
                continue
            with opener(rel) as fh:
                digest, size = hashlib.sha256(), 0
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
                    size += len(chunk)
            if digest.hexdigest() != info.get("sha256") or size != info.get("size"):
                problems.append(f"文件 {rel} 的 SHA-256 校验值不符（已被修改）")
        problems += [f"清单之外多出文件 {rel}" for rel in sorted(names - set(files) - {MANIFEST})]
    finally:
        close()
    if problems:
        shown = "；".join(problems[:5]) + (f"；等共 {len(problems)} 处" if len(problems) > 5 else "")
        raise ArchiveError(f"归档包已损坏：{shown}")
    return manifest


# --- the two ways in: a folder from the command, a ZIP from the staff page --------------------------------


def find_unit(code: str) -> Org:
    unit = Org.objects.filter(code=code).first()
    if unit is None:
        raise ArchiveError(f"没有代码为 {code} 的单位，请核对单位代码")
    if not unit.is_unit:
        raise ArchiveError(f"{unit.name}（{code}）不是公开主体（县、乡镇或街道），归档请按所属公开主体导出")
    return unit


def check_year(year: int) -> None:
    this_year = timezone.localdate().year
    if not FIRST_YEAR <= year <= this_year:
        raise ArchiveError(f"年度 {year} 不在 {FIRST_YEAR}—{this_year} 之间")


def _record(export: ArchiveExport, summary: Summary, actor: Any) -> None:
    """Inside the caller's short transaction: one audit event for the finished package."""
    audit.record(
        Action.ARCHIVE_EXPORT,
        actor=actor,
        obj=export,
        org_code=export.unit.code,
        comment=f"{export.year} 年度归档包：信息 {summary.entries} 件、申请案卷 {summary.cases} 件",
        changes={
            "year": export.year,
            "entries": summary.entries,
            "cases": summary.cases,
            "files": summary.files,
            "manifest_sha256": summary.manifest_sha256,
            "out_path": export.out_path or export.file.name,
        },
    )


def export_to_folder(code: str, year: int, out: Path | str, *, actor: Any = None) -> tuple[ArchiveExport, Summary]:
    """``gongkai archive``: write the package into ``out`` (new or empty) through a temporary folder beside it,
    renamed into place only when complete, so a failure leaves nothing half-written."""
    unit = find_unit(code)
    check_year(year)
    out = Path(out).absolute()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ArchiveError(f"输出目录 {out} 已存在且不是空目录；请指定一个新目录，以免覆盖已有归档包")
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-archive-", dir=parent))
    except OSError as exc:
        raise ArchiveError(
            f"不能在目录 {parent} 中写入（{exc.strerror or type(exc).__name__}），请检查路径和权限"
        ) from exc
    try:
        summary = write_package(unit, year, DirSink(staging), actor=actor)
        if out.exists():
            out.rmdir()
        os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    with transaction.atomic():
        export = ArchiveExport.objects.create(
            unit=unit,
            year=year,
            status=ExportStatus.DONE,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            finished_at=timezone.now(),
            entries=summary.entries,
            cases=summary.cases,
            files=summary.files,
            manifest_sha256=summary.manifest_sha256,
            out_path=str(out)[:500],
        )
        _record(export, summary, actor)
    return export, summary


def iter_units(user: Any) -> Iterator[tuple[Org, bool]]:
    """The units whose archive page ``user`` may see, with whether they may export (and download)."""
    managed = {u.pk for u in perms.managed_units(user)}
    seen = set()
    for unit in Org.objects.filter(is_active=True).order_by("path", "sort_order", "id"):
        if not unit.is_unit or unit.pk in seen:
            continue
        if unit.pk in managed:
            seen.add(unit.pk)
            yield unit, True
        elif perms.can_supervise(user, unit):
            seen.add(unit.pk)
            yield unit, False


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class BatchResult:
    """One unit's line in ``gongkai archive --all``: written, already there (verified), or failed and why."""

    code: str
    name: str
    path: Path
    outcome: str  # "written", "kept", "failed"
    detail: str = ""


def export_all(year: int, parent: Path | str, *, actor: Any = None) -> list[BatchResult]:
    """The yearly schedule (Art. 45; a cron line each January): every active unit's package for ``year`` into
    ``parent/<code>-<year>``. A package already there that verifies against its manifest is kept, so the line
    can run again after a failure and writes only what is missing; one unit's failure does not stop the others."""
    check_year(year)
    parent = Path(parent).absolute()
    out: list[BatchResult] = []
    units = [o for o in Org.objects.filter(is_active=True).order_by("path") if o.is_unit]
    for unit in units:
        path = parent / f"{unit.code}-{year}"
        if path.exists() and path.is_dir() and any(path.iterdir()):
            try:
                verify(path)
            except ArchiveError as exc:
                out.append(BatchResult(unit.code, unit.name, path, "failed", f"已有的归档包校验不通过：{exc.message}"))
            else:
                out.append(BatchResult(unit.code, unit.name, path, "kept", "已有归档包，校验通过"))
            continue
        try:
            _export, summary = export_to_folder(unit.code, year, path, actor=actor)
        except ArchiveError as exc:
            out.append(BatchResult(unit.code, unit.name, path, "failed", exc.message))
            continue
        detail = f"信息 {summary.entries} 件、申请案卷 {summary.cases} 件，共 {summary.files} 个文件"
        out.append(BatchResult(unit.code, unit.name, path, "written", detail))
    return out
