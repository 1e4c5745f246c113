"""Every read of the workspace, through the gatekeeper: batches, results, one report's page,
coverage, the summary by region and kind, and the log."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from django.db.models import Count, Q, QuerySet, Sum

from gongkai.agencies import gatekeeper
from gongkai.agencies.gatekeeper import Action
from gongkai.core.findings import CellRef, Finding, Severity, sort_findings
from gongkai.core.formats import ReportFormat, get_format
from gongkai.core.model import ReportKind
from gongkai.core.names import describe_cell, row_label, table_name
from gongkai.core.render.labels import input_kind_label
from gongkai.core.render.tables_html import (
    Anchors,
    highlights_for,
    number_findings,
    render_part,
    table_parts,
)
from gongkai.evaluations import events
from gongkai.evaluations.auditing import findings_of, tables_of
from gongkai.evaluations.models import (
    BATCH,
    EVALUATED_REPORT,
    Batch,
    EvaluatedReport,
    FindingJudgement,
    ReportState,
    Verdict,
)
from gongkai.evaluations.places import Coverage, match_units

# What a list needs of a report; the bytes, findings and tables stay in the database.
_LIST_FIELDS = (
    "pk",
    "batch_id",
    "position",
    "file_name",
    "sha256",
    "input_kind",
    "readable",
    "reason",
    "unit_name",
    "region",
    "year",
    "report_kind",
    "format_version",
    "state",
    "errors",
    "warnings",
    "infos",
)


def kind_label(value: str) -> str:
    try:
        return ReportKind(value).label
    except ValueError:
        return value or "—"


def batches_for(*, user: Any) -> QuerySet[Batch]:
    """The batches the user may see, newest first; ``error_count`` and ``warning_count`` are
    as the auditor found them (:func:`batch_rows` tells the dismissed ones apart),
    ``pending_count`` the reports not audited yet."""
    batches: QuerySet[Batch] = (
        gatekeeper.records_for(BATCH, user, Action.VIEW_EVALUATIONS)
        .select_related("unit", "created_by")
        .annotate(
            report_count=Count("reports"),
            error_count=Sum("reports__errors"),
            warning_count=Sum("reports__warnings"),
            pending_count=Count("reports", filter=Q(reports__state=ReportState.PENDING)),
        )
        .order_by("-created_at", "-pk")
    )
    return batches


@dataclass(frozen=True, slots=True)
class BatchRow:
    """A batch of the batch list with its errors and warnings split as the results list
    splits them."""

    batch: Batch
    open_errors: int
    dismissed_errors: int
    open_warnings: int
    dismissed_warnings: int
    pending: int = 0  # reports not audited yet: the batch is not complete

    @property
    def audited(self) -> int:
        return int(getattr(self.batch, "report_count", 0) or 0) - self.pending


def batch_rows(*, batches: Iterable[Batch]) -> list[BatchRow]:
    """``batches`` (of :func:`batches_for`, one page of them) with the errors and warnings the
    evaluators have not dismissed and those they have: a batch whose every error or warning
    was judged away must not look erroneous or doubtful in the list.

    Only the reports with an error or a warning are read, of the batches whose office has
    dismissed something (an empty ``__in`` asks the database nothing)."""
    listed = list(batches)
    dismissed: dict[int, set[str]] = {}
    for unit_id, fingerprint in FindingJudgement.objects.filter(
        unit_id__in={b.unit_id for b in listed}, verdict=Verdict.DISMISSED
    ).values_list("unit_id", "fingerprint"):
        dismissed.setdefault(unit_id, set()).add(fingerprint)
    errors_away: Counter[int] = Counter()
    warnings_away: Counter[int] = Counter()
    reports = (
        EvaluatedReport.objects.filter(batch__in=[b for b in listed if b.unit_id in dismissed])
        .filter(Q(errors__gt=0) | Q(warnings__gt=0))
        .values_list("batch_id", "batch__unit_id", "findings")
    )
    for batch_id, unit_id, findings in reports:
        judged = dismissed[unit_id].__contains__
        errors_away[batch_id] += error_counts(findings, dismissed=judged)[1]
        warnings_away[batch_id] += warning_counts(findings, dismissed=judged)[1]
    return [
        BatchRow(
            batch=b,
            open_errors=(getattr(b, "error_count", 0) or 0) - errors_away[b.pk],
            dismissed_errors=errors_away[b.pk],
            open_warnings=(getattr(b, "warning_count", 0) or 0) - warnings_away[b.pk],
            dismissed_warnings=warnings_away[b.pk],
            pending=getattr(b, "pending_count", 0) or 0,
        )
        for b in listed
    ]


def error_counts(
    findings: Iterable[Mapping[str, Any]], *, dismissed: Callable[[str], bool]
) -> tuple[int, int]:
    """(errors not dismissed, errors dismissed) of stored findings, ``dismissed`` telling by
    fingerprint: the one place that decides what counts as an error once judged."""
    return _split(findings, severity=Severity.ERROR, dismissed=dismissed)


def warning_counts(
    findings: Iterable[Mapping[str, Any]], *, dismissed: Callable[[str], bool]
) -> tuple[int, int]:
    """(warnings not dismissed, warnings dismissed), as :func:`error_counts` for errors."""
    return _split(findings, severity=Severity.WARNING, dismissed=dismissed)


def _split(
    findings: Iterable[Mapping[str, Any]], *, severity: Severity, dismissed: Callable[[str], bool]
) -> tuple[int, int]:
    found = [f["fingerprint"] for f in findings if f["severity"] == severity]
    judged_away = sum(1 for fp in found if dismissed(fp))
    return len(found) - judged_away, judged_away


@dataclass(frozen=True, slots=True)
class Progress:
    """How far the worker has audited a batch; every page of an incomplete batch says so."""

    audited: int
    total: int

    @property
    def pending(self) -> int:
        return self.total - self.audited

    @property
    def complete(self) -> bool:
        return self.audited == self.total


def progress(*, batch: Batch) -> Progress:
    counts = batch.reports.aggregate(
        total=Count("pk"), pending=Count("pk", filter=Q(state=ReportState.PENDING))
    )
    return Progress(audited=counts["total"] - counts["pending"], total=counts["total"])


def batch_by_id(*, user: Any, batch_id: Any) -> Batch:
    batch: Batch = gatekeeper.access_record_by_id(BATCH, user, batch_id, Action.VIEW_EVALUATIONS)
    return batch


@dataclass(frozen=True, slots=True)
class Filters:
    unit: str = ""
    year: int | None = None
    kind: str = ""
    has_errors: bool = False

    @classmethod
    def from_query(cls, query: Any) -> Filters:
        year = str(query.get("year", "")).strip()
        return cls(
            unit=str(query.get("unit", "")).strip()[:100],
            year=int(year) if year.isdigit() and len(year) == 4 else None,
            kind=str(query.get("kind", "")).strip(),
            has_errors=query.get("has_errors") in ("1", "on", "true"),
        )


# A file name longer than this is shown shortened in the middle (the full name in its tooltip):
# the end keeps the extension and the words that tell two files apart.
FILE_LABEL_CHARS: Final = 40


def file_label(name: str) -> str:
    """The file's own name without the archive and folders it came in, at most
    :data:`FILE_LABEL_CHARS` characters (「很长的文件名很长…很长的文件名.txt」)."""
    base = name.rsplit("!", 1)[-1].rsplit("/", 1)[-1] or name
    if len(base) <= FILE_LABEL_CHARS:
        return base
    tail = FILE_LABEL_CHARS // 2
    return base[: FILE_LABEL_CHARS - tail - 1] + "…" + base[-tail:]


def report_rows(*, batch: Batch, filters: Filters = Filters()) -> list[dict[str, Any]]:
    """The batch's reports by unit, year and kind, with counts and the judged-away errors.

    ``errors`` is the errors as the auditor found them; ``open_errors`` those the evaluators
    have not dismissed and ``dismissed_errors`` those they have. What the list calls an error
    (the status, the 「只看有错误」 filter, the count shown) is an open one. Warnings likewise:
    ``warnings``, ``open_warnings``, ``dismissed_warnings``.

    ``copies`` counts the batch's readable reports of the same unit and year (1: no other):
    the same report uploaded twice, or two versions of it, share their findings' verdicts."""
    reports = batch.reports.all()
    if filters.unit:
        reports = reports.filter(unit_name__icontains=filters.unit)
    if filters.year is not None:
        reports = reports.filter(year=filters.year)
    if filters.kind:
        reports = reports.filter(report_kind=filters.kind)
    if filters.has_errors:
        # Only a necessary condition: whether an error is left is known after the verdicts.
        reports = reports.filter(errors__gt=0)
    rows = list(
        reports.order_by("unit_name", "year", "position").values(
            *_LIST_FIELDS, "unit_key", "findings"
        )
    )
    verdicts = _verdicts(batch, [f["fingerprint"] for r in rows for f in r["findings"]])
    copies = Counter(
        batch.reports.filter(readable=True)
        .exclude(unit_key="")
        .exclude(year=None)
        .values_list("unit_key", "year")
    )
    judged_away = {fp for fp, (verdict, _) in verdicts.items() if verdict == Verdict.DISMISSED}
    for row in rows:
        findings = row.pop("findings")
        judged = Counter(verdicts.get(f["fingerprint"], ("", ""))[0] for f in findings)
        row["dismissed"] = judged[Verdict.DISMISSED]
        row["confirmed"] = judged[Verdict.CONFIRMED]
        row["open_errors"], row["dismissed_errors"] = error_counts(
            findings, dismissed=judged_away.__contains__
        )
        row["open_warnings"], row["dismissed_warnings"] = warning_counts(
            findings, dismissed=judged_away.__contains__
        )
        row["kind_label"] = kind_label(row["report_kind"])
        row["file_label"] = file_label(row["file_name"])
        row["input_label"] = input_kind_label(row["input_kind"])
        row["status"] = report_status(row)
        row["status_class"] = STATUSES[row["status"]]
        row["copies"] = copies.get((row["unit_key"], row["year"]), 1) if row["readable"] else 1
    if filters.has_errors:
        rows = [r for r in rows if r["open_errors"]]
    return rows


