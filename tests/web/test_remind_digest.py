"""The daily digest's lines as a colleague reads them: the 承办人 by name, and a case whose
clock stands still (补正) said once, not as its status twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import mail

from gongkai.applications import services as s
from gongkai.reminders.services import send_reminders

from . import conftest
from .conftest import TodayIs, World
from .test_remind import step, with_email

D = dt.date


def test_the_digest_names_the_clerk_and_says_a_stopped_clock_once(
    world: World, clerk: Any, today_is: TodayIs
) -> None:
    clerk.first_name = "王经办"
    with_email(clerk, "clerk@example.gov.cn")
    today_is(D(2024, 3, 4))
    running = conftest.register(clerk, world.district, submitted_on=D(2024, 3, 4))
    waiting = conftest.register(clerk, world.district, submitted_on=D(2024, 3, 4))
    today_is(D(2024, 3, 5))
    step(
        s.application_request_correction,
        clerk,
        waiting,
        items="请写明所需信息的年度",
        supplement_deadline=D(2024, 3, 20),
        on=D(2024, 3, 5),
    )
    today_is(D(2024, 3, 6))
    send_reminders()

    (digest,) = [m for m in mail.outbox if "每日待办" in m.subject]
    lines = {line.split()[0]: line for line in digest.body.splitlines() if line.startswith("  ")}
    running_line = lines[running.tracking_number]
    waiting_line = lines[waiting.tracking_number]
    assert running_line.endswith("承办人 王经办") and "剩余" in running_line
    assert waiting_line.count("等待补正") == 1, waiting_line
    assert "答复期限 不计时" in waiting_line and waiting_line.endswith("承办人 王经办")
