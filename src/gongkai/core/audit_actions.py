"""Every audit action the platform records, with the name its users know it by.

The value of each member is the string stored in ``AuditEvent.action`` and hashed into the chain
(``audit._digest``), so a value never changes once released: rows written by earlier versions must still
verify. A new action is a new member here (and a migration for the field's ``choices``); the label can be
reworded at any time, it is never hashed.

The rest of the module turns an event's raw codes into what the staff history and the auditor's viewer
show: the Chinese status label for ``from_state``/``to_state``, and Chinese names for the keys of
``changes`` (the model field's ``verbose_name`` when the object's model is known, else ``FIELD_LABELS``).
The staff history shows the values too; the auditor gets the names only (``changed_fields``).
It imports no models at load time: ``core.models`` imports ``Action`` for the field's choices.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models


class Action(models.TextChoices):
    # --- 公开信息 (catalog/services.py, reports/imports.py)
    ENTRY_CREATE = "entry.create", "新建草稿"
    ENTRY_UPDATE = "entry.update", "修改草稿"
    ENTRY_SUBMIT = "entry.submit", "提交保密审查"
    ENTRY_REVIEW_PASS = "entry.review_pass", "保密审查通过"
    ENTRY_REVIEW_RETURN = "entry.review_return", "保密审查退回"
    ENTRY_PUBLISH = "entry.publish", "审签发布"
    ENTRY_SIGN_RETURN = "entry.sign_return", "审签退回"
    ENTRY_WITHDRAW = "entry.withdraw", "撤回"
    ENTRY_VALIDITY = "entry.validity", "变更有效性"
    ENTRY_EDIT_PUBLISHED = "entry.edit_published", "更正已发布信息"
    ENTRY_RELATED = "entry.related", "设置相关信息"
    ENTRY_ATTACHMENT_ADD = "entry.attachment_add", "添加附件"
    ENTRY_ATTACHMENT_REMOVE = "entry.attachment_remove", "删除附件"
    ENTRY_IMPORT = "entry.import", "导入历史信息"
    # --- 目录 (catalog/categories.py)
    CATALOG_SEED = "catalog.seed", "建立默认目录"
    CATEGORY_CREATE = "category.create", "新增类别"
    CATEGORY_RENAME = "category.rename", "类别改名"
    CATEGORY_MOVE = "category.move", "调整类别顺序"
    CATEGORY_RETIRE = "category.retire", "停用类别"
    CATEGORY_RESTORE = "category.restore", "启用类别"
    CATEGORY_DELETE = "category.delete", "删除类别"
    CATEGORY_SERVICE_ADD = "category.service_add", "添加办事服务链接"
    CATEGORY_SERVICE_REMOVE = "category.service_remove", "删除办事服务链接"
    # --- 保密审查 (screening/)
    SCREENING_SCAN = "screening.scan", "保密审查扫描"
    SCREENING_MASK = "screening.mask", "打码"
    SCREENING_ACCEPT = "screening.accept", "确认可公开"
    SCREENING_ACCEPT_MANUAL = "screening.accept_manual", "人工审查通过"
    SCREENING_ALERT = "screening.alert", "高风险告警"
    SCREENING_ALERT_HANDLED = "screening.alert_handled", "告警已处理"
    SCREENING_WORD_ADD = "screening.word_add", "添加敏感词"
    SCREENING_WORD_REMOVE = "screening.word_remove", "删除敏感词"
    # --- 依申请公开 (applications/, reports/imports.py)
    APPLICATION_SUBMIT = "application.submit", "在线提交申请"
    APPLICATION_ENTER = "application.enter", "录入申请"
    APPLICATION_RECEIVE = "application.receive", "确认收到申请"
    APPLICATION_TRANSFER = "application.transfer", "转送其他机关"
    APPLICATION_CORRECTION_REQUEST = "application.correction_request", "补正通知"
    APPLICATION_CORRECTION_RECEIVE = "application.correction_receive", "收到补正"
    APPLICATION_CONSULTATION_START = "application.consultation_start", "征求意见"
    APPLICATION_CONSULTATION_DELIVERED = "application.consultation_delivered", "征求意见书送达"
    APPLICATION_CONSULTATION_END = "application.consultation_end", "征求意见结束"
    APPLICATION_EXTEND = "application.extend", "延长答复期限"
    APPLICATION_REASONABLE_PERIOD = "application.reasonable_period", "确定延迟答复的合理期限"
    APPLICATION_FEE_NOTICE = "application.fee_notice", "收费通知"
    APPLICATION_FEE_PAID = "application.fee_paid", "申请人缴费"
    APPLICATION_REPLY = "application.reply", "答复"
    APPLICATION_LETTER = "application.letter", "生成文书"
    APPLICATION_LETTER_RETRY = "application.letter_retry", "重新生成文书"
    APPLICATION_LETTER_UPLOAD = "application.letter_upload", "上传文书"
    APPLICATION_TEMPLATE = "application.template", "修改文书模板"
    APPLICATION_APPEAL = "application.appeal", "登记行政复议/行政诉讼"
    APPLICATION_APPEAL_DECIDE = "application.appeal_decide", "登记复议/诉讼结果"
    APPLICATION_PROMOTE = "application.promote", "依申请转主动公开"
    APPLICATION_PROMOTE_LINK = "application.promote_link", "关联已主动公开信息"
    APPLICATION_IMPORT = "application.import", "导入历史申请"
    # --- 互动交流 (interaction/intake.py, interaction/handling.py)
    MESSAGE_SUBMIT = "message.submit", "网上留言"
    MESSAGE_ENTER = "message.enter", "录入留言"
    MESSAGE_ACCEPT = "message.accept", "受理留言"
    MESSAGE_REJECT = "message.reject", "不予受理留言"
    MESSAGE_ASSIGN = "message.assign", "分办留言"
    MESSAGE_TRANSFER = "message.transfer", "转办留言"
    MESSAGE_RETURN = "message.return", "退回留言"
    MESSAGE_DRAFT = "message.draft", "拟写留言答复"
    MESSAGE_APPROVE = "message.approve", "审核签发留言答复"
    MESSAGE_REVIEW_RETURN = "message.review_return", "审核退回留言答复"
    MESSAGE_REPLY = "message.reply", "答复留言"
    MESSAGE_PUBLISH = "message.publish", "公开留言"
    MESSAGE_WITHHOLD = "message.withhold", "留言不予公开"
    MESSAGE_RATE = "message.rate", "留言评价"
    MESSAGE_KIND_SETTING = "message.kind_setting", "设置留言审核"
    # --- 年度报告 (reports/services.py)
    ANNUAL_REPORT_SAVE = "annual_report.save", "保存年度报告草稿"
    ANNUAL_REPORT_SUBMIT = "annual_report.submit", "提交年度报告"
    # --- 工作日 (workdays/services.py)
    CALENDAR_OVERRIDE = "calendar.override", "调整工作日"
    CALENDAR_IMPORT = "calendar.import", "导入节假日安排"
    # --- 组织机构与账号 (orgs/services.py, accounts/services.py)
    ORG_CREATE = "org.create", "新建机构"
    ORG_UPDATE = "org.update", "修改机构"
    USER_CREATE = "user.create", "新建账号"
    PERMISSION_GRANT = "permission.grant", "授予角色"
    PERMISSION_REVOKE = "permission.revoke", "撤销角色"
    # --- 登录与账号安全 (accounts/security.py, passwords.py, views.py)
    AUTH_LOGIN = "auth.login", "登录"
    AUTH_LOGIN_FAILED = "auth.login_failed", "登录失败"
    AUTH_LOCKOUT = "auth.lockout", "账号锁定"
    AUTH_UNLOCK = "auth.unlock", "解除锁定"
    AUTH_LOGOUT = "auth.logout", "退出登录"
    AUTH_OTP_ENROL = "auth.otp_enrol", "绑定验证器"
    AUTH_OTP_VERIFY = "auth.otp_verify", "动态验证码验证"
    AUTH_OTP_DROP = "auth.otp_drop", "解除验证器"
    AUTH_ENROL_CODE_ISSUE = "auth.enrol_code_issue", "发放一次性绑定码"
    AUTH_ENROL_CODE_USE = "auth.enrol_code_use", "使用一次性绑定码"
    AUTH_PASSWORD_CHANGE = "auth.password_change", "修改密码"
    AUTH_PASSWORD_RESET = "auth.password_reset", "重置密码"
    AUTH_PASSWORD_RESET_CONFIRM = "auth.password_reset_confirm", "确认重置密码"
    AUTH_PASSWORD_RESET_USE = "auth.password_reset_use", "凭重置码设置密码"
    # --- 开放接口 (api/tokens.py)
    API_TOKEN_ISSUE = "api.token_issue", "发放接口令牌"
    API_TOKEN_REVOKE = "api.token_revoke", "吊销接口令牌"
    # --- 审计与后台任务 (accounts/views.py; worker/recovery.py, worker/services.py)
    AUDIT_EXPORT = "audit.export", "导出审计日志"
    TASKS_RECOVERED = "tasks.recovered", "恢复中断的后台任务"
    TASKS_RETRY = "tasks.retry", "重试失败的后台任务"
    # --- 归档 (ops/archive.py)
    ARCHIVE_EXPORT = "archive.export", "归档移交"
    # --- 网站自查 (inspection/services.py)
    INSPECTION_RUN = "inspection.run", "网站自查"
    INSPECTION_ITEM_EXEMPT = "inspection.item_exempt", "说明标准目录事项不涉及"
    INSPECTION_ITEM_RESTORE = "inspection.item_restore", "恢复标准目录事项"
    RECTIFY_ISSUE = "inspection.rectify_issue", "下发整改通知书"
    RECTIFY_ANSWER = "inspection.rectify_answer", "报送整改情况"
    RECTIFY_RETURN = "inspection.rectify_return", "整改退回重改"
    RECTIFY_CLOSE = "inspection.rectify_close", "整改销号"
    # --- 多渠道发布 (channels/services.py)
    BOARD_SAVE = "channels.board_save", "登记公开栏"
    BOARD_POSTING = "channels.board_posting", "记录公开栏张贴"
    BOARD_TAKEDOWN = "channels.board_takedown", "记录公开栏撤下"
    SCREEN_SAVE = "channels.screen_save", "登记电子显示屏"
    CHANNEL_POST = "channels.post", "记录渠道发布"
    GAZETTE_PRINT = "channels.gazette_print", "记录公报印发"
    # --- 邮件订阅 (subscriptions/services.py)
    SUBSCRIPTION_CREATE = "subscription.create", "邮件订阅（待确认）"
    SUBSCRIPTION_CONFIRM = "subscription.confirm", "确认邮件订阅"
    SUBSCRIPTION_UNSUBSCRIBE = "subscription.unsubscribe", "退订邮件订阅"


# The part before the dot groups the auditor's action filter; choosing a group filters on the prefix
# (``_filtered_events`` matches ``entry`` against ``entry.*``).
GROUPS: dict[str, str] = {
    "entry": "公开信息",
    "catalog": "目录",
    "category": "目录类别",
    "screening": "保密审查",
    "application": "依申请公开",
    "message": "互动交流",
    "annual_report": "年度报告",
    "calendar": "工作日",
    "org": "组织机构",
    "user": "账号",
    "permission": "角色",
    "auth": "登录与账号安全",
    "api": "开放接口",
    "audit": "审计",
    "tasks": "后台任务",
    "archive": "归档",
    "channels": "多渠道发布",
    "subscription": "邮件订阅",
}


def grouped_choices() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """``[(prefix, group label, [(code, label), …]), …]`` in declaration order, for the filter's optgroups."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for action in Action:
        groups.setdefault(action.value.split(".", 1)[0], []).append((action.value, action.label))
    return [(prefix, GROUPS.get(prefix, prefix), items) for prefix, items in groups.items()]


