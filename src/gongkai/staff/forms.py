"""Forms of the staff UI. They only collect and convert input; the services validate and decide."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.html import escape

from gongkai import rules
from gongkai.catalog.models import Category, DisclosureMode, Genre, Validity
from gongkai.catalog.services import field_errors
from gongkai.core.errors import ValidationFailed
from gongkai.orgs.models import Org


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def category_label(cat: Category) -> str:
    return f"{'— ' * cat.depth}{cat.name}{'（已停用）' if cat.is_retired else ''}"


class EntryForm(forms.Form):
    category = forms.ModelChoiceField(
        label="目录类别", queryset=Category.objects.none(), error_messages={"required": "请选择目录类别"}
    )
    publisher = forms.ModelChoiceField(
        label="发布机构", queryset=Org.objects.none(), error_messages={"required": "请选择发布机构"}
    )
    title = forms.CharField(
        label="标题",
        max_length=400,
        widget=forms.TextInput(attrs={"size": 60}),
        error_messages={"required": "标题不能为空"},
    )
    document_number = forms.CharField(
        label="文号", max_length=120, required=False, help_text="如：东政发〔2025〕3号；方括号会自动规范为六角括号"
    )
    genre = forms.ChoiceField(label="体裁", choices=Genre.choices, initial=Genre.NOTICE)
    formed_date = forms.DateField(
        label="成文日期",
        widget=DateInput(),
        help_text=f"信息形成或变更之日，{rules.get('publication').spaced}公开时限从次日起算",
        error_messages={"required": "成文日期不能为空", "invalid": "成文日期格式应为 YYYY-MM-DD"},
    )
    effective_date = forms.DateField(label="实施日期", widget=DateInput(), required=False)
    summary = forms.CharField(label="内容概述", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    body = forms.CharField(
        label="正文",
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        help_text="可直接粘贴文字，空行分段；也可粘贴简单 HTML（脚本等不安全内容会被自动去除）",
    )
    topic_words = forms.CharField(label="主题词", max_length=400, required=False, help_text="多个词用空格或逗号分隔")
    disclosure_mode = forms.ChoiceField(
        label="公开方式", choices=DisclosureMode.choices, initial=DisclosureMode.PROACTIVE
    )
    withhold_ground = forms.CharField(label="不予公开依据", max_length=200, required=False)
    decision_count = forms.IntegerField(
        label="所列处理决定数量",
        min_value=0,
        required=False,
        help_text="行政许可、行政处罚、行政强制结果公示填写本条所列决定的件数（年度报告表二按此合计）；不填按 1 件计",
        error_messages={"invalid": "所列处理决定数量应为整数", "min_value": "所列处理决定数量不能小于 0"},
    )

    def __init__(self, *args: Any, categories: list[Category], publishers: list[Org], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cat_field = self.fields["category"]
        assert isinstance(cat_field, forms.ModelChoiceField)
        cat_field.queryset = Category.objects.filter(pk__in=[c.pk for c in categories])
        cat_field.choices = [("", "请选择")] + [(c.pk, category_label(c)) for c in categories]
        pub_field = self.fields["publisher"]
        assert isinstance(pub_field, forms.ModelChoiceField)
        pub_field.queryset = Org.objects.filter(pk__in=[p.pk for p in publishers])
        pub_field.choices = [(p.pk, p.name) for p in publishers]

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        body = data.get("body") or ""
        if body and not re.search(r"(?i)<(p|div|br|table|ul|ol|h[1-6]|blockquote)\b", body):
            # Plain text pasted from a document (no block structure): blank lines separate paragraphs and
            # anything that looks like markup is shown as text.
            paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\r\n\s*\r\n", body) if p.strip()]
            body = "".join("<p>" + escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)
        data["body"] = body
        return data


class PublishedEditForm(EntryForm):
    reason = forms.CharField(label="修改说明", max_length=300, help_text="将记入版本历史和审计日志")
    changed_date = forms.DateField(
        label="信息变更日期",
        widget=DateInput(),
        required=False,
        help_text="信息内容本身发生变更（如标准、名单、金额调整）时填写：第二十六条自变更之日起重新计算公开期限；更正错字不填",
        error_messages={"invalid": "信息变更日期格式应为 YYYY-MM-DD"},
    )


class CommentForm(forms.Form):
    comment = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000)


class ValidityForm(forms.Form):
    validity = forms.ChoiceField(label="有效性", choices=Validity.choices)
    invalid_date = forms.DateField(label="失效/废止/修改日期", widget=DateInput(), required=False)
    superseded_by = forms.CharField(label="替代文件索引号", max_length=80, required=False)
    comment = forms.CharField(label="说明", max_length=300, required=False)


class CategoryForm(forms.Form):
    name = forms.CharField(label="类别名称", max_length=60)
    slug = forms.SlugField(label="网址路径", max_length=60, help_text="小写字母、数字、连字符")
    parent = forms.ModelChoiceField(label="上级类别", queryset=Category.objects.none(), required=False)


def add_domain_errors(form: EntryForm, unit: Org) -> None:
    """After the form's own checks failed, also show the business-rule errors of the fields that passed,
    so the officer sees every problem at once rather than one round at a time."""

    data = {
        k: v for k, v in form.service_data().items() if k in form.cleaned_data and k not in ("reason", "changed_date")
    }
    for field, messages in field_errors(unit, data).items():
        if field in form.fields and field not in form.errors:
            for message in messages:
                form.add_error(field, message)


def apply_errors(form: forms.Form, exc: ValidationFailed) -> None:
    """Put a service's field errors on the form so the page shows them next to what the user typed."""
    for field, messages in exc.errors.items():
        target = field if field in form.fields else None
        for message in messages:
            label = "" if target or field == "__all__" else f"{field}："
            form.add_error(target, f"{label}{message}")
