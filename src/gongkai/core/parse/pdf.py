"""PDF reports → :class:`ParseResult`, with pdfplumber (and PDFium for speed).

A born-digital PDF has a text layer and its tables are drawn with ruling lines. A page that
draws nothing (no lines, no boxes) cannot hold a ruled table, and most pages of a report are
such pages of prose: their text is read with PDFium (pypdfium2, which pdfplumber itself
depends on), ten times faster than pdfminer. A page that draws is read with pdfplumber, top
to bottom (its characters and lines read by PDFium too, :mod:`.pdf_objects`, rather than by
pdfminer, which would take a tenth of a second a page): the tables it finds from the ruling
lines become grids (cells covered by a merged cell come back as ``None`` and are filled by
the shared rule, :func:`gongkai.core.parse.document.fill_merged`; a cell whose text wraps
onto several lines is one cell), and the text outside the tables becomes paragraphs, its
wrapped lines joined again.
A table that continues on the next page simply continues: the grids are read one after the
other, so its rows keep their order; a row the page break cut in two is joined again
(:func:`gongkai.core.parse.document.join_broken_rows`), a table left open at the page foot is
closed (:func:`_open_ends`), and two tables printed side by side that both end in a line of
figures (table 四 as 行政复议 | 行政诉讼) are one (:func:`side_by_side`).

What cannot be read is said plainly: a PDF whose pages have no text at all is a scan ("没有文字
层"), an encrypted one needs a password, a broken one is broken. Page count and grid size are
capped so that a hostile file cannot make the batch hang.
"""

from __future__ import annotations

import bisect
import io
import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import pdfplumber
import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from gongkai.core.findings import Severity
from gongkai.core.formats import T3, ReportFormat
from gongkai.core.parse import grid
from gongkai.core.parse.document import (
    Block,
    Grid,
    Paragraph,
    assemble,
    fill_merged,
    is_value,
    summarise_missing,
)
from gongkai.core.parse.labels import compact, normalise
from gongkai.core.parse.pdf_objects import extract_table, plumber_page, upright_textpage
from gongkai.core.parse.result import (
    ParseProblem,
    ParseResult,
    failure,
    finish,
    with_pictures_note,
)

WHAT = "PDF"
MAX_PAGES = 300
# What the compressed streams of one PDF may inflate to: a real report's page content is a
# few hundred kilobytes, its images a few megabytes. A 1 MB file whose page inflates to 1 GB
# (a bomb) is refused before PDFium or pdfminer inflate it in memory.
MAX_STREAM_BYTES = 64 * 1024 * 1024
MAX_INFLATED_BYTES = 256 * 1024 * 1024
_STREAM = re.compile(rb"stream\r?\n")
# A stream that inflates past this at more than MAX_RATIO times its compressed size is a
# bomb, whatever its final size (text compresses ~5×, images ~2–10×, a bomb ~1000×).
SUSPECT_BYTES = 8 * 1024 * 1024
MAX_RATIO = 200
_CHUNK = 1 << 16
_OUT_CHUNK = 1 << 20
SCANNED = "PDF 没有文字层（可能是扫描件），无法读取"
# A line that is only a page number (「- 3 -」, 「— 3 —」, 「第 3 页」, 「3/10」).
_PAGE_NUMBER = re.compile(
    r"^[\s\-—–]*(?:第\s*)?\d+\s*(?:页|/\s*\d+)?(?:\s*共\s*\d+\s*页)?[\s\-—–]*$"
)
_CJK_END = re.compile(r"[\u3000-\u9fff\uff00-\uffef]$")
_CJK_START = re.compile(r"^[\u3000-\u9fff\uff00-\uffef]")
# Sentence ends after which a wrapped line does not continue the paragraph.
_PARAGRAPH_END = ("。", "：", ":", "；", "！", "？")


