"""The proactive-disclosure catalogue: Art 26's 20 working days, on the deployment calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.agencies.gatekeeper import AccessDeniedError
from gongkai.agencies.models import Role
from gongkai.registers import selectors, services
from gongkai.registers.models import ART21, CATEGORY_CHOICES, ProactiveItem
from gongkai.registers.services import RegisterError

from .conftest import World

D = dt.date
TODAY = D(2022, 1, 10)
BUDGET = CATEGORY_CHOICES[6][0]  # 第二十条第（七）项 财政预算、决算


def item(user: Any, unit: Any, formed: dt.date, published: dt.date | None, **extra: Any) -> Any:
    fields: dict[str, Any] = {"category": BUDGET, "title": "2021年部门预算", **extra}
    return services.proactive_item_create(
        acting_user=user, unit=unit, formed_on=formed, published_on=published, **fields
    )


@pytest.mark.parametrize(
    ("formed", "published", "days_late"),
    [
        (D(2021, 3, 1), D(2021, 3, 29), 0),  # the 20th working day: on time
        (D(2021, 3, 1), D(2021, 3, 30), 1),
        # 清明 (5 April 2021) is not a working day: the 20th is 13 April, not 12 April
        (D(2021, 3, 15), D(2021, 4, 13), 0),
        (D(2021, 3, 15), D(2021, 4, 14), 1),
    ],
)
def test_publication_is_checked_in_working_days(
    world: World,
    clerk: Any,
    formed: dt.date,
    published: dt.date,
    days_late: int,
) -> None:
    created = item(clerk, world.district, formed, published)

    entry = selectors.publication_check(created, today=TODAY)

    assert entry.days_late == days_late
    assert entry.late is bool(days_late)


def test_an_unpublished_item_becomes_overdue(world: World, clerk: Any) -> None:
    created = item(clerk, world.district, D(2021, 12, 1), None)

    assert not selectors.publication_check(created, today=D(2021, 12, 29)).late
    assert selectors.publication_check(created, today=TODAY).late


def test_counts_by_category_feed_the_narrative(world: World, clerk: Any) -> None:
    item(clerk, world.district, D(2021, 3, 1), D(2021, 3, 2))
    item(clerk, world.district, D(2021, 3, 1), D(2021, 6, 1), title="2020年部门决算")
    item(clerk, world.district, D(2021, 5, 1), D(2021, 5, 6), category=ART21, title="征收公告")
    item(clerk, world.district, D(2020, 5, 1), D(2020, 5, 6), title="2020年预算")

    counts = selectors.catalogue_counts(unit=world.district, year=2021, today=TODAY)

    assert counts[BUDGET] == (2, 1)
    assert counts[ART21] == (1, 0)
    assert sum(published for published, _ in counts.values()) == 3
    listed = selectors.catalogue(user=clerk, unit=world.district, year=2021, today=TODAY)
    assert len(listed) == 3


def test_publishing_later_and_bad_dates(world: World, clerk: Any) -> None:
    created = item(clerk, world.district, D(2021, 3, 1), None)
    with pytest.raises(RegisterError, match="公开日期 2021-02-28 早于形成或变更日期 2021-03-01"):
        services.proactive_item_publish(
            acting_user=clerk, item_id=created.pk, published_on=D(2021, 2, 28)
        )
    services.proactive_item_publish(
        acting_user=clerk, item_id=created.pk, published_on=D(2021, 3, 5)
    )
    with pytest.raises(RegisterError, match="已于 2021-03-05 公开"):
        services.proactive_item_publish(
            acting_user=clerk, item_id=created.pk, published_on=D(2021, 3, 6)
        )
    with pytest.raises(RegisterError, match="未知的主动公开类别"):
        item(clerk, world.district, D(2021, 3, 1), None, category="20-16")
    with pytest.raises(RegisterError, match="请填写主动公开信息的名称"):
        item(clerk, world.district, D(2021, 3, 1), None, title=" ")
    with pytest.raises(RegisterError, match="早于形成或变更日期"):
        item(clerk, world.district, D(2021, 3, 1), D(2021, 2, 1))
    assert ProactiveItem.objects.count() == 1


def test_only_the_units_staff_catalogue(world: World, clerk: Any) -> None:
    created = item(clerk, world.district, D(2021, 3, 1), None)
    supervisor = world.member(Role.SUPERVISOR)

    with pytest.raises(AccessDeniedError):
        item(supervisor, world.district, D(2021, 3, 1), None)
    with pytest.raises(AccessDeniedError):
        services.proactive_item_publish(
            acting_user=supervisor, item_id=created.pk, published_on=D(2021, 3, 5)
        )
    assert len(selectors.catalogue(user=supervisor, unit=world.district, year=2021, today=TODAY))
