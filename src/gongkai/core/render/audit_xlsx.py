"""The auditor's Excel workbook, for evaluators who sort, filter and pivot in Excel.

Three sheets: 「报告」 (one row per input file, with its status, finding counts and the summary
figures), 「问题」 (one row per finding) and 「表三」 (every table 三 cell of every report in long
form, ready for a pivot table). Numbers are stored as numbers and blank cells as empty cells, so
that Excel's sums and filters treat a blank as blank and not as 0. Every text from a report is
stored as a string, never as a formula (a unit name starting with 「=」 must not run), with the
characters XML cannot hold removed. A batch larger than a sheet's row limit continues on further
sheets (「表三（续2）」…). The workbook is streamed (openpyxl write-only mode), so memory stays
flat for tens of thousands of reports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Final

# openpyxl ships no type information (types-openpyxl is not a project dependency yet).
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet._write_only import WriteOnlyWorksheet  # type: ignore[import-untyped]

from gongkai.core.audit_result import AuditResult
from gongkai.core.errors import GongkaiError
from gongkai.core.findings import Severity, sort_findings
from gongkai.core.formats import FORMATS, T3, get_format
from gongkai.core.inputs import os_reason
from gongkai.core.model import ReportKind
from gongkai.core.render.labels import (
    STATUS_LABELS,
    SUMMARY_KEYS,
    describe_cell,
    input_kind_label,
    row_label,
    summary_labels,
)
from gongkai.core.render.output import replacing

Value = str | int | float | Decimal | dt.date | None

REPORTS_SHEET: Final = "报告"
FINDINGS_SHEET: Final = "问题"
TABLE3_SHEET: Final = "表三"
# Excel's limits: rows per sheet (one is the header) and characters per cell.
MAX_ROWS: Final = 1_048_576
MAX_CELL_CHARS: Final = 32_767

_HEADER_FONT: Final = Font(bold=True)
_HEADER_FILL: Final = PatternFill("solid", fgColor="EEF1F4")
_HEADER_ALIGN: Final = Alignment(vertical="center", wrap_text=True)
_DATE_FORMAT: Final = "yyyy-mm-dd"


@dataclass(frozen=True, slots=True)
class _Column:
    header: str
    width: float


def write_audit_xlsx(
    results: Sequence[AuditResult],
    path: Path,
    *,
    table3: bool = True,
    max_rows: int = MAX_ROWS,
) -> None:
    """Write the workbook to ``path`` (replaced if it exists; its folder must exist).

    The 「表三」 sheet has 161–175 rows per report and takes nearly all of the time;
    ``table3=False`` leaves it out for very large batches.
    ``max_rows`` is Excel's sheet limit; it is a parameter only so that tests can check the
    continuation sheets without writing a million rows.
    """
    # Open the (temporary) file first: a wrong path fails at once, before any row is streamed.
    # The workbook replaces ``path`` only when complete: an interruption keeps the old one.
    try:
        with replacing(path) as handle:
            workbook = Workbook(write_only=True)
            _sheet(workbook, REPORTS_SHEET, _report_columns(), _report_rows(results), max_rows)
            _sheet(workbook, FINDINGS_SHEET, _FINDING_COLUMNS, _finding_rows(results), max_rows)
            if table3:
                _sheet(workbook, TABLE3_SHEET, _TABLE3_COLUMNS, _table3_rows(results), max_rows)
            workbook.save(handle)
    except OSError as exc:
        raise GongkaiError(f"无法写入 Excel 文件 {path}：{os_reason(exc)}") from None


# --------------------------------------------------------------------------------------------
# Sheets
# --------------------------------------------------------------------------------------------


def _current_labels() -> dict[str, str]:
    # The summary figures have the same rows in every format; name them as the newest does.
    newest = max(FORMATS.values(), key=lambda f: f.first_year)
    return summary_labels(newest)


def _report_columns() -> list[_Column]:
    labels = _current_labels()
    return [
        _Column("文件", 40),
        _Column("单位", 28),
        _Column("年度", 7),
        _Column("格式", 7),
        _Column("单位类别", 12),
        _Column("输入类型", 12),
        _Column("发布日期", 12),
        _Column("审查结论", 13),
        _Column("错误", 6),
        _Column("警告", 6),
        _Column("提示", 6),
        *(_Column(labels[key], 10) for key in SUMMARY_KEYS),
        _Column("跨年度核对所用的上一年度报告", 40),
        _Column("本批次中同一单位同一年度的前一份报告", 40),
        _Column("无法读取原因", 50),
    ]


_FINDING_COLUMNS: Final = [
    _Column("文件", 40),
    _Column("单位", 28),
    _Column("年度", 7),
    _Column("严重程度", 9),
    _Column("类别", 11),
    _Column("规则", 22),
    _Column("说明", 70),
    _Column("涉及单元格", 40),
    _Column("依据", 30),
    _Column("原文摘录", 50),
]

_TABLE3_COLUMNS: Final = [
    _Column("文件", 40),
    _Column("单位", 28),
    _Column("年度", 7),
    _Column("行", 44),
    _Column("列", 13),
    _Column("数值", 8),
    _Column("行代码", 26),
    _Column("列代码", 16),
]


def _kind_label(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return ReportKind(value).label
    except ValueError:
        return value


def _report_rows(results: Iterable[AuditResult]) -> Iterator[list[Value]]:
    for result in results:
        counts = [sum(1 for f in result.findings if f.severity is s) for s in Severity]
        yield [
            result.file,
            result.unit,
            result.year,
            result.format,
            _kind_label(result.report_kind),
            input_kind_label(result.kind),
            result.published,
            STATUS_LABELS[result.status],
            *(counts if result.readable else [None, None, None]),
            *(result.summary.get(key) for key in SUMMARY_KEYS),
            result.previous,
            result.copy_of,
            result.reason,
        ]


def _finding_rows(results: Iterable[AuditResult]) -> Iterator[list[Value]]:
    for result in results:
        fmt = get_format(result.format) if result.format else None
        for finding in sort_findings(list(result.findings)):
            cells = "；".join(
                describe_cell(fmt, ref) if fmt else f"{ref.table}/{ref.row}/{ref.column}"
                for ref in finding.cells
            )
            yield [
                result.file,
                result.unit,
                result.year,
                finding.severity.label,
                finding.category.label,
                finding.rule,
                finding.message,
                cells or None,
                finding.citation or None,
                finding.excerpt,
            ]


def _table3_rows(results: Iterable[AuditResult]) -> Iterator[list[Value]]:
    for result in results:
        if not result.readable or result.format is None or T3 not in result.tables:
            continue
        table = get_format(result.format).table3
        cells = result.tables[T3]
        for row in table.cell_rows:
            label = row_label(table, row)
            for column in table.columns:
                yield [
                    result.file,
                    result.unit,
                    result.year,
                    label,
                    column.label,
                    cells.get(row.code, {}).get(column.code),
                    row.code,
                    column.code,
                ]


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def _sheet(
    workbook: Workbook,
    title: str,
    columns: Sequence[_Column],
    rows: Iterable[Sequence[Value]],
    max_rows: int,
) -> None:
    """Stream rows into ``title``, continuing on 「title（续2）」… when a sheet is full."""
    number = 1
    sheet = _new_sheet(workbook, title, columns)
    count = 0
    for row in rows:
        if count == max_rows - 1:
            _finish(sheet, columns, count)
            number += 1
            sheet = _new_sheet(workbook, f"{title}（续{number}）", columns)
            count = 0
        sheet.append([_cell(sheet, value) for value in row])
        count += 1
    _finish(sheet, columns, count)


def _new_sheet(workbook: Workbook, title: str, columns: Sequence[_Column]) -> WriteOnlyWorksheet:
    sheet: WriteOnlyWorksheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _HEADER_ALIGN
        header.append(cell)
    sheet.append(header)
    return sheet


def _finish(sheet: WriteOnlyWorksheet, columns: Sequence[_Column], count: int) -> None:
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"


def _too_long_for_excel(value: int | float | Decimal) -> bool:
    if isinstance(value, float):
        return False
    return bool(value <= -EXCEL_EXACT_LIMIT or value >= EXCEL_EXACT_LIMIT)


# The largest integer Excel stores exactly (15 significant digits).
EXCEL_EXACT_LIMIT: Final = 10**15


def _cell(
    sheet: WriteOnlyWorksheet, value: Value
) -> WriteOnlyCell | str | int | float | Decimal | None:
    """Numbers as numbers; dates as dates; text always as text, never as a formula."""
    if value is None:
        return None
    if isinstance(value, int | float | Decimal):
        if _too_long_for_excel(value):
            return str(value)  # Excel keeps 15 digits, and openpyxl fails on a 309-digit int
        return value
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = _DATE_FORMAT
        return cell
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 1] + "…"
    if not text.startswith("="):
        return text  # openpyxl stores it as a string; only a leading 「=」 makes a formula
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    return cell