def parse_pdf(data: bytes, *, source: str = "") -> ParseResult:
    """Parse one report saved as a PDF (see the module docstring)."""
    bomb = inflation_problem(data)
    if bomb:
        return failure(source, bomb)
    try:
        document = pdfium.PdfDocument(data)
    except Exception as exc:  # PdfiumError, and anything a hostile file provokes
        return failure(source, _open_problem(exc))
    plumber: Any = None
    try:
        if len(document) > MAX_PAGES:
            return failure(source, f"PDF 有 {len(document)} 页，超过年度报告的上限 {MAX_PAGES} 页")
        blocks: list[Block] = []
        has_text = False
        for index in range(len(document)):
            page = document[index]
            page_blocks: list[Block]
            if _has_drawings(page):
                if plumber is None:
                    plumber = pdfplumber.open(io.BytesIO(data))
                page_blocks, continues = page_to_blocks(plumber_page(plumber, page, index))
            else:
                page_blocks, continues = text_page_blocks(page)
            has_text = has_text or bool(page_blocks)
            join_pages(blocks, page_blocks, continues)
    except Exception as exc:  # a page can be broken even when the file opened
        return failure(source, _open_problem(exc))
    finally:
        if plumber is not None:
            _close(plumber)
        document.close()
    if not has_text:
        return failure(source, SCANNED)
    result = assemble(blocks, source=source, what=WHAT, paged=True)
    undecoded = undecoded_glyphs(blocks)
    if undecoded and result.report is None:
        return failure(source, UNDECODED.format(count=undecoded))
    if undecoded:
        note = UNDECODED_NOTE.format(count=undecoded)
        problem = ParseProblem("undecoded_text", note, Severity.WARNING)
        problems = tuple(_maybe_undecoded(p) for p in result.problems)
        result = replace(result, problems=(*problems, problem))
    if rows_unread(result):
        result = _with_line_tables(result, data)
    if result.report is None or much_unread(result.problems, result.report.format):
        return _with_pictures_named(result, data)
    return result


# What a text layer gives for a character whose font has no map from glyphs to characters
# (no ToUnicode: the PDF shows the text, copying it gives 乱码): pdfminer writes 「(cid:123)」;
# PDFium gives the glyph's number as a character, which for a CJK font's digits, spaces and
# punctuation falls among the control characters, and for others often in the private use area.
_CID = re.compile(r"\(cid:\d+\)")
_UNDECODED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ue000-\uf8ff\ufffd]")
# A text layer this share undecoded, and at least this many characters, is named as such:
# a bullet or two from a symbol font (private use area) is not.
UNDECODED_SHARE = 0.02
UNDECODED_MIN = 20


UNDECODED = (
    "PDF 的文字层无法解码：所用字体缺少字符编码映射，复制出来是乱码（{count} 处是字形编号，"
    "不是文字），无法读取；请提供 Word 原件或可以复制文字的 PDF"
)
UNDECODED_NOTE = (
    "PDF 的文字层有 {count} 处字形编号无法解码为文字（所用字体缺少字符编码映射，复制出来是"
    "乱码），这些字符所在的文字和数字未能读出"
)


def join_pages(blocks: list[Block], page_blocks: list[Block], continues: bool) -> None:
    """Append one page's blocks (:func:`page_to_blocks`) to those of the pages before it."""
    if continues and blocks and isinstance(blocks[-1], Paragraph):
        # The paragraph the previous page ended with goes on at the top of this one.
        first = page_blocks.pop(0)
        assert isinstance(first, Paragraph)
        blocks[-1] = Paragraph(_join(blocks[-1].text, first.text))
    blocks.extend(page_blocks)


def _maybe_undecoded(problem: ParseProblem) -> ParseProblem:
    """A table not found in a PDF whose text is partly glyph numbers may be printed in them:
    not found is then no error of the report, only a table not read."""
    if problem.code != "missing_table" or problem.severity is not Severity.ERROR:
        return problem
    message = f"{problem.message}（该表可能在无法解码的文字中）"
    return replace(problem, message=message, severity=Severity.WARNING)