# The results list's status of a report, and its badge's class (web/base.css).
STATUSES: Final = {
    "待审查": "pending",  # evaluations.css: not audited yet, no verdict on it either way
    "无法读取": "overdue",
    "有错误": "overdue",
    "错误均已排除": "dismissed",  # evaluations.css: grey and dashed, as a dismissed cell
    "有警告": "due-soon",
    "警告均已排除": "dismissed",
    "未发现问题": "ok",
}


def report_status(row: dict[str, Any]) -> str:
    """What the list and the export say of a report at a glance (a key of :data:`STATUSES`).

    A report whose every error the evaluators dismissed is no longer 「有错误」, nor is it
    「未发现问题」 (the auditor did find some): it says so, and its warnings stay counted in
    their column. Warnings likewise, below errors: 「有警告」 only for a warning left,
    「警告均已排除」 when every one was dismissed."""
    if row["state"] == ReportState.PENDING:
        return "待审查"
    if not row["readable"]:
        return "无法读取"
    if row["open_errors"]:
        return "有错误"
    if row["dismissed_errors"]:
        return "错误均已排除"
    if row["open_warnings"]:
        return "有警告"
    return "警告均已排除" if row["dismissed_warnings"] else "未发现问题"


def _verdicts(batch: Batch, fingerprints: list[str]) -> dict[str, tuple[str, str]]:
    judgements = FindingJudgement.objects.filter(
        unit_id=batch.unit_id, fingerprint__in=set(fingerprints)
    ).values_list("fingerprint", "verdict", "note")
    return {fp: (verdict, note) for fp, verdict, note in judgements}


