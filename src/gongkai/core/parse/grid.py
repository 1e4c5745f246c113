"""From a table's rows of cell strings to the report's cells, with problems named precisely.

This is the part every front end shares. A front end finds, for each row of a format table,
what the source wrote for it: either the separate cells (tab-separated text, an HTML ``<td>``
row, a DOCX or PDF table row) or one run of text where the cells lost their boundaries. It
hands them to :func:`read_table`, which parses separate cells directly, splits joined runs
with :mod:`gongkai.core.parse.flat`, solves table 三 jointly, and returns the cells plus a
:class:`ParseProblem` for every row it could not read with certainty.

:func:`read_tables` is the entry point for front ends that see a whole grid (``rows`` as
lists of cell strings, merged cells repeated or left empty): it matches each row's label
with :mod:`gongkai.core.parse.labels` and then calls :func:`read_table`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from gongkai.core.findings import Severity
from gongkai.core.formats import (
    T3,
    T3_BALANCE,
    T3_RESULTS_TOTAL,
    T4,
    ReportFormat,
    Row,
    Table,
    ValueKind,
    get_format,
)
from gongkai.core.model import CellValue, TableCells
from gongkai.core.names import titled_table_name
from gongkai.core.parse import flat
from gongkai.core.parse.labels import compact, match_row, match_row_fuzzy, strip_numbering
from gongkai.core.parse.result import ParseProblem, Reading

_SHOWN_CANDIDATES = 8
_MAX_CELL_DIGITS = flat.MAX_CELL_DIGITS


@dataclass(frozen=True, slots=True)
class TableRead:
    """The cells read for one table (every cell present; unreadable ones None)."""

    cells: TableCells
    problems: tuple[ParseProblem, ...]
    rows_found: int


@dataclass(slots=True)
class TablesRead:
    tables: dict[str, TableCells] = field(default_factory=dict)
    problems: list[ParseProblem] = field(default_factory=list)


def table_name(table: Table) -> str:
    """How the parsers' messages name a table (from :mod:`gongkai.core.names`)."""
    cached = _TABLE_NAMES.get(id(table))
    if cached is not None and cached[0] is table:
        return cached[1]
    name = titled_table_name(table)
    if len(_TABLE_NAMES) < 256:
        _TABLE_NAMES[id(table)] = (table, name)
    return name


# Names by table identity: a message names its table for every row it is about.
_TABLE_NAMES: dict[int, tuple[Table, str]] = {}


# Shapes by table identity: the tables are the formats' constants, and a table's hash walks
# every row and column.
_ShapeCache = dict[int, tuple[Table, flat.Shape]]
_SHAPES: _ShapeCache = {}
_T4_SHAPES: _ShapeCache = {}


def _cached_shape(
    cache: _ShapeCache, table: Table, build: Callable[[Table], flat.Shape]
) -> flat.Shape:
    """A table's shape, built once: keyed by identity (a format's tables live as long as the
    process), checked against the table itself, and bounded for formats built on the fly."""
    cached = cache.get(id(table))
    if cached is not None and cached[0] is table:
        return cached[1]
    shape = build(table)
    if len(cache) < 256:
        cache[id(table)] = (table, shape)
    return shape


def row_shape(table: Table) -> flat.Shape:
    return _cached_shape(_SHAPES, table, _row_shape)


def _row_shape(table: Table) -> flat.Shape:
    kinds = tuple(c.kind for c in table.columns)
    index = {c.code: i for i, c in enumerate(table.columns)}
    groups = tuple(
        (index[c.code], tuple(index[m] for m in c.sum_of)) for c in table.columns if c.sum_of
    )
    return flat.Shape(kinds, groups)


def table4_shape(table: Table) -> flat.Shape:
    """Table 四 as published: its three rows side by side, one line of 15 cells."""
    return _cached_shape(_T4_SHAPES, table, _table4_shape)


def _table4_shape(table: Table) -> flat.Shape:
    one = row_shape(table)
    width = one.width
    kinds = one.kinds * len(table.rows)
    groups = tuple(
        (total + k * width, tuple(m + k * width for m in members))
        for k in range(len(table.rows))
        for total, members in one.groups
    )
    return flat.Shape(kinds, groups)


def t3_equations(table: Table) -> tuple[flat.Equation, ...]:
    """Table 三's column equations, from the declaration's ``sum_of``."""
    total = table.row(T3_RESULTS_TOTAL)
    return (
        flat.Equation(total.sum_of, (total.code,), "（七）总计等于各办理结果之和"),
        flat.Equation(T3_BALANCE.left_rows, T3_BALANCE.right_rows, T3_BALANCE.statement),
    )


def _format_reading(reading: Reading) -> str:
    return "/".join("空" if v is None else str(v) for v in reading)


def _row_name(table: Table, row: Row) -> str:
    return f"{table_name(table)}「{compact(row.label)}」行"


# The most characters of a row's digits quoted in a message.
MAX_QUOTED = 80


