"""Plain text (as copied from a web page or saved by a crawler) → :class:`ParseResult`.

The text is normalised once (:func:`labels.normalise`), split into its six sections, and
each table is read inside its section: section 二's blocks by their 「第二十条第（N）项」
headers, table 三 by its row labels in format order, table 四 as the line of numbers after its
header (whole, in pieces, or one character a line). Pipe tables, however a converter or a
crawler printed them, are first made tab-separated rows (:func:`untabulate`). For every row
the text between its label and the next label is what the report wrote for it;
:mod:`gongkai.core.parse.grid` turns that into cells — directly when the cells are separated
(tabs, spaces), through :mod:`gongkai.core.parse.flat` when the digits ran together.

``parse_text`` never raises on bad input: whatever it cannot read becomes a ParseProblem, and a
text that is not a report gives ``report=None`` with the reason.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from gongkai.core.findings import Severity
from gongkai.core.formats import T3, T4, TABLE4, Row, Table, get_format
from gongkai.core.model import TableCells
from gongkai.core.parse import flat, grid
from gongkai.core.parse.labels import (
    TRADITIONAL_NOTE,
    compact,
    loose,
    normalise_mapped,
    row_pattern,
    simplified,
)
from gongkai.core.parse.meta import body_start, detect_meta
from gongkai.core.parse.result import (
    NO_YEAR_HINT,
    ParseProblem,
    ParseResult,
    failure,
    finish,
)
from gongkai.core.parse.sections import SectionSpan, find_sections, narrative, printed_headings

_BLOCK_HEADER = re.compile(r"第\s*二\s*十\s*条\s*第\s*\(\s*([一二三四五六七八九十]+)\s*\)\s*项")
_T4_HEADER_WORDS = re.compile(
    "|".join(
        loose(w)
        for w in (
            "未经复议直接起诉",
            "复议后起诉",
            "行政复议",
            "行政诉讼",
            "结果维持",
            "结果纠正",
            "其他结果",
            "尚未审结",
            "总计",
        )
    )
)
_DIGIT = re.compile(r"\d")
# The blank rest of a line, up to and with its newline.
_LINE_REST = re.compile(r"[^\S\n]*\n")
_NOISE = re.compile(r"^[\s:：;；,，。.、]*$")
# A markdown table's line (「| 一、本年新收… | 10 | 5 |」) and its rule line (「|---|:--:|」).
_PIPE_ROW = re.compile(r"^[ \t]*[|｜].*[|｜]")
_PIPE = re.compile(r"[|｜]")
_PIPE_RULE = re.compile(r"^[ \t]*[|｜]?(?:[ \t]*:?-{2,}:?[ \t]*[|｜])+[ \t]*(?::?-{2,}:?[ \t]*)?$")
# Column names a converter makes up when a table has no header of its own (列1, Column1,
# Unnamed: 0, 字段1): a row of only such names is no part of the report.
PLACEHOLDER = re.compile(r"(?:列|字段|栏|Column|Col|Field|Unnamed:?)\s*_?\d{1,3}", re.IGNORECASE)


def untabulate(text: str) -> str:
    """Pipe tables as tab-separated lines, the way a browser copies a table.

    Converters (PDF or Word to markdown) print each row as 「| label | 1 | 2 |」 under a rule
    line 「|---|---|」; crawlers also print a row without its leading pipe (「规章 | 0 | 0 |」),
    or every cell on a line of its own (「规章 |」「0 |」, a blank cell as a bare 「|」 or an
    empty line, and a cell spanning k columns as k pipes), or with its closing pipe on the line
    below (「规章」「|」), and a row may end with the blank cells of the page's spanning columns
    (「规章 | 0 | ||」, or a line 「||||||||||」), or be opened or closed by a lone pipe. The
    cells are then read like any tab-separated row; cells printed a line each are joined into
    one line of cells, since where their rows end is no longer written (the row labels say it;
    table 四's figures, which have none, start a line after a lone pipe that opens them). A
    row of made-up column names (「| 列1 | 列2 |」) is dropped: its digits are not the report's.
    A text without pipes is returned unchanged.
    """
    if "|" not in text and "｜" not in text:
        return text
    lines: list[str] = []
    cells_run: list[str] = []  # cells printed a line each, since the last line out
    row_ended = False  # the last line out is such cells, ended by a line of pipes
    row_opened = False  # and since then only the pipe that opens the next row
    printed = _single_spaced(text.split("\n"))
    unblanked = _empty_lines_as_blank_cells(printed)
    source = _pipes_below_cells(unblanked)
    leading_blank = _rows_without_leading_pipe(source)
    opening_pipes = _rows_opened_by_pipe(source)
    opened_after_empty = _rows_opened_after_empty_line(source)
    # (On the lines as printed, blank cells made bare pipes, as a lone pipe that opens a row
    # under a heading closes it; and with the cells closed a line below made 「0 |」, where
    # there are such cells.)
    separated = 0
    if not opening_pipes:
        separated = _rows_separated_by_pipe(unblanked)
        if not separated and len(source) < len(unblanked):
            separated = _rows_separated_by_pipe(source)

    def end_run() -> None:
        if cells_run:
            if separated:
                _split_numbers_off_heads(cells_run, separated)
            lines.append("".join(cells_run))
            cells_run.clear()

    for index, line in enumerate(source):
        if _PIPE_RULE.match(line):
            continue
        stripped = line.strip()
        if stripped and not stripped.strip("|｜"):
            # Pipes only: blank cells among cells printed a line each, else an empty row.
            # Two or more on a line are what a row's spanning or missing cells leave at its
            # end (「0 |」…「||||||||||」): the row ends there, so a header row's padding does
            # not run on into the numbers under it; a lone pipe after it is the next row's
            # blank first cell.
            if row_ended and len(stripped) == 1 and opening_pipes:
                row_ended, row_opened = False, True  # the pipe that opens the next row
                continue
            if cells_run or ((row_ended or row_opened) and len(stripped) == 1):
                cells_run.append("\t" * len(stripped))
                row_opened = False
                if len(stripped) > 1:
                    end_run()
                    row_ended = True
            elif (
                len(stripped) == 1
                and not opening_pipes
                and lines
                and not lines[-1].strip()
                and index + 1 < len(source)
                and _is_cell_line(source[index + 1])
            ):
                # A lone pipe that starts cells a line each after an empty line that ends a
                # row: the pipe that opens the row where rows open so (then a lone pipe after
                # it is a blank first cell), else the row's blank first cell (「0 |」「」「|」
                # 「1 |」).
                if opened_after_empty:
                    row_opened = True
                else:
                    cells_run.append("\t")
            elif len(stripped) == 1:
                lines.append(line)
                row_ended = False
            continue
        row_ended = row_opened = False
        if _PIPE_ROW.match(line):
            # Where rows are printed without their leading pipe, a row that starts with one
            # starts with a blank cell (「 | 1 | 1 |」, table 四 with blanks for zeros).
            inner = stripped if leading_blank else stripped[1:]
        elif stripped.endswith(("|", "｜")):
            inner = stripped
        else:
            end_run()
            lines.append(line)
            continue
        inner = inner[:-1] if inner.endswith(("|", "｜")) else inner
        cells = [c.strip() for c in _PIPE.split(inner)]
        if len(cells) == 1 and not stripped.startswith(("|", "｜")):
            cells_run.append(cells[0] + "\t")
            continue
        end_run()
        if all(not c or PLACEHOLDER.fullmatch(c) for c in cells):
            continue
        lines.append("\t".join(cells))
    end_run()
    return "\n".join(lines)


# Fewer printed lines than this are too few to tell a double-spaced page for sure.
_MIN_DOUBLED_LINES = 8


def _single_spaced(lines: list[str]) -> list[str]:
    """The lines of a page stored double-spaced, as some crawlers store it (every line followed
    by exactly one empty line), without those empty lines; any other page as it is.

    On such a page an empty line can no longer say anything (a blank cell printed as an empty
    line, a row ended by one): a blank cell 「」 became three empty lines, a row's end two. Read
    as stored, a blank cell among cells a line each and the empty line after a cell looked
    alike and many rows were left unread. The page is taken for double-spaced only when every
    second line, from the second on, is empty, over enough lines that it is no chance.
    """
    if len(lines) < 2 * _MIN_DOUBLED_LINES or any(line.strip() for line in lines[1::2]):
        return lines
    kept = lines[0::2]
    if sum(1 for line in kept if line.strip()) < _MIN_DOUBLED_LINES:
        return lines
    return kept


def _rows_without_leading_pipe(lines: list[str]) -> bool:
    """Whether the text's pipe rows are mostly printed without a leading pipe (「规章 | 0 |
    0 |」): more such rows of two cells or more than rows that start with a pipe."""
    leading = bare = 0
    for line in lines:
        stripped = line.strip()
        if not stripped.endswith(("|", "｜")) or not stripped.strip("|｜"):
            continue
        if stripped.startswith(("|", "｜")):
            leading += 1
        elif "|" in stripped[:-1] or "｜" in stripped[:-1]:
            bare += 1
    return bare > leading


def _rows_opened_by_pipe(lines: list[str]) -> bool:
    """Whether rows of cells a line each open with a lone pipe of their own (「||」「|」「规章 |」
    …): two or more rows, after a row's end, open so before a label. Then a lone pipe after a
    row's end opens the next row, and is no blank cell (table 四's numbers, 「|」「5 |」)."""
    opened = 0
    for before, pipe, after in zip(lines, lines[1:], lines[2:], strict=False):
        if pipe.strip() not in ("|", "｜") or not after.rstrip().endswith(("|", "｜")):
            continue
        end = before.strip()
        label = after.strip()[:-1].strip()
        if len(end) > 1 and not end.strip("|｜") and label and not label[0].isdigit():
            opened += 1
            if opened > 1:
                return True
    return False


def _rows_opened_after_empty_line(lines: list[str]) -> bool:
    """Whether rows of cells a line each, apart by an empty line, open with a lone pipe (「0 |」
    「」「|」「行政许可 |」) on two or more rows: then a lone pipe after an empty line is no
    blank cell."""
    opened = 0
    for k in range(2, len(lines)):
        label = _cell_of(lines[k])
        if (
            label is not None
            and not _is_figure(label)
            and lines[k - 1].strip() in ("|", "｜")
            and not lines[k - 2].strip()
        ):
            opened += 1
            if opened > 1:
                return True
    return False


# Table 四's cells, its one row of figures (three groups of five).
_T4_CELLS = len(TABLE4.columns) * len(TABLE4.cell_rows)
# A cell of figures (「12」「3.5」「1,200」「-」), not a label (「1.属于国家秘密」).
_FIGURE_CHARS = re.compile(r"[\d.,，%\s-]+")


def _is_figure(cell: str) -> bool:
    # (Two linear scans: one pattern that requires a digit among such characters backtracks
    # quadratically on a long run of digits that ends in a letter.)
    return _FIGURE_CHARS.fullmatch(cell) is not None and _DIGIT.search(cell) is not None


def _cell_of(line: str) -> str | None:
    """The cell of a line printed 「cell |」, None for any other line (a lone pipe too)."""
    stripped = line.strip()
    if not stripped.endswith(("|", "｜")):
        return None
    cell = stripped[:-1].strip()
    return cell if cell and not _PIPE.search(cell) else None


def _rows_separated_by_pipe(lines: list[str]) -> int:
    """How many lone pipes tell rows of cells a line each apart, where they are told apart so
    and by nothing else (0 where not): one where each row is opened by one (「|」「规章 |」
    「0 |」「|」「行政许可 |」…) or closed by one, two where it is both opened and closed by
    one, without a line of pipes. Then a row's label comes after its figures' last cell and
    that many lone pipes (「0 |」「|」「行政许可 |」) on two or more rows, and more often than
    straight after it (「0 |」「行政许可 |」, which is how rows follow each other without such
    pipes) or after another number of lone pipes."""
    apart = [0, 0, 0]  # labels straight after a figure, after one lone pipe, after two
    cells = [_cell_of(line) for line in lines]
    for k in range(1, len(lines)):
        label = cells[k]
        if label is None or _is_figure(label):
            continue
        pipes = 0
        while pipes < 3 and k - pipes - 1 >= 0 and lines[k - pipes - 1].strip() in ("|", "｜"):
            pipes += 1
        figure = cells[k - pipes - 1] if k - pipes - 1 >= 0 else None
        if pipes < 3 and figure is not None and _is_figure(figure):
            apart[pipes] += 1
    best = max((1, 2), key=lambda n: apart[n])
    return best if apart[best] > 1 and apart[best] > max(apart[0], apart[3 - best]) else 0


def _split_numbers_off_heads(run: list[str], separators: int) -> None:
    """Where rows are told apart by ``separators`` lone pipes (:func:`_rows_separated_by_pipe`),
    those between a row of heads and table 四's row of 15 figures, which has no label
    (「尚未审结 |」「总计 |」「|」「|」「5 |」…), are no blank cells but where the figures' row
    starts: they are made a line break, so that table 四's first number is not shifted into
    the second cell (where its last cells are blank, nothing else tells). The figures are the
    run's last cells, 15 and those pipes, and maybe the one that closes them; 15 alone are
    table 四's cells, the first one blank.

    ``run`` holds the cells printed a line each since the last line out (「总计\t」, a lone
    pipe as 「\t」); the heads are two or more labels in a row, the figures all that follows."""
    last = len(run)
    while last > 0 and (not run[last - 1].strip() or _is_figure(run[last - 1])):
        last -= 1
    if (
        last >= 2
        and last < len(run)
        and run[last : last + separators] == ["\t"] * separators
        and run[last - 2].strip()
        and not _is_figure(run[last - 2])
        and any(cell.strip() for cell in run[last:])
        and sum(cell.count("\t") for cell in run[last:]) - _T4_CELLS in (separators, separators + 1)
    ):
        run[last : last + separators] = ["\n"]


def _is_cell_line(line: str) -> bool:
    """「规章 |」, 「0 |」, 「|」 or 「||||」: a line of cells printed a line each (not a row of
    cells, 「| 规章 | 0 |」 or 「规章 | 0 |」)."""
    stripped = line.strip()
    if not stripped.endswith(("|", "｜")):
        return False
    return not stripped.strip("|｜") or _PIPE.search(stripped, 0, len(stripped) - 1) is None


def _empty_lines_as_blank_cells(lines: list[str]) -> list[str]:
    """Cells printed a line each with a blank cell printed as an empty line (「规章 |」「」「」
    「3 |」), as some crawlers print a table, made bare pipes (「|」).

    An empty line is such a cell when the lines next to the empty lines around it are both
    lines of cells, and the page's cell lines mostly follow each other straight: a page that
    puts an empty line after every line (「规章 |」「」「0 |」「」) has no blank cell there.
    Nor has a page whose cells are mostly closed by a pipe on the line below (「1」「|」「」
    「|」): its blank cell is an empty line and the pipe under it, one cell. And the page must
    print blank cells so (:func:`_blank_figures_between`); on a page that prints them as bare
    pipes, an empty line between rows (「0 |」「」「行政许可 |」) tells where a row ends, and
    between table 四's heads and its figures it is no cell.
    """
    if _blank_figures_between(lines) is not True:
        return lines
    tight = spaced = closed_below = single = 0
    for k in range(1, len(lines)):
        if not _is_cell_line(lines[k]):
            continue
        if _cell_of(lines[k]) is not None:
            single += 1
        elif lines[k].strip() in ("|", "｜") and lines[k - 1].strip():
            closed_below += not _PIPE.search(lines[k - 1])
        if _is_cell_line(lines[k - 1]):
            tight += 1
        elif k >= 2 and not lines[k - 1].strip() and _is_cell_line(lines[k - 2]):
            spaced += 1
    if tight <= spaced or tight < 2 or single <= closed_below:
        return lines
    out = list(lines)
    k = 0
    while k < len(out):
        if out[k].strip() or k == 0 or not _is_cell_line(out[k - 1]):
            k += 1
            continue
        end = k
        while end < len(out) and not out[end].strip():
            end += 1
        if end < len(out) and _is_cell_line(out[end]):
            out[k:end] = ["|"] * (end - k)
        k = end
    return out


def _blank_figures_between(lines: list[str]) -> bool | None:
    """How the page prints a blank cell before a figure, each cell a line 「5 |」: True for
    empty lines (「5 |」「」「3 |」, 「规章 |」「」「3 |」) on two or more, and more often than
    bare pipes (「5 |」「|」「3 |」); False for bare pipes more often; None otherwise."""
    empty = pipes = 0
    for k, line in enumerate(lines):
        if _cell_of(line) is None:
            continue
        end = k + 1
        while end < len(lines) and lines[end].strip() in ("", "|", "｜"):
            end += 1
        if end == k + 1 or end == len(lines):
            continue
        after = _cell_of(lines[end])
        if after is None or not _is_figure(after):
            continue
        gap = {lines[j].strip() for j in range(k + 1, end)}
        if gap == {""}:
            empty += 1
        elif "" not in gap:
            pipes += 1
    if empty == pipes or (empty > pipes and empty < 2):
        return None
    return empty > pipes


def _pipes_below_cells(lines: list[str]) -> list[str]:
    """Cells printed a line each with their closing pipe on the line below (「规章」「|」「0」
    「|」), as some crawlers print a table, made 「规章 |」「0 |」.

    A line of one pipe closes the line above it when that line has no pipe of its own; a
    blank line closed that way is a blank cell, when the cell before it was closed that way
    too. (Two or more pipes on a line are blank cells or a row's end, as before.) On a page
    that prints its blank cells so (「0」「|」「」「|」), a lone pipe right after a cell's own
    closes nothing and holds nothing: it opens or closes a row (「0」「|」「|」「行政许可」
    「|」), and is left out, not taken for a blank cell (table 四's figures shifted by it).
    """
    separators = _blank_cells_closed_below(lines)
    out: list[str] = []
    closed = False  # the last line out is a cell closed by the pipe under it
    closed_before = False  # and the line before it
    for line in lines:
        stripped = line.strip()
        if separators and closed and stripped in ("|", "｜"):
            continue  # (the cell before stays the last one closed)
        if (
            stripped in ("|", "｜")
            and out
            and "|" not in out[-1]
            and "｜" not in out[-1]
            and (out[-1].strip() or closed_before)
        ):
            out[-1] = out[-1].rstrip() + " |"
            closed = True
            continue
        closed_before = closed
        closed = False
        out.append(line)
    return out


def _blank_cells_closed_below(lines: list[str]) -> bool:
    """Whether the page's cells are mostly closed by a pipe on the line below rather than by
    their own (「0」「|」 over 「0 |」), a blank one too: an empty line so closed after a cell
    closed so (「0」「|」「」「|」)."""
    closed_below = single = 0
    blank = False
    for k in range(1, len(lines)):
        stripped = lines[k].strip()
        if _cell_of(lines[k]) is not None:
            single += 1
        elif stripped in ("|", "｜"):
            above = lines[k - 1].strip()
            if above and not _PIPE.search(above):
                closed_below += 1
            elif not above and k >= 2 and lines[k - 2].strip() in ("|", "｜"):
                blank = True
    return blank and closed_below > single


def _drop_placeholder_rows(text: str) -> str:
    """Tab-separated rows of made-up column names only (「列1\t列2\t列3」) are left out."""
    if "\t" not in text or PLACEHOLDER.search(text) is None:
        return text
    kept = []
    for line in text.split("\n"):
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) > 1 and all(not c or PLACEHOLDER.fullmatch(c) for c in cells):
            continue
        kept.append(line)
    return "\n".join(kept)


def parse_text(text: str, *, source: str = "") -> ParseResult:
    """Parse one report given as text. See the module docstring."""
    if not isinstance(text, str):
        return failure(source, "输入不是文本")
    if not text.strip():
        return failure(source, "文本为空")
    text, traditional = simplified(text)
    text = _drop_placeholder_rows(untabulate(text))
    mapped = normalise_mapped(text)
    norm = mapped.text
    body = body_start(norm)
    spans = find_sections(norm, start=body)
    sections = {s.section.code: s for s in spans}
    texts = narrative(mapped, spans)
    meta = detect_meta(
        norm,
        last_section=spans[-1].body(norm) if spans else "",
        intro_end=spans[0].start if spans else None,
        source=source,
    )
    problems: list[ParseProblem] = [
        ParseProblem(
            "heading_variant",
            f"第{span.section.number}部分标题与格式不完全一致"
            f"（「{compact(norm[span.start : span.body_start])}」，"
            f"格式为「{span.section.number}、{span.section.heading}」）",
            Severity.INFO,
        )
        for span in spans
        if not span.exact
    ]
    if traditional:
        problems.append(TRADITIONAL_NOTE)
    if meta.format_version is None:
        reason = (
            _not_a_report(norm) or f"无法确定报告年度和格式版本：没有表格标志，且{NO_YEAR_HINT}"
        )
        return ParseResult(None, meta, texts, tuple(problems), source, reason)
    fmt = get_format(meta.format_version)
    tables: dict[str, TableCells] = {}
    rows_found = 0
    end_of_text = len(norm)

    s2_start, s2_end = _region(sections, "proactive", body, end_of_text)
    t3_start, t3_end = _region(sections, "requests", s2_start, end_of_text)
    if "requests" in sections:
        s2_end = min(s2_end, sections["requests"].start)
    for table in fmt.section2:
        read, found_block = _read_block(norm, table, s2_start, s2_end)
        tables[table.code] = read.cells
        rows_found += read.rows_found
        problems.extend(read.problems if found_block else _missing_block(table, read))

    t3 = fmt.table3
    t3_read = _read_table3(norm, t3, t3_start, _region_end(sections, "remedies", t3_end))
    if t3_read.rows_found == 0:
        problems.append(
            ParseProblem(
                "missing_table",
                "未找到表三（收到和处理政府信息公开申请情况）：文本中没有该表的行标签，"
                "表三全部留空",
                Severity.ERROR,
                T3,
            )
        )
    else:
        problems.extend(t3_read.problems)
    tables[T3] = t3_read.cells
    rows_found += t3_read.rows_found

    t4_read = _read_table4(norm, fmt.table4, sections, t3_end, end_of_text)
    tables[T4] = t4_read.cells
    problems.extend(t4_read.problems)

    if rows_found == 0 and not spans:
        reason = (
            _not_a_report(norm)
            or "文本中没有找到年度报告的章节标题和表格，不像是一份政府信息公开工作年度报告"
        )
        return ParseResult(None, meta, texts, tuple(problems), source, reason)
    return finish(meta, fmt, tables, texts, problems, source, printed_headings(norm, spans))


def _not_a_report(text: str) -> str:
    if "年度报告" not in text and "政府信息公开" not in text:
        return "文本中既没有「政府信息公开」也没有「年度报告」字样，不是政府信息公开工作年度报告"
    return ""


def _region(
    sections: dict[str, SectionSpan], code: str, default_start: int, default_end: int
) -> tuple[int, int]:
    span = sections.get(code)
    if span is None:
        return default_start, default_end
    return span.body_start, span.end


def _region_end(sections: dict[str, SectionSpan], code: str, default: int) -> int:
    span = sections.get(code)
    return span.start if span is not None else default


# -- section 二 ------------------------------------------------------------------------------


def _read_block(text: str, table: Table, start: int, end: int) -> tuple[grid.TableRead, bool]:
    """One block of section 二, located by its 「第二十条第（N）项」 header."""
    number = compact(table.header).split("(")[-1].split(")")[0]
    block_start, block_end, found_block = start, end, False
    for header in _BLOCK_HEADER.finditer(text, start, end):
        if header.group(1) == number:
            block_start, found_block = header.end(), True
            following = _BLOCK_HEADER.search(text, header.end(), end)
            block_end = following.start() if following else end
            break
    inputs, problems = _rows_in(text, table, block_start, block_end, numbered=False)
    read = grid.read_table(table, inputs)
    return grid.TableRead(read.cells, (*problems, *read.problems), read.rows_found), found_block


def _missing_block(table: Table, read: grid.TableRead) -> list[ParseProblem]:
    if read.rows_found:
        return list(read.problems)
    return [
        ParseProblem(
            "missing_table",
            f"未找到{grid.table_name(table)}，该表全部留空",
            Severity.WARNING,
            table.code,
        )
    ]


# -- table 三 --------------------------------------------------------------------------------


def _read_table3(text: str, table: Table, start: int, end: int) -> grid.TableRead:
    first = row_pattern(table.rows[0]).search(text, start, end)
    if first is None:
        # No section heading matched where expected: look for the table anywhere.
        first = row_pattern(table.rows[0]).search(text)
        if first is None:
            return grid.read_table(table, {})
        start, end = first.start(), _t3_fallback_end(text, first.start())
    inputs, problems = _rows_in(text, table, start, end, numbered=True)
    read = grid.read_table(table, inputs)
    return grid.TableRead(read.cells, (*problems, *read.problems), read.rows_found)


def _t3_fallback_end(text: str, start: int) -> int:
    header = _T4_HEADER_WORDS.search(text, start)
    while header is not None and not compact(header.group()).startswith("行政复议"):
        header = _T4_HEADER_WORDS.search(text, header.end())
    return header.start() if header else len(text)


# Each table's rows with their label patterns, by table identity and numbering (the tables
# are the formats' constants; hashing a Row for row_pattern's cache walks all its fields).
_PATTERNS: dict[tuple[int, bool], tuple[Table, tuple[tuple[Row, re.Pattern[str]], ...]]] = {}


def _row_patterns(table: Table, numbered: bool) -> tuple[tuple[Row, re.Pattern[str]], ...]:
    cached = _PATTERNS.get((id(table), numbered))
    if cached is not None and cached[0] is table:
        return cached[1]
    patterns = tuple((row, row_pattern(row, numbered=numbered)) for row in table.rows)
    if len(_PATTERNS) < 256:
        _PATTERNS[(id(table), numbered)] = (table, patterns)
    return patterns


def _rows_in(
    text: str, table: Table, start: int, end: int, *, numbered: bool
) -> tuple[dict[str, list[str]], list[ParseProblem]]:
    """Each row's text: from the end of its label to the next label (or the region's end)."""
    found: list[tuple[int, int, str, bool]] = []  # (start, end, row code, has cells)
    pos = start
    patterns = _row_patterns(table, numbered)
    for row, pattern in patterns:
        hit = pattern.search(text, pos, end)
        if hit is None:
            continue
        found.append((hit.start(), hit.end(), row.code, row.has_cells))
        pos = hit.end()
    if len(found) < len(patterns):
        found.extend(_out_of_order(text, table, start, end, found, numbered=numbered))
    found.sort()
    # Header rows repeated anywhere (「三、本年度办理结果」 twice) are boundaries too.
    bounds = sorted(
        {f[0] for f in found}
        | {
            h.start()
            for row, pattern in patterns
            if not row.has_cells
            for h in pattern.finditer(text, start, end)
        }
        | {end}
    )
    inputs: dict[str, list[str]] = {}
    problems: list[ParseProblem] = []
    for _label_start, label_end, code, has_cells in found:
        if not has_cells:
            continue
        stop = bounds[bisect_left(bounds, label_end)]
        run = text[label_end:stop]
        numbers, rest = flat.numeric_prefix(run)
        inputs[code] = [numbers]
        if rest.strip() and not _NOISE.match(rest):
            row = table.row(code)
            problems.append(
                ParseProblem(
                    "extra_text",
                    f"{grid.table_name(table)}「{compact(row.label)}」行的数值后有无法识别的内容"
                    f"「{_clip(compact(rest))}」（可能是地方增设的行或说明），已忽略",
                    Severity.INFO,
                    table.code,
                    code,
                )
            )
    return inputs, problems


def _out_of_order(
    text: str,
    table: Table,
    start: int,
    end: int,
    found: list[tuple[int, int, str, bool]],
    *,
    numbered: bool,
) -> list[tuple[int, int, str, bool]]:
    """Rows printed out of the format's order (a province that puts （七）总计 first).

    The pass in format order misses a row printed before the one found last; such a row is
    taken where its label occurs exactly once in the region, outside every label already
    found. A label that occurs twice is left missing rather than guessed.
    """
    have = {code for _, _, code, _ in found}
    taken = [(a, b) for a, b, _, _ in found]
    extra: list[tuple[int, int, str, bool]] = []
    for row in table.rows:
        if row.code in have:
            continue
        hits = [
            h
            for h in row_pattern(row, numbered=numbered).finditer(text, start, end)
            if not any(a < h.end() and h.start() < b for a, b in taken)
        ]
        if len(hits) == 1:
            extra.append((hits[0].start(), hits[0].end(), row.code, row.has_cells))
            taken.append((hits[0].start(), hits[0].end()))
    return extra


def _clip(text: str, width: int = 30) -> str:
    return text if len(text) <= width else text[:width] + "…"


# -- table 四 --------------------------------------------------------------------------------


def _read_table4(
    text: str,
    table: Table,
    sections: dict[str, SectionSpan],
    default_start: int,
    default_end: int,
) -> grid.TableRead:
    span = sections.get("remedies")
    if span is not None:
        start, end = span.body_start, span.end
    else:
        start, end = default_start, default_end
    first_digit = _DIGIT.search(text, start, end)
    header_end = None
    if first_digit is not None:
        for word in _T4_HEADER_WORDS.finditer(text, start, first_digit.start()):
            header_end = word.end()
    numbers = ""
    if first_digit is not None and header_end is not None:
        # Numbers on the line under the header: blank cells that close the header's line (a
        # crawler's padding, 「总计 | ||」) are the header row's, not table 四's, and the
        # numbers' line has no label, so its first piece is a cell, blank or not.
        padding = _LINE_REST.match(text, header_end, end)
        if padding is None:
            numbers, _rest = flat.numeric_prefix(text[header_end:end])
        else:
            numbers, _rest = flat.numeric_prefix(text[padding.end() : end])
            numbers = ("\t" if "\t" in numbers else "\n") + numbers
    if first_digit is None or header_end is None or not _DIGIT.search(numbers):
        numbers = _numbers_after_header(text, start, end) or numbers
    if not numbers and (first_digit is None or header_end is None):
        cells: TableCells = {r.code: {c.code: None for c in table.columns} for r in table.rows}
        return grid.TableRead(
            cells,
            (
                ParseProblem(
                    "missing_table",
                    f"未找到{grid.table_name(table)}的数值行，该表全部留空",
                    Severity.WARNING,
                    T4,
                ),
            ),
            0,
        )
    read = grid.read_table4_run(table, [numbers])
    if read.problems and "\t" in numbers:
        padded = _blank_lines_after(
            text, numbers, start, end, len(table.cell_rows) * len(table.columns)
        )
        if padded:
            again = grid.read_table4_run(table, [numbers.rstrip("\n") + "\t" * padded])
            if not again.problems:
                return again
    return read


# The end of a line of cells, and the empty lines after it.
_EMPTY_LINES_AFTER = re.compile(r"[ \t]*\n((?:[ \t]*\n)+)")


def _blank_lines_after(text: str, numbers: str, start: int, end: int, cells_in_table: int) -> int:
    """How many empty lines follow table 四's cells (``numbers``, tab-separated) in ``text``.

    A page that prints each blank cell as an empty line (「9 |」「」「」「五、……」) prints the
    blank cells that end the table as empty lines too, after which the cells a line each are
    read as a row of fewer cells than the table has (the next line is no cell): with that many
    blank cells added (at most the table's), the row may be read. Its caller keeps such a
    reading only if the row reader raises no problem with it (its cells placed one way only:
    a row that then has blank cells at both ends, one too many, is ambiguous); else the row
    stays unread, as before."""
    printed = numbers.strip()
    at = text.find(printed, start, end) if printed else -1
    if at < 0:
        return 0
    empty = _EMPTY_LINES_AFTER.match(text, at + len(printed), end)
    return min(empty.group(1).count("\n"), cells_in_table) if empty else 0


# Every character of table 四's column heads. A head printed in pieces (「结果 结果 其他 尚未
# 总」 over 「维持 纠正 结果 审结 计」), or one character a line (a PDF's vertical heads), is
# a run of these between the last whole word and the numbers.
_T4_HEADER_CHARS = frozenset("未经复议直接起诉后行政诉讼结果维持纠正其他尚审总计")
# Fewer digits than this after a head are a figure in a sentence (「行政复议 1 件」), no table.
_T4_MIN_DIGITS = 5


def _numbers_after_header(text: str, start: int, end: int) -> str:
    """Table 四's numbers where they do not follow its last head word at once.

    The heads may be printed in pieces (above), and prose with digits of its own (「2020年，未
    出现……」) may come before the table. After a head word, the numbers are what follows it
    past nothing but head characters and spaces; the longest such run is the table's. Each
    character is looked at once: head words inside a run already passed lead to the same
    place. Empty when there is none.
    """
    best = ""
    best_digits = _T4_MIN_DIGITS - 1
    passed = start
    for word in _T4_HEADER_WORDS.finditer(text, start, end):
        if word.start() < passed:
            continue
        pos = word.end()
        while pos < end and (text[pos] in _T4_HEADER_CHARS or text[pos].isspace()):
            pos += 1
        passed = pos
        if pos >= end or not ("0" <= text[pos] <= "9"):
            continue
        numbers, _rest = flat.numeric_prefix(text[pos:end])
        digits = sum(ch.isdigit() for ch in numbers)
        if digits > best_digits:
            best, best_digits = numbers, digits
    return best