def filter_choices(*, batch: Batch) -> dict[str, list[Any]]:
    years = sorted(
        {y for y in batch.reports.values_list("year", flat=True) if y is not None}, reverse=True
    )
    kinds = sorted({k for k in batch.reports.values_list("report_kind", flat=True) if k})
    return {"years": years, "kinds": [(k, kind_label(k)) for k in kinds]}


@dataclass(frozen=True, slots=True)
class ShownPlace:
    """A cell a finding names, and the id of where the tables drew it ("" when they did not:
    an unread table is not drawn)."""

    text: str
    anchor: str = ""


@dataclass(frozen=True, slots=True)
class ShownFinding:
    number: int
    finding: Finding
    fingerprint: str
    verdict: str = ""
    note: str = ""
    judged_by: str = ""
    judged_at: Any = None
    places: list[ShownPlace] = field(default_factory=list)
    # The first listed finding of its fingerprint carries the anchor a judgement returns to
    # (``#f-…``): findings equal in where they point share a fingerprint, and an id is unique.
    return_anchor: bool = True

    @property
    def verdict_label(self) -> str:
        return Verdict(self.verdict).label if self.verdict else "待评估"


@dataclass(frozen=True, slots=True)
class ReportPage:
    report: EvaluatedReport
    findings: list[ShownFinding]
    tables_html: str
    kind_label: str
    format_label: str
    input_label: str
    file_label: str

    @property
    def errors(self) -> dict[str, int]:
        """The errors listed, split as the results list splits them: not dismissed, dismissed."""
        errors = [s.verdict for s in self.findings if s.finding.severity is Severity.ERROR]
        dismissed = errors.count(Verdict.DISMISSED)
        return {"open": len(errors) - dismissed, "dismissed": dismissed}

    @property
    def warnings(self) -> dict[str, int]:
        """The warnings listed, split as :attr:`errors` splits the errors."""
        warnings = [s.verdict for s in self.findings if s.finding.severity is Severity.WARNING]
        dismissed = warnings.count(Verdict.DISMISSED)
        return {"open": len(warnings) - dismissed, "dismissed": dismissed}

    @property
    def judged(self) -> dict[str, int]:
        """How many of the listed findings are confirmed, dismissed, or still to judge."""
        counts = Counter(s.verdict for s in self.findings)
        return {
            "confirmed": counts[Verdict.CONFIRMED],
            "dismissed": counts[Verdict.DISMISSED],
            "open": counts[""],
        }


