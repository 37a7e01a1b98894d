"""The measures behind the checks of ``data/checks.yaml`` (国办秘函〔2019〕19号, spec §4.1 and §4.3).

Each measure is a small function over one inspection's ``Context`` (unit, built site folder, today, probe
URL) and its ``Check`` row, returning an ``Outcome``: the concrete problems found (each with its fix and a
link to the staff page of the entry or column) and, for a 单项否决 item, whether its threshold is reached.
Entries are read with ``iterator()`` and the site folder one file at a time: nothing loads every page or
every entry at once. The points are the data's, applied in ``scoring``.
"""

from __future__ import annotations

import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.urls import reverse

from gongkai.catalog.models import FRESHNESS_RULES, Attachment, Category, Entry, EntryStatus, Genre, ServiceLink
from gongkai.catalog.timeliness import is_late
from gongkai.orgs.models import Org, OrgKind
from gongkai.reports.models import AnnualReport
from gongkai.rules import deadlines
from gongkai.screening import report as scan_report
from gongkai.screening.extract import MAX_BYTES
from gongkai.screening.scanner import KIND_LABELS
from gongkai.screening.scanning import text_segments
from gongkai.workdays.calendar import CalendarNotLoaded, count_workdays

from . import standard
from .definitions import Check
from .models import ItemExemption
from .sitewalk import SiteScan, scan_unit_site

log = logging.getLogger(__name__)

PUBLISHED = EntryStatus.PUBLISHED
#: At most this many problems of one check are kept with their text and link; the count stays exact.
KEEP = 200


@dataclass
class Problem:
    message: str
    fix: str = ""
    link: str = ""
    target: str = ""  # "entry:12", "column:5", "page:/dongshan/", "url"

    def as_json(self) -> dict[str, str]:
        return {"message": self.message, "fix": self.fix, "link": self.link, "target": self.target}


@dataclass
class Outcome:
    problems: list[Problem] = field(default_factory=list)
    count: int = 0  # all problems, also those beyond KEEP
    vetoed: bool = False
    measured: bool = True
    summary: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    def add(self, problem: Problem) -> None:
        self.count += 1
        if len(self.problems) < KEEP:
            self.problems.append(problem)


@dataclass
class Context:
    unit: Org
    today: date
    site: Path | None = None
    url: str | None = None
    #: Probe results (True = reachable) recorded by earlier runs within the availability window.
    earlier_probes: list[bool] = field(default_factory=list)
    #: What the re-scan of published content looks for (every ``live_scan`` check's kinds), and the labels
    #: of the public page's 信息属性 table the site pass reads; set from the sheet by ``scoring``.
    scan_kinds: frozenset[str] = frozenset()
    metadata_labels: tuple[str, ...] = ("索引号", "成文日期", "发布机构", "有效性")
    _columns: list[dict[str, Any]] | None = None
    _site: SiteScan | None = None
    _scan: dict[int, list[tuple[str, str, str]]] | None = None

    def columns(self) -> list[dict[str, Any]]:
        """Every live column of the unit with its direct published entries' count and last publication date
        (one grouped query), and whether it has live sub-columns."""
        if self._columns is None:
            stats: dict[int, dict[str, Any]] = {
                r["category_id"]: dict(r)
                for r in Entry.objects.filter(unit=self.unit, status=PUBLISHED, published_date__lte=self.today)
                .values("category_id")
                .annotate(n=Count("pk"), last=Max("published_date"))
                .order_by()
            }
            cats = list(
                Category.objects.filter(unit=self.unit, is_retired=False)
                .order_by("path", "sort_order", "id")
                .values("pk", "name", "slug", "parent_id", "freshness", "path")
            )
            parents = {c["parent_id"] for c in cats if c["parent_id"]}
            self._columns = [
                c
                | {
                    "n": stats.get(c["pk"], {}).get("n", 0),
                    "last": stats.get(c["pk"], {}).get("last"),
                    "leaf": c["pk"] not in parents,
                }
                for c in cats
            ]
        return self._columns

    def site_scan(self) -> SiteScan | None:
        """The one pass over the unit's site folder that dead links, external links and metadata share."""
        if self.site is None:
            return None
        if self._site is None:
            self._site = scan_unit_site(self.site, self.unit.slug, self.metadata_labels)
        return self._site


