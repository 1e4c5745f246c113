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

A row printed with blank cells for zeros has, once its blanks vanished, no reading with all
its cells (「64 2 4 70」). :func:`split_short` reads it as fewer cells, the last the sum of the
others; only the total, where every such reading gives the same one, is certain. Numbers
kept apart that read both ways (「0 20 913 933」: blanks, or 0 | 2 | 0 | 9 | 13 | 9 | 33) never
agree on the total (:func:`split_spaced_short`): the caller reads neither.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import combinations

from gongkai.core.formats import ValueKind
from gongkai.core.model import CellValue

Reading = tuple[CellValue, ...]

MAX_NODES = 200_000
# The most digits one cell may have. The largest real count is a few hundred thousand
# (a province's applications) and the largest amount a few million 万元; fifteen digits is
# also what Excel and a float keep exactly. Longer digits are no cell, whatever the row.
MAX_CELL_DIGITS = 15
MAX_CANDIDATES = 64
MAX_SOLUTIONS = 64

# Units seen written inside cells; they end a cell. 「万元」 before 「元」 (longest first).
UNITS = ("万元", "元", "件", "笔", "条", "项", "个", "批次", "次")
_UNIT_RE = "|".join(UNITS)
# A cell written as a dash, slash or 「无」 is blank in the published table.
BLANK_TOKENS = frozenset({"-", "/", "—", "无", "--", "\\"})
_THOUSANDS = re.compile(r"(?<=[0-9]),(?=[0-9]{3}(?![0-9]))")
_RUN_PREFIX = re.compile(rf"^(?:[\s0-9.,+\-/\\]|{_UNIT_RE}|无(?![\u4e00-\u9fff]))*")
_PLAIN_PREFIX = re.compile(r"[\s0-9.,+\-/\\]*").match
# The first characters of what _RUN_PREFIX takes besides its plain characters.
_WORD_STARTS = frozenset(unit[0] for unit in UNITS) | {"无"}
# What a non-empty numeric prefix (numeric_prefix) of a stripped text starts with.
NUMBER_STARTS = frozenset("0123456789.,+-/\\") | _WORD_STARTS
_SIGN_SPLIT = re.compile(r"(?=[+\-])")
_TOKEN = re.compile(rf"([+\-]?[0-9.]+)({_UNIT_RE})?|(-{{1,2}}|/|\\|无)")
_DECIMAL = re.compile(r"\d+(?:\.\d+)?").fullmatch
# ASCII digits separated by ASCII whitespace, nothing else.
_SPACED_DIGITS = re.compile(r"[0-9 \t\r\n]+").fullmatch


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
    plain = _PLAIN_PREFIX(run)
    end = plain.end() if plain else 0
    if end < len(run) and run[end] in _WORD_STARTS:
        # A unit or 「无」 may continue the numbers: the full pattern decides. Otherwise it
        # stops where the plain characters do, as the full pattern would.
        found = _RUN_PREFIX.match(run)
        end = found.end() if found else 0
    return run[:end], run[end:]


def tokenize(run: str) -> list[Token]:
    """The run's tokens: whitespace, units and blank marks are boundaries."""
    if run.isdigit() and run.isascii():
        return [Token(run)]  # one cell's plain digits (most cells of a real table): one token
    if _SPACED_DIGITS(run):
        # Digits and whitespace only (「0 0 0 0 0 00」, most runs): the tokens are the pieces
        # between the spaces, which is what the pattern below finds, without the pattern.
        return [_DIGIT_TOKENS.get(piece) or Token(piece) for piece in run.split()]
    run = _THOUSANDS.sub("", run)
    tokens = []
    for found in _TOKEN.finditer(run):
        if found.group(3):
            tokens.append(Token(""))
            continue
        text, unit = found.group(1), found.group(2) or ""
        # A sign inside a digit run starts a new cell: 「1-10」 is 1 | -10.
        parts = [p for p in _SIGN_SPLIT.split(text) if p]
        for index, part in enumerate(parts):
            is_last = index == len(parts) - 1
            # A trailing point ends a sentence; a leading one (「.5」) is no count's.
            stripped = part.rstrip(".")
            if stripped and stripped not in "+-":
                tokens.append(Token(stripped, unit if is_last else ""))
    return tokens


