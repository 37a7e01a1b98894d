"""Applications (依申请公开) and everything recorded about them.

The deadline is never stored as a fact: ``ClockEvent`` rows are the ledger, and ``Application.status``,
``received_on``, ``due_date`` and ``closed_on`` are a cache that ``clock.refresh`` rewrites from the ledger
(after every event and whenever the working-day calendar changes), kept as columns only so that
dashboards can filter on them in SQL.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from gongkai.orgs.models import Org

from .choices import (
    AppealKind,
    AppealOutcome,
    ApplicantType,
    Channel,
    ConsultationParty,
    Delivery,
    EventKind,
    FeeBasis,
    IdType,
    InfoForm,
    LetterKind,
    Status,
)

#: Fields that identify the applicant: shown only to the handling unit's staff.
PERSONAL_FIELDS = ("name", "id_type", "id_number", "contact_person", "phone", "email", "address", "postcode")


class ResultCode(models.Model):
    """One row of table 三 (spec §2.3) with its legal ground and reply wording; loaded from YAML."""

    key = models.CharField("代码", max_length=40, unique=True)
    group = models.CharField("类别代码", max_length=20)
    group_label = models.CharField("类别", max_length=40)
    label = models.CharField("年报行名", max_length=120)
    short_label = models.CharField("简称", max_length=60)
    article = models.CharField("法律依据", max_length=200)
    letter_kind = models.CharField("告知书类型", max_length=20, choices=LetterKind.choices)
    wording = models.TextField("答复用语", help_text="可用占位符：{申请内容}、{转送机关}、{获取方式}、{理由}")
    needs = models.CharField(
        "必填补充",
        max_length=40,
        blank=True,
        help_text="referred_agency（非本机关）或 proactive_location（已主动公开）",
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "办理结果代码"
        verbose_name_plural = verbose_name
        ordering = ["sort_order"]

    def __str__(self) -> str:
        return f"{self.group_label} {self.short_label}"


class LetterTemplate(models.Model):
    """Editable wording of one kind of letter; ``unit`` empty = the platform default."""

    kind = models.CharField("类型", max_length=20, choices=LetterKind.choices)
    unit = models.ForeignKey(Org, verbose_name="单位", null=True, blank=True, on_delete=models.CASCADE)
    title = models.CharField("标题", max_length=100)
    number_prefix = models.CharField(
        "文号前缀",
        max_length=40,
        blank=True,
        help_text="如“东政公开告”，文号为 前缀〔年份〕序号号；空则用单位简称+“政公开”",
    )
    salutation = models.CharField("称谓", max_length=100, default="{申请人}：")
    body = models.TextField("正文", help_text="每段一行；占位符见说明，如 {申请人}、{收到日期}、{答复内容}")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "告知书模板"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["kind", "unit"], name="unique_letter_template"),
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(unit__isnull=True), name="unique_default_letter_template"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Counter(models.Model):
    """Last serial per unit, year and series (tracking numbers, letter numbers): locked while taken."""

    unit = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=20)
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year", "series"], name="unique_app_counter")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}/{self.series}: {self.last_serial}"


class Application(models.Model):
    unit = models.ForeignKey(Org, verbose_name="办理单位", on_delete=models.PROTECT, related_name="applications")
    tracking_number = models.CharField("申请编号", max_length=60, unique=True)
    tracking_year = models.PositiveSmallIntegerField()
    tracking_serial = models.PositiveIntegerField()
    query_code_hash = models.CharField(max_length=64)

    channel = models.CharField("申请渠道", max_length=20, choices=Channel.choices)
    oral = models.BooleanField(
        "口头申请代为填写", default=False, help_text="第二十九条：书面确有困难的，可口头提出，由工作人员代为填写"
    )
    submitted_on = models.DateField("提交日期")

    applicant_type = models.CharField("申请人类型", max_length=20, choices=ApplicantType.choices)
    name = models.CharField("姓名/名称", max_length=100)
    id_type = models.CharField("证件类型", max_length=20, choices=IdType.choices)
    id_number = models.CharField("证件号码", max_length=40)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("通信地址", max_length=200, blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)

    description = models.TextField("所需信息的内容描述")
    document_number = models.CharField("文号", max_length=100, blank=True)
    purpose = models.CharField("用途", max_length=200, blank=True)
    info_form = models.CharField("获取信息的形式", max_length=12, choices=InfoForm.choices)
    delivery = models.CharField("获取方式", max_length=12, choices=Delivery.choices)
    item_count = models.PositiveSmallIntegerField("申请事项件数", default=1)

    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_applications",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    transferred_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="transfers"
    )

    # Cache of the ledger (see module docstring).
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    received_on = models.DateField("收到申请日期", null=True, blank=True, db_index=True)
    due_date = models.DateField("答复期限", null=True, blank=True, db_index=True)
    closed_on = models.DateField("办结日期", null=True, blank=True, db_index=True)
    clock_warning = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "status"]), models.Index(fields=["id_number", "received_on"])]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def is_closed(self) -> bool:
        return self.status in (Status.REPLIED, Status.TRANSFERRED)


class ClockEvent(models.Model):
    """One entry of a case's ledger. Append-only: corrections are new events, never edits."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=24, choices=EventKind.choices)
    on = models.DateField("日期")
    days = models.PositiveSmallIntegerField("天数", null=True, blank=True)
    party = models.CharField("征求对象类型", max_length=20, choices=ConsultationParty.choices, blank=True)
    detail = models.TextField("说明", blank=True)
    data = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "办理时限事件"
        verbose_name_plural = verbose_name
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"


