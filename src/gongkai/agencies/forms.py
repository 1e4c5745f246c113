"""The administrator's forms: units, accounts, passwords; and the access log's filters."""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.agencies.models import UNIT_KIND_CHOICES, Role, Unit


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

    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none(), empty_label=None)
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


def _unit_field(label: str = "单位") -> forms.ModelChoiceField:  # type: ignore[type-arg]
    return forms.ModelChoiceField(label=label, queryset=Unit.objects.none(), empty_label=None)


class UnitForm(forms.Form):
    """A unit's name, short name and kind; with ``parent`` when it is created."""

    name = forms.CharField(label="单位名称", max_length=100)
    short_name = forms.CharField(label="简称（用于受理编号）", max_length=30)
    kind = forms.ChoiceField(label="单位类别", choices=UNIT_KIND_CHOICES)

    def __init__(self, *args: Any, parents: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if parents is not None:
            field = _unit_field("上级单位")
            field.queryset = parents
            self.fields["parent"] = field


class UnitMoveForm(forms.Form):
    parent = forms.ModelChoiceField(
        label="新的上级单位", queryset=Unit.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, parents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["parent"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = parents


class MemberCreateForm(MemberPasswordForm):
    """A new account: its one-time password is the administrator's two password fields."""

    username = forms.CharField(label="用户名", max_length=150)
    full_name = forms.CharField(label="姓名", max_length=150, required=False)
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none(), empty_label=None)
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    email = forms.EmailField(
        label="电子邮箱",
        required=False,
        help_text="期限提醒和每日待办发到这里；不填则只在系统内提醒",
    )
    field_order = (
        "username",
        "full_name",
        "unit",
        "role",
        "email",
        "new_password1",
        "new_password2",
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units
        self.fields["new_password1"].label = "一次性密码"
        self.fields["new_password1"].help_text = "告知本人；首次登录时必须改为只有本人知道的密码"


class MemberChangeForm(forms.Form):
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none(), empty_label=None)
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    email = forms.EmailField(
        label="电子邮箱",
        required=False,
        help_text="期限提醒和每日待办发到这里；不填则只在系统内提醒",
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units
