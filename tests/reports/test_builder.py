"""The report built from the cases: table 三 and 四 are the dashboard's, section 六 states the fee
notices, section 二 waits for the registers, and the core rules find nothing wrong."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from gongkai.agencies.models import Role
from gongkai.applications import services as s
from gongkai.applications.carry_over import table3_cells
from gongkai.applications.models import Application
from gongkai.core.fees import fee_for_pages
from gongkai.core.findings import Severity
from gongkai.core.formats import (
    COL_NATURAL_PERSON,
    COL_TOTAL,
    FORMAT_2021,
    S2_ART20_1,
    S2_IN_FORCE,
    S2_ISSUED,
    S2_NORMATIVE_DOCUMENTS,
    SECTION_OTHER,
    T3,
    T3_CARRIED_OUT,
    T3_NEW,
    T4,
)
from gongkai.core.model import ReportKind
from gongkai.core.narrative.fees import read_fee_statement
from gongkai.core.results import default_legal_basis, result_rows
from gongkai.registers import services as register_services
from gongkai.remedies.selectors import table4_cells
from gongkai.reports.builder import build_report, section2_tables
from gongkai.reports.checks import (
    CALENDAR_RULE,
    calendar_findings,
    check_built,
    describe_errors,
    errors,
)
from gongkai.reports.fees import FeeFigures, fee_figures, yuan

from .conftest import World, register

D = dt.date


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s, "_today", lambda: D(2025, 3, 3))


def step(service: Any, user: Any, app: Application, **kw: Any) -> Application:
    version = Application.objects.get(pk=app.pk).version
    result: Application = service(
        acting_user=user, application_id=app.pk, expected_version=version, **kw
    )
    return result


def decide(user: Any, app: Application, result: str, on: dt.date) -> None:
    step(
        s.application_decide,
        user,
        app,
        result=result,
        legal_basis=default_legal_basis(result),
        on=on,
    )


def first_result() -> str:
    return next(row.code for row, _ in result_rows(FORMAT_2021.table3))


@pytest.fixture
def cases(world: World, clerk: Any) -> dict[str, Application]:
    """Three cases of 2024 (one decided, one paid a fee and decided, one open at the year end)
    and one of 2023 carried into 2024."""
    unit = world.district
    old = register(clerk, unit, submitted_on=D(2023, 12, 27), applicant_name="甲")
    decided = register(clerk, unit, submitted_on=D(2024, 3, 4), applicant_name="乙")
    paid = register(clerk, unit, submitted_on=D(2024, 5, 6), applicant_name="丙")
    register(clerk, unit, submitted_on=D(2024, 12, 30), applicant_name="丁")
    decide(clerk, old, first_result(), D(2024, 1, 5))
    decide(clerk, decided, first_result(), D(2024, 3, 20))
    step(s.application_send_fee_notice, clerk, paid, method="per_page", pages=200, on=D(2024, 5, 8))
    step(s.application_fee_paid, clerk, paid, on=D(2024, 5, 10))
    decide(clerk, paid, first_result(), D(2024, 5, 20))
    return {"old": old, "decided": decided, "paid": paid}


def test_the_tables_are_the_dashboards(world: World, clerk: Any, cases: Any) -> None:
    report = build_report(unit=world.district, year=2024)

    assert report.tables[T3] == table3_cells(user=clerk, unit=world.district, year=2024)
    assert report.tables[T4] == table4_cells(user=clerk, unit=world.district, year=2024)
    assert report.cell(T3, T3_NEW, COL_TOTAL) == 3
    assert report.cell(T3, T3_CARRIED_OUT, COL_NATURAL_PERSON) == 1


def test_meta_names_the_unit_year_format_and_kind(world: World, cases: Any) -> None:
    meta = build_report(unit=world.department, year=2024).meta

    assert (meta.unit, meta.year, meta.kind) == (world.department.name, 2024, ReportKind.DEPARTMENT)
    assert meta.format_version == FORMAT_2021.version
    assert meta.published is None


def test_section_two_comes_from_the_registers(world: World, clerk: Any) -> None:
    """Section 二 is derived from the unit's registers, never typed (issue 11 §1)."""
    blank = build_report(unit=world.district, year=2024)
    assert blank.cell(S2_ART20_1, S2_NORMATIVE_DOCUMENTS, S2_ISSUED) == 0

    for number, issued in (
        ("泉港政〔2023〕1号", D(2023, 5, 1)),
        ("泉港政〔2024〕1号", D(2024, 3, 1)),
    ):
        register_services.normative_document_create(
            acting_user=clerk,
            unit=world.district,
            kind=S2_NORMATIVE_DOCUMENTS,
            number=number,
            title=f"关于{number}的通知",
            issued_on=issued,
        )
    report = build_report(unit=world.district, year=2024)

    assert section2_tables(unit=world.district, year=2024) == {
        table: report.tables[table] for table in section2_tables(unit=world.district, year=2024)
    }
    assert report.cell(S2_ART20_1, S2_NORMATIVE_DOCUMENTS, S2_ISSUED) == 1
    assert report.cell(S2_ART20_1, S2_NORMATIVE_DOCUMENTS, S2_IN_FORCE) == 2


