"""The default 基层政务公开标准目录 has the 26 pilot areas of 国办发〔2019〕54号 (spec §3.4), each a child of
``standard-catalog`` in the same shape, plus the 未涉及领域事项说明 page."""

from gongkai.catalog.categories import load_default_catalog, seed_catalog
from gongkai.catalog.models import Category

# spec/regulation.md §3.4, in its order (current names: 城乡规划, 乡村振兴（扶贫）, 卫生健康, 生态环境).
AREAS = [
    "城乡规划",
    "重大建设项目",
    "公共资源交易",
    "财政预决算",
    "安全生产",
    "税收管理",
    "征地补偿",
    "国有土地上房屋征收与补偿",
    "农村危房改造",
    "城市综合执法",
    "乡村振兴（扶贫）",
    "救灾",
    "食品药品监管",
    "就业",
    "社会救助",
    "养老服务",
    "户籍管理",
    "涉农补贴",
    "卫生健康",
    "生态环境",
    "公共文化服务",
    "义务教育",
    "公共法律服务",
    "市政服务",
    "保障性住房",
    "社会保险",
]


def _standard() -> dict:
    return next(node for node in load_default_catalog() if node["slug"] == "standard-catalog")


def test_the_26_areas_in_the_data_file():
    children = _standard()["children"]
    assert [c["name"] for c in children] == [*AREAS, "未涉及领域事项说明"]
    assert len(AREAS) == 26
    assert all(set(c) == {"name", "slug"} and c["slug"].startswith("std-") for c in children)
    slugs = []

    def walk(nodes):
        for node in nodes:
            slugs.append(node["slug"])
            walk(node.get("children", []))

    walk(load_default_catalog())
    assert len(slugs) == len(set(slugs)), "slugs are unique within a unit"


def test_a_new_unit_gets_tax_and_urban_enforcement(tree):
    parent = Category.objects.get(unit=tree.town, slug="standard-catalog")
    names = list(Category.objects.filter(parent=parent).order_by("sort_order").values_list("name", flat=True))
    assert names == [*AREAS, "未涉及领域事项说明"]
    assert Category.objects.get(unit=tree.town, slug="std-tax").name == "税收管理"
    assert Category.objects.get(unit=tree.town, slug="std-urban-enforcement").name == "城市综合执法"


def test_seeding_again_adds_only_what_is_missing(tree):
    Category.objects.filter(unit=tree.town, slug__in=["std-tax", "std-urban-enforcement"]).delete()
    before = Category.objects.filter(unit=tree.town).count()
    assert seed_catalog(actor=None, unit=tree.town) == 2
    assert Category.objects.filter(unit=tree.town).count() == before + 2
