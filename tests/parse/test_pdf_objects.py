"""PDFium's reading of a page's characters and lines agrees with pdfminer's.

The PDF front end reads the characters and ruling lines of a page that draws with PDFium
(:mod:`gongkai.core.parse.pdf_objects`) instead of pdfminer, for speed. The fast reading must
be the same reading: on every real PDF of the corpus (022–024, which print vertical labels and
frame every page) and on the WeasyPrint fixtures, every page gives the same characters at the
same places (within a fifth of a point) and the same lines and rectangles, and the parse of the
whole report is identical whichever of the two read the pages.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest

from gongkai.core.parse import pdf as pdf_module
from gongkai.core.parse.pdf import parse_pdf
from gongkai.core.parse.pdf_objects import extract_table, page_objects
from tests.fixtures.rendered.make_fixtures import HERE

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "reports"
PDFS = sorted(SHARED.glob("*.pdf")) + sorted(HERE.glob("*.pdf"))
TOLERANCE = 0.2


def _boxes(objects: list[dict[str, Any]]) -> list[tuple[float, ...]]:
    return sorted((o["top"], o["x0"], o["bottom"], o["x1"]) for o in objects)


def _same_boxes(mine: list[dict[str, Any]], theirs: list[dict[str, Any]]) -> bool:
    return len(mine) == len(theirs) and all(
        max(abs(p - q) for p, q in zip(a, b, strict=True)) <= TOLERANCE
        for a, b in zip(_boxes(mine), _boxes(theirs), strict=True)
    )


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_every_page_reads_as_pdfminer_reads_it(path: Path) -> None:
    data = path.read_bytes()
    document = pdfium.PdfDocument(data)
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        for index, page in enumerate(plumber.pages):
            mine = page_objects(
                document[index], page_number=page.page_number, doctop=page.initial_doctop
            )
            assert mine is not None, f"page {index + 1} was not read by PDFium"
            _assert_same_objects(mine, page.objects, index)
    document.close()


def _assert_same_objects(mine: dict[str, Any], theirs: dict[str, Any], index: int) -> None:
    for kind in ("line", "rect", "curve"):
        assert _same_boxes(mine.get(kind, []), theirs.get(kind, [])), (index, kind)
    chars, expected = mine.get("char", []), theirs.get("char", [])
    assert sorted(c["text"] for c in chars) == sorted(c["text"] for c in expected)
    by_place = sorted(chars, key=lambda c: (round(c["top"]), c["x0"]))
    wanted = sorted(expected, key=lambda c: (round(c["top"]), c["x0"]))
    for got, want in zip(by_place, wanted, strict=True):
        assert got["text"] == want["text"]
        for key in ("x0", "x1", "top", "bottom", "size"):
            assert abs(got[key] - want[key]) <= TOLERANCE, (index, want["text"], key)


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_the_parse_is_the_same_whoever_reads_the_pages(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = path.read_bytes()
    fast = parse_pdf(data, source=path.name)
    monkeypatch.setattr(
        pdf_module, "plumber_page", lambda plumber, page, index: plumber.pages[index]
    )
    slow = parse_pdf(data, source=path.name)
    assert fast.report is not None
    assert fast.report == slow.report
    assert fast.problems == slow.problems
    assert fast.narrative == slow.narrative


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_tables_extract_as_pdfplumber_extracts_them(path: Path) -> None:
    with pdfplumber.open(io.BytesIO(path.read_bytes())) as plumber:
        tables = [table for page in plumber.pages for table in page.find_tables()]
        assert tables
        for table in tables:
            assert extract_table(table) == table.extract()
