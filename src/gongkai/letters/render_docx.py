"""A letter as a Word document: A4, 公文-style margins, real styles with Chinese fonts.

Word and WPS pick the font of Chinese characters from the ``w:eastAsia`` attribute of a run's
``w:rFonts``; python-docx's ``font.name`` sets only the Latin slots, so a letter styled with it
alone shows Chinese in the reader's default font. Every style here therefore sets ``w:eastAsia``
(仿宋 for the text, 宋体 for the title) and marks its language zh-CN. Paragraphs carry a style and
no direct formatting, so that a clerk who edits the file in Word changes the style, not each line.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.styles.style import ParagraphStyle

from gongkai.letters.document import Layout, LetterDocument

BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
# GB/T 9704 公文格式: 三号 (16 pt) text, 二号 (22 pt) title, 28 pt exact line pitch.
BODY_SIZE = Pt(16)
TITLE_SIZE = Pt(22)
LINE_PITCH = Pt(28)
# GB/T 9704 7.3.5.1: the seal (about 42 mm) sits centred over the issuer and the date. The
# signature block is set in from the right by four characters and has two blank lines above it,
# so the seal has its place there and covers no body text.
SEAL_RIGHT_INDENT = Pt(64)
SEAL_SPACE_BEFORE = Pt(56)

STYLE_NAMES: dict[Layout, str] = {
    Layout.TITLE: "Letter Title",
    Layout.CENTER: "Letter Reference",
    Layout.PLAIN: "Letter Plain",
    Layout.BODY: "Letter Body",
    Layout.RIGHT: "Letter Signature",
}


def _set_fonts(style: ParagraphStyle, east_asia: str) -> None:
    style.font.name = LATIN_FONT
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _style(document: object, layout: Layout) -> ParagraphStyle:
    styles = document.styles  # type: ignore[attr-defined]
    style: ParagraphStyle = styles.add_style(STYLE_NAMES[layout], WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles["Normal"]
    _set_fonts(style, TITLE_FONT if layout is Layout.TITLE else BODY_FONT)
    style.font.size = TITLE_SIZE if layout is Layout.TITLE else BODY_SIZE
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH if layout is not Layout.TITLE else Pt(36)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if layout is Layout.TITLE:
        style.font.bold = True
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt.space_after = Pt(28)
    elif layout is Layout.BODY:
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.first_line_indent = Pt(32)  # two characters of 三号
    elif layout is Layout.CENTER:
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt.space_after = Pt(14)
    elif layout is Layout.RIGHT:
        fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        fmt.right_indent = SEAL_RIGHT_INDENT
    return style


def render_docx(letter: LetterDocument, *, author: str) -> bytes:
    """The letter as DOCX bytes; ``author`` (the issuing unit) goes into the file's properties."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _set_fonts(document.styles["Normal"], BODY_FONT)
    styles = {layout: _style(document, layout) for layout in Layout}
    first_signature = True
    for paragraph in letter.paragraphs:
        added = document.add_paragraph(paragraph.text, style=styles[paragraph.layout])
        if paragraph.layout is Layout.RIGHT and first_signature:
            added.paragraph_format.space_before = SEAL_SPACE_BEFORE  # room for the seal
            first_signature = False
    document.core_properties.title = letter.title
    document.core_properties.author = author
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
