"""The report's tables as a workbook: same layout and merges as the page, numbers as numbers."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from gongkai.core.formats import (
    APPLICANT_GROUP_LABEL,
    COL_TOTAL,
    FORMAT_2021,
    T3,
    T3_BALANCE_NOTE,
    T3_NEW,
)
from gongkai.core.model import AnnualReport
from gongkai.core.render.report_xlsx import render_report_xlsx
from gongkai.core.render.table_grid import html_table_grid
from gongkai.core.render.tables_html import render_published_part, table_parts
from tests.render.test_report_roundtrip import generated


def test_sheets_and_merged_header(seed: AnnualReport) -> None:
    book = load_workbook(BytesIO(render_report_xlsx(seed)))
    assert book.sheetnames == [
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]
    sheet = book["三、收到和处理政府信息公开申请情况"]
    assert sheet["A3"].value == T3_BALANCE_NOTE
    assert "A3:C5" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["D3"].value == APPLICANT_GROUP_LABEL
    assert "D3:J3" in {str(r) for r in sheet.merged_cells.ranges}


def test_every_cell_reads_back(seed: AnnualReport) -> None:
    for report in (
        seed.with_cell(T3, T3_NEW, COL_TOTAL, None),
        generated(FORMAT_2021, 7, blank=0.3, big=True),
    ):
        book = load_workbook(BytesIO(render_report_xlsx(report)))
        for sheet, part in zip(book.worksheets, table_parts(report.format), strict=True):
            cells, _, _ = html_table_grid(render_published_part(report.format, part, report.tables))
            for cell in cells:
                if not cell.address:
                    continue
                table, row, column = cell.address.split("/")
                got = sheet.cell(3 + cell.row, 1 + cell.col).value
                want = report.tables[table][row][column]
                if isinstance(want, Decimal):
                    assert Decimal(str(got)) == want, cell.address
                else:
                    assert got == want, cell.address
