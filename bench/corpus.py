"""Synthetic corpus for benchmarks: N units with the default catalog and M published entries.

Bulk inserts already-published entries with index numbers, bypassing the publication workflow — for
benchmarks only, never for real data. Usage::

    python bench/corpus.py --entries 1000000 --units 1500
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
os.environ.setdefault("GONGKAI_ENV", "development")

PLACES = ["东山", "西河", "南岭", "北坡", "青石", "柳湾", "桃源", "石桥", "新村", "杨家", "李庄", "黄土岭"]
TOPICS = [
    "农村最低生活保障",
    "特困人员救助供养",
    "临时救助",
    "高标准农田建设",
    "农村人居环境整治",
    "宅基地审批",
    "土地承包经营权流转",
    "防汛抗旱",
    "森林防火",
    "安全生产大检查",
    "耕地地力保护补贴",
    "农村危房改造",
    "城乡居民医疗保险",
    "退役军人优抚",
    "残疾人两项补贴",
    "义务教育控辍保学",
    "乡村振兴衔接资金",
    "村级公益事业一事一议",
    "政府采购",
    "财政预算",
    "三公经费",
    "重大建设项目",
    "河长制",
    "垃圾分类",
]
KINDS = [
    ("关于做好{year}年{topic}工作的通知", "通知"),
    ("{place}村{year}年{topic}名单公示", "公示"),
    ("{year}年{topic}实施方案", "方案"),
    ("关于{topic}有关事项的公告", "公告"),
    ("{place}镇{topic}工作情况报告", "报告"),
    ("关于印发《{topic}管理办法》的通知", "通知"),
    ("{topic}政策解读", "解读"),
    ("{place}村召开{topic}专题会议", "动态"),
]
SENTENCES = [
    "为深入贯彻落实上级决策部署，切实做好{topic}工作，结合本镇实际，制定本方案。",
    "各村（社区）要高度重视，明确责任分工，确保各项措施落到实处。",
    "对符合条件的对象，经村民代表大会评议、镇人民政府审核后予以公示，公示期为七天。",
    "公示期间如有异议，请向镇人民政府{topic}工作办公室反映，联系电话见本单位公开指南。",
    "本通知自发布之日起施行，由镇人民政府负责解释。",
]
#: More government prose, so bodies reach 300–3,000 characters the way real notices and plans do.
PARAGRAPHS = [
    "一、指导思想。坚持以人民为中心的发展思想，围绕{topic}目标任务，统筹推进各项工作，"
    "着力解决群众急难愁盼问题，不断增强人民群众的获得感、幸福感、安全感。",
    "二、工作目标。到{year}年底，{place}村{topic}工作机制进一步健全，政策落实率达到百分之百，"
    "群众满意度明显提升，形成可复制、可推广的经验做法。",
    "三、主要任务。（一）摸清底数。各村要组织力量开展全面排查，逐户登记造册，建立工作台账，做到不漏一户、不落一人。"
    "（二）规范程序。严格执行申请、审核、审批、公示等程序，做到公开、公平、公正。",
    "（三）强化监管。镇纪委、财政所要加强对{topic}资金使用情况的监督检查，严禁截留、挤占、挪用，"
    "对违规违纪问题依法依规严肃处理。",
    "四、保障措施。成立由镇党委书记任组长、镇长任副组长，各分管领导和相关站所负责人为成员的工作领导小组，"
    "领导小组办公室设在镇{office}，负责日常工作的组织协调和督促检查。",
    "五、有关要求。各村、各单位要把{topic}工作列入重要议事日程，主要负责人亲自抓，分管负责人具体抓，"
    "确保责任到人、措施到位。工作中遇到的重大问题要及时向镇人民政府报告。",
    "经{place}村村民代表大会民主评议、镇人民政府审核，现将{year}年度{topic}拟享受对象名单予以公示。"
    "公示时间为{year}年{month}月{day}日至{month}月{day2}日。",
    "根据《中华人民共和国政府信息公开条例》和上级有关文件精神，现将本镇{year}年{topic}工作开展情况报告如下。"
    "全年共投入资金{money}万元，惠及群众{people}人。",
    "下一步，我镇将继续加大工作力度，完善长效机制，强化宣传引导，推动{topic}工作提质增效，"
    "为全面推进乡村振兴、加快建设宜居宜业和美乡村作出新的更大贡献。",
    "联系人：{office}工作人员，联系电话：0571-8888{phone}，办公地址：镇人民政府便民服务中心二楼。",
]
OFFICES = ["党政综合办公室", "民政办", "财政所", "农业农村办", "应急管理办", "社会事务办", "经济发展办"]


def body_html(rng: random.Random, topic: str, place: str, year: int) -> str:
    """A body of 300–3,000 characters (log-uniform, as short notices outnumber long plans)."""
    target = int(300 * (10 ** rng.random()))
    parts: list[str] = []
    length = 0
    while length < target:
        if rng.random() < 0.3:
            text = rng.choice(SENTENCES).format(topic=topic)
        else:
            text = rng.choice(PARAGRAPHS).format(
                topic=rng.choice(TOPICS) if rng.random() < 0.2 else topic,
                place=place,
                year=year,
                month=rng.randint(1, 12),
                day=rng.randint(1, 20),
                day2=rng.randint(21, 28),
                money=rng.randint(5, 900),
                people=rng.randint(20, 9000),
                office=rng.choice(OFFICES),
                phone=f"{rng.randint(0, 9999):04d}",
            )
        parts.append(f"<p>{text}</p>")
        length += len(text)
    return "".join(parts)


def _setup() -> None:
    import django

    django.setup()


def _catalog_nodes() -> list[dict[str, Any]]:
    from gongkai.catalog.categories import load_default_catalog

    return load_default_catalog()


def make_units(count: int, rng: random.Random) -> list[Any]:
    from gongkai.orgs.models import Org, OrgKind

    county = Org.objects.filter(kind=OrgKind.COUNTY, parent=None).first()
    if county is None:
        county = Org.objects.create(
            code="BENCH0000", name="基准县人民政府", short_name="基准县", slug="bench", kind=OrgKind.COUNTY, path="/"
        )
    start = Org.objects.filter(code__startswith="BT").count()
    new = [
        Org(
            code=f"BT{start + i:07d}",
            name=f"基准县{rng.choice(PLACES)}{start + i}镇人民政府",
            short_name=f"{start + i}镇",
            slug=f"t{start + i}",
            kind=OrgKind.TOWNSHIP,
            parent=county,
            path=f"{county.path}{county.pk}/",
            sort_order=start + i,
            phone="0571-8888" + f"{i % 10000:04d}",
        )
        for i in range(count)
    ]
    Org.objects.bulk_create(new, batch_size=2000)
    return list(Org.objects.filter(code__in=[o.code for o in new]).order_by("id"))


def make_categories(units: list[Any]) -> dict[int, list[int]]:
    """The default catalog for every unit, one bulk insert per tree level. Returns leaf ids per unit."""
    from gongkai.catalog.models import Category

    level: list[tuple[Any, Category | None, list[dict[str, Any]]]] = [(u, None, _catalog_nodes()) for u in units]
    leaves: dict[int, list[int]] = {u.pk: [] for u in units}
    while level:
        rows, pending = [], []
        for unit, parent, nodes in level:
            for order, node in enumerate(nodes):
                cat = Category(
                    unit=unit,
                    parent=parent,
                    name=node["name"],
                    slug=node["slug"],
                    sort_order=order,
                    freshness=node.get("freshness", "none"),
                    path=f"{parent.path}{parent.pk}/" if parent else "/",
                )
                rows.append(cat)
                pending.append((unit, cat, node.get("children", [])))
        Category.objects.bulk_create(rows, batch_size=5000)
        if rows and rows[0].pk is None:  # backends without RETURNING: look the ids up
            by_key = {(c.unit_id, c.slug): c.pk for c in Category.objects.filter(unit__in=units)}
            for c in rows:
                c.pk = by_key[(c.unit_id, c.slug)]
        level = []
        for unit, cat, children in pending:
            if children:
                level.append((unit, cat, children))
            else:
                leaves[unit.pk].append(cat.pk)
    return leaves


def make_entries(
    units: list[Any], leaves: dict[int, list[int]], total: int, rng: random.Random, years: int = 10, batch: int = 5000
) -> int:
    from tqdm import tqdm

    from gongkai.accounts.services import create_user
    from gongkai.catalog.models import Entry, EntryStatus, Genre, IndexCounter

    User = __import__("django.contrib.auth", fromlist=["get_user_model"]).get_user_model()
    user = User.objects.filter(username="bench").first() or create_user(
        actor=None, username="bench", password="Bench-2025!x", full_name="基准测试"
    )
    today = date.today()
    first_day = today - timedelta(days=365 * years)
    serials: dict[tuple[int, int], int] = {}
    genres = set(Genre.values)
    made = 0
    bar = tqdm(total=total, unit="条", desc="生成信息")
    while made < total:
        rows = []
        for _ in range(min(batch, total - made)):
            unit = units[rng.randrange(len(units))]
            day = first_day + timedelta(days=int((rng.random() ** 0.7) * (today - first_day).days))
            formed = day - timedelta(days=rng.randint(0, 15))
            topic, place = rng.choice(TOPICS), rng.choice(PLACES)
            template, genre = rng.choice(KINDS)
            key = (unit.pk, day.year)
            serials[key] = serials.get(key, 0) + 1
            body = body_html(rng, topic, place, day.year)
            rows.append(
                Entry(
                    unit=unit,
                    publisher=unit,
                    category_id=rng.choice(leaves[unit.pk]),
                    title=template.format(year=day.year, topic=topic, place=place)[:200],
                    summary=f"{topic}相关信息。",
                    body=body,
                    index_number=f"{unit.code}/{day.year}-{serials[key]:05d}",
                    index_year=day.year,
                    index_serial=serials[key],
                    document_number=f"{place}政发〔{day.year}〕{serials[key]}号",
                    genre=genre if genre in genres else "其他",
                    formed_date=formed,
                    published_at=datetime(day.year, day.month, day.day, 9, rng.randint(0, 59), tzinfo=UTC),
                    published_date=day,
                    status=EntryStatus.PUBLISHED,
                    created_by=user,
                    topic_words=topic,
                )
            )
        Entry.objects.bulk_create(rows, batch_size=batch)
        made += len(rows)
        bar.update(len(rows))
    bar.close()
    IndexCounter.objects.bulk_create(
        [IndexCounter(unit_id=u, year=y, last_serial=s) for (u, y), s in serials.items()],
        update_conflicts=True,
        unique_fields=["unit", "year"],
        update_fields=["last_serial"],
    )
    return made


def generate(entries: int, units: int, seed: int = 2025) -> dict[str, Any]:
    rng = random.Random(seed)
    started = time.monotonic()
    orgs = make_units(units, rng)
    leaves = make_categories(orgs)
    made = make_entries(orgs, leaves, entries, rng)
    return {"units": orgs, "entries": made, "seconds": time.monotonic() - started}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="生成基准测试用的合成语料（批量写入已发布信息，仅用于基准测试）")
    parser.add_argument("--entries", type=int, default=10_000, help="信息条数")
    parser.add_argument("--units", type=int, default=15, help="乡镇（公开主体）个数")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--migrate", action="store_true", help="先执行数据库迁移")
    args = parser.parse_args(argv)
    _setup()
    if args.migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    result = generate(args.entries, args.units, args.seed)
    print(
        f"corpus: {result['entries']} entries in {len(result['units'])} units, {result['seconds']:.1f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
