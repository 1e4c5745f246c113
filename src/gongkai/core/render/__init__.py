"""Renderers: a report's tables as HTML, and the auditor's pages and workbook.

``tables_html`` draws any report's tables from the format declaration (for audit pages now, for
the published report later); ``audit_html`` and ``audit_xlsx`` turn audit results into what
supervising offices, the public and evaluators read.
"""

from __future__ import annotations

from gongkai.core.render.audit_html import write_audit_html
from gongkai.core.render.audit_xlsx import write_audit_xlsx
from gongkai.core.render.tables_html import render_report_tables, render_tables

__all__ = ["render_report_tables", "render_tables", "write_audit_html", "write_audit_xlsx"]
