"""Chinese names for what the renderers show: cells, tables, statuses, summary figures.

Every name is derived from the format declaration (:mod:`gongkai.core.formats`) where the
declaration has one, so that the Excel workbook, the HTML pages and the terminal call a cell by
the same name the published table prints. Only presentation words that the law does not fix
(status of an audit, kind of input file) are written here.
"""

from __future__ import annotations

from typing import Final

from gongkai.core.audit_result import LITIGATION_ROWS, SUMMARY_CELLS, Status
from gongkai.core.findings import CellRef
from gongkai.core.formats import LITIGATION_GROUP_LABEL, T3, ReportFormat, Row, Section, Table

STATUS_LABELS: Final[dict[Status, str]] = {
    "ok": "未发现问题",
    "findings": "有警告或提示",
    "errors": "有错误",
    "unreadable": "无法读取",
}

# AuditResult.kind is the input's file type (gongkai.core.inputs.Kind values).
INPUT_KIND_LABELS: Final[dict[str, str]] = {
    "text": "文本",
    "html": "网页（HTML）",
    "docx": "Word（DOCX）",
    "pdf": "PDF",
    "legacy_word": "旧版 Word/WPS",
    "unknown": "未知",
}

# The section whose tables are the 第二十条 blocks (code of formats.SECTIONS).
PROACTIVE_SECTION: Final = "proactive"

SUMMARY_KEYS: Final = (*(key for key, *_ in SUMMARY_CELLS), "litigation_total")


def input_kind_label(kind: str) -> str:
    return INPUT_KIND_LABELS.get(kind, kind)


def summary_labels(fmt: ReportFormat) -> dict[str, str]:
    """Column names for the summary figures, from the rows they are read from.

    Table 三's figures are all in its 总计 column, so the row's short name suffices
    (「本年新收」); a table 四 figure names its row and column (「行政复议总计」). The litigation
    figure adds the litigation rows (``LITIGATION_ROWS``) of table 四's total column.
    """
    labels: dict[str, str] = {}
    t4_total = ""
    for key, table_code, row_code, column_code in SUMMARY_CELLS:
        table = fmt.table(table_code)
        row = table.row(row_code)
        if table_code == T3:
            labels[key] = row.name
        else:
            t4_total = table.column(column_code).label
            labels[key] = f"{row.name}{t4_total}"
    for code in LITIGATION_ROWS:
        fmt.table4.row(code)  # the figure's rows must exist in the declaration
    labels["litigation_total"] = f"{LITIGATION_GROUP_LABEL}{t4_total}"
    return labels


def table_name(fmt: ReportFormat, table: Table) -> str:
    """How a message names a table: 「表三」 by its section number, or a section 二 block."""
    if table.header:
        return f"{table.header}（{table.title}）"
    section = section_for(fmt, table)
    return f"表{section.number}" if section else table.title


def section_for(fmt: ReportFormat, table: Table) -> Section | None:
    """The section a table belongs to: 二 for the section 二 blocks, else the one it is titled."""
    for section in fmt.sections:
        if table in fmt.section2:
            if section.code == PROACTIVE_SECTION:
                return section
        elif section.heading == table.title or table.title in section.aliases:
            return section
    return None


def enclosing_groups(table: Table, row: Row) -> tuple[Row, ...]:
    """The header rows (rows without cells) that a row sits under, outermost first."""
    groups: list[Row] = []
    for candidate in table.rows:
        if candidate is row:
            break
        while groups and groups[-1].level >= candidate.level:
            groups.pop()
        if not candidate.has_cells:
            groups.append(candidate)
    while groups and groups[-1].level >= row.level:
        groups.pop()
    return tuple(groups)


def row_label(table: Table, row: Row) -> str:
    """A row's label, qualified by its group where the label alone is ambiguous (「3.其他」).

    A short name that contains the label is already qualified (「行政诉讼（复议后起诉）」).
    """
    if row.short and row.label in row.short:
        return row.short
    groups = [g.label for g in enclosing_groups(table, row) if g.level > 0]
    return " ".join([*groups, row.label])


def describe_cell(fmt: ReportFormat, ref: CellRef) -> str:
    """「表三「（六）其他处理3.其他」「总计」」; codes as given when the format lacks the cell."""
    try:
        table = fmt.table(ref.table)
        row = table.row(ref.row)
        column = table.column(ref.column)
    except KeyError:
        return f"{ref.table}/{ref.row}/{ref.column}"
    return f"{table_name(fmt, table)}「{row_label(table, row)}」「{column.label}」"
