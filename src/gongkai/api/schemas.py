"""The shapes of the API's requests and responses (pydantic, through django-ninja).

Choices are read from the models' and the core's declarations, never typed here, so the
OpenAPI schema lists exactly the values the services accept. Personal data (ID and phone
numbers) leave the API masked unless the token has the ``applications:personal-data`` scope.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from ninja import Field, Schema

from gongkai.applications.models import (
    APPLICANT_TYPE_CHOICES,
    CHANNEL_CHOICES,
    RESULT_CHOICES,
    Application,
    Delivery,
    IdDocument,
    RequestedForm,
    Status,
)
from gongkai.core.clock import ConsultationParty
from gongkai.core.fees import FeeMethod
from gongkai.core.masking import mask_id_number, mask_phone
from gongkai.core.reasons import WITHHELD_GROUNDS


def _literal(values: list[str]) -> Any:
    return Literal[tuple(values)]


# The choices as Literal types, for the schema's enums; plain strings to the type checker.
if TYPE_CHECKING:
    ChannelValue = str
    ApplicantType = str
    IdDocumentValue = str
    RequestedFormValue = str
    DeliveryValue = str
    StatusValue = str
    ResultValue = str
    ConsultationValue = str
    FeeMethodValue = str
else:
    ChannelValue = _literal([code for code, _ in CHANNEL_CHOICES])
    ApplicantType = _literal([code for code, _ in APPLICANT_TYPE_CHOICES])
    IdDocumentValue = _literal(list(IdDocument.values))
    RequestedFormValue = _literal(list(RequestedForm.values))
    DeliveryValue = _literal(list(Delivery.values))
    StatusValue = _literal(list(Status.values))
    ResultValue = _literal([code for code, _ in RESULT_CHOICES])
    ConsultationValue = _literal([party.value for party in ConsultationParty])
    FeeMethodValue = _literal([method.value for method in FeeMethod])

# Years a case or a report may have: the 2008 Regulation's first year to a generous future.
YEAR_MIN, YEAR_MAX = 2008, 2100


class ErrorBody(Schema):
    code: str = Field(description="错误代码（英文，供程序判断）")
    message: str = Field(description="错误说明（中文）")
    details: Any = Field(default=None, description="补充信息，如每个字段的问题")


class ErrorOut(Schema):
    error: ErrorBody


class UnitOut(Schema):
    id: int
    name: str
    short_name: str


class ApplicationOut(Schema):
    id: int
    tracking_number: str = Field(description="受理编号")
    unit: UnitOut
    year: int = Field(description="受理年度")
    channel: str
    channel_label: str
    applicant_type: str
    applicant_type_label: str
    applicant_name: str
    contact_person: str
    id_document_type: str
    id_document_number: str = Field(description="身份证明号码（无个人信息权限时打码）")
    phone: str = Field(description="联系电话（无个人信息权限时打码）")
    email: str
    address: str
    postcode: str
    description: str
    requested_form: str
    delivery: str
    submitted_on: dt.date
    received_on: dt.date
    status: str
    status_label: str
    due_date: dt.date | None = Field(description="答复期限（最近一次办理时计算）")
    result: str = Field(description="办理结果（表三的结果行代码，未决定时为空）")
    result_label: str
    decided_on: dt.date | None
    closed_on: dt.date | None
    version: int = Field(description="版本：办理步骤须提交所见的版本（防止覆盖他人的办理）")
    created_at: dt.datetime


def application_out(application: Application, *, personal_data: bool) -> ApplicationOut:
    number, phone = application.id_document_number, application.phone
    if not personal_data:
        number, phone = mask_id_number(number), mask_phone(phone)
    return ApplicationOut(
        id=application.pk,
        tracking_number=application.tracking_number,
        unit=UnitOut(
            id=application.unit.pk,
            name=application.unit.name,
            short_name=application.unit.short_name,
        ),
        year=application.year,
        channel=application.channel,
        channel_label=application.get_channel_display(),
        applicant_type=application.applicant_type,
        applicant_type_label=application.get_applicant_type_display(),
        applicant_name=application.applicant_name,
        contact_person=application.contact_person,
        id_document_type=application.id_document_type,
        id_document_number=number,
        phone=phone,
        email=application.email,
        address=application.address,
        postcode=application.postcode,
        description=application.description,
        requested_form=application.requested_form,
        delivery=application.delivery,
        submitted_on=application.submitted_on,
        received_on=application.received_on,
        status=application.status,
        status_label=application.get_status_display(),
        due_date=application.due_date,
        result=application.result,
        result_label=application.get_result_display() if application.result else "",
        decided_on=application.decided_on,
        closed_on=application.closed_on,
        version=application.version,
        created_at=application.created_at,
    )


class OnlineSubmissionOut(Schema):
    """An application sent through the public portal, awaiting the office's confirmation
    ([R] Art 31(三): received on the day both sides confirm it)."""

    id: int
    public_number: str = Field(description="申请人持有的网上申请查询码")
    applicant_type: str
    applicant_type_label: str
    applicant_name: str
    id_document_type: str
    id_document_number: str = Field(description="身份证明号码（无个人信息权限时遮蔽）")
    phone: str = Field(description="联系电话（无个人信息权限时遮蔽）")
    description: str
    requested_form: str
    delivery: str
    submitted_on: dt.date
    submitted_at: dt.datetime


def online_submission_out(submission: Any, *, personal_data: bool) -> OnlineSubmissionOut:
    number, phone = submission.id_document_number, submission.phone
    if not personal_data:
        number, phone = mask_id_number(number), mask_phone(phone)
    return OnlineSubmissionOut(
        id=submission.pk,
        public_number=submission.public_number,
        applicant_type=submission.applicant_type,
        applicant_type_label=submission.get_applicant_type_display(),
        applicant_name=submission.applicant_name,
        id_document_type=submission.id_document_type,
        id_document_number=number,
        phone=phone,
        description=submission.description,
        requested_form=submission.requested_form,
        delivery=submission.delivery,
        submitted_on=submission.submitted_on,
        submitted_at=submission.submitted_at,
    )


class OnlineSubmissionPage(Schema):
    count: int = Field(description="待确认的网上申请总数")
    limit: int
    offset: int
    items: list[OnlineSubmissionOut]


class OnlineConfirmIn(Schema):
    confirmed_on: dt.date | None = Field(
        default=None, description="确认收到日期（与申请人双方确认之日，答复期限自此起算），默认今天"
    )


class ApplicationPage(Schema):
    count: int = Field(description="符合条件的申请总数")
    limit: int
    offset: int
    items: list[ApplicationOut]


class ApplicationIn(Schema):
    """A new application as received (Art 29); the service checks each value in Chinese."""

    channel: ChannelValue = Field(description="申请方式")
    applicant_type: ApplicantType = Field(description="申请人类型（表三的申请人列）")
    applicant_name: str = Field(min_length=1, max_length=200)
    id_document_type: IdDocumentValue
    id_document_number: str = Field(min_length=1, max_length=64)
    description: str = Field(min_length=1, max_length=20000, description="所需政府信息的描述")
    submitted_on: dt.date = Field(description="申请人提交日期")
    signed_for_on: dt.date | None = Field(default=None, description="签收日期（挂号信等）")
    confirmed_on: dt.date | None = Field(
        default=None, description="与申请人确认的日期（平信、网络平台、传真）"
    )
    contact_person: str = Field(default="", max_length=100)
    phone: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=254)
    address: str = Field(default="", max_length=300)
    postcode: str = Field(default="", max_length=10)
    requested_form: RequestedFormValue = RequestedForm.PAPER.value
    delivery: DeliveryValue = Delivery.POST.value


class StepIn(Schema):
    expected_version: int = Field(
        ge=1, description="调用方所见的申请版本（ApplicationOut.version）"
    )
    on: dt.date | None = Field(default=None, description="办理日期，默认今天")


class CorrectionIn(StepIn):
    items: str = Field(min_length=1, max_length=5000, description="需要补正的事项（一次性告知）")
    supplement_deadline: dt.date


class SupplementIn(StepIn):
    note: str = Field(default="", max_length=2000)


class ExtensionIn(StepIn):
    working_days: int = Field(ge=1, le=20, description="延长的工作日数（最长 20 个）")
    reason: str = Field(min_length=1, max_length=2000)


class RefusalIn(StepIn):
    reason: str = Field(min_length=1, max_length=2000)


class DecisionIn(StepIn):
    result: ResultValue = Field(description="办理结果（表三的结果行代码）")
    legal_basis: str = Field(min_length=1, max_length=2000)
    facts: str = Field(default="", max_length=5000)
    withheld_part: str = Field(default="", max_length=5000)
    withheld_ground: str = Field(default="", max_length=40)


_GROUNDS = "、".join(f"{code}（{dict(RESULT_CHOICES)[code]}）" for code in WITHHELD_GROUNDS)


class ReasonsIn(StepIn):
    """The reasons a decision recorded without them lacks (补录答复理由): only those still blank,
    each checked by the service against what the decision's result needs."""

    facts: str = Field(default="", max_length=5000, description="具体理由")
    withheld_part: str = Field(default="", max_length=5000, description="不予公开的部分")
    withheld_ground: str = Field(
        default="",
        max_length=40,
        description=f"不予公开部分的情形（表三“不予公开”的结果行代码）：{_GROUNDS}",
    )


