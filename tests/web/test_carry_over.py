"""Year-end carry-over and table 三 computed from the case histories.

Cases are generated from a seed and taken through the real services; the expected table is
counted independently from the generated plan, and the computed report must pass the core's
consistency rules (``gongkai.core.rules.check_report``), with 2024's 上年结转 equal to 2023's
结转下年度.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User

from gongkai.agencies.gatekeeper import AccessDeniedError
from gongkai.agencies.models import Role
from gongkai.applications import carry_over
from gongkai.applications import services as s
from gongkai.applications.models import Application, ApplicationEvent, EventKind, result_rows
from gongkai.core.formats import APPLICANT_COLUMNS, FORMAT_2021
from gongkai.core.model import AnnualReport
from gongkai.core.results import default_legal_basis
from gongkai.core.rules import check_report
from gongkai.remedies.selectors import table4_cells

from . import conftest
from .conftest import World

D = dt.date
TODAY = D(2025, 3, 3)
# Results a clerk decides (the two 其他处理 rows reached by workflow events are generated apart).
DECIDABLE = [
    row.code
    for row, _ in result_rows(FORMAT_2021.table3)
    if row.code not in ("other.no_correction", "other.fee_unpaid")
]


class Today:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.day = TODAY
        monkeypatch.setattr(s, "_today", lambda: self.day)


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> Today:
    return Today(monkeypatch)


@dataclass(frozen=True)
class Planned:
    received: dt.date
    applicant_type: str
    result: str | None
    result_on: dt.date | None


def step(service: Any, user: User, app: Application, **kw: Any) -> None:
    version = Application.objects.get(pk=app.pk).version
    service(acting_user=user, application_id=app.pk, expected_version=version, **kw)


def generate(clerk: User, unit: Any, seed: int, n: int = 40) -> list[Planned]:
    """``n`` cases received from 2023 to December 2024, each open or ended in a random way."""
    rng = random.Random(seed)
    plan = []
    for i in range(n):
        received = D(2023, 1, 3) + dt.timedelta(days=rng.randrange(0, 720))
        column = rng.choice(APPLICANT_COLUMNS).code
        app = conftest.register(
            clerk,
            unit,
            applicant_type=column,
            applicant_name=f"申请人{seed}-{i}",
            id_document_number=f"35050519900101{seed:02d}{i:02d}",
            description=f"第{i}项政府信息",
            submitted_on=received,
        )
        fate = rng.random()
        later = received + dt.timedelta(days=rng.randrange(1, 35))
        result: str | None = None
        result_on: dt.date | None = None
        if later > TODAY or fate < 0.25:
            pass  # still open
        elif fate < 0.8:
            result, result_on = rng.choice(DECIDABLE), later
            step(
                s.application_decide,
                clerk,
                app,
                result=result,
                legal_basis=default_legal_basis(result),
                on=later,
            )
            if rng.random() < 0.7:
                step(s.application_send_reply, clerk, app, delivery="post", on=later)
        elif fate < 0.9:
            result, result_on = "other.other", later
            step(s.application_withdraw, clerk, app, on=later)
        else:
            notice = received + dt.timedelta(days=1)
            abandoned = received + dt.timedelta(days=30)
            step(
                s.application_request_correction,
                clerk,
                app,
                items="写明文号",
                supplement_deadline=received + dt.timedelta(days=15),
                on=notice,
            )
            if abandoned <= TODAY:
                result, result_on = "other.no_correction", abandoned
                step(s.application_abandon_correction, clerk, app, on=abandoned)
        plan.append(Planned(received, column, result, result_on))
    return plan


def expected_table(plan: list[Planned], year: int) -> Counter[tuple[str, str]]:
    """(row, column) → count, from the plan alone, by the definitions of table 三."""
    start, end = D(year, 1, 1), D(year, 12, 31)
    counts: Counter[tuple[str, str]] = Counter()
    for case in plan:
        if case.received > end or (case.result_on is not None and case.result_on < start):
            continue
        counts["new" if case.received >= start else "carried_in", case.applicant_type] += 1
        if case.result_on is not None and case.result_on <= end:
            assert case.result is not None
            counts[case.result, case.applicant_type] += 1
            counts["results_total", case.applicant_type] += 1
        else:
            counts["carried_out", case.applicant_type] += 1
    return counts


def report(unit: str, year: int, t3: dict[str, Any], t4: dict[str, Any]) -> AnnualReport:
    zeros = {
        table.code: {row.code: {c.code: 0 for c in table.columns} for row in table.cell_rows}
        for table in FORMAT_2021.section2
    }
    return AnnualReport.model_validate(
        {
            "meta": {"unit": unit, "year": year, "format_version": "2021", "kind": "government"},
            "tables": {**zeros, "t3": t3, "t4": t4},
        }
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_table3_from_the_cases_matches_the_definitions_and_passes_the_core_rules(
    world: World, clerk: User, seed: int
) -> None:
    # given generated cases over two years
    plan = generate(clerk, world.district, seed)

    # when both years' tables are computed
    tables = {
        year: carry_over.table3_cells(user=clerk, unit=world.district, year=year)
        for year in (2023, 2024)
    }

    # then each cell is what the definitions give
    for year, cells in tables.items():
        want = expected_table(plan, year)
        for (row, column), n in want.items():
            assert cells[row][column] == n, (year, row, column)
        assert sum(cells[r][c.code] for r in cells for c in APPLICANT_COLUMNS) == sum(want.values())
    # and the year-end set is the same on both sides, and the listed open cases
    assert tables[2023]["carried_out"] == tables[2024]["carried_in"]
    open_2024 = carry_over.open_at_year_end(user=clerk, unit=world.district, year=2024)
    assert open_2024.count() == tables[2024]["carried_out"]["total"]
    # and the core rules find no error, previous year included
    reports = {
        year: report(
            world.district.name,
            year,
            tables[year],
            table4_cells(user=clerk, unit=world.district, year=year),
        )
        for year in (2023, 2024)
    }
    findings = check_report(reports[2024], previous=reports[2023], today=D(2025, 1, 20))
    assert [f.message for f in findings if f.is_error] == []


def test_the_table_has_every_cell_of_the_format_even_without_cases(
    world: World, clerk: User
) -> None:
    cells = carry_over.table3_cells(user=clerk, unit=world.district, year=2024)
    table = FORMAT_2021.table3
    assert set(cells) == {row.code for row in table.cell_rows}
    assert all(set(v) == {c.code for c in table.columns} for v in cells.values())
    assert all(n == 0 for v in cells.values() for n in v.values())


def test_the_year_end_service_notes_open_cases_once(
    world: World, clerk: User, today: Today
) -> None:
    plan = generate(clerk, world.district, seed=7, n=20)
    still_open = sum(1 for p in plan if p.result_on is None or p.result_on > D(2024, 12, 31))
    still_open -= sum(1 for p in plan if p.received > D(2024, 12, 31))

    noted = carry_over.carry_over_year_end(acting_user=clerk, unit=world.district, year=2024)
    again = carry_over.carry_over_year_end(acting_user=clerk, unit=world.district, year=2024)

    assert len(noted) == still_open > 0
    assert again == []
    events = ApplicationEvent.objects.filter(kind=EventKind.CARRIED_OVER)
    assert events.count() == still_open
    assert {e.date for e in events} == {D(2024, 12, 31)}
    assert {e.data["into"] for e in events} == {2025}
    # the note changes no count
    cells = carry_over.table3_cells(user=clerk, unit=world.district, year=2024)
    assert cells["carried_out"]["total"] == still_open


def test_the_year_end_service_waits_for_the_year_end_and_the_units_own_staff(
    world: World, clerk: User, today: Today
) -> None:
    generate(clerk, world.district, seed=8, n=5)
    today.day = D(2024, 12, 30)
    with pytest.raises(s.ApplicationError, match="不能晚于今天（2024-12-30）"):
        carry_over.carry_over_year_end(acting_user=clerk, unit=world.district, year=2024)
    assert not ApplicationEvent.objects.filter(kind=EventKind.CARRIED_OVER).exists()
    today.day = TODAY
    outsider = world.member(Role.CLERK, world.other_district)
    with pytest.raises(AccessDeniedError):
        carry_over.carry_over_year_end(acting_user=outsider, unit=world.district, year=2024)
