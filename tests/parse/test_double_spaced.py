"""A page stored double-spaced (an empty line after every line) reads as the page itself.

Some crawlers store a page so. The empty lines then say nothing, yet among cells printed a
line each an empty line is a blank cell, or the end of a row: read as stored, nothing was
misread but many cells were left unread (over the corpus's reports in every crawler layout,
24,316 of 108,392 cells). A page whose every second line is empty is read as single-spaced,
and reads as its single-spaced original does (108,338 read right, 54 unread as there).

Built on the seed's cells (``synth.double_spaced_layouts``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.core.formats import FORMAT_2021
from gongkai.core.model import AnnualReport
from gongkai.core.parse.text import _single_spaced, parse_text, untabulate
from tests.parse.synth import (
    TABLE4_CASES,
    crawled,
    double_spaced,
    double_spaced_layouts,
    empty_line_blanks,
    lone_pipe_rows,
    with_table4_values,
)

SUFFIX = "·隔行空行"


@pytest.fixture(scope="module")
def seed() -> AnnualReport:
    path = Path(__file__).parents[1] / "fixtures" / "reports" / "seed_quangang_2021.json"
    return AnnualReport.from_json(path.read_text(encoding="utf-8"))


def _names() -> list[str]:
    path = Path(__file__).parents[1] / "fixtures" / "reports" / "seed_quangang_2021.json"
    report = AnnualReport.from_json(path.read_text(encoding="utf-8"))
    return sorted({**crawled(report), **lone_pipe_rows(report), **empty_line_blanks(report)})


LAYOUT_NAMES = _names()


@pytest.mark.parametrize("case", sorted(TABLE4_CASES))
@pytest.mark.parametrize("name", LAYOUT_NAMES)
def test_a_double_spaced_page_reads_as_its_single_spaced_original(
    seed: AnnualReport, name: str, case: str
) -> None:
    report = with_table4_values(seed, TABLE4_CASES[case])
    text, printed = double_spaced_layouts(report)[name + SUFFIX]
    single = {**crawled(report), **lone_pipe_rows(report), **empty_line_blanks(report)}[name][0]
    parsed = parse_text(text, source=f"{name}.txt")
    original = parse_text(single, source=f"{name}.txt")
    assert parsed.report is not None, parsed.reason
    assert original.report is not None
    for table in FORMAT_2021.tables:
        assert parsed.report.tables[table.code] == original.report.tables[table.code], table.code
        read = parsed.report.tables[table.code]
        assert not [
            (row, column)
            for row, cells in read.items()
            for column, value in cells.items()
            if value is not None and value != printed.tables[table.code][row][column]
        ]
    assert [p.message for p in parsed.problems] == [p.message for p in original.problems]


def test_every_line_followed_by_one_empty_line_is_taken_away() -> None:
    lines = [f"规章 |\n{k} |" for k in range(10)]
    text = "\n".join(lines) + "\n"
    assert untabulate(double_spaced(text)) == untabulate(text)


@pytest.mark.parametrize(
    "lines",
    [
        # A line where the empty line should be: not double-spaced.
        ["规章 |", "", "0 |", "|", "1 |", "", "2 |", "", *(["3 |", ""] * 10)],
        # Too few lines to tell.
        ["规章 |", "", "0 |", "", "1 |", ""],
        # Many empty lines, few printed ones: blank cells, not spacing.
        ["规章 |", "", "", "", "", "", "", "", *(["", ""] * 10), "1 |", ""],
    ],
    ids=["a_line_between", "too_few", "mostly_empty"],
)
def test_a_page_not_double_spaced_for_sure_is_read_as_stored(lines: list[str]) -> None:
    assert _single_spaced(lines) is lines
