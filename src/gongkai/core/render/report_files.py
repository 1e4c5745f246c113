"""Which rendering of an annual report a file name asks for, by its suffix.

``.json`` is the report itself (:meth:`AnnualReport.to_json`); ``.html``, ``.docx``, ``.pdf``,
``.xlsx`` and ``.txt`` are the renderings of this package. The renderers are imported when asked
for, so that writing JSON or HTML never loads Word, Excel, WeasyPrint or matplotlib. ``charts``
(:class:`~gongkai.core.render.charts.ChartInputs`) adds the charts to the renderings that can
show pictures (HTML, DOCX, PDF); the tables (XLSX), the text and the JSON have none.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Final

from gongkai.core.model import AnnualReport
from gongkai.core.render.charts import ChartInputs

Renderer = Callable[[AnnualReport, ChartInputs | None], bytes]


def _json(report: AnnualReport, charts: ChartInputs | None) -> bytes:
    return (report.to_json() + "\n").encode("utf-8")


def _html(report: AnnualReport, charts: ChartInputs | None) -> bytes:
    from gongkai.core.render.report_html import render_report_html

    return render_report_html(report, charts=charts).encode("utf-8")


def _docx(report: AnnualReport, charts: ChartInputs | None) -> bytes:
    from gongkai.core.render.report_docx import render_report_docx

    return render_report_docx(report, charts=charts)


def _pdf(report: AnnualReport, charts: ChartInputs | None) -> bytes:
    from gongkai.core.render.report_pdf import render_report_pdf

    return render_report_pdf(report, charts=charts)


def _xlsx(report: AnnualReport, charts: ChartInputs | None) -> bytes:
    from gongkai.core.render.report_xlsx import render_report_xlsx

    return render_report_xlsx(report)


def _txt(report: AnnualReport, charts: ChartInputs | None) -> bytes:
    from gongkai.core.render.report_text import render_report_text

    return render_report_text(report).encode("utf-8")


RENDERERS: Final[dict[str, Renderer]] = {
    ".json": _json,
    ".html": _html,
    ".docx": _docx,
    ".pdf": _pdf,
    ".xlsx": _xlsx,
    ".txt": _txt,
}
REPORT_SUFFIXES: Final = tuple(RENDERERS)
# What each rendering is, for an HTTP response (Content-Type).
MEDIA_TYPES: Final[dict[str, str]] = {
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".txt": "text/plain; charset=utf-8",
}


def render_report_file(
    report: AnnualReport, path: str | Path, *, charts: ChartInputs | None = None
) -> bytes:
    """The bytes of the rendering that ``path``'s suffix names; KeyError for another suffix."""
    return RENDERERS[Path(path).suffix.lower()](report, charts)


__all__ = ["MEDIA_TYPES", "RENDERERS", "REPORT_SUFFIXES", "render_report_file"]
