"""The result of auditing one published report: what was read, and what is wrong with it.

This is the unit of output of ``gongkai audit`` (one per input file), of the library call
``gongkai.core.audit.audit_file`` and of the web upload. Its JSON form is a public interface
for researchers: the keys named in issue 4 (``file``, ``format``, ``unit``, ``year``,
``tables``, ``summary``, ``findings``) are stable.
"""

from __future__ import annotations

import datetime as dt
import zlib
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from gongkai.core.findings import Finding, Severity
from gongkai.core.model import AnnualReport, TableCells

# The 总计-column figures researchers aggregate, as (key, table, row, column).
SUMMARY_CELLS: Final = (
    ("new", "t3", "new", "total"),
    ("carried_in", "t3", "carried_in", "total"),
    ("disclosed", "t3", "disclosed", "total"),
    ("partly_disclosed", "t3", "partly_disclosed", "total"),
    ("results_total", "t3", "results_total", "total"),
    ("carried_out", "t3", "carried_out", "total"),
    ("reconsideration_total", "t4", "reconsideration", "total"),
)
# Litigation is two groups in table 四; the summary adds them (None if either is blank).
LITIGATION_ROWS: Final = ("litigation_direct", "litigation_after")

Status = Literal["ok", "findings", "errors", "unreadable"]


class AuditResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    file: str
    kind: str = Field(description="输入类型：text/html/docx/pdf/legacy_word/unknown")
    readable: bool = Field(description="是否读出了年度报告表格")
    reason: str | None = Field(default=None, description="无法读取时的原因（中文）")
    format: Literal["2019", "2021"] | None = None
    unit: str | None = None
    year: int | None = None
    published: dt.date | None = None
    report_kind: str | None = None
    summary: dict[str, int | None] = Field(default_factory=dict)
    findings: list[Finding] = Field(default_factory=list)
    # The parsed report, as compressed JSON: a batch of 10,000 results must fit in a few hundred
    # megabytes, and the report (tables and prose) is needed again only for pairing years and
    # for drawing tables, so it is kept at a fifth of its size and rebuilt when asked for.
    report_blob: bytes | None = Field(default=None, exclude=True, repr=False)

    @property
    def report(self) -> AnnualReport | None:
        if self.report_blob is None:
            return None
        return AnnualReport.model_validate_json(zlib.decompress(self.report_blob))

    @computed_field  # type: ignore[prop-decorator]
    @property
    def tables(self) -> dict[str, TableCells]:
        """Every parsed cell: table code → row code → column code → value (None = blank)."""
        report = self.report
        return report.tables if report is not None else {}

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    @property
    def status(self) -> Status:
        if not self.readable:
            return "unreadable"
        if self.errors:
            return "errors"
        return "findings" if self.findings else "ok"


def summarize(report: AnnualReport) -> dict[str, int | None]:
    """The key figures of table 三 and 四 (None where the report left the cell blank)."""
    summary: dict[str, int | None] = {}
    for key, table, row, column in SUMMARY_CELLS:
        summary[key] = _as_int(report.cell(table, row, column))
    litigation = [_as_int(report.cell("t4", row, "total")) for row in LITIGATION_ROWS]
    summary["litigation_total"] = (
        None if any(v is None for v in litigation) else sum(v for v in litigation if v is not None)
    )
    return summary


def _as_int(value: object) -> int | None:
    return int(value) if isinstance(value, int) else None


def unreadable(file: str, kind: str, reason: str) -> AuditResult:
    return AuditResult(file=file, kind=kind, readable=False, reason=reason)


def from_report(file: str, kind: str, report: AnnualReport, findings: list[Finding]) -> AuditResult:
    meta = report.meta
    return AuditResult(
        file=file,
        kind=kind,
        readable=True,
        format=meta.format_version,
        unit=meta.unit,
        year=meta.year,
        published=meta.published,
        report_kind=meta.kind.value if meta.kind else None,
        summary=summarize(report),
        findings=findings,
        report_blob=zlib.compress(report.model_dump_json().encode("utf-8"), 6),
    )
