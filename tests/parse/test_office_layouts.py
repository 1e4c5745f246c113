"""Word and PDF reports in the layouts other offices publish, made here from real cells.

Each layout is built from the hand-verified seed (2021 format, no blank cells), 上海市人民政府办公厅
2019 (2019 format, blank cells) or corpus report 006 (平潭, 2021 format, large figures), the
Word files with python-docx and the PDFs by WeasyPrint (Noto CJK) as offices print them, and
every cell read back must be the cell it was made from: a lost cell is a blank where the report
prints a figure, a misread one a false error. The classes:

- Word: table 三 in two Word tables with its header repeated; a table inside a text box
  (Word writes it twice, DrawingML and a VML copy); a table nested in a table; sections 二–四
  in one Word table; labels broken by soft line breaks; cells 「0 」「—」「/」 or empty; the
  whole report in a layout table; the same report saved as .doc; changes still tracked
  (deleted rows and figures, moved text) and hidden text;
- PDF: a row broken by the page break (label above, cells below, or the reverse), with and
  without the header repeated; a table left open at the page break (no rule under the last
  row); landscape pages; dense small print; section 二's tables side by side; CJK radicals in
  the text layer; a Word file printed to PDF by LibreOffice (Word's own row breaking).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import lxml.html
import pytest
from docx.enum.text import WD_BREAK
from docx.shared import Pt
from lxml import etree

from gongkai.core.formats import T3, T4
from gongkai.core.model import AnnualReport
from gongkai.core.parse.dispatch import parse_document
from gongkai.core.parse.document import clean_cell, join_broken_rows
from gongkai.core.parse.result import PICTURES
from tests.fixtures.rendered.make_fixtures import (
    _grid_cells,
    _tables_html,
    load,
    load_golden,
    page_html,
    title,
)
from tests.parse.ofd_writer import ofd_from_pdf
from tests.parse.synth import assert_read_as_printed, stored_turned

Cells = list[list[tuple[int, int, int, int, str]]]


def _report(name: str) -> AnnualReport:
    return load_golden(name) if name.isdigit() else load(name)


# -- Word ------------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# A text box as Word writes it: the DrawingML shape, and a VML copy for older readers.
TEXT_BOX = f"""<w:r xmlns:w="{W}"
 xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
 xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:v="urn:schemas-microsoft-com:vml">
<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:inline><wp:extent cx="5400000"
 cy="7000000"/><wp:docPr id="1" name="Text Box 1"/><a:graphic><a:graphicData
 uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvSpPr
 txBox="1"/><wps:spPr/><wps:txbx><w:txbxContent/></wps:txbx><wps:bodyPr/></wps:wsp>
</a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape
 style="width:425pt;height:550pt"><v:textbox><w:txbxContent/></v:textbox></v:shape></w:pict>
