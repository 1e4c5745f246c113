"""The daily reminder run: new reminders, their e-mails, the digests; and marking them read.

:func:`send_reminders` is what ``manage.py send_reminders`` and ``gongkai remind`` call once a
day (or more often: it is idempotent). For each deadline of each open case
(:mod:`gongkai.reminders.deadlines`) it creates a :class:`~gongkai.reminders.models.Reminder`
for each person who must act — the case's 承办人, or the unit's 负责人 for an unassigned case
and for an extension awaiting approval — ``before`` when at most
``GONGKAI_REMINDER_WORKING_DAYS`` working days are left (default 3), ``passed`` the first run
after it. The unique constraint means a row is created once: a second run finds nothing new.
Then each person with an e-mail address gets one message holding their new reminders and,
once a day, the digest of their open cases (a clerk: assigned to them; a 负责人: the unit's).
A message that fails to send leaves its rows unsent and its digest unrecorded, so the next run
sends it again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies.models import Membership, Role
from gongkai.applications import clock
from gongkai.applications.services.base import today as services_today
from gongkai.applications.worklists import HANDLING_ROLES
from gongkai.reminders.deadlines import Deadline, OpenCase, open_cases
from gongkai.reminders.models import DigestSent, Reminder, Timing

log = logging.getLogger(__name__)

DEFAULT_WORKING_DAYS: Final = 3


def working_days_before() -> int:
    """N: how many working days before a deadline the first reminder goes out (a setting)."""
    return int(getattr(settings, "GONGKAI_REMINDER_WORKING_DAYS", DEFAULT_WORKING_DAYS))


@dataclass
class RunSummary:
    """What one run did; a second run the same day reports zeros."""

    day: dt.date
    created: int = 0
    emails: int = 0
    digests: int = 0
    failed: list[str] = field(default_factory=list)


def _timing(deadline: Deadline, today: dt.date, days: int) -> Timing | None:
    if deadline.day < today:
        return Timing.PASSED if deadline.remind_passed else None
    left = clock.deployment_calendar().working_days_between(today, deadline.day)
    return Timing.BEFORE if left <= days else None


def _heads_by_unit() -> dict[int, list[Any]]:
    heads: dict[int, list[Any]] = defaultdict(list)
    for membership in Membership.objects.filter(
        role=Role.HEAD, user__is_active=True
    ).select_related("user"):
        heads[membership.unit_id].append(membership.user)
    return heads


def _recipients(case: OpenCase, deadline: Deadline, heads: dict[int, list[Any]]) -> list[Any]:
    application = case.application
    if deadline.for_heads or application.assigned_to is None:
        return heads.get(application.unit_id, [])
    return [application.assigned_to]


def _create(case: OpenCase, deadline: Deadline, timing: Timing, user: Any, day: dt.date) -> bool:
    """Create the reminder unless it exists; ``True`` when this run created it."""
    try:
        with transaction.atomic():
            _, created = Reminder.objects.get_or_create(
                application=case.application,
                deadline_kind=deadline.kind,
                subject=deadline.subject,
                deadline=deadline.day,
                recipient=user,
                timing=timing,
                defaults={"provisional": deadline.provisional, "created_on": day},
            )
    except IntegrityError:  # a concurrent run created it between the get and the insert
        return False
    return created


def case_url(application_id: int) -> str:
    base = str(getattr(settings, "GONGKAI_SITE_URL", "")).rstrip("/")
    return base + reverse("applications:case", args=[application_id])


def _case_line(case: OpenCase) -> str:
    row = case.row
    app = row.application
    if row.state is None:
        return f"{app.tracking_number}：无法计算期限（{row.error}）"
    due = row.due.isoformat() if row.due else "不计时"
    if row.provisional.due:
        due += "（暂定）"
    if row.overdue:
        left = f"已超期 {-(row.days_left or 0)} 个工作日"
    elif row.days_left is None:
        left = ""  # the clock stands still (补正): the status already says why
    else:
        left = f"剩余 {row.days_left} 个工作日"
    # The name a colleague knows them by, as on the case page; the login name only without one.
    person = app.assigned_to
    assignee = (person.get_full_name() or person.get_username()) if person else "待分配"
    parts = [app.tracking_number, row.status_label, f"答复期限 {due}", left, f"承办人 {assignee}"]
    return "  ".join(part for part in parts if part)


def compose(
    *, user: Any, day: dt.date, reminders: list[Reminder], digest: list[OpenCase] | None
) -> tuple[str, str]:
    """The subject and plain-text body of one person's message."""
    passed = [r for r in reminders if r.timing == Timing.PASSED]
    before = [r for r in reminders if r.timing == Timing.BEFORE]
    counts = [
        f"{len(passed)} 项已过期" if passed else "",
        f"{len(before)} 项即将到期" if before else "",
    ]
    counted = "，".join(c for c in counts if c) or "每日待办"
    subject = f"【gongkai】{day.isoformat()} 政府信息公开申请办理提醒：{counted}"
    lines = [f"{user.get_full_name() or user.get_username()}：", ""]
    for title, group in (("已过期", passed), ("即将到期", before)):
        if group:
            lines.append(f"【{title}】")
            for r in group:
                lines.append(f"  {r.application.tracking_number}  {r.text}")
                lines.append(f"    {case_url(r.application_id)}")
            lines.append("")
    if digest is not None:
        lines.append(f"【今日待办】未办结 {len(digest)} 件")
        lines.extend(f"  {_case_line(case)}" for case in digest)
        lines.append("")
    if any(r.provisional for r in reminders) or any(
        c.row.provisional.pending for c in digest or ()
    ):
        lines.append(
            "标“暂定”的期限跨入放假安排尚未录入的年度，录入国务院办公厅放假通知后可能变动。"
        )
    lines.append("此邮件由 gongkai 自动发送，请勿回复。")
    return subject, "\n".join(lines)


