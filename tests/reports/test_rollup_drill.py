"""The roll-up's drill-down from a unit's cell of table 三 to the cases behind it: every nonzero
cell links to the case search filtered by unit, year, row and applicant column, and the search
lists exactly as many cases as the cell says (the same definition as the table's own count)."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from gongkai.agencies.models import Role, Unit
from gongkai.applications import services as s
from gongkai.core.formats import T3
from gongkai.reports.services import report_publish

from .conftest import World, register

D = dt.date
LINK = re.compile(r'<a href="([^"]+)" title="查看这些申请">(\d+)</a>')
FOUND = re.compile(r"共 (\d+) 件")


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s, "_today", lambda: D(2025, 3, 3))


def _member(world: World, role: Role, unit: Unit) -> Any:
    found = get_user_model().objects.filter(username=f"{role.value}_{unit.pk}").first()
    return found or world.member(role, unit)


def _case(clerk: Any, unit: Unit, received: dt.date, applicant: str, n: int) -> Any:
    fields: dict[str, Any] = {"submitted_on": received, "applicant_type": applicant}
    if applicant != "natural_person":
        fields |= {"applicant_name": f"某有限公司{n}", "id_document_number": f"9135050{n:011d}"}
    else:
        fields |= {"applicant_name": f"申请人{n}", "id_document_number": f"35050519900101{n:04d}"}
    return register(clerk, unit, **fields)


def _decide(clerk: Any, app: Any, result: str, on: dt.date) -> None:
    s.application_decide(
        acting_user=clerk,
        application_id=app.pk,
        expected_version=app.version,
        result=result,
        legal_basis="《条例》第三十六条",
        on=on,
    )


def _varied_cases(world: World, unit: Unit, offset: int) -> None:
    """Cases in every kind of cell: carried in (decided in the year, and still open), new with
    several results and applicant types, a withdrawal, carried out (open, and decided only
    after the year), and one of an earlier year the 2024 table must not count."""
    c = _member(world, Role.CLERK, unit)
    n = iter(range(offset, offset + 100))
    _decide(c, _case(c, unit, D(2023, 6, 1), "natural_person", next(n)), "disclosed", D(2023, 7, 3))
    _decide(
        c, _case(c, unit, D(2023, 11, 1), "natural_person", next(n)), "disclosed", D(2024, 1, 10)
    )
    _case(c, unit, D(2023, 12, 20), "commercial", next(n))
    _decide(
        c, _case(c, unit, D(2024, 3, 4), "natural_person", next(n)), "disclosed", D(2024, 3, 20)
    )
    _decide(
        c, _case(c, unit, D(2024, 3, 5), "natural_person", next(n)), "disclosed", D(2024, 3, 21)
    )
    _decide(
        c, _case(c, unit, D(2024, 4, 1), "commercial", next(n)), "partly_disclosed", D(2024, 4, 15)
    )
    _decide(
        c,
        _case(c, unit, D(2024, 5, 6), "natural_person", next(n)),
        "withheld.third_party",
        D(2024, 5, 20),
    )
    _decide(
        c,
        _case(c, unit, D(2024, 5, 7), "research", next(n)),
        "unavailable.not_held",
        D(2024, 5, 21),
    )
    withdrawn = _case(c, unit, D(2024, 6, 3), "natural_person", next(n))
    s.application_withdraw(
        acting_user=c,
        application_id=withdrawn.pk,
        expected_version=withdrawn.version,
        on=D(2024, 6, 5),
    )
    _case(c, unit, D(2024, 12, 2), "commercial", next(n))
    _decide(
        c, _case(c, unit, D(2024, 12, 20), "natural_person", next(n)), "disclosed", D(2025, 1, 6)
    )


def _publish_all(world: World) -> None:
    for unit in (world.district, world.department, world.township):
        report_publish(acting_user=_member(world, Role.HEAD, unit), unit_id=unit.pk, year=2024)


def _links(client: Client, unit: Unit) -> list[tuple[str, int, dict[str, list[str]]]]:
    page = client.get(reverse("reports:rollup", args=[unit.pk, 2024]))
    assert page.status_code == 200
    found = []
    for href, number in LINK.findall(page.content.decode()):
        href = html.unescape(href)
        found.append((href, int(number), parse_qs(urlsplit(href).query)))
    return found


def test_every_nonzero_cell_lists_as_many_cases_as_it_counts(world: World) -> None:
    _varied_cases(world, world.department, 0)
    _varied_cases(world, world.district, 200)  # the same cells in a sibling: the unit filter
    _publish_all(world)
    client = Client()
    client.force_login(_member(world, Role.SUPERVISOR, world.district))

    links = _links(client, world.district)

    for unit in (world.department, world.district):
        report = unit.published_reports.get(year=2024).report
        nonzero = {
            (row, column)
            for row, columns in report.tables[T3].items()
            for column, value in columns.items()
            if value
        }
        linked = {
            (q["table3_row"][0], q.get("applicant_type", ["total"])[0])
            for _, _, q in links
            if q["unit"] == [str(unit.pk)]
        }
        assert linked == nonzero and len(nonzero) > 15
    for href, number, query in links:
        assert query["table3_year"] == ["2024"]
        listed = client.get(href)
        assert listed.status_code == 200
        match = FOUND.search(listed.content.decode())
        assert match is not None, href
        assert int(match.group(1)) == number, href


def test_a_unit_reading_a_siblings_cell_finds_nothing(world: World) -> None:
    _varied_cases(world, world.district, 0)
    _publish_all(world)
    supervisor = Client()
    supervisor.force_login(_member(world, Role.SUPERVISOR, world.district))
    href = next(
        h for h, _, q in _links(supervisor, world.district) if q["unit"] == [str(world.district.pk)]
    )
    sibling = Client()
    sibling.force_login(_member(world, Role.CLERK, world.department))

    page = sibling.get(href).content.decode()

    assert "所选单位不存在，或您无权查看该单位的申请" in page
    assert "共 0 件" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"table3_row": "disclosed"}, "按年度报告表三的行查询时须填写报告年度"),
        # other.fee_unpaid is a row of the 2021 format only; 2020 used the trial format.
        (
            {"table3_row": "other.fee_unpaid", "table3_year": "2020"},
            "2020 年度报告的表三没有这一行",
        ),
    ],
)
def test_a_cell_filter_that_cannot_be_a_cell_is_refused_in_chinese(
    world: World, query: dict[str, str], message: str
) -> None:
    client = Client()
    client.force_login(_member(world, Role.CLERK, world.district))
    page = client.get(reverse("applications:search"), query).content.decode()
    assert message in page
