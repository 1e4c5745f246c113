"""More real layouts, each in the shape a published report or a converter prints it.

Tables as markdown pipes (with and without their rule line, under made-up column names), one
small table per row, placeholder column names (列1, Column1, Unnamed: 0), a row's cells split
over two lines by PDF extraction, a blank 总计 cell, rows printed in another order, and extra
provincial rows. Built on the seed's cells: every cell the layout shows must be read back, a
blank cell must stay blank, and the audit of a consistent report must stay free of errors.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from gongkai.core.audit import audit_parsed
from gongkai.core.findings import Severity
from gongkai.core.formats import FORMAT_2021, T3, T4
from gongkai.core.model import AnnualReport
from gongkai.core.parse.document import Grid, Paragraph, assemble
from gongkai.core.parse.result import ParseResult
from gongkai.core.parse.text import parse_text, untabulate
from tests.parse.synth import grid_rows, render

T3_TABLE = FORMAT_2021.table(T3)
WIDTH = len(T3_TABLE.columns)


def _assert_read_in_full(parsed: ParseResult, seed: AnnualReport) -> None:
    assert parsed.report is not None, parsed.reason
    for code in (T3, T4):
        assert parsed.report.tables[code] == seed.tables[code], code
    result = audit_parsed("layout", "text", parsed)
    errors = [f.message for f in result.findings if f.severity is Severity.ERROR]
    assert not errors


def _is_row(line: str) -> bool:
    cells = line.split("\t")
    return len(cells) > 2 and any(c.strip().isdigit() for c in cells[1:])


# -- text layouts ---------------------------------------------------------------------------


def _pipes(text: str, *, rule: bool, header: str = "") -> str:
    """Every tab-separated line as a markdown row; a rule line under each table's first row."""
    out: list[str] = []
    inside = False
    for line in text.split("\n"):
        if "\t" not in line:
            out.append(line)
            inside = False
            continue
        cells = line.split("\t")
        if not inside and header:
            out.append("| " + " | ".join(f"{header}{i + 1}" for i in range(len(cells))) + " |")
            out.append("|" + "---|" * len(cells))
        out.append("| " + " | ".join(cells) + " |")
        if not inside and rule and not header:
            out.append("|" + " :---: |" * len(cells))
        inside = True
    return "\n".join(out)


def _split_cells(text: str, *, sep: str) -> str:
    """A row's cells wrapped onto a second line, as PDF text extraction cuts a wide row."""
    out = []
    for line in text.split("\n"):
        cells = line.split("\t")
        if len(cells) == WIDTH + 1 and _is_row(line):
            out.append(sep.join(cells[:4]))
            out.append(sep.join(cells[4:]))
        else:
            out.append(line)
    return "\n".join(out)


def _reorder(text: str) -> str:
    """Table 三's rows printed in another order (rows of the same table, shuffled)."""
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if line.startswith("一、本年新收"))
    last = next(i for i, line in enumerate(lines) if line.startswith("四、政府信息公开"))
    block = lines[first:last]
    random.Random(12).shuffle(block)
    return "\n".join([*lines[:first], *block, *lines[last:]])


def _provincial(text: str) -> str:
    """Rows a province adds to table 三 (a sub-row of 一, an eighth result row)."""
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("一、本年新收"))
    extra = [
        "其中：通过政务服务热线转办\t5\t0\t0\t0\t0\t0\t5",
        "八、省定统计事项\t1\t1\t1\t1\t1\t1\t6",
    ]
    return "\n".join([*lines[: at + 1], *extra, *lines[at + 1 :]])


TEXT_LAYOUTS: dict[str, Callable[[str], str]] = {
    "markdown pipes": lambda t: _pipes(t, rule=False),
    "markdown pipes with a rule line": lambda t: _pipes(t, rule=True),
    "markdown under 列1 列2 …": lambda t: _pipes(t, rule=True, header="列"),
    "markdown under Column1 Column2 …": lambda t: _pipes(t, rule=True, header="Column"),
    "tab rows under 列1 列2 …": lambda t: t.replace(
        "三、收到和处理政府信息公开申请情况\n",
        "三、收到和处理政府信息公开申请情况\n" + "\t".join(f"列{i}" for i in range(1, 10)) + "\n",
    ).replace(
        "四、政府信息公开行政复议、行政诉讼情况\n",
        "四、政府信息公开行政复议、行政诉讼情况\nUnnamed: 0\tUnnamed: 1\n",
    ),
    "cells split over two lines, tabs": lambda t: _split_cells(t, sep="\t"),
    "cells split over two lines, spaces": lambda t: _split_cells(t, sep=" "),
    "rows in another order": _reorder,
    "extra provincial rows": _provincial,
}


@pytest.mark.parametrize("layout", list(TEXT_LAYOUTS))
def test_a_text_layout_is_read_in_full(seed: AnnualReport, layout: str) -> None:
    text = TEXT_LAYOUTS[layout](render(seed, sep="\t"))
    _assert_read_in_full(parse_text(text), seed)


