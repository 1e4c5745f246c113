"""Forms of the letter pages: sending a letter, editing a template, the letterhead."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db import models

from gongkai.letters.models import Letterhead, LetterKind
from gongkai.letters.services import MAX_TEMPLATE_CHARS


class LetterSendForm(forms.Form):
    """发送并存档: which letter, for which party, dated when, on the version the clerk saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    kind = forms.ChoiceField(widget=forms.HiddenInput, choices=LetterKind.choices)
    party = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)
    on = forms.DateField(
        label="落款日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    serial = forms.IntegerField(
        label="文号序号（补录时填写）",
        required=False,
        min_value=1,
        help_text="补录已发出的纸质文书时，填写纸质文书上实际使用的文号序号（〔年度〕后的数字）；"
        "留空则按落款日期所在年度取下一个序号，落款日期早于今天的标注为“补录”",
    )
    confirm_provisional = forms.BooleanField(
        label="已核对暂定日期",
        required=False,
        help_text="文书中的期限跨入放假安排尚未录入的年度（暂定日历）时，须核对该日期后勾选",
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        """``today`` is the default date, unless ``initial`` names one (the step's date)."""
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("on", today)
        super().__init__(*args, **kwargs)
        self.fields["on"].error_messages.update(
            {"required": "请填写落款日期", "invalid": "落款日期格式应为 2025-06-18"}
        )
        self.fields["version"].error_messages["required"] = (
            "表单缺少案件版本号，请刷新页面后重新操作"
        )
        self.fields["kind"].error_messages["invalid_choice"] = "未知的文书类型 %(value)s"
        self.fields["serial"].error_messages.update(
            {"invalid": "文号序号应为正整数", "min_value": "文号序号应为正整数"}
        )


class TemplateForm(forms.Form):
    body = forms.CharField(
        label="模板内容",
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "code"}),
        max_length=MAX_TEMPLATE_CHARS,
        help_text="Django 模板语言；可用的变量见右侧。“预览”用示例数据生成文书，不保存。",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].error_messages.update(
            {
                "required": "模板内容不能为空",
                "max_length": f"模板内容超过 {MAX_TEMPLATE_CHARS} 个字符",
            }
        )


def _letterhead_field(name: str, *, required: bool = False) -> forms.CharField:
    """A field with the model's label and length, so the form cannot drift from the table."""
    field = Letterhead._meta.get_field(name)
    assert isinstance(field, models.CharField)
    return forms.CharField(
        label=str(field.verbose_name), max_length=field.max_length, required=required
    )


class LetterheadForm(forms.Form):
    issuer = _letterhead_field("issuer", required=True)
    address = _letterhead_field("address")
    phone = _letterhead_field("phone")
    reconsideration_body = _letterhead_field("reconsideration_body")
    court = _letterhead_field("court")
    number_prefix = _letterhead_field("number_prefix")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuer"].error_messages["required"] = "请填写落款机关名称"
        self.fields["reconsideration_body"].help_text = "留空时文书写“有关行政复议机关”"
        self.fields["court"].help_text = "留空时文书写“有管辖权的人民法院”"
        self.fields["number_prefix"].help_text = (
            "文书文号的机关代字，如“泉港政信”，文号为“泉港政信〔2026〕1号”，每年从1号起按发出顺序"
            "编号；留空时使用本单位简称"
        )
