"""Each fast path of the readers gives exactly what the plain path gave.

:func:`normalise`, :func:`normalise_mapped` and the narrative's digit normalisation replace
only the characters that change (a regular expression finds them) instead of looking every
character up in a ``str.translate`` table. Here the plain definitions are kept as the
reference, and both are run on every corpus report and on generated texts full of what
normalisation touches: full-width forms, CJK radicals, superscript digits, quotes, dashes,
combining marks, HTML comments. Likewise the narrative's number scan, whose pattern now
leaves Chinese numerals without a unit to the regular expression, and the tokenizer's shortcut
for a cell of plain digits, and the HTML reader's shortcuts for a cell of one element or of a
chain of them, and the one-pass layout of a table's rows where no merged cell reaches down, and the
HTML reader's test for control characters on the page's UTF-8 bytes, and the test that a cell is
a label by its first character.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import lxml.etree
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.cjk_equivalents import EQUIVALENT_UNIFIED, SparseTranslation
from gongkai.core.inputs import decode_text
from gongkai.core.narrative import _numbers
from gongkai.core.parse import flat, html, labels, meta
from gongkai.core.parse.document import (
    Grid,
    SourceCell,
    clean_cell,
    covered,
    expand_spans,
    is_value,
)
from gongkai.core.parse.html import cell_text, clean_text
from gongkai.core.parse.labels import normalise, normalise_mapped

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CORPUS = sorted((SHARED / "reports").glob("*.txt")) + sorted((SHARED / "seed").glob("*.txt"))


def plain_normalise(text: str) -> str:
    text = labels._COMMENT.sub("", text)
    text = unicodedata.normalize("NFKC", text.translate(labels._BEFORE_NFKC))
    text = text.translate(labels._RESTORE).translate(labels._QUOTES)
    return text.replace("\u2014", "-").replace("\u2212", "-").replace("\ufe63", "-")


def plain_mapped(text: str) -> tuple[str, tuple[int, ...] | None]:
    original = labels._COMMENT.sub("", text)
    table = {ord(c): labels._normalise_char(c) for c in set(original) if ord(c) > 127}
    if all(len(v) == 1 for v in table.values()):
        return original.translate(table), None
    pieces: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(original):
        done = table.get(ord(char), char)
        pieces.append(done)
        offsets.extend([index] * len(done))
    offsets.append(len(original))
    return "".join(pieces), tuple(offsets)


# What normalisation touches, mixed with ordinary report text.
_SPECIAL = (
    "０１２３４５６７８９％（）：；，　"  # full-width forms and the ideographic space
    + "".join(map(chr, list(EQUIVALENT_UNIFIED)[:40]))  # radicals and strokes
    + "²³¹⁰⁴₃"  # superscript and subscript digits
    + "\U000f00b2\U000f2070"  # their private-use stand-ins, written in the text itself
    + "“”„‟〝〞「」『』＂‘’‚‛"  # quotes
    + "\u2014\u2212\ufe63"  # dashes
    + "\u0301\u0308ＡｂｃｶﾞＫ㎏①ﬁ"  # combining marks and compatibility forms
    + "一二三件条年度政府信息公开、。"
)
texts = st.lists(
    st.one_of(
        st.sampled_from(list(_SPECIAL)),
        st.sampled_from(["<!--", "-->", "<![endif]-->", "e\u0301", "表三", " 12 "]),
        st.characters(codec="utf-8"),
    ),
    max_size=60,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_normalise_is_the_plain_normalisation(text: str) -> None:
    assert normalise(text) == plain_normalise(text)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_may_change_finds_what_the_pattern_finds(text: str) -> None:
    assert labels.may_change(text) == set(labels._MAY_CHANGE.findall(text))


def test_the_stand_ins_are_characters_that_may_change() -> None:
    # normalise skips _before_nfkc and _restore when may_change finds none of their characters.
    for char in labels._STAND_IN_CHARS:
        assert labels._MAY_CHANGE.fullmatch(char), hex(ord(char))


@settings(max_examples=400, deadline=None)
@given(texts)
def test_normalise_mapped_is_the_plain_mapping(text: str) -> None:
    mapped = normalise_mapped(text)
    plain, offsets = plain_mapped(text)
    assert mapped.text == plain
    assert mapped.offsets == offsets


@settings(max_examples=400, deadline=None)
@given(texts)
def test_sparse_translation_is_translate(text: str) -> None:
    table = _numbers._FULL_WIDTH
    assert _numbers.normalise(text) == text.translate(table)
    assert SparseTranslation(labels._QUOTES)(text) == text.translate(labels._QUOTES)
    # A table beyond the BMP only (the stand-ins of superscript digits), and a small table
    # whose replacements are themselves replaced: the two other shortcuts.
    assert labels._restore(text) == text.translate(labels._RESTORE)
    chain = {ord("甲"): "乙", ord("乙"): "丙", ord("²"): "\U000f00b2"}
    assert SparseTranslation(chain)(text) == text.translate(chain)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_every_corpus_report_normalises_as_before(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert normalise(text) == plain_normalise(text)
    mapped = normalise_mapped(text)
    assert (mapped.text, mapped.offsets) == plain_mapped(text)
    assert _numbers.normalise(text) == text.translate(_numbers._FULL_WIDTH)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789", min_size=1, max_size=40))
def test_plain_digits_tokenize_as_through_the_pattern(digits: str) -> None:
    # A leading space sends the same run through the general path (whitespace is a boundary).
    assert flat.tokenize(digits) == flat.tokenize(" " + digits) == [flat.Token(digits)]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["p", "span", "br", "div", "script", "style", "font", "h1", "o"]),
    st.sampled_from(["", " ", "12", "\n 3 ", "无"]),
    st.sampled_from(["", " ", "7", "\n"]),
    st.sampled_from(["", "4", " 5 "]),
)
def test_a_cell_of_one_element_reads_as_the_walk_reads_it(
    tag: str, before: str, inside: str, after: str
) -> None:
    cell = lxml.etree.Element("td")
    cell.text = before or None
    child = lxml.etree.SubElement(cell, tag)
    child.text = inside or None
    child.tail = after or None
    fast = cell_text(cell)
    lxml.etree.SubElement(cell, "span")  # an empty element sends it through the walk
    assert fast == cell_text(cell)


# 「bloc\u212aquote」: a tag that only lower() (the Kelvin sign) makes a block.
_CHAIN_TAGS = ["p", "span", "br", "div", "script", "style", "font", "h1", "o", "b", "td"]
_CHAIN_TAGS += ["bloc\u212aquote"]
_AROUND = ["", " ", "\n", "\xa0", "12", "无"]


@settings(max_examples=600, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(_CHAIN_TAGS), st.sampled_from(_AROUND), st.sampled_from(_AROUND)),
        max_size=4,
    ),
    st.sampled_from(["", " ", "12", "\n 3 ", "无", "一、本年新收", "a\xa0b"]),
    st.sampled_from([None, "span", "br", "p"]),
)
def test_a_cell_of_a_chain_of_elements_reads_as_the_walk_reads_it(
    chain: list[tuple[str, str, str]], inside: str, sibling: str | None
) -> None:
    cell = lxml.etree.Element("td")
    parent = cell
    for tag, head, tail in chain:
        parent.text = head or None
        parent = lxml.etree.SubElement(parent, tag)
        parent.tail = tail or None
    parent.text = inside or None
    if sibling is not None:  # a second child: the shortcut gives way to the walk
        lxml.etree.SubElement(cell, sibling).text = "5"
    assert clean_text(cell) == clean_cell(cell_text(cell))


@pytest.mark.parametrize("depth", [html.MAX_DEPTH - 1, html.MAX_DEPTH, html.MAX_DEPTH + 1])
@pytest.mark.parametrize("inside", ["12", "", "\n 3 "])
def test_a_chain_as_deep_as_the_walk_goes_reads_as_the_walk_reads_it(
    depth: int, inside: str
) -> None:
    # Where the shortcut stops following the chain (MAX_DEPTH), the walk reads the cell.
    cell = lxml.etree.Element("td")
    parent = cell
    for _ in range(depth):
        parent = lxml.etree.SubElement(parent, "span")
    parent.text = inside or None
    assert clean_text(cell) == clean_cell(cell_text(cell))


def plain_expand_spans(rows: list[list[SourceCell]]) -> Grid:
    """expand_spans as it was: every row laid out column by column."""
    pending: dict[int, list[object]] = {}  # column → [text, rows left, colspan]
    out: list[tuple[str, ...]] = []
    for source_row in rows[:2000]:
        line: list[str] = []
        col = index = 0
        while (index < len(source_row) or max(pending, default=-1) >= col) and col < 64:
            above = pending.get(col)
            if above is not None:
                text, _, span = above
                line.extend(covered(str(text), int(str(span)), vertical=True))
                above[1] = int(str(above[1])) - 1
                if int(str(above[1])) <= 0:
                    del pending[col]
                col += int(str(span))
                continue
            if index >= len(source_row):
                line.append("")
                col += 1
                continue
            cell = source_row[index]
            index += 1
            text = clean_cell(cell.text)
            line.append(text)
            colspan = max(1, min(cell.colspan, 64))
            if colspan > 1:
                line.extend(covered(text, colspan, vertical=False)[1:])
            if cell.rowspan > 1:
                pending[col] = [text, min(cell.rowspan, 64) - 1, colspan]
            col += colspan
        out.append(tuple(line[:64]))
    return Grid(tuple(out))


_SPAN = st.sampled_from([0, 1, 1, 1, 2, 3, 5, 70, 10**6])


@settings(max_examples=600, deadline=None)
@given(
    st.lists(
        st.lists(
            st.builds(
                SourceCell,
                st.sampled_from(["", "3", "1,234", "12元", "-", "（三）不予公开", " a\nb "]),
                _SPAN,
                _SPAN,
            ),
            max_size=8,
        ),
        max_size=10,
    )
)
def test_spans_expand_as_they_did_column_by_column(rows: list[list[SourceCell]]) -> None:
    assert expand_spans(rows) == plain_expand_spans(rows)


@settings(max_examples=400, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            [*"\x00\x08\t\n\x0b\x0c\r\x0e\x1f \x7f\x80中a<\ud800\udfff\U0001f600"]
        ),
        max_size=30,
    )
)
def test_control_characters_are_removed_as_by_the_pattern(text: str) -> None:
    clean = html._CONTROL.sub("", text)
    assert html._without_controls(text) == (clean, clean.encode("utf-8"))


def test_split_whitespace_is_the_pattern_whitespace() -> None:
    # compact() and detect_version() remove whitespace with str.split() instead of \s+.
    for code in range(0x110000):
        if 0xD800 <= code < 0xE000:
            continue
        char = chr(code)
        assert (re.fullmatch(r"\s", char) is not None) == char.isspace(), hex(code)
    text = "表 三\t四\u3000五\xa0六\n七\u2028八"
    assert "".join(text.split()) == re.sub(r"\s+", "", text)


title_texts = st.lists(
    st.sampled_from(
        [
            "2019",
            "2020",
            "1999",
            "年",
            "度",
            "的",
            "政府",
            "信息公开",
            "工作",
            "报告",
            "关于",
            "上海市",
            "办公厅",
            " ",
            "\n",
            "，",
            "：",
            "局",
        ]
    ),
    max_size=25,
).map("".join)


@settings(max_examples=600, deadline=None)
@given(title_texts)
def test_the_unit_first_title_is_only_looked_for_where_its_ending_is(text: str) -> None:
    # detect_meta runs _TITLE_UNIT_FIRST only where _TITLE_TAIL finds its ending.
    if meta._TITLE_UNIT_FIRST.search(text) is not None:
        assert meta._TITLE_TAIL.search(text) is not None


@settings(max_examples=600, deadline=None)
@given(
    st.one_of(
        texts,
        # combining marks, Hangul jamo (they compose), compatibility forms
        st.text(alphabet="e\u0301\u0308\u0327\u1100\u1161\u11a8\u3131\u314f가ＡＢ①ｶﾞ", max_size=20),
    )
)
def test_nfkc_is_unicodes_nfkc(text: str) -> None:
    assert labels.nfkc(text) == unicodedata.normalize("NFKC", text)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_nfkc_of_every_corpus_report(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert labels.nfkc(text) == unicodedata.normalize("NFKC", text)


def _plain_span(value: str) -> int:
    digits = "".join(ch for ch in value.strip()[:6] if ch in "0123456789")
    return int(digits) if digits else 1


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.integers(0, 10**8).map(str), st.text(alphabet="0123456789 x\n٣²", max_size=9)))
def test_a_plain_span_reads_as_its_digits(value: str) -> None:
    # html._span reads a span of ASCII digits (most) without picking its digits out.
    assert html._span(value) == _plain_span(value)


def test_no_numeric_prefix_starts_but_with_the_number_starts() -> None:
    # document.is_value tells a label by its first character, without numeric_prefix's
    # pattern: every character that starts a stripped text and is no number start gives
    # no prefix, whatever follows it.
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char.strip() and char not in flat.NUMBER_STARTS:
            assert flat.numeric_prefix(char + "12元")[0] == "", repr(char)


def _plain_is_value(text: str) -> bool:
    stripped = text.strip()
    if not stripped or (stripped.isdigit() and stripped.isascii()):
        return True
    prefix, rest = flat.numeric_prefix(stripped)
    return bool(prefix) and not rest.strip()


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789 .,+-/\\元万件无法信息一（）－—\u3000", max_size=8))
def test_a_value_is_told_as_by_the_pattern(text: str) -> None:
    assert is_value(text) == _plain_is_value(text)


HTML_PAGES = sorted((SHARED / "reports").glob("*.html")) + sorted(
    Path(__file__).resolve().parents[1].joinpath("fixtures").rglob("*.htm*")
)
_CHARSET_PAGES = [
    '<html><head><meta charset="gbk"></head><body><p>政府信息公开</p></body></html>',
    '<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><td>表三&nbsp;</td>',
    "<p>年度报告</p><meta charset='iso-8859-1'><p>二〇二一</p>",
]


_UTF8_PAGES = [
    "<p>政府信息公开工作年度报告</p>".encode(),
    # A byte order mark, then a character cut short: decode_text replaces it as Python does,
    # which is not what libxml2 would make of the bytes.
    b"\xef\xbb\xbf<p>\xe5\xb9A\xe5</p>",
    b'<meta charset="utf-8"><p>\xe5\xb9\xb4\xe5\xba\xa6</p>',
    b"<?xml version='1.0' encoding='utf-8'?><p>\xe5\xb9\xb4</p>",
    "<p>年度報告 政府資訊公開 申請</p>".encode(),  # traditional: its text is changed first
    "<p>年度\u200b报告</p>".encode(),
]


@pytest.mark.parametrize("page", [*HTML_PAGES, *_UTF8_PAGES], ids=str)
def test_a_page_in_utf8_reads_as_its_decoded_text(
    page: Path | bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    # parse_html hands lxml the page's own bytes when they are the text's UTF-8 form.
    data = page.read_bytes() if isinstance(page, Path) else page
    read: list[list[html.Block]] = []
    blocks_of = html.html_blocks

    def spy(text: str, *, utf8: bytes | None = None) -> list[html.Block]:
        read.append(blocks_of(text, utf8=utf8))
        return read[-1]

    monkeypatch.setattr(html, "html_blocks", spy)
    from_bytes = html.parse_html(data, source="x")
    from_text = html.parse_html(decode_text(data)[0], source="x")
    assert read[0] == read[1]
    assert from_bytes == from_text


def _tree_of_str(text: str) -> str | None:
    """The tree lxml builds from the text itself (what parse_tree did before)."""
    text = html._CONTROL.sub("", html._XML_DECLARATION.sub("", text, count=1))
    if not text.strip():
        return None
    parser = lxml.etree.HTMLParser(
        remove_comments=True, remove_pis=True, recover=True, huge_tree=True
    )
    try:
        root = lxml.etree.fromstring(text, parser=parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError):
        return None
    return None if root is None else lxml.etree.tostring(root, encoding=str)


def _tree(text: str) -> str | None:
    root = html.parse_tree(text)
    return None if root is None else lxml.etree.tostring(root, encoding=str)


@pytest.mark.parametrize("page", [*HTML_PAGES, *_CHARSET_PAGES], ids=str)
def test_the_page_is_parsed_from_utf8_as_from_the_text(page: Path | str) -> None:
    # parse_tree hands lxml the UTF-8 form, said to be UTF-8: the same tree as from the str,
    # whatever charset the page declares.
    text = page if isinstance(page, str) else decode_text(page.read_bytes())[0]
    assert _tree(text) == _tree_of_str(text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *_CHARSET_PAGES,
                "<table><tr><td>",
                "</td><td rowspan=2>",
                "</tr></table>",
                "<p>",
                "<br>",
                "<!-- x -->",
                "<?xml version='1.0' encoding='gbk'?>",
                "政府信息公开",
                "１２３",
                "\x00\x0b",
                "\ud800",
                "&nbsp;&#20013;",
                "\U0001f600",
            ]
        ),
        max_size=12,
    ).map("".join)
)
def test_any_page_is_parsed_from_utf8_as_from_the_text(text: str) -> None:
    assert _tree(text) == _tree_of_str(text)
