"""Forms of the registers' page: a document, its repeal, a month's decisions, the year's fees."""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.registers.models import (
    CATEGORY_CHOICES,
    CHANGE_CHOICES,
    DECISION_KIND_CHOICES,
    DOCUMENT_KIND_CHOICES,
    WORK_KIND_CHOICES,
)


def _date(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"required": f"请填写{label}", "invalid": f"{label}格式应为 2021-06-18"},
    )


def _required(form: forms.Form, **labels: str) -> None:
    for name, label in labels.items():
        form.fields[name].error_messages["required"] = f"请填写{label}"


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=DOCUMENT_KIND_CHOICES)
    number = forms.CharField(label="文号", max_length=100)
    title = forms.CharField(label="标题", max_length=300)
    issued_on = _date("印发日期")
    repealed_on = _date("废止（失效）日期", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "doc")
        super().__init__(*args, **kwargs)
        _required(self, number="文号", title="标题")
        self.fields["kind"].error_messages["invalid_choice"] = "请选择规章或行政规范性文件"


class RepealForm(forms.Form):
    repealed_on = _date("废止（失效）日期")


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=DECISION_KIND_CHOICES)
    month = forms.TypedChoiceField(
        label="月份", coerce=int, choices=[(m, f"{m} 月") for m in range(1, 13)]
    )
    count = forms.IntegerField(label="处理决定数量", min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "dec")
        super().__init__(*args, **kwargs)
        _required(self, count="处理决定数量")
        self.fields["count"].error_messages.update(
            {"min_value": "处理决定数量不能为负数", "invalid": "处理决定数量应为整数"}
        )
        self.fields["month"].error_messages["invalid_choice"] = "月份应为 1–12"
        self.fields["kind"].error_messages["invalid_choice"] = "请选择行政许可、行政处罚或行政强制"


class FeeForm(forms.Form):
    # Parsed by the service (万元, Decimal, at most four decimal places), not by a float field.
    amount = forms.CharField(label="本年收费金额（万元）", max_length=30)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "fee")
        super().__init__(*args, **kwargs)
        _required(self, amount="本年收费金额（万元）")


class ItemForm(forms.Form):
    category = forms.ChoiceField(label="类别", choices=CATEGORY_CHOICES)
    title = forms.CharField(label="信息名称", max_length=300)
    formed_on = _date("形成或变更日期")
    published_on = _date("公开日期（尚未公开的留空）", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "item")
        super().__init__(*args, **kwargs)
        _required(self, title="信息名称")
        self.fields["category"].error_messages["invalid_choice"] = (
            "请选择第二十条第（一）至（十五）项或第二十一条"
        )


class PublishForm(forms.Form):
    published_on = _date("公开日期")


class DecisionImportForm(forms.Form):
    workbook = forms.FileField(
        label="Excel 文件（.xlsx：“月份”列和“行政许可”“行政处罚”“行政强制”列）",
        error_messages={"required": "请选择要导入的 Excel 文件", "empty": "所选文件是空的"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "import")
        super().__init__(*args, **kwargs)


class WorkForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=WORK_KIND_CHOICES)
    name = forms.CharField(label="名称或事项", max_length=300)
    happened_on = _date("日期")
    change = forms.ChoiceField(
        label="变化（网站、新媒体账号、专栏）",
        choices=[("", "（无）"), *CHANGE_CHOICES],
        required=False,
    )
    quantity = forms.IntegerField(label="人次或人数（培训、责任追究）", required=False)
    note = forms.CharField(label="说明", max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "work")
        super().__init__(*args, **kwargs)
        _required(self, name="名称或事项")
        self.fields["quantity"].error_messages["invalid"] = "人次或人数应为整数"
