"""An :class:`~gongkai.core.model.AnnualReport` as PDF: the HTML page printed by WeasyPrint.

The page (:mod:`gongkai.core.render.report_html`) is printed on A4 with the print rules below;
its font lists end in Noto CJK, which WeasyPrint embeds, so the PDF reads the same on a machine
without 仿宋 and 黑体. WeasyPrint is imported when a PDF is asked for, not before.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from gongkai.core.model import AnnualReport
from gongkai.core.render.charts import ChartInputs
from gongkai.core.render.report_html import render_report_html

PRINT_STYLE: Final = """
@page { size: A4; margin: 2.5cm 2cm; @bottom-center { content: counter(page); } }
body { max-width: none; margin: 0; padding: 0; font-size: 12pt; }
table.report-table { font-size: 9pt; page-break-inside: auto; }
table.report-table tr { page-break-inside: avoid; }
/* Number columns as wide as four characters, so that 「自然人」「总计」 do not stand one
   character a line while the row labels take the width (the national format's proportions). */
table.report-table td.num, table.report-table th[scope="col"] { width: 3em; }
figure.chart { page-break-inside: avoid; }
figure.chart img { width: 16cm; max-width: 100%; }
"""


def render_report_pdf(report: AnnualReport, *, charts: ChartInputs | None = None) -> bytes:
    """The report printed on A4. Charts are printed as PNG pictures: drawn as vectors, their
    axes and bars would be lines and boxes that a PDF reader (the auditor's among them) looks
    at for a ruled table."""
    from weasyprint import CSS, HTML  # type: ignore[import-untyped]

    document = HTML(string=render_report_html(report, charts=charts, chart_kind="png"))
    pdf = document.write_pdf(stylesheets=[CSS(string=PRINT_STYLE)])
    assert pdf is not None
    return bytes(pdf)


def write_report_pdf(
    report: AnnualReport, path: str | Path, *, charts: ChartInputs | None = None
) -> Path:
    target = Path(path)
    target.write_bytes(render_report_pdf(report, charts=charts))
    return target


__all__ = ["render_report_pdf", "write_report_pdf"]
