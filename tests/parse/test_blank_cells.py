"""Rows printed with blank cells for zeros, once the cells lost their boundaries.

Small units print table 三 with blanks instead of 0 (「64 | | | 2 | | 4 | 70」). Flattened by a
crawler, the blanks vanish (「64 2 4 70」, 「642470」, a row of blanks 「0」): the row has no
reading with all its cells. What is still certain is its 总计, when every reading of the numbers
as some members and their sum gives the same one. That total is read; the members stay unread
(None), and nothing downstream may call them blank, compare them, or compare prose with them.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gongkai.core.audit import audit_parsed, cross_year
from gongkai.core.findings import Finding, Severity
from gongkai.core.formats import (
    APPLICANT_COLUMNS,
    COL_NATURAL_PERSON,
    COL_OTHER_ORG,
    COL_PUBLIC_INTEREST,
    COL_TOTAL,
    FORMAT_2021,
    T3,
    T3_CARRIED_OUT,
    T3_DISCLOSED,
    T3_NEW,
    T3_OTHER,
    T3_OTHER_OTHER,
    T3_RESULTS_TOTAL,
    T4,
    T4_RECONSIDERATION,
)
from gongkai.core.model import AnnualReport
from gongkai.core.narrative import check_narrative
from gongkai.core.parse import flat, parse_text
from gongkai.core.parse.grid import read_table, row_shape
from gongkai.core.parse.result import ParseProblem
from gongkai.core.rules import check_report
from tests.parse.strategies import blanked_row
from tests.parse.synth import blank_zeros, render

TABLE3 = FORMAT_2021.table3
TABLE4 = FORMAT_2021.table4
T3_SHAPE = row_shape(TABLE3)
MEMBERS = tuple(c.code for c in APPLICANT_COLUMNS)


def _seed(fixtures_dir: Path) -> AnnualReport:
    path = fixtures_dir / "reports" / "seed_quangang_2021.json"
    return AnnualReport.from_json(path.read_text(encoding="utf-8"))


# -- one row ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("run", "total"),
    [
        ("0", 0),  # the whole row blank but 总计 0
        ("64 2 4 70", 70),  # cells joined by single spaces
        ("642470", 70),  # cells joined with no separator
        ("11011", 11),  # two readings (1 | 10 | 11, 11 | 0 | 11), one total
        ("67 67", 67),
    ],
)
def test_a_row_with_blank_cells_reads_its_total_only(run: str, total: int) -> None:
    read = read_table(TABLE3, {T3_NEW: [run]})
    cells = read.cells[T3_NEW]
    assert cells[COL_TOTAL] == total
    assert all(cells[c] is None for c in MEMBERS)
    [problem] = [p for p in read.problems if p.row == T3_NEW]
    assert problem.code == "total_only"
    assert problem.severity is Severity.WARNING
    assert f"只读出总计 {total}" in problem.message and "位置无法确定" in problem.message


def _row_problems(run: str) -> list[ParseProblem]:
    return [p for p in read_table(TABLE3, {T3_NEW: [run]}).problems if p.row == T3_NEW]


def test_the_message_names_the_numbers_printed() -> None:
    [problem] = _row_problems("64 2 4 70")
    assert "只印出 4 个数字（64、2、4 之和为 70）" in problem.message
    [blank] = _row_problems("0")
    assert "只印出 1 个数字（总计 0，其余单元格均空白）" in blank.message
    [two] = _row_problems("11011")
    assert "1、10 之和为 11；11、0 之和为 11" in two.message and "总计都是 11" in two.message


@pytest.mark.parametrize(
    "run",
    [
        "925925",  # 925 | 925, or 9 | 2 | 5 | 9 | 25: two totals
        "5",  # one number that no members add up to
        "64 2 4 71",  # the row's own sum is wrong
        "0 88",  # numbers kept apart are one cell each: never 0 | 8 | 8
        "64 - 2 4 70",  # a blank mark as well: not read so
    ],
)
def test_a_row_whose_total_is_not_certain_stays_unread(run: str) -> None:
    read = read_table(TABLE3, {T3_NEW: [run]})
    assert all(v is None for v in read.cells[T3_NEW].values())
    assert [p.code for p in read.problems if p.row == T3_NEW] == ["unreadable_row"]


def test_several_totals_are_all_seen() -> None:
    split = flat.split_short("925925", T3_SHAPE)
    assert {r[-1] for r in split.readings} == {925, 25}
    assert split.total is None


def test_a_row_that_reads_in_full_is_not_read_short() -> None:
    read = read_table(TABLE3, {T3_NEW: ["640020470"]})
    assert list(read.cells[T3_NEW].values()) == [64, 0, 0, 2, 0, 4, 70]
    assert not [p for p in read.problems if p.row == T3_NEW]


def test_a_row_of_table_4_reads_its_total_only_too() -> None:
    read = read_table(TABLE4, {T4_RECONSIDERATION: ["3 3"]})
    assert read.cells[T4_RECONSIDERATION] == {
        "upheld": None,
        "corrected": None,
        "other": None,
        "pending": None,
        COL_TOTAL: 3,
    }
    assert [p.code for p in read.problems if p.row == T4_RECONSIDERATION] == ["total_only"]


def test_a_hostile_run_stays_bounded() -> None:
    start = time.process_time()
    for run in ("1" * 100, "9" * 7 * (flat.MAX_CELL_DIGITS + 1), "10" * 48):
        split = flat.split_short(run, T3_SHAPE)
        assert split.total is None
    assert time.process_time() - start < 20


@pytest.mark.parametrize(
    ("run", "total"),
    [
        ("272130", 30),  # read short: the members unread
        ("0 20 913 933", None),  # blank cells or cut numbers, two totals: ambiguous
    ],
)
def test_joint_solving_does_not_use_the_unread_members(run: str, total: int | None) -> None:
    """The other rows read as if the row were unreadable: the column equations, which would
    take the unread members for zeros, are not used for a row read short or ambiguous."""
    leaves = TABLE3.row(T3_RESULTS_TOTAL).sum_of
    inputs: dict[str, list[str]] = {code: ["0"] for code in leaves}
    inputs[T3_DISCLOSED] = ["2700201"]
    inputs[T3_RESULTS_TOTAL] = ["270020130"]  # 2|7|0|0|20|1|30 or 27|0|0|2|0|1|30
    inputs[T3_CARRIED_OUT] = ["0000000"]
    inputs["carried_in"] = ["0000000"]
    short = read_table(TABLE3, {**inputs, T3_NEW: [run]})
    unreadable = read_table(TABLE3, {**inputs, T3_NEW: ["x"]})
    assert short.cells[T3_NEW][COL_TOTAL] == total
    others = [code for code in short.cells if code != T3_NEW]
    assert [short.cells[c] for c in others] == [unreadable.cells[c] for c in others]
    assert [p for p in short.problems if p.row != T3_NEW] == [
        p for p in unreadable.problems if p.row != T3_NEW
    ]


# -- the property: what is read is right -------------------------------------------------------


@settings(max_examples=300)
@given(
    blanked_row(T3_SHAPE.width, st.one_of(st.just(0), st.integers(0, 12), st.integers(0, 999))),
    st.sampled_from(["", " "]),
)
def test_what_is_read_from_a_blanked_row_is_right(
    row: tuple[list[int], list[bool]], sep: str
) -> None:
    """Whatever a row without a full reading gives is its true total, and never a member."""
    members, blank = row
    total = sum(members)
    printed = [m for m, b in zip(members, blank, strict=True) if not b]
    run = sep.join(str(v) for v in [*printed, total])
    assume(not flat.split_run(run, T3_SHAPE).readings)  # (rows read in full: test_flat)
    split = flat.split_short(run, T3_SHAPE)
    assert split.capped or (*printed, total) in split.readings
    read = read_table(TABLE3, {T3_NEW: [run]})
    cells = read.cells[T3_NEW]
    assert all(cells[c] is None for c in MEMBERS)
    assert cells[COL_TOTAL] in (None, total)
    assert (cells[COL_TOTAL] is None) == (split.total is None)


# -- whole reports -----------------------------------------------------------------------------


def _spread(seed: AnnualReport) -> AnnualReport:
    """The seed with applications from three kinds of applicant (the same totals)."""
    tables = {t: {r: dict(c) for r, c in rows.items()} for t, rows in seed.tables.items()}
    t3 = tables[T3]
    t3[T3_NEW].update({COL_NATURAL_PERSON: 60, COL_PUBLIC_INTEREST: 3, COL_OTHER_ORG: 4})
    t3[T3_DISCLOSED].update({COL_NATURAL_PERSON: 30, COL_PUBLIC_INTEREST: 2, COL_OTHER_ORG: 4})
    t3[T3_OTHER_OTHER].update({COL_NATURAL_PERSON: 6, COL_PUBLIC_INTEREST: 1})
    t3[T3_RESULTS_TOTAL].update({COL_NATURAL_PERSON: 54, COL_PUBLIC_INTEREST: 3, COL_OTHER_ORG: 4})
    return seed.model_copy(update={"tables": tables}).revalidated()


@pytest.mark.parametrize("sep", ["", " "])
def test_a_flattened_report_with_blank_cells_reads_every_total(
    fixtures_dir: Path, sep: str
) -> None:
    truth = _spread(_seed(fixtures_dir))
    parsed = parse_text(render(blank_zeros(truth), sep=sep))
    assert parsed.report is not None
    short = {p.row for p in parsed.problems if p.code == "total_only"}
    assert short  # (the layout this is about)
    unread = ("unreadable_row", "ambiguous_row")
    assert not [p for p in parsed.problems if p.table == T3 and p.code in unread]
    for code, cells in parsed.report.tables[T3].items():
        assert cells[COL_TOTAL] == truth.tables[T3][code][COL_TOTAL], code
        for column in MEMBERS:
            got = cells[column]
            assert got is None if code in short else got == truth.tables[T3][code][column]
    assert parsed.report.tables[T4] == truth.tables[T4]


def _errors(findings: Sequence[Finding]) -> set[tuple[str, str]]:
    return {(f.rule, f.message) for f in findings if f.severity is Severity.ERROR}


def _text(report: AnnualReport, sep: str, prose: str) -> str:
    """The report rendered, with ``prose`` as its overview."""
    return render(report, sep=sep).replace("本单位认真贯彻《条例》。", prose)


@pytest.mark.parametrize("sep", ["", " "])
def test_an_audit_finds_no_error_in_the_unplaced_cells(fixtures_dir: Path, sep: str) -> None:
    """The same errors as the report printed in full, no blank finding for the unread
    members, and the prose about a member not compared."""
    truth = _spread(_seed(fixtures_dir))
    prose = (
        "全年共收到政府信息公开申请67件，其中自然人申请60件，法人或其他组织申请7件。"
        "予以公开36件，无法提供16件。"
    )
    full = audit_parsed("full.txt", "text", parse_text(_text(truth, "\t", prose)))
    result = audit_parsed("blank.txt", "text", parse_text(_text(blank_zeros(truth), sep, prose)))
    assert _errors(result.findings) == _errors(full.findings)
    # The slip stays found: the prose says 无法提供 16, table 三 says 15.
    assert any(rule == "narrative.mismatch" and "16" in m for rule, m in _errors(result.findings))
    blank = [f for f in result.findings if f.rule == "cells.blank"]
    assert not [c for f in blank for c in f.cells if c.table == T3]
    unchecked = [f.message for f in result.findings if f.rule == "narrative.unchecked"]
    assert any("自然人 60 件" in m and "只读出总计" in m for m in unchecked)
    assert any("法人或其他组织 7 件" in m for m in unchecked)


@pytest.mark.parametrize("sep", ["", " "])
def test_a_wrong_total_in_the_prose_is_still_found(fixtures_dir: Path, sep: str) -> None:
    truth = blank_zeros(_spread(_seed(fixtures_dir)))
    text = _text(truth, sep, "全年共收到申请68件。")
    result = audit_parsed("blank.txt", "text", parse_text(text))
    [wrong] = [f for f in result.findings if f.rule == "narrative.mismatch" and "68" in f.message]
    assert wrong.severity is Severity.ERROR
    assert "67" in wrong.message


def test_a_member_figure_over_several_rows_is_not_compared_with_the_part_read(
    fixtures_dir: Path,
) -> None:
    """予以公开 read in full, （七）总计 read short: 自然人 across both is not summed."""
    report = _spread(_seed(fixtures_dir))
    tables = {t: {r: dict(c) for r, c in rows.items()} for t, rows in report.tables.items()}
    tables[T3][T3_NEW].update(dict.fromkeys(MEMBERS))
    report = report.model_copy(
        update={
            "tables": tables,
            "narrative": {"requests": "本年新收申请67件，其中自然人申请50件。"},
        }
    )
    unread = {(T3, T3_NEW, c): "只读出总计" for c in MEMBERS}
    findings = check_narrative(report, unread_cells=unread)
    assert not [f for f in findings if f.rule == "narrative.mismatch"]
    assert [f.rule for f in findings] == ["narrative.unchecked"]
    wrong = report.model_copy(update={"narrative": {"requests": "本年新收申请66件。"}})
    assert [f.rule for f in check_narrative(wrong, unread_cells=unread)] == ["narrative.mismatch"]


def test_the_rules_that_cannot_check_name_the_unplaced_cells_unread(fixtures_dir: Path) -> None:
    truth = blank_zeros(_spread(_seed(fixtures_dir)))
    result = audit_parsed("blank.txt", "text", parse_text(render(truth, sep=" ")))
    [row_total] = [f for f in result.findings if f.rule == "t3.row_total"]
    assert row_total.severity is Severity.INFO
    assert "因单元格未读出" in row_total.message and "空白单元格" not in row_total.message
    assert "未读出的单元格（原因见解析提示）" in row_total.message


def test_last_years_check_names_the_unplaced_cells_unread(fixtures_dir: Path) -> None:
    truth = _spread(_seed(fixtures_dir))
    last = audit_parsed("2020.txt", "text", parse_text(render(truth.with_meta(year=2020))))
    this = audit_parsed("2021.txt", "text", parse_text(render(blank_zeros(truth), sep=" ")))
    [paired] = cross_year([this.pack()], earlier=[last.pack()])
    carry = [f for f in paired.findings if f.rule == "cross_year.carry_in"]
    [unchecked] = [f for f in carry if f.severity is Severity.INFO]
    assert "因单元格未读出" in unchecked.message and "空白单元格" not in unchecked.message
    # The total that was read is compared (the test's last year carried 6 over, not 0).
    [total] = [f for f in carry if f.severity is not Severity.INFO]
    assert "「总计」列" in total.message


def test_cells_not_read_are_not_called_blank(fixtures_dir: Path) -> None:
    report = _spread(_seed(fixtures_dir))
    tables = {t: {r: dict(c) for r, c in rows.items()} for t, rows in report.tables.items()}
    tables[T3][T3_NEW].update(dict.fromkeys(MEMBERS))
    tables[T3][T3_DISCLOSED][COL_NATURAL_PERSON] = None  # printed blank
    report = report.model_copy(update={"tables": tables})
    unread = frozenset((T3, T3_NEW, c) for c in MEMBERS)
    [blank] = [f for f in check_report(report, unread=unread) if f.rule == "cells.blank"]
    assert [(c.row, c.column) for c in blank.cells] == [(T3_DISCLOSED, COL_NATURAL_PERSON)]
    assert "1 个单元格空白" in blank.message
    tables[T3][T3_DISCLOSED][COL_NATURAL_PERSON] = 30
    report = report.model_copy(update={"tables": tables})
    assert not [f for f in check_report(report, unread=unread) if f.rule == "cells.blank"]


def test_a_group_printed_as_one_short_row_reads_its_total() -> None:
    """（六）其他处理 printed as one row, its blanks gone: the group's total, nothing more."""
    group = TABLE3.row(T3_OTHER)
    read = read_table(TABLE3, {T3_OTHER: ["7 1 8"]})
    codes = [p.code for p in read.problems if p.row == T3_OTHER]
    assert codes == ["total_only", "collapsed_group"]
    [note] = [p for p in read.problems if p.code == "collapsed_group"]
    assert "总计 8，各项未读出" in note.message
    for member in group.sum_of:
        assert all(v is None for v in read.cells[member].values())
