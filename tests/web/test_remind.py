"""Deadline reminders: who gets what, when, once; the e-mails, the notifications, the commands.

A case registered in person on Monday 2024-03-04 is due on Monday 2024-04-01 (20 working days;
Qingming comes later). With the default N = 3, Wednesday 2024-03-27 is the first day of its
reminder (28, 29 March and 1 April are left).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from typer.testing import CliRunner

from gongkai.agencies.models import Role
from gongkai.applications import services as s
from gongkai.applications.models import Application
from gongkai.cli import app as cli_app
from gongkai.reminders.models import DeadlineKind, Reminder, Timing
from gongkai.reminders.services import send_reminders

from . import conftest
from .conftest import TodayIs, World

D = dt.date
DUE = D(2024, 4, 1)


def with_email(user: Any, address: str) -> Any:
    user.email = address
    user.save()
    return user


@pytest.fixture
def clerk_mail(clerk: Any) -> Any:
    return with_email(clerk, "clerk@example.gov.cn")


def step(service: Any, user: Any, app: Application, **kwargs: Any) -> Application:
    current = Application.objects.get(pk=app.pk)
    result: Application = service(
        acting_user=user, application_id=app.pk, expected_version=current.version, **kwargs
    )
    return result


def test_a_reminder_goes_out_once_n_working_days_before(
    world: World, clerk_mail: Any, today_is: TodayIs
) -> None:
    today_is(D(2024, 3, 26))
    app = conftest.register(clerk_mail, world.district)
    assert app.due_date == DUE
    quiet = send_reminders()  # four working days left: nothing yet
    assert quiet.created == 0
    assert [m.subject for m in mail.outbox] == [
        "【gongkai】2024-03-26 政府信息公开申请办理提醒：每日待办"
    ]  # the digest alone
    mail.outbox.clear()

    today_is(D(2024, 3, 27))
    first = send_reminders()
    assert (first.created, first.emails, first.digests) == (1, 1, 1)
    reminder = Reminder.objects.get()
    assert (reminder.deadline_kind, reminder.deadline, reminder.timing) == (
        DeadlineKind.REPLY,
        DUE,
        Timing.BEFORE,
    )
    assert reminder.recipient == clerk_mail and reminder.sent_at is not None
    (message,) = mail.outbox
    assert message.to == ["clerk@example.gov.cn"]
    assert message.subject == "【gongkai】2024-03-27 政府信息公开申请办理提醒：1 项即将到期"
    assert f"{app.tracking_number}  答复期限将于 2024-04-01 届满" in message.body
    assert reverse("applications:case", args=[app.pk]) in message.body
    assert "【今日待办】未办结 1 件" in message.body
    assert "剩余 3 个工作日" in message.body
    assert "暂定" not in message.body

    # The scheduler runs again the same day: nothing is sent twice.
    again = send_reminders()
    assert (again.created, again.emails, again.digests) == (0, 0, 0)
    assert len(mail.outbox) == 1 and Reminder.objects.count() == 1


def test_a_passed_deadline_is_said_once_the_day_after(
    world: World, clerk_mail: Any, today_is: TodayIs
) -> None:
    today_is(D(2024, 4, 2))
    app = conftest.register(clerk_mail, world.district, submitted_on=D(2024, 3, 4))
    send_reminders()
    passed = Reminder.objects.get(timing=Timing.PASSED)
    assert passed.deadline == DUE and passed.application == app
    assert "答复期限已于 2024-04-01 届满" in mail.outbox[0].body
    assert "1 项已过期" in mail.outbox[0].subject
    assert "已超期 1 个工作日" in mail.outbox[0].body
    # The 补正 notice's 7 days passed long ago: not a reminder (most cases need no 补正).
    assert not Reminder.objects.filter(deadline_kind=DeadlineKind.CORRECTION_NOTICE).exists()
    today_is(D(2024, 4, 3))
    later = send_reminders()
    assert later.created == 0 and Reminder.objects.count() == 1


def test_an_extension_goes_to_the_head_and_its_new_date_gives_a_new_reminder(
    world: World, clerk_mail: Any, head: Any, today_is: TodayIs
) -> None:
    with_email(head, "head@example.gov.cn")
    today_is(D(2024, 3, 27))
    app = conftest.register(clerk_mail, world.district, submitted_on=D(2024, 3, 4))
    step(s.application_request_extension, clerk_mail, app, working_days=20, reason="需调档")
    send_reminders()
    decision = Reminder.objects.get(deadline_kind=DeadlineKind.EXTENSION_DECISION)
    assert decision.recipient == head and decision.deadline == DUE
    head_mail = next(m for m in mail.outbox if m.to == ["head@example.gov.cn"])
    assert "延期审批期限将于 2024-04-01 届满" in head_mail.body
    assert "【今日待办】未办结 1 件" in head_mail.body  # the unit's cases

    today_is(D(2024, 3, 28))
    extended = step(s.application_approve_extension, head, app)
    assert extended.due_date is not None and extended.due_date > DUE
    # Three working days before the new due date: a new reminder, not the old one again.
    from gongkai.applications.clock import deployment_calendar

    calendar = deployment_calendar()
    day = extended.due_date
    while calendar.working_days_between(day, extended.due_date) < 3:
        day -= dt.timedelta(days=1)
    today_is(day)
    send_reminders()
    replies = Reminder.objects.filter(deadline_kind=DeadlineKind.REPLY, recipient=clerk_mail)
    assert sorted(r.deadline for r in replies) == [DUE, extended.due_date]


def test_an_unassigned_case_reminds_the_heads(
    world: World, clerk_mail: Any, head: Any, today_is: TodayIs
) -> None:
    today_is(D(2024, 3, 27))
    app = conftest.register(clerk_mail, world.district)
    Application.objects.filter(pk=app.pk).update(assigned_to=None)
    other_head = world.member(Role.HEAD, world.other_district)
    send_reminders()
    assert [r.recipient for r in Reminder.objects.all()] == [head]
    assert other_head.reminders.count() == 0
    # The clerk has no case of their own today: no digest, no mail.
    assert mail.outbox == []


def test_a_deadline_in_a_provisional_year_says_so(
    world: World, clerk_mail: Any, today_is: TodayIs
) -> None:
    today_is(D(2026, 12, 10))
    app = conftest.register(clerk_mail, world.district, submitted_on=D(2026, 12, 10))
    assert app.due_date is not None and app.due_date.year == 2027
    today_is(app.due_date)
    send_reminders()
    reminder = Reminder.objects.get(deadline_kind=DeadlineKind.REPLY)
    assert reminder.provisional
    body = mail.outbox[-1].body
    assert f"答复期限将于 {app.due_date.isoformat()}（暂定） 届满" in body
    assert "放假安排尚未录入" in body


def test_the_notifications_badge_page_and_mark_read(
    world: World, clerk_mail: Any, today_is: TodayIs
) -> None:
    today_is(D(2024, 3, 27))
    conftest.register(clerk_mail, world.district)
    conftest.register(clerk_mail, world.district, applicant_name="李四")
    send_reminders()
    client = Client()
    client.force_login(clerk_mail)
    page = client.get(reverse("applications:my_cases")).content.decode()
    assert 'id="unread-count">2<' in page
    listing = client.get(reverse("reminders:notifications")).content.decode()
    assert listing.count("答复期限将于 2024-04-01 届满") == 2
    first = Reminder.objects.order_by("pk").first()
    assert first is not None
    client.post(reverse("reminders:mark_read"), {"reminder": [str(first.pk)]})
    assert 'id="unread-count">1<' in client.get(reverse("applications:my_cases")).content.decode()
    # Someone else's reminder cannot be marked through a forged id.
    other = world.member(Role.CLERK, username="clerk_li")
    intruder = Client()
    intruder.force_login(other)
    intruder.post(reverse("reminders:mark_read"), {"all": "1"})
    assert Reminder.objects.filter(read_at__isnull=True).count() == 1
    client.post(reverse("reminders:mark_read"), {"all": "1"})
    assert 'id="unread-count"' not in client.get(reverse("applications:my_cases")).content.decode()


def test_the_management_command_and_the_cli_are_idempotent(
    world: World, clerk_mail: Any, today_is: TodayIs, capsys: pytest.CaptureFixture[str]
) -> None:
    today_is(D(2024, 3, 27))
    conftest.register(clerk_mail, world.district)
    call_command("send_reminders", "--date", "2024-03-27")
    assert "新提醒 1 条，发送邮件 1 封（含每日待办 1 封）" in capsys.readouterr().out
    result = CliRunner().invoke(cli_app, ["remind", "--date", "2024-03-27"])
    assert result.exit_code == 0, result.output
    assert "新提醒 0 条，发送邮件 0 封" in result.output
    assert len(mail.outbox) == 1
    bad = CliRunner().invoke(cli_app, ["remind", "--date", "2024-13-01"])
    assert bad.exit_code != 0 and "日期" in bad.output


def test_a_failed_mail_is_sent_again_next_run(
    world: World, clerk_mail: Any, today_is: TodayIs, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gongkai.reminders import services as reminder_services

    today_is(D(2024, 3, 27))
    conftest.register(clerk_mail, world.district)

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OSError("连接被拒绝")

    monkeypatch.setattr(reminder_services, "send_mail", refuse)
    failed = send_reminders()
    assert failed.emails == 0 and failed.failed
    monkeypatch.undo()
    retried = send_reminders()
    assert (retried.created, retried.emails, retried.digests) == (0, 1, 1)
    assert "答复期限将于 2024-04-01 届满" in mail.outbox[0].body


def test_a_consultation_window_is_reminded_by_its_party(
    world: World, clerk_mail: Any, today_is: TodayIs
) -> None:
    today_is(D(2024, 3, 5))
    app = conftest.register(clerk_mail, world.district)
    step(
        s.application_start_consultation,
        clerk_mail,
        app,
        consultation="third_party",
        party="泉港某化工公司",
        on=D(2024, 3, 5),
    )
    # The third party has 15 working days from the letter: 2024-03-26 (delivery not recorded,
    # so counted from sending). The reply period is paused meanwhile: no reply reminder.
    from gongkai.applications.worklists import application_case

    case = application_case(user=clerk_mail, application_id=app.pk, today=D(2024, 3, 21))
    assert case.state is not None
    (window,) = case.state.clock.consultations
    assert window.answer_due is not None
    today_is(window.answer_due - dt.timedelta(days=1))
    send_reminders()
    reminder = Reminder.objects.get(deadline_kind=DeadlineKind.CONSULTATION)
    assert reminder.subject == window.ref and reminder.deadline == window.answer_due
    assert f"征求意见答复期限（{window.ref}）将于 {window.answer_due.isoformat()} 届满" in (
        mail.outbox[0].body
    )
    assert "暂定" not in mail.outbox[0].body  # counted from sending is not a provisional year
