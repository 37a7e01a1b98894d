"""Forms collect and convert input; the services validate and decide (their errors land on these fields)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from gongkai.catalog.models import Category, Entry
from gongkai.core.errors import ValidationFailed
from gongkai.orgs.models import Membership, Org

from .access import APPROVER_ROLES
from .choices import (
    GENERATED_LETTERS,
    AppealKind,
    AppealOutcome,
    ApplicantType,
    Channel,
    ConsultationParty,
    Delivery,
    FeeBasis,
    IdType,
    InfoForm,
    LetterKind,
)
from .models import Application, ResultCode


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label: str, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        help_text=help_text,
        error_messages={"required": f"请填写{label}", "invalid": f"{label}格式应为 YYYY-MM-DD"},
    )


def apply_errors(form: forms.Form, exc: ValidationFailed) -> None:
    """Put a service's field errors next to the field the user typed in; unknown fields go on top."""
    for field, messages in exc.errors.items():
        target = field if field in form.fields else None
        for message in messages:
            label = "" if target or field == "__all__" else f"{field}："
            form.add_error(target, f"{label}{message}")


class ApplicantForm(forms.Form):
    """The application form (Art. 29). Every field is optional here so the service reports all errors."""

    applicant_type = forms.ChoiceField(
        label="申请人类型", choices=[("", "请选择"), *ApplicantType.choices], required=False
    )
    name = forms.CharField(label="姓名/名称", max_length=100, required=False)
    id_type = forms.ChoiceField(label="证件类型", choices=[("", "请选择"), *IdType.choices], required=False)
    id_number = forms.CharField(label="证件号码", max_length=40, required=False)
    contact_person = forms.CharField(label="联系人（法人或其他组织填写）", max_length=50, required=False)
    phone = forms.CharField(
        label="联系电话",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label="电子邮箱",
        max_length=254,
        required=False,
        help_text="填写后，收到申请、需要补正、延长答复期限和作出答复时会发邮件告知您（邮件不含查询码）",
        widget=forms.TextInput(attrs={"inputmode": "email", "autocomplete": "email"}),
    )
    address = forms.CharField(label="通信地址", max_length=200, required=False)
    postcode = forms.CharField(label="邮政编码", max_length=6, required=False)
    description = forms.CharField(
        label="所需信息的名称或内容描述",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="写明信息名称、文号，或便于查询的其他特征性描述",
    )
    document_number = forms.CharField(label="文号（如知道）", max_length=100, required=False)
    purpose = forms.CharField(label="用途（选填）", max_length=200, required=False)
    info_form = forms.ChoiceField(
        label="获取信息的形式", choices=InfoForm.choices, initial=InfoForm.ELECTRONIC, widget=forms.RadioSelect
    )
    delivery = forms.ChoiceField(
        label="获取方式", choices=Delivery.choices, initial=Delivery.EMAIL, widget=forms.RadioSelect
    )


class StaffEntryForm(ApplicantForm):
    channel = forms.ChoiceField(label="收到申请的渠道", choices=[c for c in Channel.choices if c[0] != Channel.ONLINE])
    oral = forms.BooleanField(label="口头申请，由工作人员代为填写（第二十九条）", required=False)
    submitted_on = date_field("提交/寄出日期", required=False, help_text="不填则与收到日期相同")
    received_on = date_field(
        "收到申请日期",
        required=False,
        help_text="当面：提交之日；挂号信：签收之日；平信：与申请人确认之日；"
        "传真/电子邮件：双方确认之日（未确认可先不填）",
    )
    item_count = forms.IntegerField(label="申请事项件数", min_value=1, max_value=500, initial=1)


class DateForm(forms.Form):
    on = date_field("日期")


class ReceiptForm(forms.Form):
    received_on = date_field("双方确认收到的日期")


