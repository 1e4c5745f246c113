"""Synthetic report texts built from the format declaration, for property tests.

The text is laid out the way real reports are (headings, block headers, row labels, cells),
with the cell separator chosen by the test: a tab (browser copy), a space, or nothing (the
crawler's flattened text). Nothing here is copied from the corpus.
"""

from __future__ import annotations

from collections.abc import Callable

from gongkai.core.formats import T3, T4, ReportFormat
from gongkai.core.model import AnnualReport, CellValue

Joiner = Callable[[list[str]], str]


def cell_text(value: CellValue) -> str:
    return "" if value is None else str(value)


def render(report: AnnualReport, *, sep: str = "", title: bool = True) -> str:
    """A report text in the published layout, cells joined by ``sep``."""
    fmt: ReportFormat = report.format
    parts: list[str] = []
    if title:
        parts.append(f"{report.meta.unit}{report.meta.year}年度政府信息公开工作年度报告\n")
    parts.append("一、总体情况\n本单位认真贯彻《条例》。\n")
    parts.append("二、主动公开政府信息情况\n")
    for table in fmt.section2:
        parts.append(f"{table.header}\n信息内容{sep}{sep.join(c.label for c in table.columns)}\n")
        for row in table.cell_rows:
            values = [cell_text(report.cell(table.code, row.code, c.code)) for c in table.columns]
            parts.append(f"{row.label}{sep}{sep.join(values)}\n")
    parts.append("三、收到和处理政府信息公开申请情况\n")
    t3 = fmt.table(T3)
    parts.append(f"{sep.join(c.label for c in t3.columns)}\n")
    for row in t3.rows:
        if not row.has_cells:
            parts.append(f"{row.label}{sep}")
            continue
        values = [cell_text(report.cell(T3, row.code, c.code)) for c in t3.columns]
        parts.append(f"{row.label}{sep}{sep.join(values)}\n")
    parts.append("四、政府信息公开行政复议、行政诉讼情况\n")
    t4 = fmt.table(T4)
    parts.append("行政复议行政诉讼" + sep.join(c.label for c in t4.columns) + "\n")
    values = [cell_text(report.cell(T4, row.code, c.code)) for row in t4.rows for c in t4.columns]
    parts.append(sep.join(values) + "\n")
    parts.append("五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n")
    return "".join(parts)


def grid_rows(report: AnnualReport) -> list[list[str]]:
    """The report's tables as an HTML/DOCX front end would hand them over: rows of cells.

    Table 三's rows carry their group label in a first cell (as a ``rowspan`` expanded by the
    front end), table 四 is its header rows then one line of 15 numbers.
    """
    fmt: ReportFormat = report.format
    rows: list[list[str]] = []
    for table in fmt.section2:
        rows.append([table.header])
        rows.append(["信息内容", *(c.label for c in table.columns)])
        for row in table.cell_rows:
            values = [cell_text(report.cell(table.code, row.code, c.code)) for c in table.columns]
            rows.append([row.label, *values])
    t3 = fmt.table(T3)
    rows.append(["", "", *(c.label for c in t3.columns)])
    group = ""
    for row in t3.rows:
        if not row.has_cells:
            group = row.label
            continue
        values = [cell_text(report.cell(T3, row.code, c.code)) for c in t3.columns]
        prefix = [group] if row.level == 2 else []
        rows.append([*prefix, row.label, *values])
    t4 = fmt.table(T4)
    rows.append(["行政复议", "行政诉讼"])
    rows.append([c.label for c in t4.columns] * len(t4.rows))
    rows.append(
        [cell_text(report.cell(T4, row.code, c.code)) for row in t4.rows for c in t4.columns]
    )
    return rows