def report_page(*, user: Any, report_id: Any) -> ReportPage:
    report: EvaluatedReport = gatekeeper.access_record_by_id(
        EVALUATED_REPORT, user, report_id, Action.VIEW_EVALUATIONS
    )
    pairs = findings_of(report.findings)
    ordered = sort_findings([f for f, _ in pairs])
    prints = {f: fp for f, fp in pairs}
    numbering = number_findings(ordered)
    judgements = {
        j.fingerprint: j
        for j in FindingJudgement.objects.filter(
            unit_id=report.batch.unit_id, fingerprint__in=set(prints.values())
        ).select_related("judged_by")
    }
    fmt = get_format(report.format_version) if report.format_version else None
    verdicts = {finding: judgements.get(prints[finding]) for finding in ordered}
    anchors: Anchors = {}
    tables_html = ""
    if fmt is not None and report.readable:
        # Cells named by an open or confirmed finding are lit; a dismissed finding's cells keep
        # its number, struck through, so the evaluator still sees which cell it concerned.
        dismissed = {
            finding
            for finding, judgement in verdicts.items()
            if judgement is not None and judgement.verdict == Verdict.DISMISSED
        }
        marks = highlights_for(ordered)
        cells = tables_of(report.tables)
        tables_html = "\n".join(
            '<div class="table-wrap">'
            + render_part(
                fmt,
                part,
                cells,
                highlights=marks,
                numbering=numbering,
                anchors=anchors,
                dismissed=dismissed,
            )
            + "</div>"
            for part in table_parts(fmt)
        )
    # Numbered by position, as the tables number them: each entry its own number and anchor,
    # even when equal in every field to another (garbage input repeats findings).
    shown = []
    anchored: set[str] = set()
    for number, finding in enumerate(ordered, 1):
        judgement = verdicts[finding]
        fp = prints[finding]
        shown.append(
            ShownFinding(
                number=number,
                finding=finding,
                fingerprint=fp,
                verdict=judgement.verdict if judgement else "",
                note=judgement.note if judgement else "",
                judged_by=(
                    judgement.judged_by.get_full_name() or judgement.judged_by.get_username()
                    if judgement
                    else ""
                ),
                judged_at=judgement.judged_at if judgement else None,
                places=(
                    # A cell named twice (a row total and its sum) is listed once.
                    [
                        ShownPlace(_place(fmt, c), anchors.get(c, ""))
                        for c in dict.fromkeys(finding.cells)
                    ]
                    if fmt
                    else []
                ),
                return_anchor=fp not in anchored,
            )
        )
        anchored.add(fp)
    return ReportPage(
        report=report,
        findings=shown,
        tables_html=tables_html,
        kind_label=kind_label(report.report_kind),
        format_label=f"{fmt.version} 年版（{fmt.document}）" if fmt else "—",
        input_label=input_kind_label(report.input_kind),
        file_label=file_label(report.file_name),
    )


