"""The registers behind section 二 of the annual report (LEGAL.md §2.2, §3.1).

The report states counts; the registers hold what is counted, so that no number is typed twice:

* :class:`NormativeDocument` — each 规章 and 行政规范性文件 with its 文号 and the dates it was
  issued and repealed. 本年制发件数, 本年废止件数 and 现行有效件数 are derived from the dates
  (:func:`gongkai.registers.selectors.section2_cells`), never stored.
* :class:`DecisionCount` — Art 20 (五)(六): the month's 行政许可, 行政处罚 and 行政强制 decisions.
  The kinds are section 二's row codes, read from :mod:`gongkai.core.formats`.
* :class:`AdminFeeTotal` — Art 20 (八): the year's 行政事业性收费 in 万元 (a Decimal, not a
  float).
"""

from __future__ import annotations

from typing import Final

from django.conf import settings
from django.db import models

from gongkai.agencies.models import Unit
from gongkai.core.formats import (
    S2_COERCION,
    S2_LICENSING,
    S2_NORMATIVE_DOCUMENTS,
    S2_PENALTY,
    S2_RULES,
)

# The gatekeeper's name for this record kind (registered in RegistersConfig.ready()).
NORMATIVE_DOCUMENT: Final = "normative_document"
NORMATIVE_DOCUMENT_NOT_FOUND: Final = "未找到规章或规范性文件（编号 {id}），或您无权维护该文件"

# A document's kind is the section 二 (一) row it is counted in.
RULE: Final = S2_RULES
NORMATIVE: Final = S2_NORMATIVE_DOCUMENTS
DOCUMENT_KIND_CHOICES: Final[list[tuple[str, str]]] = [
    (RULE, "规章"),
    (NORMATIVE, "行政规范性文件"),
]

# A decision's kind is the section 二 (五)/(六) row it is counted in.
LICENSING: Final = S2_LICENSING
PENALTY: Final = S2_PENALTY
COERCION: Final = S2_COERCION
DECISION_KIND_CHOICES: Final[list[tuple[str, str]]] = [
    (LICENSING, "行政许可"),
    (PENALTY, "行政处罚"),
    (COERCION, "行政强制"),
]


class NormativeDocument(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name="制发单位", on_delete=models.PROTECT, related_name="registered_documents"
    )
    kind = models.CharField("类别", max_length=30, choices=DOCUMENT_KIND_CHOICES)
    number = models.CharField("文号", max_length=100)
    title = models.CharField("标题", max_length=300)
    issued_on = models.DateField("印发日期")
    repealed_on = models.DateField("废止（失效）日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "规章和规范性文件"
        verbose_name_plural = verbose_name
        ordering = ("-issued_on", "number")
        constraints = (
            models.UniqueConstraint(fields=("unit", "number"), name="registers_document_number"),
            models.CheckConstraint(
                condition=models.Q(repealed_on__isnull=True)
                | models.Q(repealed_on__gte=models.F("issued_on")),
                name="registers_document_repealed_after_issued",
            ),
        )

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class DecisionCount(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="decision_counts"
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    kind = models.CharField("类别", max_length=30, choices=DECISION_KIND_CHOICES)
    quantity = models.PositiveIntegerField("处理决定数量")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now=True)

    class Meta:
        verbose_name = "行政许可、处罚、强制决定数量"
        verbose_name_plural = verbose_name
        ordering = ("year", "month", "kind")
        constraints = (
            models.UniqueConstraint(
                fields=("unit", "year", "month", "kind"), name="registers_decision_month"
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12),
                name="registers_decision_month_range",
            ),
        )


class AdminFeeTotal(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="admin_fee_totals"
    )
    year = models.PositiveSmallIntegerField("年度")
    amount = models.DecimalField("本年收费金额（万元）", max_digits=14, decimal_places=4)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now=True)

    class Meta:
        verbose_name = "行政事业性收费金额"
        verbose_name_plural = verbose_name
        constraints = (
            models.UniqueConstraint(fields=("unit", "year"), name="registers_fee_year"),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="registers_fee_not_negative"
            ),
        )
