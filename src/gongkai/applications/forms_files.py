"""Forms for files: attachments of a case, and the Excel ledger to import.

They only parse the request; the checks that matter (content type, size, the ledger's rows)
are the services' (:mod:`gongkai.applications.attachments`, :mod:`.ledger_import`), whose Chinese
messages the views show next to these forms.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from gongkai.applications.attachments import ALLOWED, ALLOWED_HINT, max_bytes
from gongkai.applications.ledger_import import (
    FIELD_LABELS,
    MAX_ROWS,
    ON_DUPLICATE_LABELS,
    REQUIRED,
    Field,
    OnDuplicate,
)
from gongkai.applications.models import AttachmentKind

ACCEPT = ",".join(f".{e}" for t in ALLOWED for e in t.extensions)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the attachment service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


def _help() -> str:
    return f"{ALLOWED_HINT}，每个文件不超过 {max_bytes() / 1024 / 1024:.0f} MB"


class AttachmentForm(forms.Form):
    """Files of one kind for a case; on the case page it carries the version the clerk saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    kind = forms.ChoiceField(label="材料类别", choices=AttachmentKind.choices)
    upload = MultipleFileField(label="文件", required=True)

    def __init__(self, *args: Any, required: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "attachment")
        super().__init__(*args, **kwargs)
        self.fields["upload"].required = required
        self.fields["upload"].help_text = _help()
        self.fields["upload"].error_messages["required"] = "请选择要上传的文件"
        self.fields["upload"].error_messages["empty"] = "上传的文件是空文件（0 字节）"


class RegisterAttachmentsForm(forms.Form):
    """The files handed in with an application, on the register form (optional)."""

    identity_files = MultipleFileField(label="身份证明", required=False)
    request_files = MultipleFileField(label="申请书及申请材料", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "attachment")
        super().__init__(*args, **kwargs)
        for name in ("identity_files", "request_files"):
            self.fields[name].help_text = _help()
            self.fields[name].error_messages["empty"] = "上传的文件是空文件（0 字节）"

    def uploads(self) -> list[tuple[str, Any]]:
        """(kind, file) of every file chosen."""
        data = self.cleaned_data
        return [
            *((AttachmentKind.IDENTITY.value, f) for f in data.get("identity_files") or []),
            *((AttachmentKind.REQUEST.value, f) for f in data.get("request_files") or []),
        ]


class LedgerUploadForm(forms.Form):
    file = forms.FileField(
        label="台账文件（.xlsx）",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        help_text="Excel 工作簿（.xlsx），不超过 10 MB、20000 行；读取第一个工作表",
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"] = forms.ModelChoiceField(
            label="导入到单位", queryset=units, empty_label=None
        )
        self.order_fields(["unit", "file"])
        self.fields["file"].error_messages["required"] = "请选择要导入的台账文件"
        self.fields["file"].error_messages["empty"] = "上传的台账文件是空文件（0 字节）"


NOT_MAPPED = ""


class LedgerMappingForm(forms.Form):
    """Which ledger column holds which field (a select per field), and the header row."""

    token = forms.CharField(widget=forms.HiddenInput)
    header_row = forms.IntegerField(
        label="表头所在行（Excel 行号）", min_value=1, max_value=MAX_ROWS
    )
    on_duplicate = forms.ChoiceField(
        label="与已有案件或台账内其他行重复的行",
        choices=[(choice.value, label) for choice, label in ON_DUPLICATE_LABELS.items()],
        initial=OnDuplicate.SKIP.value,
        widget=forms.RadioSelect,
        required=False,  # left out (an old form): skip, the safe choice
    )

    def __init__(self, *args: Any, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        columns = [(NOT_MAPPED, "（不导入）")] + [
            (str(i), f"第 {i + 1} 列：{h or '（无表头）'}") for i, h in enumerate(headers)
        ]
        for f in Field:
            required = f in REQUIRED
            self.fields[f"map_{f.value}"] = forms.ChoiceField(
                label=f"{FIELD_LABELS[f]}{'（必填）' if required else ''}",
                choices=columns,
                required=False,
            )

    def mapping(self) -> dict[str, int]:
        return {
            f.value: int(self.cleaned_data[f"map_{f.value}"])
            for f in Field
            if self.cleaned_data.get(f"map_{f.value}", NOT_MAPPED) != NOT_MAPPED
        }


class CarryOverForm(forms.Form):
    # 2008: the first year of the Regulation; 9999: dt.date's last year (a larger number was a 500).
    year = forms.IntegerField(label="结转年度", min_value=2008, max_value=9999)

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"year": today.year - 1})
        super().__init__(*args, **kwargs)
        self.fields[
            "year"
        ].help_text = (
            "将该年 12 月 31 日仍未办结的申请记为“结转下年度”（可重复执行，已结转的不会重复记录）"
        )
        self.fields["year"].error_messages.update(
            {
                "required": "请填写结转年度",
                "invalid": "结转年度须为四位年份",
                "min_value": "结转年度不能早于 2008 年（《条例》施行之年）",
                "max_value": "结转年度须为四位年份",
            }
        )
