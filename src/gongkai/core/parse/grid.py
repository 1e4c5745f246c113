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
from collections.abc import Mapping, Sequence
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
from gongkai.core.parse.labels import compact, match_row
from gongkai.core.parse.result import ParseProblem, Reading

_SHOWN_CANDIDATES = 8


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
    return titled_table_name(table)


def row_shape(table: Table) -> flat.Shape:
    kinds = tuple(c.kind for c in table.columns)
    index = {c.code: i for i, c in enumerate(table.columns)}
    groups = tuple(
        (index[c.code], tuple(index[m] for m in c.sum_of)) for c in table.columns if c.sum_of
    )
    return flat.Shape(kinds, groups)


def table4_shape(table: Table) -> flat.Shape:
    """Table 四 as published: its three rows side by side, one line of 15 cells."""
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


def _cell_parts(parts: Sequence[str]) -> list[str]:
    """One run with tabs is really separate cells (text copied from a browser table)."""
    if len(parts) == 1 and "\t" in parts[0]:
        pieces = [p.strip() for p in parts[0].split("\t")]
        while pieces and not pieces[0]:
            pieces.pop(0)
        while pieces and not pieces[-1]:
            pieces.pop()
        return pieces
    return [p.strip() for p in parts]


@dataclass(slots=True)
class _RowReading:
    readings: tuple[Reading, ...] = ()
    problems: list[ParseProblem] = field(default_factory=list)


def read_row(table: Table, row: Row, parts: Sequence[str], shape: flat.Shape) -> _RowReading:
    """The candidate readings of one row from what the source wrote for it."""
    out = _RowReading()
    name = _row_name(table, row)
    cells = _cell_parts(parts)
    joined = " ".join(c for c in cells if c)
    if not joined.strip():
        out.problems.append(
            ParseProblem(
                "empty_row", f"{name}没有数值，已留空", Severity.WARNING, table.code, row.code
            )
        )
        return out
    units: list[tuple[int, str]] = []
    separate = len(parts) > 1 or "\t" in "".join(parts)
    if separate and len(cells) == shape.width:
        direct = _read_separate(cells, shape, units)
        if direct is not None:
            out.readings = (direct,)
            _unit_problems(table, row, units, out.problems)
            return out
    if separate and len(cells) > shape.width:
        out.problems.append(
            ParseProblem(
                "too_many_cells",
                f"{name}有 {len(cells)} 个单元格，多于格式的 {shape.width} 列，已留空",
                Severity.WARNING,
                table.code,
                row.code,
            )
        )
        return out
    run = " ".join(c if c else "-" for c in cells)
    split = flat.split_run(run, shape)
    if split.capped and not split.readings:
        out.problems.append(
            ParseProblem(
                "search_capped",
                f"{name}的数字「{joined}」可能的拆分过多，已停止搜索并留空",
                Severity.WARNING,
                table.code,
                row.code,
            )
        )
        return out
    if not split.readings:
        rule = "且满足总计等于各项之和" if shape.groups else ""
        out.problems.append(
            ParseProblem(
                "unreadable_row",
                f"{name}的数字「{joined}」无法拆分为 {shape.width} 个单元格{rule}，已留空",
                Severity.WARNING,
                table.code,
                row.code,
            )
        )
        return out
    out.readings = split.readings
    _unit_problems(table, row, [(0, u) for u in split.units], out.problems)
    return out


def _read_separate(
    cells: Sequence[str], shape: flat.Shape, units: list[tuple[int, str]]
) -> Reading | None:
    values: list[CellValue] = []
    for index, (text, kind) in enumerate(zip(cells, shape.kinds, strict=True)):
        if not text or text in flat.BLANK_TOKENS:
            values.append(None)
            continue
        tokens = flat.tokenize(text)
        if len(tokens) != 1 or not tokens[0].text:
            return None
        try:
            values.append(flat.parse_value(tokens[0].text, kind))
        except ValueError:
            if kind is ValueKind.COUNT and re.fullmatch(r"0\d+", tokens[0].text):
                values.append(int(tokens[0].text))
                continue
            return None
        if tokens[0].unit:
            units.append((index, tokens[0].unit))
    return tuple(values)


def _unit_problems(
    table: Table, row: Row, units: Sequence[tuple[int, str]], problems: list[ParseProblem]
) -> None:
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
    for row in table.cell_rows:
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
    equations = t3_equations(table) if table.code == T3 else ()
    solution = flat.solve_jointly(candidates, equations)
    problems.extend(_joint_problems(table, solution, equations, inputs))
    cells: TableCells = {}
    for row in table.cell_rows:
        chosen = solution.values.get(row.code)
        cells[row.code] = {
            col.code: (chosen[i] if chosen is not None else None)
            for i, col in enumerate(table.columns)
        }
    return TableRead(cells, tuple(problems), sum(1 for r in table.cell_rows if r.code in inputs))


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
    is row 1 of 不予公开). A row of numbers only, after table 四's header, is table 四's
    15-cell line. Rows that match nothing are ignored (headers, provincial additions).
    """
    inputs: dict[str, dict[str, list[str]]] = {t.code: {} for t in fmt.tables}
    t4_line: list[str] | None = None
    seen_t4_header = False
    for raw in rows:
        cells = [c if isinstance(c, str) else "" for c in raw]
        label_end = 0
        for i, cell in enumerate(cells):
            if cell.strip() and not _is_numeric(cell):
                label_end = i + 1
        labels = [c for c in cells[:label_end] if c.strip()]
        values = cells[label_end:]
        if any("行政复议" in compact(c) or "结果维持" in compact(c) for c in labels):
            seen_t4_header = True
        if not labels:
            if seen_t4_header and t4_line is None and any(v.strip() for v in values):
                t4_line = values
            continue
        hit = _match_any(labels, fmt)
        if hit is None:
            continue
        table, row = hit
        # A row of labels only is a header (「结果维持 … 总计」), not the row.
        if row.has_cells and row.code not in inputs[table.code] and values:
            inputs[table.code][row.code] = values
    out = TablesRead()
    for table in fmt.tables:
        if table.code == T4 and not inputs[T4] and t4_line is not None:
            read = read_table4_run(table, t4_line)
        else:
            read = read_table(table, inputs[table.code])
        out.tables[table.code] = read.cells
        out.problems.extend(read.problems)
    return out


def _is_numeric(cell: str) -> bool:
    _prefix, rest = flat.numeric_prefix(cell.strip())
    return not rest.strip()


def _match_any(labels: Sequence[str], fmt: ReportFormat) -> tuple[Table, Row] | None:
    # Merged label cells repeat across the grid, and reports share the official labels: match
    # each distinct label once, and remember the answer across rows and documents.
    return _match_labels(tuple(dict.fromkeys(reversed(labels))), fmt.version)


@lru_cache(maxsize=4096)
def _match_labels(labels: tuple[str, ...], version: str) -> tuple[Table, Row] | None:
    fmt = get_format(version)
    for label in labels:
        for table in fmt.tables:
            row = match_row(label, table)
            if row is not None:
                return table, row
    return None
