"""Reports published as OFD (GB/T 33190): read as the PDF printed from the same file is read.

Each OFD here is written from a real PDF report (tests/parse/ofd_writer.py) in the ways
converters write them: a text object per run with its advances, the text at size 1 scaled by
its object's CTM, the table's rules in a template page behind the text, and each character an
object of its own (its width then only the reader's estimate), and the characters standing
one under another (022–024's vertical labels) as runs down the page. Whatever way, the
tables, the prose, the headings and the problems must be those of the PDF.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.audit import audit_file
from gongkai.core.formats import T3, T4
from gongkai.core.inputs import Kind, sniff
from gongkai.core.parse import ofd
from gongkai.core.parse.dispatch import parse_document
from gongkai.core.parse.pdf import parse_pdf
from gongkai.core.parse.result import ParseResult
from tests.parse import test_pdf_layouts as jiangsu
from tests.parse.ofd_writer import NS, ofd_from_pdf
from tests.parse.test_golden import ANSWER_ROWS

WAYS = {
    "runs": {},
    "scaled": {"scaled": True},
    "templated": {"templated": True},
    "single": {"single": True},
    "vertical": {"vertical": True},
}
FIXTURES = ["seed_2021.pdf", "shanghai_2019.pdf"]
JIANGSU = ["022", "023", "024"]


def _same(pdf: ParseResult, read: ParseResult) -> None:
    assert pdf.report is not None and read.report is not None, read.reason
    assert read.report.tables == pdf.report.tables
    assert read.report.narrative == pdf.report.narrative
    assert read.report.meta.model_copy(update={"source": ""}) == pdf.report.meta.model_copy(
        update={"source": ""}
    )
    assert read.headings == pdf.headings
    assert [(p.code, p.table, p.row) for p in read.problems] == [
        (p.code, p.table, p.row) for p in pdf.problems
    ]


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("name", FIXTURES)
def test_an_ofd_reads_as_the_pdf_of_the_same_report(
    fixtures_dir: Path, name: str, way: str
) -> None:
    data = (fixtures_dir / "rendered" / name).read_bytes()
    package = ofd_from_pdf(data, **WAYS[way])
    assert sniff(package, "报告.ofd") is Kind.OFD
    _same(parse_pdf(data, source=name), parse_document(package, name="报告.ofd"))


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("ident", JIANGSU)
def test_the_jiangsu_reports_as_ofd_read_in_full(shared_dir: Path, ident: str, way: str) -> None:
    """022–024 printed to OFD: the six 总计 figures of answers.tsv, and all the PDF reads."""
    data = (shared_dir / "reports" / f"{ident}.pdf").read_bytes()
    read = parse_document(ofd_from_pdf(data, **WAYS[way]), name=f"{ident}.ofd")
    _same(parse_pdf(data, source=f"{ident}.pdf"), read)
    with (shared_dir / "reports" / "answers.tsv").open(encoding="utf-8") as handle:
        answer = next(row for row in csv.DictReader(handle, delimiter="\t") if row["id"] == ident)
    assert read.report is not None
    for column, row in ANSWER_ROWS.items():
        assert read.report.cell("t3", row, "total") == int(answer[column]), row


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_the_jiangsu_shaped_page_as_ofd_reads_its_tables_in_full(
    fixtures_dir: Path, ruled: bool
) -> None:
    """The page of test_pdf_layouts (labels merged down one character per line, a collapsed
    （六）, a misspelt label, a blank 总计 label), with ruling lines and without: an OFD with no
    rules has its table 三 read from its lines of words, as a PDF's is."""
    seed = jiangsu._seed(fixtures_dir)
    pdf = jiangsu._print(jiangsu._page(seed, ruled=ruled))
    read = parse_document(ofd_from_pdf(pdf), name="jiangsu.ofd")
    printed = parse_pdf(pdf, source="jiangsu.pdf")
    assert read.report is not None and printed.report is not None, read.reason
    assert read.report.tables == printed.report.tables
    cells = read.report.tables[T3]
    for row in jiangsu.T3_TABLE.cell_rows:
        if row.code not in jiangsu.OTHER_ROWS:
            assert cells[row.code] == seed.tables[T3][row.code], row.code
    assert read.report.tables[T4] == seed.tables[T4]
    assert sorted(p.code for p in read.problems if p.table == T3) == [
        "collapsed_group",
        "label_guessed",
    ]
    assert "受理政府信息公开申请67件" in read.report.narrative["overview"]


