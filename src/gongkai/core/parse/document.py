"""What the HTML, DOCX and PDF front ends share: a document as paragraphs and grids.

Each front end reads its own container (markup, WordprocessingML, a PDF's text layer and
ruling lines) into the same neutral shape, a list of :class:`Paragraph` and :class:`Grid`
blocks in reading order, and :func:`assemble` turns that into a :class:`ParseResult`:

- the tables come from the grids, through :func:`gongkai.core.parse.grid.read_tables` (label
  matching, blanks kept blank, joined digits split by the table's arithmetic);
- the document's text (paragraphs, and each grid row as a tab-separated line, the way a
  browser copies a table) gives the metadata (:mod:`.meta`) and the six sections
  (:mod:`.sections`); the narrative of each section is its text *outside* the tables;
- a document whose tables are not real tables (a page that prints them as lines of text, a
  PDF without ruling lines) is read as text by :func:`gongkai.core.parse.text.parse_text`,
  so nothing the text parser can read is lost to the container.

Merged cells are expanded here (:func:`expand_spans`, :func:`fill_merged`) with one rule for
every container: a merged *label* is repeated into every grid position it covers, because a
row's labels may sit in any of the label columns; a merged *value* is stated once, because
repeating it would invent cells.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import accumulate
from typing import NamedTuple

from gongkai.core.findings import Severity
from gongkai.core.formats import T3, ReportFormat, get_format
from gongkai.core.parse import flat, grid
from gongkai.core.parse.labels import (
    TRADITIONAL_NOTE,
    compact,
    in_traditional_script,
    match_row,
    match_row_fuzzy,
    normalise,
    normalise_mapped,
    to_simplified,
)
from gongkai.core.parse.meta import detect_meta
from gongkai.core.parse.result import (
    NO_YEAR_HINT,
    ParseProblem,
    ParseResult,
    failure,
    finish,
)
from gongkai.core.parse.sections import find_sections, printed_headings
from gongkai.core.parse.text import parse_text

# Hard limits that keep a hostile document from making a front end slow (issue 4, item 6).
MAX_GRID_ROWS = 2_000
MAX_GRID_COLUMNS = 64
MAX_SPAN = 64


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str


@dataclass(frozen=True, slots=True)
class Grid:
    """A table as its full grid: every row has one string per grid column."""

    rows: tuple[tuple[str, ...], ...]


Block = Paragraph | Grid


class SourceCell(NamedTuple):
    """A cell as the container declares it, before merged cells are expanded (a named tuple:
    one is built for every cell of every table)."""

    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass(slots=True)
class _Pending:
    below: list[str]  # what the cell puts in each row below it (covered(..., vertical=True))
    rows_left: int
    colspan: int


@dataclass(slots=True)
class Assembly:
    """The text built from the blocks, its normalised form, and where the tables are.

    Each line is normalised on its own (fast, in C), and a position in the normalised text is
    mapped back to the original line by line, so that the narrative is cut from the text as
    the author wrote it without normalising the whole document character by character.
    """

    lines: list[str] = field(default_factory=list)
    norm_lines: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)  # original offset of each line
    norm_starts: list[int] = field(default_factory=list)
    table_ranges: list[tuple[int, int]] = field(default_factory=list)  # original offsets
    rows: list[tuple[str, ...]] = field(default_factory=list)
    # Each grid's rows (start, end) in ``rows``, and whether it follows the previous grid with
    # nothing between them (a table going on over a page break).
    grids: list[tuple[int, int, bool]] = field(default_factory=list)
    length: int = 0  # of the text so far
    # The whole text and its normalised form, joined once by finish() (each is read several
    # times, and a join of a report's lines costs as much as a scan of its text).
    text: str = ""
    norm: str = ""

    def add(self, line: str) -> None:
        """Append one line (ending in a line break, with none inside)."""
        self.starts.append(self.length)
        self.lines.append(line)
        self.length += len(line)

    def finish(self) -> None:
        """Normalise all lines at once (one call, not one per line), then index them."""
        self.text = "".join(self.lines)
        norm = normalise(self.text)
        pieces = norm.split("\n")[:-1]
        if len(pieces) == len(self.lines):
            self.norm_lines = [piece + "\n" for piece in pieces]
            # Joined, these lines give back the normalised text when it ends a line (always,
            # as each line ends in one): no second join of the whole text.
            self.norm = norm if norm.endswith("\n") else "".join(self.norm_lines)
        else:  # normalisation joined or split lines (a stray comment marker): line by line
            self.norm_lines = [normalise(line) for line in self.lines]
            self.norm = "".join(self.norm_lines)
        self.norm_starts = list(accumulate(map(len, self.norm_lines), initial=0))[:-1]

    def origin(self, index: int) -> int:
        """The original offset of normalised position ``index``."""
        if not self.lines:
            return 0
        line = max(bisect.bisect_right(self.norm_starts, index) - 1, 0)
        delta = index - self.norm_starts[line]
        original, norm = self.lines[line], self.norm_lines[line]
        if len(original) != len(norm):
            delta = normalise_mapped(original).origin(delta) if delta < len(norm) else len(original)
        return self.starts[line] + min(delta, len(original))


def is_value(text: str) -> bool:
    """A cell that holds a number or a blank mark (not a label)."""
    stripped = text.strip()
    if not stripped or (stripped.isdigit() and stripped.isascii()):
        return True
    if stripped[0] not in flat.NUMBER_STARTS:
        return False  # a label (「信息内容」): no numeric prefix, told without the pattern
    prefix, rest = flat.numeric_prefix(stripped)
    return bool(prefix) and not rest.strip()


# A cell that only prints a dash or a slash is blank in the published table (「—」「——」
# 「－」「／」): it is handed on as the ASCII mark the table reader takes for a blank cell, so
# that it is neither read as a label (which would shift the row's numbers) nor as a number.
_BLANK_MARKS = frozenset(
    {"—", "——", "———", "–", "－", "―", "─", "━", "−", "﹣", "--", "／", "\\", "＼"}
)


# Full-width digits (「１２」, typed with a Chinese input method) and decimal point are the
# ASCII ones a reader sees, and so are the minus signs other than ASCII's before a number (the
# 2018 tables' change column: 「－1」); a number cell written in them is read as its number.
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９．－−﹣", "0123456789.---")
_SIGNED_NUMBER = re.compile(r"-\d+(?:\.\d+)?").fullmatch
# A number with a footnote's mark after it, as offices annotate a figure explained below the
# table: the row was left unread for one marked cell.
_FOOTNOTED = re.compile(
    r"(\d+(?:\.\d+)?) ?(?:\*{1,3}|※|[①-⑳]|注\d?|[（(]注\d?[)）]|[（(]\d[)）])"
).fullmatch


def clean_cell(text: str) -> str:
    """A cell's text on one line: line breaks inside a cell (``<br>``, wrapped PDF lines);
    a cell that is only a dash or slash becomes ``-`` (see ``_BLANK_MARKS``); a number in
    full-width digits, or after a full-width or typographic minus sign, becomes ASCII; a number
    with a footnote's mark is the number.

    The answer does not depend on the spaces around the text: 「0０」 alone and between line
    breaks are the same cell (they were not, when only a full-width first digit was looked at).
    """
    if text.isalnum() and (text.isascii() or not text[0].isdigit()):
        # No space of any kind, and no number to read (most cells: ASCII digits, or a label's
        # characters): what the lines below make of it, without them.
        return text
    joined = " ".join(text.split())  # str.split() splits at every space, the no-break one too
    if joined in _BLANK_MARKS:
        return "-"
    number = joined.translate(_FULL_WIDTH_DIGITS)  # 「１２」「２２．５９８１」「－1」 in ASCII
    if number[:2] == "- ":
        number = "-" + number[2:]  # 「- 1」: a PDF's text with a space after the sign
    if _SIGNED_NUMBER(number):
        return number  # 「－1」「−１」「- 1」: the change of a count
    if number[:1].isdigit():
        if (marked := _FOOTNOTED(number)) is not None:
            return marked.group(1)  # 「67*」「67①」「67（注）」: the number, its mark a footnote's
        if number.isascii():
            return number  # 「１２」 typed with a Chinese input method, 「0０」
    return joined  # (「１２件」「²」 as they are: no number to a reader of the table)


def expand_spans(rows: Sequence[Sequence[SourceCell]]) -> Grid:
    """Rows of declared cells (``rowspan``/``colspan``) → the full grid (module rule).

    Spans are clipped to :data:`MAX_SPAN`, and the grid to :data:`MAX_GRID_ROWS` ×
    :data:`MAX_GRID_COLUMNS`, so that ``colspan="100000"`` cannot exhaust memory.
    """
    return expand_clean(
        [[(clean_cell(c.text), c.rowspan, c.colspan) for c in row] for row in rows[:MAX_GRID_ROWS]]
    )


def expand_clean(rows: Sequence[Sequence[tuple[str, int, int]]]) -> Grid:
    """:func:`expand_spans` for cells whose text is already :func:`clean_cell`'s.

    A front end that reads the cells itself (HTML) hands them over as plain tuples, cleaned as
    it read them, so that no cell is built or cleaned twice. A row that no cell above reaches
    into (most rows) is laid out in one pass; the others column by column.
    """
    pending: dict[int, _Pending] = {}  # grid column → a cell still spanning down into it
    out: list[tuple[str, ...]] = []
    for cells in rows[:MAX_GRID_ROWS]:
        line: list[str] = []
        col = 0
        if not pending:
            # Nothing reaches down into this row: the cells follow each other (a cell merged
            # down from here only reaches the rows below).
            for text, rowspan, colspan in cells:
                if col >= MAX_GRID_COLUMNS:
                    break
                line.append(text)
                if colspan == 1 and rowspan <= 1:
                    col += 1
                    continue
                col += _place(line, pending, col, text, rowspan, colspan)
            out.append(tuple(line[:MAX_GRID_COLUMNS]))
            continue
        count = len(cells)
        index = 0
        while col < MAX_GRID_COLUMNS:
            above = pending.get(col)
            if above is not None:
                line.extend(above.below)
                above.rows_left -= 1
                if above.rows_left <= 0:
                    del pending[col]
                col += above.colspan
            elif index < count:
                text, rowspan, colspan = cells[index]
                index += 1
                line.append(text)
                if colspan == 1 and rowspan <= 1:
                    col += 1
                else:
                    col += _place(line, pending, col, text, rowspan, colspan)
            elif max(pending, default=-1) >= col:
                line.append("")  # a short row, before a cell merged down from above
                col += 1
            else:
                break
        out.append(tuple(line[:MAX_GRID_COLUMNS]))
    return Grid(tuple(out))


def _place(
    line: list[str], pending: dict[int, _Pending], col: int, text: str, rowspan: int, colspan: int
) -> int:
    """A merged cell just appended at ``col``: what it covers to its right, and below it
    (module rule); the number of grid columns it takes."""
    colspan = max(1, min(colspan, MAX_SPAN))
    if colspan > 1:
        line.extend(covered(text, colspan, vertical=False)[1:])
    if rowspan > 1:
        below = covered(text, colspan, vertical=True)
        pending[col] = _Pending(below, min(rowspan, MAX_SPAN) - 1, colspan)
    return colspan


def covered(text: str, colspan: int, *, vertical: bool) -> list[str]:
    """The grid strings a merged cell puts in the positions it covers (module rule).

    A label fills every position; a value merged down leaves one blank cell in the rows
    below, and a value merged across stays one cell.
    """
    if not is_value(text):
        return [text] * colspan
    return [""] if vertical else [text]


def fill_merged(rows: Sequence[Sequence[str | None]]) -> Grid:
    """A grid where covered positions are ``None`` (pdfplumber) → the full grid (module rule).

    A covered position continues the cell to its left when that one is a real cell or itself
    continues across; otherwise (first column, or the left one continues down) the cell above.
    """
    out: list[tuple[str, ...]] = []
    above: list[str] = []  # the text of the cell each position of the previous row belongs to
    for raw in rows[:MAX_GRID_ROWS]:
        line: list[str] = []
        owners: list[str] = []
        across: list[bool] = []  # was this position filled from the left (or real)?
        for col, value in enumerate(list(raw)[:MAX_GRID_COLUMNS]):
            if value is not None:
                text = clean_cell(value)
                line.append(text)
                owners.append(text)
                across.append(True)
                continue
            if col > 0 and (across[col - 1] or col >= len(above)):
                owner, vertical = owners[col - 1], False
            elif col < len(above):
                owner, vertical = above[col], True
            else:
                owner, vertical = "", True
            owners.append(owner)
            across.append(not vertical)
            if not is_value(owner):
                line.append(owner)
            elif vertical:
                line.append("")
        out.append(tuple(line))
        above = owners
    return Grid(tuple(out))


def assemble_text(blocks: Sequence[Block]) -> Assembly:
    """The document as text: paragraphs as lines, grid rows as tab-separated lines."""
    out = Assembly()
    adjacent = False
    for block in blocks:
        if isinstance(block, Paragraph):
            line = block.text.strip()
            if line:
                out.add(line + "\n")
                adjacent = False
            continue
        start = out.length
        first = len(out.rows)
        # The rows' lines appended at once (what add() does for each, without the calls).
        lines = ["\t".join(row).rstrip() + "\n" for row in block.rows]
        out.starts.extend(accumulate(map(len, lines), initial=start))
        out.length = end = out.starts.pop()  # (the offset after the last line)
        out.lines.extend(lines)
        out.rows.extend(block.rows)
        out.table_ranges.append((start, end))
        out.grids.append((first, len(out.rows), adjacent))
        adjacent = True
    out.finish()
    return out


def assemble(
    blocks: Sequence[Block], *, source: str, what: str, paged: bool = False
) -> ParseResult:
    """Blocks of one document → its :class:`ParseResult` (see the module docstring).

    ``what`` names the container in messages ("网页", "Word 文档", "PDF"); ``paged``: the
    blocks come from pages, where a table row may be broken by a page break
    (:func:`join_broken_rows`). A document printed in traditional script is read with the
    characters of the words the readers look for made simplified, and says so.
    """
    doc = assemble_text(blocks)
    if not in_traditional_script(doc.text):
        return _assemble(doc, source=source, what=what, paged=paged)
    simplified = [
        Paragraph(to_simplified(block.text))
        if isinstance(block, Paragraph)
        else Grid(tuple(tuple(map(to_simplified, row)) for row in block.rows))
        for block in blocks
    ]
    result = _assemble(assemble_text(simplified), source=source, what=what, paged=paged)
    if result.report is None or TRADITIONAL_NOTE in result.problems:
        return result
    return replace(result, problems=(*result.problems, TRADITIONAL_NOTE))


def _assemble(doc: Assembly, *, source: str, what: str, paged: bool) -> ParseResult:
    if not doc.lines:
        return failure(source, f"{what}中没有任何文字")
    norm = doc.norm
    spans = find_sections(norm)
    meta = detect_meta(
        norm,
        last_section=spans[-1].body(norm) if spans else "",
        intro_end=spans[0].start if spans else None,
        source=source,
    )
    text = doc.text
    narrative = {
        span.section.code: _outside_tables(
            doc, text, doc.origin(span.body_start), doc.origin(span.end)
        )
        for span in spans
    }
    if meta.format_version is None:
        return ParseResult(
            None,
            meta,
            narrative,
            (),
            source,
            _not_a_report(norm, what)
            or f"{what}中无法确定报告年度和格式版本：没有表格标志，且{NO_YEAR_HINT}",
        )
    fmt = get_format(meta.format_version)
    rows = join_broken_rows(doc.rows, doc.grids, fmt) if paged and len(doc.grids) > 1 else doc.rows
    read = grid.read_tables(rows, fmt)
    if not _found_rows(read, fmt, T3):
        # The tables are not real tables (lines of text, or no ruling lines): read the text.
        fallback = parse_text(text, source=source)
        if fallback.report is not None or not doc.rows:
            return fallback
    problems = summarise_missing(read.problems, fmt)
    headings = printed_headings(norm, spans)
    return finish(meta, fmt, read.tables, narrative, problems, source, headings)


def join_broken_rows(
    rows: Sequence[tuple[str, ...]], grids: Sequence[tuple[int, int, bool]], fmt: ReportFormat
) -> list[tuple[str, ...]]:
    """Rows a page break cut in two, whole again.

    Word lets a table row break across pages (its default), and a tall row of table 三 (a long
    label wrapped in a narrow column) often does: the page ends with the row's first lines —
    the start of its label, usually its numbers — and the next page's table (after the header,
    when Word repeats it) starts with the rest of the label over empty cells. Each half alone
    is no row of the format. The halves are joined when the next table follows the previous
    one with nothing between them, no position holds a number in both halves, and the joined
    label names an official row that the first half's alone does not (it names none, or only
    the group above the row): a row that is whole already is never joined to the next one.
    """
    out = list(rows)
    dropped: set[int] = set()
    for index in range(1, len(grids)):
        start, end, adjacent = grids[index]
        before_start, before_end, _ = grids[index - 1]
        if not adjacent or start >= end or before_start >= before_end:
            continue
        # The header rows repeated at the top of each page: rows without a number that print
        # only what the previous table's first rows print.
        top = out[before_start : min(before_start + 4, before_end)]
        header = {compact(cell) for row in top for cell in row}
        head = 0
        while start + head < end - 1 and _repeats(out[start + head], header):
            head += 1
        last, first = before_end - 1, start + head
        if last in dropped or first >= end:
            continue
        joined = _joined_row(out[last], out[first], fmt)
        if joined is not None:
            out[last] = joined
            dropped.add(first)
    return [row for index, row in enumerate(out) if index not in dropped] if dropped else out


def _joined_row(
    above: tuple[str, ...], below: tuple[str, ...], fmt: ReportFormat
) -> tuple[str, ...] | None:
    """The row whose halves are ``above`` and ``below`` (see :func:`join_broken_rows`), or
    None when they are not two halves of one row."""
    if not any(below):
        return None
    # The cells of numbers are the right-hand columns: a table that a page break cut may be
    # found with one column more or less in its labels, so the rows are aligned on the right.
    width = max(len(above), len(below))
    above = ("",) * (width - len(above)) + above
    below = ("",) * (width - len(below)) + below
    cells: list[str] = []
    for top, bottom in zip(above, below, strict=True):
        if top and bottom:
            if (is_value(top) and not _ROW_NUMBER(top)) or is_value(bottom):
                return None
            cells.append(top if top == bottom else top + bottom)
        else:
            cells.append(top or bottom)
    named = _named_row(cells, fmt)
    if named is None or named == _named_row(above, fmt):
        return None
    return tuple(cells)


# A row label's number alone on the first line of its cell (「5.」 over 「属于三类内部事务信息」).
_ROW_NUMBER = re.compile(r"\d{1,2}\s*[.．、]").fullmatch


def _named_row(cells: Sequence[str], fmt: ReportFormat) -> tuple[str, str] | None:
    """The (table, row) codes of the row holding cells that the row's last label cell names
    (exactly or closely), or None. A group's own label names the group (its cells may be
    printed as one row); a heading such as 「三、本年度办理结果」 names none."""
    label = next((cell for cell in reversed(cells) if cell and not is_value(cell)), "")
    if not label:
        return None
    for table in fmt.tables:
        row = match_row(label, table)
        if row is not None:
            return (table.code, row.code) if row.has_cells or row.sum_of else None
    near = match_row_fuzzy(label, fmt.tables)
    if near is None or not (near[1].has_cells or near[1].sum_of):
        return None
    return near[0].code, near[1].code


def _repeats(row: Sequence[str], header: set[str]) -> bool:
    """Whether ``row`` is a header row printed again: no number, and every text in it is
    one of the header's."""
    texts = [cell for cell in row if cell]
    return (
        bool(texts)
        and not any(is_value(cell) for cell in texts)
        and {compact(cell) for cell in texts} <= header
    )