def parse_value(text: str, kind: ValueKind) -> CellValue:
    """One cell's text → its value; raises ValueError when the text is not such a value."""
    body = text[1:] if kind is ValueKind.SIGNED and text[:1] in "+-" else text
    if not body or (len(body) > 1 and body[0] == "0" and body[1] != "."):
        raise ValueError(text)
    # ASCII digits only (「٦」 and 「²」 are digits to str.isdigit()), and never more than a
    # cell may have: int() of 4,301 digits raises, and Excel cannot hold 309.
    if not body.isascii() or len(body.split(".")[0]) > MAX_CELL_DIGITS:
        raise ValueError(text)
    if kind in (ValueKind.WAN_YUAN, ValueKind.MONEY):
        if not _DECIMAL(body):
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
    """Every reading of ``run`` as one row of ``shape`` that satisfies the row's sums.

    A token longer than the row's cells can hold (:data:`MAX_CELL_DIGITS` each) has no
    reading, and is not searched at all: the run length the splitter tries is bounded.
    """
    width = len(shape.kinds)
    counts = _count_groups(shape)
    texts = run.split() if counts is not None and _SPACED_DIGITS(run) else None
    if texts and counts is not None:
        # Plain digits into counts (most runs): the shortcuts below without Token objects.
        if len(texts) > width or max(map(len, texts)) > width * (MAX_CELL_DIGITS + 1):
            return Split((), False, ())
        if len(texts) == width:
            one = _plain_counts(texts, counts)
            return Split(() if one is None else (one,), False, ())
        joined = "".join(texts)
        if len(joined) == width:
            # One digit per cell: a total holds when it is its members' sum.
            digits = [ord(char) - 48 for char in joined]
            for col, members in enumerate(counts):
                if members is not None and digits[col] != sum([digits[m] for m in members]):
                    return Split((), False, ())
            return Split((tuple(digits),), False, ())
        tokens = [_DIGIT_TOKENS.get(text) or Token(text) for text in texts]
        units: tuple[str, ...] = ()
    else:
        tokens = tokenize(run)
        units = tuple(t.unit for t in tokens if t.unit)
        if len(tokens) > width or any(len(t.text) > width * (MAX_CELL_DIGITS + 1) for t in tokens):
            return Split((), False, units)
    if len(tokens) == shape.width:
        # As many tokens as cells: each token is one cell, and there is nothing to search.
        one = _one_per_token(tokens, shape)
        return Split(() if one is None else (one,), False, units)
    if sum(len(t.text) for t in tokens) == shape.width and all(
        t.text.isdigit() and t.text.isascii() for t in tokens
    ):
        # As many digits as cells (「0000000」, a row of zeros): each digit is one cell.
        one = _one_per_token([_DIGIT_TOKENS[char] for t in tokens for char in t.text], shape)
        return Split(() if one is None else (one,), False, units)
    readings: list[Reading] = []
    budget = [MAX_NODES]
    if _total_is_last(shape) and tokens and all(t.text for t in tokens):
        capped = _enumerate_total_last(tokens, shape, readings, budget)
    else:
        capped = _enumerate_pruned(tokens, shape, readings, budget)
    return Split(tuple(readings), capped, units)


@dataclass(frozen=True, slots=True)
class ShortSplit:
    """The readings of a run as fewer cells than its row has (some members left blank).

    Each reading is the numbers printed, in order: the members that were printed, then the
    total, which is their sum. Which of the row's members the printed ones are is not known.
    """

    readings: tuple[tuple[int, ...], ...]
    capped: bool = False

    @property
    def total(self) -> int | None:
        """The total every reading gives; None when they disagree, or none was found, or the
        search stopped before finding them all."""
        totals = {reading[-1] for reading in self.readings}
        return totals.pop() if len(totals) == 1 and not self.capped else None


