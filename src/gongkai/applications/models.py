"""Disclosure applications (依申请公开) and their append-only history.

The :class:`ApplicationEvent` rows are the truth about a case: status, due date, days left and
"overdue" are computed from them by the core's case clock. The columns of :class:`Application`
marked *cache* below are copies of what the clock computed at the last event, written in the
same transaction as that event by :mod:`gongkai.applications.services`; they exist only so that
lists can be sorted and counted in SQL. Nothing may treat them as the source of truth, and
nothing but the services may write them.

Choices are built from the core's declarations (channels from :mod:`gongkai.core.law`, applicant
types and result rows from table 三 of :mod:`gongkai.core.formats`), never typed here.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any, Final

from django.conf import settings
from django.db import models

from gongkai.agencies.models import Unit
from gongkai.core.clock import CaseStatus
from gongkai.core.formats import APPLICANT_COLUMNS, LATEST_FORMAT
from gongkai.core.law import CHANNEL_LABELS, Channel
from gongkai.core.results import result_label, result_plain_label, result_rows

if TYPE_CHECKING:
    from gongkai.applications.events import Payload


RESULT_CHOICES: Final[list[tuple[str, str]]] = [
    (row.code, result_label(row, group)) for row, group in result_rows(LATEST_FORMAT.table3)
]
# What clerks' pages show (plain words); the choices keep the report's captions.
RESULT_PLAIN_LABELS: Final[dict[str, str]] = {
    row.code: result_plain_label(row, group) for row, group in result_rows(LATEST_FORMAT.table3)
}
CHANNEL_CHOICES: Final[list[tuple[str, str]]] = [(c.value, CHANNEL_LABELS[c]) for c in Channel]
APPLICANT_TYPE_CHOICES: Final[list[tuple[str, str]]] = [
    (c.code, c.label) for c in APPLICANT_COLUMNS
]


class IdDocument(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    CREDIT_CODE = "credit_code", "统一社会信用代码证书"
    PASSPORT = "passport", "护照"
    OTHER = "other", "其他身份证明"


class RequestedForm(models.TextChoices):
    """The form in which the applicant wants the information ([R] Art 29 (三), Art 40)."""

    PAPER = "paper", "纸质"
    ELECTRONIC = "electronic", "电子"
    INSPECTION = "inspection", "当场查阅、抄录"


class Delivery(models.TextChoices):
    """How the applicant wants to receive it ([R] Art 29 (三))."""

    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    PICK_UP = "pick_up", "当面领取"
    ONLINE = "online", "网络平台"
    FAX = "fax", "传真"


class Status(models.TextChoices):
    """The case clock's statuses (:class:`gongkai.core.clock.CaseStatus`), values and labels,
    as the choices of the cached status column."""

    IN_PROGRESS = CaseStatus.IN_PROGRESS.value, CaseStatus.IN_PROGRESS.label
    AWAITING_SUPPLEMENT = CaseStatus.AWAITING_SUPPLEMENT.value, CaseStatus.AWAITING_SUPPLEMENT.label
    PAUSED_CONSULTATION = CaseStatus.PAUSED_CONSULTATION.value, CaseStatus.PAUSED_CONSULTATION.label
    AWAITING_PAYMENT = CaseStatus.AWAITING_PAYMENT.value, CaseStatus.AWAITING_PAYMENT.label
    DECIDED = CaseStatus.DECIDED.value, CaseStatus.DECIDED.label
    REPLIED = CaseStatus.REPLIED.value, CaseStatus.REPLIED.label
    CLOSED = CaseStatus.CLOSED.value, CaseStatus.CLOSED.label


class Application(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name="受理单位", on_delete=models.PROTECT, related_name="applications"
    )
    # Tracking number "<short name>-<year>-<sequence>", issued by services.application_register.
    year = models.PositiveSmallIntegerField("受理年度")
    sequence = models.PositiveIntegerField("年度序号")
    tracking_number = models.CharField("受理编号", max_length=64, unique=True)

    channel = models.CharField("申请方式", max_length=20, choices=CHANNEL_CHOICES)
    applicant_type = models.CharField("申请人类型", max_length=20, choices=APPLICANT_TYPE_CHOICES)
    # [R] Art 29 (一): name, identity proof, contact details.
    applicant_name = models.CharField("申请人姓名或名称", max_length=200)
    contact_person = models.CharField("联系人（法人或其他组织）", max_length=100, blank=True)
    id_document_type = models.CharField("身份证明类型", max_length=20, choices=IdDocument.choices)
    id_document_number = models.CharField("身份证明号码", max_length=64)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("通信地址", max_length=300, blank=True)
    postcode = models.CharField("邮政编码", max_length=10, blank=True)
    # [R] Art 29 (二): name, document number or other identifying description of the information.
    description = models.TextField("所需政府信息的名称、文号或者特征性描述")
    # [R] Art 29 (三): form, and how/through which channel to receive it.
    requested_form = models.CharField(
        "提供形式", max_length=20, choices=RequestedForm.choices, default=RequestedForm.PAPER
    )
    delivery = models.CharField(
        "获取方式", max_length=20, choices=Delivery.choices, default=Delivery.POST
    )
    submitted_on = models.DateField("申请人提交日期")

    # --- caches of the case clock, see the module docstring -----------------------------------
    received_on = models.DateField("收到申请日期（缓存）")
    status = models.CharField("办理状态（缓存）", max_length=30, choices=Status.choices)
    due_date = models.DateField("答复期限（缓存）", null=True, blank=True)
    result = models.CharField(
        "办理结果（缓存）", max_length=40, choices=RESULT_CHOICES, blank=True, default=""
    )
    decided_on = models.DateField("决定日期（缓存）", null=True, blank=True)
    closed_on = models.DateField("办结日期（缓存）", null=True, blank=True)
    # -------------------------------------------------------------------------------------------

    # Optimistic locking: every service call states the version it saw and bumps it.
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The clerk responsible for the case (承办人): a handling member of the case's unit, or
    # nobody (the unit's queue). Written only by the registration and assignment services,
    # each change with its ``assigned`` event; unlike the clock caches it is the truth, the
    # events its history.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_applications",
    )
    # Set once by the administrator (services.archive) when the closed case is past the
    # deployment's retention period: from then on read-only and out of the daily lists.
    archived_on = models.DateField("归档日期", null=True, blank=True)

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        constraints = (
            models.UniqueConstraint(
                fields=["unit", "year", "sequence"], name="application_unique_sequence"
            ),
        )
        indexes = (
            models.Index(fields=["unit", "closed_on", "due_date"], name="application_open_due"),
            models.Index(fields=["assigned_to", "closed_on"], name="application_assignee"),
            models.Index(fields=["unit", "received_on"], name="application_received"),
            models.Index(fields=["unit", "decided_on", "result"], name="application_results"),
            models.Index(
                fields=["id_document_number", "received_on"], name="application_applicant"
            ),
        )

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.applicant_name}"

    @property
    def result_plain(self) -> str:
        """The result in plain words (``部分公开``), ``""`` while undecided."""
        return RESULT_PLAIN_LABELS.get(self.result, self.get_result_display())


class TrackingCounter(models.Model):
    """The last sequence number issued for (unit, year); the row lock serialises registrations."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["unit", "year"], name="tracking_counter_unique"),
        )


