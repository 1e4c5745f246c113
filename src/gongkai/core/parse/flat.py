"""Recovering table cells from digits run together, using the table's own arithmetic.

Crawled report text often loses the cell boundaries: 「15130000154」 is the row
151 | 3 | 0 | 0 | 0 | 0 | 154. A row alone is split by enumerating every way to cut its digit
run into the row's cells, keeping only cuts whose totals add up (table 三: 总计 = the six
applicant cells; table 四: each group's 总计 = its four results). Whitespace and units
(「元」, 「笔」) are boundaries the crawler kept, so no cell may span them. A multi-digit cell
never starts with 0 (no report writes 「07」).

Where a row alone allows several cuts, :func:`solve_jointly` chooses among them with the
column equations (each column: (七)总计 = the result rows; 一 + 二 = (七) + 四). Whatever still
allows more than one reading is reported as ambiguous, never chosen. The search is a
depth-first enumeration pruned by the sums and capped (:data:`MAX_NODES`), so a pathological
input ends quickly with "capped" instead of hanging.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from gongkai.core.formats import ValueKind
from gongkai.core.model import CellValue

Reading = tuple[CellValue, ...]

MAX_NODES = 200_000
MAX_CANDIDATES = 64
MAX_SOLUTIONS = 64

# Units seen written inside cells; they end a cell. 「万元」 before 「元」 (longest first).
UNITS = ("万元", "元", "件", "笔", "条", "项", "个", "批次", "次")
_UNIT_RE = "|".join(UNITS)
# A cell written as a dash, slash or 「无」 is blank in the published table.
BLANK_TOKENS = frozenset({"-", "/", "—", "无", "--", "\\"})
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_RUN_PREFIX = re.compile(rf"^(?:[\s\d.,+\-/\\]|{_UNIT_RE}|无(?![\u4e00-\u9fff]))*")
_TOKEN = re.compile(rf"([+\-]?[\d.]+)({_UNIT_RE})?|(-{{1,2}}|/|\\|无)")


@dataclass(frozen=True, slots=True)
class Shape:
    """A row's cells: their kinds, and which cells are totals of which (by position)."""

    kinds: tuple[ValueKind, ...]
    groups: tuple[tuple[int, tuple[int, ...]], ...] = ()

    @property
    def width(self) -> int:
        return len(self.kinds)


@dataclass(frozen=True, slots=True)
class Token:
    """A piece of a run between kept boundaries: digits (maybe several cells) or a blank."""

    text: str  # digits, maybe with a sign or a decimal point; "" for a blank token
    unit: str = ""


@dataclass(frozen=True, slots=True)
class Split:
    """All readings of one run that satisfy the row's own sums."""

    readings: tuple[Reading, ...]
    capped: bool = False
    units: tuple[str, ...] = ()


def numeric_prefix(run: str) -> tuple[str, str]:
    """Split a run into its leading numeric part and what follows (a label, prose, …)."""
    found = _RUN_PREFIX.match(run)
    end = found.end() if found else 0
    return run[:end], run[end:]


def tokenize(run: str) -> list[Token]:
    """The run's tokens: whitespace, units and blank marks are boundaries."""
    run = _THOUSANDS.sub("", run)
    tokens = []
    for found in _TOKEN.finditer(run):
        if found.group(3):
            tokens.append(Token(""))
            continue
        text, unit = found.group(1), found.group(2) or ""
        # A sign inside a digit run starts a new cell: 「1-10」 is 1 | -10.
        parts = re.split(r"(?=[+\-])", text)
        for index, part in enumerate(p for p in parts if p):
            is_last = index == len([p for p in parts if p]) - 1
            stripped = part.strip(".")
            if stripped and stripped not in "+-":
                tokens.append(Token(stripped, unit if is_last else ""))
    return tokens


def parse_value(text: str, kind: ValueKind) -> CellValue:
    """One cell's text → its value; raises ValueError when the text is not such a value."""
    body = text[1:] if kind is ValueKind.SIGNED and text[:1] in "+-" else text
    if not body or (len(body) > 1 and body[0] == "0" and body[1] != "."):
        raise ValueError(text)
    if kind in (ValueKind.WAN_YUAN, ValueKind.MONEY):
        if not re.fullmatch(r"\d+(?:\.\d+)?", body):
            raise ValueError(text)
        try:
            return Decimal(body)
        except InvalidOperation:
            raise ValueError(text) from None
    if not body.isdigit():
        raise ValueError(text)
    value = int(body)
    return -value if text.startswith("-") else value


