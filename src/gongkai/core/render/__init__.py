"""Renderers: a report's tables as HTML, the published report, the auditor's pages and workbook.

``tables_html`` draws any report's tables from the format declaration, for audit pages and for
the published report; ``report_html``, ``report_docx``, ``report_pdf``, ``report_xlsx`` and
``report_text`` render an :class:`~gongkai.core.model.AnnualReport` in the national format, with
the charts of ``charts`` where pictures can go (``report_files`` chooses one by a file's suffix;
the heavy ones are imported only when used); ``audit_html`` and
``audit_xlsx`` turn audit results into what supervising offices, the public and evaluators read.
"""

from __future__ import annotations

from gongkai.core.render.audit_html import write_audit_html
from gongkai.core.render.audit_xlsx import write_audit_xlsx
from gongkai.core.render.tables_html import render_report_tables, render_tables

__all__ = ["render_report_tables", "render_tables", "write_audit_html", "write_audit_xlsx"]
