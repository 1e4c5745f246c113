"""A batch as one Excel workbook: reports, findings (with the evaluators' verdicts), coverage
and the summary by region and kind — what an office files or sends on with its evaluation.

Each sheet holds what its page shows, in the page's order and words (an error or warning the
evaluators dismissed is counted apart from those left, as the pages count it): the reports as
the results list orders them, each report's findings numbered as its page numbers them with the
cells named as the page names them, a note exactly as typed. Every sheet has its header row
frozen with the first column, a filter on its columns, widths for its content and long text
wrapped.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from django.utils import timezone
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from gongkai.evaluations import selectors
from gongkai.evaluations.models import Batch
from gongkai.evaluations.selectors import Filters

XLSX_CONTENT_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEETS: Final = ("报告", "审查问题", "覆盖情况", "汇总")
DATE_FORMAT: Final = "yyyy-mm-dd hh:mm"


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    width: float  # in Excel's character widths (a Chinese character takes about two)
    wrap: bool = False


def _sheet(
    workbook: Workbook,
    title: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
    *,
    freeze: str = "B2",
    filtered: bool = True,
) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append([c.name for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    wrapped = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for values in rows:
        sheet.append([_plain(v) for v in values])
        for column, cell in zip(columns, sheet[sheet.max_row], strict=True):
            cell.alignment = wrapped if column.wrap else top
            if isinstance(cell.value, str) and cell.data_type == "f":
                # Text that begins like a formula (「=1+1 不是公式」) is text, shown as typed.
                cell.data_type = "s"
                cell.quotePrefix = True
            elif cell.is_date:
                cell.number_format = DATE_FORMAT
    sheet.freeze_panes = freeze
    if filtered:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(sheet.max_row, 2)}"
    for index, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width


def file_name(*, batch: Batch) -> str:
    """「报告评估-12-2024年度各区县.xlsx」: the batch's number and title, without the characters
    a file name cannot hold on Windows."""
    title = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]+', "", batch.title).strip(" .")[:60]
    return f"报告评估-{batch.pk}{'-' + title if title else ''}.xlsx"


def _plain(value: Any) -> Any:
    """Excel keeps no time zone: a time is written as the site's local time."""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return value


# The first sheet of a workbook exported before every report of the batch was audited.
INCOMPLETE_SHEET: Final = "未审查完"


def _incomplete(workbook: Workbook, progress: selectors.Progress) -> None:
    """A batch still being audited says so before anything else: whoever reads the file later
    must not take its counts for the batch's."""
    if progress.complete:
        return
    sheet = workbook.create_sheet(INCOMPLETE_SHEET)
    sheet.append(
        [
            f"导出时本批次尚未审查完：已审查 {progress.audited} / {progress.total} 份，"
            f"其余 {progress.pending} 份正在后台审查。本工作簿中它们的状态为「待审查」，"
            "汇总只含已审查的报告，覆盖情况不计尚未审查的报告；请在审查完成后重新导出。"
        ]
    )
    sheet["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font = Font(bold=True)
    sheet.column_dimensions["A"].width = 80
    sheet.row_dimensions[1].height = 60


def batch_xlsx(*, batch: Batch) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    _incomplete(workbook, selectors.progress(batch=batch))
    reports = selectors.report_rows(batch=batch, filters=Filters())
    _sheet(
        workbook,
        SHEETS[0],
        [Column("单位", 30, wrap=True), Column("年度", 7), Column("单位类别", 10),
         Column("地区", 16), Column("文件", 40, wrap=True), Column("错误（不含已排除）", 10),
         Column("已排除的错误", 8), Column("警告（不含已排除）", 10), Column("已排除的警告", 8),
         Column("提示", 7), Column("已排除", 8), Column("已确认", 8), Column("状态", 12),
         Column("无法读取的原因", 36, wrap=True), Column("同一单位同一年度份数", 12),
         Column("文件类型", 12), Column("格式版本", 9), Column("SHA-256", 20)],
        [
            [r["unit_name"], r["year"], r["kind_label"], r["region"], r["file_name"],
             r["open_errors"], r["dismissed_errors"], r["open_warnings"], r["dismissed_warnings"],
             r["infos"], r["dismissed"], r["confirmed"],
             r["status"], r["reason"], r["copies"], r["input_label"], r["format_version"],
             r["sha256"]]
            for r in reports
        ],
    )  # fmt: skip
    _sheet(
        workbook,
        SHEETS[1],
        [Column("单位", 24, wrap=True), Column("年度", 7), Column("文件", 24, wrap=True),
         Column("编号", 6), Column("严重程度", 9), Column("类别", 11),
         Column("说明", 60, wrap=True),
         Column("涉及单元格", 40, wrap=True), Column("原文", 40, wrap=True),
         Column("依据", 30, wrap=True), Column("评估结论", 10), Column("评估说明", 30, wrap=True),
         Column("评估人", 10), Column("评估时间", 17), Column("规则", 24), Column("问题指纹", 20)],
        [
            [e.report["unit_name"], e.report["year"], e.report["file_name"], e.number,
             e.finding.severity.label, e.finding.category.label, e.finding.message,
             "；".join(e.places), e.finding.excerpt or "", e.finding.citation, e.verdict_label,
             e.note, e.judged_by, e.judged_at, e.finding.rule, e.fingerprint]
            for e in selectors.export_findings(batch=batch)
        ],
    )  # fmt: skip
    covered = selectors.coverage(batch=batch)
    _sheet(
        workbook,
        SHEETS[2],
        [Column("应发布单位", 30, wrap=True), Column("年度", 7), Column("是否有报告", 11),
         Column("对应的报告单位", 30, wrap=True), Column("匹配依据", 40, wrap=True)],
        [
            [c.listed, covered.year, "有" if c.matched else "无", c.matched or "", c.basis]
            for c in covered.rows
        ],
    )  # fmt: skip
    summary = selectors.summary(batch=batch)
    _sheet(
        workbook,
        SHEETS[3],
        [Column("地区", 18), Column("单位类别", 10), Column("文件数", 8),
         Column("报告数（同一单位年度的多份文件计一份）", 14), Column("无法读取", 9),
         Column("有错误的报告（不含已排除）", 14), Column("错误（不含已排除）", 10),
         Column("已排除的错误", 8), Column("警告（不含已排除）", 10), Column("已排除的警告", 8),
         Column("已排除", 8), Column("已确认", 8)],
        [
            [s.region, s.kind, s.files, s.reports, s.unreadable, s.with_errors, s.errors,
             s.dismissed_errors, s.warnings, s.dismissed_warnings, s.dismissed, s.confirmed]
            for s in (*summary, selectors.summary_total(summary))
        ],
        freeze="A2",
        filtered=False,  # a filter would sort the 合计 row in among the others
    )  # fmt: skip
    for cell in workbook[SHEETS[3]][workbook[SHEETS[3]].max_row]:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
