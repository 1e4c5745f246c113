"""HTML pages → :class:`ParseResult`: the form most reports are published in.

Government sites publish the report as a page: UTF-8 or GBK/GB18030 (declared or not), tables
built with ``rowspan``/``colspan``, the report often wrapped in layout tables, blank cells
written ``&nbsp;``, ``<br>`` inside cells, and sometimes the page is cut off. lxml (already
installed for python-docx) parses the page as a browser would, recovering from broken markup,
in a fraction of the time of the standard library's parser; its elements are untyped, so they
are ``Any`` here and never leave this module. The tree is read into paragraphs and grids for
:func:`gongkai.core.parse.document.assemble`:

- a *data table* is a table with no table inside it and more than one column; its cells are
  expanded into the full grid (:func:`document.expand_spans`);
- a *layout table* (one that holds other tables, or has a single column) is read like a
  ``<div>``: its cells are paragraphs and the tables inside it are read in turn;
- ``<script>``, ``<style>`` and comments are not text; a cut-off page ends where it ends.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import replace
from typing import Any

import lxml.etree  # type: ignore[import-untyped]

from gongkai.core.inputs import decode_text
from gongkai.core.parse.document import (
    MAX_GRID_ROWS,
    Block,
    Grid,
    Paragraph,
    assemble,
    clean_cell,
    expand_clean,
)
from gongkai.core.parse.labels import TRADITIONAL_NOTE, simplified
from gongkai.core.parse.result import ParseResult, failure, with_pictures_note

WHAT = "网页"
# Pages larger than this are not reports (the largest real one is well under 1 MB of HTML).
MAX_HTML_CHARS = 8_000_000
MAX_DEPTH = 200
# libxml2's own limit with XML_PARSE_HUGE: deeper elements are dropped, so such a page is
# refused with that reason rather than read with its tables missing.
MAX_PARSER_DEPTH = 2048

# Not read: what is not text of the page, and text struck out (a tracked deletion Word saved as
# 「<del>9</del>12」, an editor's strike-through): read, the figure it replaces would read 912.
_SKIP = frozenset(
    {"script", "style", "noscript", "template", "iframe", "object", "svg", "select"}
    | {"del", "s", "strike"}
)
_BLOCK = frozenset(
    {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
        "blockquote", "pre", "center", "header", "footer", "dd", "dt", "dl", "form", "body",
        "html", "table", "tr", "td", "th", "caption", "tbody", "thead", "tfoot", "title", "main",
        "nav", "aside", "figure", "figcaption", "address", "hr", "br",
    }
)  # fmt: skip
_CELLS = frozenset({"td", "th"})
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\u200b-\u200d\u2060\ufeff]")
_CONTROL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
# Characters of zero width that pages pasted from chat apps and editors hold inside words and
# numbers (「\u200b12」 shows as 12).
_ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
_ROW_GROUPS = frozenset({"tbody", "thead", "tfoot"})
_DISPLAY_NONE = re.compile(r"(?:^|[;\s])display\s*:\s*none\b", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"mso-cell-special\s*:\s*placeholder", re.IGNORECASE)
_INVISIBLE = re.compile(r"(?:^|[;\s])visibility\s*:\s*(hidden|collapse)\b", re.IGNORECASE)
# What a page must hold somewhere for any element of it to be hidden (see _hidden).
_MAY_HIDE = ("isplay", "ISPLAY", "idden", "IDDEN", "cell-special", "isibility", "ISIBILITY")
_IN_DATA_TABLES = lxml.etree.XPath("//table[not(.//table)]//*[@style or @hidden]")


def _tag(element: Any) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def parse_tree(text: str, *, utf8: bytes | None = None) -> Any:
    """The page's element tree (lxml, recovering); None when there is nothing to parse.

    lxml refuses text that declares an encoding (``<?xml … encoding=…?>``) or holds control
    characters; both are removed first, since the text is already decoded. lxml is handed
    the text's UTF-8 form, said to be UTF-8 (a ``<meta charset>`` of the page does not
    count: the text is decoded already): a ``str`` would be handed to libxml2 as UTF-16 and
    converted there, which costs more than the UTF-8 form the control test makes anyway.
    ``utf8`` is the text's UTF-8 form when the caller has it (the page as published, decoded
    as UTF-8): a page whose text is taken whole is not encoded again.
    """
    if utf8 is not None and len(text) <= MAX_HTML_CHARS and not _XML_DECLARATION.match(text):
        text, data = _without_controls(text, utf8)
    else:
        text, data = _without_controls(_XML_DECLARATION.sub("", text[:MAX_HTML_CHARS], count=1))
    if not text.strip():
        return None
    source: str | bytes = data
    encoding: str | None = "utf-8"
    if text.startswith("<?xml"):
        # A second declaration (a hostile page): lxml judges the text, as it always has (it
        # refuses a text that starts by declaring an encoding).
        source, encoding = text, None
    # huge_tree: libxml2 otherwise silently drops everything nested deeper than 256.
    parser = lxml.etree.HTMLParser(
        remove_comments=True, remove_pis=True, recover=True, huge_tree=True, encoding=encoding
    )
    try:
        root = lxml.etree.fromstring(source, parser=parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError):
        return None
    if any("Excessive depth" in str(entry.message) for entry in parser.error_log):
        raise _TooDeepError
    return root


def _without_controls(text: str, utf8: bytes | None = None) -> tuple[str, bytes]:
    """``text`` without the characters of :data:`_CONTROL` (control characters, and those of
    zero width, which would make 「\u200b12」 no number), and its UTF-8 form (``utf8``, when
    the caller has it).

    Almost no page has any, and proving that on the UTF-8 form (no byte of a multi-byte
    character is below 0x80) takes a fraction of the time of the pattern's scan over the
    text: one ``memchr`` per control byte, in C, is about ten times as fast again as deleting
    them with ``bytes.translate`` and comparing lengths. A lone surrogate cannot be encoded:
    the pattern then (it removes every surrogate).
    """
    try:
        raw = text.encode("utf-8") if utf8 is None else utf8
    except UnicodeEncodeError:
        raw = b"\x00"  # (any control byte: the pattern below)
    for control in _CONTROL_BYTES:
        if control in raw:
            text = _CONTROL.sub("", text)
            return text, text.encode("utf-8")
    for mark in _ZERO_WIDTH:
        if mark in text:  # (faster on the text than its UTF-8 form: no single byte to find)
            text = _CONTROL.sub("", text)
            return text, text.encode("utf-8")
    return text, raw


class _TooDeepError(Exception):
    """The page nests its elements deeper than the parser reads."""


# What the walk does with an element, by tag (see _kind). The walk reads a line break
# (_BREAK) as a block; clean_text needs to tell it apart.
_SKIPPED, _TABLE, _BLOCK_KIND, _INLINE, _BREAK = range(5)
_KINDS: dict[str, int] = {}
_MAX_KINDS = 4096  # distinct tags remembered (a hostile page may invent any number)


def _kind(tag: str) -> int:
    """_SKIPPED, _TABLE, _BREAK, _BLOCK_KIND or _INLINE for a tag, as :func:`_tag`
    classifies it."""
    kind = _KINDS.get(tag)
    if kind is None:
        low = tag.lower()
        if not low or low in _SKIP:
            kind = _SKIPPED
        elif low == "table":
            kind = _TABLE
        elif low == "br":
            kind = _BREAK
        elif low in _BLOCK:
            kind = _BLOCK_KIND
        else:
            kind = _INLINE
        if len(_KINDS) < _MAX_KINDS:
            _KINDS[tag] = kind
    return kind


class _Reader:
    """Walks the tree in document order, collecting paragraphs and grids."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.line: list[str] = []  # cleared in place: walk() holds on to it

    def flush(self) -> None:
        line = self.line
        if line:
            text = " ".join("".join(line).split())
            if text:
                self.blocks.append(Paragraph(text))
            line.clear()

    def walk(self, element: Any, depth: int = 0) -> None:
        line = self.line
        text = element.text
        if text:
            line.append(text)
        for child in element:
            tag = child.tag
            kind = _kind(tag) if isinstance(tag, str) else _SKIPPED
            if kind == _SKIPPED:
                pass
            elif kind == _TABLE and (rows := _data_rows(child)) is not None:
                self.flush()
                for caption in child.iterchildren("caption"):
                    self.blocks.append(Paragraph(" ".join("".join(caption.itertext()).split())))
                self.blocks.append(read_grid(child, rows))
            elif depth >= MAX_DEPTH:
                self.walk_flat(child)
            elif kind == _INLINE:
                self.walk(child, depth + 1)
            else:
                self.flush()
                self.walk(child, depth + 1)
                self.flush()
            tail = child.tail
            if tail:
                line.append(tail)

    def walk_flat(self, element: Any) -> None:
        """Beyond :data:`MAX_DEPTH`, without recursion: the text, and still every table."""
        stack: list[tuple[Any, bool]] = [(element, False)]
        while stack:
            current, closing = stack.pop()
            if closing:
                if current.tail and current is not element:
                    self.line.append(current.tail)
                continue
            tag = _tag(current)
            stack.append((current, True))
            if tag in _SKIP or not tag:
                continue
            if tag == "table" and (rows := _data_rows(current)) is not None:
                self.flush()
                self.blocks.append(read_grid(current, rows))
                continue
            if current.text:
                self.line.append(current.text)
            stack.extend((child, False) for child in reversed(current))