def undecoded_glyphs(blocks: Sequence[Block]) -> int:
    """How many characters of the text layer are glyph numbers, not characters (0 when too
    few to name: :data:`UNDECODED_SHARE`, :data:`UNDECODED_MIN`).

    Such a PDF is read as it is: its words are not the words printed, so its headings and
    tables are not found, and the reader was told the file is no annual report at all
    (「既没有「政府信息公开」也没有「年度报告」字样」), which the page plainly is. Only the
    glyph numbers that fall outside ordinary text are counted; the rest of such a layer is
    wrong characters that look like any others.
    """
    undecoded = total = 0
    for block in blocks:
        texts = (
            (block.text,) if isinstance(block, Paragraph) else (c for r in block.rows for c in r)
        )
        for text in texts:
            if "(cid:" in text:
                text = _CID.sub("\ufffd", text)
            undecoded += len(_UNDECODED.findall(text))
            total += len(text) - text.count(" ")
    if undecoded < UNDECODED_MIN or undecoded < total * UNDECODED_SHARE:
        return 0
    return undecoded


def much_unread(problems: Sequence[ParseProblem], fmt: ReportFormat) -> bool:
    """A table missing, or half of table 三's rows not read."""
    if any(p.code == "missing_table" for p in problems):
        return True
    return _rows_unread(problems, fmt) * 2 >= len(fmt.table(T3).cell_rows)


# A picture this share of the page or more may be a table pasted as an image (or a scan).
PICTURE_SHARE = 0.125


def picture_pages(data: bytes) -> list[int]:
    """The pages (from 1) that hold a large picture: a scanned page, or a table pasted into
    the document as an image, which has no text to read."""
    found = []
    document = pdfium.PdfDocument(data)
    try:
        for index in range(min(len(document), MAX_PAGES)):
            page = document[index]
            area = page.get_width() * page.get_height()
            for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
                left, bottom, right, top = image.get_bounds()
                if (right - left) * (top - bottom) >= area * PICTURE_SHARE:
                    found.append(index + 1)
                    break
    finally:
        document.close()
    return found


def _with_pictures_named(result: ParseResult, data: bytes) -> ParseResult:
    """Tables not read, or no report at all, from a PDF with large pictures: say which pages
    hold them, since what is missing is most likely in them (a picture has no text)."""
    try:
        pages = picture_pages(data)
    except Exception:  # the text was read; naming the pictures is only a courtesy
        return result
    return with_picture_pages(result, pages, what="PDF ")


def with_picture_pages(result: ParseResult, pages: Sequence[int], *, what: str) -> ParseResult:
    """The note of :func:`_with_pictures_named` for ``pages`` of a document (``what``: 「PDF 」,
    「OFD 文件」), none without a page."""
    if not pages:
        return result
    listed = "、".join(str(page) for page in pages[:10]) + ("等" if len(pages) > 10 else "")
    return with_pictures_note(
        result,
        f"{what}第 {listed} 页有大幅图片，没有文字层：未读出的表格可能是以图片形式插入的，无法读取",
    )


# What finish() adds itself, and so must not be carried over when it is called again.
_FINISH_CODES = frozenset(
    {
        "missing_unit",
        "unit_from_name",
        "unit_from_publisher",
        "year_from_name",
        "year_inferred",
        "format_year_mismatch",
        "year_conflict",
    }
)
# (A row of which only the total was read counts: the lines of words may place its members.)
_UNREAD = frozenset(
    {
        "missing_row",
        "unreadable_row",
        "ambiguous_row",
        "too_many_cells",
        "search_capped",
        "total_only",
    }
)


def _rows_unread(problems: Sequence[ParseProblem], fmt: ReportFormat) -> int:
    """How many rows of table 三 were not read (a missing table counts every row)."""
    table = fmt.table(T3)
    if any(p.code == "missing_table" and p.table == T3 for p in problems):
        return len(table.cell_rows)
    return len({p.row for p in problems if p.table == T3 and p.code in _UNREAD})


def _with_line_tables(result: ParseResult, data: bytes) -> ParseResult:
    """:func:`with_line_tables` of a PDF: the lines of words of its pages that hold a table."""

    def rows() -> list[list[str]]:
        pages = _table_pages(data)
        document = pdfium.PdfDocument(data)
        try:
            with pdfplumber.open(io.BytesIO(data)) as plumber:
                return [
                    row
                    for index in pages
                    for row in line_rows(plumber_page(plumber, document[index], index))
                ]
        finally:
            document.close()

    return with_line_tables(result, rows)


