"""The DOCX front end, on real reports rendered to Word with merged cells.

tests/fixtures/rendered/{seed_2021,shanghai_2019}.docx are made by make_fixtures.py from the
hand-verified seed (2021 format) and 上海市人民政府办公厅 2019 (2019 format); every cell read back
must equal the cell it was made from, blanks included.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from gongkai.core.model import AnnualReport
from gongkai.core.parse.docx import parse_docx, read_grid
from tests.fixtures.rendered.make_fixtures import (
    HERE,
    SOURCES,
    golden_ids,
    load,
    load_golden,
    report_docx,
)


@pytest.fixture(scope="module")
def reports() -> dict[str, AnnualReport]:
    return {name: load(name) for name in SOURCES}


def _fixture(name: str) -> bytes:
    return (HERE / f"{name}.docx").read_bytes()


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_checked_in_docx_reads_back_every_cell(reports: dict[str, AnnualReport], name: str) -> None:
    result = parse_docx(_fixture(name), source=f"{name}.docx")
    assert result.report is not None, result.reason
    assert result.report.tables == reports[name].tables
    meta = result.report.meta
    expected = reports[name].meta
    assert (meta.unit, meta.year, meta.format_version, meta.published) == (
        expected.unit,
        expected.year,
        expected.format_version,
        expected.published,
    )
    assert result.ambiguous == ()


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_freshly_rendered_docx_reads_back_every_cell(
    reports: dict[str, AnnualReport], name: str
) -> None:
    result = parse_docx(report_docx(reports[name]))
    assert result.report is not None, result.reason
    assert result.report.tables == reports[name].tables


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_a_report_inside_a_layout_table_is_unwrapped(
    reports: dict[str, AnnualReport], name: str
) -> None:
    data = report_docx(reports[name], in_layout_table=True)
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    assert body.count(b"<w:tbl>") >= 3  # the page table and the report's tables inside it
    result = parse_docx(data)
    assert result.report is not None, result.reason
    assert result.report.tables == reports[name].tables
    assert result.report.meta.year == reports[name].meta.year


@pytest.mark.parametrize("ident", golden_ids())
def test_every_hand_verified_corpus_report_round_trips_as_word(ident: str) -> None:
    report = load_golden(ident)
    result = parse_docx(report_docx(report), source=f"{ident}.docx")
    assert result.report is not None, result.reason
    assert result.report.tables == report.tables


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_fixture_has_merges_across_and_down(name: str) -> None:
    """Otherwise the test above would not exercise the de-duplication of merged cells."""
    xml = zipfile.ZipFile(io.BytesIO(_fixture(name))).read("word/document.xml")
    assert b"w:gridSpan" in xml
    assert b'w:vMerge w:val="restart"' in xml


def test_narrative_comes_from_the_paragraphs(reports: dict[str, AnnualReport]) -> None:
    result = parse_docx(_fixture("shanghai_2019"))
    squeeze = lambda text: "".join(text.split())  # noqa: E731
    assert {k: squeeze(v) for k, v in result.narrative.items()} == {
        k: squeeze(v) for k, v in reports["shanghai_2019"].narrative.items()
    }


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (_fixture("seed_2021")[:5000], "Word 文档已损坏"),
        (_zip({"hello.txt": b"hi"}), "没有 word/document.xml"),
        (_zip({"word/document.xml": b"<not xml"}), "Word 文档已损坏"),
        (b"PK\x03\x04" + bytes(100), "Word 文档已损坏"),
    ],
)
def test_broken_word_files_are_explained(data: bytes, reason: str) -> None:
    result = parse_docx(data, source="x.docx")
    assert result.report is None
    assert reason in result.reason


def test_an_empty_document_is_not_a_report(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "empty.docx"
    docx.Document().save(str(path))
    result = parse_docx(path.read_bytes())
    assert result.report is None
    assert result.reason == "Word 文档中没有任何文字"


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _tc(text: str, *, merge: str = "") -> str:
    properties = f'<w:tcPr><w:vMerge w:val="{merge}"/></w:tcPr>' if merge else ""
    runs = f"<w:r><w:t>{text}</w:t></w:r>" if text else ""
    return f"<w:tc>{properties}<w:p>{runs}</w:p></w:tc>"


def test_a_row_that_starts_off_the_grid_looks_up_the_cell_above_in_its_own_column() -> None:
    """``w:gridBefore`` (a table pasted from a page or converted by WPS): the row's first cell
    stands in a later column, and so does the label it continues from above. The row is read
    from its first cell, as the HTML reader reads a row whose Word placeholder cell it drops."""
    table = etree.fromstring(
        f'<w:tbl xmlns:w="{_W}">'
        f"<w:tr>{_tc('一')}{_tc('5')}{_tc('申请人情况', merge='restart')}</w:tr>"
        '<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>'
        f"{_tc('3')}{_tc('', merge='continue')}</w:tr>"
        f"<w:tr>{_tc('二')}{_tc('2')}{_tc('', merge='continue')}</w:tr>"
        "</w:tbl>"
    )
    assert read_grid(table).rows == (
        ("一", "5", "申请人情况"),
        ("3", "申请人情况"),
        ("二", "2", "申请人情况"),
    )
