"""The administrator's form for setting a member's new password."""

from __future__ import annotations

from typing import Any

from django import forms


class MemberPasswordForm(forms.Form):
    new_password1 = forms.CharField(
        label="新密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少 10 个字符，不能全是数字，不能与用户名相近或过于常见",
    )
    new_password2 = forms.CharField(
        label="再次输入新密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("new_password1"), data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", "两次输入的新密码不一致")
        return data


class AccessLogForm(forms.Form):
    """The filters of the personal-data access log (the unit among those the user may read)."""

    unit = forms.ModelChoiceField(label="单位", queryset=None, empty_label=None)
    user = forms.CharField(label="人员（用户名）", required=False, max_length=150)
    date_from = forms.DateField(
        label="自", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="至", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    case = forms.CharField(label="受理编号", required=False, max_length=64)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "结束日期不能早于开始日期")
        return data