def test_the_audit_of_an_ofd_finds_what_the_audit_of_its_pdf_finds(
    shared_dir: Path, tmp_path: Path
) -> None:
    """022's two real table 四 errors, and every other finding, from the OFD copy."""
    pdf = shared_dir / "reports" / "022.pdf"
    copy = tmp_path / "022.ofd"
    copy.write_bytes(ofd_from_pdf(pdf.read_bytes()))
    from_pdf, from_ofd = audit_file(pdf), audit_file(copy)
    assert from_ofd.readable and from_ofd.kind == Kind.OFD
    assert [(f.rule, f.message) for f in from_ofd.findings] == [
        (f.rule, f.message) for f in from_pdf.findings
    ]
    assert sum(f.rule.startswith("t4.") for f in from_ofd.findings) >= 2


# Bad packages: each told what is wrong with it, never an exception.


def _package(members: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, member in members.items():
            archive.writestr(name, member)
    return out.getvalue()


ENTRY = (
    f'<ofd:OFD xmlns:ofd="{NS}"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>'
    "</ofd:DocBody></ofd:OFD>"
)


def _document(pages: int = 1) -> str:
    listed = "".join(
        f'<ofd:Page ID="{i}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(pages)
    )
    return f'<ofd:Document xmlns:ofd="{NS}"><ofd:Pages>{listed}</ofd:Pages></ofd:Document>'


def _page(objects: str) -> str:
    return (
        f'<ofd:Page xmlns:ofd="{NS}"><ofd:Content><ofd:Layer ID="1">{objects}</ofd:Layer>'
        "</ofd:Content></ofd:Page>"
    )


def _one_page(objects: str) -> bytes:
    return _package(
        {
            "OFD.xml": ENTRY,
            "Doc_0/Document.xml": _document(),
            "Doc_0/Pages/Page_0/Content.xml": _page(objects),
        }
    )


@pytest.mark.parametrize(
    ("package", "reason"),
    [
        (_package({"OFD.xml": f'<ofd:OFD xmlns:ofd="{NS}"/>'}), "没有指明文档（DocRoot）"),
        (_package({"OFD.xml": ENTRY}), "缺少 Doc_0/Document.xml"),
        (_package({"OFD.xml": ENTRY, "Doc_0/Document.xml": _document(0)}), "没有页面"),
        (
            _package({"OFD.xml": ENTRY, "Doc_0/Document.xml": _document()}),
            "缺少 Doc_0/Pages/Page_0/Content.xml",
        ),
        (
            _package({"OFD.xml": ENTRY, "Doc_0/Document.xml": _document(301)}),
            "超过年度报告的上限 300 页",
        ),
        (_package({"OFD.xml": "<ofd:OFD"}), "XML 不完整"),
        (_package({"readme.txt": "x"}), "缺少 OFD.xml"),
        (b"PK\x03\x04" + b"\x00" * 40, "压缩包无法解开"),
        (
            _one_page('<ofd:ImageObject ID="1" Boundary="0 0 210 297" ResourceID="9"/>'),
            "只有图片，可能是扫描件",
        ),
        (_one_page(""), "OFD 文件中没有任何文字"),
    ],
)
def test_a_broken_or_empty_package_is_told_what_it_lacks(package: bytes, reason: str) -> None:
    result = parse_document(package, name="报告.ofd")
    assert result.report is None
    assert reason in (result.reason or "")


def test_a_member_over_the_cap_is_refused_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ofd, "MAX_MEMBER_BYTES", 1000)
    package = _one_page(
        '<ofd:TextObject ID="1" Boundary="0 0 100 10" Size="3.5">'
        + '<ofd:TextCode X="0" Y="3">一</ofd:TextCode>' * 100
        + "</ofd:TextObject>"
    )
    result = parse_document(package, name="报告.ofd")
    assert result.report is None
    assert "Content.xml 超过" in (result.reason or "")


