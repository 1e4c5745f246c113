"""An :class:`~gongkai.core.model.AnnualReport` as plain text in the national layout.

Plain text is what a unit's report becomes when it is copied from the web page into an e-mail,
a notice board system or a crawler's archive: the title, the six sections with their headings,
the narrative paragraphs, and the tables as lines of tab-separated cells — exactly what a browser
gives when the published table is selected and copied (the seed, ``shared/seed``, is such a
text). The tables are not laid out a second time: the HTML layout of
:mod:`gongkai.core.render.tables_html` is read back as a grid (:mod:`table_grid`) and each grid
row becomes one line, a merged cell written once in its first position and the positions it
covers left empty. A blank cell stays empty, never 0. What the text says is what the auditor's
text parser reads back: the round-trip tests hold the two together.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from gongkai.core.model import AnnualReport
from gongkai.core.render.report_html import (
    paragraphs,
    report_title,
    section_heading,
    tables_by_section,
)
from gongkai.core.render.table_grid import html_table_grid
from gongkai.core.render.tables_html import render_published_part

# A blank data cell: an empty string between two tabs does not survive being copied into a text
# whose white space is collapsed, and a row of six numbers for seven cells cannot say which cell
# was blank. The dash is one of the auditor's blank tokens (``parse.flat.BLANK_TOKENS``), never a 0.
BLANK_CELL: Final = "—"


def table_lines(html: str) -> list[str]:
    """One rendered table as lines of tab-separated cells, one line per grid row."""
    cells, rows, cols = html_table_grid(html)
    grid = [[""] * cols for _ in range(rows)]
    for cell in cells:
        # Line breaks inside a cell would start a new row of the copied table.
        text = " ".join(cell.text.split())
        grid[cell.row][cell.col] = text if text or not cell.address else BLANK_CELL
    return ["\t".join(row) for row in grid]


def render_report_text(report: AnnualReport) -> str:
    """The whole report as UTF-8 text, paragraphs separated by blank lines."""
    fmt = report.format
    blocks: list[str] = [report_title(report)]
    tables = tables_by_section(report)
    for section in fmt.sections:
        blocks.append(section_heading(section))
        blocks += paragraphs(report.narrative.get(section.code, ""))
        for part in tables.get(section.code, ()):
            blocks.append("\n".join(table_lines(render_published_part(fmt, part, report.tables))))
    if report.meta.published is not None:
        date = report.meta.published
        blocks += [report.meta.unit, f"{date.year}年{date.month}月{date.day}日"]
    return "\n\n".join(blocks) + "\n"


def write_report_text(report: AnnualReport, path: str | Path) -> Path:
    target = Path(path)
    target.write_text(render_report_text(report), encoding="utf-8")
    return target


__all__ = ["render_report_text", "table_lines", "write_report_text"]
