"""An :class:`~gongkai.core.model.AnnualReport` as the HTML page a unit publishes.

The page follows the national format: the title, the six sections in order with their headings
(「一、总体情况」 …), each section's narrative as paragraphs, and under sections 二–四 their
tables drawn by :mod:`gongkai.core.render.tables_html` (merged header cells, row groups) with
blank cells printed empty, never as 0. Every string is escaped. What the page says is what the
auditor's HTML parser reads back: the round-trip tests hold the two together.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Final

from gongkai.core.formats import Section, Table
from gongkai.core.model import AnnualReport
from gongkai.core.render.charts import Chart, ChartInputs, ChartKind, report_charts
from gongkai.core.render.labels import section_for
from gongkai.core.render.tables_html import render_published_part, table_parts

STYLE: Final = """
body { font-family: "FangSong", "仿宋", "STFangsong", "Noto Serif CJK SC", serif;
       max-width: 60em; margin: 2em auto; padding: 0 1em; line-height: 1.8; }
h1 { font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; text-align: center;
     font-size: 1.6em; }
h2 { font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; font-size: 1.2em; }
p { text-indent: 2em; margin: 0.4em 0; }
p.meta { text-indent: 0; text-align: right; }
table.report-table { border-collapse: collapse; width: 100%; margin: 1em 0; font-size: 0.9em; }
table.report-table caption { display: none; }
table.report-table th, table.report-table td { border: 1px solid #000; padding: 0.2em 0.4em; }
table.report-table th { font-weight: normal; }
table.report-table th.block { font-weight: bold; }
table.report-table td.num { text-align: center; }
table.report-table th[scope="row"], table.report-table th.group { text-align: left; }
table.report-table th[scope="col"], table.report-table th[scope="colgroup"] { text-align: center; }
figure.chart { margin: 1em 0; text-align: center; }
figure.chart img { max-width: 100%; height: auto; }
"""


def report_title(report: AnnualReport) -> str:
    """「泉港区2021年政府信息公开工作年度报告」."""
    return f"{report.meta.unit}{report.meta.year}年政府信息公开工作年度报告"


def section_heading(section: Section) -> str:
    return f"{section.number}、{section.heading}"


def paragraphs(text: str) -> list[str]:
    """A narrative's paragraphs: its non-blank lines, stripped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def tables_by_section(report: AnnualReport) -> dict[str, list[tuple[Table, ...]]]:
    """The published tables (section 二's blocks as one part) under their section's code."""
    fmt = report.format
    parts: dict[str, list[tuple[Table, ...]]] = {}
    for part in table_parts(fmt):
        section = section_for(fmt, part[0])
        if section is not None:
            parts.setdefault(section.code, []).append(part)
    return parts


def charts_section(report: AnnualReport) -> str:
    """The code of the section the charts are printed in: the last one holding tables, so that
    the charts come after every table."""
    tables = tables_by_section(report)
    return [s.code for s in report.format.sections if s.code in tables][-1]


def chart_figure(chart: Chart) -> str:
    """A chart as a self-contained ``<figure>``: the picture as a data URI, its title as the
    alternative text, and no caption — the title is drawn in the picture, and a chart adds no
    text to the page that a reader of the report's text (or the auditor) would take for prose."""
    data = base64.b64encode(chart.data).decode("ascii")
    return (
        f'<figure class="chart" id="chart-{escape(chart.key)}">'
        f'<img src="data:{chart.media_type};base64,{data}" alt="{escape(chart.title)}">'
        "</figure>"
    )


def render_report_html(
    report: AnnualReport,
    *,
    charts: ChartInputs | None = None,
    chart_kind: ChartKind = "svg",
) -> str:
    """The whole report as one HTML document (UTF-8, self-contained).

    With ``charts`` (even empty inputs: the results chart needs only the report) the charts of
    :mod:`gongkai.core.render.charts` follow the last table, as SVG for the web or as PNG
    (``chart_kind``) for a printer that should not see their lines as a table's rules.
    """
    drawn: Sequence[Chart] = (
        report_charts(report, charts, kind=chart_kind) if charts is not None else ()
    )
    fmt = report.format
    title = report_title(report)
    body: list[str] = [f"<h1>{escape(title)}</h1>"]
    tables = tables_by_section(report)
    after_tables = charts_section(report)
    for section in fmt.sections:
        body.append(
            f'<h2 id="section-{escape(section.code)}">{escape(section_heading(section))}</h2>'
        )
        body += [f"<p>{escape(p)}</p>" for p in paragraphs(report.narrative.get(section.code, ""))]
        body += [
            render_published_part(fmt, part, report.tables) for part in tables.get(section.code, ())
        ]
        if section.code == after_tables:
            body += [chart_figure(chart) for chart in drawn]
    if report.meta.published is not None:
        date = report.meta.published
        body.append(
            f'<p class="meta">{escape(report.meta.unit)}<br>'
            f"{date.year}年{date.month}月{date.day}日</p>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        "<body><main>" + "\n".join(body) + "</main></body></html>\n"
    )


def write_report_html(
    report: AnnualReport, path: str | Path, *, charts: ChartInputs | None = None
) -> Path:
    target = Path(path)
    target.write_text(render_report_html(report, charts=charts), encoding="utf-8")
    return target


__all__ = [
    "chart_figure",
    "charts_section",
    "paragraphs",
    "render_report_html",
    "report_title",
    "section_heading",
    "tables_by_section",
    "write_report_html",
]