def _place(fmt: ReportFormat, ref: CellRef) -> str:
    """A cell as the printed table names it; a whole row (the parser's 「*」) by its row."""
    if ref.column == "*":
        try:
            table = fmt.table(ref.table)
            return f"{table_name(fmt, table)}「{row_label(table, table.row(ref.row))}」整行"
        except KeyError:
            pass
    return describe_cell(fmt, ref)


def batch_events(*, batch: Batch) -> list[tuple[Any, str, str]]:
    """(when, who, what) of each event, oldest first."""
    return [
        (e.created_at, e.actor.get_full_name() or e.actor.get_username(), events.summary(e))
        for e in batch.events.select_related("actor").order_by("pk")
    ]


@dataclass(frozen=True, slots=True)
class CoverageView:
    year: int | None
    rows: list[Coverage]

    @property
    def missing(self) -> list[Coverage]:
        return [c for c in self.rows if c.matched is None]


def coverage(*, batch: Batch, year: int | None = None) -> CoverageView:
    """Which listed units have a readable report of ``year`` in the batch."""
    year = year if year is not None else batch.coverage_year
    if year is None or not batch.coverage_names:
        return CoverageView(year, [])
    reported = batch.reports.filter(readable=True, year=year).values_list("unit_name", flat=True)
    return CoverageView(year, match_units(list(batch.coverage_names), list(reported)))


@dataclass(slots=True)
class SummaryRow:
    region: str
    kind: str
    files: int = 0  # every file uploaded
    reports: int = 0  # the files of one unit's year (a page and its attachment) counted once
    unreadable: int = 0
    with_errors: int = 0  # reports with an error the evaluators have not dismissed
    errors: int = 0  # errors the evaluators have not dismissed
    dismissed_errors: int = 0  # and those they have (with ``errors``: as the auditor found)
    warnings: int = 0  # warnings the evaluators have not dismissed
    dismissed_warnings: int = 0  # and those they have
    dismissed: int = 0
    confirmed: int = 0

    def add(self, counts: Mapping[str, Any]) -> None:
        for name in SUMMARY_COUNTS:
            setattr(self, name, getattr(self, name) + counts[name])

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in SUMMARY_COUNTS}


