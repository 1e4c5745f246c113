"""PDFs whose fonts have no map from glyphs to characters: the page shows the report, copying
its text gives 乱码.

Such PDFs are common among published reports (a font without ``ToUnicode``, an old print
driver). Their text layer is glyph numbers: pdfminer writes them 「(cid:123)」, PDFium as
characters that for a CJK font's digits and spaces are control characters. The reader must say
so, not that the file is no annual report; and where only some text is affected (one font of
several), read the rest and name the loss. The PDFs are printed by WeasyPrint from the seed,
uncompressed, with a font's ``/ToUnicode`` key renamed (same length: the offsets still hold).
"""

from __future__ import annotations

import io
import re
from typing import Any

import pdfplumber
import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest

from gongkai.core.audit import audit_parsed
from gongkai.core.findings import Severity
from gongkai.core.parse.document import Block, Grid, Paragraph
from gongkai.core.parse.pdf import UNDECODED_MIN, _has_drawings, parse_pdf, undecoded_glyphs
from gongkai.core.parse.pdf_objects import plumber_page
from gongkai.core.parse.result import ParseResult
from tests.fixtures.rendered.make_fixtures import load, page_html

SERIF = 'p:nth-of-type(4), p:nth-of-type(5) { font-family: "Noto Serif CJK SC"; }'


@pytest.fixture(scope="module")
def weasyprint() -> Any:
    return pytest.importorskip("weasyprint")


def _printed(weasyprint: Any, css: str = "") -> bytes:
    html = page_html(load("seed_2021"), print_css=True).replace("</style>", css + "</style>")
    data: bytes = weasyprint.HTML(string=html).write_pdf(uncompressed_pdf=True)
    return data


def _without_map(data: bytes, font: bytes = b"") -> bytes:
    """The PDF with the ``/ToUnicode`` of every font whose name holds ``font`` taken away."""
    fonts = re.compile(rb"(/BaseFont /[A-Z]{6}\+[\w-]*" + re.escape(font) + rb"[\w-]*)/ToUnicode")
    out, count = fonts.subn(rb"\1/ToUnicodX", data)
    assert count and len(out) == len(data)
    return out


def test_a_pdf_without_any_map_is_named_for_what_it_is(weasyprint: Any) -> None:
    data = _without_map(_printed(weasyprint))
    result = parse_pdf(data, source="乱码.pdf")
    assert result.report is None
    assert result.reason.startswith("PDF 的文字层无法解码：所用字体缺少字符编码映射")
    assert "Word 原件" in result.reason and "年度报告" not in result.reason


def test_the_same_pdf_with_its_maps_is_read(weasyprint: Any) -> None:
    result = parse_pdf(_printed(weasyprint), source="seed.pdf")
    assert result.report is not None, result.reason
    assert result.report.tables == load("seed_2021").tables
    assert not [p for p in result.problems if p.code == "undecoded_text"]


def _one_note(result: ParseResult) -> None:
    notes = [p for p in result.problems if p.code == "undecoded_text"]
    assert len(notes) == 1 and notes[0].severity is Severity.WARNING
    assert re.match(r"PDF 的文字层有 \d+ 处字形编号无法解码为文字", notes[0].message)


def test_prose_in_a_font_without_a_map_is_lost_and_named(weasyprint: Any) -> None:
    """Two paragraphs of prose on pages without drawings (read by PDFium's text page)."""
    data = _without_map(_printed(weasyprint, SERIF), b"Serif")
    result = parse_pdf(data, source="mixed.pdf")
    assert result.report is not None, result.reason
    assert result.report.tables == load("seed_2021").tables  # printed in the mapped font
    _one_note(result)
    audit = audit_parsed("mixed.pdf", "pdf", result)
    assert any(f.rule == "parse.undecoded_text" for f in audit.findings)


def test_tables_in_a_font_without_a_map_are_unread_not_misread(weasyprint: Any) -> None:
    """The tables' cells (pages with ruling lines, read through pdfplumber's objects): the
    prose is read, no cell is read wrong, and nothing is compared with what was not read."""
    css = 'td, th { font-family: "Noto Serif CJK SC"; }'
    data = _without_map(_printed(weasyprint, css), b"Serif")
    # The cells' characters are U+FFFD, not the look-alikes PDFium gives for glyph numbers.
    document, plumber = pdfium.PdfDocument(data), pdfplumber.open(io.BytesIO(data))
    shares = [
        sum(c["text"] == "\ufffd" for c in chars) / len(chars)
        for index in range(len(document))
        if _has_drawings(document[index])
        and (chars := plumber_page(plumber, document[index], index).chars)
    ]
    plumber.close()
    assert shares and max(shares) > 0.8, shares
    result = parse_pdf(data, source="t.pdf")
    assert result.report is not None, result.reason
    _one_note(result)
    seed = load("seed_2021")
    for table, rows in result.report.tables.items():
        for row, cells in rows.items():
            for column, value in cells.items():
                assert value is None or value == seed.tables[table][row][column]
    audit = audit_parsed("t.pdf", "pdf", result)
    assert not [f for f in audit.findings if f.severity is Severity.ERROR]


@pytest.mark.parametrize(
    ("texts", "named"),
    [
        (["(cid:23228)(cid:62467)(cid:11634)" * 10], True),  # pdfminer's way
        (["\x13\x11\x13\x12\x01䇗\ue6b2媼\uf403" * 5], True),  # PDFium's
        (["正文" * 450 + "\ufffd" * UNDECODED_MIN], True),  # over 2 % of the text
        (["正文" * 1000 + "\ufffd" * UNDECODED_MIN], False),  # 1 %: a symbol here and there
        (["\uf0b7 要点" * (UNDECODED_MIN - 1)], False),  # bullets of a symbol font
        (["政府信息公开工作年度报告", "申请人\t情况\n"], False),
    ],
)
def test_glyph_numbers_are_counted_where_a_text_layer_has_many(
    texts: list[str], named: bool
) -> None:
    blocks: list[Block] = [Paragraph(texts[0]), Grid(tuple((text,) for text in texts[1:]))]
    assert bool(undecoded_glyphs(blocks)) is named
