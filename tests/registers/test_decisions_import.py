"""Monthly decision counts imported from Excel: all or nothing, refusals naming row and column."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import Workbook  # type: ignore[import-untyped]

from gongkai.agencies.gatekeeper import AccessDeniedError
from gongkai.agencies.models import Role
from gongkai.core.errors import GongkaiError
from gongkai.core.formats import S2_ART20_5, S2_ART20_6, S2_DECISIONS, S2_LICENSING, S2_PENALTY
from gongkai.registers import selectors
from gongkai.registers.decisions_import import decision_counts_import
from gongkai.registers.models import COERCION, LICENSING, DecisionCount

from .conftest import World

HEADER = ("月份", "行政许可", "行政处罚", "行政强制")


def workbook(
    *rows: tuple[Any, ...], title: tuple[Any, ...] | None = ("2021年行政执法决定统计",)
) -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append(title)
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(user: Any, unit: Any, data: bytes, filename: str = "统计.xlsx") -> Any:
    return decision_counts_import(
        acting_user=user, unit=unit, year=2021, data=data, filename=filename
    )


def test_a_year_is_imported_in_the_shapes_offices_write(world: World, clerk: Any) -> None:
    data = workbook(
        (1, 10, 2, None),
        ("2月", "11", 0, 1),
        ("2021-03", 12.0, None, None),
        (dt.date(2021, 4, 1), 13, 1, 0),
        ("2021年5月", "1,000", None, None),
        ("合计", 1046, 3, 1),
    )

    result = run(clerk, world.district, data)

    assert result.months == (1, 2, 3, 4, 5)
    cells = selectors.section2_cells(unit=world.district, year=2021)
    assert cells[S2_ART20_5][S2_LICENSING][S2_DECISIONS] == 1046
    assert cells[S2_ART20_6][S2_PENALTY][S2_DECISIONS] == 3
    assert selectors.decision_grid(unit=world.district, year=2021)[COERCION][:5] == [
        None,
        1,
        None,
        0,
        None,
    ]


def test_a_second_import_corrects_the_months_it_holds(world: World, clerk: Any) -> None:
    run(clerk, world.district, workbook((1, 10, None, None), (2, 20, None, None)))
    run(clerk, world.district, workbook((2, 21, None, None)))

    assert selectors.decision_grid(unit=world.district, year=2021)[LICENSING][:2] == [10, 21]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (((1, 10, None, None), (2, -1, None, None)), "第 4 行“行政许可”列的数量不能为负数"),
        (((1, 1.5, None, None),), "第 3 行“行政许可”列“1.5”不是整数"),
        (((1, "十", None, None),), "第 3 行“行政许可”列“十”不是数量"),
        (((13, 1, None, None),), "第 3 行的月份 13 无效"),
        ((("2020-05", 1, None, None),), "第 3 行的月份属于 2020 年"),
        ((("春季", 1, None, None),), "第 3 行的月份“春季”无法识别"),
        (((1, 1, None, None), ("1月", 2, None, None)), "第 4 行与第 3 行都是 1 月"),
        (((1, None, None, None),), "没有任何月份的数量"),
    ],
)
def test_one_bad_cell_refuses_the_whole_file(
    world: World, clerk: Any, rows: tuple[tuple[Any, ...], ...], message: str
) -> None:
    with pytest.raises(GongkaiError, match=message):
        run(clerk, world.district, workbook(*rows))
    assert not DecisionCount.objects.exists()


def test_a_file_without_the_header_or_not_excel_is_refused(world: World, clerk: Any) -> None:
    book = Workbook()
    book.active.append(("序号", "事项"))
    buffer = io.BytesIO()
    book.save(buffer)

    with pytest.raises(GongkaiError, match="没有找到表头"):
        run(clerk, world.district, buffer.getvalue())
    with pytest.raises(GongkaiError, match="不是 Excel 工作簿"):
        run(clerk, world.district, b"1,2,3", filename="统计.csv")


def test_a_supervisor_may_not_import(world: World) -> None:
    with pytest.raises(AccessDeniedError):
        run(world.member(Role.SUPERVISOR), world.district, workbook((1, 1, None, None)))