# Which field holds the status that ``from_state``/``to_state`` record, per object type. Objects not
# listed (users, tokens, …) record no states.
STATE_FIELDS: dict[str, str] = {
    "catalog.entry": "status",
    "applications.application": "status",
    "applications.appeal": "outcome",
    "interaction.message": "status",
    "screening.alert": "state",
}

# Names for ``changes`` keys that are not a field of the event's object (counts, file names, the
# username of a failed login, …). A key that is a model field takes the field's verbose_name instead.
FIELD_LABELS: dict[str, str] = {
    "alert": "告警",
    "amount": "金额",
    "application": "申请",
    "approved_by": "批准人",
    "attachment": "附件",
    "basis": "收费依据",
    "categories_created": "新建类别数",
    "channel": "申请渠道",
    "created": "新建类别数",
    "days": "天数",
    "direction": "移动方向",
    "due": "补正期限",
    "entry": "政府信息",
    "external_number": "12345工单编号",
    "file": "文件",
    "filters": "筛选条件",
    "finding": "审查发现",
    "high_count": "高风险数",
    "ip_address": "IP 地址",
    "is_workday": "是否工作日",
    "kind": "类型",
    "late": "超期答复",
    "letter": "文书",
    "masked": "打码处数",
    "name": "名称",
    "office": "承办科室/村",
    "on": "日期",
    "open": "未办结数",
    "paid_on": "缴费日期",
    "party": "征求意见对象",
    "published": "已发布数",
    "received_on": "收到申请日期",
    "refused": "未能打码的文件",
    "related": "相关信息",
    "replaced": "已替换的附件",
    "replied_on": "答复日期",
    "reopened": "重办",
    "review": "需领导审核",
    "review_required": "需领导审核",
    "result": "办理结果",
    "results": "扫描结果",
    "role": "角色",
    "rows": "行数",
    "text_changed": "修改了答复内容",
    "to_tracking": "新申请编号",
    "to_unit": "转送单位",
    "user": "用户",
    "username": "用户名",
    "where": "建议反映渠道",
    "was_public": "原已公开",
    "word": "敏感词",
    "year": "年度",
}