def with_line_tables(result: ParseResult, rows: Callable[[], list[list[str]]]) -> ParseResult:
    """Table 三 not read from ruling lines nor from the text: read it from the lines of words.

    A page whose tables are not ruled prints each row as a line of words at its place on the
    page: a label wrapped over two lines has its cells on a line of their own, between the
    halves or before it, and a label merged down the rows stands one character per line. The
    lines, as rows of words (``rows``: :func:`line_rows` of the pages that hold a table), are
    what :func:`grid.read_tables` puts back together; the result is kept only if it reads more
    of table 三 than the text did.
    """
    report = result.report
    assert report is not None
    fmt = report.format
    try:
        lines = rows()
    except Exception:  # the text was read; a page that breaks here only loses this retry
        return result
    read = grid.read_tables(lines, fmt)
    if _rows_unread(read.problems, fmt) >= _rows_unread(result.problems, fmt):
        return result
    kept = [p for p in result.problems if p.table is None and p.code not in _FINISH_CODES]
    problems = [*kept, *summarise_missing(read.problems, fmt)]
    return finish(
        result.meta, fmt, read.tables, result.narrative, problems, result.source, result.headings
    )


def rows_unread(result: ParseResult) -> bool:
    """Whether any row of table 三 of a read report was not read (a reason to try
    :func:`with_line_tables`)."""
    return result.report is not None and bool(_rows_unread(result.problems, result.report.format))


# Words only the statutory tables print: the pages to read word by word (and the next one,
# where a table goes on), so that a long report is not read twice.
_TABLE_WORDS = ("信息内容", "本年新收", "予以公开", "结转下年度", "结果维持", "复议后起诉")


def table_pages(texts: Sequence[str]) -> list[int]:
    """The pages (by index) whose text (``texts``, one a page) holds a table, and the page
    after each, where a table goes on."""
    marked: set[int] = set()
    for index, text in enumerate(texts):
        joined = "".join(normalise(text).split())  # not compact(): it caches, and pages are long
        if any(word in joined for word in _TABLE_WORDS):
            marked.update((index, index + 1))
    return sorted(i for i in marked if i < len(texts))


def _table_pages(data: bytes) -> list[int]:
    document = pdfium.PdfDocument(data)
    try:
        texts: list[str] = []
        for index in range(len(document)):
            textpage = document[index].get_textpage()
            try:
                texts.append(textpage.get_text_range())
            finally:
                textpage.close()
        return table_pages(texts)
    finally:
        document.close()


def line_rows(page: Any) -> list[list[str]]:
    """A page's lines of words, top to bottom, each as a row of cell strings.

    A line without a number gets one blank cell after its words: it may be a label whose
    cells are on another line.
    """
    words = sorted(without_struck_out(page).extract_words(), key=lambda w: (w["top"], w["x0"]))
    lines: list[list[dict[str, Any]]] = []
    for word in words:
        height = max(word["bottom"] - word["top"], 1.0)
        if lines and word["top"] - lines[-1][0]["top"] < height * 0.5:
            lines[-1].append(word)
        else:
            lines.append([word])
    rows = []
    for line in lines:
        texts = [w["text"] for w in sorted(line, key=lambda w: w["x0"])]
        if _PAGE_NUMBER.match(" ".join(texts)):
            continue
        if not any(is_value(text) for text in texts):
            texts.append("")
        rows.append(texts)
    return rows


