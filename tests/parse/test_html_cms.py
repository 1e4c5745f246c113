"""Real reports as other CMSs and Word write their pages: every cell read, none misread.

Each corpus report (the hand-verified golden ones and the seed) is drawn as a site page by
:func:`page_html`, then rewritten the way another publisher writes the same table: attributes
stripped and labels in ``<td>`` (most CMSs), Word's "save as web page" markup, a span per
character, ``&nbsp;`` and ``<br>`` in cells, full-width digits, row groups in any order,
hidden rows and cells, Word's placeholder cells, a table split in several, wrapped in layout
tables, spans written oddly, labels of table 三 split in two cells. A browser shows each page
as the original; the reader must read the same cells. A misread number raises a false error,
so each class is also checked to misread nothing.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable

import lxml.etree
import lxml.html
import pytest

from gongkai.core.model import AnnualReport
from gongkai.core.parse.document import clean_cell
from gongkai.core.parse.html import parse_html
from gongkai.core.parse.result import PICTURES
from tests.fixtures.rendered.make_fixtures import golden_ids, load, load_golden, page_html
from tests.parse.synth import assert_read_as_printed

IDENTS = ["seed_2021", *golden_ids()]
Edit = Callable[[lxml.etree._Element], None]


def _report(ident: str) -> AnnualReport:
    return load(ident) if ident == "seed_2021" else load_golden(ident)


def _plain(page: str) -> lxml.etree._Element:
    """The page as most CMSs write it: no attribute but the spans, every cell a ``<td>``."""
    tree = lxml.html.document_fromstring(page)
    for element in tree.iter("table", "tbody", "thead", "tr", "td", "th"):
        for name in list(element.attrib):
            if name not in ("rowspan", "colspan"):
                del element.attrib[name]
        if element.tag == "th":
            element.tag = "td"
    return tree


def _text(cell: lxml.etree._Element) -> str:
    text = cell.text_content().strip()
    for child in list(cell):
        cell.remove(child)
    cell.text = None
    return text


def _is_number(text: str) -> bool:
    return text.isdigit() and text.isascii()


def _crosses(rows: list[lxml.etree._Element], cut: int) -> bool:
    """Whether a cell above row ``cut`` is merged down into it or beyond."""
    return any(
        index + int(cell.get("rowspan", 1)) > cut
        for index, row in enumerate(rows[:cut])
        for cell in row
    )


def word(tree: lxml.etree._Element) -> None:
    """Word's "save as web page": a paragraph and a styled span in each cell, ``<o:p>``."""
    for table in tree.iter("table"):
        table.set("class", "MsoNormalTable")
        table.set("style", "border-collapse:collapse;mso-table-layout-alt:fixed")
        for row in table.iter("tr"):
            row.set("style", "mso-yfti-irow:0;height:20.0pt")
        for cell in table.iter("td"):
            text = _text(cell)
            cell.set("style", "width:63.8pt;border:solid windowtext 1.0pt;mso-border-alt:solid")
            para = lxml.etree.SubElement(cell, "p", {"class": "MsoNormal", "align": "center"})
            span = lxml.etree.SubElement(para, "span", lang="EN-US", style="font-size:10.5pt")
            mark = lxml.etree.SubElement(span, "o:p")
            if text:
                span.text = text
            else:
                mark.text = "\xa0"


def per_character(tree: lxml.etree._Element) -> None:
    for cell in tree.iter("td"):
        for char in _text(cell):
            lxml.etree.SubElement(cell, "span").text = char


def spaces_and_breaks(tree: lxml.etree._Element) -> None:
    for cell in tree.iter("td"):
        text = _text(cell)
        if _is_number(text):
            cell.text = f"\xa0{text} "
            lxml.etree.SubElement(cell, "br")
        elif len(text) > 3 and not re.search(r"\d", text):
            cell.text = text[:2]
            lxml.etree.SubElement(cell, "br").tail = "\xa0" + text[2:]
        else:
            cell.text = text


