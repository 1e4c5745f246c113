"""Letter templates per unit, the unit's letterhead, and the archive of letters actually sent.

Templates are versioned by insertion: editing a template adds a row, and the newest row of a
(unit, kind) is the one in force, so who changed a letter's wording and when is never lost. A
unit without a row uses the default shipped in ``letters/templates/letters/<kind>.txt``.

:class:`SentLetter` is evidence: the exact bytes sent (DOCX and PDF), their SHA-256, who sent it
and when. It is written once by :func:`gongkai.letters.services.letter_send`, together with the
application's ``letter_sent`` event, and refuses to be saved again or deleted.
"""

from __future__ import annotations

from typing import Any, Final

from django.conf import settings
from django.db import models
from django.utils import timezone

from gongkai.agencies.models import Unit
from gongkai.applications.models import (
    AppendOnlyError,
    Application,
    ApplicationEvent,
)
from gongkai.core.formats import LATEST_FORMAT
from gongkai.core.results import result_rows


class LetterKind(models.TextChoices):
    CORRECTION = "correction", "补正告知书"
    EXTENSION = "extension", "延期答复告知书"
    CONSULTATION_THIRD_PARTY = "consultation_third_party", "征求意见函（第三方）"
    CONSULTATION_AGENCY = "consultation_agency", "征求意见函（有关机关）"
    FEE = "fee", "收费通知书"
    # One reply letter per result row group of table 三 (the level-1 rows).
    REPLY_DISCLOSED = "reply.disclosed", "答复书（予以公开）"
    REPLY_PARTLY_DISCLOSED = "reply.partly_disclosed", "答复书（部分公开）"
    REPLY_WITHHELD = "reply.withheld", "答复书（不予公开）"
    REPLY_UNAVAILABLE = "reply.unavailable", "答复书（无法提供）"
    REPLY_NOT_PROCESSED = "reply.not_processed", "答复书（不予处理）"
    REPLY_OTHER = "reply.other", "告知书（其他处理）"


REPLY_PREFIX: Final = "reply."


def reply_kind_for_group(group_code: str) -> LetterKind:
    return LetterKind(f"{REPLY_PREFIX}{group_code}")


def _check_reply_kinds() -> None:
    """The reply kinds are exactly table 三's result groups, so a new group cannot go unlettered."""
    groups = {(group or row).code for row, group in result_rows(LATEST_FORMAT.table3)}
    kinds = {k.value.removeprefix(REPLY_PREFIX) for k in LetterKind if k.startswith(REPLY_PREFIX)}
    if groups != kinds:
        raise RuntimeError(
            f"LetterKind reply kinds {sorted(kinds)} ≠ table 三 groups {sorted(groups)}"
        )


_check_reply_kinds()


