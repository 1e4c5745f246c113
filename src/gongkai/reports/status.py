"""Each unit's annual report of a year against its Article 49 deadline, for the dashboard.

A unit sees its own report; a supervising office every unit below it, and its own roll-up. The
standing itself (published, published late, due soon, overdue) is computed by the pure
:mod:`gongkai.core.report_deadline` from the day the first version was published — the day
Art 49 is about; later versions are corrections.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Min
from django.utils import timezone

from gongkai.agencies.gatekeeper import Action, can, require, units_for
from gongkai.agencies.models import Unit
from gongkai.agencies.selectors import subtree_q
from gongkai.core.model import ReportKind
from gongkai.core.report_deadline import ReportStatus, report_deadline, report_status
from gongkai.reports.models import ImportedReport, PublishedReport


@dataclass(frozen=True, slots=True)
class UnitReportStatus:
    unit: Unit
    rollup: bool  # the unit's roll-up rather than its own report
    status: ReportStatus


def report_statuses(*, user: Any, unit: Unit, year: int, today: dt.date) -> list[UnitReportStatus]:
    """The report status for ``year`` of ``unit`` and of every unit below it that ``user`` may
    read (in hierarchy order), with the roll-up first when ``user`` publishes it. Three queries."""
    require(user, Action.VIEW_REPORTS, unit)
    units = list(
        Unit.objects.filter(subtree_q(unit))
        .filter(pk__in=units_for(user, Action.VIEW_REPORTS))
        .order_by("path")
    )
    with_rollup = can(user, Action.PUBLISH_ROLLUP, unit)
    published = {
        (row["unit_id"], row["is_rollup"]): row
        for row in PublishedReport.objects.filter(unit__in=units, year=year)
        .values("unit_id", "is_rollup")
        .annotate(first=Min("published_at"), latest=Max("version"))
        .order_by()
    }

    # A report the unit published before it used gongkai, imported from its file, is published
    # too, on the day the parser read from the file (the latest import); a version gongkai
    # published takes precedence, as everywhere.
    imported: dict[tuple[int, bool], dt.date | None] = {}
    for record in ImportedReport.objects.filter(unit__in=units, year=year).order_by(
        "imported_at", "pk"
    ):
        key = (record.unit_id, record.is_rollup)
        if key not in published:
            imported[key] = record.report.meta.published

    def line(target: Unit, kind: ReportKind, rollup: bool) -> UnitReportStatus:
        key = (target.pk, rollup)
        row = published.get(key)
        if row is None and key in imported:
            status = report_status(
                report_deadline(kind, year),
                today=today,
                published_on=imported[key],
                imported=True,
            )
            return UnitReportStatus(target, rollup, status)
        first = timezone.localtime(row["first"]).date() if row else None
        status = report_status(
            report_deadline(kind, year),
            today=today,
            published_on=first,
            version=row["latest"] if row else None,
        )
        return UnitReportStatus(target, rollup, status)

    lines = [line(unit, ReportKind.ROLLUP, True)] if with_rollup else []
    return lines + [line(u, ReportKind(u.kind), False) for u in units]