def full_width(tree: lxml.etree._Element) -> None:
    """Numbers typed with a Chinese input method: 「１２」, 「２２．５９８１」."""
    digits = str.maketrans("-0123456789.", "－０１２３４５６７８９．")
    for cell in tree.iter("td"):
        text = _text(cell)
        number = re.fullmatch(r"-?\d+(\.\d+)?", text)
        cell.text = text.translate(digits) if number else text


def typographic_minus(tree: lxml.etree._Element) -> None:
    """A negative number (the 2018 tables' change column) after a minus sign of a word
    processor or a Chinese input method: 「−1」「－1」."""
    for index, cell in enumerate(tree.iter("td")):
        text = _text(cell)
        negative = re.fullmatch(r"-\d+", text)
        cell.text = "−－﹣"[index % 3] + text[1:] if negative else text


def zero_width(tree: lxml.etree._Element) -> None:
    """Characters of no width before or after a cell's text (pasted from a chat app)."""
    for index, cell in enumerate(tree.iter("td")):
        text = _text(cell)
        if text:
            mark = "\u200b\ufeff\u200c\u200d\u2060"[index % 5]
            cell.text = mark + text if index % 2 else text + mark


def _regroup(tree: lxml.etree._Element, *, footer_first: bool) -> None:
    for table in tree.iter("table"):
        rows = list(table.iter("tr"))
        for child in list(table):
            table.remove(child)
        head = lxml.etree.SubElement(table, "thead")
        head.extend(rows[:2])
        if footer_first:  # HTML 4's order: a browser still draws the footer last
            lxml.etree.SubElement(table, "tfoot").append(rows[-1])
            lxml.etree.SubElement(table, "tbody").extend(rows[2:-1])
        else:
            lxml.etree.SubElement(table, "tbody").extend(rows[2:-1])
            lxml.etree.SubElement(table, "tfoot").append(rows[-1])


def colgroup(tree: lxml.etree._Element) -> None:
    for table in tree.iter("table"):
        group = lxml.etree.Element("colgroup")
        for _ in range(6):
            lxml.etree.SubElement(group, "col", width="80")
        table.insert(0, group)


def hidden_cells(tree: lxml.etree._Element) -> None:
    """A hidden cell in every row (an id a CMS keeps), which a browser leaves out."""
    for index, row in enumerate(tree.iter("tr")):
        cell = lxml.etree.Element("td", style="color:red; DISPLAY: none")
        if index % 2:
            cell = lxml.etree.Element("td", hidden="hidden")
        cell.text = "99"
        row.insert(1, cell)


def hidden_rows(style: str) -> Edit:
    """A hidden copy of a row, with other numbers, before the row (an old revision)."""

    def edit(tree: lxml.etree._Element) -> None:
        for table in tree.iter("table"):
            rows = list(table.iter("tr"))
            row = rows[min(3, len(rows) - 1)]
            copied = copy.deepcopy(row)
            copied.set("style", style)
            for cell in copied.iter("td"):
                if _is_number(cell.text_content().strip()):
                    cell.text = "77"
            row.addprevious(copied)

    return edit


def invisible_cells(tree: lxml.etree._Element) -> None:
    """A figure the page keeps in a blank cell's place but does not show
    (``visibility:hidden``, a CMS's draft value): the cell stays, blank."""
    for index, cell in enumerate(tree.iter("td")):
        if not cell.text_content().strip():
            cell.text = str(50 + index % 40)
            cell.set("style", "visibility: hidden" if index % 2 else "color:red;VISIBILITY:HIDDEN")


