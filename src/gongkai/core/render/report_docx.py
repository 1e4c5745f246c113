"""An :class:`~gongkai.core.model.AnnualReport` as a Word document (python-docx).

The document holds what the HTML page holds (:mod:`gongkai.core.render.report_html`): the title,
the six sections with their headings, the narrative paragraphs and the tables. The tables are
not laid out a second time: the layout of :mod:`gongkai.core.render.tables_html` (merged header
cells, row groups, section 二's blocks) is read back as a grid of spanning cells and written as
a Word table with the same merges, so the two renderings cannot drift apart.

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
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from gongkai.core.model import AnnualReport
from gongkai.core.render.report_html import (
    paragraphs,
    report_title,
    section_heading,
    tables_by_section,
)
from gongkai.core.render.table_grid import html_table_grid
from gongkai.core.render.tables_html import render_published_part

BODY_FONT: Final = "仿宋"
HEADING_FONT: Final = "黑体"
LATIN_FONT: Final = "Times New Roman"
BODY_SIZE: Final = Pt(14)
TABLE_SIZE: Final = Pt(10.5)


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


def _write_table(document: DocxDocument, html: str) -> DocxTable:
    cells, rows, cols = html_table_grid(html)
    table: DocxTable = document.add_table(rows=rows, cols=cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell in cells:
        target = table.cell(cell.row, cell.col)
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(
                table.cell(cell.row + cell.rowspan - 1, cell.col + cell.colspan - 1)
            )
        paragraph = target.paragraphs[0]
        align = WD_ALIGN_PARAGRAPH.CENTER if cell.numeric or cell.colspan > 1 else None
        _paragraph(paragraph, cell.text.strip(), size=TABLE_SIZE, align=align)
    return table


def build_report_docx(report: AnnualReport) -> DocxDocument:
    """The report as a python-docx ``Document``."""
    document = Document()
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
        _paragraph(document.add_paragraph(), section_heading(section), font=HEADING_FONT)
        for text in paragraphs(report.narrative.get(section.code, "")):
            _paragraph(document.add_paragraph(), text, indent=True)
        for part in tables.get(section.code, ()):
            _write_table(document, render_published_part(fmt, part, report.tables))
            document.add_paragraph()
    if report.meta.published is not None:
        date = report.meta.published
        for line in (report.meta.unit, f"{date.year}年{date.month}月{date.day}日"):
            _paragraph(document.add_paragraph(), line, align=WD_ALIGN_PARAGRAPH.RIGHT)
    return document


def render_report_docx(report: AnnualReport) -> bytes:
    document = build_report_docx(report)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_report_docx(report: AnnualReport, path: str | Path) -> Path:
    target = Path(path)
    target.write_bytes(render_report_docx(report))
    return target


__all__ = [
    "build_report_docx",
    "render_report_docx",
    "write_report_docx",
]
