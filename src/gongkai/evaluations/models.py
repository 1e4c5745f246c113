"""Batches of published reports, each report's audit, the evaluators' judgements and the log.

* :class:`Batch` — one upload, owned by the unit (supervising office) that uploaded it. It keeps
  the coverage list (the units expected to publish) so that the export can show coverage too.
* :class:`EvaluatedReport` — one file of a batch: its bytes (compressed, so the batch can be
  re-run with a newer auditor), its SHA-256, whether it is audited yet (an upload only stores
  the files; :func:`gongkai.evaluations.services.audit_pending` audits them outside the
  request), what the auditor read (unit, year, kind, format), the counts, the findings and the
  parsed tables as JSON.
* :class:`FindingJudgement` — an evaluator's verdict on a finding, keyed by the finding's
  *fingerprint* (the report's identity, the rule and the place; never a database id), so a
  dismissed finding stays dismissed when the batch is re-run or the same report uploaded again.
* :class:`EvaluationEvent` — the append-only log: who uploaded, re-ran, judged, and when.
"""

from __future__ import annotations

from typing import Any, Final

from django.conf import settings
from django.db import models

from gongkai.agencies.models import Unit

# The gatekeeper's names for these record kinds (registered in EvaluationsConfig.ready()).
BATCH: Final = "evaluation_batch"
BATCH_NOT_FOUND: Final = "未找到评估批次（编号 {id}），或您无权查看该批次"
EVALUATED_REPORT: Final = "evaluated_report"
REPORT_NOT_FOUND: Final = "未找到评估的报告（编号 {id}），或您无权查看该报告"


class Batch(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name="上传单位", on_delete=models.PROTECT, related_name="evaluation_batches"
    )
    title = models.CharField("批次名称", max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    audited_at = models.DateTimeField("最近审查时间")
    # Coverage: the units expected to publish, as the evaluator listed them, and the year.
    coverage_names = models.JSONField("应发布报告的单位", default=list, blank=True)
    coverage_year = models.PositiveSmallIntegerField("核对年度", null=True, blank=True)

    class Meta:
        verbose_name = "评估批次"
        verbose_name_plural = verbose_name
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return self.title


class ReportState(models.TextChoices):
    PENDING = "pending", "待审查"
    AUDITED = "audited", "已审查"


class EvaluatedReport(models.Model):
    batch = models.ForeignKey(
        Batch, verbose_name="批次", on_delete=models.CASCADE, related_name="reports"
    )
    position = models.PositiveIntegerField("序号")
    file_name = models.CharField("文件名", max_length=500)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    size = models.PositiveIntegerField("文件大小（字节）")
    # The file's bytes, zlib-compressed: what a re-run audits again.
    data = models.BinaryField("文件内容（压缩）")
    input_kind = models.CharField("文件类型", max_length=20)
    state = models.CharField(
        "审查状态",
        max_length=10,
        choices=ReportState.choices,
        default=ReportState.PENDING,
        db_index=True,
    )
    # Who audits it now: a worker's token and when it took the report (see services.claim).
    claim = models.CharField("审查领取标记", max_length=32, blank=True)
    claimed_at = models.DateTimeField("领取时间", null=True, blank=True)
    # The report's own audit before its years are paired (the result without its tables, and
    # the parsed report compressed), so that the batch is paired again once its last report is
    # audited without auditing any report twice.
    own_result = models.JSONField("单份审查结果", default=dict, blank=True)
    own_report = models.BinaryField("读出的报告（压缩）", null=True, blank=True)
    readable = models.BooleanField("读出表格", default=False)
    reason = models.CharField("无法读取的原因", max_length=500, blank=True)
    unit_name = models.CharField("单位", max_length=200, blank=True)
    unit_key = models.CharField("单位（比对用）", max_length=200, blank=True, db_index=True)
    region = models.CharField("地区", max_length=50, blank=True)
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    report_kind = models.CharField("单位类别", max_length=20, blank=True)
    format_version = models.CharField("格式版本", max_length=10, blank=True)
    errors = models.PositiveIntegerField("错误", default=0)
    warnings = models.PositiveIntegerField("警告", default=0)
    infos = models.PositiveIntegerField("提示", default=0)
    findings = models.JSONField("审查问题", default=list)
    tables = models.JSONField("表格", default=dict)

    class Meta:
        verbose_name = "评估的报告"
        verbose_name_plural = verbose_name
        ordering = ("batch", "position")
        constraints = (
            models.UniqueConstraint(fields=("batch", "position"), name="evaluations_position"),
        )

    def __str__(self) -> str:
        return self.file_name


class Verdict(models.TextChoices):
    CONFIRMED = "confirmed", "已确认"
    DISMISSED = "dismissed", "已排除"


class FindingJudgement(models.Model):
    """The current verdict on one finding of the office's reports (history: the events)."""

    unit = models.ForeignKey(
        Unit, verbose_name="评估单位", on_delete=models.PROTECT, related_name="+"
    )
    fingerprint = models.CharField("问题指纹", max_length=64)
    verdict = models.CharField("结论", max_length=20, choices=Verdict.choices)
    note = models.TextField("说明", blank=True)
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="评估人", on_delete=models.PROTECT, related_name="+"
    )
    judged_at = models.DateTimeField("评估时间", auto_now=True)

    class Meta:
        verbose_name = "审查问题的评估结论"
        verbose_name_plural = verbose_name
        constraints = (
            models.UniqueConstraint(
                fields=("unit", "fingerprint"), name="evaluations_judgement_unique"
            ),
        )


class EventKind(models.TextChoices):
    UPLOADED = "uploaded", "上传并审查"
    RERUN = "rerun", "重新审查"
    AUDITED = "audited", "审查完成"
    CONFIRMED = "confirmed", "确认问题"
    DISMISSED = "dismissed", "排除问题"
    REOPENED = "reopened", "撤销评估结论"
    COVERAGE_SET = "coverage_set", "设置应发布单位名单"


class AppendOnlyError(RuntimeError):
    """A programming error: someone tried to rewrite the workspace's log."""


class EvaluationEvent(models.Model):
    """One step in a batch's life. Rows are only ever inserted."""

    batch = models.ForeignKey(
        Batch, verbose_name="批次", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("事项", max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField("内容", default=dict, blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "评估记录"
        verbose_name_plural = verbose_name
        ordering = ("batch", "pk")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_kind_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("评估记录只能新增，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("评估记录只能新增，不能删除")
