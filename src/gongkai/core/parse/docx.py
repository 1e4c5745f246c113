"""Word (.docx) reports → :class:`ParseResult`, with python-docx.

Offices write the report in Word and often publish the .docx itself. The body is read in
order, paragraphs and tables alike, into the blocks of :mod:`gongkai.core.parse.document`.

Merged cells are read from the WordprocessingML itself rather than from python-docx's
``row.cells``, which repeats a merged cell once per grid column it covers and so cannot tell a
label spread over three columns from three cells: ``w:gridSpan`` is a cell merged across and
``w:vMerge="continue"`` a cell merged down, and both are expanded by the one rule the HTML and
PDF front ends use (:func:`gongkai.core.parse.document.covered`).
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import docx
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl, CT_Tc
from docx.oxml.text.paragraph import CT_P
from docx.text.paragraph import Paragraph as DocxParagraph

from gongkai.core.parse.document import (
    MAX_GRID_COLUMNS,
    MAX_GRID_ROWS,
    MAX_SPAN,
    Block,
    Grid,
    Paragraph,
    assemble,
    clean_cell,
    covered,
    failure,
)
from gongkai.core.parse.result import ParseResult

WHAT = "Word 文档"
# A .docx is a zip; refuse one whose document part would inflate absurdly (a zip bomb).
MAX_DOCUMENT_XML_BYTES = 64 * 1024 * 1024


def parse_docx(data: bytes, *, source: str = "") -> ParseResult:
    """Parse one report saved as a .docx file."""
    problem = _container_problem(data)
    if problem:
        return failure(source, problem)
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = docx_blocks(document)
    except Exception as exc:  # python-docx raises many kinds of error on a broken file
        return failure(source, f"Word 文档已损坏，无法读取（{type(exc).__name__}）")
    return assemble(blocks, source=source, what=WHAT)


def _container_problem(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            try:
                info = archive.getinfo("word/document.xml")
            except KeyError:
                return "不是有效的 Word 文档：压缩包中没有 word/document.xml"
            if info.file_size > MAX_DOCUMENT_XML_BYTES:
                return f"Word 文档正文过大（解压后 {info.file_size} 字节），已拒绝"
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "Word 文档已损坏（不是完整的 zip 压缩包），无法读取"
    return ""


def docx_blocks(document: Any) -> list[Block]:
    """The body's paragraphs and tables, in order (tables inside tables: their text)."""
    blocks: list[Block] = []
    for element in document.element.body.iterchildren():
        if isinstance(element, CT_P):
            text = DocxParagraph(element, document).text
            if text.strip():
                blocks.append(Paragraph(text))
        elif isinstance(element, CT_Tbl):
            blocks.append(read_grid(element))
    return blocks


def _cell_text(tc: CT_Tc) -> str:
    """All text of a cell, paragraphs joined by line breaks (nested tables included)."""
    lines = ("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p")))
    return "\n".join(lines)


def read_grid(table: CT_Tbl) -> Grid:
    """The table's full grid, merged cells expanded by the shared rule."""
    rows: list[tuple[str, ...]] = []
    origins: list[list[str]] = []  # the text of the cell that owns each grid position
    for tr in table.tr_lst[:MAX_GRID_ROWS]:
        line: list[str] = []
        owners: list[str] = []
        for tc in tr.tc_lst:
            span = max(1, min(tc.grid_span, MAX_SPAN))
            col = len(owners)
            if col >= MAX_GRID_COLUMNS:
                break
            if tc.vMerge == "continue":
                above = origins[-1] if origins else []
                text = above[col] if col < len(above) else ""
                line.extend(covered(text, span, vertical=True))
            else:
                text = clean_cell(_cell_text(tc))
                line.append(text)
                line.extend(covered(text, span, vertical=False)[1:])
            owners.extend([text] * span)
        rows.append(tuple(line[:MAX_GRID_COLUMNS]))
        origins.append(owners)
    return Grid(tuple(rows))
