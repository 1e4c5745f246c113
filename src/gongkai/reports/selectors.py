"""Reading annual reports through the gatekeeper: the draft with its findings, and the published
versions (a unit reads its own; a supervising office reads its units')."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from django.db.models import Q

from gongkai.agencies.gatekeeper import AccessDeniedError, Action, access_unit_by_id, units_for
from gongkai.agencies.models import Unit
from gongkai.agencies.selectors import subtree_q
from gongkai.applications.services.base import today as service_today
from gongkai.core.errors import GongkaiError
from gongkai.core.findings import Finding
from gongkai.core.model import AnnualReport
from gongkai.core.rollup import Rollup, rollup
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


def latest_published(*, unit: Unit, year: int, rollup: bool = False) -> PublishedReport | None:
    """The latest published version of ``unit``'s report (or, with ``rollup``, of its roll-up)
    for ``year`` (no permission asked: for the services, the command line and the selectors
    below, which ask first)."""
    return (
        PublishedReport.objects.filter(unit=unit, year=year, is_rollup=rollup)
        .order_by("-version")
        .first()
    )


def previous_report(*, unit: Unit, year: int, rollup: bool = False) -> AnnualReport | None:
    """Last year's report as published (its latest version), for the cross-year rules."""
    last_year = latest_published(unit=unit, year=year - 1, rollup=rollup)
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
        PublishedReport.objects.filter(unit=unit, year=year, is_rollup=False)
        .select_related("published_by")
        .order_by("version")
    )


def published_version(*, user: Any, unit_id: Any, year: int, version: int) -> PublishedReport:
    unit = access_unit_by_id(user, unit_id, Action.VIEW_REPORTS)
    found = PublishedReport.objects.filter(
        unit=unit, year=year, version=version, is_rollup=False
    ).first()
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


# ---------------------------------------------------------------------------------------------
# The roll-up (issue 11 §4): a supervising office's report as the sum of its units' reports
# ---------------------------------------------------------------------------------------------

ROLLUP_NOT_ALLOWED: Final = "您无权查看“{unit}”及其全部下级单位的年度报告，不能查看汇总报告"


@dataclass(frozen=True, slots=True)
class RollupDraft:
    """The roll-up as the units' latest published versions make it now.

    ``rollup`` is ``None`` while no unit has published; ``findings`` are every rule's on the
    rolled-up report; ``sources`` the versions summed (in unit path order), ``missing`` the units
    of the subtree without a published report for the year. The drill-down from a cell to the
    units is ``rollup.contributions(table, row, column)``.
    """

    unit: Unit
    year: int
    rollup: Rollup | None
    findings: list[Finding]
    sources: list[PublishedReport]
    missing: list[Unit]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def publishable(self) -> bool:
        return self.rollup is not None and self.complete and not errors(self.findings)


def rollup_of(*, unit: Unit, year: int) -> RollupDraft:
    """``unit``'s roll-up for ``year`` from the latest published version of every unit of its
    subtree (the unit itself included; each unit's own report, never another roll-up, so that
    nothing is counted twice). No permission asked: for the service and :func:`rollup_for`."""
    units = list(Unit.objects.filter(subtree_q(unit)).order_by("path"))
    latest: dict[int, PublishedReport] = {}
    for published in (
        PublishedReport.objects.filter(unit__in=units, year=year, is_rollup=False)
        .select_related("unit")
        .order_by("unit_id", "-version")
    ):
        latest.setdefault(published.unit_id, published)
    sources = [latest[u.pk] for u in units if u.pk in latest]
    missing = [u for u in units if u.pk not in latest]
    if not sources:
        return RollupDraft(unit, year, None, [], [], missing)
    result = rollup([p.report for p in sources], unit=unit.name, year=year)
    previous = previous_report(unit=unit, year=year, rollup=True)
    findings = check_built(result.report, previous=previous, today=service_today())
    return RollupDraft(unit, year, result, findings, sources, missing)


def rollup_for(*, user: Any, unit_id: Any, year: int) -> RollupDraft:
    """The roll-up of ``unit_id`` for ``year``, for a user who reads the reports of the unit and
    of every unit below it (a supervising office); anyone else is refused, rather than shown a
    sum over the part of the subtree they happen to see."""
    unit = access_unit_by_id(user, unit_id, Action.VIEW_REPORTS)
    subtree = Unit.objects.filter(subtree_q(unit))
    if subtree.exclude(pk__in=units_for(user, Action.VIEW_REPORTS)).exists():
        raise AccessDeniedError(ROLLUP_NOT_ALLOWED.format(unit=unit.name))
    return rollup_of(unit=unit, year=year)


def rollup_versions(*, user: Any, unit_id: Any, year: int) -> list[PublishedReport]:
    """Every published version of the unit's roll-up for ``year``, oldest first."""
    unit = access_unit_by_id(user, unit_id, Action.VIEW_REPORTS)
    return list(
        PublishedReport.objects.filter(unit=unit, year=year, is_rollup=True)
        .select_related("published_by")
        .order_by("version")
    )


# ---------------------------------------------------------------------------------------------
# Downloads (issue 11 §5): the draft or a published version, with what its charts need
# ---------------------------------------------------------------------------------------------

# Imported here, with the functions that use them, so that this part stays one block.
from gongkai.core.render.charts import ChartInputs  # noqa: E402
from gongkai.reports.charts import monthly_received  # noqa: E402


@dataclass(frozen=True, slots=True)
class ReportDownload:
    """A report to render for download: the report, its charts' inputs, and the file name
    without its suffix (「泉港区2021年政府信息公开工作年度报告（第2版）」)."""

    report: AnnualReport
    charts: ChartInputs
    name: str


def _download_name(unit: Unit, year: int, what: str) -> str:
    return f"{unit.name}{year}年政府信息公开工作年度报告（{what}）"


def draft_download(*, user: Any, unit_id: Any, year: int) -> ReportDownload:
    """The draft as the data make it now, with the month counts from the cases and last year's
    report as published (its latest version)."""
    unit = access_unit_by_id(user, unit_id, Action.VIEW_REPORTS)
    charts = ChartInputs(
        monthly=monthly_received(unit=unit, year=year),
        previous=previous_report(unit=unit, year=year),
    )
    report = build_report(unit=unit, year=year)
    return ReportDownload(report, charts, _download_name(unit, year, "草稿"))


def version_download(*, user: Any, unit_id: Any, year: int, version: int) -> ReportDownload:
    """A published version exactly as published: its stored snapshot (hash-checked), never the
    live data. Its charts are drawn from the snapshot alone, and from last year's report as it
    stood when this version was published; the month counts, which live in the cases and may
    have changed since, are left out."""
    published = published_version(user=user, unit_id=unit_id, year=year, version=version)
    last_year = (
        PublishedReport.objects.filter(
            unit_id=published.unit_id,
            year=year - 1,
            is_rollup=False,
            published_at__lte=published.published_at,
        )
        .order_by("-version")
        .first()
    )
    charts = ChartInputs(previous=last_year.report if last_year else None)
    name = _download_name(published.unit, year, f"第{version}版")
    return ReportDownload(published.report, charts, name)
