"""Reads for the public report pages that leave a report's content in the database.

A published page is kept rendered (:mod:`gongkai.portal.page_cache`); to find its key a visit
needs only which versions exist and their hashes, never the snapshot itself (tens of kilobytes
of JSON, parsed and hash-checked by :attr:`PublishedReport.report`). These selectors read that
much and no more; the content is read, through the public selectors of
:mod:`gongkai.reports.selectors`, only when a page is rendered. Like those, they return only
published snapshots (public by law, Art 49/50), so no permission is asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gongkai.agencies.models import Unit
from gongkai.agencies.selectors import subtree_q
from gongkai.core.errors import GongkaiError
from gongkai.core.model import AnnualReport
from gongkai.reports import selectors
from gongkai.reports.models import PublishedReport


def _light(unit: Unit) -> Any:
    """The unit's published rows without their content, each knowing its unit already."""
    return PublishedReport.objects.filter(unit=unit).defer("content")


def version_list(*, unit_id: Any, year: int, rollup: bool) -> tuple[Unit, list[PublishedReport]]:
    """The unit and every published version of its report (or roll-up) for ``year``, oldest
    first, without content (read on first use), in one query with the unit;
    :class:`GongkaiError` when there is none (or no such unit)."""
    try:
        pk = int(unit_id)
    except (TypeError, ValueError):
        pk = None
    versions = (
        list(
            PublishedReport.objects.filter(unit_id=pk, year=year, is_rollup=rollup)
            .select_related("unit")
            .defer("content")
            .order_by("version")
        )
        if pk is not None
        else []
    )
    if not versions:
        unit = selectors.public_unit(unit_id)  # an unknown unit is said so
        raise GongkaiError(
            selectors.PUBLIC_REPORT_NOT_FOUND.format(
                unit=unit.name, year=year, what="汇总报告" if rollup else "政府信息公开工作年度报告"
            )
        )
    unit = versions[0].unit
    for found in versions:
        found.unit = unit  # one object for the page
    return unit, versions


def subtree_names(unit: Unit) -> list[tuple[int, str, str, str]]:
    """Id, name, short name and place of every unit below ``unit`` (with it): what a roll-up
    page lists of its source units, so that a renamed or moved unit gives the page a new key."""
    return list(
        Unit.objects.filter(subtree_q(unit))
        .order_by("path")
        .values_list("pk", "name", "short_name", "path")
    )


@dataclass(frozen=True, slots=True)
class UnitPublications:
    """The latest published version of each year, of the unit's reports and of its roll-ups
    (oldest year first), without content."""

    reports: list[PublishedReport]
    rollups: list[PublishedReport]

    def key(self) -> tuple[object, ...]:
        """What the unit's page shows of them: each year's latest version (its row) and hash."""
        return tuple(
            (p.pk, p.is_rollup, p.year, p.version, p.sha256) for p in self.reports + self.rollups
        )


def unit_publications(unit: Unit) -> UnitPublications:
    latest: dict[tuple[bool, int], PublishedReport] = {}
    for published in _light(unit).order_by("year", "-version"):
        latest.setdefault((published.is_rollup, published.year), published)
    ordered = [latest[k] for k in sorted(latest, key=lambda k: k[1])]
    return UnitPublications(
        reports=[p for p in ordered if not p.is_rollup],
        rollups=[p for p in ordered if p.is_rollup],
    )


def reports_of(published: list[PublishedReport]) -> list[AnnualReport]:
    """The snapshots of ``published``, in that order, read in one query and hash-checked."""
    full = PublishedReport.objects.in_bulk([p.pk for p in published])
    return [full[p.pk].report for p in published]