def _drop_hidden(root: Any) -> None:
    """Take out of each data table what a browser leaves out of it (:func:`_hidden`).

    A hidden copy of a row with other numbers was read as a row (misread); a hidden cell, or
    Word's placeholder one, shifted the cells after it; Word's hidden text inside a cell
    (「12<span style="display:none;mso-hide:all">34</span>」) made 12 read 1234. Only tables
    with no table inside are looked into: a page whose report sits in a hidden tab of a
    layout table (shown by a script) keeps it. Called only when the page's text holds a
    word that can hide something (:data:`_MAY_HIDE`): most pages hold none.
    """
    for element in _IN_DATA_TABLES(root):
        if _hidden(element):
            parent = element.getparent()
            if parent is None:
                continue
            tail = element.tail
            if tail:
                previous = element.getprevious()
                if previous is not None:
                    previous.tail = (previous.tail or "") + tail
                else:
                    parent.text = (parent.text or "") + tail
            parent.remove(element)
        elif _visibility(element) is not None:
            _blank(element)


def _hidden(element: Any) -> bool:
    """A row, cell or element in a cell that is not part of the table as read.

    - one the page does not show (``style="display:none"``, ``hidden``): a browser leaves it
      out of the table's layout, so reading it would shift the cells after it (a CMS's hidden
      copy of a row, or a hidden cell that holds an id);
    - a cell Word adds where a row starts or ends off the table's grid when it saves a page
      (``mso-cell-special:placeholder``, no width, no text): read, it would shift the row's
      cells by one column, or give the row one more cell than its table has;
    - a row with ``visibility:collapse``, which a browser takes out of the table as it does
      one not displayed.

    Anything else with ``visibility`` hidden keeps its place and shows nothing
    (:func:`_visibility`, :func:`_blank`).
    """
    style = element.get("style")
    if style is not None:
        if ("isplay" in style or "ISPLAY" in style) and _DISPLAY_NONE.search(style):
            return True
        if "cell-special" in style and _PLACEHOLDER.search(style):
            return True
        if _visibility(element) == "collapse" and _tag(element) == "tr":
            return True
    return element.get("hidden") is not None