</mc:Fallback></mc:AlternateContent></w:r>"""


def _fill(table: Any, cells: Cells, *, soft_breaks: bool = False) -> None:
    for row in cells:
        for r, c, rowspan, colspan, text in row:
            target = table.cell(r, c)
            if rowspan > 1 or colspan > 1:
                target = target.merge(table.cell(r + rowspan - 1, c + colspan - 1))
            if soft_breaks and len(text) > 8 and not text.isdigit():
                # A long label broken by Shift+Enter (w:br) in the middle.
                paragraph = target.paragraphs[0]
                paragraph.add_run(text[: len(text) // 2]).add_break()
                paragraph.add_run(text[len(text) // 2 :])
            else:
                target.text = text


def _word_table(container: Any, cells: Cells, *, soft_breaks: bool = False) -> Any:
    width = max(c + colspan for row in cells for _, c, _, colspan, _ in row)
    table = container.add_table(rows=len(cells), cols=width)
    table.style = "Table Grid"
    _fill(table, cells, soft_breaks=soft_breaks)
    return table


def _split_with_header(cells: Cells, cut: int, header: int = 3) -> tuple[Cells, Cells]:
    """Table 三 cut before row ``cut``: the rows above, and the header again with the rest
    (a label merged down over the cut is merged again below it, as Word prints it)."""
    first: Cells = []
    carried: list[tuple[int, int, int, int, str]] = []
    for row in cells:
        if row and row[0][0] >= cut:
            continue
        kept = []
        for r, c, rowspan, colspan, text in row:
            kept.append((r, c, min(r + rowspan, cut) - r, colspan, text))
            if r + rowspan > cut:
                carried.append((header, c, r + rowspan - cut, colspan, text))
        first.append(kept)
    second: Cells = [row for row in cells if row and row[0][0] < header]
    for row in cells:
        if row and row[0][0] >= cut:
            moved = [(r - cut + header, c, rs, cs, t) for r, c, rs, cs, t in row]
            if row[0][0] == cut:
                moved = [*carried, *moved]
            second.append(moved)
    return first, second


def _to_text_box(paragraph: Any, table: Any) -> None:
    element = table._tbl
    element.getparent().remove(element)
    run = etree.fromstring(TEXT_BOX)
    for box in run.iter(f"{{{W}}}txbxContent"):
        box.append(etree.fromstring(etree.tostring(element)))
    paragraph._p.append(run)


def word_report(report: AnnualReport, layout: str) -> bytes:
    """The report as a Word file in ``layout`` (see the module docstring)."""
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(12)
    container: Any = document
    if layout == "版式表格":
        container = document.add_table(rows=1, cols=1).cell(0, 0)
    container.add_paragraph(title(report))
    if report.meta.published:
        container.add_paragraph(f"发布日期：{report.meta.published.isoformat()}")
    one_table: list[tuple[str, Cells]] = []
    for number, section in enumerate(report.format.sections):
        container.add_paragraph(f"{section.number}、{section.heading}")
        for line in report.narrative.get(section.code, "").split("\n"):
            if line.strip():
                container.add_paragraph(line.strip())
        for html in _tables_html(report, section.code):
            cells = _grid_cells(lxml.html.fragment_fromstring(html))
            marks = {"横线": "—", "斜线": "/"}
            if layout in marks:
                cells = [[(*c[:4], c[4] or marks[layout]) for c in row] for row in cells]
            elif layout == "零后空格":
                cells = [
                    [(*c[:4], c[4] + " " if c[4].isdigit() else c[4]) for c in row] for row in cells
                ]
            if layout == "一张表" and number > 0:
                one_table.append((f"{section.number}、{section.heading}", cells))
            elif layout == "表三分两表" and "申请人情况" in html:
                first, second = _split_with_header(cells, cut=14)
                _word_table(container, first)
                container.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
                _word_table(container, second)
            elif layout == "文本框":
                anchor = container.add_paragraph()
                _to_text_box(anchor, _word_table(document, cells))
            elif layout == "嵌套表格":
                outer = container.add_table(rows=1, cols=2)
                outer.style = "Table Grid"
                outer.cell(0, 0).text = "附表"
                _word_table(outer.cell(0, 1), cells)
            else:
                _word_table(container, cells, soft_breaks=layout == "软回车")
    if one_table:
        _one_table(container, one_table)
    if layout == "内容控件":
        _in_content_controls(document)
    elif layout == "修订与隐藏文字":
        _with_revisions(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _in_content_controls(document: Any) -> None:
    """Every third row of every table in a content control (w:sdt), as forms-based
    templates write them, and two cells of the row after it likewise."""
    tag = f"{{{W}}}"

    def wrap(element: Any) -> None:
        control = etree.Element(tag + "sdt")
        content = etree.SubElement(control, tag + "sdtContent")
        element.addprevious(control)
        content.append(element)

    for table in list(document.element.body.iter(tag + "tbl")):
        for index, row in enumerate(list(table.iterchildren(tag + "tr"))):
            if index % 3 == 1:
                wrap(row)
            elif index % 3 == 2:
                for cell in list(row.iterchildren(tag + "tc"))[1:3]:
                    wrap(cell)


def _with_revisions(document: Any) -> None:
    """Changes still tracked, and hidden text, as a draft gone to print keeps them: before every
    fourth row of every table, a deleted copy of it (Word keeps a deleted row's cells); in each
    figure's cell, a deleted figure, a figure moved away and a hidden one; in the prose, a
    hidden sentence and a moved one with counts the tables do not hold."""
    w = f"{{{W}}}"
    ns = f'xmlns:w="{W}"'
    hidden = f"<w:r {ns}><w:rPr><w:vanish/></w:rPr><w:t>77</w:t></w:r>"
    deleted = f'<w:del {ns} w:id="1" w:author="经办人"><w:r><w:delText>88</w:delText></w:r></w:del>'
    moved = f'<w:moveFrom {ns} w:id="2" w:author="经办人"><w:r><w:t>5</w:t></w:r></w:moveFrom>'
    for table in list(document.element.body.iter(w + "tbl")):
        for index, row in enumerate(list(table.iterchildren(w + "tr"))):
            if index % 4 == 3:
                copy = etree.fromstring(etree.tostring(row))
                properties = copy.find(w + "trPr")
                if properties is None:
                    properties = etree.Element(w + "trPr")
                    copy.insert(0, properties)
                etree.SubElement(properties, w + "del", {w + "id": "3", w + "author": "经办人"})
                for text in copy.iter(w + "t"):
                    text.text = f"9{text.text}"
                row.addprevious(copy)
        for paragraph in table.iter(w + "p"):
            text = "".join(t.text or "" for t in paragraph.iter(w + "t"))
            if text.isdigit():
                paragraph.insert(1, etree.fromstring(moved))
                paragraph.append(etree.fromstring(deleted))
                paragraph.append(etree.fromstring(hidden))
    sentence = document.add_paragraph("本年共收到政府信息公开申请")
    sentence._p.append(
        etree.fromstring(f'<w:r {ns}><w:rPr><w:vanish w:val="1"/></w:rPr><w:t>9999件，</w:t></w:r>')
    )
    sentence._p.append(etree.fromstring(moved.replace(">5<", ">行政复议8888件<")))
    shown = document.add_paragraph()  # hidden formatting switched off again: shown
    shown._p.append(
        etree.fromstring(
            f'<w:r {ns}><w:rPr><w:vanish w:val="false"/></w:rPr><w:t>以上为全文</w:t></w:r>'
        )
    )


def _one_table(container: Any, parts: list[tuple[str, Cells]]) -> None:
    """Sections 二–四's tables as one Word table, a heading row before each part."""
    width = max(c + cs for _, cells in parts for row in cells for _, c, _, cs, _ in row)
    table = container.add_table(rows=sum(len(cells) + 1 for _, cells in parts), cols=width)
    table.style = "Table Grid"
    top = 0
    for heading, cells in parts:
        table.cell(top, 0).merge(table.cell(top, width - 1)).text = heading
        top += 1
        own = max(c + cs for row in cells for _, c, _, cs, _ in row)
        moved = [
            [
                (r + top, c, rs, cs + (width - own if c + cs == own else 0), t)
                for r, c, rs, cs, t in row
            ]
            for row in cells
        ]
        _fill(table, moved)
        top += len(cells)


WORD_LAYOUTS = (
    "表三分两表",
    "文本框",
    "嵌套表格",
    "一张表",
    "软回车",
    "零后空格",
    "横线",
    "斜线",
    "版式表格",
    "内容控件",
    "修订与隐藏文字",
)


@pytest.mark.parametrize("name", ["seed_2021", "shanghai_2019"])
@pytest.mark.parametrize("layout", WORD_LAYOUTS)
def test_word_layouts_read_every_cell(layout: str, name: str) -> None:
    report = _report(name)
    data = word_report(report, layout)
    opened = docx.Document(io.BytesIO(data))  # a real Word file, which Word's library opens
    assert opened.paragraphs or opened.tables
    result = parse_document(data, name=f"{layout}.docx")
    assert_read_as_printed(report, result)
    assert result.report is not None and result.report.meta.year == report.meta.year


def test_tracked_changes_and_hidden_text_are_real_and_not_read() -> None:
    """The deleted rows, moved and hidden figures are in the Word file (the layout test reads
    it as printed), and the prose keeps none of their counts."""
    data = word_report(_report("seed_2021"), "修订与隐藏文字")
    xml = docx.Document(io.BytesIO(data)).element.xml
    assert xml.count("<w:vanish") > 50 and xml.count("<w:moveFrom ") > 50
    assert xml.count("<w:trPr><w:del ") + xml.count('<w:del w:id="3"') >= 10
    result = parse_document(data, name="revised.docx")
    prose = "".join(result.narrative.values())
    assert "本年共收到政府信息公开申请" in prose
    assert "9999" not in prose and "8888" not in prose
    assert "以上为全文" in prose


def test_the_text_box_is_real_and_read_once() -> None:
    """Word's VML copy of the text box is not read a second time (the rows would double)."""
    report = _report("seed_2021")
    data = word_report(report, "文本框")
    xml = docx.Document(io.BytesIO(data)).element.xml
    assert xml.count("w:txbxContent>") >= 8  # DrawingML and VML, for every table
    result = parse_document(data, name="box.docx")
    assert not [p for p in result.problems if p.table == T3]
    assert "自然人" not in "".join(result.narrative.values())


@pytest.mark.parametrize("mark", ["—", "——", "－", "／", "―"])
def test_a_dash_or_slash_cell_is_a_blank_cell(mark: str) -> None:
    assert clean_cell(f" {mark} ") == "-"
    assert clean_cell("（七）总计") == "（七）总计"
    assert clean_cell("—1") == "—1"


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip("LibreOffice is not installed here")
    return found


def _convert(data: bytes, suffix: str, target: str, tmp_path: Path) -> bytes:
    source = tmp_path / f"report{suffix}"
    source.write_bytes(data)
    subprocess.run(
        [
            _soffice(),
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    return (tmp_path / f"report.{target}").read_bytes()


@pytest.mark.parametrize(
    ("target", "name", "layout"),
    [
        ("doc", "seed_2021", "横线"),
        ("pdf", "seed_2021", "横线"),
        ("pdf", "seed_2021", "一张表"),
        ("pdf", "006", "一张表"),
    ],
)
def test_word_saved_as_doc_or_printed_to_pdf_by_libreoffice(
    tmp_path: Path, target: str, name: str, layout: str
) -> None:
    """Printed to PDF, Word's table rows break across pages (its default): 「2.其」 with the
    cells at the foot of one page, 「他法律行政法规禁止公开」 over empty cells at the top of
    the next (or 「5.」 over 「属于三类内部事务信息」), and a top half that pdfplumber must not
    take for a framed line of prose. With sections 二–四 in one table, table 三's columns are
    so narrow that 217 wraps to 「21」 over 「7」 in its cell."""
    report = _report(name)
    data = _convert(word_report(report, layout), ".docx", target, tmp_path)
    result = parse_document(data, name=f"report.{target}")
    assert_read_as_printed(report, result)


# -- PDF -------------------------------------------------------------------------------------


def _thead(html: str) -> str:
    """Table 三's three header rows as a <thead>, which the printer repeats on every page."""
    start = html.rfind("<table", 0, html.index("申请人情况"))
    end = html.index("</table>", start)
    rows = html[start:end].split("<tr")
    head = "<thead>" + "".join("<tr" + r for r in rows[1:4]) + "</thead><tbody>"
    body = rows[0] + head + "".join("<tr" + r for r in rows[4:]) + "</tbody>"
    return html[:start] + body + html[end:]


def _side_by_side(html: str) -> str:
    """Section 二's tables two by two across the page."""
    tables = [t for t in re.findall(r"<table.*?</table>", html, flags=re.S) if "信息内容" in t]
    for left, right in zip(tables[0::2], tables[1::2], strict=False):
        pair = f'<div style="display:flex;gap:8pt"><div style="flex:1">{left}</div>'
        pair += f'<div style="flex:1">{right}</div></div>'
        html = html.replace(left, pair, 1).replace(right, "", 1)
    return html


def _radicals(html: str) -> str:
    return html.replace("民", "\u2ea0").replace("门", "\u2ec6")


def _struck(html: str) -> str:
    """A figure struck through before every other figure of the tables (a tracked deletion
    printed with its markup shown: 「<del>9</del>12」, or an editor's <s>), and in the prose."""
    count = iter(range(100_000))

    def strike(match: re.Match[str]) -> str:
        tag = ("del", "s")[next(count) % 2]
        return f"{match.group(1)}<{tag}>9</{tag}>{match.group(2)}</td>"

    out = re.sub(r'(<td[^>]*class="num"[^>]*>)(\d+)</td>', strike, html)
    out, count = re.subn(r"(<p[^>]*>[^<]*?)(申请)", r"\1<del>8888件，</del>\2", out, count=1)
    assert count
    return out


BIG = "table { font-size: 14pt; line-height: 20pt; }"
PDF_LAYOUTS: dict[str, tuple[str, Any]] = {
    # WeasyPrint draws no rule under a page's last row when a cell merged down goes on.
    "表格跨页不封底": ("", None),
    "跨页重复表头": (BIG, _thead),
    "跨页不重复表头": (BIG, None),
    "横向页面": ("@page { size: A4 landscape; }", None),
    "小字密排": ("table { font-size: 6pt; line-height: 7pt; } td { padding: 0 1pt; }", None),
    "表格并排": ("", _side_by_side),
    "部首字符": ("", _radicals),
    "删除线": ("", _struck),
    "小字密排删除线": (
        "table { font-size: 6pt; line-height: 7pt; } td { padding: 0 1pt; }",
        _struck,
    ),
}


@pytest.fixture(scope="module")
def weasyprint() -> Any:
    return pytest.importorskip("weasyprint")


@pytest.mark.parametrize("name", ["seed_2021", "006"])
@pytest.mark.parametrize("layout", sorted(PDF_LAYOUTS))
def test_pdf_layouts_read_every_cell(weasyprint: Any, layout: str, name: str) -> None:
    report = _report(name)
    css, change = PDF_LAYOUTS[layout]
    html = page_html(report, print_css=True).replace("</style>", css + "</style>")
    html = change(html) if change else html
    data = weasyprint.HTML(string=html).write_pdf()
    result = parse_document(data, name=f"{layout}.pdf")
    assert_read_as_printed(report, result)
    if "<del>8888件，</del>" in html:  # struck prose is not read either
        assert "8888" not in "".join(result.narrative.values())


def _table4_in_two(report: AnnualReport, html: str) -> str:
    """Table 四 as two tables side by side, 行政复议 on the left and 行政诉讼 on the right,
    each with its own header and line of figures."""
    table = report.format.table(T4)
    labels = "".join(f"<td>{c.label}</td>" for c in table.columns)
    values = [report.cell(T4, r.code, c.code) for r in table.rows for c in table.columns]
    width = len(table.columns)

    def cells(part: list[Any]) -> str:
        return "".join(f"<td>{'' if v is None else v}</td>" for v in part)

    left = (
        f'<table><tr><td colspan="{width}">行政复议</td></tr><tr>{labels}</tr>'
        f"<tr>{cells(values[:width])}</tr></table>"
    )
    right = (
        f'<table><tr><td colspan="{2 * width}">行政诉讼</td></tr><tr><td colspan="{width}">'
        f'未经复议直接起诉</td><td colspan="{width}">复议后起诉</td></tr><tr>{labels * 2}</tr>'
        f"<tr>{cells(values[width:])}</tr></table>"
    )
    start = html.index("<table", html.index("四、政府信息公开行政复议"))
    end = html.index("</table>", start) + len("</table>")
    pair = f'<div style="display:flex;gap:6pt"><div style="flex:1">{left}</div>'
    pair += f'<div style="flex:2">{right}</div></div>'
    return html[:start] + pair + html[end:]


@pytest.mark.parametrize("name", ["seed_2021", "006", "shanghai_2019"])
def test_table_four_printed_as_two_tables_side_by_side(weasyprint: Any, name: str) -> None:
    report = _report(name)
    html = _table4_in_two(report, page_html(report, print_css=True))
    result = parse_document(weasyprint.HTML(string=html).write_pdf(), name="side.pdf")
    assert_read_as_printed(report, result)


@pytest.mark.parametrize("name", ["seed_2021", "006"])
def test_landscape_pages_stored_turned_read_every_cell(weasyprint: Any, name: str) -> None:
    report = _report(name)
    html = page_html(report, print_css=True).replace(
        "</style>", PDF_LAYOUTS["横向页面"][0] + "</style>"
    )
    data = stored_turned(weasyprint.HTML(string=html).write_pdf(), (90,))
    result = parse_document(data, name="turned.pdf")
    assert_read_as_printed(report, result)


# -- rows broken by a page break, joined again -------------------------------------------------

HEAD = ("（本列数据的勾稽关系）", "（本列数据的勾稽关系）", "申请人情况")
SEVEN = ("1", "0", "0", "0", "0", "0", "1")
EMPTY = ("",) * 7


def _fmt() -> Any:
    return _report("seed_2021").format


def test_a_broken_row_is_joined_after_the_repeated_header() -> None:
    rows = [
        HEAD,
        ("（三）不予公开", "1.属于国家秘密", *SEVEN),
        ("（三）不予公开", "2.其他法律", *SEVEN),
        HEAD,
        ("", "行政法规禁止公开", *EMPTY),
        ("", "3.危及“三安全一稳定”", *SEVEN),
    ]
    joined = join_broken_rows(rows, [(0, 3, False), (3, 6, True)], _fmt())
    assert joined == [
        rows[0],
        rows[1],
        ("（三）不予公开", "2.其他法律行政法规禁止公开", *SEVEN),
        HEAD,
        rows[5],
    ]


@pytest.mark.parametrize(
    ("above", "below", "adjacent"),
    [
        # A whole row is never joined to the next one.
        (("（三）不予公开", "2.其他法律行政法规禁止公开", *SEVEN), ("", "公开", *EMPTY), True),
        # Numbers in both halves: two rows.
        (("（三）不予公开", "2.其他法律", *SEVEN), ("", "行政法规禁止公开", *SEVEN), True),
        # Prose between the two tables: not one table going on.
        (("（三）不予公开", "2.其他法律", *SEVEN), ("", "行政法规禁止公开", *EMPTY), False),
        # The joined label names no row.
        (("（三）不予公开", "2.其他", *SEVEN), ("", "说明：本表据实填写", *EMPTY), True),
    ],
)
def test_rows_that_are_not_halves_are_left_alone(
    above: tuple[str, ...], below: tuple[str, ...], adjacent: bool
) -> None:
    rows = [above, below]
    assert join_broken_rows(rows, [(0, 1, False), (1, 2, adjacent)], _fmt()) == rows


def test_a_table_pasted_as_a_picture_is_named_by_its_page(weasyprint: Any) -> None:
    """Offices paste table 三 into the report as an image: it has no text, and the result
    says on which page the picture is, rather than only that the rows were not found."""
    import base64

    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    report = _report("seed_2021")
    html = page_html(report, print_css=True)
    start = html.rfind("<table", 0, html.index("申请人情况"))
    end = html.index("</table>", start) + len("</table>")
    alone = weasyprint.HTML(string=html[: html.index("<body>") + 6] + html[start:end]).write_pdf()
    picture = io.BytesIO()
    pdfium.PdfDocument(alone)[0].render(scale=2).to_pil().save(picture, "PNG")
    source = "data:image/png;base64," + base64.b64encode(picture.getvalue()).decode()
    image = f'<img src="{source}" style="width:16cm">'
    data = weasyprint.HTML(string=html[:start] + image + html[end:]).write_pdf()
    result = parse_document(data, name="picture.pdf")
    notes = [p.message for p in result.problems if p.code == PICTURES]
    assert len(notes) == 1
    assert re.search(r"PDF 第 \d+ 页有大幅图片，没有文字层", notes[0])
    # The same printed to OFD: its page with the picture is named likewise.
    converted = parse_document(ofd_from_pdf(data), name="picture.ofd")
    [note] = [p.message for p in converted.problems if p.code == PICTURES]
    assert re.search(r"OFD 文件第 \d+ 页有大幅图片，没有文字层", note)
    # A report whose tables are all read names no picture (a logo is not a table).
    whole = parse_document(weasyprint.HTML(string=html).write_pdf(), name="whole.pdf")
    assert not [p for p in whole.problems if p.code == PICTURES]


def _png() -> io.BytesIO:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (600, 400), "white").save(out, "PNG")
    out.seek(0)
    return out


def test_a_table_pasted_into_word_as_a_picture_is_said_to_be_a_picture() -> None:
    """Offices paste table 三 into the Word file as a picture: the result says the document
    holds one, where it would otherwise say only that the rows were not found."""
    document = docx.Document(io.BytesIO(word_report(_report("seed_2021"), "普通")))
    [table] = [t for t in document.tables if "申请人情况" in t._tbl.xml]
    anchor = document.add_paragraph()
    table._tbl.addprevious(anchor._p)
    table._tbl.getparent().remove(table._tbl)
    anchor.add_run().add_picture(_png())
    out = io.BytesIO()
    document.save(out)

    result = parse_document(out.getvalue(), name="picture.docx")

    assert any(p.code == "missing_table" and p.table == T3 for p in result.problems)
    [note] = [p.message for p in result.problems if p.code == PICTURES]
    assert note.startswith("Word 文档正文中有 1 张图片：")
    # A report whose tables are all read names no picture (a seal or a photo is no table).
    whole = docx.Document(io.BytesIO(word_report(_report("seed_2021"), "普通")))
    whole.add_paragraph().add_run().add_picture(_png())
    out = io.BytesIO()
    whole.save(out)
    read = parse_document(out.getvalue(), name="whole.docx")
    assert not [p for p in read.problems if p.code in (PICTURES, "missing_table")]
