"""The form of the batch print page: which unit's letters, dated which day."""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.agencies.models import Unit
from gongkai.applications.forms import date_field


class PrintDayForm(forms.Form):
    unit = forms.TypedChoiceField(
        label="单位",
        coerce=int,
        error_messages={"invalid_choice": "请选择您可以查看的单位"},
    )
    day = date_field("落款日期")

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {unit.pk: unit for unit in units}
        field = self.fields["unit"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(unit.pk, unit.name) for unit in units]

    def chosen_unit(self) -> Unit:
        unit: Unit = self.units[self.cleaned_data["unit"]]
        return unit