def _outside_tables(doc: Assembly, text: str, start: int, end: int) -> str:
    pieces = []
    pos = start
    for table_start, table_end in doc.table_ranges:
        if table_end <= pos or table_start >= end:
            continue
        pieces.append(text[pos:table_start])
        pos = max(pos, table_end)
    if pos < end:
        pieces.append(text[pos:end])
    return "".join(pieces).strip()


def _found_rows(read: grid.TablesRead, fmt: ReportFormat, code: str) -> int:
    missing = sum(1 for p in read.problems if p.code == "missing_row" and p.table == code)
    return len(fmt.table(code).cell_rows) - missing


def summarise_missing(problems: Sequence[ParseProblem], fmt: ReportFormat) -> list[ParseProblem]:
    """A table none of whose rows was found is one problem, not one per row."""
    out: list[ParseProblem] = []
    absent = {
        t.code
        for t in fmt.tables
        if sum(1 for p in problems if p.code == "missing_row" and p.table == t.code)
        == len(t.cell_rows)
    }
    for table in fmt.tables:
        if table.code in absent:
            severity = Severity.ERROR if table.code == T3 else Severity.WARNING
            out.append(
                ParseProblem(
                    "missing_table",
                    f"未找到{grid.table_name(table)}：文档的表格中没有该表的行标签，该表全部留空",
                    severity,
                    table.code,
                )
            )
    out.extend(p for p in problems if not (p.code == "missing_row" and p.table in absent))
    return out


def _not_a_report(text: str, what: str) -> str:
    key = compact(text[:20000])
    if "年度报告" not in key and "政府信息公开" not in key:
        return f"{what}中既没有「政府信息公开」也没有「年度报告」字样，不是政府信息公开工作年度报告"
    return ""