class ReplyIn(StepIn):
    delivery: DeliveryValue
    note: str = Field(default="", max_length=2000)


class WithdrawalIn(StepIn):
    note: str = Field(default="", max_length=2000)


class ConsultationIn(StepIn):
    consultation: ConsultationValue = Field(
        description="征求意见的对象：third_party 第三方（第三十二条）、agency 机关（第三十四条）"
    )
    party: str = Field(min_length=1, max_length=200, description="第三方或机关名称")


class ConsultationAnswerIn(ConsultationIn):
    agrees: bool | None = Field(default=None, description="是否同意公开（null：未表态）")
    note: str = Field(default="", max_length=2000)


class DelayedReplyIn(StepIn):
    due: dt.date = Field(description="延迟答复的期限（第三十五条）")
    reason: str = Field(min_length=1, max_length=2000)


class FeeNoticeIn(StepIn):
    method: FeeMethodValue = Field(description="计收方式：per_request 按件，per_page 按量")
    requests: int = Field(default=1, ge=1, le=10_000, description="申请件数（按件）")
    pages: int | None = Field(default=None, ge=0, le=10_000_000, description="页数（按量）")
    electronic: bool = Field(default=False, description="是否以电子形式提供")
    delivered_on: dt.date | None = Field(default=None, description="申请人收到收费通知的日期")


