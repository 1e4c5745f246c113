"""The PDF front end, on real reports printed to PDF, and on PDFs that cannot be read.

tests/fixtures/rendered/{seed_2021,shanghai_2019}.pdf are the hand-verified seed and 上海市人民
政府办公厅 2019 printed by WeasyPrint in the official document layout (make_fixtures.py): tables
drawn with ruling lines, labels wrapped onto several lines inside their cells, table 三 broken
across pages, about ten pages in all. Every cell read back must equal the cell it came from.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest

from gongkai.core.model import AnnualReport
from gongkai.core.parse.pdf import SCANNED, _has_drawings, parse_pdf
from gongkai.core.parse.result import ParseResult
from tests.fixtures.rendered.make_fixtures import HERE, SOURCES, load


def _fixture(name: str) -> bytes:
    return (HERE / f"{name}.pdf").read_bytes()


@pytest.fixture(scope="module")
def parsed() -> dict[str, ParseResult]:
    return {name: parse_pdf(_fixture(name), source=f"{name}.pdf") for name in SOURCES}


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_cell_reads_back(parsed: dict[str, ParseResult], name: str) -> None:
    report = load(name)
    result = parsed[name]
    assert result.report is not None, result.reason
    assert result.report.tables == report.tables
    meta = result.report.meta
    assert (meta.unit, meta.year, meta.format_version, meta.published) == (
        report.meta.unit,
        report.meta.year,
        report.meta.format_version,
        report.meta.published,
    )
    assert result.ambiguous == ()


def test_the_fixture_is_long_and_breaks_table_three_across_pages() -> None:
    """Otherwise the test above would not exercise page breaks."""
    with pdfplumber.open(HERE / "shanghai_2019.pdf") as pdf:
        assert len(pdf.pages) >= 10
        texts = [page.extract_text() for page in pdf.pages]
    first = next(i for i, t in enumerate(texts) if "本年新收政府信息公开申请数量" in t)
    last = next(i for i, t in enumerate(texts) if "结转下年度继续办理" in t)
    assert last > first
    # Both readers are exercised: PDFium for pages of prose, pdfplumber for ruled pages.
    document = pdfium.PdfDocument(HERE / "shanghai_2019.pdf")
    drawn = [_has_drawings(document[i]) for i in range(len(document))]
    assert any(drawn) and not all(drawn)
    assert all(drawn[first : last + 1])


def test_wrapped_lines_are_joined_into_paragraphs(parsed: dict[str, ParseResult]) -> None:
    narrative = parsed["shanghai_2019"].narrative
    squeeze = lambda text: "".join(text.split())  # noqa: E731
    expected = load("shanghai_2019").narrative
    assert {k: squeeze(v) for k, v in narrative.items()} == {
        k: squeeze(v) for k, v in expected.items()
    }
    paragraphs = [p for p in narrative["overview"].split("\n") if p]
    assert len(paragraphs) == len([p for p in expected["overview"].split("\n") if p.strip()])


def _pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A minimal hand-written PDF: just the objects given, with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R " % (len(objects) + 1) + trailer
    out += b">>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


_PAGE = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
]


def test_a_scan_without_text_layer_is_reported_as_such() -> None:
    import weasyprint

    # A page that is only a picture, as a scanner makes it.
    png = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4"
        "nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
    )
    scan = weasyprint.HTML(string=f'<img src="{png}" style="width:18cm;height:25cm">').write_pdf()
    assert scan is not None
    with pdfplumber.open(__import__("io").BytesIO(scan)) as pdf:
        assert pdf.pages[0].images and not pdf.pages[0].chars
    result = parse_pdf(scan)
    assert result.report is None
    assert result.reason == SCANNED == "PDF 没有文字层（可能是扫描件），无法读取"


def test_an_encrypted_pdf_says_it_needs_a_password() -> None:
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O (" + b"a" * 32 + b") /U (" + b"b" * 32
    encrypt += b") /P -4 >>"
    file_id = b"<00112233445566778899aabbccddeeff>"
    trailer = b"/Encrypt 4 0 R /ID [" + file_id + b" " + file_id + b"] "
    result = parse_pdf(_pdf([*_PAGE, encrypt], trailer))
    assert result.report is None
    assert result.reason == "PDF 已加密（需要密码），无法读取"


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n", b"%PDF-1.4\n1 0 obj << /Type /Catalog", b"%PDF" + bytes(range(256)) * 8],
)
def test_a_broken_pdf_is_explained(data: bytes) -> None:
    result = parse_pdf(data, source="broken.pdf")
    assert result.report is None
    assert result.reason.startswith("PDF")


def test_a_page_dictionary_pdfminer_cannot_read_is_explained() -> None:
    """One byte of 024.pdf changed by the long fuzz run (「/Type」 → 「?Type」 in a page that
    draws): PDFium opens the file, pdfminer refuses the page, and pdfplumber's own close()
    raised again on the same page, past the reader's handler, as an internal error."""
    line = b"0 0 0 RG 1 w 50 700 m 500 700 l S BT /F1 12 Tf 72 720 Td (Hello) Tj ET"
    broken = _pdf(
        [
            *_PAGE[:2],
            b"<< /Contents 4 0 R /MediaBox [0 0 595 842] /Parent 2 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> ?Type /Page >>",
            b"<< /Length %d >>\nstream\n" % len(line) + line + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )
    result = parse_pdf(broken, source="broken.pdf")
    assert result.report is None
    assert result.reason == "PDF 文件已损坏，无法读取"


def test_a_truncated_report_is_read_as_far_as_it_goes_or_explained() -> None:
    data = _fixture("seed_2021")
    result = parse_pdf(data[: len(data) // 2])
    assert result.report is not None or result.reason.startswith("PDF")


def test_a_pdf_of_text_without_ruling_lines_falls_back_to_the_text_parser(tmp_path: Path) -> None:
    """Tables typed as lines of text (no ruling lines) are read by the text parser."""
    import weasyprint

    seed = (Path(__file__).resolve().parents[3] / "shared" / "seed").glob("*.txt")
    text = next(iter(seed), None)
    if text is None:
        pytest.skip("../shared/seed is not beside this checkout")
    body = "".join(
        f"<p>{line.replace('&', '&amp;').replace('<', '&lt;').replace(chr(9), ' ')}</p>"
        for line in text.read_text(encoding="utf-8").splitlines()
        if line.strip()
    )
    css = "<style>body{font-family:'Noto Sans CJK SC';font-size:9pt}</style>"
    pdf = weasyprint.HTML(string=css + body).write_pdf()
    assert pdf is not None
    result = parse_pdf(pdf)
    assert result.report is not None, result.reason
    expected = AnnualReport.from_json(
        (HERE.parent / "reports" / "seed_quangang_2021.json").read_text("utf-8")
    )
    assert result.report.tables["t3"] == expected.tables["t3"]
