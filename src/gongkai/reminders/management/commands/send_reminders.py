"""``manage.py send_reminders``: the daily reminder run a scheduler starts (cron, systemd)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.reminders.services import send_reminders


class Command(BaseCommand):
    help = "发送期限提醒和每日待办邮件（可重复运行：已发送的不会再发）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按此日期计算（YYYY-MM-DD，默认今天）")
        parser.add_argument("--days", type=int, help="到期前几个工作日提醒（默认取设置）")

    def handle(self, *args: Any, **options: Any) -> None:
        day = None
        if options.get("date"):
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"日期“{options['date']}”无效，请按 YYYY-MM-DD 填写") from None
        summary = send_reminders(today=day, days_before=options.get("days"))
        self.stdout.write(
            f"{summary.day.isoformat()}：新提醒 {summary.created} 条，"
            f"发送邮件 {summary.emails} 封（含每日待办 {summary.digests} 封）"
        )
        for failure in summary.failed:
            self.stderr.write(f"发送失败：{failure}")
        if summary.failed:
            raise CommandError(f"{len(summary.failed)} 封邮件发送失败，下次运行时重发")