class DocumentOut(Schema):
    id: int
    kind: str
    kind_label: str
    number: str = Field(description="文号")
    title: str
    issued_on: dt.date
    repealed_on: dt.date | None


class DocumentPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[DocumentOut]


class Section2Out(Schema):
    unit: UnitOut
    year: int
    tables: dict[str, dict[str, dict[str, int | float | None]]] = Field(
        description="第二部分各表：表代码 → 行代码 → 列代码 → 数值（空白为 null）"
    )


def section2_tables(cells: dict[str, Any]) -> dict[str, dict[str, dict[str, int | float | None]]]:
    """Section 二's cells as JSON numbers (the fee total is a Decimal of 万元)."""
    return {
        table: {
            row: {col: float(v) if isinstance(v, Decimal) else v for col, v in cols.items()}
            for row, cols in rows.items()
        }
        for table, rows in cells.items()
    }


class CatalogueItemOut(Schema):
    id: int
    category: str
    category_label: str
    title: str
    formed_on: dt.date
    published_on: dt.date | None
    due: dt.date | None = Field(description="第二十六条：应在此日前公开")
    late_working_days: int | None = Field(description="逾期公开的工作日数")


class ReportVersionOut(Schema):
    version: int
    published_at: dt.datetime
    sha256: str
    reason: str
