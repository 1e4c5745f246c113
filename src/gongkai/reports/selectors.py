"""Reading annual reports through the gatekeeper: the draft with its findings, and the published
versions (a unit reads its own; a supervising office reads its units')."""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from django.db.models import Q

from gongkai.agencies.gatekeeper import AccessDeniedError, Action, access_unit_by_id, units_for
from gongkai.agencies.models import Unit
from gongkai.agencies.selectors import subtree_q, within
from gongkai.applications.services.base import today as service_today
from gongkai.core.errors import GongkaiError
from gongkai.core.findings import Finding, excerpt_in
from gongkai.core.formats import SECTION_OTHER, format_for_year
from gongkai.core.model import AnnualReport
from gongkai.core.narrative.fees import read_fee_statement
from gongkai.core.narrative.templates import default_template
from gongkai.core.render.charts import ChartInputs
from gongkai.core.rollup import Rollup, rollup
from gongkai.reports.builder import build_report, narrated
from gongkai.reports.charts import monthly_received
from gongkai.reports.checks import check_built, errors
from gongkai.reports.fees import yuan
from gongkai.reports.models import (
    ImportedReport,
    NarrativeDraft,
    NarrativeEvent,
    PublishedReport,
)
from gongkai.reports.prose import check_narrative_text

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


def latest_imported(*, unit: Unit, year: int, rollup: bool = False) -> ImportedReport | None:
    """The latest import of ``unit``'s report (or roll-up) for ``year``, if any (no permission
    asked, like :func:`latest_published`)."""
    return (
        ImportedReport.objects.filter(unit=unit, year=year, is_rollup=rollup)
        .order_by("-imported_at", "-pk")
        .first()
    )


def previous_report(*, unit: Unit, year: int, rollup: bool = False) -> AnnualReport | None:
    """Last year's report, for the cross-year rules: as gongkai published it (its latest
    version), else as imported from the unit's published file of that year."""
    last_year = latest_published(unit=unit, year=year - 1, rollup=rollup)
    if last_year is not None:
        return last_year.report
    imported = latest_imported(unit=unit, year=year - 1, rollup=rollup)
    return imported.report if imported else None


def report_draft(*, user: Any, unit_id: Any, year: int) -> Draft:
    """The report as the data make it now, checked by every rule. Once a version is published,
    the deadline rule judges the date of the first publication (what Art 49 asks), not an
    undated draft that would read as overdue for ever."""
    unit = access_unit_by_id(user, unit_id, Action.VIEW_REPORTS)
    report = build_report(unit=unit, year=year)
    previous = previous_report(unit=unit, year=year)
    first = (
        PublishedReport.objects.filter(unit=unit, year=year, is_rollup=False)
        .order_by("version")
        .first()
    )
    checked = report if first is None else report.with_meta(published=first.report.meta.published)
    return Draft(report, check_built(checked, previous=previous, today=service_today()))


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


UNIT_EMPTY: Final = "请写出单位名称：全称、简称或名称中的一段"
UNIT_UNKNOWN: Final = "没有名为“{name}”的单位，也没有名称或简称含有“{name}”的单位{hint}"
UNIT_UNKNOWN_HINT: Final = "；相近的单位：{names}"
UNIT_AMBIGUOUS: Final = "“{name}”可指 {count} 个单位，请写全称或简称：{names}"
# Candidates listed in a message, at most: a name like “局” may match every department.
UNIT_CANDIDATES_SHOWN: Final = 12


def unit_named(name: str) -> Unit:
    """The unit ``name`` designates, for the command line (which runs as whoever holds the
    database and asks no permission).

    In order: the unit whose full name or 简称 is ``name``; else the units whose name or 简称
    contains it — one unit, or one unit with every other match below it, which is the one meant
    (“泉港区” matches the district office and most of its units: the district, whose roll-up
    holds them all). Otherwise a :class:`GongkaiError` in Chinese that lists the candidates: the
    topmost matches when there are several, the closest names when nothing matches.
    """
    name = name.strip()
    if not name:
        raise GongkaiError(UNIT_EMPTY)
    exact = list(Unit.objects.filter(Q(name=name) | Q(short_name=name)).order_by("path"))
    if len(exact) == 1:
        return exact[0]
    found = exact or list(
        Unit.objects.filter(Q(name__contains=name) | Q(short_name__contains=name)).order_by("path")
    )
    if not found:
        raise GongkaiError(UNIT_UNKNOWN.format(name=name, hint=_close_names(name)))
    tops = [u for u in found if not any(o.pk != u.pk and within(u, o) for o in found)]
    if len(tops) == 1:
        return tops[0]
    shown = "、".join(_label(u) for u in tops[:UNIT_CANDIDATES_SHOWN])
    if len(tops) > UNIT_CANDIDATES_SHOWN:
        shown += f" 等（共 {len(tops)} 个）"
    raise GongkaiError(UNIT_AMBIGUOUS.format(name=name, count=len(tops), names=shown))