def entry_link(pk: int) -> str:
    return reverse("staff:entry_detail", args=[pk])


def column_link(ctx: Context, pk: int) -> str:
    return f"{reverse('staff:catalog')}?unit={ctx.unit.pk}#c{pk}"


def new_entry_link() -> str:
    return reverse("staff:entry_create")


def _days_text(last: date | None, today: date) -> str:
    return "从未更新" if last is None else f"最近更新 {last:%Y-%m-%d}，已 {(today - last).days} 天未更新"


# ---- 单项否决 ---------------------------------------------------------------------------------------------


def probe(url: str, timeout: float) -> tuple[bool, str, float]:
    """One availability probe: the page must open (HTTP status below 400) within ``timeout`` seconds."""
    started = time.monotonic()
    try:
        request = urllib.request.Request(url, headers={"User-Agent": "gongkai-check-site"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read(1024)
            status = response.status
    except urllib.error.HTTPError as exc:
        return False, f"HTTP 状态 {exc.code}", time.monotonic() - started
    except TimeoutError:
        return False, f"{timeout:g} 秒内未打开", time.monotonic() - started
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError):
            return False, f"{timeout:g} 秒内未打开", time.monotonic() - started
        return False, f"无法连接（{reason}）", time.monotonic() - started
    seconds = time.monotonic() - started
    if seconds > timeout:
        return False, f"{timeout:g} 秒内未打开", seconds
    return status < 400, "" if status < 400 else f"HTTP 状态 {status}", seconds


def availability(ctx: Context, check: Check) -> Outcome:
    if not ctx.url:
        return Outcome(measured=False, summary="未提供网站地址（--url），未探测")
    timeout = check.threshold("timeout").value
    ok, error, seconds = probe(ctx.url, timeout)
    probes = [*ctx.earlier_probes, ok]
    failed = probes.count(False)
    percent = 100 * failed / len(probes)
    limit = check.threshold("failure_percent").value
    out = Outcome(data={"probe": {"url": ctx.url, "ok": ok, "error": error, "seconds": round(seconds, 3)}})
    days = check.threshold("window").value
    out.summary = (
        f"本次探测{'正常' if ok else '失败：' + error}（{seconds:.1f} 秒）；近{days}日共探测 {len(probes)} 次，"
        f"失败 {failed} 次（{percent:.1f}%，阈值 {limit}%）"
    )
    expected = days * check.threshold("probes_per_day").value
    if len(probes) < expected:
        out.summary += (
            f"；指标要求监测{days}日、每日不少于{check.threshold('probes_per_day').value}次（共 {expected} 次）"
        )
    if not ok:
        out.add(Problem(f"网站 {ctx.url} 无法访问：{error}", "检查网站服务器、nginx 和网络，恢复访问", "", "url"))
    out.vetoed = percent >= limit
    return out


def home_freshness(ctx: Context, check: Check) -> Outcome:
    last = (
        Entry.objects.filter(unit=ctx.unit, status=PUBLISHED, published_date__lte=ctx.today)
        .aggregate(last=Max("published_date"))
        .get("last")
    )
    limit = check.threshold("period")
    out = Outcome(summary=_days_text(last, ctx.today), data={"last_update": last.isoformat() if last else None})
    if last is None or (ctx.today - last).days > limit.days(ctx.today):
        out.add(
            Problem(
                f"首页{limit.text(ctx.today)}内无信息更新（{_days_text(last, ctx.today)}）",
                "发布本单位近期工作动态或通知公告",
                new_entry_link(),
                "page:home",
            )
        )
        out.vetoed = True
    return out


def watched_columns(ctx: Context, check: Check) -> Outcome:
    """Columns watched by 栏目不更新 (the column's ``freshness``): 动态 and 通知公告/政策文件, each with its rule."""
    allowed = {kind: check.threshold(kind) for kind in FRESHNESS_RULES}
    out = Outcome()
    for col in ctx.columns():
        if col["freshness"] not in allowed:
            continue
        # A parent column lists its sub-columns' entries too: their newest publication counts for it.
        last = col["last"]
        for other in ctx.columns():
            if other["path"].startswith(f"{col['path']}{col['pk']}/") and other["last"]:
                last = max(last, other["last"]) if last else other["last"]
        limit = allowed[col["freshness"]]
        if last is None or (ctx.today - last).days > limit.days(ctx.today):
            out.add(
                Problem(
                    f"栏目“{col['name']}”{limit.text(ctx.today)}内未更新（{_days_text(last, ctx.today)}）",
                    f"在“{col['name']}”栏目发布信息",
                    column_link(ctx, col["pk"]),
                    f"column:{col['pk']}",
                )
            )
    if "count" in check.thresholds:
        need = check.threshold("count").value
        out.vetoed = out.count >= need
        out.summary = f"未按期更新的栏目 {out.count} 个（{need} 个以上单项否决）"
    else:
        out.summary = f"未按期更新的栏目 {out.count} 个"
    return out


def empty_columns(ctx: Context, check: Check) -> Outcome:
    out = Outcome()
    for col in ctx.columns():
        if col["leaf"] and col["n"] == 0:
            out.add(
                Problem(
                    f"空白栏目“{col['name']}”：没有任何已发布信息",
                    "发布该栏目应有的信息；本单位不涉及的，停用该栏目并在“未涉及领域事项说明”中说明",
                    column_link(ctx, col["pk"]),
                    f"column:{col['pk']}",
                )
            )
    need = check.threshold("count").value
    out.vetoed = out.count >= need
    out.summary = f"空白栏目 {out.count} 个（{need} 个以上单项否决）"
    return out


def long_stale_columns(ctx: Context, check: Check) -> Outcome:
    limit = check.threshold("period")
    out = Outcome()
    for col in ctx.columns():
        if not col["leaf"] or col["last"] is None or col["slug"] in check.exempt_columns:
            continue
        if (ctx.today - col["last"]).days > limit.days(ctx.today):
            out.add(
                Problem(
                    f"栏目“{col['name']}”超过{limit.text(ctx.today)}未更新（{_days_text(col['last'], ctx.today)}）",
                    f"在“{col['name']}”栏目发布新信息，或确认该栏目是否仍需保留",
                    column_link(ctx, col["pk"]),
                    f"column:{col['pk']}",
                )
            )
    need = check.threshold("count").value
    out.vetoed = out.count >= need
    out.summary = f"长期未更新的栏目 {out.count} 个（{need} 个以上单项否决）"
    return out


# ---- 重新扫描已发布内容 -------------------------------------------------------------------------------------


def _published_parts(unit: Org) -> Iterator[tuple[int, str, list[tuple[str, str]] | Attachment]]:
    """Each published entry's text segments, then each current attachment of a published entry, one at a time
    (two streaming queries, however many entries the unit has)."""
    entries = Entry.objects.filter(unit=unit, status=PUBLISHED).only("pk", "title", "summary", "body").order_by("pk")
    for entry in entries.iterator(chunk_size=200):
        yield entry.pk, "正文", text_segments(entry)
    attachments = Attachment.objects.filter(
        entry__unit=unit, entry__status=PUBLISHED, replaced_at__isnull=True
    ).order_by("entry_id", "sort_order", "pk")
    for att in attachments.iterator(chunk_size=200):
        yield att.entry_id, f"附件“{att.original_name}”", att


def scan_published(ctx: Context) -> dict[int, list[tuple[str, str, str]]]:
    """Entry id → (kind, where, masked value) of every finding of ``ctx.scan_kinds`` in its published text and
    extracted attachment text (the screening scanner, run again: 国办秘函〔2019〕19号 and spec §4.3 cite
    de-identification failures found on live pages). Attachments are read one at a time."""
    if ctx._scan is not None:
        return ctx._scan
    kinds = ctx.scan_kinds
    found: dict[int, list[tuple[str, str, str]]] = {}
    for pk, part, content in _published_parts(ctx.unit):
        if isinstance(content, Attachment):
            if content.size > MAX_BYTES:
                continue
            try:
                with content.file.open("rb") as fh:
                    data = fh.read()
            except OSError:
                continue
            located = scan_report.scan_bytes(content.original_name, data, ocr=None).findings
            del data
        else:
            located = scan_report.scan_segments(content)
        for loc in located:
            if loc.finding.kind in kinds:
                found.setdefault(pk, []).append((loc.finding.kind, f"{part}{loc.location}", loc.finding.masked))
    ctx._scan = found
    return found


def live_scan(ctx: Context, check: Check) -> Outcome:
    kinds = frozenset(check.kinds)
    if not kinds <= ctx.scan_kinds:  # a Context built without the sheet's kinds: scan for these
        ctx.scan_kinds, ctx._scan = ctx.scan_kinds | kinds, None
    found = scan_published(ctx)
    out = Outcome()
    titles = dict(Entry.objects.filter(pk__in=list(found)).values_list("pk", "title"))
    for pk in sorted(found):
        hits = [h for h in found[pk] if h[0] in kinds]
        if not hits:
            continue
        what = "；".join(f"{KIND_LABELS.get(k, k)} {masked}（{where}）" for k, where, masked in hits[:5])
        labels = "、".join(sorted({KIND_LABELS.get(h[0], h[0]) for h in hits}))
        out.add(
            Problem(
                f"已发布信息“{titles.get(pk, pk)}”含{labels}：{what}",
                "在保密审查页对该信息打码或撤回" if not check.is_veto else "立即撤回该信息，按保密规定核查处置",
                entry_link(pk),
                f"entry:{pk}",
            )
        )
    out.summary = f"含{'、'.join(KIND_LABELS.get(k, k) for k in check.kinds)}的已发布信息 {out.count} 条"
    out.vetoed = check.is_veto and out.count > 0
    return out


# ---- 扣分 -------------------------------------------------------------------------------------------------


def _needs_site(ctx: Context) -> Outcome | None:
    if ctx.site is None:
        return Outcome(measured=False, summary="未提供生成的网站目录（--site），未检查")
    return None


def dead_links(ctx: Context, check: Check) -> Outcome:
    if (skip := _needs_site(ctx)) is not None:
        return skip
    scan = ctx.site_scan()
    assert scan is not None
    out = Outcome(data={"pages": scan.pages})
    for dead in scan.dead:
        out.add(
            Problem(
                f"页面 {dead['page']} 的链接 {dead['href']} 指向的文件不存在",
                "修正或删除该链接",
                "",
                f"page:{dead['page']}",
            )
        )
    out.count = scan.dead_count
    out.summary = f"检查页面 {scan.pages} 个，站内不可用链接 {scan.dead_count} 个"
    return out


def external_links(ctx: Context, check: Check) -> Outcome:
    if (skip := _needs_site(ctx)) is not None:
        return skip
    scan = ctx.site_scan()
    assert scan is not None
    out = Outcome()
    for ext in scan.external:
        out.add(
            Problem(
                f"页面 {ext['page']} 链接到{ext['why']} {ext['href']}（未访问）",
                "确认该外部链接确有必要且可以访问",
                "",
                f"page:{ext['page']}",
            )
        )
    out.count = scan.external_count
    out.summary = f"外部链接 {scan.external_count} 个（只列出，不访问）"
    return out


def missing_metadata(ctx: Context, check: Check) -> Outcome:
    """Published entries lacking 索引号/成文日期/发布机构/有效性 in the database, or on their public page."""
    labels = check.fields or ctx.metadata_labels
    gaps: dict[int, set[str]] = {}
    rows = (
        Entry.objects.filter(unit=ctx.unit, status=PUBLISHED)
        .filter(
            Q(index_number__isnull=True)
            | Q(index_number="")
            | Q(formed_date__isnull=True)
            | Q(publisher__isnull=True)
            | Q(validity="")
        )
        .values_list("pk", "index_number", "formed_date", "publisher_id", "validity")
    )
    for pk, index_number, formed, publisher, validity in rows.iterator():
        values = {"索引号": index_number, "成文日期": formed, "发布机构": publisher, "有效性": validity}
        gaps[pk] = {label for label in labels if not values.get(label)}
    site = ctx.site_scan()
    if site is not None:
        published = set(
            Entry.objects.filter(pk__in=list(site.metadata_gaps), status=PUBLISHED).values_list("pk", flat=True)
        )
        for pk, missing in site.metadata_gaps.items():
            if pk in published:
                gaps.setdefault(pk, set()).update(missing)
    out = Outcome()
    titles = dict(Entry.objects.filter(pk__in=list(gaps)).values_list("pk", "title"))
    for pk in sorted(gaps):
        if not gaps[pk]:
            continue
        missing = [label for label in labels if label in gaps[pk]]
        out.add(
            Problem(
                f"信息“{titles.get(pk, pk)}”缺少{'、'.join(missing)}",
                "更正该信息，补齐缺少的要素，并重新生成其公开页面",
                entry_link(pk),
                f"entry:{pk}",
            )
        )
    out.summary = f"缺少要素的已发布信息 {out.count} 条" + ("" if site is not None else "（未检查生成的网站页面）")
    return out


def publication_lag(ctx: Context, check: Check) -> Outcome:
    since = ctx.today - timedelta(days=check.threshold("window").days(ctx.today))
    limit = check.threshold("limit")
    rows = (
        Entry.objects.filter(unit=ctx.unit, status=PUBLISHED, published_date__gte=since, lag_workdays__isnull=False)
        .values_list("pk", "title", "formed_date", "published_date", "lag_workdays")
        .order_by("published_date", "pk")
    )
    out = Outcome()
    for pk, title, formed, published, lag in rows.iterator():
        if is_late(lag):
            out.add(
                Problem(
                    f"信息“{title}”成文 {formed:%Y-%m-%d}、发布 {published:%Y-%m-%d}，历时 {lag} 个工作日，"
                    f"超过{limit.text(ctx.today)}",
                    "今后在成文之日起法定期限内发布；本条可在信息页说明延迟原因",
                    entry_link(pk),
                    f"entry:{pk}",
                )
            )
    out.summary = f"近期超过法定期限发布的信息 {out.count} 条"
    return out


def annual_report(ctx: Context, check: Check) -> Outcome:
    year = ctx.today.year - 1
    deadline = deadlines.annual_report_deadline(year, county=ctx.unit.kind == OrgKind.COUNTY)
    out = Outcome(data={"year": year, "deadline": deadline.isoformat()})
    if ctx.today <= deadline:
        out.summary = f"{year}年度报告的公布截止日 {deadline:%Y-%m-%d} 尚未到"
        return out
    report = (
        AnnualReport.objects.filter(unit=ctx.unit, year=year, entry__status=PUBLISHED)
        .values_list("entry__published_date", flat=True)
        .first()
    )
    link = reverse("reports:annual", args=[ctx.unit.code, year])
    if report is None:
        out.add(
            Problem(
                f"{year}年度政府信息公开工作年度报告未公布（截止 {deadline:%Y-%m-%d}）",
                "编制并公布年度报告",
                link,
                "report",
            )
        )
    elif report > deadline:
        out.add(
            Problem(
                f"{year}年度报告于 {report:%Y-%m-%d} 公布，晚于截止日 {deadline:%Y-%m-%d}",
                "下一年度按期公布",
                link,
                "report",
            )
        )
    out.summary = "年度报告按期公布" if not out.count else out.problems[0].message
    return out


def guide_freshness(ctx: Context, check: Check) -> Outcome:
    limit = check.threshold("period")
    col = next((c for c in ctx.columns() if c["slug"] == check.column), None)
    out = Outcome()
    if col is None:
        out.add(
            Problem(
                f"目录中没有“{check.column}”栏目（政府信息公开指南）",
                "在目录维护中恢复公开指南栏目",
                f"{reverse('staff:catalog')}?unit={ctx.unit.pk}",
                "column",
            )
        )
        return out
    last = col["last"]
    out.summary = f"公开指南{_days_text(last, ctx.today)}"
    if last is None or (ctx.today - last).days > limit.days(ctx.today):
        out.add(
            Problem(
                f"政府信息公开指南超过{limit.text(ctx.today)}未更新（{_days_text(last, ctx.today)}）",
                "核对指南内容（机构、地址、电话、申请渠道）后在“政府信息公开指南”栏目发布更新后的指南",
                column_link(ctx, col["pk"]),
                f"column:{col['pk']}",
            )
        )
    return out


def interpretation(ctx: Context, check: Check) -> Outcome:
    """规范性文件 published more than N working days ago with no published 政策解读 among its related entries."""
    after = check.threshold("after")
    roots = [c for c in ctx.columns() if c["slug"] in check.columns]
    ids = {c["pk"] for c in roots}
    for c in ctx.columns():
        if any(c["path"].startswith(f"{r['path']}{r['pk']}/") for r in roots):
            ids.add(c["pk"])
    through = Entry.related.through
    explained = through.objects.filter(from_entry_id=OuterRef("pk"), to_entry__status=PUBLISHED).filter(
        Q(to_entry__genre=Genre.INTERPRETATION) | Q(to_entry__category__slug="interpretation")
    )
    rows = (
        Entry.objects.filter(unit=ctx.unit, status=PUBLISHED, category_id__in=ids)
        .exclude(genre=Genre.INTERPRETATION)
        .annotate(explained=Exists(explained))
        .filter(explained=False)
        .values_list("pk", "title", "published_date")
        .order_by("published_date", "pk")
    )
    out = Outcome()
    unknown = 0
    for pk, title, published in rows.iterator():
        if published is None:
            continue
        try:
            elapsed = count_workdays(published, ctx.today)
        except CalendarNotLoaded:
            unknown += 1
            continue
        if elapsed > after.value:
            out.add(
                Problem(
                    f"规范性文件“{title}”发布 {elapsed} 个工作日仍无政策解读（应在{after.value}个工作日内）",
                    "起草并发布政策解读，在“相关信息”中关联本文件",
                    entry_link(pk),
                    f"entry:{pk}",
                )
            )
    out.summary = f"缺少政策解读的规范性文件 {out.count} 件" + (
        f"（{unknown} 件因工作日历缺失未计算）" if unknown else ""
    )
    return out


def standard_coverage(ctx: Context, check: Check) -> Outcome:
    """Per 事项 of the 基层政务公开标准目录 (``standard.py``): its columns' last publication; a periodic item with
    nothing since the start of the last complete period is due (国办发〔2019〕54号 公开时限)."""
    by_slug: dict[str, list[dict[str, Any]]] = {}
    for col in ctx.columns():
        by_slug.setdefault(col["slug"], []).append(col)
    out = Outcome()
    items = []
    exempt = dict(ItemExemption.objects.filter(unit=ctx.unit).values_list("item", "reason"))
    for item in standard.catalog().items:
        cols = [c for slug in item.columns for c in by_slug.get(slug, [])]
        subtree = [
            c
            for c in ctx.columns()
            if any(c is col or c["path"].startswith(f"{col['path']}{col['pk']}/") for col in cols)
        ]
        dates = [c["last"] for c in subtree if c["last"]]
        last = max(dates) if dates else None
        start = item.period_start(ctx.today)
        due = item.key not in exempt and bool(cols) and start is not None and (last is None or last < start)
        state = "due" if due else ("no_column" if not cols else ("ok" if start else "event"))
        items.append(
            {
                "key": item.key,
                "exempt_reason": exempt.get(item.key, ""),
                "area": item.area,
                "name": item.name,
                "limit": item.limit_text,
                "basis": item.basis,
                "columns": [c["name"] for c in cols],
                "last": last.isoformat() if last else None,
                "state": "exempt" if item.key in exempt else state,
            }
        )
        if due and cols:
            since = f"{start:%Y-%m-%d}" if start else ""
            out.add(
                Problem(
                    f"标准目录事项“{item.area}·{item.name}”（{item.limit_text}）自 {since} 起未公开"
                    f"（{_days_text(last, ctx.today)}）",
                    f"在“{cols[0]['name']}”栏目公开{item.content}",
                    column_link(ctx, cols[0]["pk"]),
                    f"column:{cols[0]['pk']}",
                )
            )
    out.data["items"] = items
    out.summary = f"标准目录事项 {len(items)} 项，逾期未公开 {out.count} 项"
    return out


def service_links(ctx: Context, check: Check) -> Outcome:
    """Every 办事服务 link of the unit's live columns (catalog.ServiceLink) is opened the way ``probe`` opens the
    site: one that answers an error or nothing within the timeout is a problem (国办发〔2019〕54号 公开与办事服务
    融合; 国办秘函〔2019〕19号 服务实用 indicators)."""
    timeout = check.threshold("timeout").value
    links = (
        ServiceLink.objects.filter(category__unit=ctx.unit, category__is_retired=False)
        .select_related("category")
        .order_by("category__path", "category__sort_order", "category_id", "sort_order", "id")
    )
    out = Outcome()
    results = []
    for link in links:
        ok, error, seconds = probe(link.url, timeout)
        results.append(
            {
                "column": link.category.name,
                "name": link.name,
                "url": link.url,
                "ok": ok,
                "error": error,
                "seconds": round(seconds, 3),
            }
        )
        if not ok:
            out.add(
                Problem(
                    f"栏目“{link.category.name}”的办事服务“{link.name}”（{link.url}）打不开：{error}",
                    "到政务服务网查到该事项现在的网址，在目录维护的“办事服务”中删除旧地址、添加新地址",
                    reverse("staff:service_links", args=[link.category_id]),
                    f"service:{link.pk}",
                )
            )
    out.data["links"] = results
    if not results:
        out.summary = "各栏目未设置办事服务链接（目录维护 → 办事服务）"
    else:
        out.summary = f"办事服务链接 {len(results)} 个，打不开 {out.count} 个（每个等待 {timeout:g} 秒）"
    return out


MEASURES: dict[str, Callable[[Context, Check], Outcome]] = {
    "standard_coverage": standard_coverage,
    "availability": availability,
    "home_freshness": home_freshness,
    "watched_columns": watched_columns,
    "empty_columns": empty_columns,
    "long_stale_columns": long_stale_columns,
    "live_scan": live_scan,
    "dead_links": dead_links,
    "external_links": external_links,
    "service_links": service_links,
    "missing_metadata": missing_metadata,
    "publication_lag": publication_lag,
    "annual_report": annual_report,
    "guide_freshness": guide_freshness,
    "interpretation": interpretation,
}