def test_section_six_states_the_fee_notices(world: World, cases: Any) -> None:
    amount = fee_for_pages(200, electronic=False, applicant_type=COL_NATURAL_PERSON).yuan
    figures = fee_figures(unit=world.district, year=2024)

    assert figures == FeeFigures(notices=1, notified_yuan=amount, collected_yuan=amount)
    statement = read_fee_statement(
        build_report(unit=world.district, year=2024).narrative[SECTION_OTHER]
    )
    assert (statement.notices, statement.collected_yuan) == (1, amount)
    assert fee_figures(unit=world.district, year=2023) == FeeFigures(0, Decimal(0), Decimal(0))


def test_no_fee_notice_says_so(world: World) -> None:
    text = build_report(unit=world.township, year=2024).narrative[SECTION_OTHER]

    assert (read_fee_statement(text).notices, read_fee_statement(text).collected_yuan) == (0, 0)


@pytest.mark.parametrize(
    ("amount", "printed"), [(Decimal("600.00"), "600"), (Decimal("12.5"), "12.5")]
)
def test_amounts_print_as_people_write_them(amount: Decimal, printed: str) -> None:
    assert yuan(amount) == printed


def test_the_built_report_has_no_error(world: World, cases: Any) -> None:
    findings = check_built(build_report(unit=world.district, year=2024), today=D(2025, 1, 20))

    assert errors(findings) == [], describe_errors(findings)
    assert findings == sorted(findings, key=lambda f: f.severity.rank)


def test_a_contradiction_is_an_error_with_its_message(world: World, cases: Any) -> None:
    report = build_report(unit=world.district, year=2024).with_cell(
        T3, T3_NEW, COL_NATURAL_PERSON, 99
    )

    found = errors(check_built(report))
    assert found
    assert describe_errors(found).startswith("1. ")


def test_a_provisional_calendar_is_flagged_but_does_not_block(world: World) -> None:
    assert calendar_findings(2024) == []
    findings = check_built(build_report(unit=world.district, year=2035))

    flagged = [f for f in findings if f.rule == CALENDAR_RULE]
    assert [f.severity for f in flagged] == [Severity.WARNING]
    assert "2035 年的工作日历是暂定的" in flagged[0].message
    assert errors(findings) == []


def test_a_fee_paid_after_new_year_counts_as_collected_next_year(world: World) -> None:
    clerk = world.member(Role.CLERK, world.department)
    app = register(clerk, world.department, submitted_on=D(2024, 12, 16))
    step(
        s.application_send_fee_notice, clerk, app, method="per_page", pages=200, on=D(2024, 12, 18)
    )
    step(s.application_fee_paid, clerk, app, on=D(2025, 1, 6))
    amount = fee_for_pages(200, electronic=False, applicant_type=COL_NATURAL_PERSON).yuan

    assert fee_figures(unit=world.department, year=2024) == FeeFigures(1, amount, Decimal(0))
    assert fee_figures(unit=world.department, year=2025) == FeeFigures(0, Decimal(0), amount)
    assert fee_figures(unit=world.district, year=2024) == FeeFigures(0, Decimal(0), Decimal(0))
    text = build_report(unit=world.department, year=2025).narrative[SECTION_OTHER]
    assert read_fee_statement(text).collected_yuan == amount
