"""The printed case file marks what was entered after the fact, as the case page does: a letter
sent earlier on paper and numbered on entry (补录编号), and reasons added to a decision afterwards
(补录答复理由), each with the day it was entered. The printout goes into the paper file, read
without the system at hand.

Today is 2024-03-20."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from gongkai.applications import services as s
from gongkai.applications.models import RESULT_PLAIN_LABELS, Application
from gongkai.core.formats import T3_PARTLY_DISCLOSED, T3_WITHHELD_THIRD_PARTY
from gongkai.core.masking import mask_in_text
from gongkai.core.results import default_legal_basis

from . import conftest
from .conftest import TodayIs, World, client_for, correction_letter, html

D = dt.date
TODAY = D(2024, 3, 20)
DECIDED_ON = D(2024, 3, 18)
ID_NUMBER = "350505199001014321"
PART = "批复附件中投标人的报价明细"
FACTS = f"报价明细属于投标人的商业秘密；申请人（{ID_NUMBER}）已知悉征求意见结果"
MARK = "【补录】"
UNRECORDED = '<span class="empty">未记录</span>'


@pytest.fixture(autouse=True)
def _today(today_is: TodayIs) -> None:
    today_is(TODAY)


def printed(user: Any, app: Application) -> str:
    return html(client_for(user).get(reverse("applications:print", args=[app.pk])))


def part(page: str, element_id: str) -> str:
    assert f'id="{element_id}"' in page, element_id
    return page.split(f'id="{element_id}"')[1].split("</table>")[0]


def version(app: Application) -> int:
    return Application.objects.get(pk=app.pk).version


def test_a_letter_numbered_on_entry_is_marked_in_the_list_and_on_its_page(
    clerk: Any, world: World
) -> None:
    # given a paper letter of 6 March entered today without its number, one entered with the
    # number it bore on paper, and one sent today
    entered = correction_letter(clerk, world.district, D(2024, 3, 6), serial=None)
    with_number = correction_letter(clerk, world.district, D(2024, 3, 7), serial=40)
    today = correction_letter(clerk, world.district, TODAY, serial=None)
    assert (entered.backfilled, with_number.backfilled, today.backfilled) == (True, False, False)

    # then only the first is marked, in the list of letters and above the letter's own page
    page = printed(clerk, entered.application)
    assert MARK in part(page, "print-letters")
    assert f'id="backfilled-{entered.pk}"' in page
    assert "文号按录入时的顺序取得" in page.split(f'id="backfilled-{entered.pk}"')[1]
    for letter in (with_number, today):
        page = printed(clerk, letter.application)
        assert letter.reference in part(page, "print-letters")
        assert MARK not in page and 'id="backfilled-' not in page


def decided(clerk: Any, world: World, **reasons: str) -> Application:
    app = conftest.register(clerk, world.district, id_document_number=ID_NUMBER)
    return s.application_decide(
        acting_user=clerk,
        application_id=app.pk,
        expected_version=app.version,
        result=T3_PARTLY_DISCLOSED,
        legal_basis=default_legal_basis(T3_PARTLY_DISCLOSED),
        on=DECIDED_ON,
        **reasons,
    )


def test_reasons_added_to_a_decision_afterwards_are_marked_with_their_day(
    clerk: Any, world: World
) -> None:
    # given a 部分公开 decision of 18 March recorded without its reasons
    app = decided(clerk, world)
    ground = RESULT_PLAIN_LABELS[T3_WITHHELD_THIRD_PARTY]

    # the file shows the decision and that its reasons are missing
    decision = part(printed(clerk, app), "print-decision")
    assert RESULT_PLAIN_LABELS[T3_PARTLY_DISCLOSED] in decision and "2024-03-18 决定" in decision
    assert decision.count(UNRECORDED) == 3 and MARK not in decision

    # when the clerk adds them today
    s.application_add_reasons(
        acting_user=clerk,
        application_id=app.pk,
        expected_version=version(app),
        withheld_part=PART,
        withheld_ground=T3_WITHHELD_THIRD_PARTY,
        facts=FACTS,
    )

    # then each is printed with the 补录 mark and the day it was added, the applicant's number
    # masked as everywhere on paper
    decision = part(printed(clerk, app), "print-decision")
    assert PART in decision and ground in decision and UNRECORDED not in decision
    assert mask_in_text(FACTS, id_number=ID_NUMBER, phone="") in decision
    assert ID_NUMBER not in decision
    assert decision.count(MARK) == 3
    assert decision.count("答复决定作出时未记录，2024-03-20 补录") == 3


def test_reasons_the_decision_held_carry_no_mark(clerk: Any, world: World) -> None:
    app = decided(
        clerk, world, withheld_part=PART, withheld_ground=T3_WITHHELD_THIRD_PARTY, facts=FACTS
    )
    decision = part(printed(clerk, app), "print-decision")
    assert PART in decision and RESULT_PLAIN_LABELS[T3_WITHHELD_THIRD_PARTY] in decision
    assert MARK not in decision and UNRECORDED not in decision