def split_run(run: str, shape: Shape) -> Split:
    """Every reading of ``run`` as one row of ``shape`` that satisfies the row's sums."""
    tokens = tokenize(run)
    units = tuple(t.unit for t in tokens if t.unit)
    readings: list[Reading] = []
    budget = [MAX_NODES]
    capped = _enumerate(tokens, shape, readings, budget)
    return Split(tuple(readings), capped, units)


def _enumerate(tokens: list[Token], shape: Shape, out: list[Reading], budget: list[int]) -> bool:
    totals = {total: members for total, members in shape.groups}
    width = shape.width
    cells: list[CellValue] = []
    capped = False

    def cell_bounds(ti: int, pos: int) -> tuple[int, int]:
        """The fewest and most cells the rest of the run can still make."""
        rest = [tokens[ti].text[pos:], *(t.text for t in tokens[ti + 1 :])]
        if tokens[ti].text and pos == len(tokens[ti].text):
            rest = rest[1:]
        fewest = len(rest)
        most = sum(max(len(text.replace(".", "")), 1) for text in rest)
        return fewest, most

    def visit(ti: int, pos: int) -> None:
        nonlocal capped
        if capped:
            return
        budget[0] -= 1
        if budget[0] <= 0 or len(out) >= MAX_CANDIDATES:
            capped = True
            return
        col = len(cells)
        if ti == len(tokens):
            if col == width:
                out.append(tuple(cells))
            return
        if col == width:
            return
        token = tokens[ti]
        fewest, most = cell_bounds(ti, pos)
        if not fewest <= width - col <= most:
            return
        if token.text == "":
            if col in totals:
                return  # a blank total cannot be checked; such rows come through the grid path
            cells.append(None)
            visit(ti + 1, 0)
            cells.pop()
            return
        kind = shape.kinds[col]
        text = token.text
        if col in totals:
            members = [cells[m] for m in totals[col]]
            if any(v is None for v in members):
                return
            want = str(sum(v for v in members if v is not None))
            end = pos + len(want)
            if text[pos:end] == want and (kind is ValueKind.COUNT):
                cells.append(int(want))
                if end == len(text):
                    visit(ti + 1, 0)
                else:
                    visit(ti, end)
                cells.pop()
            return
        for end in range(pos + 1, len(text) + 1):
            piece = text[pos:end]
            if end < len(text) and text[end] == ".":
                continue  # a decimal point never starts a cell
            try:
                value = parse_value(piece, kind)
            except ValueError:
                if piece[:1] == "0" and len(piece) > 1 and "." not in piece:
                    break  # longer pieces starting with 0 are invalid too
                continue
            cells.append(value)
            if end == len(text):
                visit(ti + 1, 0)
            else:
                visit(ti, end)
            cells.pop()
            if capped:
                return

    visit(0, 0)
    return capped


@dataclass(frozen=True, slots=True)
class Equation:
    """Per column: the sum of ``left`` rows equals the sum of ``right`` rows (by row code)."""

    left: tuple[str, ...]
    right: tuple[str, ...]
    name: str


@dataclass(frozen=True, slots=True)
class JointSolution:
    values: dict[str, Reading | None]  # None: still ambiguous
    choices: dict[str, tuple[Reading, ...]]  # the readings left for each ambiguous row
    capped: bool
    equations_used: tuple[str, ...]