def inflation_problem(data: bytes) -> str | None:
    """Why the PDF's compressed streams would inflate too far, or None.

    Every stream is inflated as zlib data (Flate, the only filter that compresses ~1000×) in
    chunks, never held, and never past the limits; a stream that is not zlib is skipped.
    """
    total = 0
    for found in _STREAM.finditer(data):
        start = found.end()
        inflater = zlib.decompressobj()
        size = 0
        position = start
        try:
            while position < len(data) and size <= MAX_STREAM_BYTES and not inflater.eof:
                pending = data[position : position + _CHUNK]
                position += len(pending)
                while pending and size <= MAX_STREAM_BYTES and not inflater.eof:
                    size += len(inflater.decompress(pending, _OUT_CHUNK))
                    pending = inflater.unconsumed_tail
                    if size > SUSPECT_BYTES and size > MAX_RATIO * (position - start):
                        return (
                            f"PDF 中的压缩数据解压比例异常（超过 {MAX_RATIO}:1），"
                            "疑似压缩炸弹，已拒绝读取"
                        )
        except zlib.error:
            pass
        total += size
        if size > MAX_STREAM_BYTES or total > MAX_INFLATED_BYTES:
            limit = MAX_STREAM_BYTES if size > MAX_STREAM_BYTES else MAX_INFLATED_BYTES
            return (
                f"PDF 中的压缩数据解压后超过 {limit // (1024 * 1024)} MB，疑似压缩炸弹，已拒绝读取"
            )
    return None


def _close(plumber: Any) -> None:
    """Close pdfplumber's document without raising: its ``close`` walks the page tree again,
    and a damaged tree raises there (the reading has already failed on it and said so), so
    the stream it holds is then closed directly."""
    try:
        plumber.close()
    except Exception:
        plumber.stream.close()


def _open_problem(exc: BaseException) -> str:
    names = f"{type(exc).__name__} {exc!r} {getattr(exc, '__cause__', '')!r}"
    if any(word in names for word in ("Password", "password", "Encrypt", "encrypt")):
        return "PDF 已加密（需要密码），无法读取"
    return "PDF 文件已损坏，无法读取"  # pdfminer's and PDFium's words are English: not shown


def _has_drawings(page: Any) -> bool:
    """Whether the page draws lines or boxes: only such a page can hold a ruled table."""
    return next(iter(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH])), None) is not None


def text_page_blocks(page: Any) -> tuple[list[Block], bool]:
    """A page without drawings: its text lines from PDFium, joined into paragraphs.

    PDFium reads a page's text in a few milliseconds where pdfminer takes a tenth of a second,
    and a page without drawings has no table for pdfplumber to find. Line geometry is taken
    from the characters' loose boxes; a CJK character's box is one em wide, which gives the
    font size the paragraph rules are measured in. A page shown rotated is turned upright first
    (:func:`.pdf_objects.upright_textpage`): the boxes of its characters are then boxes, not
    points. A page whose box is not at the origin is read as it is stored.
    """
    textpage = upright_textpage(page)
    if textpage is None:
        textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count <= 0:
            return [], False
        text = _marked_undecoded(textpage, textpage.get_text_range(0, count), count)
        height = page.get_height()
        lines: list[dict[str, Any]] = []
        position = 0
        for piece in text.split("\r\n"):
            first, position = position, position + len(piece) + 2
            if not piece.strip() or _PAGE_NUMBER.match(piece):
                continue
            # Characters beyond the BMP count twice in PDFium's index: never read past the end.
            chars = range(first, min(first + len(piece), count))
            boxes = [textpage.get_charbox(i, loose=True) for i in chars]
            boxes = [b for b in boxes if b[2] > b[0]]
            if not boxes:
                continue
            size = max(b[2] - b[0] for b in boxes)
            top = height - max(b[3] for b in boxes)
            lines.append(
                {
                    "text": piece,
                    "x0": min(b[0] for b in boxes),
                    "x1": max(b[2] for b in boxes),
                    "top": top,
                    "bottom": top + size,
                }
            )
    finally:
        textpage.close()
    if not lines:
        return [], False
    left = min(line["x0"] for line in lines)
    right = max(line["x1"] for line in lines)
    paragraphs: list[Block] = list(join_lines(lines, left, right))
    return paragraphs, _continues(lines[0], left, right)


