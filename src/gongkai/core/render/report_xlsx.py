"""The tables of an :class:`~gongkai.core.model.AnnualReport` as an Excel workbook (openpyxl).

One sheet per published table (二、主动公开政府信息情况 with its blocks, 三, 四), laid out as
on the page (:mod:`gongkai.core.render.table_grid` reads the HTML layout) with the same merged
header cells. Counts and amounts are numbers, so that a reader can sum them; a blank cell stays
empty, never 0.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Final

# openpyxl ships no type information (types-openpyxl is not a project dependency yet).
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Border, Font, Side  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from gongkai.core.model import AnnualReport, CellValue
from gongkai.core.render.labels import section_for
from gongkai.core.render.report_html import report_title, section_heading
from gongkai.core.render.table_grid import GridCell, html_table_grid
from gongkai.core.render.tables_html import render_published_part, table_parts

FONT_NAME: Final = "仿宋"
_THIN: Final = Side(style="thin")
_BORDER: Final = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
# Sheet names may not hold these characters, nor be longer than 31.
_SHEET_FORBIDDEN: Final = str.maketrans({c: "_" for c in "[]:*?/\\"})


def _value(report: AnnualReport, cell: GridCell) -> CellValue | str:
    if not cell.address:
        return cell.text.strip()
    table, row, column = cell.address.split("/")
    return report.tables[table][row][column]


def build_report_xlsx(report: AnnualReport) -> Workbook:
    fmt = report.format
    workbook = Workbook()
    default = workbook.active
    if default is not None:
        workbook.remove(default)
    for part in table_parts(fmt):
        section = section_for(fmt, part[0])
        heading = section_heading(section) if section else part[0].title
        sheet = workbook.create_sheet(heading.translate(_SHEET_FORBIDDEN)[:31])
        cells, _, cols = html_table_grid(render_published_part(fmt, part, report.tables))
        sheet.cell(1, 1, report_title(report)).font = Font(name=FONT_NAME, bold=True, size=14)
        sheet.cell(2, 1, heading).font = Font(name=FONT_NAME, bold=True)
        top = 3  # the grid starts on the third row
        for cell in cells:
            row, col = top + cell.row, 1 + cell.col
            target = sheet.cell(row, col, _value(report, cell))
            target.font = Font(name=FONT_NAME)
            target.alignment = Alignment(
                horizontal="center" if cell.numeric or cell.colspan > 1 else "left",
                vertical="center",
                wrap_text=True,
            )
            for r in range(row, row + cell.rowspan):
                for c in range(col, col + cell.colspan):
                    sheet.cell(r, c).border = _BORDER
            if cell.rowspan > 1 or cell.colspan > 1:
                sheet.merge_cells(
                    start_row=row,
                    start_column=col,
                    end_row=row + cell.rowspan - 1,
                    end_column=col + cell.colspan - 1,
                )
        for index in range(1, cols + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 12
    return workbook


def render_report_xlsx(report: AnnualReport) -> bytes:
    buffer = BytesIO()
    build_report_xlsx(report).save(buffer)
    return buffer.getvalue()


def write_report_xlsx(report: AnnualReport, path: str | Path) -> Path:
    target = Path(path)
    target.write_bytes(render_report_xlsx(report))
    return target


__all__ = ["build_report_xlsx", "render_report_xlsx", "write_report_xlsx"]