class EventKind(models.TextChoices):
    RECEIVED = "received", "收到申请"
    CORRECTION_REQUESTED = "correction_requested", "发出补正告知"
    SUPPLEMENT_RECEIVED = "supplement_received", "收到补正材料"
    CORRECTION_ABANDONED = "correction_abandoned", "逾期未补正"
    CONSULTATION_SENT = "consultation_sent", "发出征求意见函"
    CONSULTATION_ANSWERED = "consultation_answered", "收到征求意见答复"
    EXTENSION_REQUESTED = "extension_requested", "申请延期答复"
    EXTENSION_APPROVED = "extension_approved", "批准延期答复"
    EXTENSION_REFUSED = "extension_refused", "驳回延期申请"
    FEE_NOTICE_SENT = "fee_notice_sent", "发出收费通知"
    FEE_PAID = "fee_paid", "申请人已缴费"
    FEE_NOT_PAID = "fee_not_paid", "申请人逾期未缴费"
    DECIDED = "decided", "作出答复决定"
    REPLY_SENT = "reply_sent", "送达答复"
    WITHDRAWN = "withdrawn", "申请人撤回申请"
    # Delivery of a letter whose period counts from its receipt ([FEE]; Arts 32, 34), and the
    # Art 35 notice of a reasonable later due date.
    CONSULTATION_DELIVERED = "consultation_delivered", "征求意见函送达"
    FEE_NOTICE_DELIVERED = "fee_notice_delivered", "收费通知送达"
    DELAYED_REPLY = "delayed_reply", "告知延迟答复"
    # Not clock steps (the clock ignores them): the archived letter sent, and the year-end
    # note that an open case carries over into next year's 上年结转 (table 三 rows 二/四).
    LETTER_SENT = "letter_sent", "发出文书"
    CARRIED_OVER = "carried_over", "结转下年度"
    # Also not clock steps: a reconsideration or lawsuit over the case (table 四) and its
    # result, and a file attached to the case file (identity proof, request, supplement).
    REMEDY_REGISTERED = "remedy_registered", "登记行政复议、行政诉讼"
    REMEDY_DECIDED = "remedy_decided", "登记行政复议、行政诉讼结果"
    ATTACHMENT_ADDED = "attachment_added", "上传附件"
    # Not a clock step: the case given to a clerk (承办人), or taken by one.
    ASSIGNED = "assigned", "指定承办人"
    # Not a clock step: the reasons of a decision recorded without them (before decisions
    # carried reasons, or imported from a ledger), added afterwards; the decision is unchanged.
    REASONS_ADDED = "reasons_added", "补录答复理由"