def _visibility(element: Any) -> str | None:
    """``hidden`` or ``collapse`` when the element's style makes it invisible, else None.

    An invisible cell keeps its place in the row: left out, it would shift the cells after
    it; read, it would give a figure the page does not show. It is read as a blank cell.
    """
    style = element.get("style")
    if style is None or ("isibility" not in style and "ISIBILITY" not in style):
        return None
    match = _INVISIBLE.search(style)
    return None if match is None else match.group(1).lower()


def _blank(element: Any) -> None:
    """Take the text out of an element and everything in it, keeping what follows it (a
    part inside made visible again, ``visibility:visible``, stays blank: no page seen does
    that)."""
    for inner in element.iter():
        inner.text = None
        if inner is not element:
            inner.tail = None


def _rows(table: Any) -> list[Any]:
    """The table's own rows (not those of a table inside one of its cells), as a browser lays
    them out: a ``<tfoot>`` at the bottom wherever its markup stands."""
    rows: list[Any] = []
    footer: list[Any] = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            rows.append(child)
        elif tag in _ROW_GROUPS:
            (footer if tag == "tfoot" else rows).extend(c for c in child if _tag(c) == "tr")
    rows.extend(footer)
    return rows


def _cells(row: Any) -> list[Any]:
    return [c for c in row if _tag(c) in _CELLS]


def _data_rows(table: Any) -> list[Any] | None:
    """The rows of a table that holds data (no table inside it, and some row with several
    cells); None for any other table."""
    if next(table.iterdescendants("table"), None) is not None:
        return None
    rows = _rows(table)
    return rows if any(len(_cells(row)) > 1 for row in rows) else None