# Keys whose recorded value is itself a list (file names, scan lines), not a ``[before, after]`` pair:
# ``screening.mask`` with exactly two replaced files must not read as "a → b".
LIST_VALUES = frozenset({"replaced", "refused", "results"})


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type) if "." in object_type else None
    except (LookupError, ValueError):
        return None


# Cached: the CSV export labels every row of a log that can hold millions of events, and the models do
# not change while the process runs.
@functools.cache
def _field(object_type: str, name: str) -> models.Field[Any, Any] | None:
    model = _model(object_type)
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


@functools.cache
def _choices(field: models.Field[Any, Any]) -> dict[Any, str]:
    return {value: str(label) for value, label in field.flatchoices}


def _choice_label(field: models.Field[Any, Any] | None, value: Any) -> Any:
    if field is None or not field.choices or isinstance(value, list | dict):
        return value
    return _choices(field).get(value, value)


# Object types that are not a model (``apps.get_model`` cannot name them).
OBJECT_LABELS: dict[str, str] = {"task": "后台任务", "screening.scan": "保密审查扫描"}


def object_label(object_type: str) -> str:
    """``catalog.entry`` → 政府信息: the model's verbose_name, else the mapping, else the code."""
    model = _model(object_type)
    if model is not None:
        return str(model._meta.verbose_name)
    return OBJECT_LABELS.get(object_type, object_type)