def split_short(run: str, shape: Shape) -> ShortSplit:
    """Every reading of ``run`` as fewer cells than a row of ``shape``, the last the sum of
    the others.

    Small units print a zero as a blank cell (「64 | | | 2 | | 4 | 70」); once the cells lose
    their boundaries the blanks are gone (「64 2 4 70」, 「642470」), and the row has no reading
    with all its cells. If its last cell is the total of all the others (table 三, a row of
    table 四), the numbers printed are still some members and their total. Where every such
    reading gives the same total, the total is certain though the members' places are not. A
    row printed as 「0」 (every member blank) reads total 0.

    Numbers the source kept apart (by whitespace) are one cell each: cutting them too would
    read a row whose own sum is wrong (「0 88」) as some other row that adds up (0 | 8 | 8).
    Only a single run of digits is cut, by the search :func:`split_run` makes for a
    total-last row, once per count of cells, with one budget (:data:`MAX_NODES`) and one cap
    on readings (:data:`MAX_CANDIDATES`) for all of them. Only plain digits are read so (no
    units, signs or blank marks).
    """
    if not _total_is_last(shape):
        return ShortSplit(())
    width = shape.width
    tokens = tokenize(run)
    if not tokens or len(tokens) >= width:
        return ShortSplit(())
    if any(t.unit or not (t.text.isdigit() and t.text.isascii()) for t in tokens):
        return ShortSplit(())
    if len(tokens) > 1:
        reading = _kept_apart(tokens)
        return ShortSplit(() if reading is None else (reading,))
    if len(tokens[0].text) > width * (MAX_CELL_DIGITS + 1):
        return ShortSplit(())
    readings: list[Reading] = []
    if tokens[0].text == "0":
        readings.append((0,))  # every member blank: the total alone, which is 0
    budget = [MAX_NODES]
    for count in range(2, width):
        fewer = Shape((ValueKind.COUNT,) * count, ((count - 1, tuple(range(count - 1))),))
        if _enumerate_total_last(tokens, fewer, readings, budget):
            return ShortSplit(_as_counts(readings), capped=True)
    return ShortSplit(_as_counts(readings))


# Nodes the search for readings with blank cells of one joined row may visit (a real row
# needs a few dozen).
_BLANK_NODES = 20_000


def split_blank_cells(run: str, shape: Shape) -> ShortSplit:
    """The readings of one run of plain digits as fewer cells than a row of ``shape``, the
    last the sum of the others, none of them 0: a joined row of a unit that leaves its zeros
    blank (and so prints no 0 as a member).

    :func:`split_short` finds these and the ones with a 0 among them, with a search built
    for any count of cells; this one is for the question whether a row also read in full may
    have been printed so, asked of every joined row, so it is kept cheap. The total is a
    suffix of the run, and each member at most the total, so no longer; a suffix is tried
    only where the digits before it and it agree modulo 9 (a number is its digits' sum modulo
    9, and the members add up to the total). The search visits at most :data:`_BLANK_NODES`
    nodes; past them the readings found are returned with ``capped``.
    """
    if run[:1] == "0" or not _total_is_last(shape) or not (run.isdigit() and run.isascii()):
        return ShortSplit(())  # (a first member that starts with 0 is 0, or no number)
    most = shape.width - 2  # members, in fewer cells than the row's
    size = len(run)
    if size > shape.width * (MAX_CELL_DIGITS + 1):
        return ShortSplit(())
    sums = [0]
    for char in run:
        sums.append(sums[-1] + ord(char) - 48)
    readings: list[tuple[int, ...]] = []
    nodes = [_BLANK_NODES]

    def split(
        head: str, pos: int, left: int, remaining: int, parts: list[int], most_digits: int
    ) -> bool:
        """Whether the search stopped (out of nodes or readings)."""
        nodes[0] -= 1
        if nodes[0] <= 0:
            return True
        if pos == len(head):
            if remaining == 0 and parts:
                readings.append((*parts, sum(parts)))
                return len(readings) >= MAX_CANDIDATES
            return False
        if left == 0 or head[pos] == "0":
            return False
        for end in range(pos + 1, min(len(head), pos + most_digits) + 1):
            value = int(head[pos:end])
            if value > remaining:
                break
            if len(head) - end > (left - 1) * most_digits:
                continue
            parts.append(value)
            stop = split(head, end, left - 1, remaining - value, parts, most_digits)
            parts.pop()
            if stop:
                return True
        return False

    for width_of_total in range(1, min(size - 1, MAX_CELL_DIGITS) + 1):
        start = size - width_of_total
        if run[start] == "0" or start > most * width_of_total:
            continue
        if (sums[start] - (sums[size] - sums[start])) % 9:
            continue
        if split(run[:start], 0, most, int(run[start:]), [], width_of_total):
            return ShortSplit(tuple(readings), capped=True)
    return ShortSplit(tuple(readings))


