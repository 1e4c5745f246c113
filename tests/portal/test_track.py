"""Following a case on the portal: the second factor, throttling, letters and the online 补正."""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.applications import services
from gongkai.applications.attachments import Upload
from gongkai.applications.models import (
    Application,
    Attachment,
    EventKind,
    OnlineSubmission,
    PortalThrottle,
)
from gongkai.applications.services.base import ApplicationError
from gongkai.applications.services.online import (
    application_confirm_online,
    application_submit_online,
    application_supplement_online,
    format_public_number,
    new_public_number,
)
from gongkai.letters import services as letters
from gongkai.portal.apply import views
from gongkai.portal.apply.throttle import GUESSES_PER_HOUR
from gongkai.portal.apply.views import NOT_FOUND, THROTTLED
from tests.web.conftest import World

from .conftest import PDF, PNG

PHONE = "13912345678"
ID_NUMBER = "350505199001019876"


@pytest.fixture
def submission(world: World, today_is: Any) -> OnlineSubmission:
    today_is(dt.date(2024, 3, 4))
    return application_submit_online(
        unit=world.district,
        form_token="track-token",
        client_address="192.0.2.7",
        applicant_type="natural_person",
        applicant_name="陈七",
        id_document_type="resident_id",
        id_document_number=ID_NUMBER,
        phone=PHONE,
        description="山腰街道2024年防汛经费的使用情况",
        requested_form="electronic",
        delivery="online",
        proof=Upload(name="id.pdf", data=PDF, kind="identity"),
    )


def look_up(client: Client, number: str, factor: str, address: str = "192.0.2.50") -> Any:
    return client.post(
        reverse("portal:track"), {"number": number, "factor": factor}, REMOTE_ADDR=address
    )


@pytest.mark.parametrize("factor", [PHONE[-4:], ID_NUMBER[-4:]])
def test_number_and_either_factor_open_the_case(submission: OnlineSubmission, factor: str) -> None:
    client = Client()
    shown = format_public_number(submission.public_number).lower()
    response = look_up(client, shown, factor)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "等待受理单位确认收到" in page
    assert PHONE not in page and ID_NUMBER not in page
    assert "139****5678" in page


def typo(number: str) -> str:
    """The number with its check character mistyped (never into itself: 1 time in 32 it is "0")."""
    return number[:-1] + ("1" if number.endswith("0") else "0")


def test_every_wrong_answer_reads_the_same(submission: OnlineSubmission) -> None:
    other = new_public_number()
    answers = [
        look_up(Client(), submission.public_number, "0000"),  # wrong factor
        look_up(Client(), other, PHONE[-4:]),  # well-formed number nobody holds
        look_up(Client(), typo(submission.public_number), PHONE[-4:]),
        look_up(Client(), "<script>", PHONE[-4:]),  # garbage
    ]
    bodies = {r.content.decode().replace("&lt;script&gt;", "") for r in answers}
    assert {r.status_code for r in answers} == {400}
    assert all(NOT_FOUND in body for body in bodies)


def test_guessing_is_throttled_per_address(submission: OnlineSubmission) -> None:
    for _ in range(GUESSES_PER_HOUR):
        look_up(Client(), new_public_number(), "1234", address="203.0.113.1")
    # now even the right answer from that address is refused, unchecked
    refused = look_up(Client(), submission.public_number, PHONE[-4:], address="203.0.113.1")
    assert refused.status_code == 400 and THROTTLED in refused.content.decode()
    assert look_up(Client(), submission.public_number, PHONE[-4:]).status_code == 302
    # counted in the database (shared by every server process), the address only as a hash
    keys = list(PortalThrottle.objects.values_list("key", flat=True))
    assert keys and not any("203.0.113.1" in key for key in keys)


def test_guessing_is_throttled_per_number(submission: OnlineSubmission) -> None:
    for index in range(GUESSES_PER_HOUR):
        look_up(Client(), submission.public_number, f"{index:04d}", address=f"198.51.100.{index}")
    refused = look_up(Client(), submission.public_number, PHONE[-4:], address="192.0.2.99")
    assert THROTTLED in refused.content.decode()


def test_case_page_needs_a_lookup_in_this_session(submission: OnlineSubmission) -> None:
    url = reverse("portal:track_case", args=[submission.public_number])
    assert Client().get(url).status_code == 404


def _to_correction(world: World, clerk: Any, submission: OnlineSubmission) -> Application:
    application = application_confirm_online(
        acting_user=clerk, submission_id=submission.pk, confirmed_on=dt.date(2024, 3, 4)
    )
    application = services.application_request_correction(
        acting_user=clerk,
        application_id=application.pk,
        expected_version=application.version,
        items="请写明所需经费信息的具体年度和项目<script>x</script>",
        supplement_deadline=dt.date(2024, 3, 20),
        on=dt.date(2024, 3, 5),
    )
    letters.letter_send(
        acting_user=clerk,
        application_id=application.pk,
        expected_version=application.version,
        kind="correction",
        on=dt.date(2024, 3, 5),
    )
    application.refresh_from_db()
    return application


