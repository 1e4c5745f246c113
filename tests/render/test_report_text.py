"""The report as plain text: the published tables as a browser copies them, blanks kept."""

from __future__ import annotations

from gongkai.core.formats import T3, T3_BALANCE_NOTE
from gongkai.core.model import AnnualReport
from gongkai.core.render.report_html import report_title, section_heading
from gongkai.core.render.report_text import BLANK_CELL, render_report_text


def test_title_headings_and_prose_in_order(seed: AnnualReport) -> None:
    text = render_report_text(seed)
    assert text.startswith(report_title(seed) + "\n\n")
    positions = [text.index(f"\n{section_heading(s)}\n") for s in seed.format.sections]
    assert positions == sorted(positions)
    assert "\n2021 年泉港区未收取信息处理费。\n" in text


def test_table_three_rows_are_tab_separated_grid_rows(seed: AnnualReport) -> None:
    lines = render_report_text(seed).splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith(T3_BALANCE_NOTE))
    # The balance note spans three columns and three rows: written once, its places left empty.
    assert lines[header].split("\t")[:4] == [T3_BALANCE_NOTE, "", "", "申请人情况"]
    new = lines[header + 3].split("\t")
    assert new == ["一、本年新收政府信息公开申请数量", "", "", "67", "0", "0", "0", "0", "0", "67"]


def test_a_blank_cell_is_a_dash_never_zero(seed: AnnualReport) -> None:
    blank = seed.with_cell(T3, "new", "commercial", None)
    row = next(
        line for line in render_report_text(blank).splitlines() if line.startswith("一、本年新收")
    )
    assert row.split("\t")[3:] == ["67", BLANK_CELL, "0", "0", "0", "0", "67"]
    assert BLANK_CELL not in render_report_text(seed)
