"""Word (.docx) reports → :class:`ParseResult`, with python-docx's XML layer.

Offices write the report in Word and often publish the .docx itself. Only the main part,
``word/document.xml``, holds the report; it is parsed with python-docx's own (entity-safe)
parser, and its body is read in order, paragraphs and tables alike, into the blocks of
:mod:`gongkai.core.parse.document`. Loading the whole package with ``docx.Document`` (styles,
numbering, themes, settings) would double the time for nothing the report needs.

Merged cells are read from the WordprocessingML itself rather than from python-docx's
``row.cells``, which repeats a merged cell once per grid column it covers and so cannot tell a
label spread over three columns from three cells: ``w:gridSpan`` is a cell merged across and
``w:vMerge="continue"`` a cell merged down, and both are expanded by the one rule the HTML and
PDF front ends use (:func:`gongkai.core.parse.document.covered`).

The text is read as Word shows and prints the document with its changes accepted: deleted text
(``w:delText``, rows marked ``w:del``), text moved away (``w:moveFrom``, which Word keeps where
it was as well as where it went) and hidden text (``w:vanish``) are left out (see
:func:`_as_shown`).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml

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
)
from gongkai.core.parse.result import ParseResult, failure, with_pictures_note

WHAT = "Word 文档"
# A .docx is a zip; refuse one whose document part would inflate absurdly (a zip bomb).
MAX_DOCUMENT_XML_BYTES = 64 * 1024 * 1024

_W_BODY, _W_P, _W_TBL, _W_TR, _W_TC = (qn(t) for t in ("w:body", "w:p", "w:tbl", "w:tr", "w:tc"))
_W_T, _W_TAB, _W_BR, _W_VAL = (qn(t) for t in ("w:t", "w:tab", "w:br", "w:val"))
_W_TCPR, _W_GRIDSPAN, _W_VMERGE = (qn(t) for t in ("w:tcPr", "w:gridSpan", "w:vMerge"))
_W_GRIDBEFORE = qn("w:gridBefore")
_W_R, _W_RPR, _W_TRPR = (qn(t) for t in ("w:r", "w:rPr", "w:trPr"))
_W_VANISH, _W_DEL, _W_MOVE_FROM = (qn(t) for t in ("w:vanish", "w:del", "w:moveFrom"))
# What a document's XML holds somewhere when any of its text is not shown (see _as_shown),
# whatever prefix it gives WordprocessingML: most documents hold none of them.
_MAY_HIDE = (b"vanish", b"moveFrom", b":del ", b"<del ")
_OFF = frozenset({"false", "0", "off"})
_W_SDT, _W_SDT_CONTENT = qn("w:sdt"), qn("w:sdtContent")
_W_TXBX, _W_CUSTOM_XML = qn("w:txbxContent"), qn("w:customXml")
# Word writes a text box twice: the DrawingML shape (mc:Choice) and a VML copy for old readers
# (mc:Fallback); only the first is read.
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_IN_TEXT_BOX = f".//{_W_TXBX}"


def parse_docx(data: bytes, *, source: str = "") -> ParseResult:
    """Parse one report saved as a .docx file."""
    try:
        xml = _document_xml(data)
    except _RefusedError as refused:
        return failure(source, str(refused))
    try:
        root = parse_xml(xml)
        body = root.find(_W_BODY)
        if body is None:
            return failure(source, "不是有效的 Word 文档：word/document.xml 中没有正文（w:body）")
        if any(word in xml for word in _MAY_HIDE):
            _as_shown(body)
        blocks = body_blocks(body)
    except Exception as exc:  # lxml and python-docx raise many kinds of error on a broken file
        return failure(source, f"Word 文档已损坏，无法读取（{type(exc).__name__}）")
    result = assemble(blocks, source=source, what=WHAT)
    if result.report is None or any(p.code == "missing_table" for p in result.problems):
        return _with_pictures_named(result, body)
    return result


# A picture in the body: DrawingML's (pic:pic, what Word inserts) or VML's (older files).
_PICTURE = "{http://schemas.openxmlformats.org/drawingml/2006/picture}pic"
_VML_PICTURE = "{urn:schemas-microsoft-com:vml}imagedata"


def _with_pictures_named(result: ParseResult, body: Any) -> ParseResult:
    """A table missing, or no report read, from a document with pictures in its body: say so,
    since offices paste a table into the report as a picture of it (which has no text).
    Word's VML copy of a DrawingML picture (mc:Fallback) is not counted again."""
    count = sum(
        1
        for picture in body.iter(_PICTURE, _VML_PICTURE)
        if not any(a.tag == _MC_FALLBACK for a in picture.iterancestors())
    )
    if not count:
        return result
    note = (
        f"Word 文档正文中有 {count} 张图片：未读出的表格可能是以图片形式插入的，无法读取其中的数字"
    )
    return with_pictures_note(result, note)


