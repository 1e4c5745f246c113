"""The prose of the default templates survives publication formats: rendered to HTML and DOCX
and read back by the auditor, it is the same text and adds no error the report did not have.

The templates put subheadings such as （二）依申请公开情况 inside section 一; the auditor's
parser must not take them for sections, nor read their resolved numbers against wrong cells.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from gongkai.core.audit import audit_file
from gongkai.core.formats import FORMATS, ReportFormat
from gongkai.core.model import AnnualReport, ReportMeta
from gongkai.core.narrative import check_narrative
from gongkai.core.narrative.placeholders import render
from gongkai.core.narrative.templates import DEFAULT_TEMPLATES
from gongkai.core.render.report_docx import write_report_docx
from gongkai.core.render.report_html import paragraphs, write_report_html
from gongkai.core.rules import check_report

TODAY = dt.date(2026, 11, 30)
WRITERS = {"html": write_report_html, "docx": write_report_docx}


def templated(fmt: ReportFormat, seed: int) -> AnnualReport:
    rnd = random.Random(seed)
    tables = {
        t.code: {r.code: {c.code: rnd.randint(0, 900) for c in t.columns} for r in t.cell_rows}
        for t in fmt.tables
    }
    meta = ReportMeta(
        unit="某县教育局",
        year=fmt.first_year,
        format_version=fmt.version,
        published=dt.date(fmt.first_year + 1, 1, 20),
    )
    report = AnnualReport(meta=meta, tables=tables)
    narrative = {
        code: render(text, report) for code, text in DEFAULT_TEMPLATES[fmt.version].items()
    }
    return report.model_copy(update={"narrative": narrative})


@pytest.mark.parametrize("kind", sorted(WRITERS))
@pytest.mark.parametrize("version", sorted(FORMATS))
@pytest.mark.parametrize("seed", [1, 2])
def test_templated_prose_reads_back_unchanged(
    version: str, kind: str, seed: int, tmp_path: Path
) -> None:
    report = templated(FORMATS[version], seed)
    path = WRITERS[kind](report, tmp_path / f"report.{kind}")

    result = audit_file(path, today=TODAY)

    assert result.readable, result.reason
    back = result.report
    assert back is not None
    for code, text in report.narrative.items():
        got = back.narrative.get(code, "")
        assert paragraphs(got)[: len(paragraphs(text))] == paragraphs(text), code
    original = check_report(report, today=TODAY) + check_narrative(report)
    errors = {(f.rule, f.message) for f in result.findings if f.is_error}
    assert errors <= {(f.rule, f.message) for f in original if f.is_error}
    assert not [f for f in result.findings if f.rule.startswith("narrative.")]
