"""What the demo county is made of: units, titles, texts and applicants. Names and places are invented."""

from __future__ import annotations

from datetime import date
from typing import Any

from gongkai.orgs.codes import uscc_check_char
from gongkai.orgs.models import OrgKind
from gongkai.screening.scanner import id_check_char

DEMO_PASSWORD = "Demo-2025-gk!"
COUNTY_CODE = "QH0001"

COUNTY: dict[str, Any] = {
    "code": COUNTY_CODE,
    "name": "清河县人民政府",
    "kind": OrgKind.COUNTY,
    "slug": "qinghe",
    "short_name": "清河县",
    "office_name": "清河县人民政府办公室（县政务公开办）",
    "address": "清河县府前路8号",
    "office_hours": "工作日 8:30–12:00，14:30–17:30",
    "phone": "0571-88880001",
    "fax": "0571-88880002",
    "email": "gongkai@qinghe.gov.cn",
    "postcode": "311500",
    "website": "http://www.qinghe.gov.cn",
}

#: code, name, kind, slug, short name, offices (code, name, slug), villages (code, name, slug).
#: The second office is where the unit's 信息员 works.
UNITS: list[tuple[str, str, str, str, str, list[tuple[str, str, str]], list[tuple[str, str, str]]]] = [
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

#: Staff names per unit slug: 公开办管理员, 审核人, 审签领导, 信息员.
STAFF_NAMES = {
    "dongshan": ("陈晓梅", "陈立新", "刘建华", "周敏"),
    "xiling": ("孙丽", "吴国平", "郑海涛", "何静"),
    "chengguan": ("林芳", "黄志强", "马俊", "许婷"),
}

#: Category slug → title templates. {y} year, {y0} last year, {y2} two years on, {q} quarter, {m} month,
#: {u} the unit's short name, {v} a village. Weights (how often a column gets an entry) in WEIGHTS.
TITLES: dict[str, list[str]] = {
    "notices": [
        "关于做好{y}年度城乡居民医疗保险征缴工作的通知",
        "关于开展{y}年冬春火灾防控工作的通知",
        "关于{y}年春节期间值班安排的公告",
        "关于开展农村人居环境整治专项行动的通知",
        "关于{y}年度耕地地力保护补贴申报的通知",
    ],
    "normative": ["{u}村级财务管理规定", "{u}集体经济组织收益分配办法", "{u}农村公益性岗位管理办法"],
    "other-documents": ["{u}{y}年安全生产工作要点", "{u}关于加强防汛抗旱工作的意见"],
    "plans": ["{u}{y}年国民经济和社会发展计划", "{u}乡村振兴三年行动方案（{y}—{y2}年）"],
    "budget": ["{u}{y}年部门预算公开", "{u}{y}年财政预算执行情况"],
    "final-accounts": ["{u}{y0}年部门决算公开"],
    "three-public": ["{u}{y0}年“三公”经费决算情况说明"],
    "dibao": ["{y}年{m}月低保金发放情况公示", "{v}{y}年低保动态管理情况公示"],
    "tekun": ["{y}年第{q}季度特困供养人员名单公示"],
    "temporary-assistance": ["{y}年{m}月临时救助情况公示"],
    "land-transfer": ["{v}土地承包经营权流转情况公示（{y}年）"],
    "homestead": ["{y}年{m}月农村宅基地审批结果公示"],
    "land-expropriation": ["{v}集体土地征收补偿安置方案公告"],
    "fundraising": ["{v}{y}年村级公益事业“一事一议”筹资筹劳方案公示"],
    "news": [
        "{u}召开{y}年第{q}季度安全生产工作会议",
        "{u}开展秋季森林防火宣传活动",
        "{u}举办政务公开业务培训",
        "{u}开展“低保政策进村入户”宣传活动",
    ],
    "interpretation": ["图解：{y}年城乡居民医保缴费指南", "一图读懂{u}{y}年财政预算"],
    "emergency": ["{u}防汛应急预案（{y}年修订）"],
    "procurement": ["{u}村道硬化工程采购结果公告"],
    "major-projects": ["{u}污水处理站建设项目批准及实施情况"],
    "personnel": ["{u}{y}年公开招聘村级后备干部公告"],
    "statistics": ["{u}{y0}年国民经济和社会发展统计公报"],
    "licensing": ["{u}{y}年{m}月乡村建设规划许可证核发情况公示"],
    "punishment": ["{u}{y}年{m}月行政处罚决定公示"],
    "enforcement": ["{u}关于依法拆除违法建筑的行政强制决定公告"],
    "village-matters": ["{v}{y}年第{q}季度村务公开", "{v}{y}年{m}月党务公开"],
    "village-finance": ["{v}{y}年{m}月财务收支明细公开"],
    "functions": ["{u}机构职能及领导分工"],
    "fees": ["{u}行政事业性收费项目目录"],
}
WEIGHTS: dict[str, int] = {"news": 6, "notices": 4, "village-matters": 3, "village-finance": 3, "dibao": 3}

#: Once-a-year and one-off titles are not repeated; a second draw picks another column.
REPEATABLE = {"news", "notices", "dibao", "village-matters", "village-finance", "homestead", "licensing", "punishment"}

BODY = (
    "<p>各村（社区）、{u}直各单位：</p><p>为深入贯彻落实《中华人民共和国政府信息公开条例》，进一步做好{t}相关工作，"
    "现将有关事项公布如下。</p><h3>一、工作目标</h3><p>坚持以公开为常态、不公开为例外，推进决策、执行、管理、服务、"
    "结果公开，切实保障人民群众知情权、参与权、表达权和监督权。</p><h3>二、工作要求</h3><p>各单位要明确专人负责，"
    "严格落实保密审查制度，做到依法依规、及时准确公开。</p><p>如有疑问，请在工作日到{u}党政综合办公室咨询。</p>"
)

DIBAO_BODY = (
    "<p>根据《社会救助暂行办法》和省、市最低生活保障工作有关规定，经村（社区）民主评议、{u}审核、"
    "县民政局审批，现将{t}有关情况公示如下。</p><p>本季度全{u}城乡低保对象共 {n} 户 {p} 人，"
    "其中新增 {a} 户、停保 {s} 户；城市低保标准每人每月 1080 元，农村低保标准每人每月 1080 元。</p>"
    "<p>公示期为 7 天。对公示对象有异议的，可在公示期内向{u}民政办或县民政局反映。</p>"
)

#: The 宅基地 policy and its 政策解读: published a few days apart and linked as related information.
POLICY_TITLE = "{u}农村宅基地审批管理办法"
POLICY_INTERPRETATION = "《{u}农村宅基地审批管理办法》政策解读"


def resident_id(region: str, born: date, serial: int) -> str:
    """A resident ID number with a valid check character (GB 11643) for an invented person."""
    first17 = f"{region}{born:%Y%m%d}{serial:03d}"
    return first17 + id_check_char(first17)


def uscc(body: str) -> str:
    """A unified social credit code with a valid check character; ``body`` is characters 3–17 (15 long)."""
    first17 = "91" + body
    return first17 + uscc_check_char(first17)


#: Applicants of the demo cases: key → form fields (the applications' ``clean_applicant`` input).
PEOPLE: dict[str, dict[str, str]] = {}


def _person(key: str, name: str, born: date, serial: int, phone: str, address: str) -> None:
    PEOPLE[key] = {
        "applicant_type": "natural_person",
        "name": name,
        "id_type": "resident_id",
        "id_number": resident_id("330122", born, serial),
        "phone": phone,
        "address": address,
        "postcode": "311500",
    }


_person("wang", "王建国", date(1968, 4, 12), 31, "13905710001", "清河县东山镇李家村3组18号")
_person("li", "李秀英", date(1975, 9, 3), 42, "13905710002", "清河县东山镇白石村5组7号")
_person("zhang", "张伟", date(1982, 1, 26), 15, "13905710003", "清河县城关街道南门社区12幢301室")
_person("liu", "刘桂兰", date(1956, 11, 8), 28, "13905710004", "清河县东山镇人民路45号")
_person("chen", "陈志刚", date(1979, 6, 30), 37, "13905710005", "清河县东山镇李家村1组2号")
_person("yang", "杨帆", date(1991, 3, 14), 53, "13905710006", "清河县城关街道府前路66号2单元")
_person("zhao", "赵明", date(1986, 12, 1), 19, "13905710007", "清河县西岭乡松树村4组9号")
_person("huang", "黄丽华", date(1964, 7, 22), 46, "13905710008", "清河县东山镇白石村2组11号")
_person("zhou", "周国强", date(1972, 2, 17), 33, "13905710009", "清河县东山镇新街18号")
_person("wu", "吴晓燕", date(1988, 10, 5), 24, "13905710010", "清河县城关街道解放路9号")
_person("xu", "徐海波", date(1970, 5, 19), 11, "13905710011", "清河县东山镇李家村6组3号")
_person("sun", "孙玉梅", date(1959, 8, 27), 48, "13905710012", "清河县东山镇白石村1组20号")
_person("ma", "马振华", date(1983, 4, 2), 57, "13905710013", "清河县西岭乡人民路3号")
_person("zhu", "朱建平", date(1966, 9, 15), 22, "13905710014", "清河县东山镇李家村2组15号")


def _org(key: str, kind: str, name: str, code_body: str, contact: str, phone: str, address: str) -> None:
    PEOPLE[key] = {
        "applicant_type": kind,
        "name": name,
        "id_type": "uscc",
        "id_number": uscc(code_body),
        "contact_person": contact,
        "phone": phone,
        "address": address,
        "postcode": "311500",
    }


_org(
    "company",
    "commercial",
    "清河县青山建材有限公司",
    "330122MA2H3K5X4",
    "郑经理",
    "0571-86660001",
    "清河县东山镇工业园区8号",
)
_org(
    "farm",
    "commercial",
    "清河县白石生态农业专业合作社",
    "330122MA2J8N6T2",
    "钱社长",
    "13905710021",
    "清河县东山镇白石村",
)
_org(
    "institute",
    "research",
    "浙江某农业科学研究所",
    "330100MA27QW9E3",
    "何研究员",
    "0571-86660002",
    "杭州市西湖区文三路100号",
)
_org(
    "ngo",
    "public_interest",
    "清河县绿水环保志愿者协会",
    "330122MJ8K2L3M4",
    "林会长",
    "13905710022",
    "清河县城关街道文化路5号",
)
_org(
    "lawfirm",
    "legal_service",
    "浙江清河律师事务所",
    "330122MD3F4G5H6",
    "宋律师",
    "0571-86660003",
    "清河县城关街道府前路20号",
)
_org(
    "committee",
    "other_org",
    "东山镇李家村股份经济合作社",
    "330122N12345678",
    "李主任",
    "13905710023",
    "清河县东山镇李家村村委会",
)