def split_spaced_short(run: str, shape: Shape) -> tuple[int, ...] | None:
    """The reading of a run of numbers kept apart, fewer than the row's cells, as the members
    printed and their total, no number cut; None when the numbers do not add up so.

    Such a run may also read in full by cutting its numbers (「0 20 913 933」 is
    0 | 2 | 0 | 9 | 13 | 9 | 33) and the two readings never give the same total: cutting a
    number without a leading 0 into cells lowers its sum (20 → 2 + 0), so a full reading
    that leaves the last number whole has members summing to less than it, and one that
    cuts it has a smaller total. Which one the source meant is not known, and the caller
    must not choose (:func:`split_run` alone would). Only plain digits, at least two
    tokens: a single run of digits is the crawler's joined row, read as :func:`split_run`
    reads it.
    """
    if _SPACED_DIGITS(run):
        pieces = run.split()
        if not 2 <= len(pieces) < shape.width:
            return None  # (most runs: one token per cell, or one joined run)
    if not _total_is_last(shape):
        return None
    tokens = tokenize(run)
    if not 2 <= len(tokens) < shape.width:
        return None
    if any(t.unit or not (t.text.isdigit() and t.text.isascii()) for t in tokens):
        return None
    return _kept_apart(tokens)


def _kept_apart(tokens: Sequence[Token]) -> tuple[int, ...] | None:
    """Plain-digit tokens as one cell each, the last the sum of the others; None if not."""
    texts = [t.text for t in tokens]
    if any((t[0] == "0" and len(t) > 1) or len(t) > MAX_CELL_DIGITS for t in texts):
        return None
    values = tuple(map(int, texts))
    return values if sum(values[:-1]) == values[-1] else None


def _as_counts(readings: Sequence[Reading]) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(int(v) for v in reading if v is not None) for reading in readings)


# A shape of counts only whose totals come after their members: its groups, by shape. By
# identity (the shapes are the formats' constants): a Shape's hash walks its enum kinds.
_COUNT_GROUPS: dict[int, tuple[Shape, tuple[tuple[int, ...] | None, ...] | None]] = {}


def _count_groups(shape: Shape) -> tuple[tuple[int, ...] | None, ...] | None:
    """For a shape whose every cell is a count and every total follows its members, each
    column's members (None for a column that is no total); None for any other shape.

    Such a shape's cells are read from plain digits by :func:`_plain_counts`; others (signed
    or money cells, a total before a member) by :func:`_one_per_token`.
    """
    cached = _COUNT_GROUPS.get(id(shape))
    if cached is not None and cached[0] is shape:
        return cached[1]
    counts = all(k is ValueKind.COUNT for k in shape.kinds) and all(
        all(m < total for m in members) for total, members in shape.groups
    )
    totals = dict(shape.groups)
    groups = tuple(totals.get(col) for col in range(shape.width)) if counts else None
    if len(_COUNT_GROUPS) < 256:
        _COUNT_GROUPS[id(shape)] = (shape, groups)
    return groups


def _plain_counts(
    texts: Sequence[str], totals: tuple[tuple[int, ...] | None, ...]
) -> Reading | None:
    """What :func:`_one_per_token` reads from non-empty plain ASCII digits, one per count."""
    cells: list[int] = []
    for text, members in zip(texts, totals, strict=True):
        if members is not None:
            total = sum(cells[m] for m in members)
            if text != str(total):
                return None
            cells.append(total)
        elif (text[0] == "0" and len(text) > 1) or len(text) > MAX_CELL_DIGITS:
            return None
        else:
            cells.append(int(text))
    return tuple(cells)