class _RefusedError(Exception):
    """The container is not a readable .docx; the message is the Chinese reason."""


def _document_xml(data: bytes) -> bytes:
    """The main document part, read with a bound on its size (a .docx is a zip)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            try:
                info = archive.getinfo("word/document.xml")
            except KeyError:
                missing = "不是有效的 Word 文档：压缩包中没有 word/document.xml"
                raise _RefusedError(missing) from None
            if info.file_size > MAX_DOCUMENT_XML_BYTES:
                raise _RefusedError(f"Word 文档正文过大（解压后 {info.file_size} 字节），已拒绝")
            with archive.open(info) as handle:
                xml = handle.read(MAX_DOCUMENT_XML_BYTES + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, zlib.error):
        raise _RefusedError("Word 文档已损坏（不是完整的 zip 压缩包），无法读取") from None
    if len(xml) > MAX_DOCUMENT_XML_BYTES:
        raise _RefusedError("Word 文档正文解压后过大，已拒绝")
    return xml


def _as_shown(body: Any) -> None:
    """Take out of the body what Word does not show once its tracked changes are accepted.

    A report published with its changes still tracked keeps the deleted figures beside the new
    ones: a deleted run's text is ``w:delText`` (never read), but a row deleted from a table
    keeps its cells, and text moved elsewhere stays where it was (``w:moveFrom``) as well as
    where it went. Text formatted hidden (``w:vanish``: 「12」 with a hidden 「34」 after it, a
    draft's figure kept out of print) is not printed either; read, a cell of 12 read 1234, as
    the hidden text of a page saved from Word did (see the HTML reader). Only a run's own
    formatting is looked at: a hidden paragraph mark joins two paragraphs and hides no text.
    """
    doomed = []
    for mark in body.iter(_W_VANISH):
        props = mark.getparent()
        run = props.getparent() if props is not None else None
        if (
            run is not None
            and props.tag == _W_RPR
            and run.tag == _W_R
            and mark.get(_W_VAL, "true").strip().lower() not in _OFF
        ):
            doomed.append(run)
    for deleted in body.iter(_W_DEL):
        parent = deleted.getparent()
        if parent is None or parent.tag == _W_RPR:
            continue  # a deleted paragraph mark: the paragraphs are joined, no text goes
        doomed.append(parent.getparent() if parent.tag == _W_TRPR else deleted)
    doomed.extend(body.iter(_W_MOVE_FROM))
    for element in doomed:
        parent = element.getparent()
        if parent is not None:  # (not already gone with a row or run taken out before)
            parent.remove(element)


def body_blocks(body: Any) -> list[Block]:
    """The body's paragraphs and tables, in order; content controls (w:sdt) and layout
    tables are opened, so the tables inside them are read as tables."""
    blocks: list[Block] = []
    for element in body.iterchildren():
        if element.tag == _W_P:
            boxes = element.findall(_IN_TEXT_BOX)
            text = _text(element) if not boxes else _text_outside_boxes(element)
            if text.strip():
                blocks.append(Paragraph(text))
            for box in boxes:
                if _is_read(box, element):
                    blocks.extend(body_blocks(box))
        elif element.tag == _W_TBL and _is_layout(element):
            for tr in _children(element, _W_TR):
                for tc in _children(tr, _W_TC):
                    blocks.extend(body_blocks(tc))
        elif element.tag == _W_TBL:
            blocks.append(read_grid(element))
        elif element.tag == _W_SDT:
            content = element.find(_W_SDT_CONTENT)
            if content is not None:
                blocks.extend(body_blocks(content))
        elif element.tag == _W_CUSTOM_XML:
            blocks.extend(body_blocks(element))
    return blocks


def _is_layout(table: Any) -> bool:
    """A table that lays out the page rather than holding data: one that holds other tables,
    or whose rows each have a single cell (the rule of the HTML front end)."""
    rows = list(_children(table, _W_TR))
    cells = [tc for tr in rows for tc in _children(tr, _W_TC)]
    if any(next(tc.iter(_W_TBL), None) is not None for tc in cells):
        return True
    return all(len(list(_children(tr, _W_TC))) <= 1 for tr in rows)


def _children(element: Any, tag: str) -> Iterator[Any]:
    """The rows of a table or the cells of a row, also those wrapped in a content control
    (``w:sdt``, forms-based templates put one round a row or a cell) or custom XML."""
    for child in element.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag == _W_SDT:
            content = child.find(_W_SDT_CONTENT)
            if content is not None:
                yield from _children(content, tag)
        elif child.tag == _W_CUSTOM_XML:
            yield from _children(child, tag)


def _text(paragraph: Any) -> str:
    """A paragraph's text as Word shows it (runs, hyperlinks, tabs), without deleted text."""
    parts = []
    for node in paragraph.iter(_W_T, _W_TAB, _W_BR):
        if node.tag == _W_T:
            parts.append(node.text or "")
        else:
            parts.append("\t" if node.tag == _W_TAB else "\n")
    return "".join(parts)


def _is_read(box: Any, paragraph: Any) -> bool:
    """Whether a text box found in ``paragraph`` is read: not Word's VML copy of another one,
    and not a text box inside another one (that one's own reading reaches it)."""
    node = box.getparent()
    while node is not None and node is not paragraph:
        if node.tag in (_MC_FALLBACK, _W_TXBX):
            return False
        node = node.getparent()
    return True


def _text_outside_boxes(paragraph: Any) -> str:
    """A paragraph's own text, without the text boxes anchored in it (read as blocks of their
    own, tables and all, by :func:`body_blocks`)."""
    parts = []
    for node in paragraph.iter(_W_T, _W_TAB, _W_BR):
        ancestor = node.getparent()
        while ancestor is not None and ancestor is not paragraph and ancestor.tag != _W_TXBX:
            ancestor = ancestor.getparent()
        if ancestor is not paragraph:
            continue
        if node.tag == _W_T:
            parts.append(node.text or "")
        else:
            parts.append("\t" if node.tag == _W_TAB else "\n")
    return "".join(parts)


def _cell_text(tc: Any) -> str:
    """All text of a cell, paragraphs joined by line breaks (nested tables included)."""
    return "\n".join(_text(p) for p in tc.iter(_W_P))


def _merge(tc: Any) -> tuple[int, bool]:
    """The cell's ``w:gridSpan`` and whether it continues a vertical merge (``w:vMerge``)."""
    properties = tc.find(_W_TCPR)
    if properties is None:
        return 1, False
    span = 1
    grid_span = properties.find(_W_GRIDSPAN)
    if grid_span is not None:
        value = grid_span.get(_W_VAL, "1")
        span = int(value) if value.isdigit() else 1
    v_merge = properties.find(_W_VMERGE)
    continues = v_merge is not None and v_merge.get(_W_VAL, "continue") == "continue"
    return max(1, min(span, MAX_SPAN)), continues


def _grid_before(tr: Any) -> int:
    """How many grid columns the row leaves out before its first cell (``w:gridBefore``)."""
    properties = tr.find(_W_TRPR)
    before = properties.find(_W_GRIDBEFORE) if properties is not None else None
    value = before.get(_W_VAL, "0") if before is not None else "0"
    return min(int(value), MAX_GRID_COLUMNS) if value.isdigit() and len(value) < 6 else 0


def read_grid(table: Any) -> Grid:
    """The table's full grid, merged cells expanded by the shared rule."""
    rows: list[tuple[str, ...]] = []
    origins: list[list[str]] = []  # the text of the cell that owns each grid position
    for index, tr in enumerate(_children(table, _W_TR)):
        if index >= MAX_GRID_ROWS:
            break
        line: list[str] = []
        # A row that starts off the grid (``w:gridBefore``) has no cell in its first columns:
        # it is read from its first cell, as the HTML reader reads a row whose placeholder cell
        # Word wrote there, but a cell it continues from above is looked up in its own column.
        owners: list[str] = [""] * _grid_before(tr)
        for tc in _children(tr, _W_TC):
            span, continues = _merge(tc)
            col = len(owners)
            if col >= MAX_GRID_COLUMNS:
                break
            if continues:
                above = origins[-1] if origins else []
                text = above[col] if col < len(above) else ""
                line.extend(covered(text, span, vertical=True))
            else:
                text = clean_cell(_cell_text(tc))
                line.append(text)
                if span > 1:
                    line.extend(covered(text, span, vertical=False)[1:])
            owners.extend([text] * span)
        rows.append(tuple(line[:MAX_GRID_COLUMNS]))
        origins.append(owners)
    return Grid(tuple(rows))