def test_members_together_are_read_within_a_total(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many pages each under the member cap still stop at the package's total."""
    monkeypatch.setattr(ofd, "MAX_READ_BYTES", 5000)
    text = '<ofd:TextObject ID="1" Boundary="0 0 100 10" Size="3.5">' + (
        '<ofd:TextCode X="0" Y="3">一</ofd:TextCode>' * 20 + "</ofd:TextObject>"
    )
    members: dict[str, bytes | str] = {"OFD.xml": ENTRY, "Doc_0/Document.xml": _document(20)}
    members |= {f"Doc_0/Pages/Page_{i}/Content.xml": _page(text) for i in range(20)}
    result = parse_document(_package(members), name="报告.ofd")
    assert result.report is None
    assert "解压后超过" in (result.reason or "")


def test_a_place_beyond_any_number_is_no_place() -> None:
    """「1e999」 is infinite as a float: the object is left out, not laid out at infinity."""
    assert ofd._numbers("0 0 1e999 10", 4) is None
    assert ofd._numbers("0 0 12.5 10", 4) == (0.0, 0.0, 12.5, 10.0)
    assert ofd._numbers("0 0 12.5", 4) is None


def test_a_character_placed_at_infinity_goes_on_from_the_last_place() -> None:
    """「X="1e999"」 is no place: the text is read where the run left off, not lost."""
    package = _one_page(
        '<ofd:TextObject ID="1" Boundary="10 10 100 10" Size="3.5">'
        '<ofd:TextCode X="1e999" Y="3">政府信息公开工作年度报告</ofd:TextCode></ofd:TextObject>'
    )
    reason = parse_document(package, name="报告.ofd").reason or ""
    # read: past the test for the report's words, to the one for its year and tables
    assert reason.startswith("OFD 文件中无法确定报告年度")


def test_advances_repeat_no_further_than_the_text_they_space() -> None:
    """「g 1000000000 1」 for three characters is three advances, not a billion."""
    assert ofd._deltas("g 1000000000 1", 3) == [1.0, 1.0, 1.0]
    assert ofd._deltas("2 g 2 1.5 3", 10) == [2.0, 1.5, 1.5, 3.0]
    assert ofd._deltas("1 x 2", 5) == [1.0]


@pytest.mark.parametrize("advances", ["1 1e999 2", "1 nan 2", "1 g 1e999 2", "1 g 3 inf", "1 -inf"])
def test_an_advance_beyond_any_number_ends_the_advances(advances: str) -> None:
    """「1e999」「nan」 are no distance: the advances stop there, as at a malformed one, and the
    characters after it are laid out at the font's size (across, or down for DeltaY)."""
    assert ofd._deltas(advances, 5) == [1.0]
    package = _one_page(
        '<ofd:TextObject ID="1" Boundary="10 10 100 100" Size="3.5">'
        f'<ofd:TextCode X="0" Y="3" DeltaY="{advances}">政府信息公开工作年度报告</ofd:TextCode>'
        "</ofd:TextObject>"
    )
    reason = parse_document(package, name="报告.ofd").reason or ""
    assert reason.startswith("OFD 文件中无法确定报告年度")  # the words were read


def test_pages_located_from_the_package_root_are_found(fixtures_dir: Path) -> None:
    """Some converters write each page's location from the package's root (「Doc_0/Pages/…」
    inside Doc_0/Document.xml): read as readers read it, not refused as missing."""
    data = (fixtures_dir / "rendered" / "seed_2021.pdf").read_bytes()
    package = ofd_from_pdf(data)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as copy:
        for info in source.infolist():
            member = source.read(info)
            if info.filename == "Doc_0/Document.xml":
                member = member.replace(b'BaseLoc="Pages/', b'BaseLoc="Doc_0/Pages/')
                assert b"Doc_0/Pages/" in member
            copy.writestr(info, member)
    _same(parse_pdf(data, source="seed.pdf"), parse_document(out.getvalue(), name="报告.ofd"))


def test_a_location_is_read_from_its_document_or_from_the_package_root() -> None:
    """GB/T 33190 §7.3: 「Pages/…」 from the folder of the file that names it, 「/…」 from
    the package's root (only members of the package are ever read: 「../」 names none)."""
    assert ofd._member("Doc_0/Document.xml", "Pages/Page_0/Content.xml") == (
        "Doc_0/Pages/Page_0/Content.xml"
    )
    assert ofd._member("Doc_0/Document.xml", "/Doc_0/Res/x.xml") == "Doc_0/Res/x.xml"
    assert ofd._member("Doc_0/Document.xml", "Pages\\Page_0\\Content.xml") == (
        "Doc_0/Pages/Page_0/Content.xml"
    )


@settings(max_examples=60, deadline=None)
@given(
    boundary=st.text(alphabet="0123456789. -e", max_size=30),
    ctm=st.text(alphabet="0123456789. -", max_size=30),
    delta=st.text(alphabet="0123456789. -g", max_size=40),
    down=st.text(alphabet="0123456789. -ge", max_size=40),
    path=st.text(alphabet="0123456789. -MLSQBACmlx", max_size=60),
    text=st.text(max_size=30).filter(lambda t: "<" not in t and "&" not in t),
)
def test_any_numbers_in_the_objects_never_raise(
    boundary: str, ctm: str, delta: str, down: str, path: str, text: str
) -> None:
    package = _one_page(
        f'<ofd:TextObject ID="1" Boundary="{boundary}" CTM="{ctm}" Size="{delta[:4]}">'
        f'<ofd:TextCode X="{delta[:3]}" Y="5" DeltaX="{delta}" DeltaY="{down}">{text}'
        "</ofd:TextCode></ofd:TextObject>"
        f'<ofd:PathObject ID="2" Boundary="{boundary}">'
        f"<ofd:AbbreviatedData>{path}</ofd:AbbreviatedData></ofd:PathObject>"
    )
    result = parse_document(package, name="报告.ofd")
    assert result.report is not None or result.reason


@settings(max_examples=40, deadline=None)
@given(content=st.binary(max_size=2000), document=st.sampled_from([True, False]))
def test_any_bytes_as_a_member_never_raise(content: bytes, document: bool) -> None:
    """A damaged page (or page list): told as damaged or read as far as it goes."""
    members: dict[str, bytes | str] = {"OFD.xml": ENTRY, "Doc_0/Document.xml": _document()}
    members["Doc_0/Document.xml" if document else "Doc_0/Pages/Page_0/Content.xml"] = content
    result = parse_document(_package(members), name="报告.ofd")
    assert result.report is None and result.reason


# A package of several documents (a DocBody each): a cover letter, then the report.

_COVER = _page(
    '<ofd:TextObject ID="1" Boundary="20 20 170 10" Size="5">'
    '<ofd:TextCode X="0" Y="5">关于报送年度报告的函</ofd:TextCode></ofd:TextObject>'
)


def _entry(*roots: str) -> str:
    bodies = "".join(
        f"<ofd:DocBody><ofd:DocRoot>{root}</ofd:DocRoot></ofd:DocBody>" for root in roots
    )
    return f'<ofd:OFD xmlns:ofd="{NS}">{bodies}</ofd:OFD>'


def test_a_package_of_a_cover_letter_and_the_report_is_read_as_one_printout(
    fixtures_dir: Path,
) -> None:
    data = (fixtures_dir / "rendered" / "seed_2021.pdf").read_bytes()
    with zipfile.ZipFile(io.BytesIO(ofd_from_pdf(data))) as single:
        report = {
            name.replace("Doc_0/", "Doc_1/", 1): single.read(name)
            for name in single.namelist()
            if name != "OFD.xml"
        }
    package = _package(
        {
            "OFD.xml": _entry("Doc_0/Document.xml", "Doc_1/Document.xml"),
            "Doc_0/Document.xml": _document(),
            "Doc_0/Pages/Page_0/Content.xml": _COVER,
            **report,
        }
    )
    read = parse_document(package, name="报告.ofd")
    printed = parse_pdf(data, source="seed_2021.pdf")
    assert read.report is not None and printed.report is not None, read.reason
    assert read.report.tables == printed.report.tables
    meta = read.report.meta
    assert (meta.unit, meta.year) == (printed.report.meta.unit, printed.report.meta.year)


def test_the_page_cap_counts_the_pages_of_every_document() -> None:
    package = _package(
        {
            "OFD.xml": _entry("Doc_0/Document.xml", "Doc_1/Document.xml"),
            "Doc_0/Document.xml": _document(),
            "Doc_0/Pages/Page_0/Content.xml": _COVER,
            "Doc_1/Document.xml": _document(300),
        }
    )
    result = parse_document(package, name="报告.ofd")
    assert result.report is None and "超过年度报告的上限 300 页" in (result.reason or "")
