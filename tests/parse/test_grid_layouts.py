"""Real table layouts a grid front end meets, built on the seed's cells in the same shapes.

Each test takes the seed's grid (as an HTML/DOCX/PDF front end hands it over) and changes it
the way a published report does: （六）其他处理 printed as one row in a 2021-format table, a
blank label cell in front of the cells, a misspelt label, a label wrapped over two lines with
its cells on the line after its first half or just before it, a merged label printed one
character per line. Every cell must still be read, and nothing unread may be made up.
"""

from __future__ import annotations

import random

import pytest

from gongkai.core.audit import audit_parsed
from gongkai.core.findings import Severity
from gongkai.core.formats import FORMAT_2021, T3
from gongkai.core.model import AnnualReport
from gongkai.core.parse import read_tables
from gongkai.core.parse.document import Grid, Paragraph, assemble
from gongkai.core.parse.labels import match_row_fuzzy
from tests.parse.synth import cell_text, grid_rows

T3_TABLE = FORMAT_2021.table(T3)
OTHER_ROWS = ("other.no_correction", "other.fee_unpaid", "other.other")


def _label(code: str) -> str:
    return T3_TABLE.row(code).label


def _values(report: AnnualReport, code: str) -> list[str]:
    return [cell_text(report.cell(T3, code, c.code)) for c in T3_TABLE.columns]


def _index(rows: list[list[str]], code: str) -> int:
    return next(i for i, row in enumerate(rows) if _label(code) in row)


def _collapse_other(
    report: AnnualReport, rows: list[list[str]], *, blank_cell: bool = True
) -> list[list[str]]:
    """（六）其他处理 as one row of the group's sums, its three rows left out (with the blank
    cell beside the label where the other rows have their own label, as 022.pdf prints it)."""
    first = _index(rows, OTHER_ROWS[0])
    sums = [
        str(sum(report.cell(T3, code, c.code) or 0 for code in OTHER_ROWS))
        for c in T3_TABLE.columns
    ]
    kept = [r for i, r in enumerate(rows) if not (first <= i < first + len(OTHER_ROWS))]
    kept.insert(first, ["", "（六）其他处理", *([""] if blank_cell else []), *sums])
    return kept


# -- （六）其他处理 printed as one row ------------------------------------------------------------


def test_a_collapsed_group_leaves_its_rows_unknown_and_reads_the_rest(seed: AnnualReport) -> None:
    read = read_tables(_collapse_other(seed, grid_rows(seed)), FORMAT_2021)
    cells = read.tables[T3]
    for code in OTHER_ROWS:
        assert set(cells[code].values()) == {None}, code  # unknown, not zeros
    for row in T3_TABLE.cell_rows:
        if row.code not in OTHER_ROWS:
            assert cells[row.code] == seed.tables[T3][row.code], row.code
    assert [p.code for p in read.problems] == ["collapsed_group"]
    [note] = read.problems
    assert note.severity is Severity.INFO
    assert note.row == "other"
    assert "总计 8" in note.message  # the seed's 1 + 0 + 7
    assert "（七）总计等于各项办理结果之和" in note.message


def test_a_collapsed_group_whose_sum_disagrees_with_the_total_is_a_warning(
    seed: AnnualReport,
) -> None:
    rows = _collapse_other(seed, grid_rows(seed))
    other = next(i for i, r in enumerate(rows) if "（六）其他处理" in r)
    rows[other][-1] = "9"
    rows[other][-7] = "9"
    read = read_tables(rows, FORMAT_2021)
    [note] = [p for p in read.problems if p.code == "collapsed_group"]
    assert note.severity is Severity.WARNING
    assert "不等于" in note.message


def test_a_flattened_collapsed_group_is_split_with_the_folded_equations(
    seed: AnnualReport,
) -> None:
    """Digits run together in every row: the group's one row joins the column equations."""
    rows = _collapse_other(seed, grid_rows(seed), blank_cell=False)
    flattened = []
    for row in rows:
        values = [c for c in row if c.isdigit()]
        if len(values) == 7 and len(row) > 7:
            flattened.append([*row[: len(row) - 7], "".join(values)])
        else:
            flattened.append(row)
    read = read_tables(flattened, FORMAT_2021)
    assert read.tables[T3]["results_total"] == seed.tables[T3]["results_total"]
    assert not [p for p in read.problems if p.code in ("ambiguous_row", "unreadable_row")]


