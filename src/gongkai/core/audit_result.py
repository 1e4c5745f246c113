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

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, computed_field

from gongkai.core.findings import Finding, Severity
from gongkai.core.formats import (
    COL_TOTAL,
    T3,
    T3_CARRIED_IN,
    T3_CARRIED_OUT,
    T3_DISCLOSED,
    T3_NEW,
    T3_PARTLY_DISCLOSED,
    T3_RESULTS_TOTAL,
    T4,
    T4_LITIGATION_ROWS,
    T4_RECONSIDERATION,
)
from gongkai.core.model import AnnualReport, FormatVersion, TableCells

# The 总计-column figures researchers aggregate, as (key, table, row, column). A table 三 figure
# is keyed by its row's code; the keys are a public interface (issue 4).
SUMMARY_CELLS: Final = (
    *(
        (row, T3, row, COL_TOTAL)
        for row in (
            T3_NEW,
            T3_CARRIED_IN,
            T3_DISCLOSED,
            T3_PARTLY_DISCLOSED,
            T3_RESULTS_TOTAL,
            T3_CARRIED_OUT,
        )
    ),
    ("reconsideration_total", T4, T4_RECONSIDERATION, COL_TOTAL),
)
# Litigation is two groups in table 四; the summary adds them (None if either is blank).
LITIGATION_ROWS: Final = T4_LITIGATION_ROWS

Status = Literal["ok", "findings", "errors", "unreadable"]

# The rule of the note on a second report of one unit's year in a batch, which names the
# earlier one in ``AuditResult.copy_of`` (:func:`gongkai.core.audit.copy_note`).
COPY_RULE: Final = "publication.copy"


class AuditResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    file: str
    kind: str = Field(description="输入类型：text/html/docx/pdf/legacy_word/ofd/unknown")
    readable: bool = Field(description="是否读出了年度报告表格")
    reason: str | None = Field(default=None, description="无法读取时的原因（中文）")
    format: FormatVersion | None = None
    unit: str | None = None
    year: int | None = None
    published: dt.date | None = None
    report_kind: str | None = None
    summary: dict[str, int | None] = Field(default_factory=dict)
    findings: list[Finding] = Field(default_factory=list)
    previous: str | None = Field(
        default=None,
        description="跨年度核对所用的上一年度报告（其文件名；未与上一年度报告配对时为空）",
    )
    copy_of: str | None = Field(
        default=None,
        description="本批次中在它之前的同一单位同一年度的报告（其文件名，表格已与之比对；"
        "没有时为空）",
    )
    # The parsed report, as compressed JSON (the "blob"): a batch of 10,000 results must fit in
    # a few hundred megabytes, and the report (tables and prose) is needed again only for
    # pairing years and for drawing tables, so a kept result holds it at a fifth of its size
    # and rebuilds it when asked for.
    #
    # The blob is made when a result is packed (:meth:`pack`), not when the audit ends: a single
    # audit (``gongkai audit FILE``, the web API) and a batch that streams lines never need it,
    # and compressing was several per cent of an audit. So a result holds either the report as
    # it was read (``_report``, from :func:`from_report`) or its blob (``_blob``, once packed or
    # rebuilt from a store), never both. Whatever keeps results (a worker's answer, the list of
    # a batch run here) keeps them packed; whatever stores the report asks :meth:`blob`.
    _report: AnnualReport | None = PrivateAttr(default=None)
    _blob: bytes | None = PrivateAttr(default=None)

    def blob(self) -> bytes | None:
        """The report as compressed JSON, for a store (None for a result without a report).

        A packed result's own blob; one not packed yet compresses its report now (and stays
        as it is: call :meth:`pack` to keep the smaller form).
        """
        if self._report is not None:
            return _compress(self._report)
        return self._blob

    def pack(self) -> AuditResult:
        """This result as it should be kept: its report compressed (the result itself when it
        is packed already, else a packed copy). Pickle, a list of a whole batch and a store
        should hold packed results: one not packed carries the whole report."""
        if self._report is None:
            return self
        return self.with_blob(self.blob())

    def with_blob(self, blob: bytes | None) -> AuditResult:
        """A copy holding ``blob`` as its report: a result rebuilt from its stored JSON (which
        leaves the report out) and the blob stored beside it."""
        copy = self.model_copy()
        copy._report = None
        copy._blob = blob
        return copy

    @property
    def report(self) -> AnnualReport | None:
        """The report, rebuilt (a new object on each call, as read from the blob)."""
        if self._report is not None:
            # Not packed: read through the JSON the blob would hold, so that the report is the
            # same whether the result was packed or not.
            return AnnualReport.model_validate_json(self._report.model_dump_json())
        if self._blob is None:
            return None
        return AnnualReport.model_validate_json(zlib.decompress(self._blob))

    def __eq__(self, other: object) -> bool:
        """Equal when the fields and the report are, whether each holds its report packed or
        not: a result sent to a worker or rebuilt from a store equals the one audited here."""
        if not isinstance(other, AuditResult):
            return NotImplemented
        return super(AuditResult, self.pack()).__eq__(other.pack())

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
    litigation = [_as_int(report.cell(T4, row, COL_TOTAL)) for row in LITIGATION_ROWS]
    summary["litigation_total"] = (
        None if any(v is None for v in litigation) else sum(v for v in litigation if v is not None)
    )
    return summary


def _as_int(value: object) -> int | None:
    return int(value) if isinstance(value, int) else None


def unreadable(file: str, kind: str, reason: str) -> AuditResult:
    return AuditResult(file=file, kind=kind, readable=False, reason=reason)


def _compress(report: AnnualReport) -> bytes:
    # Level 1: a report's JSON compresses to about 8 KB instead of 7.5 KB at level 6, in half
    # the time.
    return zlib.compress(report.model_dump_json().encode("utf-8"), 1)


def from_report(file: str, kind: str, report: AnnualReport, findings: list[Finding]) -> AuditResult:
    """The result of a report read and checked, holding the report itself: it is compressed
    only when the result is packed (see :meth:`AuditResult.pack`); the report is not changed
    after it is audited."""
    meta = report.meta
    result = AuditResult(
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
    )
    result._report = report
    return result