def _cell_parts(
    parts: Sequence[str], width: int = 0, groups: Sequence[tuple[int, tuple[int, ...]]] = ()
) -> list[str]:
    """One run with tabs is really separate cells (text copied from a browser table).

    The run starts with the tab after the row's label. Blank pieces after it are cells when
    the row then has exactly ``width`` cells: a blank last cell (a blank 总计,
    「0\t0\t0\t0\t0\t0\t」), and blank first cells (a unit that prints blanks for zeros,
    「\t\t\t\t\t\t0」). Beyond ``width``, blank pieces at the end (what a spanning cell
    leaves) and then at the start (a blank group column) are no cells. A run that does not
    come to ``width`` cells that way is read as before: no leading blank is a cell. Beyond
    ``width`` with blank pieces at both ends, which end's are no cells is not written: only
    a placement that leaves no total of ``groups`` blank beside a printed member is read, and
    if more than one is left the pieces are all kept, and the row left unread (see read_row).
    """
    if len(parts) == 1 and "\t" in parts[0]:
        pieces = [p.strip() for p in parts[0].rstrip("\r\n").split("\t")]
        if pieces and not any(pieces):
            return []
        # By index, not by popping the head: a hostile run can hold 100,000 blank pieces.
        start, end = (1 if not pieces[0] else 0), len(pieces)
        fits = _placements(pieces, start, width, groups)
        if fits is not None:
            if len(fits) == 1:
                return pieces[fits[0] : fits[0] + width]
            return pieces[start:]  # more cells than the format's: left unread (see read_row)
        while end - start > width and not pieces[end - 1]:
            end -= 1
        while end - start > width and not pieces[start]:
            start += 1
        if end - start == width:
            return pieces[start:end]
        start, end = 0, len(pieces)
        while start < end and not pieces[start]:
            start += 1
        while end > start and not pieces[end - 1] and end - start > width:
            end -= 1
        return pieces[start:end]
    return [p.strip() for p in parts]


def _placements(
    pieces: Sequence[str], start: int, width: int, groups: Sequence[tuple[int, tuple[int, ...]]]
) -> list[int] | None:
    """Where a run of more than ``width`` pieces from ``start``, with blank pieces at both ends,
    may begin its ``width`` cells; None when the blanks sit at one end only (or none is over).

    Which end's blanks are no cells (a lone pipe that opens a row, one that closes it, a
    spanning cell's) is not written, and each choice puts the numbers in other columns. A
    choice that leaves a total blank beside a member printed is none: a unit that leaves its
    zeros blank leaves a member 0 blank too, and no unit prints members without their total.
    """
    excess = len(pieces) - start - width
    if excess <= 0 or width <= 0:
        return None
    lead = 0
    while lead <= excess and start + lead < len(pieces) and not pieces[start + lead]:
        lead += 1
    trail = 0
    while trail <= excess and trail < len(pieces) - start and not pieces[-1 - trail]:
        trail += 1
    first, last = max(0, excess - trail), min(lead, excess)
    if last <= first:
        return None
    fits = []
    for dropped in range(first, last + 1):
        cells = pieces[start + dropped : start + dropped + width]
        if not any(
            not cells[total] and any(cells[m] for m in members) for total, members in groups
        ):
            fits.append(start + dropped)
    return fits


@dataclass(slots=True)
class _RowReading:
    readings: tuple[Reading, ...] = ()
    problems: list[ParseProblem] = field(default_factory=list)
    # A row read from fewer numbers than it has cells: the total, its members unread (None).
    total_only: Reading | None = None
    # A joined run of digits that also reads with blank cells: its readings with every cell,
    # set aside, and the problem that says it was not read (see read_table).
    joined_full: tuple[Reading, ...] = ()
    # A joined run of digits read with every cell and a member 0 printed, which no reading
    # with blank cells matches: the table prints its zeros.
    prints_zeros: bool = False