def test_a_collapsed_group_raises_no_false_finding(seed: AnnualReport) -> None:
    """The audit of such a report: no error and no warning from the unknown rows."""
    rows = _collapse_other(seed, grid_rows(seed))
    blocks = [
        Paragraph("泉州市泉港区人民政府2021年政府信息公开工作年度报告"),
        Paragraph("一、总体情况"),
        Paragraph("本区认真贯彻《条例》，全年未收取信息处理费。"),
        Paragraph("二、主动公开政府信息情况"),
        Grid(tuple(tuple(r) for r in rows)),
        Paragraph("五、存在的主要问题及改进情况"),
        Paragraph("无。"),
        Paragraph("六、其他需要报告的事项"),
        Paragraph("本年度未收取信息处理费。"),
    ]
    parsed = assemble(blocks, source="collapsed.pdf", what="PDF")
    assert parsed.report is not None, parsed.reason
    result = audit_parsed("collapsed.pdf", "pdf", parsed)
    loud = [f.rule for f in result.findings if f.severity is not Severity.INFO]
    # The seed's own table errors (none) and no cells.blank, t3.results_total or parse warning.
    assert not [r for r in loud if r.startswith(("cells.", "t3.", "parse."))], loud


# -- label cells and labels as real grids give them ---------------------------------------------


def test_a_blank_label_cell_in_front_of_the_cells_is_not_a_cell(seed: AnnualReport) -> None:
    rows = grid_rows(seed)
    total = _index(rows, "results_total")
    rows[total] = ["", _label("results_total"), "", *_values(seed, "results_total")]
    carried = _index(rows, "carried_out")
    rows[carried] = ["", "", _label("carried_out"), *_values(seed, "carried_out")]
    read = read_tables(rows, FORMAT_2021)
    assert read.tables[T3] == seed.tables[T3]
    assert read.problems == []


def test_a_misspelt_label_is_its_row_with_a_note(seed: AnnualReport) -> None:
    spelled, code = "2.其他法律行政止公开", "withheld.prohibited_by_law"  # as in 022.pdf
    rows = grid_rows(seed)
    index = _index(rows, code)
    rows[index] = [spelled if c == _label(code) else c for c in rows[index]]
    read = read_tables(rows, FORMAT_2021)
    assert read.tables[T3] == seed.tables[T3]
    [note] = read.problems
    assert (note.code, note.severity, note.row) == ("label_guessed", Severity.INFO, code)
    assert spelled in note.message


@pytest.mark.parametrize(
    ("cut", "code"),
    [
        ("4.无正当理由大量反复申", "not_processed.excessive"),
        ("一、本年新收政府信息公开申请数", "new"),
        ("5.要求行政机关确认或重新出具", "not_processed.confirmation"),
    ],
)
def test_a_label_cut_short_is_its_row_without_a_note(
    seed: AnnualReport, cut: str, code: str
) -> None:
    """The rest of the label wrapped onto a line the grid did not keep: not a misspelling."""
    rows = grid_rows(seed)
    index = _index(rows, code)
    rows[index] = [cut if c == _label(code) else c for c in rows[index]]
    read = read_tables(rows, FORMAT_2021)
    assert read.tables[T3] == seed.tables[T3]
    assert read.problems == []


@pytest.mark.parametrize(
    "label",
    [
        "2.其他",  # too short to tell
        "3.其他法律行政止公开",  # the number is row 3's, the text row 2's
        "行政处理",  # as close to 行政处罚 as to nothing: not guessed
        "（三）政府信息管理情况。加强区政府门户网站及政务新媒体日常管理",  # prose
    ],
)
def test_a_label_that_is_not_close_to_exactly_one_row_is_not_guessed(label: str) -> None:
    assert match_row_fuzzy(label, FORMAT_2021.tables) is None


def test_a_wrapped_label_with_its_cells_on_the_next_line(seed: AnnualReport) -> None:
    """「（二）部分公开（区分处理的，只计这一情」 / cells / 「形，不计其他情形）」."""
    rows = grid_rows(seed)
    index = _index(rows, "partly_disclosed")
    blanks = [""] * 7
    rows[index : index + 1] = [
        ["三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情", *blanks],
        ["", "", *_values(seed, "partly_disclosed")],
        ["", "形，不计其他情形）", *blanks],
    ]
    read = read_tables(rows, FORMAT_2021)
    assert read.tables[T3] == seed.tables[T3]
    assert read.problems == []


def test_a_long_label_wrapped_over_lines_with_its_cells_on_the_middle_one(
    seed: AnnualReport,
) -> None:
    """「1、申请人无正当理由逾期不补」 / 「正、行政机关不再处理其政府信 67 3 0 …」 / 「息公开申请」,
    as 024.pdf's lines of words give it, with the group's label cut between the rows."""
    rows = grid_rows(seed)
    index = _index(rows, "other.no_correction")
    rows[index : index + 1] = [
        ["1、申请人无正当理由逾期不补", ""],
        ["正、行政机关不再处理其政府信", *_values(seed, "other.no_correction")],
        ["息公开申请", ""],
        ["（六）其", ""],
    ]
    read = read_tables(rows, FORMAT_2021)
    assert read.tables[T3] == seed.tables[T3]
    assert read.problems == []


