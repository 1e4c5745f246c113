"""Rows of numbers kept apart, fewer than the row's cells: blank cells, or numbers joined?

「0 20 913 933」 is a row of table 三 printed with blanks for zeros (0 | 20 | 913 and their sum
933, three members blank) and, cutting its numbers, also a full row (0 | 2 | 0 | 9 | 13 | 9 |
33). The two readings never give the same total (flat.split_spaced_short says why), so such a
row is ambiguous and left unread: reading either could report a wrong total, and with it false
errors. A single run of digits (the crawlers' joined rows) that reads both in full and with
blank cells (no 0 printed among them) is read for its total where both agree, else not at
all, unless its table prints its zeros (a unit that prints a 0 leaves no cell blank).
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gongkai.core.audit import audit_parsed
from gongkai.core.findings import Finding, Severity
from gongkai.core.formats import (
    APPLICANT_COLUMNS,
    COL_NATURAL_PERSON,
    COL_OTHER_ORG,
    COL_PUBLIC_INTEREST,
    COL_TOTAL,
    FORMAT_2021,
    T3,
    T3_CARRIED_IN,
    T3_CARRIED_OUT,
    T3_DISCLOSED,
    T3_NEW,
    T3_OTHER_OTHER,
    T3_RESULTS_TOTAL,
    T4,
)
from gongkai.core.model import AnnualReport
from gongkai.core.parse import flat, parse_text
from gongkai.core.parse.grid import read_table, row_shape
from tests.parse.strategies import blanked_row
from tests.parse.synth import blank_zeros, render

TABLE3 = FORMAT_2021.table3
T3_SHAPE = row_shape(TABLE3)
MEMBERS = tuple(c.code for c in APPLICANT_COLUMNS)


def _read(run: str) -> tuple[dict[str, object], list[str], list[str]]:
    read = read_table(TABLE3, {T3_NEW: [run]})
    problems = [p for p in read.problems if p.row == T3_NEW]
    return read.cells[T3_NEW], [p.code for p in problems], [p.message for p in problems]


# -- one row ---------------------------------------------------------------------------------


def test_a_row_read_both_ways_with_different_totals_is_ambiguous() -> None:
    assert flat.split_run("0 20 913 933", T3_SHAPE).readings == ((0, 2, 0, 9, 13, 9, 33),)
    assert flat.split_spaced_short("0 20 913 933", T3_SHAPE) == (0, 20, 913, 933)
    cells, codes, [message] = _read("0 20 913 933")
    assert all(v is None for v in cells.values())  # not 33, not 933
    assert codes == ["ambiguous_row"]
    assert "其余单元格空白（0、20、913 之和为 933）" in message
    assert "拆开后的 7 个单元格（0/2/0/9/13/9/33）" in message
    assert "两种读法的总计不同（933、33）" in message and "已留空" in message


@pytest.mark.parametrize(
    "parts",
    [["0 20 913 933"], ["0\t20\t913\t933"], ["0", "20", "913", "933"], ["0  20 913\u3000933"]],
)
def test_the_row_is_ambiguous_however_its_numbers_are_kept_apart(parts: list[str]) -> None:
    read = read_table(TABLE3, {T3_NEW: parts})
    assert all(v is None for v in read.cells[T3_NEW].values())
    assert [p.code for p in read.problems if p.row == T3_NEW] == ["ambiguous_row"]


def test_the_problem_lists_both_readings() -> None:
    read = read_table(TABLE3, {T3_NEW: ["0 20 913 933"]})
    [problem] = [p for p in read.problems if p.row == T3_NEW]
    assert problem.severity is Severity.WARNING
    assert problem.candidates == ((0, 2, 0, 9, 13, 9, 33), (*(None,) * 6, 933))


@pytest.mark.parametrize(
    ("run", "cells"),
    [
        # Numbers kept apart that read in full, and not as blank cells: read as before.
        ("151 3 0 0 0 0154", (151, 3, 0, 0, 0, 0, 154)),  # 「0154」 is no number
        ("0 0 0 0 0 00", (0,) * 7),  # the last two cells joined
        ("5 1 0 0 0 0 6", (5, 1, 0, 0, 0, 0, 6)),  # every cell printed
    ],
)
def test_a_spaced_row_with_one_reading_in_full_reads_as_before(
    run: str, cells: tuple[int, ...]
) -> None:
    assert flat.split_spaced_short(run, T3_SHAPE) is None
    read, codes, _ = _read(run)
    assert tuple(read.values()) == cells
    assert codes == []


def test_a_spaced_row_with_one_reading_as_blank_cells_reads_its_total() -> None:
    assert not flat.split_run("64 2 4 70", T3_SHAPE).readings
    cells, codes, _ = _read("64 2 4 70")
    assert cells[COL_TOTAL] == 70 and all(cells[c] is None for c in MEMBERS)
    assert codes == ["total_only"]


@pytest.mark.parametrize(
    ("run", "codes"),
    [
        ("15130000154", []),
        ("0000000", []),
        ("642470", ["total_only"]),
        ("925925", ["unreadable_row"]),
    ],
)
def test_a_joined_run_reads_as_before(run: str, codes: list[str]) -> None:
    """One run of digits is never weighed against blank cells: the crawler's rows."""
    assert flat.split_spaced_short(run, T3_SHAPE) is None
    cells, got, _ = _read(run)
    assert got == codes
    full = flat.split_run(run, T3_SHAPE).readings
    if full:
        assert (tuple(cells.values()),) == full