def _one_per_token(tokens: Sequence[Token], shape: Shape) -> Reading | None:
    """The reading of a run with one token per cell (most runs: the cells kept their spaces).

    No cell spans a boundary and none is empty, so each token is exactly its cell: the
    reading is the tokens' values if every one is a value of its kind and the totals hold,
    else there is none — what the enumeration finds, without enumerating.
    """
    totals = dict(shape.groups)
    cells: list[CellValue] = []
    for col, (token, kind) in enumerate(zip(tokens, shape.kinds, strict=True)):
        text = token.text
        if col in totals:
            members = [cells[m] for m in totals[col]]
            if not text or kind is not ValueKind.COUNT or any(v is None for v in members):
                return None
            total = sum(v for v in members if v is not None)
            if text != str(total):
                return None
            cells.append(total)
            continue
        if not text:
            cells.append(None)
            continue
        if kind is ValueKind.COUNT and text.isdigit() and text.isascii():
            # What parse_value allows of plain digits, without calling it.
            if (text[0] == "0" and len(text) > 1) or len(text) > MAX_CELL_DIGITS:
                return None
            cells.append(int(text))
            continue
        try:
            cells.append(parse_value(text, kind))
        except ValueError:
            return None
    return tuple(cells)


_DIGIT_TOKENS: dict[str, Token] = {char: Token(char) for char in "0123456789"}


def _total_is_last(shape: Shape) -> bool:
    """A row whose last cell is the sum of all the others (every row of table 三)."""
    last = shape.width - 1
    return (
        len(shape.groups) == 1
        and shape.groups[0] == (last, tuple(range(last)))
        and all(k is ValueKind.COUNT for k in shape.kinds)
    )


def _enumerate_total_last(
    tokens: list[Token], shape: Shape, out: list[Reading], budget: list[int]
) -> bool:
    """Table 三 rows: the total is a suffix of the run, so fix it first and split the rest.

    With the total known, every member is at most what is left of it, which bounds each
    piece's length and prunes the search to the few cuts that can add up.
    """
    members = shape.width - 1
    last = tokens[-1].text
    capped = False
    head_texts = [t.text for t in tokens[:-1]]
    if any(not h.isdigit() for h in head_texts):
        return False  # no length of the total makes every piece digits
    # Cells cut from digits add up to at least the digits' sum (each digit counts once, at
    # least as a unit): a total smaller than that of the digits before it cannot hold.
    head_digits = sum(map(int, "".join(head_texts)))  # (token texts are ASCII)
    head_chars = sum(len(h) for h in head_texts)
    rest_digits = [0]
    for char in last:
        rest_digits.append(rest_digits[-1] + (int(char) if char.isdigit() else 0))
    for length in range(1, min(len(last), MAX_CELL_DIGITS) + 1):
        total_text = last[len(last) - length :]
        if len(total_text) > 1 and total_text[0] == "0":
            continue
        if not total_text.isdigit():
            continue
        total = int(total_text)
        if total < head_digits + rest_digits[len(last) - length]:
            continue
        rest = last[: len(last) - length]
        if rest and not rest.isdigit():
            continue  # (the other pieces are digits, checked above)
        head = [*head_texts, rest] if rest else list(head_texts)
        found: list[tuple[int, ...]] = []
        chars = head_chars + len(rest)
        if head and (members > chars or members < len(head)):
            # The search's first node would stop at once (too few or too many digits for
            # the cells): count that node against the budget without setting up the search.
            budget[0] -= 1
            if budget[0] <= 0:
                return True
            continue
        capped = _split_members(head, members, total, found, budget) or capped
        out.extend((*f, total) for f in found)
        if capped or len(out) >= MAX_CANDIDATES:
            return True
    return capped


def _split_members(
    pieces: list[str], count: int, total: int, out: list[tuple[int, ...]], budget: list[int]
) -> bool:
    """Cut ``pieces`` (each cut at least once) into ``count`` cells summing to ``total``."""
    cells: list[int] = []
    capped = False
    lengths = [len(p) for p in pieces]
    after = [sum(lengths[i + 1 :]) for i in range(len(pieces))]  # characters after piece i

    def visit(pi: int, pos: int, left: int) -> None:
        nonlocal capped
        budget[0] -= 1
        if budget[0] <= 0 or len(out) >= MAX_CANDIDATES:
            capped = True
            return
        if pi == len(pieces):
            if len(cells) == count and left == 0:
                out.append(tuple(cells))
            return
        cells_left = count - len(cells)
        chars_left = lengths[pi] - pos + after[pi]
        if cells_left < len(pieces) - pi or cells_left > chars_left:
            return
        # The most the remaining cells can add up to: one long cell and single digits.
        if left >= 10 ** (chars_left - cells_left + 1) + 9 * (cells_left - 1):
            return
        text = pieces[pi]
        if text[pos] == "0":
            ends = [pos + 1]
        else:
            ends = list(range(pos + 1, min(len(text), pos + len(str(left))) + 1))
        for end in ends:
            value = int(text[pos:end])
            if value > left:
                break
            cells.append(value)
            if end == len(text):
                visit(pi + 1, 0, left - value)
            else:
                visit(pi, end, left - value)
            cells.pop()
            if capped:
                return

    if pieces:
        visit(0, 0, total)
    return capped