def _marked_undecoded(textpage: Any, text: str, count: int) -> str:
    """The page's text with each character PDFium could not map to Unicode (its font has no
    ``ToUnicode``) as U+FFFD: PDFium gives such a glyph's number as a character, which looks
    like any other (「媼䷓䈢」) and is counted by :func:`undecoded_glyphs` only when marked."""
    raw = textpage.raw
    has_error = pdfium_c.FPDFText_HasUnicodeMapError
    bad = [i for i in range(min(count, len(text))) if has_error(raw, i) == 1]
    if not bad:
        return text
    chars = list(text)
    for index in bad:
        chars[index] = "\ufffd"
    return "".join(chars)


def page_to_blocks(page: Any) -> tuple[list[Block], bool]:
    """One page's paragraphs and tables, top to bottom; and whether the page starts in the
    middle of a paragraph (its first line is text that is not indented)."""
    if not page.chars:
        return [], False
    page = without_struck_out(page)
    tables = page.find_tables(_open_ends(page)) if (page.lines or page.rects) else []
    items: list[tuple[float, int, Grid | list[dict[str, Any]]]] = []
    boxes: list[tuple[float, float, float, float]] = []
    found: list[tuple[tuple[float, float, float, float], Grid]] = []
    for table in tables:
        grid, box = _without_framed_prose(fill_merged(extract_table(table)), table)
        if box is None:
            continue
        boxes.append(box)
        if any(any(cell for cell in row) for row in grid.rows):
            found.append((box, grid))
    items.extend((box[1], 1, grid) for box, grid in side_by_side(found))
    outside = page.filter(lambda obj: not _inside(obj, boxes)) if boxes else page
    lines = [
        line
        for line in outside.extract_text_lines(return_chars=False)
        if line["text"].strip() and not _PAGE_NUMBER.match(line["text"])
    ]
    # Lines between two tables (or before/after them) form their own run of paragraphs.
    runs: list[list[dict[str, Any]]] = []
    edges = sorted(box[1] for box in boxes)
    for line in lines:
        bucket = sum(1 for edge in edges if line["top"] > edge)
        if runs and runs[-1][0]["_bucket"] == bucket:
            runs[-1].append(line | {"_bucket": bucket})
        else:
            runs.append([line | {"_bucket": bucket}])
    items.extend((run[0]["top"], 0, run) for run in runs)
    items.sort(key=lambda item: (item[0], item[1]))
    blocks: list[Block] = []
    left = min((line["x0"] for line in lines), default=0.0)
    right = max((line["x1"] for line in lines), default=0.0)
    for _, _, item in items:
        if isinstance(item, Grid):
            blocks.append(item)
        else:
            blocks.extend(join_lines(item, left, right))
    first = items[0][2] if items else None
    return blocks, isinstance(first, list) and _continues(first[0], left, right)


# Where a rule across a character strikes it out, as shares of the character's height from
# its top: a strike-through is drawn across the middle (WeasyPrint at 0.38, Word about half
# way); an underline below the baseline (0.85 and lower) and a cell's border around the
# character fall outside.
_STRIKE_BAND = (0.25, 0.7)
# The share of a character's width a rule must cover to strike it out.
_STRIKE_COVER = 0.6
# The tallest character a rule is looked for across (pt).
_STRIKE_TALLEST = 72.0
# A rule: a line whose ends are this close in height, or a filled box this thin (pt).
_RULE_THICKNESS = 1.5


