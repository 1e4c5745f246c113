"""The reasons each result must record for its reply letter (gongkai.core.reasons)."""

from __future__ import annotations

import pytest

from gongkai.core.formats import (
    T3_WITHHELD,
    T3_WITHHELD_STATE_SECRET,
    T3_WITHHELD_THIRD_PARTY,
)
from gongkai.core.reasons import (
    WITHHELD_GROUNDS,
    ReasonField,
    group_of,
    missing_reasons,
    required_reasons,
)
from gongkai.core.results import basis_for

F = ReasonField


@pytest.mark.parametrize(
    ("result", "fields"),
    [
        ("disclosed", set()),
        ("partly_disclosed", {F.WITHHELD_PART, F.WITHHELD_GROUND, F.FACTS}),
        ("withheld.third_party", {F.FACTS}),
        ("unavailable.not_held", {F.FACTS}),
        ("unavailable.needs_creation", {F.FACTS}),
        ("not_processed.petition", {F.FACTS}),
        ("other.no_correction", set()),
        ("other", set()),  # the 2019 format's single row
    ],
)
def test_each_result_needs_the_reasons_of_its_group(result: str, fields: set[ReasonField]) -> None:
    assert {need.field for need in required_reasons(result)} == fields


def test_the_withheld_grounds_are_the_withheld_rows_with_their_articles() -> None:
    assert WITHHELD_GROUNDS[0] == T3_WITHHELD_STATE_SECRET
    assert {group_of(code) for code in WITHHELD_GROUNDS} == {T3_WITHHELD}
    articles = {basis_for(code).article for code in WITHHELD_GROUNDS}
    assert {"第十四条", "第十五条", "第十六条第一款", "第十六条第二款"} <= articles


def test_missing_names_blank_and_wrong_reasons() -> None:
    recorded = {F.FACTS: "  ", F.WITHHELD_PART: "第3页", F.WITHHELD_GROUND: "disclosed"}
    missing = missing_reasons("partly_disclosed", recorded)
    assert [need.field for need in missing] == [F.WITHHELD_GROUND, F.FACTS]

    complete = {
        F.FACTS: "涉及个人隐私",
        F.WITHHELD_PART: "第3页",
        F.WITHHELD_GROUND: T3_WITHHELD_THIRD_PARTY,
    }
    assert missing_reasons("partly_disclosed", complete) == ()
    assert missing_reasons("disclosed", {}) == ()
