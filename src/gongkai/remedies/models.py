"""Reconsideration (行政复议) and litigation (行政诉讼) brought over a disclosure application.

These are the data of table 四: the kinds are table 四's rows and the results its columns, read
from :data:`gongkai.core.formats.TABLE4`, never typed here. A case without a result is pending
(尚未审结); "pending" is therefore not stored but derived from a blank result, and a case decided
after the end of the report year still counts as pending in that year's table.
"""

from __future__ import annotations

from typing import Final

from django.conf import settings
from django.db import models

from gongkai.applications.models import Application
from gongkai.core.formats import (
    COL_TOTAL,
    T4_LITIGATION_AFTER,
    T4_LITIGATION_DIRECT,
    T4_PENDING,
    T4_RECONSIDERATION,
    TABLE4,
)

# Table 四 rows: reconsideration, litigation without reconsideration, litigation after it.
KIND_CHOICES: Final[list[tuple[str, str]]] = [(row.code, row.name) for row in TABLE4.rows]
RECONSIDERATION: Final = T4_RECONSIDERATION
LITIGATION_DIRECT: Final = T4_LITIGATION_DIRECT
LITIGATION_AFTER: Final = T4_LITIGATION_AFTER
PENDING: Final = T4_PENDING
TOTAL: Final = COL_TOTAL
# A recorded result is one of table 四's result columns; pending and total are derived.
RESULT_CHOICES: Final[list[tuple[str, str]]] = [
    (column.code, column.label) for column in TABLE4.columns if column.code not in (PENDING, TOTAL)
]


class Remedy(models.Model):
    application = models.ForeignKey(
        Application, verbose_name="涉及的申请", on_delete=models.PROTECT, related_name="remedies"
    )
    kind = models.CharField("类别", max_length=30, choices=KIND_CHOICES)
    # 复议后起诉 is brought against the same act after a reconsideration: link it.
    reconsideration = models.ForeignKey(
        "self",
        verbose_name="此前的行政复议",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lawsuits",
    )
    authority = models.CharField("复议机关或人民法院", max_length=100)
    case_number = models.CharField("案号", max_length=100, blank=True)
    filed_on = models.DateField("申请（立案）日期")
    decided_on = models.DateField("审结日期", null=True, blank=True)
    result = models.CharField("结果", max_length=20, choices=RESULT_CHOICES, blank=True, default="")
    note = models.TextField("备注", blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="结果登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "行政复议、行政诉讼案件"
        verbose_name_plural = "行政复议、行政诉讼案件"
        ordering = ("filed_on", "id")
        indexes = (models.Index(fields=["filed_on", "kind"], name="remedy_year_kind"),)
        constraints = (
            models.CheckConstraint(
                condition=models.Q(result="") | models.Q(decided_on__isnull=False),
                name="remedy_result_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=LITIGATION_AFTER) | models.Q(reconsideration__isnull=True),
                name="remedy_only_litigation_after_links",
            ),
        )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_number or self.pk}"
