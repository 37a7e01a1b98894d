"""About forty 依申请公开 cases over the two years, through the applications services.

Every case is a receipt date and a list of steps dated in working days after receipt (or on a fixed date).
All steps of all cases run in one timeline, oldest first, so tracking numbers, letter numbers and each
applicant's monthly item count come out as they would in a real office. A step that would fall after today
is not taken: the case stays open there. Open cases are dated back from today, so the queue, the due-soon
and the overdue counts always have something in them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from gongkai.applications import handling, intake, letters, replies
from gongkai.applications.choices import AppealKind, AppealOutcome, Channel, ConsultationParty, FeeBasis
from gongkai.applications.models import Appeal, Application
from gongkai.workdays.calendar import add_workdays

from .data import PEOPLE
from .entries import next_workday, workdays_before
from .world import Unit, World

At = int | date  # working days after receipt, or a fixed date


@dataclass(frozen=True)
class Step:
    kind: str
    at: At
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    unit: str
    applicant: str
    channel: str
    received: date  # the receipt date of Art. 31 (online, fax, e-mail: the day both sides confirm)
    description: str
    steps: tuple[Step, ...] = ()
    submitted: date | None = None  # when the applicant sent it (letters are posted, online forms submitted)
    confirm: bool = True  # online/fax: staff confirm receipt on ``received``; False leaves it 待确认收到
    oral: bool = False
    item_count: int = 1
    info_form: str = "paper"
    delivery: str = "post"
    extra: dict[str, str] = field(default_factory=dict)


def step(what: str, at: At, **args: Any) -> Step:
    return Step(what, at, args)


def reply(at: At, result: str, content: str = "", **args: Any) -> Step:
    return Step("reply", at, {"result": result, "content": content, **args})


def letter(at: At, kind: str) -> Step:
    return Step("letter", at, {"kind": kind})


def plan(y0: int, today: date) -> list[Case]:
    """The cases. ``y0`` is the first of the two demo years; open cases are placed relative to ``today``."""
    y1 = y0 + 1

    def d(month: int, day: int, year: int = y0) -> date:
        return next_workday(date(year, month, day))

    def ago(n: int) -> date:
        return workdays_before(today, n)

    ds = "dongshan"
    reply_after = 9  # demo timing, not a statutory period
    first_received = d(2, 18)
    first_answer = add_workdays(first_received, reply_after)  # the first case's reply, which a later case repeats
    third = ConsultationParty.THIRD_PARTY
    return [
        # ---- first year -------------------------------------------------------------------------------------
        Case(
            ds,
            "li",
            Channel.ONLINE,
            d(2, 18),
            f"东山镇{y0 - 1}年度城乡低保资金发放明细",
            (reply(9, "granted"), letter(9, "grant")),
            submitted=date(y0, 2, 17),
            info_form="electronic",
            delivery="email",
            extra={"email": "lixiuying@example.com"},
        ),
        Case(
            ds,
            "liu",
            Channel.IN_PERSON,
            d(3, 5),
            f"李家村{y0 - 1}年村级财务收支明细",
            (reply(2, "granted", proactive_location="东山镇政府信息公开网站“村务公开 › 财务公开”栏目"),),
        ),
        Case(
            ds,
            "company",
            Channel.LETTER_REGISTERED,
            d(3, 24),
            "东山镇工业园区周边企业排污许可及监督检查记录",
            (
                step("consult", 5, party=third, who="东山镇某机械加工厂", matter="该厂的生产工艺和排放数据"),
                step("delivered", 7),  # the registered letter was signed for two days later (Art. 32 counts from it)
                step("consulted", 14, outcome="第三方书面反对公开，认为涉及其商业秘密"),
                reply(18, "withheld.third_party_rights", "涉及第三方企业的生产工艺和经营数据，第三方不同意公开"),
                step(
                    "appeal",
                    d(5, 20),
                    kind=AppealKind.RECONSIDERATION,
                    authority="清河县人民政府",
                    case_number=f"清政复〔{y0}〕7号",
                ),
                step("decide", d(7, 15), outcome=AppealOutcome.CORRECTED),
                step(
                    "appeal",
                    d(3, 10, y1),
                    kind=AppealKind.LITIGATION_AFTER,
                    authority="清河县人民法院",
                    case_number=f"（{y1}）浙0122行初15号",
                ),
            ),
            submitted=date(y0, 3, 20),
        ),
        Case(
            ds,
            "chen",
            Channel.SERVICE_WINDOW,
            d(4, 8),
            "镇党委会议研究李家村村委会换届工作的会议记录",
            (reply(6, "withheld.process_information", "所申请的会议记录属于讨论记录，为过程性信息"),),
        ),
        Case(
            ds,
            "institute",
            Channel.EMAIL,
            d(4, 22),
            "东山镇2020年以来耕地保护和土地利用变化情况分析",
            (reply(8, "unable.needs_creation"),),
            info_form="electronic",
            delivery="email",
            extra={"email": "keyansuo@example.com"},
        ),
        Case(
            ds,
            "huang",
            Channel.LETTER_ORDINARY,
            d(5, 12),
            "关于村里那块地的文件",
            (
                step("correct", 3, items="请写明所需文件涉及的村组、地块位置和大致年份", days=10),
                step("corrected", 8, note="申请人来电补充为白石村，但未说明地块和年份"),
                reply(14, "unable.still_unclear"),
            ),
        ),
        Case(
            ds,
            "sun",
            Channel.SERVICE_WINDOW,
            d(6, 3),
            "反映邻居违章搭建占用道路，要求镇政府处理",
            (reply(3, "not_processed.petition_complaint"),),
            oral=True,
        ),
        Case(
            ds,
            "zhao",
            Channel.ONLINE,
            d(6, 10),
            f"西岭乡松树村{y0 - 1}年道路硬化工程资金使用情况",
            (
                step("transfer", d(6, 11), to="xiling"),
                step("confirm", d(6, 12)),
                reply(d(6, 20), "granted"),
            ),
            submitted=date(y0, 6, 9),
            confirm=False,
        ),
        Case(
            ds,
            "lawfirm",
            Channel.LETTER_REGISTERED,
            d(6, 16),
            f"东山镇{y0 - 2}年至{y0 - 1}年全部土地征收项目的征收批复、补偿登记表和安置协议（约 120 页）",
            (
                step("fee", 6, basis=FeeBasis.PER_PAGE, quantity=120),
                letter(6, "fee"),
                step("paid", 12),
                reply(15, "granted"),
            ),
            submitted=date(y0, 6, 12),
        ),
        Case(
            ds,
            "farm",
            Channel.ONLINE,
            d(7, 7),
            "东山镇各村土地流转合同、流转费支付凭证等 15 项材料",
            (
                step("fee", 5, basis=FeeBasis.PER_ITEM, quantity=15, delivered=6),
                step("lapse_fee", 28),
            ),
            submitted=date(y0, 7, 6),
            item_count=15,
        ),
        Case(
            ds,
            "zhou",
            Channel.FAX,
            d(8, 4),
            "镇里的补助",
            (
                step("correct", 4, items="请写明所需补助的名称、发放年度和涉及的村组", days=15),
                step("lapse_correction", 24),
            ),
        ),
        Case(
            ds,
            "ngo",
            Channel.IN_PERSON,
            d(8, 25),
            f"《清河县统计年鉴（{y0 - 1}）》中东山镇部分",
            (reply(3, "not_processed.publication", proactive_location="清河县图书馆及县统计局门户网站"),),
        ),
        Case(
            ds,
            "wang",
            Channel.ONLINE,
            d(9, 16),
            f"{y0 - 1}年李家村土地征收补偿标准",
            (
                step("correct", 3, items="请明确所需补偿标准涉及的村民小组和征收批次", days=14),
                letter(3, "correction"),
                step("corrected", 8, note="申请人补充为李家村3组、第二批次征收"),
                step("consult", 10, party=third, who="清河县东山石料厂", matter="补偿协议中该厂的经营数据"),
                letter(10, "consultation"),
                step("consulted", 22, outcome="第三方对其中两段涉及企业经营数据的内容不同意公开"),
                step("extend", 26, days=10, reason="涉及多个村民小组的补偿档案，需调取档案并作区分处理"),
                letter(26, "extension"),
                reply(33, "partly_granted", "补偿协议中涉及第三方企业经营数据的两段，第三方不同意公开，已作区分处理"),
                letter(33, "partial"),
                step(
                    "appeal",
                    d(12, 10),
                    kind=AppealKind.RECONSIDERATION,
                    authority="清河县人民政府",
                    case_number=f"清政复〔{y0}〕21号",
                ),
                step("decide", d(2, 10, y1), outcome=AppealOutcome.UPHELD),
            ),
            submitted=date(y0, 9, 15),
        ),
        Case(
            ds,
            "xu",
            Channel.IN_PERSON,
            d(10, 20),
            "镇政府机关食堂的采购和经费管理制度",
            (reply(5, "withheld.internal_affairs", "机关食堂管理属于后勤管理的内部事务信息"),),
        ),
        Case(
            ds,
            "committee",
            Channel.LETTER_REGISTERED,
            d(11, 5),
            f"东山镇{y0}年度农村集体经济发展扶持资金分配方案",
            (reply(10, "partly_granted", "分配方案中涉及个人银行账户的部分不予公开"),),
            submitted=date(y0, 11, 3),
        ),
        Case(
            ds,
            "yang",
            Channel.OTHER,
            d(11, 17),
            "东山镇征兵工作中涉密的兵员征集计划",
            (reply(4, "withheld.state_secret"),),
        ),
        Case(
            ds,
            "chen",
            Channel.EMAIL,
            d(12, 1),
            f"东山镇{y0}年第三季度城乡低保对象名单",
            (reply(3, "granted", proactive_location="东山镇政府信息公开网站“社会救助 › 低保”栏目"),),
            info_form="electronic",
            delivery="email",
            extra={"email": "chenzhigang@example.com"},
        ),
        # Journey 3: a registered letter signed for on 31 December, answered in January.
        Case(
            ds,
            "zhang",
            Channel.LETTER_REGISTERED,
            date(y0, 12, 31),
            f"东山镇{y0}年农村危房改造补助对象名单及补助标准",
            (reply(date(y1, 1, 16), "granted"), letter(date(y1, 1, 16), "grant")),
            submitted=date(y0, 12, 29),
        ),
        # ---- second year ------------------------------------------------------------------------------------
        Case(
            ds,
            "ma",
            Channel.IN_PERSON,
            d(1, 12, y1),
            f"白石村{y0}年“一事一议”筹资筹劳项目决算",
            (reply(5, "granted"),),
        ),
        Case(
            ds,
            "wu",
            Channel.ONLINE,
            d(2, 26, y1),
            "东山镇综合行政执法队对某餐馆的行政处罚案卷",
            (
                reply(9, "withheld.law_enforcement_file", "所申请的材料属于行政执法案卷"),
                step(
                    "appeal",
                    d(4, 7, y1),
                    kind=AppealKind.LITIGATION_DIRECT,
                    authority="清河县人民法院",
                    case_number=f"（{y1}）浙0122行初6号",
                ),
                step("decide", d(9, 18, y1), outcome=AppealOutcome.UPHELD),
            ),
            submitted=date(y1, 2, 25),
        ),
        Case(
            ds,
            "ngo",
            Channel.EMAIL,
            d(3, 9, y1),
            "东山镇污水处理站建设项目环境影响评价文件",
            (
                step("consult", 4, party=ConsultationParty.OTHER_AGENCY, who="清河县生态环境分局"),
                step("consulted", 9, outcome="县生态环境分局回函同意公开"),
                reply(12, "granted"),
            ),
            info_form="electronic",
            delivery="email",
            extra={"email": "lvshui@example.org"},
        ),
        Case(
            ds,
            "zhu",
            Channel.LETTER_ORDINARY,
            d(3, 23, y1),
            "某村民的不动产登记资料",
            (
                reply(
                    4,
                    "withheld.administrative_query",
                    "不动产登记资料请依照《不动产登记资料查询暂行办法》向县不动产登记中心查询",
                ),
            ),
        ),
        Case(
            ds,
            "li",
            Channel.ONLINE,
            d(4, 13, y1),
            f"东山镇{y0 - 1}年度城乡低保资金发放明细",
            (reply(2, "not_processed.repeated", f"本机关已于{first_answer:%Y年%m月%d日}就同一内容作出答复"),),
            submitted=date(y1, 4, 12),
        ),
        Case(
            ds,
            "institute",
            Channel.FAX,
            d(5, 11, y1),
            "东山镇2010年以来历年农业产值及农户收入统计数据",
            (reply(7, "granted"),),
            extra={"email": "keyansuo@example.com"},
            info_form="electronic",
            delivery="email",
        ),
        Case(
            ds,
            "huang",
            Channel.SERVICE_WINDOW,
            d(5, 25, y1),
            "镇政府出具的本人户籍证明复印件，要求重新盖章确认",
            (reply(2, "not_processed.confirm_or_reissue"),),
        ),
        Case(
            ds,
            "company",
            Channel.ONLINE,
            d(6, 15, y1),
            "东山镇全部政府采购项目的招标文件、投标文件和评标记录（每周申请一次）",
            (reply(10, "not_processed.excessive", "申请人一年内就同类事项提出申请 46 件，经要求说明理由，理由不合理"),),
            submitted=date(y1, 6, 14),
        ),
        Case(
            ds,
            "xu",
            Channel.IN_PERSON,
            d(6, 29, y1),
            "县公安局对东山镇某案件的侦查材料",
            (reply(4, "withheld.prohibited_by_law", "《中华人民共和国刑事诉讼法》规定侦查材料不得公开"),),
        ),
        Case(
            ds,
            "lawfirm",
            Channel.EMAIL,
            d(7, 13, y1),
            "东山镇与某企业签订的招商引资协议",
            (
                step("consult", 3, party=third, who="浙江某投资有限公司", matter="协议中的优惠条款"),
                step("consulted", 13, outcome="第三方同意公开协议正文，不同意公开附件中的财务数据"),
                step("extend", 19, days=15, reason="协议附件较多，需逐页作区分处理"),
                reply(27, "partly_granted", "协议附件中的企业财务数据涉及商业秘密，第三方不同意公开"),
            ),
            info_form="electronic",
            delivery="email",
            extra={"email": "qinghelaw@example.com"},
        ),
        Case(
            ds,
            "yang",
            Channel.ONLINE,
            d(8, 3, y1),
            "清河县自然资源和规划局对东山镇的土地利用总体规划批复",
            (
                reply(6, "unable.not_held", referred_agency="清河县自然资源和规划局（电话 0571-88881234）"),
                step(
                    "appeal",
                    d(8, 31, y1),
                    kind=AppealKind.RECONSIDERATION,
                    authority="清河县人民政府",
                    case_number=f"清政复〔{y1}〕12号",
                ),
                step("decide", d(9, 28, y1), outcome=AppealOutcome.OTHER),
            ),
            submitted=date(y1, 8, 2),
        ),
        Case(
            ds,
            "zhou",
            Channel.ONLINE,
            d(8, 17, y1),
            "东山镇应对群体性事件的处置预案及维稳力量部署",
            (
                reply(
                    8, "withheld.three_securities_one_stability", "处置预案和力量部署公开后可能危及公共安全和社会稳定"
                ),
            ),
            submitted=date(y1, 8, 16),
        ),
        Case(
            ds,
            "committee",
            Channel.OTHER,
            d(9, 7, y1),
            "镇政府对李家村股份经济合作社章程修改的备案意见",
            (reply(6, "other.other", "经与申请人沟通，申请人表示已从县农业农村局取得所需材料，撤回申请"),),
        ),
        Case(
            ds,
            "farm",
            Channel.LETTER_REGISTERED,
            d(9, 21, y1),
            f"东山镇{y1}年耕地地力保护补贴发放名册",
            (reply(9, "granted"),),
            submitted=date(y1, 9, 18),
        ),
        Case(
            ds,
            "sun",
            Channel.IN_PERSON,
            d(10, 19, y1),
            f"白石村{y1}年农村危房改造补助资金拨付情况",
            (reply(3, "granted"),),
        ),
        # ---- still open (relative to today) -------------------------------------------------------------------
        Case(
            ds,
            "liu",
            Channel.ONLINE,
            today,
            f"李家村{y1}年村级公益事业建设项目清单",
            submitted=today - timedelta(days=1),
            confirm=False,
        ),
        Case(
            ds,
            "ma",
            Channel.FAX,
            today,
            "东山镇敬老院改扩建项目的批复文件",
            submitted=today - timedelta(days=1),
            confirm=False,
        ),
        Case(ds, "wang", Channel.IN_PERSON, ago(17), f"李家村{y1}年集体土地征收补偿款发放明细"),
        Case(ds, "zhu", Channel.LETTER_REGISTERED, ago(24), "东山镇农贸市场改造项目的招标文件", submitted=ago(26)),
        Case(
            ds,
            "chen",
            Channel.IN_PERSON,
            ago(4),
            "关于那次开会的材料",
            (step("correct", 2, items="请写明会议的名称、大致时间和所需材料的名称", days=10),),
        ),
        Case(
            ds,
            "company",
            Channel.LETTER_REGISTERED,
            ago(12),
            "东山镇工业园区供地项目的出让合同",
            (step("consult", 6, party=third, who="清河县东山石料厂", matter="出让合同中的价款和付款安排"),),
            submitted=ago(14),
        ),
        Case(
            ds,
            "lawfirm",
            Channel.IN_PERSON,
            ago(7),
            f"东山镇{y0}年以来全部行政处罚决定书（约 80 页）",
            (step("fee", 3, basis=FeeBasis.PER_PAGE, quantity=80),),
        ),
        Case(
            ds,
            "yang",
            Channel.EMAIL,
            ago(2),
            f"东山镇{y1}年民生实事项目进展情况",
            info_form="electronic",
            delivery="email",
            extra={"email": "yangfan@example.com"},
        ),
        Case(
            ds,
            "ngo",
            Channel.SERVICE_WINDOW,
            ago(26),
            "东山镇河道保洁和水质监测合同及考核结果",
            (step("extend", 18, days=15, reason="监测报告分散在三个村，需汇总核对"),),
        ),
        Case(
            ds,
            "xu",
            Channel.LETTER_REGISTERED,
            ago(12),
            "东山镇各村2016年以来全部村级财务凭证及会计账簿",
            # 《条例》第三十五条: far beyond a reasonable quantity; the stated reason (writing a village history) is
            # reasonable, but the copies cannot be made within the Art. 33 answer period
            (
                step(
                    "reasonable",
                    8,
                    days=60,
                    reason="申请公开九个村十年全部财务凭证约 1.2 万页，申请人说明用于编写村志，理由合理，"
                    "需分批调取、逐页区分处理",
                ),
            ),
            submitted=ago(14),
        ),
        # ---- the other units: a few cases each, for their reports and the county bulletin --------------------
        Case(
            "xiling",
            "zhao",
            Channel.EMAIL,
            d(10, 13),
            f"西岭乡{y0}年森林防火专项经费使用情况",
            (reply(7, "unable.not_held", referred_agency="清河县林业局（电话 0571-88882345）"),),
            info_form="electronic",
            delivery="email",
            extra={"email": "zhaoming@example.com"},
        ),
        Case("xiling", "ma", Channel.IN_PERSON, d(5, 18, y1), f"松树村{y1}年村务公开栏内容", (reply(4, "granted"),)),
        Case(
            "chengguan",
            "wu",
            Channel.IN_PERSON,
            d(6, 9),
            f"南门社区{y0 - 1}年老旧小区改造项目资金使用情况",
            (reply(12, "partly_granted", "涉及施工单位银行账户的部分不予公开"),),
        ),
        # Answered after the answer period (rules: answer) without an extension: the county bulletin counts it.
        Case(
            "chengguan",
            "zhang",
            Channel.LETTER_REGISTERED,
            d(9, 1, y1),
            f"城关街道{y1}年背街小巷整治工程合同",
            (reply(24, "granted"),),
            submitted=d(8, 28, y1),
        ),
        Case("chengguan", "yang", Channel.IN_PERSON, ago(16), f"城关街道{y1}年老年食堂运营补贴发放情况"),
    ]


@dataclass
class Outcome:
    cases: list[Application] = field(default_factory=list)
    letters: int = 0
    tracked: tuple[str, str] | None = None  # (tracking number, query code) of journey 2's case


def load(
    world: World,
    cases: list[Case],
    today: date,
    *,
    with_letters: bool = False,
    tick: Callable[[], object] = lambda: None,
) -> Outcome:
    """Run every case's steps in one timeline, oldest first. ``with_letters`` also issues the letters the
    plan names (numbered and frozen here; the worker renders their DOCX and PDF, so they stay queued until it
    runs); by default staff generate them from the case page."""
    timeline: list[tuple[date, int, int, Step]] = []
    for ci, case in enumerate(cases):
        last = case.submitted or case.received
        timeline.append((last, ci, -1, Step("create", last)))
        if case.channel in (Channel.ONLINE, Channel.FAX) and case.confirm:
            timeline.append((case.received, ci, 0, Step("confirm", case.received)))
        for si, s in enumerate(case.steps, start=1):
            on = s.at if isinstance(s.at, date) else (add_workdays(case.received, s.at) if s.at else case.received)
            assert on >= last, f"case {ci} ({case.description}): step {s.kind} on {on} is before {last}"
            last = on
            timeline.append((on, ci, si, s))
    timeline.sort(key=lambda t: (t[0], t[1], t[2]))

    out = Outcome()
    apps: dict[int, Application] = {}
    units: dict[int, Unit] = {}
    stopped: set[int] = set()
    for on, ci, _si, s in timeline:
        case = cases[ci]
        if ci in stopped or on > today:
            stopped.add(ci)  # the rest of the case lies in the future: it stays open here
            continue
        if s.kind == "create":
            units[ci] = world.units[case.unit]
            app, code = _create(case, units[ci], on)
            apps[ci] = app
            out.cases.append(app)
            if case.applicant == "wang" and case.channel == Channel.ONLINE:
                out.tracked = (app.tracking_number, code)
            tick()
            continue
        unit, app = units[ci], apps[ci]
        if s.kind == "transfer":
            target = world.units[s.args["to"]]
            apps[ci] = intake.transfer(actor=unit.admin, application=app, to_unit=target.org, on=on, reason="")
            units[ci] = target
            out.cases.append(apps[ci])
            continue
        if s.kind == "letter":
            if with_letters:
                letters.generate(actor=unit.admin, application=app, kind=s.args["kind"], on=on)
                out.letters += 1
            continue
        apps[ci] = _do(s, unit, _fresh(app), on)
    return out


def _fresh(app: Application) -> Application:
    return Application.objects.select_related("unit").get(pk=app.pk)


def _create(case: Case, unit: Unit, on: date) -> tuple[Application, str]:
    data = {
        **PEOPLE[case.applicant],
        "description": case.description,
        "info_form": case.info_form,
        "delivery": case.delivery,
        "item_count": case.item_count,
        **case.extra,
    }
    if case.channel == Channel.ONLINE:
        return intake.submit_online(unit=unit.org, data=data, submitted_on=on)
    # Letters, visits and the window are registered by the 信息员; fax, e-mail and the rest by the 公开办.
    desk = case.channel in (Channel.IN_PERSON, Channel.SERVICE_WINDOW, Channel.LETTER_REGISTERED)
    # A fax waits, like an online form, until both sides confirm it arrived (a "confirm" step, Art. 31(3)).
    received = None if case.channel == Channel.FAX else case.received
    return intake.enter_application(
        actor=unit.clerk if desk else unit.admin,
        unit=unit.org,
        data=data,
        channel=case.channel,
        submitted_on=on,
        received_on=received,
        oral=case.oral,
    )


def _do(s: Step, unit: Unit, app: Application, on: date) -> Application:
    a = s.args
    admin = unit.admin
    if s.kind == "confirm":
        return intake.confirm_receipt(actor=admin, application=app, received_on=on)
    if s.kind == "correct":
        return handling.request_correction(
            actor=admin, application=app, on=on, items=a["items"], due=on + timedelta(days=a["days"])
        )
    if s.kind == "corrected":
        return handling.record_correction(actor=admin, application=app, on=on, note=a.get("note", ""))
    if s.kind == "consult":
        return handling.start_consultation(
            actor=admin, application=app, on=on, party=a["party"], who=a["who"], matter=a.get("matter", "")
        )
    if s.kind == "delivered":
        return handling.record_consultation_delivered(actor=admin, application=app, on=on)
    if s.kind == "consulted":
        return handling.end_consultation(actor=admin, application=app, on=on, outcome=a["outcome"])
    if s.kind == "extend":
        return handling.extend(
            actor=admin,
            application=app,
            on=on,
            days=a["days"],
            reason=a["reason"],
            approved_by=unit.signer,
            notified_on=on,
        )
    if s.kind == "reasonable":
        return handling.set_reasonable_period(
            actor=admin,
            application=app,
            on=on,
            due=on + timedelta(days=a["days"]),
            reason=a["reason"],
            notified_on=on,
        )
    if s.kind == "fee":
        delivered = add_workdays(app.received_on, a["delivered"]) if "delivered" in a else on  # type: ignore[arg-type]
        handling.issue_fee_notice(
            actor=admin, application=app, on=on, basis=a["basis"], quantity=a["quantity"], delivered_on=delivered
        )
        return app
    if s.kind == "paid":
        return handling.record_payment(actor=admin, application=app, on=on)
    if s.kind == "lapse_fee":
        replies.lapse_fee(actor=admin, application=app, on=on)
        return app
    if s.kind == "lapse_correction":
        replies.lapse_correction(actor=admin, application=app, on=on)
        return app
    if s.kind == "reply":
        replies.reply(
            actor=admin,
            application=app,
            result=a["result"],
            on=on,
            content=a.get("content", ""),
            proactive_location=a.get("proactive_location", ""),
            referred_agency=a.get("referred_agency", ""),
        )
        return app
    if s.kind == "appeal":
        replies.record_appeal(
            actor=admin,
            application=app,
            kind=a["kind"],
            filed_on=on,
            authority=a["authority"],
            case_number=a["case_number"],
        )
        return app
    if s.kind == "decide":
        appeal = Appeal.objects.filter(application=app).order_by("-filed_on", "-id").first()
        assert appeal is not None
        replies.decide_appeal(actor=admin, appeal=appeal, outcome=a["outcome"], decided_on=on)
        return app
    raise ValueError(f"unknown demo step {s.kind}")


def summary(apps: list[Application]) -> dict[str, Counter[str]]:
    """Counts for the command's closing lines: cases by result family, channel and status, appeals."""
    rows = Application.objects.filter(pk__in=[a.pk for a in apps]).select_related("unit", "reply__result")
    out: dict[str, Counter[str]] = {"unit": Counter(), "result": Counter(), "channel": Counter(), "status": Counter()}
    for app in rows:
        out["unit"][app.unit.display_name] += 1
        reply = getattr(app, "reply", None)
        if reply is not None:
            out["result"][reply.result.group_label] += 1
        out["channel"][app.get_channel_display()] += 1
        out["status"][app.get_status_display()] += 1
    out["appeal"] = Counter(a.get_kind_display() for a in Appeal.objects.filter(application__in=[a.pk for a in apps]))
    return out
