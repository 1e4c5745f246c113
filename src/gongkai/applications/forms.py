"""HTML forms of the case pages: they parse and check input, the services decide.

Choices come from the same declarations the models use (channels and receipt rules from
:mod:`gongkai.core.law`, applicant types and result rows from :mod:`gongkai.core.formats`).
A form never changes a case; it hands typed values to one service call in the view.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Final

from django import forms
from django.db.models import QuerySet

from gongkai.agencies.models import Unit
from gongkai.applications.clock import (
    RESULT_FEE_UNPAID,
    RESULT_NO_CORRECTION,
    deployment_clock_policy,
)
from gongkai.applications.models import (
    APPLICANT_TYPE_CHOICES,
    CHANNEL_CHOICES,
    RESULT_CHOICES,
    Delivery,
    IdDocument,
    RequestedForm,
)
from gongkai.applications.worklists import STATUS_FILTERS
from gongkai.core import fees
from gongkai.core.clock import ConsultationParty
from gongkai.core.formats import FIRST_REPORT_YEAR, FORMATS, format_for_year
from gongkai.core.law import (
    CHANNEL_LABELS,
    DELAYED_REPLY_ARTICLE,
    EXTENSION_MAX,
    RECEIPT_ARTICLE,
    RECEIPT_RULES,
    Channel,
    ReceiptRule,
    receipt_rule,
)
from gongkai.core.names import row_name
from gongkai.core.reasons import WITHHELD_GROUNDS, ReasonField, required_reasons
from gongkai.core.results import default_legal_basis, result_label, result_rows

_RESULT_LABELS: Final = dict(RESULT_CHOICES)
DATE_WIDGET: Final = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE_WIDGET,
        help_text=help_text,
        error_messages={"invalid": f"“{label}”不是有效日期，请按“年-月-日”填写，如 2025-03-07"},
    )


def _channels_using(rule: ReceiptRule) -> str:
    return "、".join(CHANNEL_LABELS[c] for c, r in RECEIPT_RULES.items() if r is rule)


def _choices(blank: str, choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", blank), *choices]


class RegisterForm(forms.Form):
    """The Article 29 fields of an application, and the Article 31 receipt dates."""

    unit = forms.ModelChoiceField(label="受理单位", queryset=Unit.objects.none(), empty_label=None)
    channel = forms.ChoiceField(label="申请方式", choices=_choices("请选择", CHANNEL_CHOICES))
    submitted_on = date_field("申请到达（提交）日期")
    signed_for_on = date_field(
        "签收日期",
        required=False,
        help_text=f"仅“{_channels_using(ReceiptRule.SIGNED_FOR)}”填写：{RECEIPT_ARTICLE}"
        "规定以签收之日为收到申请之日",
    )
    confirmed_on = date_field(
        "与申请人确认的日期",
        required=False,
        help_text=f"仅“{_channels_using(ReceiptRule.CONFIRMED)}”填写：{RECEIPT_ARTICLE}"
        "规定以双方确认之日为收到申请之日",
    )
    applicant_type = forms.ChoiceField(
        label="申请人类型", choices=_choices("请选择", APPLICANT_TYPE_CHOICES)
    )
    applicant_name = forms.CharField(label="申请人姓名或名称", max_length=200)
    contact_person = forms.CharField(
        label="联系人", max_length=100, required=False, help_text="申请人为法人或其他组织时填写"
    )
    id_document_type = forms.ChoiceField(label="身份证明类型", choices=IdDocument.choices)
    id_document_number = forms.CharField(label="身份证明号码", max_length=64)
    phone = forms.CharField(label="联系电话", max_length=40, required=False)
    email = forms.EmailField(
        label="电子邮箱",
        required=False,
        error_messages={"invalid": "电子邮箱格式不正确，例如 zhang@example.com"},
    )
    address = forms.CharField(label="通信地址", max_length=300, required=False)
    postcode = forms.CharField(label="邮政编码", max_length=10, required=False)
    description = forms.CharField(
        label="所需政府信息的名称、文号或者特征性描述",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    requested_form = forms.ChoiceField(label="提供形式", choices=RequestedForm.choices)
    delivery = forms.ChoiceField(label="获取方式", choices=Delivery.choices)
    # Set after the clerk has seen the possible duplicates and chosen to register anyway.
    confirm_duplicate = forms.BooleanField(
        label="我已核对上述相似申请，仍要登记为新申请", required=False
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units
        for name, bound in self.fields.items():
            if name not in ("unit", "confirm_duplicate"):
                bound.error_messages["required"] = f"请填写“{bound.label}”"

    def clean(self) -> dict[str, Any]:
        """Tie the receipt dates to the channel before the clock has to refuse them."""
        data = super().clean() or {}
        value = data.get("channel")
        if not value:
            return data
        channel = Channel(value)
        rule = receipt_rule(channel, deployment_clock_policy())
        label = CHANNEL_LABELS[channel]
        needed = {ReceiptRule.SIGNED_FOR: "signed_for_on", ReceiptRule.CONFIRMED: "confirmed_on"}
        for rule_of_field, name in needed.items():
            field_label = self.fields[name].label
            if rule is rule_of_field and not data.get(name) and name not in self.errors:
                self.add_error(
                    name, f"以“{label}”方式提出的申请须填写{field_label}（{RECEIPT_ARTICLE}）"
                )
            if rule is not rule_of_field and data.get(name):
                self.add_error(
                    name,
                    f"以“{label}”方式提出的申请不使用{field_label}，请清空此项或检查申请方式",
                )
        return data


class SearchForm(forms.Form):
    """Filters of the case search; every field optional."""

    unit = forms.ModelChoiceField(
        label="单位", queryset=Unit.objects.none(), required=False, empty_label="全部单位"
    )
    status = forms.ChoiceField(
        label="状态", choices=_choices("全部", STATUS_FILTERS), required=False
    )
    applicant_type = forms.ChoiceField(
        label="申请人类型", choices=_choices("全部", APPLICANT_TYPE_CHOICES), required=False
    )
    channel = forms.ChoiceField(
        label="申请方式", choices=_choices("全部", CHANNEL_CHOICES), required=False
    )
    received_from = date_field("收到日期自", required=False)
    received_to = date_field("收到日期至", required=False)
    q = forms.CharField(
        label="关键词",
        required=False,
        max_length=100,
        help_text="受理编号、申请人、身份证明号码或申请内容",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    provisional = forms.BooleanField(
        label="暂定期限",
        required=False,
        help_text="只看答复期限跨入尚未录入放假安排年度的未办结案件",
    )
    # One row of a year's table 三 (what the roll-up's cells link to); the column is the
    # applicant type above.
    table3_year = forms.IntegerField(
        label="报告年度", required=False, min_value=FIRST_REPORT_YEAR, max_value=9999
    )
    table3_row = forms.ChoiceField(
        label="年度报告表三的行",
        choices=_choices(
            "全部",
            # Every format's rows in the short names findings use (「部分公开」, not the report's
            # caption), the newest format's name where a code is in both.
            list(
                {
                    row.code: row_name(fmt.version, fmt.table3.code, row.code)
                    for fmt in sorted(FORMATS.values(), key=lambda f: f.first_year)
                    for row in fmt.table3.cell_rows
                }.items()
            ),
        ),
        required=False,
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units
        unit_field.error_messages["invalid_choice"] = "所选单位不存在，或您无权查看该单位的申请"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error(
                "received_to",
                f"收到日期的截止日（{end.isoformat()}）早于起始日（{start.isoformat()}）",
            )
        year, row = data.get("table3_year"), data.get("table3_row")
        if row and year is None:
            self.add_error("table3_year", "按年度报告表三的行查询时须填写报告年度")
        elif row and year is not None:
            codes = {r.code for r in format_for_year(year).table3.cell_rows}
            if row not in codes:
                self.add_error("table3_row", f"{year} 年度报告的表三没有这一行，请重新选择")
        return data


# ---------------------------------------------------------------------------------------------
# One form per workflow step; each carries the version of the case the clerk saw.
# ---------------------------------------------------------------------------------------------


class StepForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    on = date_field("日期", help_text="办理该事项的日期，可补录以前的日期，不能晚于今天")

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("on", today)
        super().__init__(*args, **kwargs)
        self.today = today
        for bound in self.fields.values():
            bound.error_messages["required"] = f"请填写“{bound.label}”"
        self.fields["version"].error_messages["required"] = (
            "表单缺少案件版本号，请刷新页面后重新操作"
        )


class CorrectionForm(StepForm):
    items = forms.CharField(
        label="需要补正的事项（一次性告知）", widget=forms.Textarea(attrs={"rows": 3})
    )
    supplement_deadline = date_field("补正期限")


class NoteForm(StepForm):
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DateOnlyForm(StepForm):
    pass


class ConsultForm(StepForm):
    consultation = forms.ChoiceField(
        label="征求意见对象",
        choices=[(k.value, f"{k.noun}（{k.period.article}）") for k in ConsultationParty],
    )
    party = forms.CharField(label="第三方或机关名称", max_length=200)


AGREES_CHOICES: Final = [("yes", "同意公开"), ("no", "不同意公开"), ("none", "未明确表态")]


class ConsultAnswerForm(StepForm):
    consultation_party = forms.ChoiceField(label="答复的征求意见函", choices=[])
    agrees = forms.ChoiceField(label="意见", choices=AGREES_CHOICES)
    note = forms.CharField(
        label="答复要点", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, open_consultations: tuple[tuple[str, str], ...] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        labels = {k.value: k.noun for k in ConsultationParty}
        field = self.fields["consultation_party"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(f"{k}|{p}", f"{labels[k]}：{p}") for k, p in open_consultations]

    def split(self) -> tuple[str, str]:
        kind, _, party = self.cleaned_data["consultation_party"].partition("|")
        return kind, party

    def agrees_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data["agrees"])


class ConsultDeliveredForm(StepForm):
    """The day a consulted party received the letter (the form's date): its window counts
    from then (Arts 32, 34)."""

    consultation_party = forms.ChoiceField(label="送达的征求意见函", choices=[])

    def __init__(
        self, *args: Any, open_consultations: tuple[tuple[str, str], ...] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].label = "送达日期"
        self.fields["on"].help_text = "对方收到征求意见函之日；答复期限自该日起算"
        labels = {k.value: k.noun for k in ConsultationParty}
        field = self.fields["consultation_party"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(f"{k}|{p}", f"{labels[k]}：{p}") for k, p in open_consultations]

    def split(self) -> tuple[str, str]:
        kind, _, party = self.cleaned_data["consultation_party"].partition("|")
        return kind, party


class FeeDeliveredForm(StepForm):
    """The day the applicant received the 收费通知 (the form's date)."""

    note = forms.CharField(
        label="送达凭证", required=False, help_text="如邮件签收单号、电子送达回执"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].label = "送达日期"
        self.fields["on"].help_text = "申请人收到收费通知之日；缴费期限自该日起算"


class DelayedReplyForm(StepForm):
    """Art 35: a reasonable later due date, notified to the applicant, with the reason."""

    due = date_field(
        "确定的答复期限",
        help_text=f"{DELAYED_REPLY_ARTICLE}：申请数量、频次明显超过合理范围，理由合理但无法在"
        "法定期限内答复的，可以确定延迟答复的合理期限并告知申请人；须晚于原答复期限",
    )
    reason = forms.CharField(label="延迟答复的理由", widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionForm(StepForm):
    working_days = forms.IntegerField(
        label="延长的工作日数",
        min_value=1,
        max_value=EXTENSION_MAX.working_days,
        initial=EXTENSION_MAX.working_days,
        help_text=f"{EXTENSION_MAX.article}：延长期限最长不得超过 {EXTENSION_MAX.working_days} "
        "个工作日；须经政府信息公开工作机构负责人同意",
    )
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = EXTENSION_MAX.working_days
        self.fields["working_days"].error_messages.update(
            {
                "max_value": f"延长期限最长不得超过 {limit} 个工作日（{EXTENSION_MAX.article}）",
                "min_value": "延长的工作日数至少为 1",
                "invalid": "延长的工作日数须为整数",
            }
        )


class ReasonForm(StepForm):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))


class FeeNoticeForm(StepForm):
    method = forms.ChoiceField(
        label="计费方式", choices=[(m.value, m.label) for m in fees.FeeMethod]
    )
    requests = forms.IntegerField(
        label="本申请的件数（按件计收）", min_value=1, initial=1, required=False
    )
    pages = forms.IntegerField(label="页数（按量计收）", min_value=1, required=False)
    electronic = forms.BooleanField(label="以电子数据提供（按量计收）", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("method") == fees.FeeMethod.PER_PAGE and not data.get("pages"):
            self.add_error("pages", "按量计收须填写信息的页数")
        return data


class DecideForm(StepForm):
    result = forms.ChoiceField(label="办理结果（年度报告表三的行）", choices=[])
    legal_basis = forms.CharField(
        label="法律依据",
        max_length=500,
        required=False,
        help_text="选择办理结果后自动填入该结果的默认依据，可按本案修改；留空则使用默认依据",
    )
    # The reasons the reply letter states (core.reasons): which, depends on the result.
    withheld_part = forms.CharField(
        label="不予公开的部分",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="仅“部分公开”填写：写明哪些内容不予公开（如“第3至5页中投标人的报价”）",
    )
    withheld_ground = forms.ChoiceField(
        label="不予公开部分的情形",
        required=False,
        choices=[],
        help_text="仅“部分公开”填写：不予公开部分适用的情形，答复书据此引用"
        "《条例》第十四、十五、十六条或第三十六条的相应条款",
    )
    facts = forms.CharField(
        label="具体理由",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="不予公开、部分公开、不予处理：写明本案的具体理由；无法提供：写明检索了哪些范围"
        "（档案、系统、相关科室）或无法提供的具体原因。答复书原文照印",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ground = self.fields["withheld_ground"]
        assert isinstance(ground, forms.ChoiceField)
        ground.choices = _choices(
            "请选择", [(code, _RESULT_LABELS[code]) for code in WITHHELD_GROUNDS]
        )
        # The rows of the format in force this year; 逾期未补正/未缴费 are workflow steps.
        workflow = {RESULT_FEE_UNPAID, RESULT_NO_CORRECTION}
        rows = result_rows(format_for_year(self.today.year).table3)
        field = self.fields["result"]
        assert isinstance(field, forms.ChoiceField)
        field.error_messages["invalid_choice"] = (
            f"办理结果 %(value)s 不是{self.today.year}年适用的表三结果行，或须通过办理操作结案"
            "（逾期未补正、逾期未缴费）"
        )
        field.choices = _choices(
            "请选择",
            [
                (row.code, result_label(row, group))
                for row, group in rows
                if row.code not in workflow
            ],
        )
        # The default basis of each result (letters.basis), for the page to pre-fill.
        bases = {code: default_legal_basis(code) for code, _ in field.choices if code}
        field.widget.attrs["data-bases"] = json.dumps(bases, ensure_ascii=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        result = data.get("result")
        if result and not data.get("legal_basis", "").strip():
            data["legal_basis"] = default_legal_basis(result)
        if result:
            wanted = {need.field for need in required_reasons(result)}
            for need in required_reasons(result):
                if not str(data.get(need.field.value, "")).strip():
                    self.add_error(
                        need.field.value,
                        f"所选办理结果须在答复书中说明，请填写{need.label}",
                    )
            # A reason the result does not use is dropped, not kept unseen in the record.
            for name in ReasonField:
                if name not in wanted:
                    data[name.value] = ""
        return data


class ReplyForm(StepForm):
    delivery = forms.ChoiceField(label="送达方式", choices=Delivery.choices)
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    """The case page's assignee block: who handles the case, at the version the user saw."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    assignee = forms.IntegerField(
        label="承办人", min_value=1, error_messages={"required": "请选择承办人"}
    )
    note = forms.CharField(label="说明", max_length=200, required=False)


# What a bulk action on the cases ticked in 我的案件 does.
BULK_ASSIGN: Final = "assign"
BULK_EXPORT: Final = "export"
BULK_PRINT: Final = "print"
BULK_ACTIONS: Final = [
    (BULK_ASSIGN, "指定承办人"),
    (BULK_EXPORT, "导出 Excel"),
    (BULK_PRINT, "打印文书"),
]


class BulkForm(forms.Form):
    """The cases ticked in a list and what to do with them; the assignee only for assigning."""

    ids = forms.TypedMultipleChoiceField(
        label="案件",
        coerce=int,
        error_messages={"required": "请先勾选案件", "invalid_choice": "案件编号无效：%(value)s"},
    )
    action = forms.ChoiceField(
        label="批量操作",
        choices=BULK_ACTIONS,
        error_messages={"required": "请选择批量操作", "invalid_choice": "未知的批量操作"},
    )
    assignee = forms.TypedChoiceField(
        label="承办人",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={
            "invalid_choice": "您不能把案件指定给该承办人：经办人只能由自己承办待分配的案件"
        },
    )
    note = forms.CharField(label="说明", max_length=200, required=False)
    # An export with full ID and phone numbers (the 负责人, with a reason that is logged).
    personal = forms.BooleanField(label="含完整身份证明号码和联系电话", required=False)
    reason = forms.CharField(label="事由", max_length=300, required=False)

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any integer is a well-formed case id; whether the user may see it is the selector's.
        submitted = self.data  # the bound form's QueryDict (not an event's JSON)
        raw = submitted.getlist("ids") if hasattr(submitted, "getlist") else []
        ids = self.fields["ids"]
        assert isinstance(ids, forms.TypedMultipleChoiceField)
        ids.choices = [(v, v) for v in raw if str(v).isdigit()]
        assignee = self.fields["assignee"]
        assert isinstance(assignee, forms.TypedChoiceField)
        assignee.choices = [("", "—"), *members]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        missing = data.get("assignee") is None and "assignee" not in self.errors
        if data.get("action") == BULK_ASSIGN and missing:
            self.add_error("assignee", "批量指定承办人时请选择承办人")
        return data