def cell_text(element: Any) -> str:
    """A cell's text; ``<br>`` and block elements inside it become line breaks.

    A ``<sup>`` after the cell's text is a footnote mark (「12<sup>注</sup>」「其他<sup>①</sup>」),
    no part of the figure or label: it is left out, so that the number is read as printed
    and not as 「12注」 (unread) or, for 「12<sup>1</sup>」, 121 (misread).
    """
    size = len(element)
    if size == 0:
        return str(element.text or "")
    child = element[0] if size == 1 else None
    if child is not None and len(child) == 0:
        # One element without children (「<td><p>12</p></td>」, most cells of a page saved
        # from Word): what visit() below makes of it, without the walk.
        tag = _tag(child)
        inner = str(child.text or "")
        if tag == "br":
            inner = "\n"
        elif not tag or tag in _SKIP or (tag == "sup" and _has_text(element.text)):
            inner = ""
        elif tag in _BLOCK:
            inner = "\n" + inner + "\n"
        return str(element.text or "") + inner + str(child.tail or "")
    parts: list[str] = []

    def visit(current: Any) -> None:
        if current.text:
            parts.append(current.text)
        for child in current:
            tag = _tag(child)
            if tag == "br":
                parts.append("\n")
            elif tag == "sup" and any(map(_has_text, parts)):
                pass  # a footnote mark
            elif tag and tag not in _SKIP:
                block = tag in _BLOCK
                if block:
                    parts.append("\n")
                visit(child)
                if block:
                    parts.append("\n")
            if child.tail:
                parts.append(child.tail)

    visit(element)
    return "".join(parts)


def _has_text(text: str | None) -> bool:
    return bool(text and not text.isspace())


def clean_text(cell: Any) -> str:
    """``clean_cell(cell_text(cell))``, read straight from the element for the usual cells.

    Most cells hold their text in one chain of single elements (「<td><p><span>12</span></p>
    </td>」, a page saved from Word) with nothing but spaces around it: wherever the line breaks
    of :func:`cell_text` fall, the cleaned text is the innermost element's, so the chain is
    followed down without building the raw text. Anything else goes through :func:`cell_text`
    (so does a chain deeper than :data:`MAX_DEPTH`, which the walk there refuses as before).
    """
    element = cell
    depth = 0
    while (size := len(element)) == 1 and depth < MAX_DEPTH:
        head = element.text
        if head is not None and not head.isspace():
            break
        child = element[0]
        tail = child.tail
        if tail is not None and not tail.isspace():
            break
        kind = _KINDS.get(child.tag)  # _kind's cache, without the call (most cells pass here)
        if kind is None:
            tag = child.tag
            kind = _kind(tag) if isinstance(tag, str) else _SKIPPED
        if kind in (_SKIPPED, _BREAK):
            return ""  # nothing but a line break, or what is not text, between spaces
        element = child
        depth += 1
    if size == 0 and depth < MAX_DEPTH:
        text: str | None = element.text
        if not text:
            return ""
        # clean_cell's answers for the usual texts, without the call: digits or a label of
        # letters (no space, no digit to read first) as they are, and a blank cell written
        # 「&nbsp;」 (most cells of a page saved from Word) empty.
        if text.isalnum():
            if text.isascii() or not text[0].isdigit():
                return text
        elif text.isspace():
            return ""
        return clean_cell(text)
    return clean_cell(cell_text(cell))


def _span(value: str | None) -> int:
    if value is None or value == "1":
        return 1
    if value.isdigit() and value.isascii() and len(value) <= 6:
        return int(value)  # a plain number (most spans): what the digits below make of it
    # ASCII digits only, as browsers read a span: 「²」 and 「٣」 are digits to str.isdigit
    # (int() refuses the first), not to HTML.
    digits = "".join(ch for ch in value.strip()[:6] if "0" <= ch <= "9")
    return int(digits) if digits else 1


def _group_ends(rows: list[Any]) -> list[int]:
    """For each row, the index after the last row of its row group.

    A browser ends a cell merged down at the end of its row group (``<thead>``, ``<tbody>``,
    ``<tfoot>``, or a run of rows straight in the table), and ``rowspan="0"`` reaches exactly
    there. Rows of one group follow each other in :func:`_rows` and share their parent.
    """
    ends = [len(rows)] * len(rows)
    for index in range(len(rows) - 2, -1, -1):
        if rows[index].getparent() is rows[index + 1].getparent():
            ends[index] = ends[index + 1]
        else:
            ends[index] = index + 1
    return ends


def read_grid(table: Any, table_rows: list[Any] | None = None) -> Grid:
    """The data table's full grid: each cell read once, cleaned, and laid out by its spans.

    ``table_rows`` are its rows when the caller has them (:func:`_data_rows`). A cell merged
    down reaches no further than its row group, and ``rowspan="0"`` to its end, as a browser
    lays them out (a ``0`` read as 1 left the rows below one cell short)."""
    table_rows = (_rows(table) if table_rows is None else table_rows)[:MAX_GRID_ROWS]
    ends: list[int] | None = None  # _group_ends, once a cell is merged down
    rows: list[list[tuple[str, int, int]]] = []
    for index, row in enumerate(table_rows):
        cells: list[tuple[str, int, int]] = []
        for cell in row.iterchildren("td", "th"):  # lxml's HTML parser gives lower-case tags
            rowspan = cell.get("rowspan")
            colspan = cell.get("colspan")
            down = 1 if rowspan is None else _span(rowspan)
            if down != 1:
                if ends is None:
                    ends = _group_ends(table_rows)
                left = ends[index] - index
                down = left if down == 0 else min(down, left)
            cells.append((clean_text(cell), down, 1 if colspan is None else _span(colspan)))
        rows.append(cells)
    return expand_clean(rows)