def _label(unit: Unit) -> str:
    return f"{unit.name}（{unit.short_name}）" if unit.short_name != unit.name else unit.name


def _close_names(name: str) -> str:
    """The units whose name or 简称 is closest to ``name`` (a typo, a 的 too many), as a hint."""
    units = {u.name: u for u in Unit.objects.only("name", "short_name")}
    names = {**units, **{u.short_name: u for u in units.values()}}
    close = difflib.get_close_matches(name, list(names), n=5, cutoff=0.4)
    chosen = list(dict.fromkeys(names[c].pk for c in close))
    by_pk = {u.pk: u for u in units.values()}
    return (
        UNIT_UNKNOWN_HINT.format(names="、".join(_label(by_pk[pk]) for pk in chosen))
        if chosen
        else ""
    )


def has_subunits(unit: Unit) -> bool:
    """Whether any unit reports to ``unit``: its report for the command line is then a roll-up."""
    return Unit.objects.filter(parent=unit).exists()


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
    # Each snapshot is read (JSON parsed, hash checked) once, for the sum and the fee sentence.
    reports = [p.report for p in sources]
    summed = rollup(reports, unit=unit.name, year=year)
    report = narrated(summed.report, unit=unit, fees=rollup_fee_statement(reports))
    result = dataclasses.replace(summed, report=report)
    previous = previous_report(unit=unit, year=year, rollup=True)
    findings = check_built(result.report, previous=previous, today=service_today())
    return RollupDraft(unit, year, result, findings, sources, missing)


def rollup_fee_statement(sources: list[AnnualReport]) -> str:
    """Section 六's fee sentence of a roll-up: the notices and collected fees each published
    report states, summed. Read back from the snapshots (never the live cases), as the tables
    are; empty when some report's sentence cannot be read, rather than a wrong total."""
    notices, collected = 0, Decimal(0)
    for source in sources:
        stated = read_fee_statement(source.narrative.get(SECTION_OTHER, ""))
        if stated.notices is None or stated.collected_yuan is None:
            return ""
        notices, collected = notices + stated.notices, collected + stated.collected_yuan
    if not notices and not collected:
        return "本年度未发出收费通知，未收取信息处理费。"
    return f"本年度发出收费通知 {notices} 件，实际收取信息处理费 {yuan(collected)} 元。"


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


# -- the draft's prose ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SectionText:
    """One section of the draft as the editor shows it: the text with its placeholders (saved,
    or the default template), the text as the report prints it, and who saved it last."""

    code: str
    heading: str
    text: str
    resolved: str
    saved: NarrativeDraft | None
    findings: list[Finding]

    @property
    def has_errors(self) -> bool:
        return any(f.is_error for f in self.findings)


def section_findings(report: AnnualReport, section: str, findings: list[Finding]) -> list[Finding]:
    """The findings about sentences of ``section``'s prose: those whose quoted sentence stands
    in that section's text of ``report`` (the narrative check quotes the sentence it read)."""
    text = report.narrative.get(section, "")
    return [f for f in findings if f.excerpt and f.excerpt.strip() and excerpt_in(f.excerpt, text)]


