"""Art 20 (五)(六)(八): monthly decision counts and the year's fees, into section 二's cells."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from gongkai.agencies.gatekeeper import AccessDeniedError
from gongkai.agencies.models import Role
from gongkai.core.formats import (
    S2_ADMIN_FEES,
    S2_ART20_5,
    S2_ART20_6,
    S2_ART20_8,
    S2_COERCION,
    S2_DECISIONS,
    S2_FEE_AMOUNT,
    S2_LICENSING,
    S2_MADE,
    S2_NORMATIVE,
    S2_PENALTY,
    S2_RULES,
    FormatError,
    format_for_year,
)
from gongkai.core.model import AnnualReport
from gongkai.registers import selectors, services
from gongkai.registers.models import COERCION, LICENSING, PENALTY, DecisionCount
from gongkai.registers.services import RegisterError

from .conftest import World


def set_count(user: Any, unit: Any, month: int, kind: str, count: int, year: int = 2021) -> None:
    services.decision_count_set(
        acting_user=user, unit=unit, year=year, month=month, kind=kind, count=count
    )


def test_months_add_up_and_a_correction_replaces(world: World, clerk: Any) -> None:
    set_count(clerk, world.district, 1, LICENSING, 120)
    set_count(clerk, world.district, 2, LICENSING, 80)
    set_count(clerk, world.district, 2, LICENSING, 81)  # corrected
    set_count(clerk, world.district, 3, PENALTY, 7)
    set_count(clerk, world.district, 3, PENALTY, 0, year=2022)

    cells = selectors.section2_cells(unit=world.district, year=2021)

    assert cells[S2_ART20_5][S2_LICENSING][S2_DECISIONS] == 201
    assert cells[S2_ART20_6][S2_PENALTY][S2_DECISIONS] == 7
    # nothing entered for 行政强制: blank, not a zero nobody stated
    assert cells[S2_ART20_6][S2_COERCION][S2_DECISIONS] is None
    assert selectors.decision_grid(unit=world.district, year=2021)[LICENSING][:3] == [120, 81, None]


def test_fees_are_decimal_wan_yuan(world: World, head: Any) -> None:
    assert (
        selectors.section2_cells(unit=world.district, year=2021)[S2_ART20_8][S2_ADMIN_FEES][
            S2_FEE_AMOUNT
        ]
        is None
    )
    services.admin_fee_set(
        acting_user=head, unit=world.district, year=2021, amount="1,234.5678万元"
    )

    amount = selectors.section2_cells(unit=world.district, year=2021)[S2_ART20_8][S2_ADMIN_FEES][
        S2_FEE_AMOUNT
    ]
    assert amount == Decimal("1234.5678")
    assert isinstance(amount, Decimal)


def test_the_cells_make_a_valid_report_of_the_format(world: World, clerk: Any) -> None:
    set_count(clerk, world.district, 1, COERCION, 3)
    services.admin_fee_set(acting_user=clerk, unit=world.district, year=2021, amount="0.35")
    cells = selectors.section2_cells(unit=world.district, year=2021)
    fmt = format_for_year(2021)

    report = AnnualReport.model_validate(
        {
            "meta": {"unit": world.district.name, "year": 2021, "format_version": fmt.version},
            "tables": cells,
        }
    )

    assert set(cells) == {t.code for t in fmt.section2}
    assert report.cell(S2_ART20_6, S2_COERCION, S2_DECISIONS) == 3


def test_the_2019_format_gets_what_the_registers_can_state(world: World, clerk: Any) -> None:
    set_count(clerk, world.district, 6, LICENSING, 5, year=2020)
    cells = selectors.section2_cells(unit=world.district, year=2020)

    assert set(cells) == {t.code for t in format_for_year(2020).section2}
    assert cells[S2_NORMATIVE][S2_RULES][S2_MADE] == 0
    assert cells[S2_ART20_5][S2_LICENSING][S2_DECISIONS] == 5
    with pytest.raises(FormatError):
        selectors.section2_cells(unit=world.district, year=2018)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"count": -1}, "决定数量不能为负数（-1）"),
        ({"count": 1.5}, "决定数量应为整数"),
        ({"month": 13}, "月份 13 无效"),
        ({"year": 2018}, "年度 2018 不在可登记的范围内"),
        ({"year": 2999}, "年度 2999 不在可登记的范围内"),
        ({"kind": "inspection"}, "未知的决定类别 'inspection'"),
    ],
)
def test_bad_counts_are_refused(
    world: World, clerk: Any, fields: dict[str, Any], message: str
) -> None:
    values: dict[str, Any] = {"year": 2021, "month": 1, "kind": LICENSING, "count": 1, **fields}
    with pytest.raises(RegisterError, match=message.replace("(", r"\(").replace(")", r"\)")):
        services.decision_count_set(acting_user=clerk, unit=world.district, **values)
    assert not DecisionCount.objects.exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-1", "收费金额不能为负数"),
        ("abc", "收费金额“abc”不是数字"),
        ("NaN", "不是数字"),
        ("1.23456", "小数位过多"),
        ("99999999999", "超出可登记的范围"),
    ],
)
def test_bad_fees_are_refused(world: World, clerk: Any, amount: str, message: str) -> None:
    with pytest.raises(RegisterError, match=message):
        services.admin_fee_set(acting_user=clerk, unit=world.district, year=2021, amount=amount)


def test_only_the_units_own_staff_enter_counts(world: World) -> None:
    for user in (world.member(Role.SUPERVISOR), world.member(Role.CLERK, world.township)):
        with pytest.raises(AccessDeniedError):
            set_count(user, world.district, 1, LICENSING, 1)
        with pytest.raises(AccessDeniedError):
            services.admin_fee_set(acting_user=user, unit=world.district, year=2021, amount="1")


@pytest.mark.parametrize(
    ("typed", "stated"), [("12.35", "12.35"), ("100", "100"), ("0.0001", "0.0001"), ("0", "0")]
)
def test_the_fee_is_stated_without_stored_trailing_zeros(
    world: World, clerk: Any, typed: str, stated: str
) -> None:
    fee = services.admin_fee_set(acting_user=clerk, unit=world.district, year=2021, amount=typed)
    fee.refresh_from_db()

    cell = selectors.section2_cells(unit=world.district, year=2021)[S2_ART20_8][S2_ADMIN_FEES]
    assert str(cell[S2_FEE_AMOUNT]) == stated
    assert fee.amount_shown == stated