class AppendOnlyError(RuntimeError):
    """A programming error: someone tried to rewrite the case history."""


class ApplicationEvent(models.Model):
    """One step of a case. Rows are only ever inserted: the history is evidence."""

    application = models.ForeignKey(
        Application, verbose_name="申请", on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField("事项", max_length=30, choices=EventKind.choices)
    # The legal date of the step (e.g. the day the notice was sent), which may precede created_at.
    date = models.DateField("日期")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    data = models.JSONField("内容", default=dict, blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ("application", "id")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"

    @cached_property
    def payload(self) -> Payload:
        """``data`` read through its kind's type (:mod:`gongkai.applications.events`).

        Parsed once per instance; a row that does not match its kind raises
        :class:`~gongkai.applications.events.EventDataError`.
        """
        # Imported here: the events module declares its payloads over this module's enums.
        from gongkai.applications import events

        return events.read(self)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("办理记录只能新增，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("办理记录只能新增，不能删除")


class AttachmentKind(models.TextChoices):
    IDENTITY = "identity", "身份证明"
    REQUEST = "request", "申请书及申请材料"
    SUPPLEMENT = "supplement", "补正材料"
    OTHER = "other", "其他材料"


def attachment_path(instance: Attachment, filename: str) -> str:
    """Where the bytes are stored: by unit and year, named by content hash, never by the
    uploader's file name (which may hold personal data or characters a file system refuses)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    application = instance.application
    return (
        f"attachments/{application.unit_id}/{application.year}/"
        f"{instance.sha256[:2]}/{instance.sha256}.{extension}"
    )


class Attachment(models.Model):
    """A file in the case file (identity proof, the request…); evidence, so never changed.

    Written only by :func:`gongkai.applications.attachments.attachment_add`, together with the
    case's ``attachment_added`` event; read only through the gatekeeper.
    """

    application = models.ForeignKey(
        Application, verbose_name="申请", on_delete=models.PROTECT, related_name="attachments"
    )
    event = models.OneToOneField(
        ApplicationEvent,
        verbose_name="办理记录",
        on_delete=models.PROTECT,
        related_name="attachment",
    )
    kind = models.CharField("材料类别", max_length=20, choices=AttachmentKind.choices)
    file = models.FileField("文件", upload_to=attachment_path, max_length=255)
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "申请附件"
        verbose_name_plural = "申请附件"
        ordering = ("application", "id")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("附件已归档，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("附件已归档，不能删除")


def online_proof_path(instance: OnlineSubmission, filename: str) -> str:
    """Identity proofs sent through the portal, by unit and content hash (never the sender's
    file name), apart from the case file until the office confirms the application."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return (
        f"online/{instance.unit_id}/{instance.proof_sha256[:2]}/{instance.proof_sha256}.{extension}"
    )


class OnlineSubmission(models.Model):
    """An application sent through the public portal, before and after the office confirms it.

    [R] Art 31(三): an application over the internet is received on the day both sides confirm
    it, so until a clerk confirms there is no case and no clock — only this row, in the unit's
    list of online applications awaiting confirmation. Confirming registers the
    :class:`Application` (channel 网络平台, ``confirmed_on`` that day) through the ordinary
    service and links it here; the applicant keeps following it with ``public_number``.
    Written only by :mod:`gongkai.applications.services.online`.
    """

    unit = models.ForeignKey(
        Unit, verbose_name="受理单位", on_delete=models.PROTECT, related_name="online_submissions"
    )
    # Unguessable (base32, 60 random bits + check character): the only key the public holds.
    public_number = models.CharField("网上申请查询码", max_length=32, unique=True)
    # The one-time token of the form that sent it: a replayed form finds it and stores nothing.
    form_token = models.CharField("表单令牌", max_length=64, unique=True)
    client_address = models.CharField("提交地址", max_length=64, blank=True)
    applicant_type = models.CharField("申请人类型", max_length=20, choices=APPLICANT_TYPE_CHOICES)
    applicant_name = models.CharField("申请人姓名或名称", max_length=200)
    contact_person = models.CharField("联系人（法人或其他组织）", max_length=100, blank=True)
    id_document_type = models.CharField("身份证明类型", max_length=20, choices=IdDocument.choices)
    id_document_number = models.CharField("身份证明号码", max_length=64)
    phone = models.CharField("联系电话", max_length=40)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("通信地址", max_length=300, blank=True)
    postcode = models.CharField("邮政编码", max_length=10, blank=True)
    description = models.TextField("所需政府信息的名称、文号或者特征性描述")
    purpose = models.TextField("用途（选填）", blank=True)
    requested_form = models.CharField("提供形式", max_length=20, choices=RequestedForm.choices)
    delivery = models.CharField("获取方式", max_length=20, choices=Delivery.choices)
    proof = models.FileField("身份证明文件", upload_to=online_proof_path, max_length=255)
    proof_name = models.CharField("身份证明原文件名", max_length=255)
    proof_sha256 = models.CharField("身份证明 SHA-256", max_length=64)
    submitted_on = models.DateField("提交日期")
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    application = models.OneToOneField(
        Application,
        verbose_name="登记的申请",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="online_submission",
    )

    class Meta:
        verbose_name = "网上申请"
        verbose_name_plural = "网上申请"
        ordering = ("submitted_at", "id")
        indexes = (
            models.Index(fields=["unit", "application"], name="online_pending"),
            models.Index(fields=["client_address", "submitted_at"], name="online_by_address"),
            models.Index(fields=["id_document_number", "submitted_at"], name="online_by_id"),
        )

    def __str__(self) -> str:
        return f"{self.public_number} {self.applicant_name}"

    @property
    def confirmed(self) -> bool:
        return self.application_id is not None


class PortalThrottle(models.Model):
    """Failed look-ups of a portal case within the current window, per key (a hashed client
    address or a tracking number). In the database, so that every server process counts the
    same guesses; written only by :mod:`gongkai.portal.apply.selectors`."""

    key = models.CharField("键", max_length=80, unique=True)
    failures = models.PositiveIntegerField("失败次数", default=0)
    window_started = models.DateTimeField("计数开始时间")

    class Meta:
        verbose_name = "门户查询限流"
        verbose_name_plural = "门户查询限流"

    def __str__(self) -> str:
        return f"{self.key}：{self.failures}"
