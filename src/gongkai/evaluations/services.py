"""Every write of the workspace: upload, re-run, judge, set the coverage list.

Each asks the gatekeeper first, changes the rows and writes its typed event in one
transaction. Keyword-only arguments throughout.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from django.db import transaction
from django.utils import timezone

from gongkai.agencies import gatekeeper
from gongkai.agencies.gatekeeper import Action
from gongkai.core.errors import GongkaiError
from gongkai.evaluations import events
from gongkai.evaluations.auditing import Audited, audit_uploads, record_fields, stored_upload
from gongkai.evaluations.models import (
    BATCH,
    EVALUATED_REPORT,
    Batch,
    EvaluatedReport,
    EventKind,
    FindingJudgement,
    Verdict,
)
from gongkai.evaluations.places import parse_unit_list
from gongkai.evaluations.uploads import Uploaded, unpack

MAX_NOTE: Final = 2000
MAX_COVERAGE_UNITS: Final = 5000
# What a re-run rewrites: everything the audit decides (the file's bytes and name stay).
RERUN_FIELDS: Final = (
    "input_kind",
    "readable",
    "reason",
    "unit_name",
    "unit_key",
    "region",
    "year",
    "report_kind",
    "format_version",
    "errors",
    "warnings",
    "infos",
    "findings",
    "tables",
)


class EvaluationError(GongkaiError):
    """A refused workspace action; the message is shown to the evaluator."""


@dataclass(frozen=True, slots=True)
class Created:
    batch: Batch
    reports: int
    skipped: list[str]  # archive members that are not reports


def batch_create(*, acting_user: Any, title: str, files: Iterable[Uploaded]) -> Created:
    """Audit the uploaded files and archives as a new batch of the uploader's unit.

    Raises :class:`~gongkai.evaluations.uploads.UploadError` (nothing stored) when the upload
    breaks a limit.
    """
    units = gatekeeper.units_where(
        acting_user, Action.RUN_EVALUATIONS, refusal="您没有上传和审查年度报告的权限"
    )
    unit = gatekeeper.default_unit(acting_user, units)
    unpacked = unpack(files)
    audited = audit_uploads(unpacked.documents)
    title = title.strip()[:200] or f"{timezone.localdate():%Y-%m-%d} 上传的 {len(audited)} 份报告"
    with transaction.atomic():
        batch = Batch.objects.create(
            unit=unit, title=title, created_by=acting_user, audited_at=timezone.now()
        )
        EvaluatedReport.objects.bulk_create(
            EvaluatedReport(batch=batch, position=i, **record_fields(a))
            for i, a in enumerate(audited)
        )
        errors, warnings = _counts(audited)
        events.record(
            batch=batch,
            actor=acting_user,
            payload=events.Uploaded(reports=len(audited), errors=errors, warnings=warnings),
        )
    return Created(batch, len(audited), unpacked.skipped)


def batch_rerun(*, acting_user: Any, batch_id: Any) -> Batch:
    """Audit the batch's stored files again with the current auditor; judgements stay."""
    batch: Batch = gatekeeper.access_record_by_id(
        BATCH, acting_user, batch_id, Action.VIEW_EVALUATIONS
    )
    gatekeeper.require(acting_user, Action.RUN_EVALUATIONS, batch.unit)
    stored = list(batch.reports.order_by("position"))
    audited = audit_uploads([stored_upload(r.file_name, bytes(r.data)) for r in stored])
    with transaction.atomic():
        for row, fresh in zip(stored, audited, strict=True):
            fields = record_fields(fresh)
            for name in RERUN_FIELDS:
                setattr(row, name, fields[name])
        EvaluatedReport.objects.bulk_update(stored, RERUN_FIELDS)
        batch.audited_at = timezone.now()
        batch.save(update_fields=["audited_at"])
        errors, warnings = _counts(audited)
        events.record(
            batch=batch,
            actor=acting_user,
            payload=events.Rerun(reports=len(audited), errors=errors, warnings=warnings),
        )
    return batch


def _counts(audited: Sequence[Audited]) -> tuple[int, int]:
    return (
        sum(a.result.errors for a in audited),
        sum(a.result.warnings for a in audited),
    )


def finding_judge(
    *, acting_user: Any, report_id: Any, fingerprint: str, verdict: str, note: str
) -> FindingJudgement | None:
    """Confirm or dismiss one finding of a report (``verdict`` ``"reopen"`` withdraws it).

    A dismissal needs a note: the next evaluator must see why the auditor was overruled.
    """
    report: EvaluatedReport = gatekeeper.access_record_by_id(
        EVALUATED_REPORT, acting_user, report_id, Action.VIEW_EVALUATIONS
    )
    unit = report.batch.unit
    gatekeeper.require(acting_user, Action.JUDGE_FINDINGS, unit)
    finding = next((f for f in report.findings if f.get("fingerprint") == fingerprint), None)
    if finding is None:
        raise EvaluationError("该报告中没有这项审查问题（可能已在重新审查后消失），请刷新页面")
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise EvaluationError(f"说明不能超过 {MAX_NOTE} 字")
    if verdict == "reopen":
        kind = EventKind.REOPENED
    elif verdict in (Verdict.CONFIRMED, Verdict.DISMISSED):
        kind = EventKind(verdict)
    else:
        raise EvaluationError("请选择“确认”或“排除”")
    if kind is EventKind.DISMISSED and not note:
        raise EvaluationError("排除一项审查问题时必须写明理由")
    with transaction.atomic():
        judgement: FindingJudgement | None = None
        if kind is EventKind.REOPENED:
            FindingJudgement.objects.filter(unit=unit, fingerprint=fingerprint).delete()
        else:
            judgement, _ = FindingJudgement.objects.update_or_create(
                unit=unit,
                fingerprint=fingerprint,
                defaults={"verdict": verdict, "note": note, "judged_by": acting_user},
            )
        events.record(
            batch=report.batch,
            actor=acting_user,
            payload=events.Judged(
                kind=kind,
                fingerprint=fingerprint,
                report=report.file_name,
                rule=str(finding.get("rule", "")),
                note=note,
            ),
        )
    return judgement


def coverage_set(*, acting_user: Any, batch_id: Any, text: str, year: int) -> Batch:
    """Keep the list of units expected to publish for ``year`` on the batch."""
    batch: Batch = gatekeeper.access_record_by_id(
        BATCH, acting_user, batch_id, Action.VIEW_EVALUATIONS
    )
    gatekeeper.require(acting_user, Action.RUN_EVALUATIONS, batch.unit)
    names = parse_unit_list(text)
    if not names:
        raise EvaluationError("名单中没有单位名称：请每行写一个单位名称")
    if len(names) > MAX_COVERAGE_UNITS:
        raise EvaluationError(f"名单最多 {MAX_COVERAGE_UNITS} 个单位")
    if not 2000 <= year <= 2100:
        raise EvaluationError("请填写正确的年度（如 2024）")
    with transaction.atomic():
        batch.coverage_names = names
        batch.coverage_year = year
        batch.save(update_fields=["coverage_names", "coverage_year"])
        events.record(
            batch=batch,
            actor=acting_user,
            payload=events.CoverageSet(year=year, units=len(names)),
        )
    return batch
