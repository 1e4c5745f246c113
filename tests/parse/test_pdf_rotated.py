"""Pages stored turned and shown upright by their ``/Rotate`` are read by PDFium as displayed.

Word prints a landscape section as portrait pages whose content is drawn turned, with
``/Rotate 90`` (or 270) telling the viewer to turn them back; other tools write ``/Rotate 180``.
The fast reader (:mod:`gongkai.core.parse.pdf_objects`) turns such a page upright in memory
as pdfminer does: every page of every corpus PDF and fixture, turned each way, must read
PDFium's way (no fallback to pdfminer) with pdfminer's characters and lines, and the whole
parse must be the unturned file's parse.
"""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest

from gongkai.core.parse import pdf as pdf_module
from gongkai.core.parse.pdf import parse_pdf
from gongkai.core.parse.pdf_objects import page_objects, upright_textpage
from tests.parse.synth import stored_turned
from tests.parse.test_pdf_objects import PDFS, _assert_same_objects

ROTATIONS = (90, 180, 270)


@pytest.fixture(scope="module", params=PDFS, ids=lambda p: p.name)
def original(request: pytest.FixtureRequest) -> bytes:
    path: Path = request.param
    return path.read_bytes()


@pytest.mark.parametrize("rotation", ROTATIONS)
def test_turned_pages_read_as_pdfminer_reads_them(original: bytes, rotation: int) -> None:
    data = stored_turned(original, (rotation,))
    document = pdfium.PdfDocument(data)
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        for index, page in enumerate(plumber.pages):
            assert document[index].get_rotation() == rotation
            mine = page_objects(
                document[index], page_number=page.page_number, doctop=page.initial_doctop
            )
            assert mine is not None, f"page {index + 1} fell back to pdfminer"
            _assert_same_objects(mine, page.objects, index)
    document.close()


@pytest.mark.parametrize("rotation", ROTATIONS)
def test_turned_pdf_parses_as_the_upright_one(
    original: bytes, rotation: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    upright = parse_pdf(original, source="a.pdf")
    data = stored_turned(original, (rotation,))
    turned = parse_pdf(data, source="a.pdf")
    assert turned.report is not None
    assert turned.report == upright.report
    assert turned.problems == upright.problems
    assert turned.narrative == upright.narrative
    # And as pdfminer reads it: no page of it left to the fallback.
    fallbacks: list[int] = []
    real = pdf_module.plumber_page

    def counted(plumber: object, page: object, index: int) -> object:
        read = real(plumber, page, index)
        if "_objects" not in vars(read):
            fallbacks.append(index)
        return read

    monkeypatch.setattr(pdf_module, "plumber_page", counted)
    parse_pdf(data, source="a.pdf")
    assert fallbacks == []


def test_a_turned_page_reads_as_upright_and_the_file_is_left_as_stored() -> None:
    """The text page of a turned page is the unturned page's, lines and all; turning it for
    reading changes nothing that another loading of the page sees."""
    original = PDFS[0].read_bytes()
    shown = pdfium.PdfDocument(original)
    lines = shown[0].get_textpage().get_text_range()
    shown.close()
    assert lines.count("\r\n") > 5
    document = pdfium.PdfDocument(stored_turned(original, (90,)))
    as_stored = document[0].get_textpage().get_text_range()
    page = document[0]
    box = page.get_mediabox()
    textpage = upright_textpage(page)
    assert textpage is not None
    assert textpage.get_text_range() == lines
    textpage.close()
    again = document[0]
    assert again.get_rotation() == 90
    assert again.get_mediabox() == box
    assert again.get_textpage().get_text_range() == as_stored
    document.close()


@pytest.mark.parametrize("rotation", ROTATIONS)
def test_a_crop_box_changes_nothing(rotation: int) -> None:
    original = PDFS[0].read_bytes()
    data = stored_turned(original, (rotation,), crop=True)
    document = pdfium.PdfDocument(data)
    assert document[0].get_cropbox(fallback_ok=False) == document[0].get_mediabox()
    document.close()
    turned = parse_pdf(data, source="a.pdf")
    upright = parse_pdf(original, source="a.pdf")
    assert turned.report == upright.report
    assert turned.narrative == upright.narrative


def test_pages_turned_each_their_own_way_parse_as_the_upright_file(original: bytes) -> None:
    """Upright and turned pages mixed in one file (a landscape section between portrait
    pages): each is read as shown, and a table or paragraph going on over a page goes on."""
    data = stored_turned(original, (0, 90, 180, 270))
    turned = parse_pdf(data, source="a.pdf")
    upright = parse_pdf(original, source="a.pdf")
    assert turned.report is not None
    assert turned.report == upright.report
    assert turned.problems == upright.problems
