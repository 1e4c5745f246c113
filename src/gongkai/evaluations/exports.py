"""A batch as one Excel workbook: reports, findings (with the evaluators' verdicts), coverage
and the summary by region and kind — what an office files or sends on with its evaluation."""

from __future__ import annotations

import io
from typing import Any, Final

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from gongkai.evaluations import selectors
from gongkai.evaluations.models import Batch, Verdict
from gongkai.evaluations.selectors import Filters

XLSX_CONTENT_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEETS: Final = ("报告", "审查问题", "覆盖情况", "汇总")


def _safe(value: Any) -> Any:
    """Text that Excel would run as a formula (「=…」, 「+…」) is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _sheet(workbook: Workbook, title: str, head: list[str], rows: list[list[Any]]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(head)
    for row in rows:
        sheet.append([_safe(v) for v in row])
    sheet.freeze_panes = "A2"
    for index, name in enumerate(head, 1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(60, len(name) * 3))


def batch_xlsx(*, batch: Batch) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    reports = selectors.report_rows(batch=batch, filters=Filters())
    _sheet(
        workbook,
        SHEETS[0],
        ["文件", "SHA-256", "单位", "地区", "年度", "单位类别", "文件类型", "格式版本",
         "是否读出", "无法读取的原因", "错误", "警告", "提示", "已排除", "已确认"],
        [
            [r["file_name"], r["sha256"], r["unit_name"], r["region"], r["year"],
             r["kind_label"], r["input_label"], r["format_version"],
             "是" if r["readable"] else "否", r["reason"], r["errors"], r["warnings"],
             r["infos"], r["dismissed"], r["confirmed"]]
            for r in reports
        ],
    )  # fmt: skip
    _sheet(
        workbook,
        SHEETS[1],
        ["文件", "单位", "年度", "规则", "严重程度", "类别", "说明", "涉及单元格", "原文",
         "依据", "评估结论", "评估说明", "问题指纹"],
        [
            [report["file_name"], report["unit_name"], report["year"], f.rule, f.severity.label,
             f.category.label, f.message,
             "；".join(f"{c.table}/{c.row}/{c.column}" for c in f.cells), f.excerpt or "",
             f.citation, Verdict(verdict).label if verdict else "待评估", note, fp]
            for report, f, fp, verdict, note in selectors.export_findings(batch=batch)
        ],
    )  # fmt: skip
    covered = selectors.coverage(batch=batch)
    summary = selectors.summary(batch=batch)
    _sheet(
        workbook,
        SHEETS[2],
        ["应发布单位", "年度", "是否有报告", "对应的报告单位", "匹配依据"],
        [
            [c.listed, covered.year, "有" if c.matched else "无", c.matched or "", c.basis]
            for c in covered.rows
        ],
    )
    _sheet(
        workbook,
        SHEETS[3],
        ["地区", "单位类别", "报告数", "无法读取", "有错误的报告", "错误", "警告"],
        [
            [s.region, s.kind, s.reports, s.unreadable, s.with_errors, s.errors, s.warnings]
            for s in (*summary, selectors.summary_total(summary))
        ],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
