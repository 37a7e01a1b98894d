"""The public subscription form. Every field optional here so the service reports all problems at once."""

from __future__ import annotations

from django import forms

from gongkai.catalog.models import Category
from gongkai.orgs.models import Org, OrgKind

TARGETS = [
    ("unit", "本单位全部公开信息"),
    ("category", "公开目录中的一个类别"),
    ("village", "一个村（社区）发布的信息（村务公开等）"),
    ("query", "包含检索词的信息"),
]


def village_choices(unit: Org) -> list[tuple[str, str]]:
    # Within the unit's subtree only; a village under a unit nested below this one belongs to that unit.
    below = unit.subtree().filter(kind=OrgKind.VILLAGE, is_active=True).select_related("parent").order_by("path")
    villages = [o for o in below if o.unit().pk == unit.pk]
    return [("", "请选择"), *[(str(v.pk), v.name) for v in villages]]


def category_choices(unit: Org) -> list[tuple[str, str]]:
    cats = list(Category.objects.filter(unit=unit, is_retired=False))
    cats.sort(key=lambda c: (f"{c.path}{c.pk}/", c.sort_order))
    depth = {c.pk: c.path.count("/") - 1 for c in cats}
    return [("", "请选择"), *[(str(c.pk), "　" * depth[c.pk] + c.name) for c in cats]]


class SubscribeForm(forms.Form):
    email = forms.CharField(
        label="电子邮箱",
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"inputmode": "email", "autocomplete": "email"}),
        help_text="我们会先发一封确认邮件，确认后才会发送更新；邮箱加密保存，只用于发送订阅邮件",
    )
    target = forms.ChoiceField(label="订阅内容", choices=TARGETS, initial="unit", widget=forms.RadioSelect)
    # A plain text field with a select widget: an unknown value reaches the view, which names the field.
    category = forms.CharField(label="目录类别（订阅类别时选择）", required=False, widget=forms.Select)
    village = forms.CharField(label="村（社区）（订阅村务时选择）", required=False, widget=forms.Select)
    query = forms.CharField(label="检索词（订阅检索词时填写）", required=False, max_length=200)
    website = forms.CharField(label="网址（请勿填写）", required=False)

    def __init__(self, *args: object, unit: Org, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["category"].widget.choices = category_choices(unit)
        villages = village_choices(unit)
        if len(villages) > 1:
            self.fields["village"].widget.choices = villages
        else:  # a street office without villages: no such choice
            del self.fields["village"]
            target = self.fields["target"]
            assert isinstance(target, forms.ChoiceField)
            target.choices = [t for t in TARGETS if t[0] != "village"]
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        choose = "请选择订阅内容：全部信息、一个类别或一个检索词"
        self.fields["target"].error_messages.update({"invalid_choice": choose, "required": choose})
        self.fields["email"].error_messages["max_length"] = "电子邮箱过长（不超过 254 个字符）"
        self.fields["query"].error_messages["max_length"] = "检索词过长（不超过 50 个字）"
