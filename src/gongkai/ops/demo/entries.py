"""Two years of published entries and the work in progress of every queue, through the catalog services.

Each published entry is drafted (by the unit's 信息员 when it is published in the name of the 信息员's
office, else by the 公开办管理员), submitted, passed by the unit's 审核人 (the screening gate scans it) and
signed by its 审签领导 with ``publish_as_of`` at its historical moment. Units publish oldest first, so index
numbers follow publication order.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from gongkai.catalog import services
from gongkai.catalog.models import Entry, Genre, Validity
from gongkai.orgs.models import Org
from gongkai.workdays.calendar import add_workdays, count_workdays, is_workday

from .data import BODY, DIBAO_BODY, POLICY_INTERPRETATION, POLICY_TITLE, REPEATABLE, TITLES, WEIGHTS, resident_id
from .world import Unit

TZ = ZoneInfo("Asia/Shanghai")
LAGS = (0, 1, 1, 2, 2, 3, 5, 8, 12, 25)  # working days from formed to published; 25 is late (Art. 26)
SOCIAL = {"dibao", "tekun", "temporary-assistance"}  # published by the 民政办 (the 信息员's office)
VILLAGE = {"village-matters", "village-finance", "land-transfer", "fundraising"}
FINANCE = {"budget", "final-accounts", "three-public"}
WITH_NUMBER = {"normative", "notices", "other-documents", "plans", "enforcement"}
SUFFIX_GENRE = (
    ("通知", Genre.NOTICE),
    ("公告", Genre.ANNOUNCEMENT),
    ("公示", Genre.PUBLICITY),
    ("公开", Genre.PUBLICITY),
    ("办法", Genre.MEASURES),
    ("规定", Genre.RULES),
    ("意见", Genre.OPINION),
    ("方案", Genre.PLAN),
    ("公报", Genre.REPORT),
)


@dataclass
class Planned:
    slug: str
    title: str
    formed: date
    published_at: datetime
    publisher: Org
    body: str
    then: str = ""  # withdraw | repeal | expire | edit | related (to the entry published as "policy")
    key: str = ""
    attachment: tuple[str, bytes] | None = None


def next_workday(day: date) -> date:
    while not is_workday(day):
        day += timedelta(days=1)
    return day


def workdays_before(day: date, n: int) -> date:
    """The date n working days before ``day`` (so that ``add_workdays(result, n) == day`` for a workday)."""
    while n > 0:
        day -= timedelta(days=1)
        n -= is_workday(day)
    return day


def genre_of(slug: str, title: str) -> str:
    if slug == "news":
        return Genre.NEWS
    if slug == "interpretation":
        return Genre.INTERPRETATION
    bare = title.split("（")[0]
    for suffix, genre in SUFFIX_GENRE:
        if bare.endswith(suffix):
            return genre
    return Genre.OTHER


def fill(template: str, day: date, unit: Unit, village: Org) -> str:
    return template.format(
        y=day.year,
        y0=day.year - 1,
        y2=day.year + 2,
        q=(day.month - 1) // 3 + 1,
        m=day.month,
        u=unit.org.display_name,
        v=village.name,
    )


def dibao_list(unit: Unit, rnd: random.Random, *, full_ids: bool) -> bytes:
    """The 低保 list a village sends: masked for publication, or (``full_ids``) with ID and phone numbers,
    as in journey 1, for the screening to find."""
    surnames = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林"
    lines = ["序号,村（社区）,户主姓名,身份证号码,联系电话,保障人数,月保障金（元）"]
    for n in range(1, 13):
        village = unit.villages[n % len(unit.villages)].name
        name = rnd.choice(surnames) + rnd.choice("建秀国玉志海丽明桂") + rnd.choice("华英强兰军平芳")
        people = rnd.randint(1, 4)
        if full_ids:
            born = date(1950 + rnd.randrange(45), rnd.randint(1, 12), rnd.randint(1, 28))
            id_no, phone = resident_id("330122", born, rnd.randrange(1, 999)), f"139{rnd.randrange(10**8):08d}"
        else:
            name, id_no, phone = name[0] + "**", "330122********" + "****", "139****" + f"{rnd.randrange(10**4):04d}"
        lines.append(f"{n},{village},{name},{id_no},{phone},{people},{people * 1080}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def plan_unit(unit: Unit, rnd: random.Random, count: int, start: date, today: date) -> list[Planned]:
    """``count`` entries published between ``start`` and yesterday, in publication order."""
    last = today - timedelta(days=1)
    out: list[Planned] = []

    def add(
        slug: str,
        title: str,
        formed: date,
        lag: int,
        *,
        body: str = "",
        then: str = "",
        key: str = "",
        attachment: tuple[str, bytes] | None = None,
    ) -> None:
        formed = next_workday(formed)
        if formed > last:
            return
        lag = min(lag, count_workdays(formed, last))  # published by yesterday at the latest
        published = add_workdays(formed, lag) if lag else formed
        minutes = rnd.randrange(8 * 60 + 30, 17 * 60 + 30)
        moment = datetime.combine(published, time(minutes // 60, minutes % 60), tzinfo=TZ)
        body = body or BODY.format(t=title, u=unit.org.display_name)
        out.append(Planned(slug, title, formed, moment, _publisher(unit, slug, rnd), body, then, key, attachment))

    # Every quarter's 低保 list, with the (masked) list attached: search finds 低保 in every unit.
    quarter = date(start.year, 1, 1)
    while quarter <= last:
        title = f"{quarter.year}年第{(quarter.month - 1) // 3 + 1}季度城乡低保对象公示"
        households = rnd.randint(60, 140)
        body = DIBAO_BODY.format(
            u=unit.org.display_name,
            t=title,
            n=households,
            p=households * 2 + rnd.randint(0, 30),
            a=rnd.randint(2, 9),
            s=rnd.randint(1, 6),
        )
        attachment = (f"{title}.csv", dibao_list(unit, rnd, full_ids=False))
        add("dibao", title, quarter + timedelta(days=9), rnd.choice((1, 2, 3)), body=body, attachment=attachment)
        quarter = date(quarter.year + (quarter.month + 2) // 12, (quarter.month + 2) % 12 + 1, 1)

    # A policy and its 政策解读, linked as related information.
    policy_day = start + timedelta(days=130)
    name = unit.org.display_name
    add("normative", POLICY_TITLE.format(u=name), policy_day, 2, key="policy")
    add("interpretation", POLICY_INTERPRETATION.format(u=name), policy_day + timedelta(days=10), 1, then="related")

    slugs = list(TITLES)
    weights = [WEIGHTS.get(s, 1) for s in slugs]
    used: set[str] = {p.title for p in out}
    span = (last - start).days
    while len(out) < count:
        formed = start + timedelta(days=rnd.randrange(span))
        for _attempt in range(6):
            slug = rnd.choices(slugs, weights)[0]
            title = fill(rnd.choice(TITLES[slug]), formed, unit, rnd.choice(unit.villages))
            if slug in REPEATABLE or title not in used:
                break
        used.add(title)
        then = ""
        roll = rnd.random()
        if roll < 0.03:
            then = "withdraw"
        elif slug == "normative" and roll < 0.4:
            then = "repeal"
        elif slug == "notices" and roll < 0.15:
            then = "expire"
        elif roll < 0.08:
            then = "edit"
        add(slug, title, formed, rnd.choice(LAGS), then=then)
    out.sort(key=lambda p: p.published_at)
    return out


def _publisher(unit: Unit, slug: str, rnd: random.Random) -> Org:
    if slug in SOCIAL:
        return unit.clerk_office
    if slug in VILLAGE:
        return rnd.choice(unit.villages)
    if slug in FINANCE and len(unit.offices) > 2:
        return unit.offices[2]
    return rnd.choice([unit.org, unit.org, unit.offices[0]])


def _drafter(unit: Unit, publisher: Org) -> object:
    return unit.clerk if publisher.pk == unit.clerk_office.pk else unit.admin


def publish_history(unit: Unit, plan: list[Planned], today: date, tick: Callable[[], object]) -> list[Entry]:
    numbers: dict[int, int] = {}
    keyed: dict[str, Entry] = {}
    published: list[Entry] = []
    for p in plan:
        drafter = _drafter(unit, p.publisher)
        number = ""
        if p.slug in WITH_NUMBER:
            numbers[p.formed.year] = numbers.get(p.formed.year, 0) + 1
            number = f"{unit.org.display_name[:2]}政发[{p.formed.year}]{numbers[p.formed.year]}号"
        category = unit.categories[p.slug]
        entry = services.create_draft(
            actor=drafter,
            unit=unit.org,
            category=category,
            publisher=p.publisher,
            title=p.title,
            formed_date=p.formed,
            document_number=number,
            genre=genre_of(p.slug, p.title),
            summary=p.title + "。",
            body=p.body,
            topic_words=f"政务公开 {category.name}",
        )
        if p.attachment:
            services.add_attachment(
                actor=drafter, entry=entry, name=p.attachment[0], stream=io.BytesIO(p.attachment[1])
            )
        services.submit_for_review(actor=drafter, entry=entry)
        services.review_pass(actor=unit.reviewer, entry=entry)
        entry = services.publish_as_of(actor=unit.signer, entry=entry, published_at=p.published_at)
        published_on = p.published_at.date()
        if p.then == "withdraw":
            services.withdraw(actor=unit.admin, entry=entry, reason="信息内容有误，已重新发布更正版本")
        elif p.then in ("repeal", "expire"):
            services.set_validity(
                actor=unit.admin,
                entry=entry,
                validity=Validity.REPEALED if p.then == "repeal" else Validity.EXPIRED,
                invalid_date=min(published_on + timedelta(days=200), today),
                comment="已被新办法替代" if p.then == "repeal" else "通知所涉工作已结束",
            )
        elif p.then == "edit":
            services.edit_published(
                actor=unit.admin,
                entry=entry,
                reason="更正内容概述中的错别字",
                summary=f"{p.title}（已更正）。",
            )
        elif p.then == "related" and "policy" in keyed:
            services.set_related(actor=unit.admin, entry=entry, related=[keyed["policy"]])
        if p.key:
            keyed[p.key] = entry
        published.append(entry)
        tick()
    return published


def work_in_progress(unit: Unit, rnd: random.Random, today: date, *, journey_one: bool) -> list[Entry]:
    """One entry in each state for the unit's queues and the timeliness warnings (Art. 26)."""
    name = unit.org.display_name
    office = unit.clerk_office
    cats = unit.categories
    out: list[Entry] = []

    def draft(slug: str, title: str, ago: int, summary: str, *, submit: bool = True) -> Entry:
        """``title`` may use {y} and {m} of the formed date, ``ago`` working days before today."""
        formed = workdays_before(today, ago)
        title = title.format(y=formed.year, m=formed.month, u=name)
        entry = services.create_draft(
            actor=unit.clerk,
            unit=unit.org,
            category=cats[slug],
            publisher=office,
            title=title,
            formed_date=formed,
            genre=genre_of(slug, title),
            summary=summary,
            body=BODY.format(t=title, u=name),
            topic_words=f"政务公开 {cats[slug].name}",
        )
        if slug == "dibao" and journey_one:
            # Journey 1: the village's spreadsheet still carries ID and phone numbers; the reviewer masks them.
            sheet = io.BytesIO(dibao_list(unit, rnd, full_ids=True))
            services.add_attachment(actor=unit.clerk, entry=entry, name="低保新增对象名单（村报送）.csv", stream=sheet)
        if submit:
            services.submit_for_review(actor=unit.clerk, entry=entry)
        out.append(entry)
        return entry

    draft("temporary-assistance", "{y}年{m}月临时救助情况公示", 1, "本月临时救助情况。", submit=False)
    returned = draft("temporary-assistance", "关于{y}年冬季困难群众慰问金发放情况的公示", 6, "冬季慰问金发放情况。")
    services.review_return(actor=unit.reviewer, entry=returned, comment="公示名单缺少所在村（社区），请补充后重新提交")
    draft("tekun", "{y}年{m}月新增特困供养人员名单公示", 16, "本月新增特困供养人员名单。")  # 15+ days: warning
    if journey_one:
        draft("dibao", "{y}年{m}月城乡低保新增对象公示", 2, "本月新增城乡低保对象名单，附村里报送的名单表格。")
    for slug, title, ago in (
        ("news", "{u}开展冬季安全生产大检查", 1),
        (
            "homestead",
            "{y}年{m}月农村宅基地审批结果公示（第二批）",
            22,
        ),  # past the Art. 26 limit (rules: publication): overdue
    ):
        entry = draft(slug, title, ago, "待审签的信息。")
        services.review_pass(actor=unit.reviewer, entry=entry)
    return out