def without_struck_out(page: Any) -> Any:
    """The page without the characters a rule strikes out, nor the rules that strike them.

    A report printed with its tracked changes shown, or with a replaced figure struck through,
    prints the deleted figure beside the new one with a line across it: read, 「<s>9</s>12」
    was 912. A character is struck out when a horizontal rule crosses the middle of its
    height (:data:`_STRIKE_BAND`) over most of its width. The rule goes too: near a cell's
    border, the table finder took it for a rule of the table and cut the row in two. The page
    itself when nothing is struck out."""
    rules = [
        rule
        for rule in (*page.lines, *page.rects)
        if rule["bottom"] - rule["top"] <= _RULE_THICKNESS
    ]
    if not rules:
        return page
    chars = sorted(page.chars, key=lambda char: char["top"])
    tops = [char["top"] for char in chars]
    low, high = _STRIKE_BAND
    struck: set[int] = set()
    for rule in rules:
        y, left, right = (rule["top"] + rule["bottom"]) / 2, rule["x0"], rule["x1"]
        near = chars[bisect.bisect_left(tops, y - _STRIKE_TALLEST) : bisect.bisect_right(tops, y)]
        crossed = [
            char
            for char in near
            if char["top"] + low * (char["bottom"] - char["top"])
            <= y
            <= char["top"] + high * (char["bottom"] - char["top"])
            and char["x1"] > char["x0"]
            and min(right, char["x1"]) - max(left, char["x0"])
            >= _STRIKE_COVER * (char["x1"] - char["x0"])
        ]
        if crossed:
            struck.update(id(char) for char in crossed)
            struck.add(id(rule))
    if not struck:
        return page
    return page.filter(lambda obj: id(obj) not in struck)


# How far (pt) the column rules may reach past the last row rule before the table is open.
_OPEN_END = 2.0


def _open_ends(page: Any) -> dict[str, Any] | None:
    """Table settings that close a table left open by a page break, or None.

    Some printers draw no rule under the last row of a page when the table (or a cell merged
    down) goes on over the page, and none above the first row of the next page: the column
    rules reach past the last row rule, and pdfplumber, finding no cell there, leaves the row
    out of the table, so that its cells are read as prose. A rule is added where the column
    rules end.
    """
    edges = page.edges
    verticals = [e for e in edges if e["orientation"] == "v"]
    horizontals = [e for e in edges if e["orientation"] == "h"]
    if not verticals or not horizontals:
        return None
    added = []
    bottom = max(e["bottom"] for e in verticals)
    if bottom > max(e["top"] for e in horizontals) + _OPEN_END:
        added.append(bottom)
    top = min(e["top"] for e in verticals)
    if top < min(e["top"] for e in horizontals) - _OPEN_END:
        added.append(top)
    return {"explicit_horizontal_lines": added} if added else None


def side_by_side(
    found: Sequence[tuple[tuple[float, float, float, float], Grid]],
) -> list[tuple[tuple[float, float, float, float], Grid]]:
    """Tables printed side by side as one table: their rows put together, left to right.

    Some reports print table 四 as two tables next to each other, 行政复议 on the left and
    行政诉讼 on the right, each with its own header and its own line of figures: read one
    after the other they give a line of 5 numbers and one of 10, where the table has 15.
    Two tables are one when they stand side by side (each starts before the other ends,
    neither overlaps the other across) and both end with a row of figures only; their rows
    are put together from the bottom up, so that the lines of figures meet.
    """
    if len(found) < 2:
        return list(found)
    ordered = sorted(found, key=lambda item: item[0][0])
    out: list[tuple[tuple[float, float, float, float], Grid]] = []
    for box, drawn in ordered:
        if out and _beside(out[-1], (box, drawn)):
            (left_box, left), right = out[-1], drawn
            width = max((len(row) for row in left.rows), default=0)
            height = max(len(left.rows), len(right.rows))
            lefts = [("",) * width] * (height - len(left.rows)) + [
                row + ("",) * (width - len(row)) for row in left.rows
            ]
            rights = [()] * (height - len(right.rows)) + list(right.rows)
            merged = Grid(tuple(a + b for a, b in zip(lefts, rights, strict=True)))
            joined = (
                min(left_box[0], box[0]),
                min(left_box[1], box[1]),
                max(left_box[2], box[2]),
                max(left_box[3], box[3]),
            )
            out[-1] = (joined, merged)
        else:
            out.append((box, drawn))
    return out


def _beside(
    left: tuple[tuple[float, float, float, float], Grid],
    right: tuple[tuple[float, float, float, float], Grid],
) -> bool:
    (_, top, x1, bottom), first = left
    (x2, top2, _, bottom2), second = right
    if x2 < x1 - 1 or top2 >= bottom or top >= bottom2:
        return False
    return all(
        table.rows and any(table.rows[-1]) and all(is_value(cell) for cell in table.rows[-1])
        for table in (first, second)
    )