def _enumerate_pruned(
    tokens: list[Token], shape: Shape, out: list[Reading], budget: list[int]
) -> bool:
    """:func:`_enumerate`, skipping cuts that leave too few or too many cells, when that
    gives the same answer.

    Skipping them visits fewer nodes, which changes the answer only if the full search
    would have reached MAX_NODES (it cannot, below the bound of :func:`_within_budget`) or
    MAX_CANDIDATES (then the full search is run instead).
    """
    if _within_budget(tokens):
        plain = _plain_cuts(tokens, shape)
        if plain is not None:
            out.extend(plain)
            return False
        found: list[Reading] = []
        capped = _enumerate(tokens, shape, found, [MAX_NODES], prune=True)
        if not capped and len(found) < MAX_CANDIDATES:
            out.extend(found)
            return False
    return _enumerate(tokens, shape, out, budget)


def _plain_cuts(tokens: Sequence[Token], shape: Shape) -> list[Reading] | None:
    """What the pruned search finds for a row without totals, of counts, from plain digits
    (table 二's three cells run together, 「898989」): every way to cut each token into
    cells, none longer than :data:`MAX_CELL_DIGITS` nor starting with 0 unless it is 0.

    Such a search has no sum to prune by, so it visits every cut, one Python call per node:
    the cuts are the combinations of the positions inside the tokens, taken in the search's
    order (lexicographic: the search tries the shorter first cell first). None when the row
    is not such a row, when there would be too many combinations to try, or when the cuts
    reach :data:`MAX_CANDIDATES` (the search then decides, as before).
    """
    if shape.groups or not all(k is ValueKind.COUNT or k is ValueKind.SIGNED for k in shape.kinds):
        return None
    texts = [t.text for t in tokens]
    if not all(text.isdigit() and text.isascii() for text in texts):
        return None  # (a blank token is "", which is not digits)
    run = "".join(texts)
    boundaries: list[int] = []  # where one token ends and the next begins
    inside: list[int] = []  # where a cut may fall inside a token
    position = 0
    for text in texts:
        inside.extend(range(position + 1, position + len(text)))
        position += len(text)
        boundaries.append(position)
    cuts_wanted = shape.width - len(texts)
    if cuts_wanted < 0 or cuts_wanted > len(inside):
        return []
    if math.comb(len(inside), cuts_wanted) > _MAX_PLAIN_CUTS:
        return None
    readings: list[Reading] = []
    for chosen in combinations(inside, cuts_wanted):
        ends = sorted((*chosen, *boundaries))
        cells: list[int] = []
        start = 0
        for end in ends:
            if end - start > MAX_CELL_DIGITS or (run[start] == "0" and end - start > 1):
                break
            cells.append(int(run[start:end]))
            start = end
        else:
            readings.append(tuple(cells))
            if len(readings) >= MAX_CANDIDATES:
                return None
    return readings


# The most cuts :func:`_plain_cuts` tries before leaving a row to the search.
_MAX_PLAIN_CUTS = 4096


def _within_budget(tokens: Sequence[Token]) -> bool:
    """Whether the full search over ``tokens`` surely visits fewer than MAX_NODES nodes.

    A node is a set of cuts before a position of the run, so there are at most 2**(p-1)
    at position p and 2**L in all for a run of L characters; a blank token repeats the
    nodes before it once more.
    """
    length = sum(len(t.text) for t in tokens)
    blanks = sum(1 for t in tokens if not t.text)
    return length < 40 and (blanks + 1) << length < MAX_NODES


