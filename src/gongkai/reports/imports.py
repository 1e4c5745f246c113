"""Importing a unit's published report of an earlier year (issue 11 §6).

A unit that starts using gongkai has published reports before, in Word, PDF or on its website.
Read by the auditor's own parsers, last year's report gives the cross-year rules their basis
from the first year of use (carry-in equals last year's carry-out; 现行有效件数 follows from last
year's), and the year-on-year chart its data. The import is a record of what was published, not
a report gongkai built: it is kept read-only with the file's name and SHA-256 and the auditor's
findings, and a report gongkai published for the same year takes precedence over it.

A file is refused when its year (or, if the parser found one, its unit) is not the one chosen:
a wrong file would silently set next year's carry-in.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Final

from django.db import IntegrityError, transaction
from django.utils import timezone
from pydantic import TypeAdapter

from gongkai.agencies.gatekeeper import Action, access_unit_by_id
from gongkai.agencies.models import Unit
from gongkai.applications.services.base import today as service_today
from gongkai.core.audit import audit_parsed, unit_core
from gongkai.core.errors import GongkaiError
from gongkai.core.findings import Finding
from gongkai.core.inputs import sniff
from gongkai.core.model import AnnualReport, ReportKind, unit_key
from gongkai.core.parse.dispatch import parse_document
from gongkai.reports.models import ImportedReport, content_sha256
from gongkai.reports.selectors import latest_published, previous_report

UNREADABLE: Final = "未能从文件“{name}”中读出年度报告：{reason}"
NO_YEAR: Final = "未能从文件“{name}”中读出报告年度，无法确认它是 {year} 年度的报告，未导入"
WRONG_YEAR: Final = "文件“{name}”是 {found} 年度的报告，与所选的 {year} 年度不符，未导入"
WRONG_UNIT: Final = "文件“{name}”是“{found}”的年度报告，与“{unit}”不符，未导入"
DUPLICATE: Final = "文件“{name}”已于 {at} 导入为“{unit}”{year} 年度报告，无需重复导入"
YEAR_NOT_OVER: Final = "{year} 年尚未结束（今天是 {today}），不能导入该年度的年度报告"
SUPERSEDED: Final = "该年度已有本系统发布的版本，核对时以发布的版本为准，导入的报告仅作存档"

_FINDINGS: TypeAdapter[list[Finding]] = TypeAdapter(list[Finding])


class ReportImportError(GongkaiError):
    """A refused import, explained in Chinese."""


@dataclass(frozen=True, slots=True)
class Imported:
    """An import and what the page tells the officer about it."""

    record: ImportedReport
    findings: list[Finding]
    superseded: bool  # gongkai has published this year itself: the import is an archive only


def report_import(
    *, acting_user: Any, unit_id: Any, year: int, name: str, data: bytes, rollup: bool = False
) -> Imported:
    """Import ``data`` (a file called ``name``) as ``unit_id``'s published report (or roll-up)
    for ``year``. The 负责人 imports, as they publish (the supervising office its roll-up)."""
    action = Action.PUBLISH_ROLLUP if rollup else Action.PUBLISH_REPORT
    unit = access_unit_by_id(acting_user, unit_id, action)
    return import_report_file(
        unit=unit, year=year, name=name, data=data, rollup=rollup, imported_by=acting_user
    )


def import_report_file(
    *,
    unit: Unit,
    year: int,
    name: str,
    data: bytes,
    rollup: bool = False,
    imported_by: Any = None,
) -> Imported:
    """The import itself, asking no permission: for :func:`report_import` and the command line
    (run by whoever holds the database). Refused with :class:`ReportImportError`."""
    today = service_today()
    if year >= today.year:
        raise ReportImportError(YEAR_NOT_OVER.format(year=year, today=today.isoformat()))
    parsed = parse_document(data, name=name)
    if parsed.report is None:
        raise ReportImportError(UNREADABLE.format(name=name, reason=parsed.reason or "无法识别"))
    found_year = parsed.meta.year
    if found_year is None:
        raise ReportImportError(NO_YEAR.format(name=name, year=year))
    if found_year != year:
        raise ReportImportError(WRONG_YEAR.format(name=name, found=found_year, year=year))
    found_unit = (parsed.meta.unit or "").strip()
    if found_unit and not same_unit(found_unit, unit):
        raise ReportImportError(WRONG_UNIT.format(name=name, found=found_unit, unit=unit.name))
    kind = sniff(data, name).value
    findings = audit_parsed(name, kind, parsed, today=today).findings
    # Stored under the unit's own name and kind, so that the cross-year rules pair it with the
    # report gongkai builds for the next year; the file's own wording stays in the file.
    report = parsed.report.with_meta(
        unit=unit.name,
        kind=ReportKind.ROLLUP if rollup else ReportKind(unit.kind),
        source=name,
    )
    content = report.to_json()
    source_sha256 = hashlib.sha256(data).hexdigest()
    try:
        with transaction.atomic():
            record = ImportedReport.objects.create(
                unit=unit,
                year=year,
                is_rollup=rollup,
                content=content,
                sha256=content_sha256(content),
                source_name=name[:255],
                source_sha256=source_sha256,
                source_kind=kind,
                findings=_FINDINGS.dump_json(findings).decode(),
                imported_by=imported_by,
            )
    except IntegrityError:
        earlier = ImportedReport.objects.filter(
            unit=unit, year=year, is_rollup=rollup, source_sha256=source_sha256
        ).first()
        at = timezone.localtime(earlier.imported_at).strftime("%Y-%m-%d %H:%M") if earlier else ""
        raise ReportImportError(
            DUPLICATE.format(name=name, at=at, unit=unit.name, year=year)
        ) from None
    superseded = latest_published(unit=unit, year=year, rollup=rollup) is not None
    return Imported(record, findings, superseded)


def same_unit(found: str, unit: Unit) -> bool:
    """Whether the unit a parser found in a file (「泉港区人民政府」) names ``unit``
    (「泉州市泉港区人民政府」): equal once spacing, brackets and the divisions above are set
    aside, or the one contained in the other, or the unit's 简称."""
    a, b = unit_key(found), unit_key(unit.name)
    if not a:
        return True
    if a == b or unit_core(a) == unit_core(b) or a in b or b in a:
        return True
    return bool(unit.short_name) and unit_key(unit.short_name) in a


def imports_for(*, user: Any, unit_id: Any, year: int) -> tuple[Unit, list[ImportedReport]]:
    """The unit (if ``user`` reads its reports) and every import of its reports for ``year``,
    newest first: the import page's list."""
    unit = access_unit_by_id(user, unit_id, Action.VIEW_REPORTS)
    found = list(
        ImportedReport.objects.filter(unit=unit, year=year)
        .select_related("imported_by")
        .order_by("-imported_at", "-pk")
    )
    return unit, found


def year_reports(*, unit: Unit, years: range, rollup: bool = False) -> dict[int, AnnualReport]:
    """The report of each of ``years`` as published by gongkai, else as imported, for the
    year-on-year chart (years with neither are left out). No permission asked: for callers that
    have asked the gatekeeper already."""
    found: dict[int, AnnualReport] = {}
    for year in years:
        report = previous_report(unit=unit, year=year + 1, rollup=rollup)
        if report is not None:
            found[year] = report
    return found
