"""The case page says what the clock knows but a date alone would hide (issue 9 §2).

A fee notice's payment period and a consultation party's window count from the day the letter
is received; until its delivery is recorded the date shown is counted from the sending day and
the page says so. A 补正 notice sent after the reply period ran out restarts nothing, and the
page says that too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse

from gongkai.applications import services as s
from gongkai.applications.models import Application
from tests.web.conftest import World, register

D = dt.date


def page(user: Any, app: Application) -> str:
    client = Client()
    client.force_login(user)
    return client.get(reverse("applications:case", args=[app.pk])).content.decode()


def test_an_undelivered_fee_notice_is_counted_from_sending_until_delivery(
    world: World, clerk: Any
) -> None:
    app = register(clerk, world.district, submitted_on=D(2024, 3, 4))
    app = s.application_send_fee_notice(
        acting_user=clerk,
        application_id=app.pk,
        expected_version=app.version,
        method="per_page",
        pages=150,
        on=D(2024, 3, 8),
    )
    assert 'id="fee-delivery-pending"' in page(clerk, app)

    app = s.application_record_fee_notice_delivery(
        acting_user=clerk, application_id=app.pk, expected_version=app.version, on=D(2024, 3, 11)
    )
    assert 'id="fee-delivery-pending"' not in page(clerk, app)


def test_an_undelivered_consultation_letter_is_counted_from_sending(
    world: World, clerk: Any
) -> None:
    app = register(clerk, world.district, submitted_on=D(2024, 3, 4))
    app = s.application_start_consultation(
        acting_user=clerk,
        application_id=app.pk,
        expected_version=app.version,
        consultation="third_party",
        party="某公司",
        on=D(2024, 3, 6),
    )
    assert "送达日未登记，暂按发出日计算" in page(clerk, app)

    app = s.application_record_consultation_delivery(
        acting_user=clerk,
        application_id=app.pk,
        expected_version=app.version,
        consultation="third_party",
        party="某公司",
        on=D(2024, 3, 8),
    )
    assert "送达日未登记，暂按发出日计算" not in page(clerk, app)


def test_a_correction_after_the_due_date_is_shown_as_not_restarting_the_clock(
    world: World, clerk: Any
) -> None:
    app = register(clerk, world.district, submitted_on=D(2024, 3, 1))  # due 2024-03-29
    assert 'id="correction-after-due"' not in page(clerk, app)
    app = s.application_request_correction(
        acting_user=clerk,
        application_id=app.pk,
        expected_version=app.version,
        items="请写明文件名称",
        supplement_deadline=D(2024, 4, 30),
        on=D(2024, 4, 15),
    )
    assert 'id="correction-after-due"' in page(clerk, app)
