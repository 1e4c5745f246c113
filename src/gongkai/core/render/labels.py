"""Chinese names for what the renderers show: cells, tables, statuses, summary figures.

Names of tables, rows and cells come from :mod:`gongkai.core.names`, the one module that names
a part of the report in Chinese for the rules, the narrative checks, the parsers and the
renderers alike. Only presentation words that the law does not fix (status of an audit, kind
of input file, the summary figures' headings) are written here.
"""

from __future__ import annotations

from typing import Final

from gongkai.core.audit_result import LITIGATION_ROWS, SUMMARY_CELLS, Status
from gongkai.core.formats import LITIGATION_GROUP_LABEL, T3, ReportFormat

# How cells, rows and tables are named lives in gongkai.core.names, for every part of gongkai;
# these names are kept here for the renderers that import them from this module.
from gongkai.core.names import (
    describe_cell,
    enclosing_groups,
    row_label,
    section_for,
    table_name,
)

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
    "ofd": "OFD",
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


__all__ = [
    "INPUT_KIND_LABELS",
    "PROACTIVE_SECTION",
    "STATUS_LABELS",
    "SUMMARY_KEYS",
    "describe_cell",
    "enclosing_groups",
    "input_kind_label",
    "row_label",
    "section_for",
    "summary_labels",
    "table_name",
]
