"""Forms of the remedies: registering a reconsideration or lawsuit, recording its result."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from gongkai.remedies.models import KIND_CHOICES, RESULT_CHOICES, Remedy


def _date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"required": f"请填写{label}", "invalid": f"{label}格式应为 2025-06-18"},
    )


class RemedyRegisterForm(forms.Form):
    kind = forms.ChoiceField(label="类别（年度报告表四的行）", choices=KIND_CHOICES)
    authority = forms.CharField(label="复议机关或人民法院", max_length=100)
    case_number = forms.CharField(label="案号", max_length=100, required=False)
    filed_on = _date("申请（立案）日期")
    reconsideration = forms.TypedChoiceField(
        label="此前的行政复议（仅复议后起诉）", coerce=int, required=False, empty_value=None
    )
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self, *args: Any, today: dt.date, decided: list[Remedy] | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", "remedy")
        kwargs.setdefault("initial", {"filed_on": today})
        super().__init__(*args, **kwargs)
        field = self.fields["reconsideration"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "（无）")] + [
            (str(r.pk), f"{r.authority} {r.case_number or ''}（{r.decided_on:%Y-%m-%d} 审结）")
            for r in decided or []
        ]
        field.error_messages["invalid_choice"] = "所选的行政复议不是本申请已审结的行政复议"
        self.fields["authority"].error_messages["required"] = "请填写复议机关或人民法院名称"


class RemedyResultForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    result = forms.ChoiceField(label="审结结果", choices=RESULT_CHOICES)
    decided_on = _date("审结日期")
    note = forms.CharField(label="备注", required=False, max_length=500)

    def __init__(self, *args: Any, today: dt.date, remedy: Remedy, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"result{remedy.pk}")
        kwargs.setdefault("initial", {"decided_on": today, "version": remedy.version})
        super().__init__(*args, **kwargs)
        self.remedy = remedy
