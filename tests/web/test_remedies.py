"""Reconsideration and litigation cases, and table 四 computed from them.

A case counts in the year it was filed; a case with no result by 31 December is 尚未审结 in that
year's table even if it was decided later. Table 四's codes come from ``formats.TABLE4``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User

from gongkai.agencies.gatekeeper import AccessDeniedError
from gongkai.agencies.models import Role
from gongkai.applications import services as s
from gongkai.applications.models import Application
from gongkai.core.formats import TABLE4
from gongkai.remedies import selectors, services
from gongkai.remedies.models import Remedy

from . import conftest
from .conftest import World

D = dt.date


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s, "_today", lambda: D(2024, 6, 28))


def application(clerk: User, unit: Any, name: str = "张三") -> Application:
    return conftest.register(
        clerk,
        unit,
        applicant_name=name,
        description="城区道路改造工程的立项批复",
        submitted_on=D(2024, 3, 4),
    )


def register(clerk: User, app: Application, kind: str, filed: dt.date, **kw: Any) -> Remedy:
    return services.remedy_register(
        acting_user=clerk,
        application_id=app.pk,
        kind=kind,
        authority="泉州市人民政府" if kind == "reconsideration" else "泉州市中级人民法院",
        filed_on=filed,
        **kw,
    )


def decide(clerk: User, remedy: Remedy, result: str, on: dt.date) -> Remedy:
    return services.remedy_record_result(
        acting_user=clerk,
        remedy_id=remedy.pk,
        expected_version=Remedy.objects.get(pk=remedy.pk).version,
        result=result,
        decided_on=on,
    )


def zeros() -> dict[str, dict[str, int]]:
    return {row.code: {col.code: 0 for col in TABLE4.columns} for row in TABLE4.rows}


def test_table4_counts_by_kind_and_result_with_pending_at_year_end(
    world: World, clerk: User
) -> None:
    # given, for applications of the district in 2024:
    app = application(clerk, world.district)
    upheld = register(clerk, app, "reconsideration", D(2024, 4, 10))
    decide(clerk, upheld, "upheld", D(2024, 5, 20))
    corrected = register(clerk, app, "reconsideration", D(2024, 4, 12))
    decide(clerk, corrected, "corrected", D(2024, 6, 1))
    register(clerk, app, "reconsideration", D(2024, 6, 2))  # pending
    register(clerk, app, "litigation_direct", D(2024, 5, 2))  # pending
    after = register(clerk, app, "litigation_after", D(2024, 6, 3), reconsideration_id=upheld.pk)
    decide(clerk, after, "other", D(2024, 6, 20))
    # and one against another unit's application, which must not count
    township_clerk = world.member(Role.CLERK, world.township)
    register(
        township_clerk,
        application(township_clerk, world.township),
        "reconsideration",
        D(2024, 5, 5),
    )

    # when the district's table 四 for 2024 is computed
    cells = selectors.table4_cells(user=clerk, unit=world.district, year=2024)

    # then
    expected = zeros()
    expected["reconsideration"].update(upheld=1, corrected=1, pending=1, total=3)
    expected["litigation_direct"].update(pending=1, total=1)
    expected["litigation_after"].update(other=1, total=1)
    assert cells == expected
    assert selectors.table4_cells(user=clerk, unit=world.district, year=2023) == zeros()


def test_a_case_decided_after_the_year_end_is_pending_in_that_years_table(
    world: World, clerk: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = application(clerk, world.district)
    remedy = register(clerk, app, "reconsideration", D(2024, 4, 10))
    Remedy.objects.filter(pk=remedy.pk).update(result="upheld", decided_on=D(2025, 1, 15))

    cells = selectors.table4_cells(user=clerk, unit=world.district, year=2024)
    assert cells["reconsideration"] == {**zeros()["reconsideration"], "pending": 1, "total": 1}


def test_a_supervisor_sees_the_subtree_sum(world: World, clerk: User) -> None:
    register(clerk, application(clerk, world.district), "reconsideration", D(2024, 4, 10))
    township_clerk = world.member(Role.CLERK, world.township)
    register(
        township_clerk,
        application(township_clerk, world.township),
        "litigation_direct",
        D(2024, 4, 11),
    )
    supervisor = world.member(Role.SUPERVISOR)

    cells = selectors.table4_cells(
        user=supervisor, unit=world.district, year=2024, include_subunits=True
    )
    assert cells["reconsideration"]["pending"] == 1
    assert cells["litigation_direct"]["pending"] == 1
    with pytest.raises(AccessDeniedError):
        selectors.table4_cells(user=township_clerk, unit=world.district, year=2024)


@pytest.mark.parametrize(
    ("_case", "kwargs", "message"),
    [
        ("unknown kind", {"kind": "appeal"}, "未知的案件类别 'appeal'"),
        (
            "before receipt",
            {"filed_on": D(2024, 3, 1)},
            "早于申请 泉港区政府办-2024-0001 的收到日期",
        ),
        ("future", {"filed_on": D(2099, 1, 1)}, "不能晚于今天"),
        ("after without link", {"kind": "litigation_after"}, "须关联此前就同一申请提出的行政复议"),
        ("blank authority", {"authority": " "}, "请填写行政复议的复议机关或人民法院名称"),
    ],
)
def test_impossible_registrations_are_refused_and_nothing_is_written(
    world: World, clerk: User, _case: str, kwargs: dict[str, Any], message: str
) -> None:
    app = application(clerk, world.district)
    fields: dict[str, Any] = {
        "kind": "reconsideration",
        "authority": "泉州市人民政府",
        "filed_on": D(2024, 4, 10),
        **kwargs,
    }
    with pytest.raises(services.RemedyError, match=message):
        services.remedy_register(acting_user=clerk, application_id=app.pk, **fields)
    assert Remedy.objects.count() == 0


def test_litigation_after_needs_a_decided_reconsideration_of_the_same_application(
    world: World, clerk: User
) -> None:
    app = application(clerk, world.district)
    other = application(clerk, world.district, name="李四")
    pending = register(clerk, app, "reconsideration", D(2024, 4, 10))
    elsewhere = register(clerk, other, "reconsideration", D(2024, 4, 10))
    decide(clerk, elsewhere, "upheld", D(2024, 5, 1))

    with pytest.raises(services.RemedyError, match="尚未审结，不能登记复议后起诉"):
        register(clerk, app, "litigation_after", D(2024, 6, 1), reconsideration_id=pending.pk)
    with pytest.raises(services.RemedyError, match="不是就同一申请提出的行政复议"):
        register(clerk, app, "litigation_after", D(2024, 6, 1), reconsideration_id=elsewhere.pk)
    decide(clerk, pending, "upheld", D(2024, 5, 20))
    with pytest.raises(services.RemedyError, match="早于行政复议的审结日期 2024-05-20"):
        register(clerk, app, "litigation_after", D(2024, 5, 19), reconsideration_id=pending.pk)
    with pytest.raises(services.RemedyError, match="只有“复议后起诉”需要关联"):
        register(clerk, app, "litigation_direct", D(2024, 6, 1), reconsideration_id=pending.pk)


def test_results_are_checked_and_a_stale_version_loses(world: World, clerk: User) -> None:
    app = application(clerk, world.district)
    remedy = register(clerk, app, "reconsideration", D(2024, 4, 10))
    with pytest.raises(services.RemedyError, match="未知的审结结果 'pending'"):
        decide(clerk, remedy, "pending", D(2024, 5, 1))
    with pytest.raises(services.RemedyError, match="早于申请（立案）日期 2024-04-10"):
        decide(clerk, remedy, "upheld", D(2024, 4, 1))
    decide(clerk, remedy, "upheld", D(2024, 5, 1))
    with pytest.raises(s.StaleVersionError, match="已被他人修改"):
        services.remedy_record_result(
            acting_user=clerk,
            remedy_id=remedy.pk,
            expected_version=1,
            result="corrected",
            decided_on=D(2024, 5, 2),
        )
    assert Remedy.objects.get(pk=remedy.pk).result == "upheld"


def test_other_units_cannot_register_or_decide(world: World, clerk: User) -> None:
    app = application(clerk, world.district)
    remedy = register(clerk, app, "reconsideration", D(2024, 4, 10))
    outsider = world.member(Role.CLERK, world.other_district)
    with pytest.raises(AccessDeniedError):
        register(outsider, app, "reconsideration", D(2024, 4, 10))
    with pytest.raises(services.RemedyError, match="未找到"):
        decide(outsider, remedy, "upheld", D(2024, 5, 1))