def test_applicant_sees_letters_and_answers_correction_online(
    world: World, clerk: Any, submission: OnlineSubmission, today_is: Any
) -> None:
    today_is(dt.date(2024, 3, 6))
    application = _to_correction(world, clerk, submission)
    client = Client()
    assert look_up(client, submission.public_number, ID_NUMBER[-4:]).status_code == 302
    url = reverse("portal:track_case", args=[submission.public_number])
    page = client.get(url).content.decode()
    assert "收到申请日期" in page and "2024年3月4日" in page
    assert "在线补正" in page and "补正告知书" in page
    link = re.search(r'href="([^"]+/pdf/)"', page)
    assert link
    letter = client.get(link.group(1))
    assert letter["Content-Type"] == "application/pdf" and letter.content.startswith(b"%PDF")
    assert Client().get(link.group(1)).status_code == 404  # not for another browser

    today_is(dt.date(2024, 3, 8))
    answer = client.post(
        url,
        {"text": "2024年度<b>防汛</b>专项经费", "file": SimpleUploadedFile("more.png", PNG)},
    )
    assert answer.status_code == 302
    application.refresh_from_db()
    assert application.status == "in_progress"
    supplement = application.events.get(kind=EventKind.SUPPLEMENT_RECEIVED)
    assert supplement.date == dt.date(2024, 3, 8)
    assert "防汛" in supplement.payload.note
    assert Attachment.objects.filter(application=application, kind="supplement").count() == 1
    after = client.get(url).content.decode()
    assert "补正已提交" in after and "在线补正" not in after

    # a second answer is refused: no 补正 is pending any more
    again = client.post(url, {"text": "再补一次"})
    assert again.status_code == 400 and "不需要补正" in again.content.decode()
    assert application.events.filter(kind=EventKind.SUPPLEMENT_RECEIVED).count() == 1


def test_supplement_refused_before_confirmation_and_for_bad_files(
    world: World, clerk: Any, submission: OnlineSubmission, today_is: Any
) -> None:
    with pytest.raises(ApplicationError, match="不需要补正"):
        application_supplement_online(submission=submission, text="x", uploads=[])
    today_is(dt.date(2024, 3, 6))
    application = _to_correction(world, clerk, submission)
    submission.refresh_from_db()
    from gongkai.applications.attachments import AttachmentError

    with pytest.raises(AttachmentError):
        application_supplement_online(
            submission=submission,
            text="见附件",
            uploads=[Upload(name="a.pdf", data=b"<html>", kind="supplement")],
        )
    with pytest.raises(ApplicationError, match="请填写补正内容"):
        application_supplement_online(submission=submission, text="  ", uploads=[])
    application.refresh_from_db()
    assert application.status == "awaiting_supplement"


def test_applicant_confirms_the_fee_notice_once(
    world: World, clerk: Any, submission: OnlineSubmission, today_is: Any
) -> None:
    today_is(dt.date(2024, 3, 8))
    application = application_confirm_online(
        acting_user=clerk, submission_id=submission.pk, confirmed_on=dt.date(2024, 3, 4)
    )
    services.application_send_fee_notice(
        acting_user=clerk,
        application_id=application.pk,
        expected_version=application.version,
        method="per_page",
        pages=150,
        on=dt.date(2024, 3, 6),
    )
    client = Client()
    assert look_up(client, submission.public_number, PHONE[-4:]).status_code == 302
    url = reverse("portal:track_case", args=[submission.public_number])
    assert 'id="fee-notice"' in client.get(url).content.decode()
    response = client.post(url, {"action": "fee_notice_received"})
    assert response.status_code == 302
    delivered = application.events.get(kind=EventKind.FEE_NOTICE_DELIVERED)
    assert delivered.date == dt.date(2024, 3, 8)
    page = client.get(url).content.decode()
    assert "已记录您收到收费通知" in page and 'id="fee-notice"' not in page
    again = client.post(url, {"action": "fee_notice_received"})
    assert again.status_code == 400
    assert application.events.filter(kind=EventKind.FEE_NOTICE_DELIVERED).count() == 1


def test_fee_confirmation_refused_without_a_notice(submission: OnlineSubmission) -> None:
    client = Client()
    look_up(client, submission.public_number, PHONE[-4:])
    url = reverse("portal:track_case", args=[submission.public_number])
    response = client.post(url, {"action": "fee_notice_received"})
    assert response.status_code == 400 and "没有待确认的收费通知" in response.content.decode()


def test_following_a_case_writes_nothing(
    submission: OnlineSubmission, django_assert_max_num_queries: Any
) -> None:
    """The look-up reads the guesses' count and the case; the case page reads the case: no
    session row read or written, no commit (the busiest public page under load)."""
    client = Client()
    with django_assert_max_num_queries(2) as captured:
        response = look_up(client, submission.public_number, PHONE[-4:])
    assert response.status_code == 302
    with django_assert_max_num_queries(1):
        assert client.get(response["Location"]).status_code == 200
    read = " ".join(q["sql"] for q in captured.captured_queries)
    assert "django_session" not in read and "INSERT" not in read and "UPDATE" not in read
    assert "sessionid" not in client.cookies


def test_the_case_cookie_cannot_be_forged_or_kept_idle(
    submission: OnlineSubmission, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client()
    case = look_up(client, submission.public_number, PHONE[-4:])["Location"]
    assert client.get(case).status_code == 200
    signed = client.cookies[views.KNOWN_COOKIE].value
    # Another number written into the cookie by hand: the signature no longer matches.
    other = new_public_number()
    client.cookies[views.KNOWN_COOKIE] = signed.replace(submission.public_number, other)
    assert client.get(case).status_code == 404
    # The genuine cookie, after the idle time of a staff session: expired.
    client.cookies[views.KNOWN_COOKIE] = signed
    assert client.get(case).status_code == 200
    later = time.time() + settings.SESSION_COOKIE_AGE + 5
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get(case).status_code == 404
