"""Every write of the workspace: upload, re-run, audit what is pending, judge, set the
coverage list.

Each asks the gatekeeper first (the worker's :func:`audit_pending` acts for whoever uploaded
or re-ran), changes the rows and writes its typed event in one transaction. Keyword-only
arguments throughout.

An upload or a re-run only stores the files and marks the reports pending (「待审查」): a
province's batch of several hundred reports takes minutes to audit, more than a request may
take. A worker outside the request (``gongkai evaluate``, or the thread of ``gongkai serve``)
then calls :func:`audit_pending` until nothing is pending. Two workers never audit one report:
each takes a report by a conditional UPDATE (:func:`claim_next`), which one database write
decides on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.agencies import gatekeeper
from gongkai.agencies.gatekeeper import Action
from gongkai.core.audit import FILE_TIME_LIMIT
from gongkai.core.audit_child import GRACE
from gongkai.core.errors import GongkaiError
from gongkai.evaluations import events
from gongkai.evaluations.auditing import (
    audit_fields,
    audit_one,
    file_fields,
    kept_fields,
    kept_result,
    pair_years,
    region_alone,
    stored_upload,
)
from gongkai.evaluations.models import (
    BATCH,
    EVALUATED_REPORT,
    Batch,
    EvaluatedReport,
    EventKind,
    FindingJudgement,
    ReportState,
    Verdict,
)
from gongkai.evaluations.places import parse_unit_list
from gongkai.evaluations.uploads import Uploaded, unpack

MAX_NOTE: Final = 2000
MAX_COVERAGE_UNITS: Final = 5000


def pending_fields() -> dict[str, Any]:
    """What a report is until it is audited, and again after a re-run: everything the audit
    decides is blank (the file's bytes, name and kind stay). A new dict each time: its lists
    and dicts become the fields of new rows."""
    return {
        "state": ReportState.PENDING,
        "claim": "",
        "claimed_at": None,
        "own_result": {},
        "own_report": None,
        "readable": False,
        "reason": "",
        "unit_name": "",
        "unit_key": "",
        "region": "",
        "year": None,
        "report_kind": "",
        "format_version": "",
        "errors": 0,
        "warnings": 0,
        "infos": 0,
        "findings": [],
        "tables": {},
    }


# What pairing the years of a complete batch rewrites of each report.
PAIRED_FIELDS: Final = ("region", "findings", "errors", "warnings", "infos")
# Reports one call of audit_pending audits at most: a worker checks for a stop between calls,
# and a few PDFs take a few seconds.
STEP_REPORTS: Final = 10
# A report taken longer ago than this belongs to a worker that died (killed, the
# machine restarted): another may take it. An audit takes at most the core's per-file limit,
# in a child process that limit and its grace; a minute more covers storing the result.
CLAIM_TIMEOUT: Final = dt.timedelta(seconds=FILE_TIME_LIMIT + GRACE + 60)


class EvaluationError(GongkaiError):
    """A refused workspace action; the message is shown to the evaluator."""


@dataclass(frozen=True, slots=True)
class Created:
    batch: Batch
    reports: int
    skipped: list[str]  # archive members that are not reports


def batch_create(*, acting_user: Any, title: str, files: Iterable[Uploaded]) -> Created:
    """Store the uploaded files and archives as a new batch of the uploader's unit, every
    report pending: a worker audits them (:func:`audit_pending`).

    Raises :class:`~gongkai.evaluations.uploads.UploadError` (nothing stored) when the upload
    breaks a limit.
    """
    units = gatekeeper.units_where(
        acting_user, Action.RUN_EVALUATIONS, refusal="您没有上传和审查年度报告的权限"
    )
    unit = gatekeeper.default_unit(acting_user, units)
    unpacked = unpack(files)
    documents = unpacked.documents
    title = title.strip()[:200] or f"{timezone.localdate():%Y-%m-%d} 上传的 {len(documents)} 份报告"
    with transaction.atomic():
        batch = Batch.objects.create(
            unit=unit, title=title, created_by=acting_user, audited_at=timezone.now()
        )
        EvaluatedReport.objects.bulk_create(
            (
                EvaluatedReport(batch=batch, position=i, **pending_fields(), **file_fields(d))
                for i, d in enumerate(documents)
            ),
            batch_size=100,
        )
        events.record(
            batch=batch, actor=acting_user, payload=events.Uploaded(reports=len(documents))
        )
    return Created(batch, len(documents), unpacked.skipped)


def batch_rerun(*, acting_user: Any, batch_id: Any) -> Batch:
    """Mark the batch's reports pending, to be audited again with the current auditor by the
    worker; judgements stay (they are by fingerprint)."""
    batch: Batch = gatekeeper.access_record_by_id(
        BATCH, acting_user, batch_id, Action.VIEW_EVALUATIONS
    )
    gatekeeper.require(acting_user, Action.RUN_EVALUATIONS, batch.unit)
    with transaction.atomic():
        # A worker auditing one of them now finds its claim gone and drops its result.
        reports = batch.reports.update(**pending_fields())
        events.record(batch=batch, actor=acting_user, payload=events.Rerun(reports=reports))
    return batch


def claim_next(*, now: dt.datetime | None = None) -> tuple[int, str] | None:
    """Take the next pending report of any batch (oldest batch first) for this worker: its id
    and the token its result must carry, or None when nothing is left to take.

    The taking is one conditional UPDATE: of two workers that chose the same report, the
    database lets one change the row and the other sees 0 rows changed and chooses again."""
    while True:
        moment = now or timezone.now()
        free = Q(state=ReportState.PENDING) & (
            Q(claimed_at=None) | Q(claimed_at__lt=moment - CLAIM_TIMEOUT)
        )
        candidate = (
            EvaluatedReport.objects.filter(free)
            .order_by("batch_id", "position")
            .values_list("pk", flat=True)
            .first()
        )
        if candidate is None:
            return None
        token = uuid.uuid4().hex
        if EvaluatedReport.objects.filter(free, pk=candidate).update(
            claim=token, claimed_at=moment
        ):
            return candidate, token


# The reports this process has taken and not finished (report id, token): what a server
# that stops gives back (:func:`release_held`), since its worker thread dies with it mid-report.
_HELD: set[tuple[int, str]] = set()
_HELD_LOCK: Final = threading.Lock()


def audit_pending(*, limit: int = STEP_REPORTS) -> int:
    """Audit at most ``limit`` pending reports, of whatever batches; how many were audited.

    A worker stopped mid-report (Ctrl+C, ``systemctl stop``: an exception that is not an
    error) gives the report back at once (:func:`claim_release`) rather than leave it taken
    for :data:`CLAIM_TIMEOUT`. One that failed keeps it taken: a report whose audit or store
    fails every time is then tried again every few minutes, not in a loop."""
    audited = 0
    while audited < limit:
        taken = claim_next()
        if taken is None:
            break
        report_id, token = taken
        with _HELD_LOCK:
            _HELD.add(taken)
        try:
            audit_claimed(report_id=report_id, token=token)
        except Exception:
            raise
        except BaseException:
            claim_release(report_id=report_id, token=token)
            raise
        finally:
            with _HELD_LOCK:
                _HELD.discard(taken)
        audited += 1
    return audited


def claim_release(*, report_id: int, token: str) -> bool:
    """Give back a report taken under ``token`` and not finished: it is free for any worker at
    once. Whether it was still taken (not when it was stored, re-run or taken again since).
    Never raises: it runs while a worker stops, and a database gone away then must not hide
    why it stopped (the report is then free after :data:`CLAIM_TIMEOUT`, as before)."""
    try:
        return bool(
            EvaluatedReport.objects.filter(
                pk=report_id, claim=token, state=ReportState.PENDING
            ).update(claim="", claimed_at=None)
        )
    except Exception:
        return False


def release_held() -> int:
    """Give back every report this process has taken and not finished (a server stopping, whose
    worker thread is killed with it); how many were given back. The thread, should it finish
    one after all, finds its claim gone and drops the result (:func:`audit_claimed`)."""
    with _HELD_LOCK:
        held = sorted(_HELD)
    return sum(claim_release(report_id=report_id, token=token) for report_id, token in held)


def audit_claimed(*, report_id: int, token: str) -> bool:
    """Audit a report this worker took (:func:`claim_next`) and store the result; whether it
    was stored (not when the claim was lost meanwhile: the batch re-run, or the report taken
    again after :data:`CLAIM_TIMEOUT`).

    The audit runs outside any transaction, under the core's per-file time limit; its result
    is stored in one, and the last report of a batch also pairs the batch's years and records
    that the batch is audited (:class:`events.Audited`)."""
    report = EvaluatedReport.objects.only("pk", "batch_id", "file_name", "sha256", "data").get(
        pk=report_id
    )
    result = audit_one(stored_upload(report.file_name, bytes(report.data)))
    fields = audit_fields(result, sha256=report.sha256, region=region_alone(result))
    with transaction.atomic():
        # Writing the batch's row first locks it: one worker at a time finishes a report of
        # this batch, so exactly one sees none left. (A write, not a SELECT … FOR UPDATE, which
        # SQLite ignores: there the first write takes the database's write lock, waiting for
        # it, where a read first could not wait and fail on a concurrent writer.)
        Batch.objects.filter(pk=report.batch_id).update(audited_at=timezone.now())
        batch = Batch.objects.get(pk=report.batch_id)
        stored = EvaluatedReport.objects.filter(
            pk=report.pk, claim=token, state=ReportState.PENDING
        ).update(
            **fields,
            **kept_fields(result),
            state=ReportState.AUDITED,
            claim="",
            claimed_at=None,
        )
        if stored and not batch.reports.filter(state=ReportState.PENDING).exists():
            _complete(batch)
    return bool(stored)


def _complete(batch: Batch) -> None:
    """Pair the batch's years now that every report is audited, and say so in the log."""
    rows = list(batch.reports.order_by("position").defer("data", "tables"))
    paired = pair_years([kept_result(r.own_result, r.own_report) for r in rows])
    for row, (result, region) in zip(rows, paired, strict=True):
        fields = audit_fields(result, sha256=row.sha256, region=region)
        for name in PAIRED_FIELDS:
            setattr(row, name, fields[name])
    EvaluatedReport.objects.bulk_update(rows, PAIRED_FIELDS, batch_size=100)
    started = batch.events.filter(kind__in=(EventKind.UPLOADED, EventKind.RERUN)).latest("pk")
    events.record(
        batch=batch,
        actor=started.actor,
        payload=events.Audited(
            reports=len(rows),
            errors=sum(r.errors for r in rows),
            warnings=sum(r.warnings for r in rows),
        ),
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