def spans_to_group_end(tree: lxml.etree._Element) -> None:
    """Each table's rows in ``<tbody>`` groups cut where no merged cell crosses, and each
    cell merged down to the end of its group written ``rowspan="0"`` (to the group's end) or
    with a span past it, which a browser stops at the group's end."""
    overlong = 0
    for table in list(tree.iter("table")):
        for group in [table, *(c for c in table if c.tag in ("thead", "tbody", "tfoot"))]:
            rows = [row for row in group if row.tag == "tr"]
            cuts = [k for k in range(1, len(rows)) if not _crosses(rows, k)] + [len(rows)]
            start = 0
            for end in cuts if rows else []:
                block = lxml.etree.Element("tbody")
                (rows[start] if group is table else group).addprevious(block)
                for index in range(start, end):
                    for cell in rows[index]:
                        if int(cell.get("rowspan", 1)) == end - index > 1:
                            overlong += 1
                            cell.set("rowspan", "0" if overlong % 2 else str(end - index + 5))
                    block.append(rows[index])
                start = end
            if group is not table:
                table.remove(group)


def word_placeholders(tree: lxml.etree._Element) -> None:
    """Word's empty placeholder cell at the start or end of a row off the table's grid."""
    for index, row in enumerate(tree.iter("tr")):
        if index % 3:
            continue
        cell = lxml.etree.Element("td", width="0")
        cell.set("style", "mso-cell-special:placeholder;border:none;padding:0cm 0cm 0cm 0cm")
        lxml.etree.SubElement(cell, "p", {"class": "MsoNormal"}).text = "\xa0"
        row.insert(0, cell) if index % 2 else row.append(cell)


