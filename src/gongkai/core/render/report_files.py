"""Which rendering of an annual report a file name asks for, by its suffix.

``.json`` is the report itself (:meth:`AnnualReport.to_json`); ``.html``, ``.docx``, ``.pdf``
and ``.xlsx`` are the renderings of this package. The renderers are imported when asked for,
so that writing JSON or HTML never loads Word, Excel or WeasyPrint.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Final

from gongkai.core.model import AnnualReport


def _json(report: AnnualReport) -> bytes:
    return (report.to_json() + "\n").encode("utf-8")


def _html(report: AnnualReport) -> bytes:
    from gongkai.core.render.report_html import render_report_html

    return render_report_html(report).encode("utf-8")


def _docx(report: AnnualReport) -> bytes:
    from gongkai.core.render.report_docx import render_report_docx

    return render_report_docx(report)


def _pdf(report: AnnualReport) -> bytes:
    from gongkai.core.render.report_pdf import render_report_pdf

    return render_report_pdf(report)


def _xlsx(report: AnnualReport) -> bytes:
    from gongkai.core.render.report_xlsx import render_report_xlsx

    return render_report_xlsx(report)


RENDERERS: Final[dict[str, Callable[[AnnualReport], bytes]]] = {
    ".json": _json,
    ".html": _html,
    ".docx": _docx,
    ".pdf": _pdf,
    ".xlsx": _xlsx,
}
REPORT_SUFFIXES: Final = tuple(RENDERERS)


def render_report_file(report: AnnualReport, path: str | Path) -> bytes:
    """The bytes of the rendering that ``path``'s suffix names; KeyError for another suffix."""
    return RENDERERS[Path(path).suffix.lower()](report)


__all__ = ["RENDERERS", "REPORT_SUFFIXES", "render_report_file"]
