"""Importing a unit's published report of an earlier year through the auditor's parsers: kept
read-only with the file's SHA-256, used by the cross-year rules, refused when the file is of
another year or unit, and giving way to a report gongkai published for that year."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from gongkai.agencies.gatekeeper import AccessDeniedError
from gongkai.agencies.models import Role, Unit
from gongkai.applications import services as s
from gongkai.core.formats import COL_TOTAL, T3, T3_CARRIED_IN, T3_CARRIED_OUT
from gongkai.core.render.report_docx import render_report_docx
from gongkai.core.render.report_html import render_report_html
from gongkai.reports.builder import build_report
from gongkai.reports.imports import (
    ReportImportError,
    import_report_file,
    report_import,
    year_reports,
)
from gongkai.reports.models import ImportedReport, PublishedReportImmutableError
from gongkai.reports.selectors import previous_report, report_draft
from gongkai.reports.services import report_publish

from .conftest import World, register

D = dt.date


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s, "_today", lambda: D(2025, 3, 3))


def _member(world: World, role: Role, unit: Unit | None = None) -> Any:
    unit = unit or world.department
    found = get_user_model().objects.filter(username=f"{role.value}_{unit.pk}").first()
    return found or world.member(role, unit)


def _cases_2023(world: World) -> None:
    """Two 2023 cases in the department, one still open at the end of 2023 (carried out)."""
    clerk = _member(world, Role.CLERK)
    register(clerk, world.department, submitted_on=D(2023, 3, 6))
    register(
        clerk,
        world.department,
        submitted_on=D(2023, 12, 18),
        applicant_name="李四",
        id_document_number="350505199001015678",
    )


def _html_2023(unit: Unit) -> bytes:
    return render_report_html(build_report(unit=unit, year=2023)).encode("utf-8")


def test_the_head_imports_last_years_report_and_the_cross_year_rules_use_it(
    world: World,
) -> None:
    _cases_2023(world)
    data = _html_2023(world.department)
    head = _member(world, Role.HEAD)

    done = report_import(
        acting_user=head, unit_id=world.department.pk, year=2023, name="2023年报.html", data=data
    )

    record = done.record
    assert record.source_name == "2023年报.html"
    assert record.source_sha256 == hashlib.sha256(data).hexdigest()
    assert record.source_kind == "html"
    assert record.imported_by == head
    assert not done.superseded
    assert record.finding_list == done.findings
    assert record.report.cell(T3, T3_CARRIED_OUT, COL_TOTAL) == 2
    previous = previous_report(unit=world.department, year=2024)
    assert previous is not None and previous.meta.unit == world.department.name
    draft = report_draft(user=head, unit_id=world.department.pk, year=2024)
    assert draft.report.cell(T3, T3_CARRIED_IN, COL_TOTAL) == 2
    assert not [f for f in draft.findings if f.rule.startswith("cross_year")]


def test_a_carry_in_that_differs_from_the_imported_carry_out_is_found(world: World) -> None:
    _cases_2023(world)
    data = _html_2023(world.department)
    # A 2023 case registered after the report was published: 2024's carry-in is now 3.
    register(
        _member(world, Role.CLERK),
        world.department,
        submitted_on=D(2023, 12, 25),
        applicant_name="王五",
        id_document_number="350505199001019999",
    )
    head = _member(world, Role.HEAD)
    report_import(
        acting_user=head, unit_id=world.department.pk, year=2023, name="a.html", data=data
    )

    draft = report_draft(user=head, unit_id=world.department.pk, year=2024)

    carry_in = [f for f in draft.findings if f.rule == "cross_year.carry_in"]
    assert "「总计」列：本年「上年结转」为 3，但 2023 年度报告「结转下年度继续办理」为 2" in [
        f.message for f in carry_in
    ]


def test_a_docx_imports_too(world: World) -> None:
    _cases_2023(world)
    data = render_report_docx(build_report(unit=world.department, year=2023))
    done = import_report_file(unit=world.department, year=2023, name="2023.docx", data=data)
    assert done.record.source_kind == "docx"
    assert done.record.imported_by is None  # the command line
    assert done.record.report.cell(T3, T3_CARRIED_OUT, COL_TOTAL) == 2


def test_a_report_gongkai_published_takes_precedence(world: World) -> None:
    _cases_2023(world)
    head = _member(world, Role.HEAD)
    report_publish(acting_user=head, unit_id=world.department.pk, year=2023)
    register(
        _member(world, Role.CLERK),
        world.department,
        submitted_on=D(2023, 12, 25),
        applicant_name="王五",
        id_document_number="350505199001019999",
    )
    done = report_import(
        acting_user=head,
        unit_id=world.department.pk,
        year=2023,
        name="a.html",
        data=_html_2023(world.department),
    )
    assert done.superseded
    previous = previous_report(unit=world.department, year=2024)
    assert previous is not None and previous.cell(T3, T3_CARRIED_OUT, COL_TOTAL) == 2


def test_the_year_on_year_chart_gets_published_and_imported_years(world: World) -> None:
    _cases_2023(world)
    head = _member(world, Role.HEAD)
    import_report_file(
        unit=world.department,
        year=2022,
        name="2022.html",
        data=_html_2023(world.department).replace(b"2023", b"2022"),
    )
    report_publish(acting_user=head, unit_id=world.department.pk, year=2023)

    found = year_reports(unit=world.department, years=range(2021, 2025))

    assert sorted(found) == [2022, 2023]
    assert found[2023].meta.published == D(2025, 3, 3)  # published by gongkai
    assert found[2022].meta.source == "2022.html"  # imported


@pytest.mark.parametrize(
    ("year", "file_unit", "message"),
    [
        (2022, None, "文件“x.html”是 2023 年度的报告，与所选的 2022 年度不符，未导入"),
        (2023, "other", "是“泉州市惠安县人民政府”的年度报告，与“泉港区教育局”不符，未导入"),
        (2025, None, "2025 年尚未结束（今天是 2025-03-03），不能导入该年度的年度报告"),
    ],
)
def test_a_file_of_another_period_or_unit_is_refused(
    world: World, year: int, file_unit: str | None, message: str
) -> None:
    unit = world.other_district if file_unit else world.department
    data = _html_2023(unit)
    with pytest.raises(ReportImportError, match=re.escape(message)):
        import_report_file(unit=world.department, year=year, name="x.html", data=data)
    assert not ImportedReport.objects.exists()


def test_a_file_that_is_no_report_is_refused(world: World) -> None:
    with pytest.raises(ReportImportError, match=re.escape("未能从文件“notes.txt”中读出年度报告")):
        import_report_file(
            unit=world.department, year=2023, name="notes.txt", data="会议纪要".encode()
        )
    assert not ImportedReport.objects.exists()


def test_the_same_file_twice_is_refused_and_a_record_cannot_change(world: World) -> None:
    data = _html_2023(world.department)
    done = import_report_file(unit=world.department, year=2023, name="a.html", data=data)
    with pytest.raises(ReportImportError, match=r"已于 .* 导入为“泉港区教育局”2023 年度报告"):
        import_report_file(unit=world.department, year=2023, name="b.html", data=data)
    assert ImportedReport.objects.count() == 1
    with pytest.raises(PublishedReportImmutableError):
        done.record.save()
    with pytest.raises(PublishedReportImmutableError):
        ImportedReport.objects.all().update(year=2022)
    with pytest.raises(PublishedReportImmutableError):
        done.record.delete()


@pytest.mark.parametrize("role", [Role.CLERK, Role.SUPERVISOR])
def test_only_the_units_head_imports(world: World, role: Role) -> None:
    user = _member(world, role, world.department if role is Role.CLERK else world.district)
    with pytest.raises(AccessDeniedError):
        report_import(
            acting_user=user,
            unit_id=world.department.pk,
            year=2023,
            name="a.html",
            data=_html_2023(world.department),
        )
    assert not ImportedReport.objects.exists()


def test_a_sibling_head_cannot_import_for_another_unit(world: World) -> None:
    with pytest.raises(AccessDeniedError):
        report_import(
            acting_user=_member(world, Role.HEAD, world.township),
            unit_id=world.department.pk,
            year=2023,
            name="a.html",
            data=_html_2023(world.department),
        )


def test_the_supervisor_imports_its_roll_up(world: World) -> None:
    data = _html_2023(world.district)
    supervisor = _member(world, Role.SUPERVISOR, world.district)
    done = report_import(
        acting_user=supervisor,
        unit_id=world.district.pk,
        year=2023,
        name="汇总.html",
        data=data,
        rollup=True,
    )
    assert done.record.is_rollup
    assert previous_report(unit=world.district, year=2024, rollup=True) is not None
    assert previous_report(unit=world.district, year=2024) is None
