"""An :class:`~gongkai.core.model.AnnualReport` as a Word document (python-docx).

The document holds what the HTML page holds (:mod:`gongkai.core.render.report_html`): the title,
the six sections with their headings, the narrative paragraphs and the tables. The tables are
not laid out a second time: the layout of :mod:`gongkai.core.render.tables_html` (merged header
cells, row groups, section 二's blocks) is read back as a grid of spanning cells and written as
a Word table with the same merges, so the two renderings cannot drift apart.

The layout is a word processor's: A4 with the margins of official documents, rows that never
split across pages, table 三's and 四's header rows repeated on each page, headings kept with
what follows, and number columns wide enough (or numbers small enough) that a number never
wraps. With ``charts``, the charts follow the last table as pictures.

Fonts are those of Chinese official documents: 黑体 for the title and headings, 仿宋 for the
text, set for East Asian text (``w:eastAsia``) as Word and WPS need, with Noto CJK as what a
machine without them falls back to.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Final

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from gongkai.core.model import AnnualReport
from gongkai.core.render.charts import Chart, ChartInputs, report_charts
from gongkai.core.render.report_html import (
    charts_section,
    paragraphs,
    report_title,
    section_heading,
    tables_by_section,
)
from gongkai.core.render.table_grid import GridCell, html_table_grid
from gongkai.core.render.tables_html import render_published_part

BODY_FONT: Final = "仿宋"
HEADING_FONT: Final = "黑体"
LATIN_FONT: Final = "Times New Roman"
BODY_SIZE: Final = Pt(14)
TABLE_SIZE: Final = Pt(10.5)
# A4 with the margins of official documents (GB/T 9704: 37 mm top, 28 mm left, 26 mm right).
PAGE_WIDTH: Final = Cm(21)
PAGE_HEIGHT: Final = Cm(29.7)
MARGINS: Final = (Cm(3.7), Cm(2.6), Cm(3.5), Cm(2.8))  # top, right, bottom, left
NUMBER_WIDTH: Final = Cm(1.2)
MAX_NUMBER_WIDTH: Final = Cm(1.7)
NUMBER_MARGIN: Final = Cm(0.05)
# The width of a digit in em — Times New Roman's figures are half an em, but a machine without
# it substitutes DejaVu Serif, whose figures are 0.64 em — and the smallest size a long number
# is set in to stay on one line.
DIGIT_EM: Final = 0.64
SMALLEST_NUMBER_SIZE: Final = Pt(5)
# A label spanning this many rows wraps into a column this many characters' weight wide.
TALL_LABEL_ROWS: Final = 3
TALL_LABEL_WEIGHT: Final = 4
# Tables with more columns than this (table 四) are set smaller.
WIDE_TABLE_COLUMNS: Final = 10
WIDE_TABLE_SIZE: Final = Pt(9)
# A header of this many rows is repeated on each page a table continues on.
REPEATED_HEADER_ROWS: Final = 3
CHART_WIDTH: Final = Cm(15)


# --------------------------------------------------------------------------------------------
# Fonts
# --------------------------------------------------------------------------------------------


def set_run_font(run: Run, name: str, size: Pt | None = None, bold: bool = False) -> None:
    """A run in ``name`` for East Asian text and Times New Roman for Latin digits."""
    font = run.font
    font.name = LATIN_FONT
    font.bold = bold
    if size is not None:
        font.size = size
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _paragraph(
    paragraph: Paragraph,
    text: str,
    *,
    font: str = BODY_FONT,
    size: Pt = BODY_SIZE,
    bold: bool = False,
    indent: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
) -> Paragraph:
    run = paragraph.add_run(text)
    set_run_font(run, font, size, bold)
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size.pt * 2)
    if align is not None:
        paragraph.alignment = align
    return paragraph


# --------------------------------------------------------------------------------------------
# The document
# --------------------------------------------------------------------------------------------


def _header_rows(cells: list[GridCell]) -> int:
    """How many rows at the top hold only column headings (no data cell starts in them)."""
    data_rows = {c.row for c in cells if c.address or c.numeric}
    return min(data_rows, default=0)


def _row_properties(table: DocxTable, header_rows: int) -> None:
    """No row is split across two pages; a table with a header of three or more rows (table 三,
    table 四) repeats it at the top of each page it continues on."""
    for index, row in enumerate(table.rows):
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if header_rows >= REPEATED_HEADER_ROWS and index < header_rows:
            properties.append(OxmlElement("w:tblHeader"))


def _write_table(document: DocxDocument, html: str) -> DocxTable:
    cells, rows, cols = html_table_grid(html)
    table: DocxTable = document.add_table(rows=rows, cols=cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    digits = max([len(c.text.strip()) for c in cells if c.numeric] + [1])
    widths = column_widths(cells, cols, Length(PAGE_WIDTH - MARGINS[1] - MARGINS[3]), digits=digits)
    for index, width in enumerate(widths):
        table.columns[index].width = width  # the table grid (w:gridCol)
    # Table 四's fifteen columns are narrow: a smaller size keeps 「结果维持」 on two lines.
    size = TABLE_SIZE if cols <= WIDE_TABLE_COLUMNS else WIDE_TABLE_SIZE
    # The grid's cells, read once: python-docx's table.cell() reads the whole table again on
    # every call (seconds for table 三). The cells of different grid cells never overlap, so a
    # merge never removes a cell that a later one starts or ends in.
    grid = table._cells
    for cell in cells:
        target = grid[cell.row * cols + cell.col]
        if cell.rowspan > 1 or cell.colspan > 1:
            end = grid[(cell.row + cell.rowspan - 1) * cols + cell.col + cell.colspan - 1]
            target = target.merge(end)
        target.width = Length(sum(widths[cell.col : cell.col + cell.colspan]))
        target.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
        paragraph = target.paragraphs[0]
        align = WD_ALIGN_PARAGRAPH.CENTER if cell.numeric or cell.colspan > 1 else None
        text_size = size
        if cell.numeric:
            _narrow_margins(target)
            text_size = number_size(widths[cell.col], digits, size)
        _paragraph(paragraph, cell.text.strip(), size=text_size, align=align)
    _row_properties(table, _header_rows(cells))
    return table


def _narrow_margins(cell: _Cell) -> None:
    """Thin left and right margins in a number's cell: it is centred, and the width is the
    number's (``w:tcMar``, which must come after ``w:vAlign``'s predecessors in ``w:tcPr``)."""
    properties = cell._tc.get_or_add_tcPr()
    margins = OxmlElement("w:tcMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(int(NUMBER_MARGIN.twips)))  # twentieths of a point
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    # Schema order: … tcW, gridSpan, vMerge, tcBorders, shd, noWrap, tcMar, …, vAlign, …
    v_align = properties.find(qn("w:vAlign"))
    if v_align is not None:
        v_align.addprevious(margins)
    else:
        properties.append(margins)


def number_size(width: Length, digits: int, size: Pt) -> Pt:
    """The largest size up to ``size`` at which a number of ``digits`` digits fits in a column
    ``width`` wide on one line (a number wrapped over two lines is misread by every reader,
    the auditor's PDF reader among them); never below :data:`SMALLEST_NUMBER_SIZE`."""
    room = width - 2 * NUMBER_MARGIN - Cm(0.05)
    fits = Pt(room / (digits * DIGIT_EM) / Pt(1))  # EMU per em → points
    return Pt(max(SMALLEST_NUMBER_SIZE.pt, min(size.pt, int(fits.pt * 2) / 2)))


def column_widths(
    cells: list[GridCell], cols: int, total: Length, *, digits: int = 1
) -> list[Length]:
    """Narrow columns for numbers; the label columns share the rest by their longest label.

    A column where no number starts is a label column (table 三's three label levels, section
    二's 信息内容); its weight is the length of the longest label written in it alone. A label
    spanning several rows (「三、本年度办理结果」, 「（三）不予公开」 beside their rows) has the
    height to wrap onto many short lines, and asks for the width of a few characters only.
    """
    numeric = {c.col for c in cells if c.numeric}
    labels = [i for i in range(cols) if i not in numeric]
    if not labels:
        return [Length(total // cols)] * cols
    weights = {i: 2 for i in labels}
    for cell in cells:
        if cell.colspan == 1 and cell.col in weights:
            length = len(cell.text.strip())
            cap = TALL_LABEL_WEIGHT if cell.rowspan >= TALL_LABEL_ROWS else 16
            weights[cell.col] = max(weights[cell.col], min(length, cap))
    # Few number columns (section 二) get up to half the width, many (table 三) at least 1.2 cm,
    # and up to 1.7 cm when the numbers are long (9,999,999 in a cell).
    wanted = Length(int(digits * DIGIT_EM * TABLE_SIZE) + 2 * NUMBER_MARGIN + Cm(0.1))
    floor = max(NUMBER_WIDTH, min(wanted, MAX_NUMBER_WIDTH))
    number = Length(min(Cm(3), max(floor, total // 2 // max(len(numeric), 1))))
    rest = total - number * len(numeric)
    share = sum(weights.values())
    return [number if i in numeric else Length(rest * weights[i] // share) for i in range(cols)]


def _add_chart(document: DocxDocument, chart: Chart) -> None:
    """A chart as a centred picture in a paragraph of its own, its title as the alternative
    text (``wp:docPr/@descr``), which screen readers read and the report's text does not hold."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    picture = run.add_picture(BytesIO(chart.data), width=CHART_WIDTH)
    picture._inline.docPr.set("descr", chart.title)
    picture._inline.docPr.set("name", f"chart-{chart.key}")


def build_report_docx(report: AnnualReport, *, charts: ChartInputs | None = None) -> DocxDocument:
    """The report as a python-docx ``Document`` (with ``charts``, the charts after the last
    table, as PNG pictures)."""
    drawn = report_charts(report, charts, kind="png") if charts is not None else ()
    after_tables = charts_section(report)
    document = Document()
    for page in document.sections:
        page.page_width, page.page_height = PAGE_WIDTH, PAGE_HEIGHT
        top, right, bottom, left = MARGINS
        page.top_margin, page.right_margin = top, right
        page.bottom_margin, page.left_margin = bottom, left
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    fmt = report.format
    _paragraph(
        document.add_paragraph(),
        report_title(report),
        font=HEADING_FONT,
        size=Pt(22),
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    tables = tables_by_section(report)
    for section in fmt.sections:
        heading = _paragraph(document.add_paragraph(), section_heading(section), font=HEADING_FONT)
        # A heading never ends a page: it stays with the paragraph or table it introduces.
        heading.paragraph_format.keep_with_next = True
        for text in paragraphs(report.narrative.get(section.code, "")):
            _paragraph(document.add_paragraph(), text, indent=True)
        for part in tables.get(section.code, ()):
            _write_table(document, render_published_part(fmt, part, report.tables))
            document.add_paragraph()
        if section.code == after_tables:
            for chart in drawn:
                _add_chart(document, chart)
    if report.meta.published is not None:
        date = report.meta.published
        for line in (report.meta.unit, f"{date.year}年{date.month}月{date.day}日"):
            _paragraph(document.add_paragraph(), line, align=WD_ALIGN_PARAGRAPH.RIGHT)
    return document


def render_report_docx(report: AnnualReport, *, charts: ChartInputs | None = None) -> bytes:
    document = build_report_docx(report, charts=charts)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_report_docx(
    report: AnnualReport, path: str | Path, *, charts: ChartInputs | None = None
) -> Path:
    target = Path(path)
    target.write_bytes(render_report_docx(report, charts=charts))
    return target


__all__ = [
    "build_report_docx",
    "render_report_docx",
    "write_report_docx",
]
