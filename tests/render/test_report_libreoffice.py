"""The DOCX as another word processor reads it: LibreOffice opens it and prints it to PDF, and
the auditor reads that PDF back with the same tables (runs only where LibreOffice is installed).

This is the check that the Word file is not only valid for python-docx: merged header cells,
row properties and pictures survive a real word processor's layout, page breaks included.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from gongkai.core.audit import audit_file
from gongkai.core.formats import FORMAT_2019, FORMAT_2021
from gongkai.core.model import AnnualReport
from gongkai.core.narrative import check_narrative
from gongkai.core.parse.legacy import find_soffice
from gongkai.core.render.charts import ChartInputs
from gongkai.core.render.report_docx import write_report_docx
from gongkai.core.rules import check_report
from tests.render.generated import consistent_report

pytestmark = pytest.mark.skipif(find_soffice() is None, reason="LibreOffice is not installed")

TODAY = dt.date(2026, 11, 30)


def _errors(findings: list) -> set[tuple[str, str]]:  # type: ignore[type-arg]
    return {(f.rule, f.message) for f in findings if f.is_error}


def _printed(report: AnnualReport, tmp_path: Path, charts: ChartInputs | None) -> Path:
    docx = write_report_docx(report, tmp_path / "report.docx", charts=charts)
    soffice = find_soffice()
    assert soffice is not None
    profile = (tmp_path / "profile").as_uri()  # its own profile: parallel runs do not collide
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(docx)],
        check=True, timeout=180, capture_output=True,
    )  # fmt: skip
    return tmp_path / "report.pdf"


@pytest.mark.parametrize(
    "name",
    ["seed", "consistent_2021_blanks", "consistent_2019_big"],
)
def test_libreoffice_prints_what_the_auditor_reads(
    name: str, seed: AnnualReport, tmp_path: Path
) -> None:
    report = {
        "seed": seed,
        "consistent_2021_blanks": consistent_report(FORMAT_2021, 11, blank=0.4),
        "consistent_2019_big": consistent_report(FORMAT_2019, 12, blank=0.1, big=True),
    }[name]
    charts = ChartInputs(monthly=(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), previous=None)

    result = audit_file(_printed(report, tmp_path, charts), today=TODAY)

    assert result.readable, result.reason
    assert result.report is not None
    for table in report.format.tables:
        assert result.report.tables[table.code] == report.tables[table.code], table.code
    original = check_report(report, today=TODAY) + check_narrative(report)
    assert _errors(result.findings) <= _errors(original)
