"""The district's roll-up (issue 11 §4): the sum of the latest published reports of the units of
the supervisor's subtree, the units that have not published, the drill-down from a cell to the
units, and its publication by the supervising office as a roll-up version of its own."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from gongkai.agencies.gatekeeper import AccessDeniedError
from gongkai.agencies.models import Role, Unit
from gongkai.applications import services as s
from gongkai.core.formats import COL_TOTAL, SECTION_OTHER, SECTIONS, T3, T3_NEW
from gongkai.core.model import ReportKind
from gongkai.core.narrative import check_narrative
from gongkai.reports.checks import errors
from gongkai.reports.models import PublishedReport
from gongkai.reports.selectors import published_versions, rollup_for
from gongkai.reports.services import (
    ReportError,
    narrative_save,
    report_publish,
    rollup_publish,
)

from .conftest import World, register

D = dt.date
NEW = (T3, T3_NEW, COL_TOTAL)
SECTION_OVERVIEW = next(s.code for s in SECTIONS if s.number == "一")


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s, "_today", lambda: D(2025, 3, 3))


@pytest.fixture
def supervisor(world: World) -> Any:
    return world.member(Role.SUPERVISOR)


def _member(world: World, role: Role, unit: Unit | None = None) -> Any:
    """The member of ``role`` in ``unit`` (the district by default), created once."""
    unit = unit or world.district
    found = get_user_model().objects.filter(username=f"{role.value}_{unit.pk}").first()
    return found or world.member(role, unit)


def _cases_and_publish(world: World, *, township: bool = True) -> None:
    """Two cases in the district, one in each child; each unit's head publishes 2024."""
    units = [world.district, world.department] + ([world.township] if township else [])
    for unit in units:
        clerk = _member(world, Role.CLERK, unit)
        register(clerk, unit, submitted_on=D(2024, 3, 4))
        if unit == world.district:
            register(clerk, unit, submitted_on=D(2024, 5, 6))
        report_publish(acting_user=_member(world, Role.HEAD, unit), unit_id=unit.pk, year=2024)


def test_the_roll_up_sums_the_units_and_names_who_has_not_published(
    world: World, supervisor: Any
) -> None:
    _cases_and_publish(world, township=False)

    draft = rollup_for(user=supervisor, unit_id=world.district.pk, year=2024)

    assert draft.rollup is not None
    assert draft.rollup.report.cell(*NEW) == 3
    assert draft.rollup.report.meta.kind is ReportKind.ROLLUP
    assert draft.rollup.report.meta.unit == world.district.name
    assert [u.name for u in draft.missing] == [world.township.name]
    assert not draft.publishable
    assert dict(draft.rollup.contributions(*NEW)) == {
        world.district.name: 2,
        world.department.name: 1,
    }


def test_the_roll_up_speaks_of_the_summed_tables_in_the_offices_words(
    world: World, supervisor: Any
) -> None:
    """The district office's prose, its placeholders bound to the roll-up's tables; section 六
    sums the fee sentences the published reports state."""
    _cases_and_publish(world)
    narrative_save(
        acting_user=_member(world, Role.CLERK),
        unit_id=world.district.pk,
        year=2024,
        section=SECTION_OVERVIEW,
        text="全区共新收政府信息公开申请{三.本年新收}件。",
    )

    draft = rollup_for(user=supervisor, unit_id=world.district.pk, year=2024)

    assert draft.rollup is not None
    narrative = draft.rollup.report.narrative
    assert narrative[SECTION_OVERVIEW] == "全区共新收政府信息公开申请4件。"
    assert narrative[SECTION_OTHER].startswith("本年度未发出收费通知，未收取信息处理费。")
    assert errors(check_narrative(draft.rollup.report)) == []


def test_the_roll_up_takes_each_units_latest_version(world: World, supervisor: Any) -> None:
    _cases_and_publish(world)
    clerk = _member(world, Role.CLERK, world.township)
    register(clerk, world.township, submitted_on=D(2024, 7, 1))
    head = _member(world, Role.HEAD, world.township)
    report_publish(acting_user=head, unit_id=world.township.pk, year=2024, reason="补录一件申请")

    draft = rollup_for(user=supervisor, unit_id=world.district.pk, year=2024)

    assert draft.rollup is not None and draft.rollup.report.cell(*NEW) == 5
    assert [p.version for p in draft.sources if p.unit == world.township] == [2]


def test_nothing_published_gives_no_roll_up(world: World, supervisor: Any) -> None:
    draft = rollup_for(user=supervisor, unit_id=world.district.pk, year=2024)

    assert draft.rollup is None
    assert len(draft.missing) == 3


@pytest.mark.parametrize("role", [Role.CLERK, Role.HEAD])
def test_who_does_not_read_the_whole_subtree_sees_no_roll_up(world: World, role: Role) -> None:
    with pytest.raises(AccessDeniedError, match="不能查看汇总报告"):
        rollup_for(user=_member(world, role), unit_id=world.district.pk, year=2024)


