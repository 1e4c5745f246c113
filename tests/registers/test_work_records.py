"""The work the narrative reports: platforms, training, appraisal, accountability, tasks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.agencies.gatekeeper import AccessDeniedError
from gongkai.agencies.models import Role
from gongkai.registers import selectors, services
from gongkai.registers.models import (
    APPRAISAL,
    CLOSED,
    MERGED,
    NEW_MEDIA,
    OPENED,
    TRAINING,
    WEBSITE,
    WorkRecord,
)
from gongkai.registers.services import RegisterError

from .conftest import World

D = dt.date


def record(user: Any, unit: Any, kind: str, name: str, day: dt.date, **extra: Any) -> Any:
    return services.work_record_create(
        acting_user=user, unit=unit, kind=kind, name=name, happened_on=day, **extra
    )


def test_the_year_is_summed_by_kind_and_change(world: World, clerk: Any) -> None:
    record(clerk, world.district, NEW_MEDIA, "泉港发布微信公众号", D(2021, 2, 1), change=OPENED)
    record(clerk, world.district, NEW_MEDIA, "某局微博", D(2021, 5, 1), change=CLOSED)
    record(clerk, world.district, NEW_MEDIA, "某镇公众号", D(2021, 6, 1), change=CLOSED)
    record(clerk, world.district, WEBSITE, "某局网站", D(2021, 7, 1), change=MERGED)
    record(clerk, world.district, TRAINING, "条例专题培训", D(2021, 4, 1), quantity=60)
    record(clerk, world.district, TRAINING, "年报培训", D(2021, 11, 1), quantity=45)
    record(clerk, world.district, TRAINING, "去年的培训", D(2020, 11, 1), quantity=99)

    lines = {line.kind: line for line in selectors.work_summary(unit=world.district, year=2021)}

    assert lines[NEW_MEDIA].by_change == {OPENED: 1, CLOSED: 2}
    assert lines[WEBSITE].by_change == {MERGED: 1}
    assert (lines[TRAINING].records, lines[TRAINING].quantity) == (2, 105)
    assert lines[APPRAISAL].records == 0 and lines[APPRAISAL].quantity is None
    assert selectors.work_records(user=clerk, unit=world.district, year=2021).count() == 6


@pytest.mark.parametrize(
    ("kind", "extra", "message"),
    [
        (WEBSITE, {}, "请选择政府网站“某网站”的变化：开设、整合、关停"),
        (TRAINING, {"change": OPENED}, "培训没有开设、整合或关停之分"),
        (APPRAISAL, {"quantity": 3}, "考核、社会评议不需要填写人次或人数"),
        (TRAINING, {"quantity": -1}, "参训人次不能为负数"),
        ("party", {}, "未知的工作记录类别 'party'"),
    ],
)
def test_bad_records_are_refused(
    world: World, clerk: Any, kind: str, extra: dict[str, Any], message: str
) -> None:
    with pytest.raises(RegisterError, match=message):
        record(clerk, world.district, kind, "某网站", D(2021, 3, 1), **extra)
    with pytest.raises(RegisterError, match="请填写培训的名称或事项"):
        record(clerk, world.district, TRAINING, " ", D(2021, 3, 1))
    assert not WorkRecord.objects.exists()


def test_only_the_units_staff_record_and_delete(world: World, head: Any) -> None:
    created = record(head, world.district, TRAINING, "培训", D(2021, 3, 1), quantity=10)
    supervisor = world.member(Role.SUPERVISOR)

    with pytest.raises(AccessDeniedError):
        record(supervisor, world.district, TRAINING, "培训", D(2021, 3, 1))
    with pytest.raises(AccessDeniedError):
        services.work_record_delete(acting_user=supervisor, record_id=created.pk)
    assert selectors.work_records(user=supervisor, unit=world.district, year=2021).count() == 1
    assert services.work_record_delete(acting_user=head, record_id=created.pk) == "培训"
    assert not WorkRecord.objects.exists()