def test_the_joined_example_still_reads_its_cut() -> None:
    """The same digits joined read as they always did: read with blank cells they print a
    member 0 (0 | 20 | 913), which a unit that leaves zeros blank does not print."""
    cells, codes, _ = _read("020913933")
    assert (tuple(cells.values()), codes) == ((0, 2, 0, 9, 13, 9, 33), [])


# Joined rows of a unit that leaves zeros blank, which a full cut also adds up: 「941211963」 is
# 941 | 21 | 1 and their sum 963, and cut, 9 | 41 | 2 | 1 | 1 | 9 | 63.
JOINED_BOTH_WAYS = [
    ("941211963", [941, 21, None, 1, None, None]),
    ("9301829977", [None, 930, 18, None, None, 29]),
    ("204936960", [None, 20, None, 4, 936, None]),
]


@pytest.mark.parametrize(("run", "members"), JOINED_BOTH_WAYS)
def test_a_joined_row_read_both_ways_is_not_read(run: str, members: list[int | None]) -> None:
    """A run of digits that reads with some cells blank and, cut, with every cell: the cut
    used to be read, with a wrong total. Now neither is read, and the problem says why."""
    assert len(flat.split_run(run, T3_SHAPE).readings) == 1
    cells, codes, [message] = _read(run)
    assert all(v is None for v in cells.values())
    assert codes == ["ambiguous_row"]
    assert str(sum(m or 0 for m in members)) in message and "连在一起" in message


def test_a_joined_row_whose_readings_agree_on_the_total_reads_the_total() -> None:
    """「80092540937」 reads as 8|0|0|925|4|0|937 and as 800, 92, 5, 40 with two cells blank
    (no 0 printed): the members differ, the total is 937 both ways, and only it is read."""
    cells, codes, _ = _read("80092540937")
    assert codes == ["total_only"]
    assert cells[COL_TOTAL] == 937
    assert all(cells[c] is None for c in MEMBERS)


@pytest.mark.parametrize("zeros", ["0000000", "640020470"])
def test_a_table_that_prints_its_zeros_reads_such_a_row_in_full(zeros: str) -> None:
    """A unit that prints a 0 leaves no cell blank: the same joined row, in a table with a
    row that can only be read with a 0 printed, is read with every cell."""
    read = read_table(TABLE3, {T3_NEW: ["80092540937"], T3_CARRIED_IN: [zeros]})
    assert tuple(read.cells[T3_NEW].values()) == (8, 0, 0, 925, 4, 0, 937)
    assert not [p for p in read.problems if p.row == T3_NEW]