def narrative_sections(*, user: Any, unit_id: Any, year: int, draft: Draft) -> list[SectionText]:
    """Every section of ``draft`` (the report built for ``unit_id`` and ``year``) for the
    editor, with the findings about its sentences. Read by whoever reads the report."""
    unit = access_unit_by_id(user, unit_id, Action.VIEW_REPORTS)
    fmt = format_for_year(year)
    saved = {
        d.section: d
        for d in NarrativeDraft.objects.filter(unit=unit, year=year).select_related("updated_by")
    }
    return [
        SectionText(
            code=section.code,
            heading=f"{section.number}、{section.heading}",
            text=saved[section.code].text
            if section.code in saved
            else default_template(fmt, section.code),
            resolved=draft.report.narrative.get(section.code, ""),
            saved=saved.get(section.code),
            findings=section_findings(draft.report, section.code, draft.findings),
        )
        for section in fmt.sections
    ]


@dataclass(frozen=True, slots=True)
class SectionCheck:
    """The live check of one section's text: as it would print, and what the rules say."""

    resolved: str
    findings: list[Finding]


def narrative_check(*, user: Any, unit_id: Any, year: int, section: str, text: str) -> SectionCheck:
    """Build the report with ``text`` as ``section``'s prose (unsaved) and run every check on
    it (:func:`gongkai.reports.checks.check_built`, the narrative check included); the
    findings about that section's sentences. For the unit's editors (:data:`Action.EDIT_REPORT`).
    Raises :class:`~gongkai.core.errors.GongkaiError` for a text the save would refuse."""
    unit = access_unit_by_id(user, unit_id, Action.EDIT_REPORT)
    text = check_narrative_text(year=year, section=section, text=text)
    report = build_report(unit=unit, year=year, texts={section: text})
    previous = previous_report(unit=unit, year=year)
    findings = check_built(report, previous=previous, today=service_today())
    return SectionCheck(
        resolved=report.narrative.get(section, ""),
        findings=section_findings(report, section, findings),
    )


def narrative_history(*, user: Any, unit_id: Any, year: int) -> list[NarrativeEvent]:
    """Every save of the draft's prose, newest first (who, when, which section, what text)."""
    unit = access_unit_by_id(user, unit_id, Action.VIEW_REPORTS)
    return list(
        NarrativeEvent.objects.filter(unit=unit, year=year).select_related("actor").order_by("-id")
    )


# ---------------------------------------------------------------------------------------------
# Downloads (issue 11 §5): the draft or a published version, with what its charts need
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# The public read path (issue 13 §3): published reports for anyone, no login
# ---------------------------------------------------------------------------------------------
#
# No permission is asked here, and that is the point: a published annual report is public by
# law — the Regulation makes every agency publish it (《条例》第四十九条) with the content of
# 第五十条, so whoever may read the unit's website may read it. What keeps these functions
# safe is what they return, not who asks: only PublishedReport rows (immutable, hash-checked
# snapshots), never a draft, a narrative draft, an import or a case. Staff pages keep using the
# gatekeeper-guarded selectors above.

PUBLIC_UNIT_NOT_FOUND: Final = "未找到该单位，请从年度报告目录进入"
PUBLIC_REPORT_NOT_FOUND: Final = "未找到“{unit}”已发布的 {year} 年度{what}"
PUBLIC_VERSION_NOT_FOUND: Final = "未找到“{unit}” {year} 年度{what}的第 {version} 版"


def _what(rollup: bool) -> str:
    return "汇总报告" if rollup else "政府信息公开工作年度报告"


@dataclass(frozen=True, slots=True)
class PublicUnitRow:
    """One unit of the public index: its years with a published report (and roll-up)."""

    unit: Unit
    years: frozenset[int]
    rollup_years: frozenset[int]


@dataclass(frozen=True, slots=True)
class PublicIndex:
    """Every unit with something published, in hierarchy order, and every year that appears."""

    rows: list[PublicUnitRow]
    years: list[int]


def public_reports() -> PublicIndex:
    """The public index: each unit that has published a report or a roll-up, with the years
    (newest first). Public by law (Art 49/50), so no permission is asked; only published rows
    are read (see the section comment above)."""
    found = PublishedReport.objects.values_list("unit_id", "year", "is_rollup").distinct()
    years: dict[int, set[int]] = {}
    rollups: dict[int, set[int]] = {}
    for unit_id, year, is_rollup in found:
        (rollups if is_rollup else years).setdefault(unit_id, set()).add(year)
    units = Unit.objects.filter(pk__in=set(years) | set(rollups)).order_by("path")
    rows = [
        PublicUnitRow(u, frozenset(years.get(u.pk, ())), frozenset(rollups.get(u.pk, ())))
        for u in units
    ]
    all_years = sorted({y for r in rows for y in r.years | r.rollup_years}, reverse=True)
    return PublicIndex(rows, all_years)