class CorrectionRequestForm(forms.Form):
    on = date_field("补正通知日期")
    items = forms.CharField(label="需要补正的事项", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    due = date_field("补正期限")


class CorrectionReceivedForm(forms.Form):
    on = date_field("收到补正日期")
    note = forms.CharField(label="说明", required=False)


class ConsultationStartForm(forms.Form):
    on = date_field("发出征求意见日期")
    party = forms.ChoiceField(label="征求对象类型", choices=ConsultationParty.choices)
    who = forms.CharField(label="征求对象名称", max_length=100, required=False)
    matter = forms.CharField(label="征求事项", max_length=200, required=False)
    delivered_on = date_field(
        "征求意见书送达日期", required=False, help_text="不填则与发出日期相同；对方的意见期限自送达之日起计算"
    )


class ConsultationDeliveredForm(forms.Form):
    on = date_field("征求意见书送达日期")


class ConsultationEndForm(forms.Form):
    on = date_field("征求意见结束日期")
    outcome = forms.CharField(label="意见情况", max_length=200, required=False)


class ExtensionForm(forms.Form):
    on = date_field("批准延期日期")
    days = forms.IntegerField(label="延长工作日数", min_value=1, required=False)
    reason = forms.CharField(label="延期理由", max_length=200, required=False)
    approved_by = forms.ModelChoiceField(
        label="批准人（工作机构负责人）", queryset=get_user_model().objects.none(), required=False, empty_label="请选择"
    )
    notified_on = date_field("告知申请人日期", required=False)

    def __init__(self, *args: Any, unit: Org, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = Membership.objects.filter(org__in=unit.subtree(), role__in=APPROVER_ROLES).values("user_id")
        field = self.fields["approved_by"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("username")
        field.label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[method-assign,assignment]


class ReasonablePeriodForm(forms.Form):
    on = date_field("确定日期")
    due = date_field("延迟答复的合理期限（答复截止日）")
    reason = forms.CharField(
        label="理由（申请数量、频次超过合理范围的情况，申请人说明的理由及审查意见）",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        required=False,
    )
    notified_on = date_field("告知申请人日期", required=False)


class FeeNoticeForm(forms.Form):
    on = date_field("通知日期")
    basis = forms.ChoiceField(label="计收方式", choices=FeeBasis.choices)
    quantity = forms.IntegerField(label="件数/页数", min_value=1, required=False)
    delivered_on = date_field("申请人收到通知日期", required=False, help_text="不填则与通知日期相同")


class ReplyForm(forms.Form):
    on = date_field("答复日期")
    result = forms.ModelChoiceField(
        label="办理结果", queryset=ResultCode.objects.all(), to_field_name="key", empty_label="请选择", required=False
    )
    content = forms.CharField(label="答复内容/理由", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    proactive = forms.BooleanField(label="所申请的信息已主动公开（第三十六条第（一）项）", required=False)
    proactive_location = forms.CharField(label="已主动公开的获取途径", max_length=300, required=False)
    referred_agency = forms.CharField(label="负责公开的机关及联系方式（非本机关）", max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["result"]
        assert isinstance(field, forms.ModelChoiceField)
        field.label_from_instance = lambda c: f"{c.group_label} — {c.short_label}"  # type: ignore[method-assign,assignment]


class TransferForm(forms.Form):
    on = date_field("转送日期")
    to_unit = forms.ModelChoiceField(label="转送至", queryset=Org.objects.none(), empty_label="请选择")
    reason = forms.CharField(label="理由", max_length=200, required=False)

    def __init__(self, *args: Any, exclude: Org, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Org.objects.filter(kind__in=["county", "township", "street"], is_active=True).exclude(
            pk=exclude.pk
        )


class LetterForm(forms.Form):
    kind = forms.ChoiceField(label="文书类型", choices=GENERATED_LETTERS)
    on = date_field("成文日期")
    # A fresh key each time the form is shown: both POSTs of a double click carry the same one.
    request_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("request_key", uuid.uuid4().hex)


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="文书类型", choices=LetterKind.choices)
    title = forms.CharField(label="标题", max_length=100, required=False)
    on = date_field("日期")
    upload = forms.FileField(label="文件（PDF/Word/Excel/CSV/OFD/图片）")


class AppealForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=AppealKind.choices)
    filed_on = date_field("申请复议/起诉日期")
    authority = forms.CharField(label="复议机关/法院", max_length=100, required=False)
    case_number = forms.CharField(label="案号", max_length=100, required=False)
    note = forms.CharField(label="备注", required=False)


class AppealDecisionForm(forms.Form):
    appeal = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label="结果", choices=AppealOutcome.choices)
    decided_on = date_field("审结日期", required=False)


class TrackForm(forms.Form):
    tracking = forms.CharField(label="申请编号", max_length=60, error_messages={"required": "请填写申请编号"})
    code = forms.CharField(
        label="查询码",
        max_length=20,
        error_messages={"required": "请填写查询码"},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class TemplateForm(forms.Form):
    title = forms.CharField(label="标题", max_length=100)
    number_prefix = forms.CharField(label="文号前缀", max_length=40, required=False)
    salutation = forms.CharField(label="称谓", max_length=100)
    body = forms.CharField(label="正文（每段一行）", widget=forms.Textarea(attrs={"rows": 12}))


class PromoteForm(forms.Form):
    """依申请转主动公开 (Art. 44): the draft's title and column, pre-filled from the case; like cases to link."""

    title = forms.CharField(label="主动公开信息标题", max_length=200)
    category = forms.ModelChoiceField(label="公开目录类别", queryset=Category.objects.none(), empty_label="请选择")
    summary = forms.CharField(
        label="内容概述", widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text="不填则用申请内容描述"
    )
    reason = forms.CharField(
        label="转为主动公开的理由",
        max_length=300,
        required=False,
        help_text="如：多个申请人申请相同信息；申请人建议纳入主动公开（第四十四条）",
    )
    others = forms.ModelMultipleChoiceField(
        label="一并关联的相似申请",
        queryset=Application.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, app: Application, similar: list[Application], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("title", app.description.strip().splitlines()[0][:60] if app.description else "")
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        assert isinstance(category, forms.ModelChoiceField)
        category.queryset = Category.objects.filter(unit=app.unit, is_retired=False).order_by("path", "sort_order")
        others = self.fields["others"]
        assert isinstance(others, forms.ModelMultipleChoiceField)
        others.queryset = Application.objects.filter(pk__in=[s.pk for s in similar])
        others.label_from_instance = lambda a: f"{a.tracking_number} {a.description[:40]}"  # type: ignore[method-assign,assignment]
        if not similar:
            del self.fields["others"]


class PromoteLinkForm(forms.Form):
    """A case whose information is already proactive points at that entry (Art. 44; Art. 36(1))."""

    entry = forms.CharField(label="已主动公开信息的索引号", max_length=80, help_text="如 QH0101-2025-00012")
    reason = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args: Any, app: Application, **kwargs: Any) -> None:
        self.app = app
        super().__init__(*args, **kwargs)

    def clean_entry(self) -> Entry:
        number = self.cleaned_data["entry"].strip()
        entry = Entry.objects.filter(unit=self.app.unit, index_number=number).first()
        if entry is None:
            raise forms.ValidationError("本单位没有这个索引号的信息，请核对")
        return entry