def test_a_supervisor_reads_no_roll_up_outside_its_subtree(world: World, supervisor: Any) -> None:
    with pytest.raises(AccessDeniedError):
        rollup_for(user=supervisor, unit_id=world.other_district.pk, year=2024)


def test_the_supervisor_publishes_the_roll_up_as_its_own_versions(
    world: World, supervisor: Any
) -> None:
    _cases_and_publish(world)

    published = rollup_publish(acting_user=supervisor, unit_id=world.district.pk, year=2024)

    assert (published.is_rollup, published.version, published.unit) == (True, 1, world.district)
    assert published.report.cell(*NEW) == 4
    assert published.report.meta.kind is ReportKind.ROLLUP
    assert published.report.meta.published == D(2025, 3, 3)
    # The district's own report keeps its own versions; the roll-up is not one of them.
    own = published_versions(user=_member(world, Role.HEAD), unit_id=world.district.pk, year=2024)
    assert [(p.version, p.is_rollup) for p in own] == [(1, False)]


def test_a_roll_up_with_a_unit_missing_is_not_published(world: World, supervisor: Any) -> None:
    _cases_and_publish(world, township=False)

    with pytest.raises(ReportError, match=f"还有 1 个单位.*{world.township.name}"):
        rollup_publish(acting_user=supervisor, unit_id=world.district.pk, year=2024)
    assert not PublishedReport.objects.filter(is_rollup=True).exists()


def test_nothing_to_roll_up_is_refused(world: World, supervisor: Any) -> None:
    with pytest.raises(ReportError, match="没有可汇总"):
        rollup_publish(acting_user=supervisor, unit_id=world.district.pk, year=2024)


def test_a_corrected_roll_up_needs_a_reason_and_a_change(world: World, supervisor: Any) -> None:
    _cases_and_publish(world)
    rollup_publish(acting_user=supervisor, unit_id=world.district.pk, year=2024)

    with pytest.raises(ReportError, match="须说明更正理由"):
        rollup_publish(acting_user=supervisor, unit_id=world.district.pk, year=2024)
    with pytest.raises(ReportError, match="无需发布新版本"):
        rollup_publish(
            acting_user=supervisor, unit_id=world.district.pk, year=2024, reason="重新汇总"
        )
    register(_member(world, Role.CLERK, world.township), world.township, submitted_on=D(2024, 7, 1))
    report_publish(
        acting_user=_member(world, Role.HEAD, world.township),
        unit_id=world.township.pk,
        year=2024,
        reason="补录",
    )
    second = rollup_publish(
        acting_user=supervisor, unit_id=world.district.pk, year=2024, reason="街道更正"
    )
    assert (second.version, second.report.cell(*NEW)) == (2, 5)


@pytest.mark.parametrize("role", [Role.CLERK, Role.HEAD, Role.ADMIN])
def test_only_the_supervisor_publishes_the_roll_up(world: World, role: Role) -> None:
    _cases_and_publish(world)
    with pytest.raises(AccessDeniedError):
        rollup_publish(acting_user=_member(world, role), unit_id=world.district.pk, year=2024)


def test_a_township_supervisor_does_not_publish_the_districts_roll_up(world: World) -> None:
    _cases_and_publish(world)
    below = _member(world, Role.SUPERVISOR, world.township)
    with pytest.raises(AccessDeniedError):
        rollup_publish(acting_user=below, unit_id=world.district.pk, year=2024)


# -- the page ---------------------------------------------------------------------------------


def _page(client: Client, user: Any, unit: Unit, year: int = 2024) -> Any:
    client.force_login(user)
    return client.get(f"/reports/rollup/{unit.pk}/{year}/")


def test_the_page_shows_the_sum_the_missing_units_and_the_drill_down(
    client: Client, world: World, supervisor: Any
) -> None:
    _cases_and_publish(world, township=False)

    response = _page(client, supervisor, world.district)

    text = response.content.decode()
    assert response.status_code == 200
    assert "一、本年新收政府信息公开申请数量" in text
    assert 'id="missing"' in text and world.township.name in text
    assert "<details" in text and world.department.name in text
    assert "发布汇总报告</button>" in text and "disabled" in text


def test_the_supervisor_publishes_from_the_page(
    client: Client, world: World, supervisor: Any
) -> None:
    _cases_and_publish(world)
    _page(client, supervisor, world.district)

    response = client.post(f"/reports/rollup/{world.district.pk}/2024/", follow=True)

    text = response.content.decode()
    assert "已发布 2024 年度汇总报告第 1 版" in text
    assert "发布更正的汇总报告" in text
    assert PublishedReport.objects.get(is_rollup=True).published_by == supervisor


def test_a_clerk_is_refused_the_page(client: Client, world: World) -> None:
    response = _page(client, _member(world, Role.CLERK), world.district)

    assert response.status_code in (403, 404)


def test_the_units_report_page_links_the_supervisor_to_the_roll_up(
    client: Client, world: World, supervisor: Any
) -> None:
    client.force_login(supervisor)
    text = client.get(f"/reports/{world.district.pk}/2024/").content.decode()

    assert f'href="/reports/rollup/{world.district.pk}/2024/"' in text