SUMMARY_COUNTS: Final = (
    "files", "reports", "unreadable", "with_errors", "errors", "dismissed_errors", "warnings",
    "dismissed_warnings", "dismissed", "confirmed",
)  # fmt: skip


def summary(*, batch: Batch) -> list[SummaryRow]:
    """Files and reports, reports with errors left after the evaluators' dismissals, errors
    left and errors dismissed, warnings left and warnings dismissed, and the verdicts, by region
    and kind of unit: of the audited reports only (a pending one has no region, kind or count
    yet; the page says how many are left out, :func:`progress`).

    A unit's year read from several files (the page and its PDF attachment, both downloaded)
    is one report: counted once in ``reports``, each file in ``files``; the other counts are
    of the files, each audited and judged on its own."""
    rows: dict[tuple[str, str], SummaryRow] = {}
    counted: set[tuple[str, int]] = set()  # the units' years with a file counted already
    for report in report_rows(batch=batch):
        if report["state"] == ReportState.PENDING:
            continue
        key = (report["region"] or "未读出单位", report["kind_label"])
        unit_year = (report["unit_key"], report["year"])
        another = report["readable"] and all(unit_year) and unit_year in counted
        if report["readable"] and all(unit_year):
            counted.add(unit_year)
        rows.setdefault(key, SummaryRow(*key)).add(
            {
                **report,
                "files": 1,
                "reports": 0 if another else 1,
                "unreadable": 0 if report["readable"] else 1,
                "with_errors": 1 if report["open_errors"] else 0,
                "errors": report["open_errors"],
                "warnings": report["open_warnings"],
            }
        )
    return [rows[k] for k in sorted(rows)]


def summary_total(rows: list[SummaryRow]) -> SummaryRow:
    total = SummaryRow("合计", "")
    for row in rows:
        total.add(row.counts())
    return total


@dataclass(frozen=True, slots=True)
class ExportedFinding:
    """One finding as the report page lists it: its number there, its places by name."""

    report: dict[str, Any]  # the report's row of :func:`report_rows`
    number: int
    finding: Finding
    fingerprint: str
    places: list[str]
    verdict: str = ""
    note: str = ""
    judged_by: str = ""
    judged_at: Any = None

    @property
    def verdict_label(self) -> str:
        return Verdict(self.verdict).label if self.verdict else "待评估"


def export_findings(*, batch: Batch) -> list[ExportedFinding]:
    """Every finding of the batch, reports in the results list's order and each report's
    findings in its page's order and numbering, with the places named as the page names them
    and the verdict, note, evaluator and time."""
    rows = report_rows(batch=batch)
    stored = dict(batch.reports.values_list("pk", "findings"))
    judgements = {
        j.fingerprint: j
        for j in FindingJudgement.objects.filter(
            unit_id=batch.unit_id,
            fingerprint__in={f["fingerprint"] for fs in stored.values() for f in fs},
        ).select_related("judged_by")
    }
    out = []
    for row in rows:
        pairs = findings_of(stored[row["pk"]])
        prints = {f: fp for f, fp in pairs}
        fmt = get_format(row["format_version"]) if row["format_version"] else None
        for number, finding in enumerate(sort_findings([f for f, _ in pairs]), 1):
            fp = prints[finding]
            judgement = judgements.get(fp)
            places = [_place(fmt, c) for c in dict.fromkeys(finding.cells)] if fmt else []
            out.append(
                ExportedFinding(
                    report=row,
                    number=number,
                    finding=finding,
                    fingerprint=fp,
                    places=places or [f"{c.table}/{c.row}/{c.column}" for c in finding.cells],
                    verdict=judgement.verdict if judgement else "",
                    note=judgement.note if judgement else "",
                    judged_by=_person(judgement.judged_by) if judgement else "",
                    judged_at=judgement.judged_at if judgement else None,
                )
            )
    return out


def _person(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def severity_label(value: str) -> str:
    return Severity(value).label