def read_row(table: Table, row: Row, parts: Sequence[str], shape: flat.Shape) -> _RowReading:
    """The candidate readings of one row from what the source wrote for it."""
    out = _RowReading()
    if len(parts) == shape.width > 1:
        plain = _read_plain(parts, shape)
        if plain is not None:
            out.readings = (plain,)
            return out
    if len(parts) == 1 and "\t" not in parts[0]:
        # One run, as the text reader finds it: what _cell_parts makes of it, without it.
        cells = [parts[0].strip()]
        separate = False
    else:
        cells = _cell_parts(parts, shape.width, shape.groups)
        separate = len(parts) > 1 or "\t" in parts[0] if parts else False
    if not any(cells):  # (the cells are stripped: a non-empty one has a non-blank character)
        out.problems.append(
            ParseProblem(
                "empty_row",
                f"{_row_name(table, row)}没有数值，已留空",
                Severity.WARNING,
                table.code,
                row.code,
            )
        )
        return out
    units: list[tuple[int, str]] = []
    if separate and len(cells) == shape.width:
        direct = _read_separate(cells, shape, units)
        if direct is not None:
            out.readings = (direct,)
            _unit_problems(table, row, units, out.problems)
            return out
    if separate and len(cells) > shape.width:
        either = ""
        if _placements(cells, 0, shape.width, ()) is not None:
            either = "，且前后两端都有空白单元格，去掉哪一端的空白决定数字落在哪一列，无法确定"
        out.problems.append(
            ParseProblem(
                "too_many_cells",
                f"{_row_name(table, row)}有 {len(cells)} 个单元格，"
                f"多于格式的 {shape.width} 列{either}，已留空",
                Severity.WARNING,
                table.code,
                row.code,
            )
        )
        return out
    joined = " ".join([c for c in cells if c])
    run = cells[0] if len(cells) == 1 and cells[0] else " ".join([c if c else "-" for c in cells])
    split = flat.split_run(run, shape)
    # What the source wrote, quoted in the message; a hostile run may be megabytes long.
    joined = joined if len(joined) <= MAX_QUOTED else joined[: MAX_QUOTED - 1] + "…"
    if split.capped and not split.readings:
        out.problems.append(
            ParseProblem(
                "search_capped",
                f"{_row_name(table, row)}的数字「{joined}」可能的拆分过多，已停止搜索并留空",
                Severity.WARNING,
                table.code,
                row.code,
            )
        )
        return out
    if not split.readings:
        short = flat.split_short(run, shape)
        if short.total is not None:
            out.total_only = (*(None,) * (shape.width - 1), short.total)
            out.problems.append(_total_only_problem(table, row, joined, short, shape.width))
            return out
        rule = "且满足总计等于各项之和" if shape.groups else ""
        out.problems.append(
            ParseProblem(
                "unreadable_row",
                f"{_row_name(table, row)}的数字「{joined}」"
                f"无法拆分为 {shape.width} 个单元格{rule}，已留空",
                Severity.WARNING,
                table.code,
                row.code,
            )
        )
        return out
    apart = flat.split_spaced_short(run, shape)
    if apart is not None and (split.capped or any(r[-1] != apart[-1] for r in split.readings)):
        # Blank cells vanished, or numbers joined: the totals differ, so neither is read.
        out.problems.append(_short_or_full_problem(table, row, joined, apart, split, shape))
        return out
    if apart is None and run.isdigit() and run.isascii():
        # One run of digits that reads both as every cell and as some cells left blank (the
        # crawler's joined row of a unit that prints blanks for zeros): which cells are the
        # members is not known, and the total is known only when all agree. A unit that
        # leaves zeros blank prints no member 0, so a reading with blanks and a printed 0
        # member is none (「640020470」 is 64|0|0|2|0|4|70, not 6|40|0|20|4 and a blank).
        short = flat.split_blank_cells(run, shape)
        if short.readings or short.capped:
            totals = {r[-1] for r in split.readings} | {r[-1] for r in short.readings}
            if len(totals) == 1 and not (split.capped or short.capped):
                out.total_only = (*(None,) * (shape.width - 1), totals.pop())
                out.problems.append(_joined_total_only_problem(table, row, joined, split))
            else:
                out.problems.append(_joined_problem(table, row, joined, short, split, shape))
            if not split.capped:
                out.joined_full = split.readings
            return out
        out.prints_zeros = len(split.readings) == 1 and 0 in split.readings[0][:-1]
    out.readings = split.readings
    _unit_problems(table, row, [(0, u) for u in split.units], out.problems)
    return out


def _shown_short(reading: tuple[int, ...]) -> str:
    """A reading of fewer cells than the row's, in words: the members printed and their sum."""
    if len(reading) == 1:
        return f"总计 {reading[0]}，其余单元格均空白"
    if len(reading) == 2:
        return f"{reading[0]} 和总计 {reading[1]}"
    members = "、".join(map(str, reading[:-1]))
    return f"{members} 之和为 {reading[-1]}"


def _short_or_full_problem(
    table: Table,
    row: Row,
    joined: str,
    short: tuple[int, ...],
    split: flat.Split,
    shape: flat.Shape,
) -> ParseProblem:
    """Why a row of numbers kept apart, fewer than its cells, was not read: as blank cells
    and as cut numbers it reads with different totals (see flat.split_spaced_short)."""
    width = shape.width
    full = split.readings
    shown = "；".join(_format_reading(r) for r in full[:_SHOWN_CANDIDATES])
    more = f"等 {len(full)} 种" if len(full) > _SHOWN_CANDIDATES else ""
    capped = "（可能的拆分过多，搜索已截止）" if split.capped else ""
    totals = "、".join(dict.fromkeys(str(r[-1]) for r in ((short[-1],), *full)))
    return ParseProblem(
        "ambiguous_row",
        f"{_row_name(table, row)}的数字「{joined}」只有 {len(short)} 个，少于 {width} 个单元格："
        f"既可读作其余单元格空白（{_shown_short(short)}），也可读作连在一起的数字拆开后的 "
        f"{width} 个单元格（{shown}{more}{capped}），两种读法的总计不同（{totals}）；"
        "无法确定，已留空",
        Severity.WARNING,
        table.code,
        row.code,
        (*full, (*(None,) * (width - 1), short[-1])),
    )


