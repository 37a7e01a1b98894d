from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.applications import clock, rules, scripting
from gongkai.applications.models import Application, LetterTemplate, ResultCode

USER_HELP = "以哪位工作人员的名义办理（用户名；默认为本单位第一位公开办管理员），权限与办理页面相同"
DATE = "YYYY-MM-DD"


def _user(p: CommandParser) -> None:
    p.add_argument("--user", help=USER_HELP)


class Command(BaseCommand):
    help = (
        "依申请公开：load-rules（载入办理结果代码和告知书模板）、recompute（重算期限）、explain 编号；"
        "register、event、reply、letter、upload、appeal、appeal-result、show（与办理页面相同的规则、权限和审计）"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("load-rules", help="从 data/result_codes.yaml 和 letter_templates.yaml 载入")
        p.add_argument("--overwrite-templates", action="store_true", help="用文件覆盖已修改的平台默认模板")
        p = sub.add_parser("recompute", help="按当前工作日历重算所有未办结申请的答复期限")
        p.add_argument("--closed", action="store_true", help="已办结的申请也重算（期限规则修改后，使逾期答复统计一致）")
        p = sub.add_parser("explain", help="打印一件申请的期限计算过程")
        p.add_argument("tracking")

        p = sub.add_parser("register", help="登记一件信函、当面、窗口、传真、电子邮件等渠道收到的申请，打印申请编号")
        p.add_argument("--org", required=True, help="单位代码")
        p.add_argument("--channel", required=True, help="渠道：letter、当面、政务服务窗口、传真、电子邮件…")
        p.add_argument("--applicant-type", required=True, dest="applicant_type", help="自然人、商业企业…或其键名")
        p.add_argument("--name", required=True, help="申请人姓名/名称")
        p.add_argument("--received", help=f"收到申请日期（第三十一条）{DATE}；传真、电子邮件可待双方确认后再记录")
        p.add_argument("--description", required=True, help="所需信息的名称、文号或特征性描述")
        p.add_argument("--submitted", help=f"提交/寄出日期 {DATE}（默认同收到日期）")
        p.add_argument("--id-type", dest="id_type", help="证件类型键名（默认：自然人 resident_id，组织 uscc）")
        p.add_argument("--id-number", dest="id_number", default="")
        p.add_argument("--contact-person", dest="contact_person", default="")
        p.add_argument("--phone", default="")
        p.add_argument("--email", default="")
        p.add_argument("--address", default="")
        p.add_argument("--postcode", default="")
        p.add_argument("--document-number", dest="document_number", default="")
        p.add_argument("--purpose", default="")
        p.add_argument("--info-form", dest="info_form", help="paper、electronic 或 inspection（默认 electronic）")
        p.add_argument("--delivery", help="post、email 或 pickup（默认：有电子邮箱时 email，否则 pickup）")
        p.add_argument("--items", dest="item_count", type=int, help="申请事项件数（一事一申请拆分后的件数）")
        p.add_argument("--oral", action="store_true", help="口头申请，由工作人员代为填写（第二十九条）")
        _user(p)

        p = sub.add_parser("event", help="记录一项办理事项：" + "、".join(scripting.EVENTS))
        p.add_argument("case", help="申请编号")
        p.add_argument("kind", help="、".join(scripting.EVENTS))
        p.add_argument("--on", required=True, help=f"日期 {DATE}")
        p.add_argument("--days", help="延长的工作日数（extension）")
        p.add_argument("--due", help=f"补正期限 {DATE}（correction-request）")
        p.add_argument("--note", default="", help="补正事项、说明、征求事项、意见情况、延期理由或转送理由")
        p.add_argument("--notified", help=f"告知申请人日期 {DATE}（extension；默认同 --on）")
        p.add_argument("--approved-by", dest="approved_by", help="批准延期的负责人用户名（默认为 --user）")
        p.add_argument("--party", help="征求对象类型：third_party（第三方）或 other_agency（其他机关）")
        p.add_argument("--who", default="", help="征求对象名称")
        p.add_argument("--delivered", help=f"送达日期 {DATE}（consultation-start、fee-notice）")
        p.add_argument("--basis", help="计收方式（fee-notice）")
        p.add_argument("--quantity", help="件数/页数（fee-notice）")
        p.add_argument("--to", help="转送至的单位代码（transfer）")
        _user(p)

        p = sub.add_parser("reply", help="答复并办结（第三十六条）")
        p.add_argument("case")
        p.add_argument("--result", required=True, help="办理结果代码（data/result_codes.yaml 的键名）")
        p.add_argument("--on", required=True, help=f"答复日期 {DATE}")
        p.add_argument("--content", default="", help="答复内容/理由")
        p.add_argument("--proactive", action="store_true", help="所申请的信息已主动公开（第三十六条第（一）项）")
        p.add_argument("--proactive-location", dest="proactive_location", default="", help="已主动公开的获取途径")
        p.add_argument("--referred-agency", dest="referred_agency", default="", help="负责公开的机关及联系方式")
        _user(p)

        p = sub.add_parser("letter", help="生成文书（编号后由后台生成 DOCX 和 PDF）")
        p.add_argument("case")
        p.add_argument("--kind", required=True, help="文书类型键名")
        p.add_argument("--on", help=f"文书日期 {DATE}（默认今天）")
        _user(p)

        p = sub.add_parser("upload", help="上传文书（签章扫描件等）")
        p.add_argument("case")
        p.add_argument("--kind", required=True, help="文书类型键名")
        p.add_argument("--file", required=True, help="文件路径")
        p.add_argument("--title", default="")
        p.add_argument("--on", help=f"日期 {DATE}")
        _user(p)

        p = sub.add_parser("appeal", help="登记行政复议/行政诉讼")
        p.add_argument("case")
        p.add_argument(
            "--kind", required=True, help="reconsideration、litigation_direct 或 litigation_after_reconsideration"
        )
        p.add_argument("--filed", dest="filed_on", required=True, help=f"申请复议/起诉日期 {DATE}")
        p.add_argument("--authority", default="", help="复议机关/法院")
        p.add_argument("--case-number", dest="case_number", default="", help="案号")
        p.add_argument("--note", default="")
        _user(p)

        p = sub.add_parser("appeal-result", help="更新复议/诉讼结果")
        p.add_argument("case")
        p.add_argument("--appeal", help="复议/诉讼记录编号（show --json 中 appeals 的 id；默认最近一项）")
        p.add_argument("--outcome", required=True, help="upheld、corrected、other 或 pending")
        p.add_argument("--on", dest="decided_on", help=f"审结日期 {DATE}")
        _user(p)

        p = sub.add_parser("show", help="一件申请的状态、期限、每一天的计算及所依据的规定、文书全文")
        p.add_argument("case")
        p.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **opts: Any) -> None:
        action = opts["action"]
        try:
            self._handle(action, opts)
        except scripting.ScriptError as exc:
            for line in exc.lines[:-1]:
                self.stderr.write(line)
            raise CommandError(exc.lines[-1] if exc.lines else "未办理") from exc

    def _handle(self, action: str, opts: dict[str, Any]) -> None:
        if action == "load-rules":
            codes = rules.load_result_codes(ResultCode)
            templates = rules.load_letter_templates(LetterTemplate, overwrite=opts["overwrite_templates"])
            self.stdout.write(f"办理结果代码 {codes} 项，告知书模板 {templates} 种")
        elif action == "recompute":
            self.stdout.write(f"已重算，{clock.recompute_open(closed=opts['closed'])} 件申请的期限有变化")
        elif action == "explain":
            app = Application.objects.filter(tracking_number=opts["tracking"].strip().upper()).first()
            if app is None:
                raise CommandError(f"没有申请编号为“{opts['tracking']}”的申请")
            state = clock.state_of(app)
            for line in state.lines:
                self.stdout.write(f"{line.on:%Y-%m-%d} {line.label}：{line.text}")
            self.stdout.write(f"状态：{app.get_status_display()}；答复期限：{state.due_date or '—'}")
            if state.warning:
                self.stdout.write(f"注意：{state.warning}")
        elif action == "register":
            app, code = scripting.register(options=opts)
            self.stdout.write(app.tracking_number)
            self.stderr.write(f"已登记，查询码 {code}（请告知申请人）；状态：{app.get_status_display()}")
        elif action == "event":
            self._done(scripting.event(case=opts["case"], kind=opts["kind"], options=opts), opts["case"])
        elif action == "reply":
            self._done(scripting.reply(case=opts["case"], options=opts), opts["case"])
        elif action == "letter":
            done, made = scripting.letter(case=opts["case"], options=opts)
            self.stdout.write(f"{done.message}（文书编号 {made.pk}；后台生成 DOCX/PDF）")
        elif action == "upload":
            self._done(scripting.upload(case=opts["case"], options=opts), opts["case"])
        elif action == "appeal":
            self._done(scripting.appeal(case=opts["case"], options=opts), opts["case"])
        elif action == "appeal-result":
            self._done(scripting.appeal_result(case=opts["case"], options=opts), opts["case"])
        elif action == "show":
            data = scripting.show(opts["case"])
            if opts["json"]:
                self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            else:
                self.stdout.write(f"{data['number']} {data['unit']['name']} {data['status_label']}")
                self.stdout.write(f"答复期限：{data['due_date'] or '—'}；{data['basis']}")
                for line in data["explanation"]:
                    self.stdout.write(f"{line['on']} {line['label']}：{line['text']}")
                for letter in data["letters"]:
                    self.stdout.write(f"文书：{letter['title']} {letter['number']}")

    def _done(self, done: Any, case: str) -> None:
        self.stdout.write(done.message)
        if done.warning:
            self.stderr.write(f"注意：{done.warning}")
        state = scripting.show(case)
        self.stdout.write(f"状态：{state['status_label']}；答复期限：{state['due_date'] or '—'}")
