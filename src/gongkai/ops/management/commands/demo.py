"""``gongkai demo``: a believable county with two townships and a street office, for trying the platform."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from gongkai.accounts.services import create_user
from gongkai.catalog import services
from gongkai.catalog.categories import seed_catalog
from gongkai.catalog.indexing import assign_index_number
from gongkai.catalog.models import Category, Entry, EntryStatus, EntryVersion, Genre, Validity
from gongkai.catalog.timeliness import lag_workdays
from gongkai.orgs.models import Org, OrgKind, Role
from gongkai.orgs.services import create_org, grant_role
from gongkai.workdays.calendar import add_workdays

DEMO_PASSWORD = "Demo-2025-gk!"
TZ = ZoneInfo("Asia/Shanghai")

UNITS = [
    # code, name, kind, slug, short name, offices, villages
    (
        "QH0101",
        "清河县东山镇人民政府",
        OrgKind.TOWNSHIP,
        "dongshan",
        "东山镇",
        [
            ("QH010101", "东山镇党政综合办公室", "ds-dzb"),
            ("QH010102", "东山镇民政办", "ds-mzb"),
            ("QH010103", "东山镇财政所", "ds-czs"),
            ("QH010104", "东山镇农业农村办", "ds-nyb"),
        ],
        [("QH010111", "东山镇李家村", "ds-lijia"), ("QH010112", "东山镇白石村", "ds-baishi")],
    ),
    (
        "QH0102",
        "清河县西岭乡人民政府",
        OrgKind.TOWNSHIP,
        "xiling",
        "西岭乡",
        [("QH010201", "西岭乡党政办", "xl-dzb"), ("QH010202", "西岭乡社会事务办", "xl-swb")],
        [("QH010211", "西岭乡松树村", "xl-songshu")],
    ),
    (
        "QH0201",
        "清河县城关街道办事处",
        OrgKind.STREET,
        "chengguan",
        "城关街道",
        [("QH020101", "城关街道党政办", "cg-dzb"), ("QH020102", "城关街道社区服务中心", "cg-sqzx")],
        [("QH020111", "城关街道南门社区", "cg-nanmen")],
    ),
]

TITLES = {
    "notices": [
        "关于做好{y}年度城乡居民医疗保险征缴工作的通知",
        "关于开展{y}年冬春火灾防控工作的通知",
        "关于{y}年春节期间值班安排的公告",
        "关于开展农村人居环境整治专项行动的通知",
    ],
    "normative": ["{u}农村宅基地审批管理办法", "{u}村级财务管理规定", "{u}集体经济组织收益分配办法"],
    "other-documents": ["{u}{y}年安全生产工作要点", "{u}关于加强防汛抗旱工作的意见"],
    "plans": ["{u}{y}年国民经济和社会发展计划", "{u}乡村振兴三年行动方案（{y}—{y2}年）"],
    "budget": ["{u}{y}年部门预算公开", "{u}{y}年财政预算执行情况"],
    "final-accounts": ["{u}{y0}年部门决算公开"],
    "three-public": ["{u}{y0}年“三公”经费决算情况说明"],
    "dibao": ["{y}年第{q}季度城乡低保对象公示", "{y}年{m}月低保金发放情况公示"],
    "tekun": ["{y}年第{q}季度特困供养人员名单公示"],
    "temporary-assistance": ["{y}年{m}月临时救助情况公示"],
    "land-transfer": ["{v}土地承包经营权流转情况公示（{y}年）"],
    "homestead": ["{y}年{m}月农村宅基地审批结果公示"],
    "land-expropriation": ["{v}集体土地征收补偿安置方案公告"],
    "fundraising": ["{v}{y}年村级公益事业“一事一议”筹资筹劳方案公示"],
    "news": ["{u}召开{y}年第{q}季度安全生产工作会议", "{u}开展秋季森林防火宣传活动", "{u}举办政务公开业务培训"],
    "interpretation": ["《{u}农村宅基地审批管理办法》政策解读", "图解：{y}年城乡居民医保缴费指南"],
    "emergency": ["{u}防汛应急预案（{y}年修订）"],
    "procurement": ["{u}村道硬化工程采购结果公告"],
    "major-projects": ["{u}污水处理站建设项目批准及实施情况"],
    "personnel": ["{u}{y}年公开招聘村级后备干部公告"],
    "statistics": ["{u}{y0}年国民经济和社会发展统计公报"],
    "village-matters": ["{v}{y}年第{q}季度村务公开", "{v}{y}年{m}月党务公开"],
    "village-finance": ["{v}{y}年{m}月财务收支明细公开"],
    "functions": ["{u}机构职能及领导分工"],
    "fees": ["{u}行政事业性收费项目目录"],
}
BODY = (
    "<p>各村（社区）、镇直各单位：</p><p>为深入贯彻落实《中华人民共和国政府信息公开条例》，进一步做好{t}相关工作，"
    "现将有关事项通知如下。</p><h3>一、工作目标</h3><p>坚持以公开为常态、不公开为例外，推进决策、执行、管理、服务、"
    "结果公开，切实保障人民群众知情权、参与权、表达权和监督权。</p><h3>二、工作要求</h3><p>各单位要明确专人负责，"
    "严格落实保密审查制度，做到依法依规、及时准确公开。</p><p>联系电话：{p}</p>"
)


def fill(template: str, day: date, unit: Org, village: Org) -> str:
    return template.format(
        y=day.year,
        y0=day.year - 1,
        y2=day.year + 2,
        q=(day.month - 1) // 3 + 1,
        m=day.month,
        u=unit.display_name,
        v=village.name,
    )


class Command(BaseCommand):
    help = "载入演示数据：一个县、两个乡镇和一个街道，各角色账号，约 300 条信息（重复运行时跳过）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--entries", type=int, default=300, help="信息条数（默认 300）")
        parser.add_argument("--seed", type=int, default=2025)

    def handle(self, *args: Any, **opts: Any) -> None:
        if Org.objects.filter(code="QH0001").exists():
            self.stdout.write("演示数据已存在，跳过。")
            return
        rnd = random.Random(opts["seed"])
        with transaction.atomic():
            county = create_org(
                actor=None,
                code="QH0001",
                name="清河县人民政府",
                kind=OrgKind.COUNTY,
                slug="qinghe",
                short_name="清河县",
                office_name="清河县人民政府办公室（县政务公开办）",
                address="清河县府前路8号",
                office_hours="工作日 8:30–12:00，14:30–17:30",
                phone="0571-88880001",
                fax="0571-88880002",
                email="gongkai@qinghe.gov.cn",
                postcode="311500",
                website="http://www.qinghe.gov.cn",
            )
            seed_catalog(actor=None, unit=county)
            units = []
            for code, name, kind, slug, short, offices, villages in UNITS:
                unit = create_org(
                    actor=None,
                    code=code,
                    name=name,
                    kind=kind,
                    parent=county,
                    slug=slug,
                    short_name=short,
                    office_name=f"{short}党政综合办公室",
                    address=f"清河县{short}人民路{rnd.randint(1, 99)}号",
                    office_hours="工作日 8:30–12:00，14:30–17:30",
                    phone=f"0571-8888{code[-4:]}",
                    fax=f"0571-8889{code[-4:]}",
                    email=f"{slug}@qinghe.gov.cn",
                    postcode="311500",
                    functions=f"{short}负责本辖区经济社会发展、社会管理和公共服务等工作。",
                )
                seed_catalog(actor=None, unit=unit)
                subs = [
                    create_org(actor=None, code=c, name=n, kind=OrgKind.OFFICE, parent=unit, slug=s)
                    for c, n, s in offices
                ]
                vils = [
                    create_org(actor=None, code=c, name=n, kind=OrgKind.VILLAGE, parent=unit, slug=s)
                    for c, n, s in villages
                ]
                units.append((unit, subs, vils))
            accounts = self._accounts(county, units)
        self._entries(rnd, units, accounts, opts["entries"])
        self.stdout.write(self.style.SUCCESS("演示数据已载入。登录地址 /staff/，所有演示账号的密码：" + DEMO_PASSWORD))
        for username, label in accounts["list"]:
            self.stdout.write(f"  {username:<16} {label}")

    def _accounts(self, county: Org, units: list[tuple[Org, list[Org], list[Org]]]) -> dict[str, Any]:
        listing: list[tuple[str, str]] = []
        made: dict[str, Any] = {}

        def user(username: str, name: str, org: Org, role: str) -> Any:
            u = create_user(actor=None, username=username, password=DEMO_PASSWORD, full_name=name)
            grant_role(actor=None, user=u, org=org, role=role)
            listing.append((username, f"{org.name} · {Role(role).label}"))
            made[username] = u
            return u

        user("sysadmin", "系统管理员", county, Role.SYSADMIN)
        user("auditor", "审计员", county, Role.AUDITOR)
        user("county_duban", "县公开办督查", county, Role.SUPERVISOR)
        user("county_admin", "县公开办管理员", county, Role.UNIT_ADMIN)
        for unit, subs, _vils in units:
            p = unit.slug
            user(f"{p}_admin", f"{unit.display_name}公开办", unit, Role.UNIT_ADMIN)
            user(f"{p}_review", f"{unit.display_name}审核人", unit, Role.REVIEWER)
            user(f"{p}_sign", f"{unit.display_name}分管领导", unit, Role.SIGNER)
            user(f"{p}_clerk", f"{subs[1].name}信息员", subs[1], Role.DRAFTER)
        return {"list": listing, **made}

    def _entries(self, rnd: random.Random, units: list[Any], accounts: dict[str, Any], total: int) -> None:
        """Published history is back-dated (as an import from the old system would be); the newest few
        go through the real workflow so every queue has something in it."""
        today = timezone.localdate()
        start = date(today.year - 1, 1, 1)
        slugs = list(TITLES)
        per_unit = max(total // len(units), 1)
        bar = tqdm(total=per_unit * len(units), desc="演示信息", unit="条", disable=None)
        for unit, subs, vils in units:
            p = unit.slug
            admin, clerk, reviewer, signer = (accounts[f"{p}_{r}"] for r in ("admin", "clerk", "review", "sign"))
            cats = {c.slug: c for c in Category.objects.filter(unit=unit)}
            days = sorted(start + timedelta(days=rnd.randrange((today - start).days - 20)) for _ in range(per_unit))
            for i, formed in enumerate(days):
                slug = rnd.choice(slugs)
                title = fill(rnd.choice(TITLES[slug]), formed, unit, rnd.choice(vils))
                publisher = rnd.choice(subs) if rnd.random() < 0.6 else unit
                doc_no = (
                    f"{unit.display_name[:2]}政发[{formed.year}]{i + 1}号"
                    if slug in ("normative", "notices", "other-documents")
                    else ""
                )
                entry = services.create_draft(
                    actor=admin,
                    unit=unit,
                    category=cats[slug],
                    publisher=publisher,
                    title=title,
                    formed_date=formed,
                    document_number=doc_no,
                    genre=Genre.INTERPRETATION
                    if slug == "interpretation"
                    else (Genre.NEWS if slug == "news" else Genre.NOTICE),
                    summary=title + "。",
                    body=BODY.format(t=title, p=unit.phone),
                    topic_words="政务公开 " + cats[slug].name,
                )
                lag = rnd.choice([0, 1, 1, 2, 2, 3, 5, 8, 12, 25])
                published = add_workdays(formed, lag) if lag else formed
                self._backdate_publish(entry, published, admin)
                if rnd.random() < 0.03:
                    services.withdraw(actor=admin, entry=entry, reason="信息内容有误，已重新发布更正版本")
                elif slug == "normative" and rnd.random() < 0.3:
                    services.set_validity(
                        actor=admin,
                        entry=entry,
                        validity=Validity.REPEALED,
                        invalid_date=min(published + timedelta(days=200), today),
                        comment="已被新办法替代",
                    )
                bar.update(1)
            # Work in progress for the queues and the timeliness warnings.
            for k, (slug, days_ago) in enumerate([("notices", 2), ("dibao", 25), ("news", 1), ("homestead", 30)]):
                e = services.create_draft(
                    actor=clerk,
                    unit=unit,
                    category=cats[slug],
                    publisher=subs[1],
                    title=f"{unit.display_name}待办示例{k + 1}：{fill(TITLES[slug][0], today, unit, vils[0])}",
                    formed_date=today - timedelta(days=days_ago),
                    summary="演示用待办信息。",
                    body="<p>演示正文。</p>",
                )
                if k >= 1:
                    services.submit_for_review(actor=clerk, entry=e)
                if k >= 2:
                    services.review_pass(actor=reviewer, entry=e)
            _ = signer
        bar.close()

    @staticmethod
    @transaction.atomic
    def _backdate_publish(entry: Entry, published: date, actor: Any) -> None:
        entry = Entry.objects.select_for_update().get(pk=entry.pk)
        assign_index_number(entry, published.year)
        entry.status = EntryStatus.PUBLISHED
        entry.published_at = datetime.combine(published, time(9, 30), tzinfo=TZ)
        entry.published_date = published
        entry.lag_workdays = lag_workdays(entry.formed_date, published)
        entry.save()
        EntryVersion.objects.create(
            entry=entry, number=1, snapshot={"title": entry.title}, reason="演示数据导入", created_by=actor
        )