def _joined_problem(
    table: Table,
    row: Row,
    joined: str,
    short: flat.ShortSplit,
    split: flat.Split,
    shape: flat.Shape,
) -> ParseProblem:
    """Why a joined run of digits was not read: cut into every cell and read with some cells
    blank, it gives different totals."""
    width = shape.width
    full = split.readings
    shown = "；".join(_format_reading(r) for r in full[:_SHOWN_CANDIDATES])
    fewer = "；".join(_shown_short(r) for r in short.readings[:_SHOWN_CANDIDATES])
    capped = "（可能的拆分过多，搜索已截止）" if split.capped or short.capped else ""
    totals = "、".join(dict.fromkeys(str(r[-1]) for r in (*full, *short.readings)))
    return ParseProblem(
        "ambiguous_row",
        f"{_row_name(table, row)}的数字「{joined}」连在一起：既可拆为 {width} 个单元格"
        f"（{shown}），也可读作部分单元格空白（{fewer}）{capped}，总计不同（{totals}）；"
        "无法确定，已留空",
        Severity.WARNING,
        table.code,
        row.code,
        (*full, *((*(None,) * (width - 1), r[-1]) for r in short.readings)),
    )


def _joined_total_only_problem(
    table: Table, row: Row, joined: str, split: flat.Split
) -> ParseProblem:
    """Why only a joined row's total was read: every reading, with every cell or some blank,
    gives the same total, but not the same members."""
    total = split.readings[0][-1]
    return ParseProblem(
        "total_only",
        f"{_row_name(table, row)}的数字「{joined}」连在一起，既可拆为每个单元格，"
        f"也可读作部分单元格空白，总计都是 {total}：只读出总计，各项留空（未读出，不是 0）",
        Severity.WARNING,
        table.code,
        row.code,
    )


def _total_only_problem(
    table: Table, row: Row, joined: str, short: flat.ShortSplit, width: int
) -> ParseProblem:
    """Why only a row's total was read: the numbers it printed, and what they add up to."""

    total = short.readings[0][-1]
    if len(short.readings) == 1:
        printed = len(short.readings[0])
        what = f"只印出 {printed} 个数字（{_shown_short(short.readings[0])}）"
    else:
        listed = "；".join(_shown_short(r) for r in short.readings[:_SHOWN_CANDIDATES])
        more = f"等 {len(short.readings)} 种" if len(short.readings) > _SHOWN_CANDIDATES else ""
        what = f"的数字「{joined}」不足 {width} 个单元格，可拆为{listed}{more}，总计都是 {total}"
    return ParseProblem(
        "total_only",
        f"{_row_name(table, row)}{what}，留空的单元格位置无法确定：只读出总计 {total}，"
        "各项留空（未读出，不是 0）",
        Severity.WARNING,
        table.code,
        row.code,
    )


def _read_plain(parts: Sequence[str], shape: flat.Shape) -> Reading | None:
    """Most rows: one cell per column, each plain digits or empty, into counts; None otherwise.

    What :func:`_read_separate` reads such a row as, told at once: the cells joined are ASCII
    digits only (so no cell has a space, a sign or a unit, and at least one is printed), none
    is longer than a count may be, and every column is a count.
    """
    joined = "".join(parts)
    if not (joined.isdigit() and joined.isascii()):
        return None
    kinds = shape.kinds
    if kinds.count(ValueKind.COUNT) != len(kinds) or max(map(len, parts)) > _MAX_CELL_DIGITS:
        return None
    return tuple([int(text) if text else None for text in parts])


def _read_separate(
    cells: Sequence[str], shape: flat.Shape, units: list[tuple[int, str]]
) -> Reading | None:
    values: list[CellValue] = []
    blank = flat.BLANK_TOKENS
    count = ValueKind.COUNT
    for index, (text, kind) in enumerate(zip(cells, shape.kinds, strict=True)):
        if not text or text in blank:
            values.append(None)
            continue
        if kind is count and text.isdigit() and text.isascii():
            # Most cells: plain digits into a count (a leading 0 allowed, as below).
            if len(text) > _MAX_CELL_DIGITS:
                return None
            values.append(int(text))
            continue
        tokens = flat.tokenize(text)
        if len(tokens) != 1 or not tokens[0].text:
            return None
        try:
            values.append(flat.parse_value(tokens[0].text, kind))
        except ValueError:
            if kind is ValueKind.COUNT and re.fullmatch(r"0[0-9]{1,14}", tokens[0].text):
                values.append(int(tokens[0].text))
                continue
            return None
        if tokens[0].unit:
            units.append((index, tokens[0].unit))
    return tuple(values)