def _enumerate(
    tokens: list[Token],
    shape: Shape,
    out: list[Reading],
    budget: list[int],
    *,
    prune: bool = False,
) -> bool:
    totals = {total: members for total, members in shape.groups}
    width = shape.width
    kinds = shape.kinds
    texts = [t.text for t in tokens]
    count = len(texts)
    cells: list[CellValue] = []
    capped = False
    remaining = budget[0]

    # The most cells the tokens from each index on can make (summed once, not per node).
    most_from = [0] * (count + 1)
    for index in range(count - 1, -1, -1):
        most_from[index] = most_from[index + 1] + max(len(texts[index].replace(".", "")), 1)
    # The fewest and most cells the rest of the run can still make, from each position of
    # each token (a table, not a computation per node).
    bounds: list[list[tuple[int, int]]] = []
    for index, text in enumerate(texts):
        row = [(0, 0)] * (len(text) + 1)
        digits_after = 0
        for pos in range(len(text) - 1, -1, -1):
            if text[pos] != ".":
                digits_after += 1
            row[pos] = (count - index, max(digits_after, 1) + most_from[index + 1])
        if text:
            row[len(text)] = (count - index - 1, most_from[index + 1])
        else:
            row[0] = (count - index, 1 + most_from[index + 1])  # a blank is one cell
        bounds.append(row)

    plain = [text.isdigit() and text.isascii() for text in texts]

    def visit(ti: int, pos: int) -> None:
        nonlocal capped, remaining
        if capped:
            return
        remaining -= 1
        if remaining <= 0 or len(out) >= MAX_CANDIDATES:
            capped = True
            return
        col = len(cells)
        if ti == count:
            if col == width:
                out.append(tuple(cells))
            return
        if col == width:
            return
        fewest, most = bounds[ti][pos]
        if not fewest <= width - col <= most:
            return
        text = texts[ti]
        if text == "":
            if col in totals:
                return  # a blank total cannot be checked; such rows come through the grid path
            cells.append(None)
            visit(ti + 1, 0)
            cells.pop()
            return
        kind = kinds[col]
        members = totals.get(col)
        if members is not None:
            values = [cells[m] for m in members]
            if any(v is None for v in values):
                return
            want = str(sum(v for v in values if v is not None))
            end = pos + len(want)
            if text[pos:end] == want and (kind is ValueKind.COUNT):
                cells.append(int(want))
                if end == len(text):
                    visit(ti + 1, 0)
                else:
                    visit(ti, end)
                cells.pop()
            return
        if plain[ti] and (kind is ValueKind.COUNT or kind is ValueKind.SIGNED):
            # ASCII digits into a count (or a signed cell, which has no sign here): what
            # parse_value allows, without calling it (a 0 is a cell of its own; at most
            # MAX_CELL_DIGITS digits).
            length = len(text)
            stop = pos + 1 if text[pos] == "0" else min(length, pos + MAX_CELL_DIGITS)
            left = width - col - 1  # cells after this one
            for end in range(pos + 1, stop + 1):
                if prune:
                    # The node below would stop at once: skip it (see _enumerate_pruned). The
                    # test of _stops_at_once, inline: this loop is the search's hottest.
                    if end == length:
                        if ti + 1 == count:
                            if left:
                                continue
                        elif not left or not (bounds[ti + 1][0][0] <= left <= bounds[ti + 1][0][1]):
                            continue
                    elif not left or not (bounds[ti][end][0] <= left <= bounds[ti][end][1]):
                        continue
                cells.append(int(text[pos:end]))
                if end == length:
                    visit(ti + 1, 0)
                else:
                    visit(ti, end)
                cells.pop()
                if capped:
                    return
            return
        length = len(text)
        left = width - col - 1
        for end in range(pos + 1, length + 1):
            if end < length and text[end] == ".":
                continue  # a decimal point never starts a cell
            if prune and _stops_at_once(end, length, ti, count, left, bounds):
                # As above. (Where the piece would have ended the loop below, so would every
                # longer piece have been invalid: skipping them one by one finds the same.)
                continue
            piece = text[pos:end]
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
    budget[0] = remaining
    return capped


