"""parse_document: the parser is chosen by what the bytes are, and no input makes it raise.

Every failure is a ParseResult with ``report=None`` and a specific Chinese reason; hypothesis
throws random bytes, truncated pages, truncated .docx and .pdf fixtures and zip garbage at it.
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core.parse.dispatch import parse_document
from gongkai.core.parse.result import ParseResult
from tests.fixtures.rendered.make_fixtures import HERE, load, page_html
from tests.parse.ofd_writer import ofd_from_pdf

# One document may take this long at most, even a hostile one (a 10-page PDF takes < 1 s).
BOUND_SECONDS = 10.0
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _bounded(data: bytes, name: str) -> ParseResult:
    start = time.perf_counter()
    result = parse_document(data, name=name)
    assert time.perf_counter() - start < BOUND_SECONDS
    assert result.report is not None or result.reason.strip(), "a failure must say why"
    return result


@pytest.fixture(scope="module")
def inputs(shared_dir: Path) -> dict[str, bytes]:
    seed = next((shared_dir / "seed").glob("*.txt"))
    return {
        "seed.txt": seed.read_bytes(),
        "017.html": (shared_dir / "reports" / "017.html").read_bytes(),
        "seed.html": page_html(load("seed_2021"), charset="gbk").encode("gbk"),
        "seed.docx": (HERE / "seed_2021.docx").read_bytes(),
        "seed.pdf": (HERE / "seed_2021.pdf").read_bytes(),
        "seed.ofd": ofd_from_pdf((HERE / "seed_2021.pdf").read_bytes()),
    }


@pytest.mark.parametrize(
    ("name", "given_name"),
    [
        ("seed.txt", "seed.txt"),
        ("017.html", "017.html"),
        ("seed.html", "seed.htm"),
        ("seed.docx", "seed.docx"),
        ("seed.pdf", "seed.pdf"),
        ("seed.ofd", "seed.ofd"),
        # the bytes decide, not the name
        ("seed.pdf", "seed.html"),
        ("seed.docx", "download"),
        ("seed.ofd", "download.zip"),
        ("017.html", "page.txt"),
    ],
)
def test_every_form_is_routed_to_its_parser(
    inputs: dict[str, bytes], name: str, given_name: str
) -> None:
    result = _bounded(inputs[name], given_name)
    assert result.report is not None, result.reason
    assert result.source == given_name
    expected = (2019, "2019") if name == "017.html" else (2021, "2021")
    assert (result.report.meta.year, result.report.meta.format_version) == expected


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"", "empty.txt", "文件为空"),
        (bytes(range(256)) * 40, "x.bin", "二进制数据"),
        (b"PK\x03\x04" + bytes(200), "x.zip", "zip"),
        (b"%PDF-1.4\n%%EOF", "x.pdf", "PDF"),
        ("明日上午停水，请各住户提前储水。".encode(), "x.txt", "不是政府信息公开工作年度报告"),
    ],
)
def test_unreadable_inputs_say_why(data: bytes, name: str, reason: str) -> None:
    result = _bounded(data, name)
    assert result.report is None
    assert reason in result.reason


def test_a_zip_that_is_not_a_word_document() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/garbage.bin", b"\x00" * 100)
    result = _bounded(out.getvalue(), "x.docx")
    assert result.report is None
    assert "word/document.xml" in result.reason


def _package(*members: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for member in members:
            archive.writestr(member, b"<?xml version='1.0'?><x/>")
    return out.getvalue()


def _workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["本年新收政府信息公开申请数量", 67])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("make", "name", "reason"),
    [
        (lambda: _package("OFD.xml", "Doc_0/Document.xml"), "报告.ofd", "OFD 文件已损坏"),
        (_workbook, "台账.xlsx", "Excel 工作簿"),
        (lambda: _package("ppt/presentation.xml"), "汇报.pptx", "PowerPoint"),
        (lambda: _package("mimetype", "content.xml"), "报告.odt", "OpenDocument"),
        (lambda: _package("readme.txt"), "x.zip", "zip 压缩包但不是 Word 文档"),
    ],
)
def test_a_package_of_another_kind_is_named(
    make: Callable[[], bytes], name: str, reason: str
) -> None:
    """Attachments downloaded with the reports (the office's Excel ledger) are told by what
    they are, not only as a zip that is no Word file; an OFD is read, and when broken told
    so as an OFD (tests/parse/test_ofd.py)."""
    result = _bounded(make(), name)
    assert result.report is None
    assert reason in result.reason


@FUZZ
@given(
    data=st.binary(max_size=4096),
    name=st.sampled_from(["a.txt", "a.html", "a.pdf", "a.docx", "a.ofd", "a"]),
)
def test_random_bytes_never_raise(data: bytes, name: str) -> None:
    _bounded(data, name)


@FUZZ
@given(
    prefix=st.sampled_from(
        [b"%PDF-1.4\n", b"PK\x03\x04", b"<html><table><tr><td>", b"\xd0\xcf\x11\xe0"]
    ),
    data=st.binary(max_size=2048),
)
def test_garbage_behind_a_real_signature_never_raises(prefix: bytes, data: bytes) -> None:
    _bounded(prefix + data, "x")


@FUZZ
@given(
    which=st.sampled_from(["seed.txt", "017.html", "seed.html", "seed.docx", "seed.ofd"]),
    fraction=st.floats(min_value=0.0, max_value=1.0),
)
def test_truncated_documents_never_raise(
    inputs: dict[str, bytes], which: str, fraction: float
) -> None:
    data = inputs[which]
    _bounded(data[: int(len(data) * fraction)], which)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(fraction=st.floats(min_value=0.0, max_value=1.0))
def test_truncated_pdfs_never_raise(inputs: dict[str, bytes], fraction: float) -> None:
    data = inputs["seed.pdf"]
    _bounded(data[: int(len(data) * fraction)], "seed.pdf")


@FUZZ
@given(
    which=st.sampled_from(["seed.docx", "seed.pdf", "017.html"]),
    position=st.floats(min_value=0.0, max_value=0.999),
    garbage=st.binary(min_size=1, max_size=64),
)
def test_corrupted_documents_never_raise(
    inputs: dict[str, bytes], which: str, position: float, garbage: bytes
) -> None:
    data = inputs[which]
    at = int(len(data) * position)
    _bounded(data[:at] + garbage + data[at + len(garbage) :], which)