def test_a_table_of_joined_rows_with_blanks_stays_unread() -> None:
    """Without a row that prints a 0, such a row stays unread in the table too."""
    read = read_table(TABLE3, {T3_NEW: ["941211963"], T3_CARRIED_IN: ["6767"]})
    assert all(v is None for v in read.cells[T3_NEW].values())


@settings(max_examples=500)
@given(blanked_row(T3_SHAPE.width, st.one_of(st.integers(1, 30), st.integers(900, 999))))
@example(([941, 21, 0, 1, 0, 0], [False, False, True, False, True, True]))
def test_no_wrong_total_from_a_joined_row_with_blank_cells(
    row: tuple[list[int], list[bool]],
) -> None:
    """Whatever is read from a row with blanks for zeros, its digits joined, is its own total,
    and no member is read (where the blanks were is not known)."""
    members, blank = row
    total = sum(members)
    run = "".join(
        str(v) for v in [*(m for m, b in zip(members, blank, strict=True) if not b), total]
    )
    cells, _codes, _ = _read(run)
    assert cells[COL_TOTAL] in (None, total)
    assert all(cells[c] is None for c in MEMBERS)


@pytest.mark.parametrize("run", ["64 - 2 4 70", "0 - 20 913 933", "- 5 5", "64 / 2 4 70"])
def test_a_blank_mark_is_a_printed_cell_so_no_short_reading(run: str) -> None:
    """A unit that marks its blanks marks every one: cells missing beside a mark were not
    blanks that vanished, and the numbers are not read as some members and their sum."""
    assert flat.split_spaced_short(run, T3_SHAPE) is None
    assert not flat.split_short(run, T3_SHAPE).readings
    cells, codes, _ = _read(run)
    assert all(v is None for v in cells.values())
    assert codes == ["unreadable_row"]


# -- properties --------------------------------------------------------------------------------


# Numbers in the 900s and 9000s often cut into rows that add up (920 3 4 927 is
# 9 | 2 | 0 | 3 | 4 | 9 | 27): about one row in thirty here reads both ways.
CUTTABLE = st.one_of(st.integers(0, 30), st.integers(900, 999), st.integers(9000, 9999))


@settings(max_examples=500)
@given(blanked_row(T3_SHAPE.width, CUTTABLE), st.sampled_from([" ", "  ", "\t", " \u3000"]))
@example(([0, 20, 0, 913, 0, 0], [False, False, True, False, True, True]), " ")
def test_no_wrong_total_from_a_spaced_row_with_blank_cells(
    row: tuple[list[int], list[bool]], sep: str
) -> None:
    """Whatever total is read from a row printed spaced with blanks for zeros is its own."""
    members, blank = row
    total = sum(members)
    printed = [m for m, b in zip(members, blank, strict=True) if not b]
    run = sep.join(str(v) for v in [*printed, total])
    cells, codes, _ = _read(run)
    assert cells[COL_TOTAL] in (None, total)
    assert all(cells[c] is None for c in MEMBERS)
    if flat.split_run(run, T3_SHAPE).readings:
        assert codes == ["ambiguous_row"]


@settings(max_examples=300)
@given(
    st.lists(
        st.one_of(st.integers(0, 30), st.integers(900, 999), st.integers(9000, 99999)),
        min_size=2,
        max_size=6,
    )
)
def test_blank_cells_and_cut_numbers_never_agree_on_the_total(numbers: list[int]) -> None:
    """Numbers kept apart read as members and their sum, and the same numbers cut into a
    full row: never one total (so a row read both ways is always ambiguous)."""
    run = " ".join(map(str, [*numbers[:-1], sum(numbers[:-1])]))
    short = flat.split_spaced_short(run, T3_SHAPE)
    full = flat.split_run(run, T3_SHAPE)
    if short is not None:
        assert all(r[-1] != short[-1] for r in full.readings)