def _stops_at_once(
    end: int, length: int, ti: int, count: int, left: int, bounds: list[list[tuple[int, int]]]
) -> bool:
    """Whether the search's node after a cell that ends at ``end`` of token ``ti`` (of
    ``length`` characters) would stop at once, with ``left`` cells still to fill: the checks
    that node makes first (too few or too many cells for what is left of the run)."""
    if end == length:
        if ti + 1 == count:
            return left > 0
        return not left or not (bounds[ti + 1][0][0] <= left <= bounds[ti + 1][0][1])
    return not left or not (bounds[ti][end][0] <= left <= bounds[ti][end][1])


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
    # Whether rows tied by the equations had to be searched (the equations chose readings).
    searched: bool = False


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
    if all(len(readings) == 1 for readings in candidates.values()):
        # Every row read one way (most tables): nothing to choose, only the equations to list.
        fixed: dict[str, Reading | None] = {c: r[0] for c, r in candidates.items()}
        names = tuple(e.name for e in equations if all(r in fixed for r in (*e.left, *e.right)))
        return JointSolution(fixed, {}, False, names)
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
    """Depth-first search over the ambiguous rows, with incremental per-equation sums.

    Each equation keeps ``left - right`` per column for the rows assigned so far. Counts are
    non-negative, so once one side is complete the other side's partial sum bounds it; and
    when a single row of an equation is left, its reading is forced (a dictionary lookup
    instead of a loop), which keeps a table with many ambiguous rows fast.
    """
    width = max(cols) + 1 if cols else 0
    sides: dict[str, list[tuple[int, int]]] = {code: [] for code in rows}
    for index, eq in enumerate(equations):
        for code in eq.left:
            sides[code].append((index, 1))
        for code in eq.right:
            sides[code].append((index, -1))
    diff = [[0] * width for _ in equations]
    open_left = [0] * len(equations)
    open_right = [0] * len(equations)
    ambiguous_set = set(ambiguous)

    def add(code: str, reading: Reading, sign: int) -> None:
        for index, side in sides[code]:
            vector = diff[index]
            for col in cols:
                value = reading[col]
                if isinstance(value, int):
                    vector[col] += sign * side * value
            if code in ambiguous_set:
                if side > 0:
                    open_left[index] -= sign
                else:
                    open_right[index] -= sign

    for code, readings in rows.items():
        if code in ambiguous_set:
            for index, side in sides[code]:
                if side > 0:
                    open_left[index] += 1
                else:
                    open_right[index] += 1
        else:
            for index, side in sides[code]:
                vector = diff[index]
                for col in cols:
                    value = readings[0][col]
                    if isinstance(value, int):
                        vector[col] += side * value

    def touched_ok(code: str) -> bool:
        for index, _side in sides[code]:
            vector = diff[index]
            if open_left[index] == 0 and open_right[index] == 0:
                if any(vector[col] != 0 for col in cols):
                    return False
            elif open_left[index] == 0:
                # Left complete: the right's remaining rows can only add, so left ≥ right.
                if any(vector[col] < 0 for col in cols):
                    return False
            elif open_right[index] == 0 and any(vector[col] > 0 for col in cols):
                return False
        return True

    by_values = {code: {tuple(r[c] for c in cols): r for r in rows[code]} for code in ambiguous}
    # Right-hand rows (totals) first, they bound the rest; the row with most readings last,
    # where it is usually forced.
    on_right = {code for eq in equations for code in eq.right}
    order = sorted(ambiguous, key=lambda c: (c not in on_right, len(rows[c])))
    assigned: dict[str, Reading] = {c: r[0] for c, r in rows.items() if c not in ambiguous_set}
    solutions: list[dict[str, Reading]] = []
    budget = [MAX_NODES // 4]
    capped = False

    def options(code: str) -> list[Reading]:
        for index, side in sides[code]:
            if open_left[index] + open_right[index] == 1:
                # This row is the equation's last unknown: its reading is forced.
                vector = diff[index]
                want = tuple(-side * vector[col] for col in cols)
                found = by_values[code].get(want)
                return [found] if found is not None else []
        return rows[code]

    def visit(position: int) -> None:
        nonlocal capped
        budget[0] -= 1
        if budget[0] <= 0 or len(solutions) >= MAX_SOLUTIONS:
            capped = True
            return
        if position == len(order):
            solutions.append(dict(assigned))
            return
        code = order[position]
        for reading in options(code):
            add(code, reading, 1)
            assigned[code] = reading
            if touched_ok(code):
                visit(position + 1)
            del assigned[code]
            add(code, reading, -1)
            if capped:
                return

    if all(touched_ok(code) for code in rows):
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
    return JointSolution(values, choices, capped, used, searched=True)