class Reply(models.Model):
    """The decision on an application: exactly one result code, at most one reply per case."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="reply")
    result = models.ForeignKey(ResultCode, verbose_name="办理结果", to_field="key", on_delete=models.PROTECT)
    replied_on = models.DateField("答复日期")
    content = models.TextField("答复内容", blank=True)
    proactive_location = models.CharField("主动公开的获取途径", max_length=300, blank=True)
    referred_agency = models.CharField("负责公开的机关及联系方式", max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "答复"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.application_id} {self.result_id} {self.replied_on}"


class FeeNotice(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="fee_notices")
    basis = models.CharField("计收方式", max_length=12, choices=FeeBasis.choices)
    quantity = models.PositiveIntegerField("件数/页数")
    prior_items = models.PositiveIntegerField("本月此前已申请件数", default=0)
    amount = models.DecimalField("金额（元）", max_digits=10, decimal_places=2)
    breakdown = models.CharField("计算过程", max_length=300)
    issued_on = models.DateField("通知日期")
    delivered_on = models.DateField("申请人收到通知日期")
    paid_on = models.DateField("缴费日期", null=True, blank=True)
    lapsed_on = models.DateField("逾期未缴日期", null=True, blank=True)

    class Meta:
        verbose_name = "收费通知"
        verbose_name_plural = verbose_name
        ordering = ["issued_on", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.amount} 元"


class Appeal(models.Model):
    """行政复议 / 行政诉讼 against the handling of a case (table 四)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="appeals")
    kind = models.CharField("类型", max_length=40, choices=AppealKind.choices)
    filed_on = models.DateField("申请/起诉日期")
    authority = models.CharField("复议机关/法院", max_length=100, blank=True)
    case_number = models.CharField("案号", max_length=100, blank=True)
    outcome = models.CharField("结果", max_length=12, choices=AppealOutcome.choices, default=AppealOutcome.PENDING)
    decided_on = models.DateField("审结日期", null=True, blank=True)
    note = models.TextField("备注", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "行政复议/诉讼"
        verbose_name_plural = verbose_name
        ordering = ["filed_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filed_on}"


class LetterStatus(models.TextChoices):
    PENDING = "pending", "正在生成"
    DONE = "done", "已生成"
    FAILED = "failed", "生成失败"


class Letter(models.Model):
    """A generated (or uploaded) letter attached to a case, in DOCX and PDF.

    A generated letter is numbered and its text frozen in ``content`` in one short transaction; the task
    worker renders the files afterwards (``status`` pending → done), so no render holds the numbering lock.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField("类型", max_length=20, choices=LetterKind.choices)
    title = models.CharField("标题", max_length=100)
    number = models.CharField("文号", max_length=60, blank=True)
    issued_on = models.DateField("日期")
    status = models.CharField("状态", max_length=10, choices=LetterStatus.choices, default=LetterStatus.DONE)
    content = models.JSONField("文书内容", default=dict, blank=True)  # documents.docx.OfficialLetter.as_dict()
    error = models.CharField("生成失败原因", max_length=300, blank=True)
    #: The form's one-time key: the second POST of a double click finds the letter the first one made.
    request_key = models.CharField(max_length=64, blank=True)
    docx = models.FileField(upload_to="applications/letters/%Y/", blank=True)
    pdf = models.FileField(upload_to="applications/letters/%Y/", blank=True)
    uploaded = models.FileField("上传的文书", upload_to="applications/uploads/%Y/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "文书"
        verbose_name_plural = verbose_name
        ordering = ["issued_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "request_key"], condition=~Q(request_key=""), name="unique_letter_request"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.number}"


class Notice(models.Model):
    """An in-app reminder for one staff member about one case, at most one per kind and day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="application_notices")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=20)
    message = models.CharField(max_length=300)
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "办理提醒"
        verbose_name_plural = verbose_name
        ordering = ["-day", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "application", "kind", "day"], name="unique_daily_notice")
        ]

    def __str__(self) -> str:
        return self.message


class ProactiveLink(models.Model):
    """A case tied to the proactive entry that now carries its information (Art. 44, 依申请公开转主动公开).

    ``promoted``: the entry was drafted from this case (or from a group of like cases, each linked);
    ``linked``: the information was already, or was otherwise, proactively disclosed and the case points to it.
    """

    class Kind(models.TextChoices):
        PROMOTED = "promoted", "依申请转主动公开"
        LINKED = "linked", "关联已主动公开信息"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="proactive_links")
    entry = models.ForeignKey("catalog.Entry", on_delete=models.CASCADE, related_name="application_links")
    kind = models.CharField("关联方式", max_length=10, choices=Kind.choices)
    reason = models.CharField("理由", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "依申请转主动公开"
        verbose_name_plural = verbose_name
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "entry"], name="unique_proactive_link")]

    def __str__(self) -> str:
        return f"{self.application_id} → {self.entry_id}"


class ApplicantMail(models.Model):
    """One e-mail to the applicant about a step of the case (received, 补正, extended, transferred, answered),
    for an applicant who gave an address. Written in the step's transaction; sent afterwards by the worker
    (``applications.notify``), so a slow or absent mail server never holds the case. At most one per step."""

    class Kind(models.TextChoices):
        RECEIVED = "received", "已收到申请"
        CORRECTION = "correction", "需要补正"
        EXTENDED = "extended", "延长答复期限"
        TRANSFERRED = "transferred", "已转送"
        REPLIED = "replied", "已答复"

    class State(models.TextChoices):
        QUEUED = "queued", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="mails")
    kind = models.CharField("事项", max_length=12, choices=Kind.choices)
    state = models.CharField("状态", max_length=8, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    error = models.CharField("失败原因", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "申请人邮件通知"
        verbose_name_plural = verbose_name
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "kind"], name="unique_applicant_mail")]

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind}"
