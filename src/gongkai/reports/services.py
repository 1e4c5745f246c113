"""Publishing a unit's annual report: the 负责人 freezes the built report as a new version.

Publishing builds the report afresh, runs every rule (with last year's published report for the
cross-year rules) and refuses while any finding is an error. The unit's row is locked for the
transaction, so two officers publishing at once produce one version and a clear refusal — not two
"first" versions (the unique constraint on unit, year and version backs this on any database).
"""

from __future__ import annotations

from typing import Any, Final

from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.agencies.gatekeeper import Action, access_unit_by_id
from gongkai.agencies.models import Unit
from gongkai.applications.services.base import today as service_today
from gongkai.reports.builder import build_report
from gongkai.reports.checks import check_built, describe_errors, errors
from gongkai.reports.errors import ReportError
from gongkai.reports.models import (
    NarrativeDraft,
    NarrativeEvent,
    NarrativeEventKind,
    PublishedReport,
    content_sha256,
)
from gongkai.reports.prose import check_narrative_text
from gongkai.reports.selectors import latest_published, previous_report, rollup_of

REASON_REQUIRED: Final = "{year} 年度报告已于 {at} 发布第 {version} 版；发布更正版本须说明更正理由"
HAS_ERRORS: Final = "{year} 年度报告有 {count} 处错误，不能发布，请先改正：\n{errors}"
UNCHANGED: Final = "{year} 年度报告的内容与已发布的第 {version} 版相同，无需发布新版本"
YEAR_NOT_OVER: Final = "{year} 年尚未结束（今天是 {today}），不能发布该年度的年度报告"
CONCURRENT: Final = "其他人刚刚发布了“{unit}”{year} 年度报告的第 {version} 版，请刷新后查看"
ROLLUP_NOTHING: Final = "“{unit}”及其下级单位都还没有发布 {year} 年度报告，没有可汇总的内容"
ROLLUP_MISSING: Final = (
    "还有 {count} 个单位没有发布 {year} 年度报告，汇总报告须包含全部单位，不能发布：{units}"
)


def report_publish(
    *, acting_user: Any, unit_id: Any, year: int, reason: str = ""
) -> PublishedReport:
    """Publish ``unit_id``'s report for ``year`` as its next version.

    The first publication needs no reason; a correction (any later version) must give one, and
    must change something. Refused with :class:`ReportError` while the report has errors.
    """
    reason = reason.strip()
    try:
        with transaction.atomic():
            unit = access_unit_by_id(acting_user, unit_id, Action.PUBLISH_REPORT)
            # Serialise publications of this unit (a no-op on SQLite, which has one writer).
            Unit.objects.select_for_update().filter(pk=unit.pk).values_list("pk").get()
            return _publish(acting_user=acting_user, unit=unit, year=year, reason=reason)
    except IntegrityError:
        latest = latest_published(unit=unit, year=year)
        raise ReportError(
            CONCURRENT.format(unit=unit.name, year=year, version=latest.version if latest else "?")
        ) from None


def _publish(*, acting_user: Any, unit: Unit, year: int, reason: str) -> PublishedReport:
    today = service_today()
    if year >= today.year:
        raise ReportError(YEAR_NOT_OVER.format(year=year, today=today.isoformat()))
    latest = latest_published(unit=unit, year=year)
    if latest is not None and not reason:
        at = timezone.localtime(latest.published_at).strftime("%Y-%m-%d %H:%M")
        raise ReportError(REASON_REQUIRED.format(year=year, at=at, version=latest.version))
    report = build_report(unit=unit, year=year).with_meta(published=today)
    if latest is not None and latest.report.with_meta(published=None) == report.with_meta(
        published=None
    ):
        raise ReportError(UNCHANGED.format(year=year, version=latest.version))
    findings = check_built(report, previous=previous_report(unit=unit, year=year), today=today)
    found = errors(findings)
    if found:
        raise ReportError(
            HAS_ERRORS.format(year=year, count=len(found), errors=describe_errors(found))
        )
    content = report.to_json()
    return PublishedReport.objects.create(
        unit=unit,
        year=year,
        version=latest.version + 1 if latest else 1,
        content=content,
        sha256=content_sha256(content),
        published_by=acting_user,
        reason=reason,
    )