def test_a_blank_total_at_the_end_of_a_tab_separated_row_stays_blank(
    seed: AnnualReport,
) -> None:
    """「0\t0\t0\t0\t0\t0\t」: the last cell is blank, not missing (the row is not split anew)."""
    lines = []
    for line in render(seed, sep="\t").split("\n"):
        cells = line.split("\t")
        if cells[0].startswith("2.重复申请"):
            cells[-1] = ""
        lines.append("\t".join(cells))
    parsed = parse_text("\n".join(lines))
    assert parsed.report is not None
    row = parsed.report.tables[T3]["not_processed.repeat"]
    assert row["total"] is None
    assert row == {**seed.tables[T3]["not_processed.repeat"], "total": None}
    assert not [p for p in parsed.problems if p.code == "unreadable_row"]


def test_pipes_in_prose_are_left_alone() -> None:
    assert untabulate("一、总体情况\n公开|透明|便民。\n") == "一、总体情况\n公开|透明|便民。\n"


def test_a_row_of_real_numbers_under_a_rule_line_is_kept() -> None:
    assert untabulate("| 总计 | 1 | 2 |\n|---|---|---|\n| 3 | 4 | 5 |") == "总计\t1\t2\n3\t4\t5"


def test_a_label_out_of_order_that_occurs_twice_is_not_guessed(seed: AnnualReport) -> None:
    """「3.其他」 printed first and again in prose-like noise: left missing, never misplaced."""
    text = _reorder(render(seed, sep="\t"))
    parsed = parse_text(
        text.replace("五、存在的主要问题", "一、本年新收政府信息公开申请数量\n五、存在的主要问题")
    )
    assert parsed.report is not None
    for row, cells in parsed.report.tables[T3].items():
        assert cells == seed.tables[T3][row] or set(cells.values()) == {None}, row


# -- grid layouts ---------------------------------------------------------------------------


def _blocks(seed: AnnualReport, tables: list[list[list[str]]]) -> list[Paragraph | Grid]:
    blocks: list[Paragraph | Grid] = [
        Paragraph(f"{seed.meta.unit}{seed.meta.year}年度政府信息公开工作年度报告"),
        Paragraph("一、总体情况"),
        Paragraph("本单位认真贯彻《条例》。"),
        Paragraph("二、主动公开政府信息情况"),
    ]
    blocks += [Grid(tuple(tuple(r) for r in rows)) for rows in tables]
    blocks += [
        Paragraph("五、存在的主要问题及改进情况"),
        Paragraph("人员力量不足。"),
        Paragraph("六、其他需要报告的事项"),
        Paragraph("本年度未收取信息处理费。"),
    ]
    return blocks


def _t3_block(rows: list[list[str]]) -> tuple[int, int]:
    first = next(i for i, r in enumerate(rows) if any("本年新收" in c for c in r))
    last = next(i for i, r in enumerate(rows) if r[:2] == ["行政复议", "行政诉讼"])
    return first, last


def _grid_shuffled(rows: list[list[str]]) -> list[list[list[str]]]:
    first, last = _t3_block(rows)
    block = rows[first:last]
    random.Random(5).shuffle(block)
    return [[*rows[:first], *block, *rows[last:]]]


def _grid_provincial(rows: list[list[str]]) -> list[list[list[str]]]:
    first, _ = _t3_block(rows)
    extra = [["其中：通过政务服务热线转办", "5", "0", "0", "0", "0", "0", "5"]]
    return [[*rows[: first + 1], *extra, *rows[first + 1 :]]]


def _grid_placeholders(rows: list[list[str]]) -> list[list[list[str]]]:
    first, last = _t3_block(rows)
    head = [[f"Column{i}" for i in range(1, 10)]]
    return [rows[:first], head + rows[first:last], [["列1", "列2"], *rows[last:]]]


GRID_LAYOUTS: dict[str, Callable[[list[list[str]]], list[list[list[str]]]]] = {
    "one table": lambda rows: [rows],
    "one small table per row": lambda rows: [[row] for row in rows],
    "placeholder column names": _grid_placeholders,
    "rows in another order": _grid_shuffled,
    "extra provincial rows": _grid_provincial,
}


@pytest.mark.parametrize("layout", list(GRID_LAYOUTS))
def test_a_grid_layout_is_read_in_full(seed: AnnualReport, layout: str) -> None:
    tables = GRID_LAYOUTS[layout](grid_rows(seed))
    parsed = assemble(_blocks(seed, tables), source="layout.html", what="网页")
    _assert_read_in_full(parsed, seed)


def test_a_blank_total_cell_in_a_grid_stays_blank_and_is_summed_for_the_prose(
    seed: AnnualReport,
) -> None:
    rows = grid_rows(seed)
    at = next(i for i, r in enumerate(rows) if any(c.startswith("（一）予以公开") for c in r))
    rows[at][-1] = ""
    parsed = assemble(_blocks(seed, [rows]), source="blank.html", what="网页")
    assert parsed.report is not None
    assert parsed.report.cell(T3, "disclosed", "total") is None
    result = audit_parsed("blank.html", "html", parsed)
    assert not [f for f in result.findings if f.severity is Severity.ERROR]
    blank = [f for f in result.findings if f.rule == "cells.blank"]
    assert blank and any(c.row == "disclosed" and c.column == "total" for c in blank[0].cells)
