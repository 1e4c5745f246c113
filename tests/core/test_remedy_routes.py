"""The remedies a reply states, by result group and by the day it is served (LEGAL.md §5.5)."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.core import law
from gongkai.core.formats import (
    FORMAT_2019,
    FORMAT_2021,
    T3_NOT_PROCESSED,
    T3_UNAVAILABLE,
    T3_WITHHELD,
)
from gongkai.core.remedy_routes import (
    CONTESTED_GROUPS,
    RECONSIDERATION_LAW_2023_IN_FORCE,
    REMEDY_TABLE,
    RemedyPolicy,
    Route,
    remedies_sentence,
    remedy_route,
)
from gongkai.core.results import result_rows

D = dt.date
LAST_OLD_DAY = D(2023, 12, 31)
FIRST_NEW_DAY = D(2024, 1, 1)

# One row of every result group of the 2021 format, and the route it takes from 2024 on.
BY_GROUP = [
    pytest.param("disclosed", Route.EITHER, id="disclosed"),
    pytest.param("partly_disclosed", Route.SPLIT, id="partly_disclosed"),
    pytest.param("withheld.state_secret", Route.RECONSIDERATION_FIRST, id="withheld"),
    pytest.param("withheld.process_info", Route.RECONSIDERATION_FIRST, id="withheld_art16"),
    pytest.param("unavailable.not_held", Route.EITHER, id="unavailable"),
    pytest.param("not_processed.repeat", Route.EITHER, id="not_processed"),
    pytest.param("other.no_correction", Route.EITHER, id="other"),
]


def test_the_2023_law_starts_on_1_january_2024() -> None:
    assert RECONSIDERATION_LAW_2023_IN_FORCE == FIRST_NEW_DAY


@pytest.mark.parametrize(("result", "route"), BY_GROUP)
def test_from_2024_the_route_follows_the_result_group(result: str, route: Route) -> None:
    assert remedy_route(result, FIRST_NEW_DAY) is route
    assert remedy_route(result, D(2027, 6, 1)) is route


@pytest.mark.parametrize(("result", "route"), BY_GROUP)
def test_a_letter_served_before_2024_follows_the_old_law_either_route(
    result: str, route: Route
) -> None:
    assert remedy_route(result, LAST_OLD_DAY) is Route.EITHER
    assert remedy_route(result, D(2019, 6, 1)) is Route.EITHER


def test_every_result_row_of_every_format_has_a_route() -> None:
    for fmt in (FORMAT_2019, FORMAT_2021):
        for row, _ in result_rows(fmt.table3):
            assert remedy_route(row.code, FIRST_NEW_DAY) in Route


def test_an_unknown_result_is_refused() -> None:
    with pytest.raises(KeyError):
        remedy_route("no.such_row", FIRST_NEW_DAY)


def test_the_contested_readings_are_marked_and_cite_their_source() -> None:
    assert {T3_UNAVAILABLE, T3_NOT_PROCESSED} == CONTESTED_GROUPS
    for code in CONTESTED_GROUPS:
        assert "有争议" in REMEDY_TABLE[code].source
    assert not REMEDY_TABLE[T3_WITHHELD].contested
    assert "第二十三条第一款第（四）项" in REMEDY_TABLE[T3_WITHHELD].source


def test_a_deployment_may_read_a_contested_group_as_reconsideration_first() -> None:
    broad = RemedyPolicy(reconsideration_first=frozenset({T3_UNAVAILABLE}))
    assert remedy_route("unavailable.not_held", FIRST_NEW_DAY, broad) is Route.RECONSIDERATION_FIRST
    assert remedy_route("not_processed.repeat", FIRST_NEW_DAY, broad) is Route.EITHER
    # the old law still applies to letters served before 2024
    assert remedy_route("unavailable.not_held", LAST_OLD_DAY, broad) is Route.EITHER


def test_a_policy_may_not_change_a_settled_reading() -> None:
    with pytest.raises(ValueError, match="not contested"):
        RemedyPolicy(reconsideration_first=frozenset({T3_WITHHELD}))


def test_the_sentences_name_the_bodies_and_the_periods() -> None:
    either = remedies_sentence(Route.EITHER, reconsideration_body="甲", court="乙")
    first = remedies_sentence(Route.RECONSIDERATION_FIRST, reconsideration_body="甲", court="乙")
    split = remedies_sentence(Route.SPLIT, reconsideration_body="甲", court="乙")

    assert either == (
        f"如对本答复不服，可以自收到本答复之日起{law.RECONSIDERATION_PERIOD_DAYS}日内向甲申请"
        f"行政复议，也可以自收到本答复之日起{law.LITIGATION_PERIOD_MONTHS}个月内向乙提起行政诉讼。"
    )
    assert first.startswith("如对本答复不服，应当先自收到本答复之日起60日内向甲申请行政复议；")
    assert "对行政复议决定不服的" in first and "个月内" not in first
    assert split.startswith("如对本答复中不予公开的部分不服，应当先")
    assert "如对本答复的其他内容不服，可以" in split