def _digest_scope(user: Any, cases: list[OpenCase]) -> list[OpenCase] | None:
    """The cases in ``user``'s digest: a 负责人's unit, else the cases assigned to them."""
    membership = getattr(user, "membership", None)
    if membership is None:
        return None
    if membership.role == Role.HEAD:
        scope = [c for c in cases if c.application.unit_id == membership.unit_id]
    else:
        scope = [c for c in cases if c.application.assigned_to_id == user.pk]
    return sorted(scope, key=lambda c: c.row.sort_key())


def _claim_digest(user: Any, day: dt.date) -> DigestSent | None:
    try:
        with transaction.atomic():
            return DigestSent.objects.create(recipient=user, day=day)
    except IntegrityError:
        return None


def send_reminders(*, today: dt.date | None = None, days_before: int | None = None) -> RunSummary:
    """Create today's reminders and send what has not been sent (see the module docstring)."""
    day = today or services_today()
    days = working_days_before() if days_before is None else days_before
    summary = RunSummary(day)
    heads = _heads_by_unit()
    cases = list(open_cases(day))
    for case in cases:
        for deadline in case.deadlines:
            timing = _timing(deadline, day, days)
            if timing is None:
                continue
            for user in _recipients(case, deadline, heads):
                summary.created += _create(case, deadline, timing, user, day)
    pending: dict[int, list[Reminder]] = defaultdict(list)
    for reminder in Reminder.objects.filter(created_on=day, sent_at__isnull=True).select_related(
        "application"
    ):
        pending[reminder.recipient_id].append(reminder)
    members = (
        get_user_model()
        .objects.filter(is_active=True, membership__role__in=HANDLING_ROLES)
        .exclude(email="")
        .select_related("membership")
    )
    for user in members:
        _send_one(user, day, pending.get(user.pk, []), cases, summary)
    return summary


def _send_one(
    user: Any, day: dt.date, reminders: list[Reminder], cases: list[OpenCase], summary: RunSummary
) -> None:
    scope = _digest_scope(user, cases)
    claim = _claim_digest(user, day) if scope else None
    digest = scope if claim is not None else None
    if not reminders and digest is None:
        return
    subject, body = compose(user=user, day=day, reminders=reminders, digest=digest)
    try:
        send_mail(subject, body, None, [user.email])
    except Exception as error:  # an SMTP failure must not stop the others' mail
        log.warning("reminder mail to %s failed: %s", user.email, error)
        summary.failed.append(f"{user.get_username()}：{error}")
        if claim is not None:
            claim.delete()
        return
    now = timezone.now()
    Reminder.objects.filter(pk__in=[r.pk for r in reminders]).update(sent_at=now)
    summary.emails += 1
    summary.digests += digest is not None


def _ids(values: Iterable[Any]) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()]


def reminders_mark_read(*, user: Any, reminder_ids: Iterable[Any] | None = None) -> int:
    """Mark ``user``'s notifications read (all of them without ``reminder_ids``); how many."""
    queryset = Reminder.objects.filter(recipient=user, read_at__isnull=True)
    if reminder_ids is not None:
        queryset = queryset.filter(pk__in=_ids(reminder_ids))
    return queryset.update(read_at=timezone.now())
