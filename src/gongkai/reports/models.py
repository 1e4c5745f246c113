"""Published annual reports: immutable, versioned snapshots.

A published version holds the :class:`~gongkai.core.model.AnnualReport` as JSON with its SHA-256,
so no later change to the cases, remedies or registers alters what was published. A correction is
a new version with its reason; earlier versions stay readable. Rows are only ever inserted.
"""

from __future__ import annotations

import hashlib
from typing import Any, Final

from django.conf import settings
from django.db import models
from pydantic import TypeAdapter

from gongkai.agencies.models import Unit
from gongkai.core.errors import GongkaiError
from gongkai.core.findings import Finding
from gongkai.core.formats import SECTIONS
from gongkai.core.model import AnnualReport

# The six sections, 「一、总体情况」…, by their codes in the format declaration.
SECTION_CHOICES: Final = [(s.code, f"{s.number}、{s.heading}") for s in SECTIONS]


class PublishedReportImmutableError(RuntimeError):
    """A programming error: someone tried to rewrite a published report."""


_IMMUTABLE = "已发布的年度报告不能修改或删除；如需更正，请发布新的版本并说明理由"


class PublishedReportQuerySet(models.QuerySet["PublishedReport"]):
    def update(self, **kwargs: Any) -> int:
        raise PublishedReportImmutableError(_IMMUTABLE)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PublishedReportImmutableError(_IMMUTABLE)


class PublishedReport(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="published_reports"
    )
    year = models.PositiveSmallIntegerField("报告年度")
    version = models.PositiveSmallIntegerField("版本")
    # The AnnualReport exactly as published (AnnualReport.to_json), and its SHA-256 in hex.
    content = models.TextField("报告内容（JSON）")
    sha256 = models.CharField("内容 SHA-256", max_length=64)
    published_at = models.DateTimeField("发布时间", auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField("更正理由", blank=True, default="")
    # A supervising office's roll-up (the sum of its subtree's reports, core.rollup) rather than
    # the unit's own report: the two are versioned separately for the same unit and year.
    is_rollup = models.BooleanField("汇总报告", default=False)

    objects = PublishedReportQuerySet.as_manager()

    class Meta:
        verbose_name = "已发布的年度报告"
        verbose_name_plural = "已发布的年度报告"
        ordering = ("unit", "year", "version")
        constraints = (
            models.UniqueConstraint(
                fields=("unit", "year", "is_rollup", "version"),
                name="published_report_unique_version",
            ),
        )

    def __str__(self) -> str:
        what = "汇总年度报告" if self.is_rollup else "年度报告"
        return f"{self.unit.name} {self.year} {what}（第 {self.version} 版）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PublishedReportImmutableError(_IMMUTABLE)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PublishedReportImmutableError(_IMMUTABLE)

    @property
    def report(self) -> AnnualReport:
        """The published report, after checking the content still has its recorded hash (a row
        changed behind the application's back is refused, not shown as published)."""
        if content_sha256(self.content) != self.sha256:
            raise GongkaiError(f"{self}的内容与发布时记录的 SHA-256 不符，可能已被改动")
        return AnnualReport.from_json(self.content, source=str(self))


class NarrativeDraft(models.Model):
    """The officer's prose of one section of a unit's draft report, with its placeholders.

    Only the text is stored, never a resolved number: the report is built afresh from the data
    each time (:mod:`gongkai.reports.builder`), and a placeholder resolves to the cell's value
    of that moment. A section without a row starts from the default template
    (:mod:`gongkai.core.narrative.templates`). Every save is also an append-only
    :class:`NarrativeEvent`, so who wrote what, and when, survives the next save.
    """

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="narrative_drafts"
    )
    year = models.PositiveSmallIntegerField("报告年度")
    section = models.CharField("章节", max_length=20, choices=SECTION_CHOICES)
    text = models.TextField("正文（含占位符）")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="修改人", on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "年度报告正文草稿"
        verbose_name_plural = "年度报告正文草稿"
        ordering = ("unit", "year", "section")
        constraints = (
            models.UniqueConstraint(
                fields=("unit", "year", "section"), name="narrative_draft_unique_section"
            ),
        )

    def __str__(self) -> str:
        return f"{self.unit.name} {self.year} 年度报告 {self.get_section_display()}"


