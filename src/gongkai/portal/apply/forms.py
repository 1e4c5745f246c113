"""The online application form: the fields of [R] Art 29, in the applicant's words."""

from __future__ import annotations

import re
from typing import Any, Final

from django import forms

from gongkai.agencies.models import Unit
from gongkai.applications.models import Delivery, IdDocument, RequestedForm
from gongkai.core.formats import APPLICANT_COLUMNS

# Table 三's six applicant columns (by their captions), each explained so that a citizen can
# choose one; a caption missing here fails at import, not on the page.
APPLICANT_TYPE_HELP: Final[dict[str, str]] = {
    "自然人": "以个人名义申请的公民",
    "商业企业": "公司、个体工商户等以营利为目的的企业",
    "科研机构": "高等院校、研究所等从事科学研究的机构",
    "社会公益组织": "基金会、慈善组织、社会团体等公益性组织",
    "法律服务机构": "律师事务所、法律援助机构、公证机构等",
    "其他": "不属于以上各类的机关、事业单位或其他组织",
}
PHONE_RE: Final = re.compile(r"^[0-9+\- ]{7,20}$")
FACTOR_RE: Final = re.compile(r"^[0-9Xx]{4}$")


class ApplyForm(forms.Form):
    unit = forms.ModelChoiceField(
        label="向哪个单位申请",
        queryset=Unit.objects.order_by("name"),
        empty_label="请选择单位",
        error_messages={"invalid_choice": "请从列表中选择一个单位", "required": "请选择单位"},
    )
    applicant_type = forms.ChoiceField(
        label="申请人类型",
        choices=[(c.code, f"{c.label}：{APPLICANT_TYPE_HELP[c.label]}") for c in APPLICANT_COLUMNS],
        widget=forms.RadioSelect,
        initial=APPLICANT_COLUMNS[0].code,
    )
    applicant_name = forms.CharField(label="姓名或单位名称", max_length=200)
    contact_person = forms.CharField(
        label="联系人（以单位名义申请时填写）", max_length=100, required=False
    )
    id_document_type = forms.ChoiceField(label="身份证明类型", choices=IdDocument.choices)
    id_document_number = forms.CharField(label="证件号码", max_length=64)
    phone = forms.CharField(label="联系电话", max_length=20)
    email = forms.EmailField(label="电子邮箱（选填）", required=False)
    address = forms.CharField(label="通信地址", max_length=300, required=False)
    postcode = forms.CharField(label="邮政编码（选填）", max_length=10, required=False)
    description = forms.CharField(
        label="所需政府信息的名称、文号或者特征性描述",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )
    purpose = forms.CharField(
        label="用途（选填，法律不要求说明）",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
    )
    requested_form = forms.ChoiceField(
        label="希望以何种形式提供", choices=RequestedForm.choices, widget=forms.RadioSelect
    )
    delivery = forms.ChoiceField(
        label="希望以何种方式获取", choices=Delivery.choices, widget=forms.RadioSelect
    )
    proof = forms.FileField(
        label="身份证明（PDF、JPG 或 PNG，不超过 10 MB）",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        error_messages={"required": "请上传身份证明文件", "empty": "上传的文件是空文件"},
    )
    captcha_answer = forms.CharField(label="验证题", max_length=3)
    captcha_token = forms.CharField(widget=forms.HiddenInput)

    def clean_phone(self) -> str:
        value: str = self.cleaned_data["phone"].strip()
        if not PHONE_RE.match(value):
            raise forms.ValidationError("联系电话只能包含数字、空格、“+”和“-”，7 至 20 位")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("delivery") == Delivery.POST and not (data.get("address") or "").strip():
            self.add_error("address", "选择邮寄时请填写通信地址")
        if data.get("delivery") == Delivery.EMAIL and not data.get("email"):
            self.add_error("email", "选择电子邮件获取时请填写电子邮箱")
        return data


class TrackForm(forms.Form):
    number = forms.CharField(label="查询码", max_length=32)
    factor = forms.CharField(
        label="联系电话或证件号码的后四位",
        max_length=4,
        min_length=4,
        error_messages={"min_length": "请填写 4 位", "max_length": "请填写 4 位"},
    )

    def clean_factor(self) -> str:
        value: str = self.cleaned_data["factor"].strip().upper()
        if not FACTOR_RE.match(value):
            raise forms.ValidationError("请填写 4 位数字（身份证号末位可以是 X）")
        return value


class SupplementForm(forms.Form):
    """The applicant's answer to a 补正 notice: text, a file, or both."""

    text = forms.CharField(
        label="补正内容",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        required=False,
    )
    file = forms.FileField(
        label="补正材料（选填，PDF、JPG 或 PNG，不超过 10 MB）",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
