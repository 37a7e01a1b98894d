"""Forms collect input; the services validate (their errors land on these fields, in Chinese)."""

from __future__ import annotations

from django import forms

from gongkai.core.errors import ValidationFailed
from gongkai.orgs.models import UNIT_KINDS, Org

from . import kinds
from .choices import Channel, Satisfaction


def apply_errors(form: forms.Form, exc: ValidationFailed) -> None:
    """Put a service's field errors next to the field the user typed in; unknown fields go on top."""
    for field, messages in exc.errors.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


def public_units() -> list[tuple[str, str]]:
    units = Org.objects.filter(kind__in=list(UNIT_KINDS), is_active=True).order_by("path", "sort_order")
    return [("", "请选择"), *[(u.slug, u.name) for u in units]]


class MessageForm(forms.Form):
    """The public form. Every field optional here so the service reports all problems at once."""

    # Plain text fields with a select widget: an unknown value reaches the service, which names the field.
    unit = forms.CharField(label="向哪个单位留言", required=False, widget=forms.Select)
    kind = forms.CharField(label="留言类型", required=False, widget=forms.Select)
    addressee = forms.CharField(label="收信领导（写给领导信箱时填写，选填）", required=False)
    title = forms.CharField(label="标题", required=False)
    content = forms.CharField(
        label="留言内容",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="请写清楚事情发生的地点、经过和您的诉求（不超过 2000 字）",
    )
    name = forms.CharField(label="姓名", required=False, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(
        label="联系电话",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text="只用于工作人员与您联系，不会公开",
    )
    email = forms.CharField(
        label="电子邮箱（选填）",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "email", "autocomplete": "email"}),
    )
    publish_consent = forms.BooleanField(
        label="同意在网站“留言选登”中公开我的留言和答复（姓名、电话等个人信息会隐去）", required=False
    )
    # Honeypot: hidden from people by the stylesheet, filled in by form-filling robots.
    website = forms.CharField(label="网址（请勿填写）", required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["unit"].widget.choices = public_units()
        self.fields["kind"].widget.choices = [("", "请选择"), *kinds.choices(public=True)]
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})


class StaffMessageForm(MessageForm):
    """Staff entry of a call, letter, visit or 12345 order."""

    channel = forms.ChoiceField(label="收到渠道", choices=[c for c in Channel.choices if c[0] != Channel.WEB])
    received_on = forms.CharField(label="收到日期（YYYY-MM-DD，不填为今天）", required=False)
    external_number = forms.CharField(label="12345工单编号", required=False)
    external_deadline = forms.CharField(label="12345办结时限（YYYY-MM-DD）", required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["website"]
        del self.fields["unit"]
        self.fields["kind"].widget.choices = [("", "请选择"), *kinds.choices()]


class TrackForm(forms.Form):
    number = forms.CharField(label="留言编号", max_length=60, error_messages={"required": "请填写留言编号"})
    code = forms.CharField(
        label="查询码",
        max_length=20,
        error_messages={"required": "请填写查询码"},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class RatingForm(forms.Form):
    number = forms.CharField(widget=forms.HiddenInput, required=False)
    code = forms.CharField(widget=forms.HiddenInput, required=False)
    value = forms.ChoiceField(
        label="您对答复是否满意", choices=Satisfaction.choices, widget=forms.RadioSelect, required=False
    )
    comment = forms.CharField(label="意见（选填）", required=False, widget=forms.Textarea(attrs={"rows": 3}))
