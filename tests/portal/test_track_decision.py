"""The applicant sees the decision on their case on the portal, with its reasons, also when the
office recorded the reasons afterwards (补录答复理由, a ``ReasonsAdded`` event) — and nothing of
the office's internal record: no clerk's name, no notes, no record of when it was typed in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse

from gongkai.applications import services
from gongkai.applications.models import RESULT_PLAIN_LABELS, Application, OnlineSubmission
from gongkai.applications.services.online import application_confirm_online
from gongkai.core.formats import T3_PARTLY_DISCLOSED, T3_WITHHELD_THIRD_PARTY
from gongkai.core.results import default_legal_basis
from tests.web.conftest import World

from .test_track import ID_NUMBER, PHONE, look_up, submission  # noqa: F401 (fixture)

D = dt.date
PART = "山腰街道防汛物资采购合同中供应商的报价明细"
FACTS = f"报价明细属于供应商的商业秘密，经书面征求意见，供应商不同意公开（申请人{ID_NUMBER}）"
NOTE = "内部备注：科长口头同意"


def version(application: Application) -> int:
    return Application.objects.get(pk=application.pk).version


def decided_without_reasons(clerk: Any, submission: OnlineSubmission) -> Application:  # noqa: F811
    """The case confirmed, decided 部分公开 on 18 March without reasons (a paper reply typed in
    later), and the reply recorded as sent with a clerk's note."""
    application = application_confirm_online(
        acting_user=clerk, submission_id=submission.pk, confirmed_on=D(2024, 3, 4)
    )
    services.application_decide(
        acting_user=clerk,
        application_id=application.pk,
        expected_version=version(application),
        result=T3_PARTLY_DISCLOSED,
        legal_basis=default_legal_basis(T3_PARTLY_DISCLOSED),
        on=D(2024, 3, 18),
    )
    services.application_send_reply(
        acting_user=clerk,
        application_id=application.pk,
        expected_version=version(application),
        delivery="post",
        note=NOTE,
        on=D(2024, 3, 18),
    )
    return Application.objects.get(pk=application.pk)


def decision_of(page: str) -> str:
    assert 'id="decision"' in page, page
    return page.split('id="decision"')[1].split("</table>")[0]


def test_reasons_added_afterwards_are_shown_to_the_applicant(
    world: World,
    clerk: Any,
    submission: OnlineSubmission,  # noqa: F811
    today_is: Any,
) -> None:
    today_is(D(2024, 3, 25))
    application = decided_without_reasons(clerk, submission)
    client = Client()
    assert look_up(client, submission.public_number, PHONE[-4:]).status_code == 302
    url = reverse("portal:track_case", args=[submission.public_number])

    # the decision is there, without reasons yet
    decision = decision_of(client.get(url).content.decode())
    assert RESULT_PLAIN_LABELS[T3_PARTLY_DISCLOSED] in decision and "2024年3月18日" in decision
    assert PART not in decision

    # when the office adds the reasons the paper reply stated
    services.application_add_reasons(
        acting_user=clerk,
        application_id=application.pk,
        expected_version=version(application),
        withheld_part=PART,
        withheld_ground=T3_WITHHELD_THIRD_PARTY,
        facts=FACTS,
    )

    # then the applicant reads them, their own number masked as on the rest of the page
    page = client.get(url).content.decode()
    decision = decision_of(page)
    assert PART in decision
    assert RESULT_PLAIN_LABELS[T3_WITHHELD_THIRD_PARTY] in decision
    assert FACTS.split("（")[0] in decision
    assert ID_NUMBER not in page and "3505**********9876" in decision
    # and nothing internal: no note, no clerk, no record of when it was typed in
    assert NOTE not in page and clerk.username not in page
    assert "补录" not in page


def test_no_decision_is_shown_before_one(
    world: World,
    clerk: Any,
    submission: OnlineSubmission,  # noqa: F811
    today_is: Any,
) -> None:
    today_is(D(2024, 3, 25))
    application_confirm_online(
        acting_user=clerk, submission_id=submission.pk, confirmed_on=D(2024, 3, 4)
    )
    client = Client()
    look_up(client, submission.public_number, PHONE[-4:])
    page = client.get(reverse("portal:track_case", args=[submission.public_number]))
    assert page.status_code == 200 and 'id="decision"' not in page.content.decode()