def test_search_stays_bounded_on_long_spaced_numbers() -> None:
    run = " ".join(["9" * flat.MAX_CELL_DIGITS] * 5 + ["1" * flat.MAX_CELL_DIGITS])
    cells, codes, _ = _read(run)
    assert all(v is None for v in cells.values()) and codes
    huge = " ".join(["1" * 200, "2"])
    assert flat.split_spaced_short(huge, T3_SHAPE) is None
    assert _read(huge)[1] == ["unreadable_row"]


# -- a whole report ----------------------------------------------------------------------------


def _seed(fixtures_dir: Path) -> AnnualReport:
    path = fixtures_dir / "reports" / "seed_quangang_2021.json"
    return AnnualReport.from_json(path.read_text(encoding="utf-8"))


def _colliding(seed: AnnualReport) -> AnnualReport:
    """The seed with three kinds of applicant, 920 new applications from people (carried
    over): 一 printed with blanks is 「920 3 4 927」, also 9|2|0|3|4|9|27."""
    tables = {t: {r: dict(c) for r, c in rows.items()} for t, rows in seed.tables.items()}
    t3 = tables[T3]
    t3[T3_NEW].update(
        {COL_NATURAL_PERSON: 920, COL_PUBLIC_INTEREST: 3, COL_OTHER_ORG: 4, COL_TOTAL: 927}
    )
    t3[T3_DISCLOSED].update({COL_NATURAL_PERSON: 30, COL_PUBLIC_INTEREST: 2, COL_OTHER_ORG: 4})
    t3[T3_OTHER_OTHER].update({COL_NATURAL_PERSON: 6, COL_PUBLIC_INTEREST: 1})
    t3[T3_RESULTS_TOTAL].update({COL_NATURAL_PERSON: 54, COL_PUBLIC_INTEREST: 3, COL_OTHER_ORG: 4})
    out = t3[T3_CARRIED_OUT]
    out[COL_NATURAL_PERSON] = (out[COL_NATURAL_PERSON] or 0) + 860
    out[COL_TOTAL] = (out[COL_TOTAL] or 0) + 860
    return seed.model_copy(update={"tables": tables}).revalidated()


def _errors(findings: Sequence[Finding]) -> set[tuple[str, str]]:
    return {(f.rule, f.message) for f in findings if f.severity is Severity.ERROR}


def test_a_report_with_such_a_row_raises_no_false_error(fixtures_dir: Path) -> None:
    truth = _colliding(_seed(fixtures_dir))
    assert "数量 920 3 4 927\n" in re.sub(" +", " ", render(blank_zeros(truth), sep=" "))
    full = audit_parsed("full.txt", "text", parse_text(render(truth, sep="\t")))
    parsed = parse_text(render(blank_zeros(truth), sep=" "))
    assert parsed.report is not None
    assert parsed.report.tables[T3][T3_NEW][COL_TOTAL] is None  # not 27
    assert [p.code for p in parsed.problems if p.row == T3_NEW] == ["ambiguous_row"]
    for code, cells in parsed.report.tables[T3].items():
        assert cells[COL_TOTAL] in (None, truth.tables[T3][code][COL_TOTAL]), code
    assert parsed.report.tables[T4] == truth.tables[T4]
    result = audit_parsed("blank.txt", "text", parsed)
    assert _errors(result.findings) <= _errors(full.findings)


def test_the_search_for_blank_cells_stays_bounded() -> None:
    """The longest runs of digits a row may hold, in the shapes that cut most ways: bounded by
    the search's nodes, and readings past the cap say so."""
    for run in ("1" * 112, "19" * 56, "123456789" * 12):
        began = time.process_time()
        flat.split_blank_cells(run[:112], T3_SHAPE)
        assert time.process_time() - began < 1
    assert flat.split_blank_cells("1" * 113, T3_SHAPE).readings == ()


def test_the_search_for_blank_cells_finds_what_the_general_one_finds() -> None:
    for run in ("941211963", "80092540937", "6767", "640020470", "0000000", "1111114"):
        general = flat.split_short(run, T3_SHAPE).readings
        assert sorted(flat.split_blank_cells(run, T3_SHAPE).readings) == sorted(
            r for r in general if len(r) > 1 and 0 not in r[:-1]
        )