class NarrativeEventKind(models.TextChoices):
    SAVED = "saved", "保存正文"
    RESET = "reset", "恢复默认模板"


class NarrativeEvent(models.Model):
    """One save of a section's prose: the history of the draft. Rows are only ever inserted."""

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("报告年度")
    section = models.CharField("章节", max_length=20, choices=SECTION_CHOICES)
    kind = models.CharField("事项", max_length=10, choices=NarrativeEventKind.choices)
    text = models.TextField("保存的正文", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "年度报告正文修改记录"
        verbose_name_plural = "年度报告正文修改记录"
        ordering = ("unit", "year", "section", "id")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_kind_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PublishedReportImmutableError("年度报告正文的修改记录只能新增，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PublishedReportImmutableError("年度报告正文的修改记录只能新增，不能删除")


def content_sha256(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------------------------
# Reports of earlier years, imported from the unit's published files (issue 11 §6)
# ---------------------------------------------------------------------------------------------

_IMPORTED_IMMUTABLE = "导入的往年年度报告不能修改或删除；如文件有误，请导入正确的文件"


class ImportedReportQuerySet(models.QuerySet["ImportedReport"]):
    def update(self, **kwargs: Any) -> int:
        raise PublishedReportImmutableError(_IMPORTED_IMMUTABLE)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PublishedReportImmutableError(_IMPORTED_IMMUTABLE)


class ImportedReport(models.Model):
    """A report of an earlier year that the unit published before it used gongkai, read from
    the published file by the auditor's parsers.

    It is what the unit published, not what gongkai built: kept read-only with the source file's
    name and SHA-256 and the auditor's findings, so that the cross-year rules (carry-in equals
    last year's carry-out, 现行有效件数 follows from last year's) work from the first year of use.
    A report gongkai published for the same year takes precedence
    (:func:`gongkai.reports.selectors.previous_report`). Rows are only ever inserted; a later
    import of the same year (a corrected file) supersedes an earlier one.
    """

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="imported_reports"
    )
    year = models.PositiveSmallIntegerField("报告年度")
    is_rollup = models.BooleanField("汇总报告", default=False)
    # The parsed AnnualReport (AnnualReport.to_json) and its SHA-256 in hex.
    content = models.TextField("报告内容（JSON）")
    sha256 = models.CharField("内容 SHA-256", max_length=64)
    source_name = models.CharField("源文件名", max_length=255)
    source_sha256 = models.CharField("源文件 SHA-256", max_length=64)
    source_kind = models.CharField("源文件类型", max_length=20)
    # The auditor's findings on the file, as a JSON list of core.findings.Finding.
    findings = models.TextField("审查结果（JSON）", default="[]")
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)
    # Empty when imported from the command line (run by whoever holds the database).
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = ImportedReportQuerySet.as_manager()

    class Meta:
        verbose_name = "导入的往年年度报告"
        verbose_name_plural = "导入的往年年度报告"
        ordering = ("unit", "year", "imported_at")
        constraints = (
            models.UniqueConstraint(
                fields=("unit", "year", "is_rollup", "source_sha256"),
                name="imported_report_unique_file",
            ),
        )

    def __str__(self) -> str:
        what = "汇总年度报告" if self.is_rollup else "年度报告"
        return f"{self.unit.name} {self.year} {what}（导入自 {self.source_name}）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PublishedReportImmutableError(_IMPORTED_IMMUTABLE)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PublishedReportImmutableError(_IMPORTED_IMMUTABLE)

    @property
    def report(self) -> AnnualReport:
        """The imported report, refused if its content no longer has its recorded hash."""
        if content_sha256(self.content) != self.sha256:
            raise GongkaiError(f"{self}的内容与导入时记录的 SHA-256 不符，可能已被改动")
        return AnnualReport.from_json(self.content, source=str(self))

    @property
    def finding_list(self) -> list[Finding]:
        return _FINDINGS.validate_json(self.findings)


_FINDINGS: TypeAdapter[list[Finding]] = TypeAdapter(list[Finding])