def _unit_problems(
    table: Table, row: Row, units: Sequence[tuple[int, str]], problems: list[ParseProblem]
) -> None:
    if not units:
        return
    kinds = {c.kind for c in table.columns}
    name = _row_name(table, row)
    for _, unit in units:
        if unit == "元" and ValueKind.WAN_YUAN in kinds:
            problems.append(
                ParseProblem(
                    "unit_mismatch",
                    f"{name}的金额写有单位「元」，而格式规定单位为万元；已保留原数值，请核对单位",
                    Severity.WARNING,
                    table.code,
                    row.code,
                )
            )
        elif unit in ("元", "万元") and ValueKind.MONEY in kinds:
            problems.append(
                ParseProblem(
                    "unit_seen",
                    f"{name}的金额单位为「{unit}」（试行格式未规定单位）",
                    Severity.INFO,
                    table.code,
                    row.code,
                )
            )


def read_table(table: Table, inputs: Mapping[str, Sequence[str]], *, label: str = "") -> TableRead:
    """Cells of ``table`` from what the source wrote for each row (by row code).

    Rows missing from ``inputs`` are reported and left blank. For table 三 the rows that the
    row arithmetic alone leaves ambiguous are solved jointly with the column equations.
    """
    shape = row_shape(table)
    problems: list[ParseProblem] = []
    candidates: dict[str, tuple[Reading, ...]] = {}
    # Rows of which only the total was read: kept out of the joint solution, whose column
    # equations would otherwise take their unread members for zeros.
    totals_only: dict[str, Reading] = {}
    set_aside: dict[str, _RowReading] = {}
    prints_zeros = False
    collapsed = collapsed_groups(table, inputs)
    folded = {member for group in collapsed for member in group.sum_of}
    for row in table.cell_rows:
        if row.code in folded:
            continue
        if row.code not in inputs:
            problems.append(
                ParseProblem(
                    "missing_row",
                    f"{table_name(table)}中未找到「{compact(row.label)}」行，已留空",
                    Severity.WARNING,
                    table.code,
                    row.code,
                )
            )
            continue
        reading = read_row(table, row, inputs[row.code], shape)
        problems.extend(reading.problems)
        if reading.readings:
            candidates[row.code] = reading.readings
        elif reading.total_only is not None:
            totals_only[row.code] = reading.total_only
        if reading.joined_full:
            set_aside[row.code] = reading
        prints_zeros = prints_zeros or reading.prints_zeros
    if prints_zeros and set_aside:
        # A table that prints its zeros leaves none blank: a joined row read with blank cells
        # is read with every cell after all.
        dropped = {id(p) for r in set_aside.values() for p in r.problems[-1:]}
        problems = [p for p in problems if id(p) not in dropped]
        for code, reading in set_aside.items():
            candidates[code] = reading.joined_full
            totals_only.pop(code, None)
    for group in collapsed:
        reading = read_row(table, group, inputs[group.code], shape)
        problems.extend(reading.problems)
        if reading.readings:
            candidates[group.code] = reading.readings
        elif reading.total_only is not None:
            totals_only[group.code] = reading.total_only
    equations = _fold(t3_equations(table), collapsed) if table.code == T3 else ()
    solution = flat.solve_jointly(candidates, equations)
    problems.extend(_joint_problems(table, solution, equations, inputs))
    values = {**solution.values, **totals_only} if totals_only else solution.values
    problems.extend(_collapsed_notes(table, collapsed, values, totals_only))
    cells: TableCells = {}
    codes = [col.code for col in table.columns]
    for row in table.cell_rows:
        chosen = values.get(row.code)
        cells[row.code] = (
            dict.fromkeys(codes) if chosen is None else dict(zip(codes, chosen, strict=False))
        )
    return TableRead(cells, tuple(problems), sum(1 for r in table.cell_rows if r.code in inputs))


def collapsed_groups(table: Table, inputs: Mapping[str, Sequence[str]]) -> tuple[Row, ...]:
    """Groups printed as one row: the group's label has cells, and none of its rows has any.

    The 2021 format gives （六）其他处理 three rows; reports that keep the 2019 habit print one
    row for the group. Its cells are the group's sum; its rows are unknown (not zeros).
    """
    return tuple(
        row
        for row in table.rows
        if not row.has_cells
        and row.sum_of
        and " ".join(inputs.get(row.code, ())).strip()
        and not any(" ".join(inputs.get(member, ())).strip() for member in row.sum_of)
    )


def _fold(equations: Sequence[flat.Equation], groups: Sequence[Row]) -> tuple[flat.Equation, ...]:
    """The equations with a collapsed group's rows replaced by the group's one row."""
    if not groups:
        return tuple(equations)
    replace = {member: group.code for group in groups for member in group.sum_of}

    def fold(codes: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(replace.get(code, code) for code in codes))

    return tuple(flat.Equation(fold(e.left), fold(e.right), e.name) for e in equations)