def state_label(object_type: str, value: str) -> str:
    """``review`` → 待审核 for an entry; a value that is not a status of the object shows as itself."""
    name = STATE_FIELDS.get(object_type)
    if not value or name is None:
        return value
    return str(_choice_label(_field(object_type, name), value))


def field_label(object_type: str, key: str) -> str:
    """The Chinese name of one ``changes`` key: the field's verbose_name, the mapping, else the key."""
    field = _field(object_type, key)
    if field is not None and field.verbose_name and str(field.verbose_name) != key.replace("_", " "):
        return str(field.verbose_name)
    return FIELD_LABELS.get(key, key)


def show_value(value: Any) -> str:
    """A recorded value as text: nothing is （空）, a list is joined with 、."""
    if isinstance(value, list):
        return "、".join(show_value(v) for v in value) or "（空）"
    return "（空）" if value is None or value == "" else str(value)


@dataclass(frozen=True)
class ChangeRow:
    """One ``changes`` entry as shown: ``before → after`` when the service recorded a pair, else the value."""

    key: str
    label: str
    is_pair: bool
    before: Any = None
    after: Any = None
    value: Any = None

    @property
    def before_text(self) -> str:
        return show_value(self.before)

    @property
    def after_text(self) -> str:
        return show_value(self.after)

    @property
    def text(self) -> str:
        return f"{self.before_text} → {self.after_text}" if self.is_pair else show_value(self.value)


def change_rows(object_type: str, changes: Mapping[str, Any] | None) -> list[ChangeRow]:
    """The event's changes with Chinese names and, for fields with choices, the choice labels as values.

    Services record either ``{field: [before, after]}`` (``audit.diff``) or ``{key: value}`` (counts,
    references); both shapes are kept apart so a template never indexes into a plain value.
    """
    rows = []
    for key, raw in (changes or {}).items():
        field = _field(object_type, key)
        label = field_label(object_type, key)
        if isinstance(raw, list) and len(raw) == 2 and key not in LIST_VALUES:
            before, after = (_choice_label(field, v) for v in raw)
            rows.append(ChangeRow(key, label, True, before=before, after=after))
        else:
            rows.append(ChangeRow(key, label, False, value=_choice_label(field, raw)))
    return rows


def changed_fields(object_type: str, changes: Mapping[str, Any] | None) -> list[str]:
    """The Chinese names of the changed keys, without their values.

    What the auditor's viewer and CSV show: the auditor checks who changed what and when, but reads no
    business content (三员分立: draft titles and bodies, applicants' data stay with the unit's staff, and
    the permission matrix test checks that no auditor page carries them).
    """
    return [field_label(object_type, key) for key in (changes or {})]
