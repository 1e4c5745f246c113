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
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]
import pytest

from gongkai.core.parse import pdf as pdf_module
from gongkai.core.parse.pdf import parse_pdf
from gongkai.core.parse.pdf_objects import page_objects, upright_textpage
from tests.parse.test_pdf_objects import PDFS, _assert_same_objects

ROTATIONS = (90, 180, 270)


def _stored_turned(data: bytes, rotations: tuple[int, ...], *, crop: bool = False) -> bytes:
    """The PDF with page ``i``'s content drawn turned back by ``rotations[i % len(rotations)]``
    degrees and that ``/Rotate`` set, so that a viewer shows it as before (with a crop box as
    large as the media box if ``crop``, as some printers write)."""
    document = pdfium.PdfDocument(data)
    for index in range(len(document)):
        rotation = rotations[index % len(rotations)]
        if not rotation:
            continue
        page = document[index]
        width, height = page.get_width(), page.get_height()
        # From the displayed page (width × height) to the page as stored: a turn of
        # ``rotation`` degrees counter-clockwise, then a shift back onto the media box.
        matrix = {
            90: (0, 1, -1, 0, height, 0),
            180: (-1, 0, 0, -1, width, height),
            270: (0, -1, 1, 0, 0, width),
        }[rotation]
        for position in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
            obj = pdfium_c.FPDFPage_GetObject(page.raw, position)
            pdfium_c.FPDFPageObj_Transform(obj, *matrix)
        if rotation != 180:
            pdfium_c.FPDFPage_SetMediaBox(page.raw, 0, 0, height, width)
        if crop:
            stored = (height, width) if rotation != 180 else (width, height)
            pdfium_c.FPDFPage_SetCropBox(page.raw, 0, 0, *stored)
        pdfium_c.FPDFPage_SetRotation(page.raw, rotation // 90)
        assert pdfium_c.FPDFPage_GenerateContent(page.raw)
    out = io.BytesIO()
    document.save(out)
    document.close()
    return out.getvalue()


@pytest.fixture(scope="module", params=PDFS, ids=lambda p: p.name)
def original(request: pytest.FixtureRequest) -> bytes:
    path: Path = request.param
    return path.read_bytes()


@pytest.mark.parametrize("rotation", ROTATIONS)
def test_turned_pages_read_as_pdfminer_reads_them(original: bytes, rotation: int) -> None:
    data = _stored_turned(original, (rotation,))
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
    data = _stored_turned(original, (rotation,))
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
    document = pdfium.PdfDocument(_stored_turned(original, (90,)))
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
    data = _stored_turned(original, (rotation,), crop=True)
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
    data = _stored_turned(original, (0, 90, 180, 270))
    turned = parse_pdf(data, source="a.pdf")
    upright = parse_pdf(original, source="a.pdf")
    assert turned.report is not None
    assert turned.report == upright.report
    assert turned.problems == upright.problems