def html_blocks(text: str, *, utf8: bytes | None = None) -> list[Block]:
    """The page's paragraphs and data tables, in reading order (``utf8``: see
    :func:`parse_tree`)."""
    root = parse_tree(text, utf8=utf8)
    if root is None:
        return []
    if any(word in text for word in _MAY_HIDE):
        _drop_hidden(root)
    reader = _Reader()
    reader.walk(root)
    reader.flush()
    return reader.blocks


def parse_html(data_or_text: bytes | str, *, source: str = "") -> ParseResult:
    """Parse one report published as an HTML page (bytes in any encoding, or text)."""
    utf8: bytes | None = None
    if isinstance(data_or_text, bytes):
        text, encoding = decode_text(data_or_text)
        if encoding == "utf-8" and not data_or_text.startswith(codecs.BOM_UTF8):
            # Decoded as strict UTF-8 (after a byte order mark, decode_text replaces what
            # does not decode): the text encodes back to these very bytes.
            utf8 = data_or_text
    else:
        text = data_or_text
    text, traditional = simplified(text)
    try:
        blocks = html_blocks(text, utf8=None if traditional else utf8)
    except _TooDeepError:
        return failure(
            source, f"网页的标签嵌套超过 {MAX_PARSER_DEPTH} 层，无法可靠读取其中的表格，已拒绝"
        )
    result = assemble(blocks, source=source, what=WHAT)
    if traditional and result.report is not None:
        result = replace(result, problems=(*result.problems, TRADITIONAL_NOTE))
    if result.report is None or any(p.code == "missing_table" for p in result.problems):
        return _with_pictures_named(result, text)
    return result


# Pictures of a page's frame, told by their file names: logos, icons, badges (党政机关标识,
# 政府网站找错, 公安备案), QR codes (二维码), share and print buttons, lines and spacers.
_FRAME_PICTURE = re.compile(
    r"logo|icon|ico\b|qr|ewm|erweima|code|share|weixin|weibo|wx|dzjg|jiucuo|zhaocuo|gongan"
    r"|beian|banner|btn|button|arrow|bg|spacer|blank|line|dot|print|close|top|nav|foot|head",
    re.IGNORECASE,
)
_FRAME = frozenset({"header", "nav", "footer"})
# A picture drawn smaller than this (px, either side) is no table.
_MIN_PICTURE_SIDE = 100
_PICTURES_NAMED = 3


def pictures(text: str) -> list[str]:
    """The file names of the pictures a page shows in its text, leaving out its frame's
    (:data:`_FRAME_PICTURE`, those inside ``<header>``, ``<nav>`` or ``<footer>``) and those
    drawn too small to be a table: where a table the page lacks is most likely printed."""
    root = parse_tree(text)
    if root is None:
        return []
    found = []
    for image in root.iter("img"):
        source = (image.get("src") or image.get("data-src") or "").strip()
        name = "内嵌图片" if source.startswith("data:") else source.split("?")[0].rsplit("/", 1)[-1]
        if not name or _FRAME_PICTURE.search(name):
            continue
        sides = [image.get("width") or "", image.get("height") or ""]
        if any(side.isdigit() and int(side) < _MIN_PICTURE_SIDE for side in sides):
            continue
        if any(_tag(parent) in _FRAME for parent in image.iterancestors()):
            continue
        found.append(name)
    return found


def _with_pictures_named(result: ParseResult, text: str) -> ParseResult:
    """A table missing, or no report read, from a page that shows pictures: say so, since
    offices publish a table as a picture of it (which has no text to read)."""
    try:
        found = pictures(text)
    except _TooDeepError:
        return result
    if not found:
        return result
    names = list(dict.fromkeys(found))
    named = "、".join(names[:_PICTURES_NAMED]) + ("等" if len(names) > _PICTURES_NAMED else "")
    note = (
        f"网页正文中有 {len(found)} 张图片（{named}）：未读出的表格可能是以图片形式发布的，"
        "无法读取其中的数字"
    )
    return with_pictures_note(result, note)
