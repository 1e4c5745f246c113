"""Rows printed with blank cells for zeros, once the cells lost their boundaries.

Small units print table 三 with blanks instead of 0 (「64 | | | 2 | | 4 | 70」). Flattened by a
crawler, the blanks vanish (「64 2 4 70」, 「642470」, a row of blanks 「0」): the row has no
reading with all its cells. What is still certain is its 总计, when every reading of the numbers
as some members and their sum gives the same one. That total is read; the members stay unread
(None), and nothing downstream may call them blank, compare them, or compare prose with them.
"""

from __future__ import annotations

from pathlib import Path

from gongkai.core.formats import (
    APPLICANT_COLUMNS,
    COL_NATURAL_PERSON,
    COL_OTHER_ORG,
    COL_PUBLIC_INTEREST,
    FORMAT_2021,
    T3,
    T3_DISCLOSED,
    T3_NEW,
    T3_OTHER_OTHER,
    T3_RESULTS_TOTAL,
)
from gongkai.core.model import AnnualReport
from gongkai.core.narrative import check_narrative
from gongkai.core.parse.grid import row_shape
from gongkai.core.rules import check_report

TABLE3 = FORMAT_2021.table3
TABLE4 = FORMAT_2021.table4
T3_SHAPE = row_shape(TABLE3)
MEMBERS = tuple(c.code for c in APPLICANT_COLUMNS)


def _seed(fixtures_dir: Path) -> AnnualReport:
    path = fixtures_dir / "reports" / "seed_quangang_2021.json"
    return AnnualReport.from_json(path.read_text(encoding="utf-8"))


def _spread(seed: AnnualReport) -> AnnualReport:
    """The seed with applications from three kinds of applicant (the same totals)."""
    tables = {t: {r: dict(c) for r, c in rows.items()} for t, rows in seed.tables.items()}
    t3 = tables[T3]
    t3[T3_NEW].update({COL_NATURAL_PERSON: 60, COL_PUBLIC_INTEREST: 3, COL_OTHER_ORG: 4})
    t3[T3_DISCLOSED].update({COL_NATURAL_PERSON: 30, COL_PUBLIC_INTEREST: 2, COL_OTHER_ORG: 4})
    t3[T3_OTHER_OTHER].update({COL_NATURAL_PERSON: 6, COL_PUBLIC_INTEREST: 1})
    t3[T3_RESULTS_TOTAL].update({COL_NATURAL_PERSON: 54, COL_PUBLIC_INTEREST: 3, COL_OTHER_ORG: 4})
    return seed.model_copy(update={"tables": tables}).revalidated()


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