class Letterhead(models.Model):
    """What a unit prints on its letters; one row per unit, absent = built from the unit."""

    unit = models.OneToOneField(
        Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="letterhead"
    )
    issuer = models.CharField("落款机关名称", max_length=100)
    address = models.CharField("机关地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    # Who hears a reconsideration of this unit's acts depends on the unit (行政复议法 2023);
    # left blank, the letter names "有关行政复议机关" without guessing.
    reconsideration_body = models.CharField("行政复议机关", max_length=100, blank=True)
    court = models.CharField("管辖人民法院", max_length=100, blank=True)
    # The unit's part of its letters' 文号 (泉港政信〔2026〕3号); blank: the unit's short name.
    number_prefix = models.CharField("文号前缀", max_length=40, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="修改人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "文书落款信息"
        verbose_name_plural = "文书落款信息"

    def __str__(self) -> str:
        return self.issuer


class LetterTemplate(models.Model):
    """One version of a unit's template for one kind of letter; the newest is in force."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="letter_templates"
    )
    kind = models.CharField("文书类型", max_length=40, choices=LetterKind.choices)
    body = models.TextField("模板内容（Django 模板语言）")
    created_at = models.DateTimeField("修改时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="修改人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"
        ordering = ("unit", "kind", "-id")
        indexes = (models.Index(fields=["unit", "kind", "-id"], name="letter_template_current"),)

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_kind_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("文书模板的历史版本不能修改，请保存为新版本")
        super().save(*args, **kwargs)


class LetterNumber(models.Model):
    """The last 文号 serial a unit gave its letters in a year (the next letter takes ``last + 1``).

    Allocated by :func:`gongkai.letters.services.letter_send` under a row lock in the transaction
    that archives the letter, so serials have neither gaps (a refused letter rolls its number
    back) nor duplicates (a second sender waits for the lock).
    """

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField("年度")
    last = models.PositiveIntegerField("已用到的序号", default=0)

    class Meta:
        verbose_name = "文号序号"
        verbose_name_plural = "文号序号"
        constraints = (
            models.UniqueConstraint(fields=("unit", "year"), name="letter_number_unit_year"),
        )

    def __str__(self) -> str:
        return f"{self.unit} {self.year}：{self.last}"


# Why a letter marked 补录 has a 文号 out of date order: on the case, in the event's summary,
# on the printed case file, a day's letters and the 送达回证 (never on the letter itself).
BACKFILLED_WHY: Final = "文号按录入时的顺序取得，与落款日期的先后不一致"


class SentLetter(models.Model):
    """A letter as sent, archived with the case; never changed or deleted."""

    application = models.ForeignKey(
        Application, verbose_name="申请", on_delete=models.PROTECT, related_name="letters"
    )
    event = models.OneToOneField(
        ApplicationEvent, verbose_name="办理记录", on_delete=models.PROTECT, related_name="letter"
    )
    kind = models.CharField("文书类型", max_length=40, choices=LetterKind.choices)
    title = models.CharField("标题", max_length=200)
    recipient = models.CharField("收件人", max_length=200)
    letter_date = models.DateField("落款日期")
    # "" for letters archived before 文号 were given.
    reference = models.CharField("文号", max_length=80, blank=True, default="")
    # The 文号's parts: the unit numbering it, the year (of the letter's date) and the serial.
    # A serial is used once per unit and year whatever the kind (the kinds share one sequence
    # and the 文号 names no kind): the constraint below refuses a duplicate even in a race.
    # Null for letters archived before 文号 were given.
    unit = models.ForeignKey(
        Unit, verbose_name="发文单位", on_delete=models.PROTECT, null=True, related_name="+"
    )
    year = models.PositiveIntegerField("文号年度", null=True)
    serial = models.PositiveIntegerField("文号序号", null=True)
    # 补录: a letter sent earlier on paper, entered later without its paper 文号; the system
    # gave it the next number of its year, which is then out of date order.
    backfilled = models.BooleanField("补录编号", default=False)
    text = models.TextField("文本")
    template_body = models.TextField("所用模板")
    docx = models.BinaryField("Word 文件")
    docx_sha256 = models.CharField("Word 文件 SHA-256", max_length=64)
    pdf = models.BinaryField("PDF 文件")
    pdf_sha256 = models.CharField("PDF 文件 SHA-256", max_length=64)
    sent_at = models.DateTimeField("存档时间", auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发出人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "已发文书"
        verbose_name_plural = "已发文书"
        ordering = ("application", "id")
        constraints = (
            models.UniqueConstraint(
                fields=("unit", "year", "serial"),
                condition=models.Q(serial__isnull=False),
                name="sent_letter_unique_number",
            ),
        )

    def __str__(self) -> str:
        return f"{self.title}（{self.letter_date}）"

    @property
    def backfilled_note(self) -> str:
        """What the office's prints say of a letter entered after it was sent on paper."""
        archived = timezone.localtime(self.sent_at).date().isoformat()
        return f"纸质文书发出后补录，{BACKFILLED_WHY}（存档于 {archived}）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("已发出的文书已存档，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("已发出的文书已存档，不能删除")