# A line of body text is longer than any row label that stands alone in a row.
_PROSE_LINE = 20


def _without_framed_prose(
    grid: Grid, table: Any
) -> tuple[Grid, tuple[float, float, float, float] | None]:
    """The table without the lines of prose that a frame drawn round the page put in it.

    Some reports draw a box round every page (022.pdf, 023.pdf): pdfplumber then finds one
    "table" whose rows are the lines of the text, one cell wide, with the real table below
    them. Rows at the top or bottom holding one text each are prose when at least one of them
    is a line of body text; they are left out of the grid (and its box), so that they are
    read as paragraphs with the rest of the page. None: nothing of the table is left.
    """
    rows = grid.rows
    bounds = [row.bbox for row in table.rows]
    if len(bounds) != len(rows):
        return grid, table.bbox

    def single(row: tuple[str, ...]) -> bool:
        # One text across the whole row (a line of the framed page, one cell wide or merged
        # across): not a row of a real table whose other cells are empty (the rest of a
        # label a page break cut off, see document.join_broken_rows).
        return len(set(row)) <= 1

    def prose(run: Sequence[tuple[str, ...]]) -> bool:
        return any(len(compact("".join(dict.fromkeys(row)))) >= _PROSE_LINE for row in run)

    head = 0
    while head < len(rows) and single(rows[head]):
        head += 1
    if not prose(rows[:head]):
        head = 0
    tail = len(rows)
    while tail > head and single(rows[tail - 1]):
        tail -= 1
    if not prose(rows[tail:]):
        tail = len(rows)
    if head == 0 and tail == len(rows):
        return grid, table.bbox
    if head >= tail:
        return Grid(()), None
    kept = bounds[head:tail]
    box = (
        min(b[0] for b in kept),
        min(b[1] for b in kept),
        max(b[2] for b in kept),
        max(b[3] for b in kept),
    )
    return Grid(rows[head:tail]), box


def _continues(first: dict[str, Any], left: float, right: float) -> bool:
    """A page whose first line is not indented goes on with the previous page's paragraph."""
    size = max(first["bottom"] - first["top"], 1.0)
    return bool(first["x0"] - left <= size * 0.8) and not _centred(first, left, right, size)


def _join(before: str, after: str) -> str:
    """Two pieces of one paragraph; Chinese text is joined without a space."""
    if _CJK_END.search(before) or _CJK_START.search(after):
        return before + after
    return before + " " + after


def _inside(obj: dict[str, Any], boxes: Sequence[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _centred(line: dict[str, Any], left: float, right: float, size: float) -> bool:
    indent: float = line["x0"] - left
    short: float = right - line["x1"]
    return indent > size * 2.5 and abs(indent - short) < size


def join_lines(lines: Sequence[dict[str, Any]], left: float, right: float) -> list[Paragraph]:
    """Wrapped lines back into paragraphs.

    A line continues the paragraph above unless it is indented (a first line) or the line
    above stopped well short of the right margin (lines are ragged by a character or two, and
    a sentence may end exactly at the margin, so neither ends a paragraph by itself). Chinese
    lines are joined without a space, so a number or a phrase split by the wrap is whole again.
    """
    paragraphs: list[Paragraph] = []
    current = ""
    previous: dict[str, Any] | None = None
    for line in lines:
        text = line["text"].strip()
        size = max(line["bottom"] - line["top"], 1.0)
        centred = _centred(line, left, right, size)
        same_size = previous is not None and abs(previous["bottom"] - previous["top"] - size) < 1
        if centred and same_size and not current.endswith(_PARAGRAPH_END):
            starts = False  # a centred title wrapped onto a second line
        else:
            starts = (
                previous is None
                or line["x0"] - left > size * 0.8
                or right - previous["x1"] > size * 3
            )
        if starts:
            if current:
                paragraphs.append(Paragraph(current))
            current = text
        else:
            current = _join(current, text)
        previous = line
    if current:
        paragraphs.append(Paragraph(current))
    return paragraphs