def rollup_publish(
    *, acting_user: Any, unit_id: Any, year: int, reason: str = ""
) -> PublishedReport:
    """Publish ``unit_id``'s roll-up for ``year`` (the sum of the latest published versions of
    every unit of its subtree) as its next roll-up version.

    Only the supervising office over its own unit (:data:`Action.PUBLISH_ROLLUP`). Refused with
    :class:`ReportError` while a unit of the subtree has not published, while the roll-up has
    errors, without a reason for a correction, and when nothing changed. A unit republishing
    later is taken in by publishing a corrected roll-up.
    """
    reason = reason.strip()
    try:
        with transaction.atomic():
            unit = access_unit_by_id(acting_user, unit_id, Action.PUBLISH_ROLLUP)
            Unit.objects.select_for_update().filter(pk=unit.pk).values_list("pk").get()
            return _publish_rollup(acting_user=acting_user, unit=unit, year=year, reason=reason)
    except IntegrityError:
        latest = latest_published(unit=unit, year=year, rollup=True)
        raise ReportError(
            CONCURRENT.format(
                unit=f"{unit.name}汇总", year=year, version=latest.version if latest else "?"
            )
        ) from None


def _publish_rollup(*, acting_user: Any, unit: Unit, year: int, reason: str) -> PublishedReport:
    today = service_today()
    if year >= today.year:
        raise ReportError(YEAR_NOT_OVER.format(year=year, today=today.isoformat()))
    latest = latest_published(unit=unit, year=year, rollup=True)
    if latest is not None and not reason:
        at = timezone.localtime(latest.published_at).strftime("%Y-%m-%d %H:%M")
        raise ReportError(REASON_REQUIRED.format(year=year, at=at, version=latest.version))
    draft = rollup_of(unit=unit, year=year)
    if draft.rollup is None:
        raise ReportError(ROLLUP_NOTHING.format(unit=unit.name, year=year))
    if draft.missing:
        names = "、".join(u.name for u in draft.missing)
        raise ReportError(ROLLUP_MISSING.format(count=len(draft.missing), year=year, units=names))
    report = draft.rollup.report.with_meta(published=today)
    if latest is not None and latest.report.with_meta(published=None) == report.with_meta(
        published=None
    ):
        raise ReportError(UNCHANGED.format(year=year, version=latest.version))
    # Checked again with the publication date: the draft's findings were without one.
    previous = previous_report(unit=unit, year=year, rollup=True)
    found = errors(check_built(report, previous=previous, today=today))
    if found:
        raise ReportError(
            HAS_ERRORS.format(year=year, count=len(found), errors=describe_errors(found))
        )
    content = report.to_json()
    return PublishedReport.objects.create(
        unit=unit,
        year=year,
        version=latest.version + 1 if latest else 1,
        content=content,
        sha256=content_sha256(content),
        published_by=acting_user,
        reason=reason,
        is_rollup=True,
    )


# -- the draft's prose ------------------------------------------------------------------------


def narrative_save(
    *, acting_user: Any, unit_id: Any, year: int, section: str, text: str
) -> NarrativeDraft | None:
    """Save the prose of one section of ``unit_id``'s draft report for ``year``.

    The unit's own staff only (:data:`Action.EDIT_REPORT`). Blank text returns the section to
    its default template (the row is removed; the event stays). Every change is recorded as a
    :class:`NarrativeEvent`; saving the same text again changes nothing and records nothing.
    Returns the saved draft (``None`` after a reset).
    """
    with transaction.atomic():
        unit = access_unit_by_id(acting_user, unit_id, Action.EDIT_REPORT)
        text = check_narrative_text(year=year, section=section, text=text)
        current = (
            NarrativeDraft.objects.select_for_update()
            .filter(unit=unit, year=year, section=section)
            .first()
        )
        if not text.strip():
            if current is None:
                return None
            current.delete()
            _narrative_event(acting_user, unit, year, section, NarrativeEventKind.RESET, "")
            return None
        if current is not None and current.text == text:
            return current
        if current is None:
            current = NarrativeDraft(unit=unit, year=year, section=section)
        current.text = text
        current.updated_by = acting_user
        current.save()
        _narrative_event(acting_user, unit, year, section, NarrativeEventKind.SAVED, text)
        return current


def _narrative_event(
    actor: Any, unit: Unit, year: int, section: str, kind: NarrativeEventKind, text: str
) -> None:
    NarrativeEvent.objects.create(
        unit=unit, year=year, section=section, kind=kind, text=text, actor=actor
    )
