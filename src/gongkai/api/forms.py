"""The staff page's form for issuing a token: the unit (among those the user manages tokens
for), a name, and the scopes with their Chinese explanations."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from gongkai.agencies.models import Unit
from gongkai.api.services import SCOPE_LABELS


class TokenForm(forms.Form):
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none(), empty_label=None)
    name = forms.CharField(
        label="名称",
        max_length=100,
        help_text="调用系统的名称，如“区政务服务平台”，便于日后识别和吊销",
    )
    scopes = forms.MultipleChoiceField(
        label="权限范围",
        choices=[(code, f"{code}：{label}") for code, label in SCOPE_LABELS.items()],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一个权限范围"},
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units