def _collapsed_notes(
    table: Table,
    groups: Sequence[Row],
    values: Mapping[str, Reading | None],
    totals_only: Mapping[str, Reading],
) -> list[ParseProblem]:
    """What was read for each collapsed group, and whether （七）总计 agrees with it."""
    notes: list[ParseProblem] = []
    for group in groups:
        reading = values.get(group.code)
        members = "、".join(f"「{compact(table.row(m).label)}」" for m in group.sum_of)
        label = compact(group.label)
        if reading is None:
            continue  # the group's own row could not be read: read_row said why
        if group.code in totals_only:
            # Only its total was read (see read_row): the members' places are not known.
            shown = f"{table.columns[-1].label} {reading[-1]}，各项未读出"
        else:
            shown = "、".join(
                f"{column.label} {_format_reading((value,))}"
                for column, value in zip(table.columns, reading, strict=True)
            )
        text = (
            f"{table_name(table)}的「{label}」只印了一行合计（{shown}），没有分列{members}"
            f" {len(group.sum_of)} 行：这几行的数值未知，已留空（不是 0）"
        )
        check = _total_with_groups(table, groups, values)
        severity = Severity.INFO
        if check:
            text += f"；按这行合计核对，{check}"
            severity = Severity.WARNING if "不等于" in check else Severity.INFO
        notes.append(ParseProblem("collapsed_group", text, severity, table.code, group.code))
    return notes


def _total_with_groups(
    table: Table, groups: Sequence[Row], values: Mapping[str, Reading | None]
) -> str:
    """（七）总计 against the leaves, each collapsed group counted by its one row."""
    total = next((r for r in table.cell_rows if r.code == T3_RESULTS_TOTAL), None)
    if total is None:
        return ""
    terms = _fold((flat.Equation(total.sum_of, (total.code,), ""),), groups)[0].left
    stated = values.get(total.code)
    rows = [values.get(code) for code in terms]
    if stated is None or any(r is None for r in rows):
        return ""
    wrong = []
    for index, column in enumerate(table.columns):
        parts = [r[index] for r in rows if r is not None]
        if stated[index] is None or any(p is None for p in parts):
            continue
        computed = sum(p for p in parts if p is not None)
        if computed != stated[index]:
            wrong.append(
                f"「{column.label}」列各项之和为 {computed}，而（七）总计为 {stated[index]}"
            )
    if wrong:
        return "（七）总计不等于各项办理结果之和：" + "；".join(wrong)
    return "（七）总计等于各项办理结果之和"


def _joint_problems(
    table: Table,
    solution: flat.JointSolution,
    equations: Sequence[flat.Equation],
    inputs: Mapping[str, Sequence[str]],
) -> list[ParseProblem]:
    problems = []
    dropped = [e.name for e in equations if e.name not in solution.equations_used]
    if solution.searched and dropped:
        problems.append(
            ParseProblem(
                "balance_relaxed",
                f"{table_name(table)}的数字不满足「{'、'.join(dropped)}」（或相关行无法读取），"
                "拆分连在一起的数字时只使用了其余的关系",
                Severity.INFO,
                table.code,
            )
        )
    reason = "都满足表格的勾稽关系" if equations or row_shape(table).groups else "都可能成立"
    for code, readings in solution.choices.items():
        row = table.row(code)
        shown = "；".join(_format_reading(r) for r in readings[:_SHOWN_CANDIDATES])
        more = f"等 {len(readings)} 种" if len(readings) > _SHOWN_CANDIDATES else ""
        capped = "（可能的组合过多，搜索已截止）" if solution.capped else ""
        source = " ".join(s.strip() for s in inputs.get(code, ()))
        problems.append(
            ParseProblem(
                "ambiguous_row",
                f"{_row_name(table, row)}的数字「{source}」有多种拆分{reason}"
                f"{capped}：{shown}{more}；无法确定，已留空",
                Severity.WARNING,
                table.code,
                code,
                tuple(readings),
            )
        )
    return problems


def read_table4_run(table: Table, parts: Sequence[str]) -> TableRead:
    """Table 四 written as one line of 15 cells (three groups of five), as published."""
    shape = table4_shape(table)
    pseudo = Row("all", "行政复议、行政诉讼")
    reading = read_row(table, pseudo, parts, shape)
    problems = [
        ParseProblem(
            p.code, p.message.replace("「行政复议、行政诉讼」行", ""), p.severity, table.code
        )
        for p in reading.problems
    ]
    width = len(table.columns)
    cells: TableCells = {r.code: {c.code: None for c in table.columns} for r in table.cell_rows}
    if len(reading.readings) == 1:
        values = reading.readings[0]
        for k, row in enumerate(table.cell_rows):
            for i, col in enumerate(table.columns):
                cells[row.code][col.code] = values[k * width + i]
    elif reading.readings:
        shown = "；".join(_format_reading(r) for r in reading.readings[:_SHOWN_CANDIDATES])
        problems.append(
            ParseProblem(
                "ambiguous_row",
                f"{table_name(table)}的数字「{' '.join(parts).strip()}」有多种拆分都满足"
                f"各组总计等于各项之和：{shown}；无法确定，已留空",
                Severity.WARNING,
                table.code,
                None,
                reading.readings,
            )
        )
    return TableRead(cells, tuple(problems), 1)