def split_tables(repeat_header: bool) -> Edit:
    """Each long table cut in two where no merged cell crosses, as pages of a document."""

    def edit(tree: lxml.etree._Element) -> None:
        for table in list(tree.iter("table")):
            rows = list(table.iter("tr"))
            cuts = [k for k in range(len(rows) // 2, len(rows) - 2) if not _crosses(rows, k)]
            if len(rows) < 12 or not cuts:
                continue
            second = lxml.etree.Element("table")
            if repeat_header:
                second.extend(copy.deepcopy(row) for row in rows[:2])
            second.extend(rows[cuts[0] :])
            table.addnext(second)

    return edit


def spacer_rows(tree: lxml.etree._Element) -> None:
    for table in tree.iter("table"):
        rows = list(table.iter("tr"))
        for k in range(2, len(rows), 5):
            if not _crosses(rows, k + 1):
                spacer = lxml.etree.Element("tr")
                lxml.etree.SubElement(spacer, "td", colspan="5").text = "\xa0"
                rows[k].addnext(spacer)
                rows[k].addnext(lxml.etree.Element("tr"))


def split_labels(tree: lxml.etree._Element) -> None:
    """A label merged across columns (table 三's 「（一）本人生产、生活…」) written as two
    cells, each with half its words."""
    for row in tree.iter("tr"):
        for cell in row:
            span = int(cell.get("colspan", 1))
            text = cell.text_content().strip()
            if span >= 2 and len(text) >= 6 and not re.search(r"\d", text):
                cell.text = text[: len(text) // 2]
                for child in list(cell):
                    cell.remove(child)
                if span > 2:
                    cell.set("colspan", str(span - 1))
                else:
                    del cell.attrib["colspan"]
                cell.addnext(lxml.etree.Element("td"))
                cell.getnext().text = text[len(text) // 2 :]
                break


def footnote_marks(tree: lxml.etree._Element) -> None:
    """A superscript footnote mark after some numbers and labels: 「12<sup>1</sup>」."""
    for index, cell in enumerate(tree.iter("td")):
        if index % 5 == 0 and cell.text_content().strip():
            wrapper = lxml.etree.SubElement(cell, "span")
            lxml.etree.SubElement(wrapper, "sup").text = ["1", "注", "①", "*"][index % 4]


def hidden_text(tree: lxml.etree._Element) -> None:
    """Text the page does not show inside some cells (Word's hidden text, a CMS's id)."""
    for index, cell in enumerate(tree.iter("td")):
        if index % 4 == 0 and cell.text_content().strip():
            if index % 12 == 4:
                hidden = lxml.etree.SubElement(cell, "span", style="display:none;mso-hide:all")
            elif index % 12 == 8:
                hidden = lxml.etree.SubElement(cell, "span", style="visibility:hidden")
            else:
                hidden = lxml.etree.SubElement(cell, "font", hidden="")
            hidden.text = "34"


def struck_out(tree: lxml.etree._Element) -> None:
    """A figure struck out before the one that stands: Word's tracked deletion saved as a page
    (「<del>9</del>12」), or a CMS editor's strike-through (<s>, <strike>)."""
    for index, cell in enumerate(tree.iter("td")):
        if index % 3 == 0 and cell.text_content().strip():
            struck = lxml.etree.Element(("del", "s", "strike")[index % 9 // 3])
            struck.text = "9"
            struck.tail = cell.text
            cell.text = None
            cell.insert(0, struck)


def _tree(edit: Edit) -> Callable[[str], str]:
    def rewrite(page: str) -> str:
        tree = _plain(page)
        edit(tree)
        return str(lxml.html.tostring(tree, encoding="unicode"))

    return rewrite


def _word_page(page: str) -> str:
    """Word's page, with its hidden row of column widths and unquoted attributes."""
    out = _tree(word)(page)
    widths = "<![if !supportMisalignedColumns]><tr height=0>"
    widths += "<td width=85 style='border:none'></td>" * 5 + "</tr><![endif]></table>"
    out = out.replace("</table>", widths)
    return re.sub(r'(\w+)="([^"\s<>]*)"', r"\1=\2", out)


def _odd_spans(page: str) -> str:
    out = str(lxml.html.tostring(_plain(page), encoding="unicode"))
    out = re.sub(r'colspan="(\d+)"', r'colspan="\1 "', out)
    return re.sub(r'rowspan="(\d+)"', r"rowspan=\1", out).replace("<td>", '<td rowspan="1">')


def _wrapped(page: str) -> str:
    out = str(lxml.html.tostring(_plain(page), encoding="unicode"))
    out = re.sub(r"(<table.*?</table>)", r"<div class='TRS_Editor'><div>\1</div></div>", out)
    return re.sub(r"(<table>.*?</table>)", r"<table width='100%'><tr><td>\1</td></tr></table>", out)


CLASSES: dict[str, Callable[[str], str]] = {
    "labels in td, no attributes": _tree(lambda tree: None),
    "Word's page": _word_page,
    "a span per character": _tree(per_character),
    "nbsp and br in cells": _tree(spaces_and_breaks),
    "full-width digits": _tree(full_width),
    "zero-width characters": _tree(zero_width),
    "typographic minus signs": _tree(typographic_minus),
    "footnote marks": _tree(footnote_marks),
    "thead, tbody, tfoot": _tree(lambda tree: _regroup(tree, footer_first=False)),
    "tfoot before tbody": _tree(lambda tree: _regroup(tree, footer_first=True)),
    "colgroup": _tree(colgroup),
    "hidden cells": _tree(hidden_cells),
    "hidden rows": _tree(hidden_rows("display:none")),
    "collapsed rows": _tree(hidden_rows("visibility:collapse")),
    "invisible figures in blank cells": _tree(invisible_cells),
    "spans to the end of a row group": _tree(spans_to_group_end),
    "hidden text in cells": _tree(hidden_text),
    "struck-out figures": _tree(struck_out),
    "hidden text in Word's cells": lambda page: _tree(hidden_text)(_tree(word)(page)),
    "Word's placeholder cells": _tree(word_placeholders),
    "split, header repeated": _tree(split_tables(repeat_header=True)),
    "split, no header": _tree(split_tables(repeat_header=False)),
    "empty and spacer rows": _tree(spacer_rows),
    "spans written oddly": _odd_spans,
    "in divs and a layout table": _wrapped,
    "labels split in two cells": _tree(split_labels),
}


@pytest.mark.parametrize("ident", IDENTS)
@pytest.mark.parametrize("kind", sorted(CLASSES))
def test_a_page_as_another_publisher_writes_it_reads_every_cell(kind: str, ident: str) -> None:
    report = _report(ident)
    page = CLASSES[kind](page_html(report))
    assert_read_as_printed(report, parse_html(page, source=f"{ident}.html"))


def test_the_rewrites_really_change_the_page() -> None:
    page = page_html(_report("seed_2021"))
    for kind, rewrite in CLASSES.items():
        assert rewrite(page) != page, kind
    assert CLASSES["split, no header"](page).count("<table") > page.count("<table")
    assert "１" in CLASSES["full-width digits"](page)
    ends = CLASSES["spans to the end of a row group"](page)
    assert 'rowspan="0"' in ends and re.search(r'rowspan="([6-9]|\d\d)"', ends)
    blanks = page_html(_report("001"))  # a report with blank cells (the seed has none)
    assert "VISIBILITY:HIDDEN" in CLASSES["invisible figures in blank cells"](blanks)
    negative = page_html(_report("012"))
    assert re.search("[−－﹣]1<", CLASSES["typographic minus signs"](negative))


@pytest.mark.parametrize(
    ("style", "shown"),
    [
        ("display:none", False),
        ("color:red;display : NONE;", False),
        ("display:block", True),
        ("mso-display:none-such", True),
        ("border:none;width:63.8pt", True),
        ("mso-cell-special:placeholder", False),
    ],
)
def test_only_cells_a_browser_leaves_out_are_left_out(style: str, shown: bool) -> None:
    page = page_html(_report("seed_2021"))
    edited = page.replace(">643<", f"><span>643</span></td><td style='{style}'>7<", 1)
    assert edited != page
    result = parse_html(edited)
    assert result.report is not None, result.reason
    got = result.report.tables["s2.art20_5"]["licensing"].get("decisions")
    assert got == (None if shown else 643)


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("１２", "12"),
        (" ０\n", "0"),
        ("１2", "12"),
        ("0０", "00"),
        ("\n0０\n", "00"),
        ("２２．５９８１", "22.5981"),
        ("²", "²"),
        ("٣", "٣"),
        ("１２件", "１２件"),
        ("１．予以公开", "１．予以公开"),
        ("－1", "-1"),
        ("−１", "-1"),
        (" ﹣3 ", "-3"),
        ("- 1", "-1"),  # a PDF's text with a space after the sign
        ("－ １", "-1"),
        ("− 2.5", "-2.5"),
        ("- 予以公开", "- 予以公开"),
        ("1 - 2", "1 - 2"),
        ("－", "-"),
        ("－－", "－－"),
        ("－予以公开", "－予以公开"),
    ],
)
def test_full_width_digits_are_read_as_digits(text: str, cleaned: str) -> None:
    assert clean_cell(text) == cleaned


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("67*", "67"),
        ("67 **", "67"),
        ("67①", "67"),
        ("67注", "67"),
        ("67（注）", "67"),
        ("22.5981(1)", "22.5981"),
        ("67※", "67"),
        ("６７①", "67"),
        ("１２ *", "12"),
        ("67件", "67件"),  # read as a count elsewhere
        ("1.属于国家秘密", "1.属于国家秘密"),
        ("67*注", "67*注"),
        ("*67", "*67"),
    ],
)
def test_a_number_with_a_footnote_mark_is_the_number(text: str, cleaned: str) -> None:
    """Offices mark a figure explained below the table (「67*」「67①」「67（注）」): the cell
    is the number; its row was left unread for one marked cell."""
    assert clean_cell(text) == cleaned


@pytest.mark.parametrize("mark", ["*", "①", "（注）"])
def test_a_row_with_a_marked_number_is_read(mark: str) -> None:
    report = load("seed_2021")
    page = page_html(report)
    edited = page.replace(">67<", f">67{mark}<", 1)
    assert edited != page
    result = parse_html(edited)
    assert result.report is not None, result.reason
    assert result.report.tables["t3"] == report.tables["t3"]


def test_a_report_in_a_hidden_tab_of_a_layout_table_is_still_read() -> None:
    """Sites show a report's tab by script: hidden parts are looked for only inside tables
    with no table inside, so the report in a tab the page hides at first is read."""
    report = _report("seed_2021")
    page = page_html(report)
    body = page[page.index("<body>") + 6 : page.index("</body>")]
    tabbed = (
        "<body><table width='100%'><tr><td><div class='tab' style='display:none'>"
        f"{body}</div></td></tr></table></body>"
    )
    result = parse_html(page.replace(f"<body>{body}</body>", tabbed))
    assert result.report is not None, result.reason
    assert result.report.tables == report.tables


@pytest.mark.parametrize("tag", ["del", "s", "strike"])
def test_struck_out_prose_is_not_read(tag: str) -> None:
    """「本年收到申请<del>58</del>60件」 says 60: the struck figure is a deletion, not a digit."""
    report = _report("seed_2021")
    opening = "2021 年，泉港区以"
    page = page_html(report).replace(opening, f"本年收到申请<{tag}>58</{tag}>60件。{opening}", 1)
    assert f"<{tag}>58" in page
    prose = "".join(parse_html(page, source="struck.html").narrative.values())
    assert "本年收到申请60件" in prose
    assert "5860" not in prose


# A site's frame around a report whose tables are pictures: its logo and badges, a QR code, a
# small icon, none of which is a table.
_FRAME = (
    '<header><img src="/images/xxgk.png"></header>'
    '<p><img src="/u/cms/www/202301/logo.png"><img src="/images/ewm.jpg" alt="扫一扫">'
    '<img src="/images/sx.gif" width="16" height="16"></p>'
)


def _tables_as_pictures(page: str, source: str = "/u/cms/www/202301/1015{}.png") -> str:
    count = iter(range(100))
    out = re.sub(
        r"<table.*?</table>",
        lambda _: f'<p><img src="{source.format(next(count))}" style="width:600px"></p>',
        page,
        flags=re.S,
    )
    return out.replace("<body>", "<body>" + _FRAME, 1)


def test_tables_published_as_pictures_are_said_to_be_pictures() -> None:
    """Offices publish table 三 as a picture of it: the result names the pictures where the
    table is missing, not the frame's logo, badges, QR code or icons."""
    page = _tables_as_pictures(page_html(_report("seed_2021")))
    result = parse_html(page, source="pictures.html")
    assert any(p.code == "missing_table" for p in result.problems)
    [note] = [p.message for p in result.problems if p.code == PICTURES]
    tables = page_html(_report("seed_2021")).count("<table")
    assert tables == 3
    assert note.startswith("网页正文中有 3 张图片（10150.png、10151.png、10152.png）：")
    assert not re.search("logo|ewm|sx|xxgk", note)
    inline = _tables_as_pictures(page_html(_report("seed_2021")), "data:image/png;base64,iVBO{}")
    [note] = [p.message for p in parse_html(inline).problems if p.code == PICTURES]
    assert "（内嵌图片）" in note


def test_pictures_are_not_named_where_no_table_is_missing() -> None:
    page = page_html(_report("seed_2021"))
    shown = page.replace("<body>", '<body><p><img src="/u/cms/photo.jpg"></p>', 1)
    assert not [p for p in parse_html(shown).problems if p.code == PICTURES]
    bare = _tables_as_pictures(page).replace("<img", "<span")  # the tables gone, no picture
    assert any(p.code == "missing_table" for p in parse_html(bare).problems)
    assert not [p for p in parse_html(bare).problems if p.code == PICTURES]