def public_unit(unit_id: Any) -> Unit:
    """A unit by its id, for its public pages: every unit has a disclosure guide, published
    report or not (:class:`GongkaiError` with a Chinese message for an unknown id). A unit's
    name and contact details are public (Art 12), so no permission is asked."""
    try:
        unit = Unit.objects.get(pk=int(unit_id))
    except (Unit.DoesNotExist, TypeError, ValueError):
        raise GongkaiError(PUBLIC_UNIT_NOT_FOUND) from None
    return unit


def public_versions(*, unit_id: Any, year: int, rollup: bool = False) -> list[PublishedReport]:
    """Every published version of the unit's report (or roll-up) for ``year``, oldest first;
    :class:`GongkaiError` when there is none. Public by law (Art 49/50): no permission asked,
    and only published rows exist in this table (drafts live elsewhere)."""
    unit = public_unit(unit_id)
    versions = list(
        PublishedReport.objects.filter(unit=unit, year=year, is_rollup=rollup).order_by("version")
    )
    if not versions:
        raise GongkaiError(
            PUBLIC_REPORT_NOT_FOUND.format(unit=unit.name, year=year, what=_what(rollup))
        )
    return versions


def public_version(
    *, unit_id: Any, year: int, version: int | None = None, rollup: bool = False
) -> PublishedReport:
    """One published version (the latest when ``version`` is ``None``). Public by law
    (Art 49/50): no permission asked; a draft can never be returned, since only published
    snapshots are read."""
    versions = public_versions(unit_id=unit_id, year=year, rollup=rollup)
    if version is None:
        return versions[-1]
    for found in versions:
        if found.version == version:
            return found
    raise GongkaiError(
        PUBLIC_VERSION_NOT_FOUND.format(
            unit=versions[0].unit.name, year=year, what=_what(rollup), version=version
        )
    )


def public_charts(published: PublishedReport) -> ChartInputs:
    """The charts' inputs of a published version, as :func:`version_download` draws them: last
    year's report as it stood when this version was published; no month counts (they live in
    the cases, which may have changed since)."""
    last_year = (
        PublishedReport.objects.filter(
            unit_id=published.unit_id,
            year=published.year - 1,
            is_rollup=published.is_rollup,
            published_at__lte=published.published_at,
        )
        .order_by("-version")
        .first()
    )
    return ChartInputs(previous=last_year.report if last_year else None)


def public_download(
    *, unit_id: Any, year: int, version: int | None = None, rollup: bool = False
) -> ReportDownload:
    """A published version to render for download, exactly as published (its snapshot)."""
    published = public_version(unit_id=unit_id, year=year, version=version, rollup=rollup)
    what = f"汇总·第{published.version}版" if rollup else f"第{published.version}版"
    name = _download_name(published.unit, year, what)
    return ReportDownload(published.report, public_charts(published), name)


def public_rollup_sources(published: PublishedReport) -> list[Unit]:
    """The units a published roll-up sums: those of the supervising office's subtree with a
    report of the year published by the time the roll-up was (what :func:`rollup_of` read)."""
    units = Unit.objects.filter(subtree_q(published.unit)).order_by("path")
    ids = set(
        PublishedReport.objects.filter(
            unit__in=units,
            year=published.year,
            is_rollup=False,
            published_at__lte=published.published_at,
        ).values_list("unit_id", flat=True)
    )
    return [u for u in units if u.pk in ids]


def public_series(*, unit_id: Any, rollup: bool = False) -> list[AnnualReport]:
    """The latest published version of each year of the unit's report (or roll-up), oldest
    year first: its figures across years. Public by law (Art 49/50), no permission asked."""
    unit = public_unit(unit_id)
    latest: dict[int, PublishedReport] = {}
    for published in PublishedReport.objects.filter(unit=unit, is_rollup=rollup).order_by(
        "year", "-version"
    ):
        latest.setdefault(published.year, published)
    return [latest[y].report for y in sorted(latest)]