def read_tables(rows: Sequence[Sequence[str]], fmt: ReportFormat) -> TablesRead:
    """Tables of ``fmt`` from a grid: each row a list of cell strings, label cells first.

    A row is assigned to the format row whose label its label cells spell (the last
    non-numeric cell that matches wins, so 「三、本年度办理结果 | (三)不予公开 | 1.属于国家秘密」
    is row 1 of 不予公开); a misspelt label that is close to exactly one official label is
    that row, with a note. A row of numbers only, after table 四's header, is table 四's
    15-cell line. Rows that match nothing are ignored (headers, provincial additions).

    What a layout without row boundaries does to a row is undone here: a label wrapped over
    two lines whose cells sit on the line after its first half (or between its halves), or on
    the line just before it, gets those cells; a label cell left blank in front of the cells
    (a merged label that did not reach this row) is not a cell. A group printed as one row
    (「（六）其他处理」 without its three sub-rows) is read as the group's sum, see
    :func:`read_table`.
    """
    inputs: dict[str, dict[str, Sequence[str]]] = {t.code: {} for t in fmt.tables}
    notes: list[ParseProblem] = []
    t4_line: Sequence[str] | None = None
    seen_t4_header = False
    # A row whose label was found on a line without its cells, waiting for them.
    pending: tuple[Table, Row] | None = None
    # Cells found on a line without a recognised label, waiting for the label below them.
    orphan: Sequence[str] | None = None
    # The last lines of labels that matched nothing (the start of a wrapped label).
    fragments: list[str] = []
    # A group's label alone on its line, and the cells found next to such labels.
    group: tuple[str, str] | None = None
    group_cells: dict[tuple[str, str], Sequence[str]] = {}

    # Rows given their blank cells from their own line, which cells found later replace.
    blank: set[tuple[str, str]] = set()

    def wants(table: Table, row: Row) -> bool:
        return (row.has_cells or bool(row.sum_of)) and (
            row.code not in inputs[table.code] or (table.code, row.code) in blank
        )

    def trim(table: Table, values: Sequence[str]) -> Sequence[str]:
        # Label cells left blank in front of the cells (a merged label cut by a page break,
        # an empty cell beside 「（七）总计」) are not cells.
        while len(values) > len(table.columns) and not values[0].strip():
            values = values[1:]
        return values

    def assign(table: Table, row: Row, values: Sequence[str]) -> None:
        inputs[table.code][row.code] = trim(table, values)
        blank.discard((table.code, row.code))

    for raw in rows:
        # A grid's row holds text only: it is read as it is (slices of it are taken, it is
        # never changed), without a copy.
        if _TEXTS.issuperset(map(type, raw)):
            cells = raw
        else:
            cells = [c if isinstance(c, str) else "" for c in raw]
        label_end = 0  # after the last cell that is not a number
        for i in range(len(cells) - 1, -1, -1):
            cell = cells[i]
            if (cell.isdigit() and cell.isascii()) or not cell.strip():
                continue  # most cells: plain digits (what _is_numeric tells first), or blank
            if not _is_numeric(cell):
                label_end = i + 1
                break
        labels, names_t4_header, hit = _label_cells(cells[:label_end], fmt.version)
        values = cells[label_end:]
        has_values = bool("".join(values).strip())
        if names_t4_header:
            seen_t4_header = True
        if hit is None and labels and fragments:
            # A long label wrapped over lines: its first line(s) above, matched by nothing.
            for count in range(1, len(fragments) + 1):
                hit = _match_any(["".join([*fragments[-count:], *labels])], fmt.version)
                if hit is not None:
                    break
        if hit is None:
            if not has_values:
                # A label's first or second half, a header, a vertical label's character.
                fragments = [*fragments[-1:], "".join(labels)] if labels else fragments
                continue
            if labels:
                fragments = []  # (a line of cells alone may sit between a label's halves)
            if group is not None:
                # Cells just after a group's label: its own, if none of its rows has any.
                group_cells.setdefault(group, values)
                group = None
            fits = pending is not None and len(trim(pending[0], values)) <= len(pending[0].columns)
            if pending is not None and wants(*pending) and fits:
                assign(*pending, values)  # the cells of the label on the line above
                pending = None
            elif not labels and seen_t4_header and t4_line is None:
                t4_line = values
            elif all(len(compact(label)) <= 2 for label in labels):
                # No label, or only characters of a label printed vertically (「三」「、」).
                orphan = values
            else:
                orphan = None  # a provincial row of its own
            continue
        fragments = []
        table, row, guessed = hit
        group = None
        if guessed and not strip_numbering(row.label).startswith(strip_numbering(guessed)):
            notes.append(_guessed_label(table, row, guessed))  # misspelt, not merely cut short
        if not values:
            pending, orphan = None, None  # a header (「结果维持 … 总计」)
            continue
        if not has_values and not row.has_cells and wants(table, row):
            # A group's label alone on its line: merged down its rows, it stands beside other
            # rows' cells, unless the group is printed as one row (decided at the end).
            if orphan is not None:
                group_cells.setdefault((table.code, row.code), orphan)
            group = (table.code, row.code)
            pending = None
            continue  # the orphan stays: the label below it may be a row's
        if not has_values:
            # A label whose cells are blank, or on the line before it or after it.
            if orphan is not None and row.has_cells and wants(table, row):
                assign(table, row, orphan)
                pending = None
            elif row.has_cells and wants(table, row):
                pending = (table, row)
                if row.code not in inputs[table.code]:
                    # Blank cells, unless the cells turn up on the next line.
                    inputs[table.code][row.code] = values
                    blank.add((table.code, row.code))
            else:
                pending = None
            orphan = None
            continue
        pending, orphan = None, None
        if wants(table, row):
            assign(table, row, values)
    for (code, group_code), cells_found in group_cells.items():
        members = fmt.table(code).row(group_code).sum_of
        if not any(" ".join(inputs[code].get(m, ())).strip() for m in members):
            inputs[code].setdefault(group_code, cells_found)
    out = TablesRead(problems=notes)
    for table in fmt.tables:
        labels_only = all((T4, code) in blank for code in inputs[T4])
        if table.code == T4 and labels_only and t4_line is not None:
            read = read_table4_run(table, t4_line)
        else:
            read = read_table(table, inputs[table.code])
        out.tables[table.code] = read.cells
        out.problems.extend(read.problems)
    return out


