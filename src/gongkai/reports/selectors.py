"""Reading annual reports through the gatekeeper: the draft with its findings, and the published
versions (a unit reads its own; a supervising office reads its units')."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from django.db.models import Q

from gongkai.agencies.gatekeeper import AccessDeniedError, Action, access_unit_by_id
from gongkai.agencies.models import Unit
from gongkai.applications.services.base import today as service_today
from gongkai.core.errors import GongkaiError
from gongkai.core.findings import Finding
from gongkai.core.model import AnnualReport
from gongkai.reports.builder import build_report
from gongkai.reports.checks import check_built, errors
from gongkai.reports.models import PublishedReport

VERSION_NOT_FOUND: Final = "未找到该单位 {year} 年度报告的第 {version} 版，或您无权查看"


@dataclass(frozen=True, slots=True)
class Draft:
    """The report as the data make it now, and what every rule says about it."""

    report: AnnualReport
    findings: list[Finding]

    @property
    def publishable(self) -> bool:
        return not errors(self.findings)


def latest_published(*, unit: Unit, year: int) -> PublishedReport | None:
    """The latest published version of ``unit``'s report for ``year`` (no permission asked:
    for the services, the command line and the selectors below, which ask first)."""
    return PublishedReport.objects.filter(unit=unit, year=year).order_by("-version").first()


def previous_report(*, unit: Unit, year: int) -> AnnualReport | None:
    """Last year's report as published (its latest version), for the cross-year rules."""
    last_year = latest_published(unit=unit, year=year - 1)
    return last_year.report if last_year else None


def report_draft(*, user: Any, unit_id: Any, year: int) -> Draft:
    unit = access_unit_by_id(user, unit_id, Action.VIEW_REPORTS)
    report = build_report(unit=unit, year=year)
    previous = previous_report(unit=unit, year=year)
    return Draft(report, check_built(report, previous=previous, today=service_today()))


def published_versions(*, user: Any, unit_id: Any, year: int) -> list[PublishedReport]:
    """Every published version of the unit's report for ``year``, oldest first."""
    unit = access_unit_by_id(user, unit_id, Action.VIEW_REPORTS)
    return list(
        PublishedReport.objects.filter(unit=unit, year=year)
        .select_related("published_by")
        .order_by("version")
    )


def published_version(*, user: Any, unit_id: Any, year: int, version: int) -> PublishedReport:
    unit = access_unit_by_id(user, unit_id, Action.VIEW_REPORTS)
    found = PublishedReport.objects.filter(unit=unit, year=year, version=version).first()
    if found is None:
        raise AccessDeniedError(VERSION_NOT_FOUND.format(year=year, version=version))
    return found


UNIT_UNKNOWN: Final = "没有名为“{name}”的单位"
UNIT_AMBIGUOUS: Final = "“{name}”可指多个单位，请写全称：{names}"


def unit_named(name: str) -> Unit:
    """The unit called ``name`` (full name or 简称, else the one unit whose name contains it),
    for the command line, which runs as whoever holds the database and asks no permission."""
    name = name.strip()
    exact = Unit.objects.filter(Q(name=name) | Q(short_name=name)).first()
    if exact is not None:
        return exact
    found = list(Unit.objects.filter(name__contains=name).order_by("path")[:6]) if name else []
    if len(found) == 1:
        return found[0]
    if not found:
        raise GongkaiError(UNIT_UNKNOWN.format(name=name))
    raise GongkaiError(UNIT_AMBIGUOUS.format(name=name, names="、".join(u.name for u in found)))
