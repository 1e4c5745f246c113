"""Reminders of a case's deadlines, sent once: the row is the proof that it was sent.

A :class:`Reminder` is one notice to one person that one deadline of one case is near
(``before``) or has passed (``passed``). The unique constraint over (case, deadline kind,
subject, deadline date, recipient, timing) is what makes ``send_reminders`` idempotent: a
second run the same day finds every row already there and sends nothing; a deadline that moves
(an extension, a schedule entered for a provisional year) has a new date and so a new reminder.
The same rows are the in-app notifications (``read_at``). :class:`DigestSent` records the one
daily digest e-mail per person.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.applications.models import Application


class DeadlineKind(models.TextChoices):
    REPLY = "reply", "答复期限"
    CORRECTION_NOTICE = "correction_notice", "补正告知期限"
    EXTENSION_DECISION = "extension_decision", "延期审批期限"
    FEE_PAYMENT = "fee_payment", "缴费期限"
    CONSULTATION = "consultation", "征求意见答复期限"


class Timing(models.TextChoices):
    BEFORE = "before", "即将到期"
    PASSED = "passed", "已过期"


class Reminder(models.Model):
    application = models.ForeignKey(
        Application, verbose_name="申请", on_delete=models.CASCADE, related_name="reminders"
    )
    deadline_kind = models.CharField("期限", max_length=30, choices=DeadlineKind.choices)
    # Which one, when a case has several of a kind (the consultation's party): "" otherwise.
    subject = models.CharField("事项", max_length=200, blank=True, default="")
    deadline = models.DateField("到期日")
    provisional = models.BooleanField("暂定", default=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    timing = models.CharField("类别", max_length=10, choices=Timing.choices)
    created_on = models.DateField("提醒日期")
    sent_at = models.DateTimeField("邮件发送时间", null=True, blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "期限提醒"
        verbose_name_plural = "期限提醒"
        ordering = ("-created_on", "deadline", "id")
        constraints = (
            models.UniqueConstraint(
                fields=[
                    "application",
                    "deadline_kind",
                    "subject",
                    "deadline",
                    "recipient",
                    "timing",
                ],
                name="reminder_once",
            ),
        )
        indexes = (models.Index(fields=["recipient", "read_at"], name="reminder_unread"),)

    def __str__(self) -> str:
        return f"{self.application_id} {self.get_deadline_kind_display()} {self.deadline}"

    @property
    def text(self) -> str:
        """One line, as the notification list and the e-mail say it."""
        what = self.get_deadline_kind_display()
        if self.subject:
            what += f"（{self.subject}）"
        day = self.deadline.isoformat() + ("（暂定）" if self.provisional else "")
        if self.timing == Timing.PASSED:
            return f"{what}已于 {day} 届满"
        return f"{what}将于 {day} 届满"


class DigestSent(models.Model):
    """The daily digest e-mail sent to ``recipient`` on ``day`` (once)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["recipient", "day"], name="digest_once_a_day"),
        )
