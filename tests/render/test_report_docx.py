"""The report as a Word document: same content as the page, merged header cells, CJK fonts."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.table import WD_ALIGN_VERTICAL
from docx.oxml.ns import qn
from docx.shared import Cm

from gongkai.core.formats import APPLICANT_GROUP_LABEL, ORGANISATION_GROUP_LABEL, T3_BALANCE_NOTE
from gongkai.core.model import AnnualReport
from gongkai.core.render.report_docx import render_report_docx
from gongkai.core.render.report_html import report_title, section_heading
from gongkai.core.render.table_grid import html_table_grid


def test_paragraphs_and_fonts(seed: AnnualReport) -> None:
    document = Document(BytesIO(render_report_docx(seed)))
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[0] == report_title(seed)
    for section in seed.format.sections:
        assert f"{section.number}、{section.heading}" in texts
    title = document.paragraphs[0].runs[0]
    assert title._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    body = next(p for p in document.paragraphs if p.text.startswith("2021 年泉港区未收取"))
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋"


def test_table_three_header_cells_are_merged(seed: AnnualReport) -> None:
    document = Document(BytesIO(render_report_docx(seed)))
    assert len(document.tables) == 3  # section 二, table 三, table 四
    table = document.tables[1]
    assert table.cell(0, 0).text == T3_BALANCE_NOTE
    # Merged cells are one cell object across their span.
    assert table.cell(0, 0)._tc is table.cell(2, 2)._tc
    groups = table.rows[0].cells
    assert groups[3].text == APPLICANT_GROUP_LABEL and groups[9]._tc is groups[3]._tc
    assert table.cell(1, 4).text == ORGANISATION_GROUP_LABEL
    assert table.cell(1, 4)._tc is table.cell(1, 8)._tc
    assert len(table.rows) == 3 + 25  # three header rows, 25 data rows


def test_grid_reads_spans() -> None:
    cells, rows, cols = html_table_grid(
        '<table><tr><th rowspan="2">a</th><th colspan="2">b</th></tr>'
        '<tr><td class="num">1</td><td class="num"></td></tr></table>'
    )
    assert (rows, cols) == (2, 3)
    assert [(c.text, c.row, c.col) for c in cells] == [
        ("a", 0, 0),
        ("b", 0, 1),
        ("1", 1, 1),
        ("", 1, 2),
    ]


def test_a4_and_tables_fit_the_text_width(seed: AnnualReport) -> None:
    document = Document(BytesIO(render_report_docx(seed)))
    page = document.sections[0]
    assert (round(page.page_width.cm, 1), round(page.page_height.cm, 1)) == (21.0, 29.7)
    text_width = page.page_width - page.left_margin - page.right_margin
    for table in document.tables:
        widths = [column.width for column in table.columns]
        assert sum(widths) <= text_width + Cm(0.05)  # widths are stored in twips
        assert sum(widths) > text_width * 0.95
    # Table 三's number columns are narrow, its leaf-label column the widest label column.
    t3 = [column.width for column in document.tables[1].columns]
    assert t3[2] == max(t3) and len(set(t3[3:])) == 1


def test_rows_stay_whole_and_table_three_repeats_its_header(seed: AnnualReport) -> None:
    document = Document(BytesIO(render_report_docx(seed)))
    t3 = document.tables[1]
    for row in t3.rows:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None
    repeated = [row._tr.trPr.find(qn("w:tblHeader")) is not None for row in t3.rows]
    assert repeated == [True] * 3 + [False] * 25
    # Section 二's blocks are short: their two header rows are not repeated.
    assert all(r._tr.trPr.find(qn("w:tblHeader")) is None for r in document.tables[0].rows)


def test_headings_keep_with_what_they_introduce(seed: AnnualReport) -> None:
    document = Document(BytesIO(render_report_docx(seed)))
    for section in seed.format.sections:
        heading = next(p for p in document.paragraphs if p.text == section_heading(section))
        assert heading.paragraph_format.keep_with_next
        assert heading.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"


def test_table_cells_are_fangsong_and_centred(seed: AnnualReport) -> None:
    document = Document(BytesIO(render_report_docx(seed)))
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                assert cell.vertical_alignment == WD_ALIGN_VERTICAL.CENTER
                for run in cell.paragraphs[0].runs:
                    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"


def test_tall_labels_leave_the_width_to_the_row_labels(seed: AnnualReport) -> None:
    document = Document(BytesIO(render_report_docx(seed)))
    t3 = [column.width for column in document.tables[1].columns]
    # 「三、本年度办理结果」 and 「（三）不予公开」 wrap beside their rows; the leaf labels
    # (「1.本机关不掌握相关政府信息」) get the width, so that they wrap at most once or twice.
    assert t3[0] < t3[2] / 2 and t3[1] < t3[2] / 2
    assert t3[2] > Cm(4)