def test_a_wrapped_label_whose_second_half_shares_the_cells_line(seed: AnnualReport) -> None:
    rows = grid_rows(seed)
    index = _index(rows, "not_processed.confirmation")
    rows[index : index + 1] = [
        ["（五）不予处理", "5.要求行政机关确认或重新出具", *[""] * 7],
        ["", "已获取信息", *_values(seed, "not_processed.confirmation")],
    ]
    read = read_tables(rows, FORMAT_2021)
    assert read.tables[T3] == seed.tables[T3]


def test_cells_printed_on_the_line_before_their_label(seed: AnnualReport) -> None:
    """A label in a tall cell is centred below the line the cells sit on."""
    rows = grid_rows(seed)
    for code in ("withheld.state_secret", "unavailable.not_held"):
        index = _index(rows, code)
        group = rows[index][0]
        rows[index : index + 1] = [
            ["", "", *_values(seed, code)],
            [group, _label(code), *[""] * 7],
        ]
    read = read_tables(rows, FORMAT_2021)
    assert read.tables[T3] == seed.tables[T3]
    assert read.problems == []


def test_a_merged_label_printed_one_character_per_line(seed: AnnualReport) -> None:
    """「三、本年度办理结果」 down a first column of its own, one character on each line: beside
    the result rows, and on lines of their own between them."""
    rows = grid_rows(seed)
    results = {r.label for r in T3_TABLE.rows if r.level >= 1}
    characters = list("三、本年度办理结果")
    table4 = rows.index(["行政复议", "行政诉讼"])
    out: list[list[str]] = []
    for row in rows[:table4]:
        if not any(cell in results for cell in row):
            out.append(["", *row])
            continue
        char = characters.pop(0) if characters else ""
        out.append([char, *row])
        if char in ("、", "度") and characters:
            out.append([characters.pop(0), *[""] * (len(row))])
    assert not characters
    read = read_tables([*out, *rows[table4:]], FORMAT_2021)
    assert read.tables[T3] == seed.tables[T3]
    assert read.problems == []


def test_a_blank_row_stays_blank_and_is_not_given_the_next_rows_cells(seed: AnnualReport) -> None:
    rows = grid_rows(seed)
    index = _index(rows, "withheld.state_secret")
    rows[index] = [rows[index][0], rows[index][1], *[""] * 7]
    read = read_tables(rows, FORMAT_2021)
    assert set(read.tables[T3]["withheld.state_secret"].values()) == {None}
    after = "withheld.prohibited_by_law"
    assert read.tables[T3][after] == seed.tables[T3][after]
    assert [p.code for p in read.problems] == ["empty_row"]


# -- damaged grids: what is read is right, or left blank ----------------------------------------

_GARBLE = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下"
)


def _distinct(seed: AnnualReport) -> AnnualReport:
    """The seed with every row of table 三 holding its own numbers, so a misplaced row shows."""
    report = seed
    for i, row in enumerate(T3_TABLE.cell_rows):
        cells = seed.tables[T3][row.code]
        rest = sum(v or 0 for c, v in cells.items() if c not in ("natural_person", "total"))
        report = report.with_cell(T3, row.code, "natural_person", 100 + i)
        report = report.with_cell(T3, row.code, "total", 100 + i + rest)
    return report


def test_a_damaged_grid_never_gives_a_row_another_rows_cells(seed: AnnualReport) -> None:
    """Rows deleted, labels garbled (one to three characters replaced), stray lines of numbers
    inserted: each row of table 三 is read as its own cells or left blank, never misplaced."""
    report = _distinct(seed)
    rnd = random.Random(12)
    for trial in range(300):
        rows = grid_rows(report)
        for _ in range(rnd.randint(1, 4)):
            i = rnd.randrange(len(rows))
            damage = rnd.random()
            if damage < 0.3:
                del rows[i]
            elif damage < 0.7:
                j = next((k for k, c in enumerate(rows[i]) if c and not c.isdigit()), None)
                if j is not None:
                    label = list(rows[i][j])
                    for _ in range(rnd.randint(1, 3)):
                        label[rnd.randrange(len(label))] = rnd.choice(_GARBLE)
                    rows[i][j] = "".join(label)
            else:
                rows.insert(i, ["", *(str(rnd.randint(0, 9)) for _ in range(7))])
        read = read_tables(rows, FORMAT_2021)
        for code, cells in read.tables[T3].items():
            if any(v is not None for v in cells.values()):
                assert cells == report.tables[T3][code], (trial, code)
