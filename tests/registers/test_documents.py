"""Normative documents: registered, repealed, refused; their counts derived, never typed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.agencies.gatekeeper import AccessDeniedError
from gongkai.agencies.models import Role
from gongkai.core.formats import (
    S2_IN_FORCE,
    S2_ISSUED,
    S2_NORMATIVE,
    S2_NORMATIVE_DOCUMENTS,
    S2_REPEALED,
    S2_RULES,
)
from gongkai.registers import selectors, services
from gongkai.registers.models import NORMATIVE, RULE, NormativeDocument
from gongkai.registers.services import RegisterError

from .conftest import World

D = dt.date


def add(user: Any, unit: Any, number: str, issued: dt.date, **extra: Any) -> NormativeDocument:
    fields: dict[str, Any] = {"kind": NORMATIVE, "title": f"关于{number}的通知", **extra}
    return services.normative_document_create(
        acting_user=user, unit=unit, number=number, issued_on=issued, **fields
    )


def test_counts_are_derived_from_the_dates(world: World, clerk: Any) -> None:
    add(clerk, world.district, "泉港政〔2020〕1号", D(2020, 5, 1))
    old = add(clerk, world.district, "泉港政〔2020〕2号", D(2020, 6, 1))
    add(clerk, world.district, "泉港政〔2021〕1号", D(2021, 3, 1))
    add(clerk, world.district, "泉港政〔2021〕2号", D(2021, 4, 1), repealed_on=D(2021, 12, 31))
    add(clerk, world.district, "泉港区人民政府令第1号", D(2021, 7, 1), kind=RULE)
    services.normative_document_repeal(
        acting_user=clerk, document_id=old.pk, repealed_on=D(2021, 9, 30)
    )

    cells = selectors.section2_cells(unit=world.district, year=2021)[S2_NORMATIVE]

    assert cells[S2_NORMATIVE_DOCUMENTS] == {S2_ISSUED: 2, S2_REPEALED: 2, S2_IN_FORCE: 2}
    assert cells[S2_RULES] == {S2_ISSUED: 1, S2_REPEALED: 0, S2_IN_FORCE: 1}
    # the cross-year rule: in force = last year's in force + issued − repealed
    issued, repealed, in_force = selectors.document_counts(unit=world.district, year=2021)[
        NORMATIVE
    ]
    assert selectors.document_counts(unit=world.district, year=2020)[NORMATIVE] == (2, 0, 2)
    assert in_force == 2 + issued - repealed


def test_other_units_documents_do_not_count(world: World, clerk: Any) -> None:
    other = world.member(Role.CLERK, world.township)
    add(other, world.township, "泉港山腰〔2021〕1号", D(2021, 3, 1))

    cells = selectors.section2_cells(unit=world.district, year=2021)[S2_NORMATIVE]

    assert cells[S2_NORMATIVE_DOCUMENTS][S2_ISSUED] == 0


def test_a_duplicate_number_is_refused_even_with_other_spacing(world: World, clerk: Any) -> None:
    add(clerk, world.district, "泉港政〔2021〕1号", D(2021, 3, 1))

    with pytest.raises(RegisterError, match="文号“泉港政〔2021〕1号”已登记"):
        add(clerk, world.district, " 泉港政 〔2021〕1号", D(2021, 4, 1))
    assert NormativeDocument.objects.count() == 1


def test_the_same_number_in_another_unit_is_allowed(world: World, clerk: Any) -> None:
    add(clerk, world.district, "〔2021〕1号", D(2021, 3, 1))
    other = world.member(Role.CLERK, world.township)
    add(other, world.township, "〔2021〕1号", D(2021, 3, 1))

    assert NormativeDocument.objects.count() == 2


def test_a_repeal_before_the_issue_is_refused(world: World, clerk: Any) -> None:
    with pytest.raises(RegisterError, match="废止日期 2021-02-01 早于印发日期 2021-03-01"):
        add(clerk, world.district, "泉港政〔2021〕1号", D(2021, 3, 1), repealed_on=D(2021, 2, 1))
    document = add(clerk, world.district, "泉港政〔2021〕2号", D(2021, 3, 1))
    with pytest.raises(RegisterError, match="早于印发日期"):
        services.normative_document_repeal(
            acting_user=clerk, document_id=document.pk, repealed_on=D(2021, 2, 28)
        )
    document.refresh_from_db()
    assert document.repealed_on is None


def test_a_document_is_repealed_only_once(world: World, clerk: Any) -> None:
    document = add(clerk, world.district, "泉港政〔2021〕1号", D(2021, 3, 1))
    services.normative_document_repeal(
        acting_user=clerk, document_id=document.pk, repealed_on=D(2022, 1, 5)
    )
    with pytest.raises(RegisterError, match="已于 2022-01-05 废止，不能再次废止"):
        services.normative_document_repeal(
            acting_user=clerk, document_id=document.pk, repealed_on=D(2022, 2, 5)
        )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"number": "  "}, "请填写文号"),
        ({"title": " "}, "请填写文件“泉港政〔2021〕1号”的标题"),
        ({"kind": "decree"}, "未知的文件类别 'decree'"),
        ({"issued_on": D(2999, 1, 1)}, "印发日期（2999-01-01）不能晚于今天"),
        ({"repealed_on": D(2999, 1, 1)}, "废止日期（2999-01-01）不能晚于今天"),
    ],
)
def test_bad_input_is_refused_in_chinese(
    world: World, clerk: Any, fields: dict[str, Any], message: str
) -> None:
    values: dict[str, Any] = {
        "kind": NORMATIVE,
        "number": "泉港政〔2021〕1号",
        "title": "关于印发的通知",
        "issued_on": D(2021, 3, 1),
        **fields,
    }
    with pytest.raises(RegisterError, match=message.replace("(", r"\(").replace(")", r"\)")):
        services.normative_document_create(acting_user=clerk, unit=world.district, **values)
    assert not NormativeDocument.objects.exists()


def test_head_may_enter_supervisor_and_other_units_may_not(world: World, head: Any) -> None:
    add(head, world.district, "泉港政〔2021〕1号", D(2021, 3, 1))
    supervisor = world.member(Role.SUPERVISOR)
    stranger = world.member(Role.CLERK, world.other_district)

    for user in (supervisor, stranger):
        with pytest.raises(AccessDeniedError):
            add(user, world.district, "泉港政〔2021〕9号", D(2021, 3, 1))
    document = NormativeDocument.objects.get()
    with pytest.raises(AccessDeniedError):
        services.normative_document_repeal(
            acting_user=supervisor, document_id=document.pk, repealed_on=D(2021, 5, 1)
        )


def test_a_supervisor_reads_the_subtree(world: World) -> None:
    township_clerk = world.member(Role.CLERK, world.township)
    add(township_clerk, world.township, "泉港山腰〔2021〕1号", D(2021, 3, 1))
    supervisor = world.member(Role.SUPERVISOR)

    assert selectors.normative_documents(user=supervisor, unit=world.township).count() == 1
    assert world.township in selectors.register_units(user=supervisor)
    assert not selectors.normative_documents(user=township_clerk, unit=world.district).exists()


@pytest.mark.parametrize(
    "typed",
    [
        "泉港政[2021]1号",
        "泉港政［2021］1号",
        "泉港政【2021】1号",
        "泉港政（2021）1号",
        "泉港政 (2021) 1号",
    ],
)
def test_a_number_typed_with_other_brackets_is_the_same_number(
    world: World, clerk: Any, typed: str
) -> None:
    add(clerk, world.district, "泉港政〔2021〕1号", D(2021, 3, 1))

    assert services.normalize_number(typed) == "泉港政〔2021〕1号"
    with pytest.raises(RegisterError, match="已登记"):
        add(clerk, world.district, typed, D(2021, 3, 1))