_TEXTS: frozenset[type] = frozenset({str})

LabelCells = tuple[tuple[str, ...], bool, tuple[Table, Row, str] | None]


def _label_cells(head: Sequence[str], version: str) -> LabelCells:
    """A row's label cells (the blank ones left out), whether one names table 四's header, and
    the row they name (see :func:`_match_any`).

    The label cells of a format's rows are the same in every report (merged cells repeat them
    down the grid): they are read once per distinct run of them, and remembered while short.
    """
    key = head if type(head) is tuple else tuple(head)
    if sum(map(len, key)) > _CACHED_LABELS:
        return _read_label_cells(key, version)
    return _read_label_cells_cached(key, version)


# The most characters of a row's label cells remembered (a hostile grid's are not).
_CACHED_LABELS = 400


def _read_label_cells(head: tuple[str, ...], version: str) -> LabelCells:
    labels = tuple([c for c in head if c.strip()])
    if not labels:
        return labels, False, None
    hit = _match_any(labels, version)
    return labels, any(map(_names_t4_header, labels)), hit


_read_label_cells_cached = lru_cache(maxsize=4096)(_read_label_cells)


@lru_cache(maxsize=4096)
def _names_t4_header(label: str) -> bool:
    """A label of table 四's header (reports print the same few: told once per label)."""
    key = compact(label)
    return "行政复议" in key or "结果维持" in key


def _guessed_label(table: Table, row: Row, spelled: str) -> ParseProblem:
    return ParseProblem(
        "label_guessed",
        f"{table_name(table)}的行标签「{spelled}」与格式不符，按最接近的「{compact(row.label)}」"
        "行读取，请核对",
        Severity.INFO,
        table.code,
        row.code if row.has_cells else None,
    )


def _is_numeric(cell: str) -> bool:
    stripped = cell.strip()
    if stripped.isdigit() and stripped.isascii():
        return True  # most value cells: no need for the pattern
    if len(stripped) <= _CACHED_CELL:
        return _is_numeric_label(stripped)  # label cells: the same few in every report
    _prefix, rest = flat.numeric_prefix(stripped)
    return not rest.strip()


_CACHED_CELL = 80


@lru_cache(maxsize=4096)
def _is_numeric_label(stripped: str) -> bool:
    _prefix, rest = flat.numeric_prefix(stripped)
    return not rest.strip()


def _match_any(labels: Sequence[str], version: str) -> tuple[Table, Row, str] | None:
    """The row the label cells name, and the label as spelled if it was only a close match.

    Merged label cells repeat across the grid, and reports share the official labels: match
    each distinct label once, and remember the answer across rows and documents.
    """
    return _match_labels(tuple(dict.fromkeys(reversed(labels))), version)


@lru_cache(maxsize=4096)
def _match_labels(labels: tuple[str, ...], version: str) -> tuple[Table, Row, str] | None:
    fmt = get_format(version)
    exact = _match_exact(labels, fmt)
    if exact is not None and exact[0] == 0:
        return exact[1], exact[2], ""
    # The last label is not an official one (the row's own label, when the ones before it
    # are its group's): it may be misspelt (「（三）不予公开 | 2.其他法律行政止公开」), or be
    # the end of a label split by a wide gap (「4.无正当理由大量反复  申请」).
    near = match_row_fuzzy(labels[0], fmt.tables) if labels else None
    if near is not None:
        return near[0], near[1], labels[0]
    if len(labels) > 1:
        joined = labels[1] + labels[0]
        whole = _match_exact((joined,), fmt)
        if whole is not None:
            return whole[1], whole[2], ""
        near = match_row_fuzzy(joined, fmt.tables)
        if near is not None:
            return near[0], near[1], joined
    return (exact[1], exact[2], "") if exact is not None else None


def _match_exact(labels: Sequence[str], fmt: ReportFormat) -> tuple[int, Table, Row] | None:
    for index, label in enumerate(labels):
        for table in fmt.tables:
            row = match_row(label, table)
            if row is not None:
                return index, table, row
    return None