def solve_jointly(
    candidates: Mapping[str, Sequence[Reading]],
    equations: Sequence[Equation],
    *,
    columns: Sequence[int] | None = None,
) -> JointSolution:
    """Choose each row's reading so that the column equations hold.

    Rows with one reading are fixed; rows with several are searched depth first. An equation
    that mentions a row with no reading at all is dropped. If no combination satisfies every
    equation (the report's own arithmetic is wrong), the equations are relaxed one at a time,
    so that a wrong balance does not make correct rows unreadable.
    """
    rows = {code: list(readings) for code, readings in candidates.items() if readings}
    usable = [e for e in equations if all(r in rows for r in (*e.left, *e.right))]
    tied = {r for e in usable for r in (*e.left, *e.right)}
    ambiguous = [code for code, readings in rows.items() if len(readings) > 1 and code in tied]
    # A row that no equation mentions keeps all its readings: nothing can choose among them.
    loose_rows = {c: tuple(r) for c, r in rows.items() if len(r) > 1 and c not in tied}
    if not ambiguous:
        values: dict[str, Reading | None] = {c: r[0] for c, r in rows.items() if len(r) == 1}
        values.update(dict.fromkeys(loose_rows))
        return JointSolution(values, loose_rows, False, tuple(e.name for e in usable))
    width = len(next(iter(rows.values()))[0])
    cols = list(columns) if columns is not None else list(range(width))
    attempts: list[list[Equation]] = [usable]
    attempts += [[e for e in usable if e is not dropped] for dropped in usable]
    attempts.append([])
    seen: set[tuple[str, ...]] = set()
    for eqs in attempts:
        key = tuple(e.name for e in eqs)
        if key in seen:
            continue
        seen.add(key)
        solutions, capped = _search(rows, ambiguous, eqs, cols)
        if solutions or capped:
            return _summarise(rows, ambiguous, solutions, capped, key, loose_rows)
    return _summarise(rows, ambiguous, [], False, (), loose_rows)


def _search(
    rows: dict[str, list[Reading]],
    ambiguous: list[str],
    equations: list[Equation],
    cols: list[int],
) -> tuple[list[dict[str, Reading]], bool]:
    # Rows on the right of an equation first: they bound the partial sums on the left.
    rank = {code: i for i, code in enumerate(ambiguous)}
    for eq in equations:
        for code in eq.right:
            if code in rank:
                rank[code] -= len(ambiguous)
    order = sorted(ambiguous, key=lambda c: (rank[c], len(rows[c])))
    fixed = {c: r[0] for c, r in rows.items() if len(r) == 1 or c not in rank}
    assigned: dict[str, Reading] = dict(fixed)
    solutions: list[dict[str, Reading]] = []
    budget = [MAX_NODES]
    capped = False

    def column_sum(codes: tuple[str, ...], col: int) -> tuple[int, bool]:
        total, complete = 0, True
        for code in codes:
            reading = assigned.get(code)
            if reading is None:
                complete = False
                continue
            value = reading[col]
            if isinstance(value, int):
                total += value
            elif value is None:
                return 0, False
        return total, complete

    def consistent() -> bool:
        for eq in equations:
            for col in cols:
                left, left_done = column_sum(eq.left, col)
                right, right_done = column_sum(eq.right, col)
                if left_done and right_done and left != right:
                    return False
                if right_done and not left_done and left > right:
                    return False
                if left_done and not right_done and right > left:
                    return False
        return True

    def visit(index: int) -> None:
        nonlocal capped
        budget[0] -= 1
        if budget[0] <= 0 or len(solutions) >= MAX_SOLUTIONS:
            capped = True
            return
        if index == len(order):
            solutions.append(dict(assigned))
            return
        code = order[index]
        for reading in rows[code]:
            assigned[code] = reading
            if consistent():
                visit(index + 1)
            del assigned[code]
            if capped:
                return

    if consistent():
        visit(0)
    return solutions, capped


def _summarise(
    rows: dict[str, list[Reading]],
    ambiguous: list[str],
    solutions: list[dict[str, Reading]],
    capped: bool,
    used: tuple[str, ...],
    loose_rows: dict[str, tuple[Reading, ...]],
) -> JointSolution:
    values: dict[str, Reading | None] = {c: r[0] for c, r in rows.items() if len(r) == 1}
    values.update(dict.fromkeys(loose_rows))
    choices: dict[str, tuple[Reading, ...]] = dict(loose_rows)
    for code in ambiguous:
        seen = list(dict.fromkeys(s[code] for s in solutions))
        if len(seen) == 1 and not capped:
            values[code] = seen[0]
        else:
            values[code] = None
            choices[code] = tuple(seen) if seen else tuple(rows[code])
    return JointSolution(values, choices, capped, used)
