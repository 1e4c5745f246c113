"""The ``gongkai`` command: deadlines, fees, report checks and audits from the terminal.

Every command speaks Chinese to the person at the keyboard. Exit status is part of the
interface, so scripts and CI can rely on it: 0 = done and nothing wrong, 1 = done and the
report has errors, 2 = the input could not be used (the message on stderr says why). No
command ever ends in a traceback: bad input is a :class:`GongkaiError`, and usage mistakes
are translated from click's English.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from gongkai.core.errors import GongkaiError
from gongkai.core.findings import Finding, Severity
from gongkai.core.render.labels import STATUS_LABELS

try:  # typer ≥ 0.22 vendors click as typer._click; older releases depend on click itself.
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - depends on the installed typer
    from click import exceptions as click_exceptions  # type: ignore[no-redef,import-not-found,unused-ignore]

app = typer.Typer(
    name="gongkai",
    help="gongkai（公开）：政府信息公开工作软件——办理期限、信息处理费、年度报告核对与审查。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_BAD_INPUT = 2


# Whatever comes from outside (report text, file names, zip member names, option values) is
# printed literally: rich markup is only ever applied to our own words, through Text objects,
# so 「[/zwgk/]」 in a report neither crashes the output nor vanishes from it.


def styled(text: str, style: str) -> Text:
    """Our own words in a style; ``text`` is never read as markup."""
    return Text(text, style=style)


def literal(*parts: str | Text) -> Text:
    """Parts joined into one Text; plain strings are taken literally."""
    return Text.assemble(*parts)


def error_line(message: str) -> Text:
    return literal(styled("错误：", "bold red"), message)


def fail(message: str) -> NoReturn:
    """Print a Chinese error on stderr and exit 2 (bad input)."""
    err.print(error_line(message))
    raise typer.Exit(EXIT_BAD_INPUT)


def parse_date(value: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        fail(f"{what}「{value}」不是有效日期，请按 YYYY-MM-DD 填写，例如 2024-09-27")


# ASCII digits only: 「²」 and 「５」 pass str.isdigit() but are no number a user typed.
_INTEGER = re.compile(r"-?[0-9]{1,9}")


def parse_count(value: str, what: str, *, most: int | None = None) -> int:
    text = value.strip()
    if not _INTEGER.fullmatch(text):
        if re.fullmatch(r"-?[0-9]+", text):
            fail(f"{what}「{value}」过大")
        fail(f"{what}「{value}」不是整数")
    number = int(text)
    if number < 0:
        fail(f"{what}不能为负数（收到 {number}）")
    if most is not None and number > most:
        fail(f"{what}不能超过 {most}（收到 {number}）")
    return number


def _json_default(value: object) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n")


# ---------------------------------------------------------------------------------------------
# gongkai deadline
# ---------------------------------------------------------------------------------------------


def parse_channel(value: str) -> Any:
    from gongkai.core.law import CHANNEL_LABELS, Channel

    text = value.strip()
    for channel, label in CHANNEL_LABELS.items():
        if text in (channel.value, label):
            return channel
    known = "、".join(f"{c.value}（{label}）" for c, label in CHANNEL_LABELS.items())
    fail(f"未知的申请渠道「{value}」，可选：{known}")
    return Channel.IN_PERSON  # pragma: no cover - fail() does not return


def parse_pause(value: str) -> tuple[dt.date, dt.date]:
    if value.count(":") != 1:
        fail(f"暂停区间「{value}」格式应为 起始日:结束日，例如 2024-10-08:2024-10-15")
    first, last = value.split(":")
    return parse_date(first, "暂停起始日"), parse_date(last, "暂停结束日")


@app.command("deadline")
def deadline_command(
    received: Annotated[str, typer.Option("--received", help="申请到达之日 YYYY-MM-DD")],
    channel: Annotated[
        str, typer.Option("--channel", help="申请渠道：in_person、registered_mail、online…")
    ] = "in_person",
    confirmed: Annotated[
        str | None,
        typer.Option(
            "--confirmed",
            help="需确认或签收的渠道（平信、网络平台、电子邮件、传真；挂号信）：与申请人双方确认"
            "（或签收）之日，默认为到达之日",
        ),
    ] = None,
    correction_sent: Annotated[
        str | None,
        typer.Option("--correction-sent", help="告知补正之日；晚于答复期限的补正不使期限重新起算"),
    ] = None,
    supplement_received: Annotated[
        str | None, typer.Option("--supplement-received", help="收到补正材料之日（期限重新起算）")
    ] = None,
    pause: Annotated[
        list[str] | None,
        typer.Option(
            "--pause",
            help="不计入期限的区间 起始日:结束日，可多次。不计入的是起始日之后、至结束日"
            "（含当日）之间的工作日：起始日（发出征求意见函之日）照常计算，结束日（收到答复"
            "之日）不计算",
        ),
    ] = None,
    extend: Annotated[
        str,
        typer.Option(
            "--extend", help="经批准延长的工作日数（至多 20；2019-05-15 前收到的申请至多 15）"
        ),
    ] = "0",
    on: Annotated[str | None, typer.Option("--on", help="按此日计算剩余工作日，默认今天")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """计算依申请公开的答复期限（《条例》第三十条至第三十三条，按工作日）。"""
    from gongkai.core import clock, law
    from gongkai.core.calendar import CalendarRangeError, national_calendar, today_in_china

    arrived = parse_date(received, "申请到达日")
    how = parse_channel(channel)
    rule = law.receipt_rule(how)
    extra: dict[str, dt.date] = {}
    if rule is law.ReceiptRule.SIGNED_FOR:
        extra["signed_for_on"] = parse_date(confirmed, "签收日") if confirmed else arrived
    elif rule is law.ReceiptRule.CONFIRMED:
        extra["confirmed_on"] = parse_date(confirmed, "确认日") if confirmed else arrived
    elif confirmed:
        fail(f"「{law.CHANNEL_LABELS[how]}」以提交之日为收到之日，不需要 --confirmed")
    receipt = clock.Received(on=arrived, channel=how, **extra).receipt_date
    confirmed_late = clock.Received(on=arrived, channel=how, **extra).confirmed_late
    supplement = parse_date(supplement_received, "收到补正材料日") if supplement_received else None
    correction = parse_date(correction_sent, "告知补正日") if correction_sent else None
    pauses = [parse_pause(p) for p in pause or []]
    extension = parse_count(extend, "延长工作日数")
    regulation = clock.regulation_of(receipt)
    use_entered_calendar()
    calendar = national_calendar()
    kwargs: dict[str, Any] = {
        "supplement_received": supplement,
        "pauses": pauses,
        "correction_sent": correction,
    }
    due = clock.reply_due(receipt, extension=extension, calendar=calendar, **kwargs)
    original = clock.reply_due(receipt, calendar=calendar, **kwargs) if extension else due
    # A 补正 sent after the period ran out restarts nothing (clock.supplement_restarts).
    first_due = clock.reply_due(receipt, pauses=pauses, calendar=calendar)
    correction_after_due = correction is not None and not clock.supplement_restarts(
        correction, first_due
    )
    start = supplement if supplement and not correction_after_due else receipt
    today = parse_date(on, "计算日") if on else today_in_china()
    left: int | None = None
    try:
        left = calendar.working_days_between(today, due)
    except CalendarRangeError:
        if on:  # a date the user chose: say why it cannot be used
            raise
        # Today outside every calendar (a wrong system clock): the deadline itself is still
        # right, only the days left cannot be counted.
    notice = regulation.correction_notice  # None under the 2008 Regulation: no such period
    correction_due = None
    correction_provisional = False
    if notice is not None:
        correction_due = calendar.add_working_days(receipt, notice.working_days)
        # A date is provisional when a day counted to reach it is; the days left too.
        correction_provisional = calendar.provisional_between(receipt, correction_due)
    due_provisional = calendar.provisional_between(receipt, due)
    left_provisional = left is not None and calendar.provisional_between(today, due)
    provisional = correction_provisional or due_provisional or left_provisional
    result = {
        "received": arrived,
        "receipt_date": receipt,
        "channel": how.value,
        "receipt_confirmed_late": confirmed_late,
        "regulation": regulation.name,
        "correction_notice_due": correction_due,
        "correction_sent": correction,
        "correction_after_due": correction_after_due,
        "clock_start": start,
        "pauses": [{"after": a, "through": b} for a, b in pauses],
        "reply_due": original,
        "extension_working_days": extension,
        "due": due,
        "on": today,
        "working_days_left": left,
        "overdue": today > due,
        "provisional": provisional,
    }
    if as_json:
        print_json(result)
        return
    if provisional:
        low, high = min(receipt, today), max(due, today)
        touched = [y for y in range(low.year, high.year + 1) if y in calendar.provisional_years]
        years = "、".join(str(y) for y in touched)
        out.print(
            f"[bold yellow]暂定：[/]{years} 年的放假安排尚未录入，相关期限按《全国年节及纪念日"
            "放假办法》推算（不含调休），录入国务院办公厅通知后可能变化"
        )
    mark = "（暂定）" if due_provisional else ""
    out.print(f"收到申请之日：{receipt}（{law.CHANNEL_LABELS[how]}，{law.RECEIPT_ARTICLE}）")
    if confirmed_late:
        out.print(
            f"[bold yellow]请核对：[/]平信于 {arrived} 到达，{receipt} 才与申请人确认；"
            f"{law.RECEIPT_ARTICLE}要求当日确认"
        )
    if regulation is law.REGULATION_2008:
        out.print(
            f"适用{regulation.name}：{law.REGULATION_IN_FORCE} 前收到的申请按修订前的期限办理"
        )
    if notice is None:
        out.print("补正告知期限：无（2008年施行的《条例》未规定补正告知期限）")
    else:
        correction_mark = "（暂定）" if correction_provisional else ""
        out.print(f"补正告知期限：{correction_due}{correction_mark}（{notice.article}）")
    if correction_after_due:
        out.print(
            f"[bold red]告知补正之日 {correction} 已晚于答复期限 {first_due}[/]："
            "补正不使期限重新起算，逾期自原答复期限起计"
        )
    elif supplement:
        out.print(f"收到补正材料：{supplement}，答复期限自该日重新起算")
    for after, through in pauses:
        out.print(f"不计入期限：{after} 之后至 {through}（含）之间的工作日")
    period = regulation.reply
    out.print(f"答复期限：{original}{mark}（{period.article}，{period.working_days} 个工作日）")
    if extension:
        out.print(f"延长后答复期限：{due}{mark}（延长 {extension} 个工作日）")
    if left is None:
        out.print(
            f"[bold]今天（{today}）不在工作日历的范围内，无法计算剩余工作日[/]（到期日 {due}）"
        )
    elif today > due:
        overdue = f"{-left} 个工作日（暂定）" if left_provisional else f"{-left} 个工作日"
        out.print(f"[bold red]截至 {today} 已超期 {overdue}[/]")
    else:
        days_left = f"{left} 个工作日（暂定）" if left_provisional else f"{left} 个工作日"
        out.print(f"[bold]截至 {today} 还剩 {days_left}[/]（到期日 {due}）")


# ---------------------------------------------------------------------------------------------
# gongkai calendar: the years' holiday schedules, entered by an administrator
# ---------------------------------------------------------------------------------------------

calendar_app = typer.Typer(
    help="工作日历：各年度放假安排的来源（已录入、软件包、暂定），录入国务院办公厅的放假通知。",
    no_args_is_help=True,
)
app.add_typer(calendar_app, name="calendar")


def use_entered_calendar() -> None:
    """Count the years entered in this deployment's database, if it has one.

    A command that only computes (``deadline``) must work on a machine without a database, so
    nothing is created or migrated here: no database file or no calendar table means no
    entered years.
    """
    import os

    from django.apps import apps

    if apps.ready:  # inside a Django process the calendars app has registered its store
        return
    sqlite = os.environ.get("GONGKAI_SQLITE_PATH", str(Path.cwd() / "gongkai.sqlite3"))
    if not os.environ.get("DATABASE_URL") and not Path(sqlite).is_file():
        return
    from django.db import DatabaseError, connection

    from gongkai.core.calendar import set_schedule_store
    from gongkai.web import runner

    runner.setup_django()
    try:
        tables = connection.introspection.table_names()
    except DatabaseError:
        tables = []
    if "calendars_calendaryearversion" not in tables:
        set_schedule_store(None)


def calendar_database() -> str:
    """Set up Django on the deployment's database and bring it up to date (as ``serve`` does)."""
    from django.db import DatabaseError

    from gongkai.web import runner

    runner.setup_django()
    try:
        return runner.migrate()
    except DatabaseError as error:
        fail(f"无法使用数据库（{error}），请检查 DATABASE_URL 或 GONGKAI_SQLITE_PATH")


def parse_year(value: str) -> int:
    text = value.strip()
    if not (text.isdigit() and len(text) == 4):
        fail(f"年度「{value}」无效，请填写四位数字，例如 2027")
    return int(text)


def _cli_user() -> str:
    import getpass

    try:
        return f"命令行（{getpass.getuser()}）"
    except (KeyError, OSError):  # no user name in a bare container
        return "命令行"


def _print_entered(entered: Any) -> None:
    version = entered.version
    out.print(
        f"已录入 {version.year} 年的放假安排（{version.source}）：放假 {len(version.days_off)} 天，"
        f"调休上班 {len(version.workdays)} 天；所有期限即时按此计算。"
    )
    for warning in entered.warnings:
        err.print(f"[bold yellow]请核对：[/]{warning}")


@calendar_app.command("list")
def calendar_list_command(
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """列出工作日历的各年度及其来源（已录入 / 软件包 / 暂定）。"""
    calendar_database()
    from gongkai.calendars import selectors
    from gongkai.core.calendar import today_in_china

    today = today_in_china()
    rows = selectors.calendar_year_list(today=today)
    warnings = selectors.calendar_warnings(today)
    if as_json:
        print_json(
            {
                "years": [
                    {
                        "year": r.year,
                        "source": r.schedule.source.value,
                        "note": r.schedule.note,
                        "versions": r.versions,
                    }
                    for r in rows
                ],
                "warnings": warnings,
            }
        )
        return
    table = Table("年度", "来源", "依据", "录入版本")
    for r in rows:
        table.add_row(str(r.year), r.source_label, r.schedule.note, str(r.versions or "—"))
    out.print(table)
    for warning in warnings:
        out.print(f"[bold yellow]提醒：[/]{warning}")


@calendar_app.command("show")
def calendar_show_command(
    year: Annotated[str, typer.Argument(metavar="年度", help="例如 2027")],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """显示一个年度的放假日期、调休上班日期和录入版本。"""
    number = parse_year(year)
    calendar_database()
    from gongkai.calendars import selectors

    schedule = selectors.calendar_year_get(number)
    versions = selectors.calendar_year_versions(number)
    if as_json:
        print_json(
            {
                "year": number,
                "source": schedule.source.value,
                "note": schedule.note,
                "days_off": sorted(schedule.days_off),
                "workdays": sorted(schedule.workdays),
                "versions": [
                    {
                        "source": v.source,
                        "entered_by": v.entered_by_name,
                        "entered_at": v.entered_at.isoformat(),
                    }
                    for v in versions
                ],
            }
        )
        return
    out.print(f"[bold]{number} 年放假安排（{schedule.source.label}）[/]：{schedule.note}")
    if schedule.provisional:
        out.print(
            "暂定：尚未录入国务院办公厅的放假安排，以下按法定节假日和补假推算，不含调休上班日。"
        )
    off = "、".join(d.isoformat() for d in sorted(schedule.days_off))
    work = "、".join(d.isoformat() for d in sorted(schedule.workdays)) or "无"
    out.print(f"放假（{len(schedule.days_off)} 天）：{off}")
    out.print(f"调休上班（{len(schedule.workdays)} 天）：{work}")
    for index, v in enumerate(versions):
        state = "现行" if index == 0 else "已被替代"
        out.print(
            f"录入版本：{v.entered_at:%Y-%m-%d %H:%M} {v.entered_by_name} {v.source}（{state}）"
        )


@calendar_app.command("set")
def calendar_set_command(
    year: Annotated[str, typer.Argument(metavar="年度", help="例如 2027")],
    off: Annotated[
        str, typer.Option("--off", help="放假日期，逗号分隔，可写区间 2027-02-05至2027-02-12")
    ],
    source: Annotated[str, typer.Option("--source", help="依据：国务院办公厅通知的文号")],
    work: Annotated[str, typer.Option("--work", help="调休上班日期，逗号分隔")] = "",
) -> None:
    """录入（或更正）一个年度的放假安排；旧版本保留，新版本立即生效。"""
    number = parse_year(year)
    if not off.strip():
        fail("请用 --off 填写放假日期，例如 --off 2027-01-01,2027-02-05至2027-02-12")
    text = f"放假 {off}" + (f"\n上班 {work}" if work.strip() else "")
    calendar_database()
    from gongkai.calendars import services

    _print_entered(
        services.calendar_year_import(
            year=number, text=text, source=source, acting_name=_cli_user()
        )
    )


@calendar_app.command("import")
def calendar_import_command(
    year: Annotated[str, typer.Argument(metavar="年度", help="例如 2027")],
    file: Annotated[Path, typer.Argument(metavar="文件", help="每行写明“放假”或“上班”和日期")],
    source: Annotated[str, typer.Option("--source", help="依据：国务院办公厅通知的文号")],
) -> None:
    """从文本或 CSV 文件导入一个年度的放假安排。"""
    number = parse_year(year)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        fail(f"找不到文件 {file}")
    except UnicodeDecodeError:
        fail(f"文件 {file} 不是 UTF-8 编码的文本，请另存为 UTF-8 后再导入")
    except OSError as error:
        fail(f"无法读取文件 {file}：{error.strerror}")
    calendar_database()
    from gongkai.calendars import services

    _print_entered(
        services.calendar_year_import(
            year=number, text=text, source=source, acting_name=_cli_user()
        )
    )


# ---------------------------------------------------------------------------------------------
# gongkai fee
# ---------------------------------------------------------------------------------------------


@app.command("remind")
def remind_command(
    on: Annotated[
        str | None, typer.Option("--date", help="按此日计算，默认今天 YYYY-MM-DD")
    ] = None,
    days: Annotated[
        int | None, typer.Option("--days", help="到期前几个工作日提醒，默认取设置（3）")
    ] = None,
) -> None:
    """发送期限提醒与每日待办邮件；由 cron 或 systemd 定时器每天运行，重复运行不会重复发送。"""
    from gongkai.web import runner

    day = parse_date(on, "日期") if on else None
    if days is not None and days < 0:
        fail(f"提前天数不能为负数：{days}")
    runner.setup_django()
    from gongkai.reminders.services import send_reminders

    summary = send_reminders(today=day, days_before=days)
    out.print(
        f"{summary.day.isoformat()}：新提醒 {summary.created} 条，"
        f"发送邮件 {summary.emails} 封（含每日待办 {summary.digests} 封）"
    )
    for failure in summary.failed:
        err.print(error_line(f"发送失败：{failure}"))
    if summary.failed:
        raise typer.Exit(1)


@app.command("evaluate")
def evaluate_command(
    watch: Annotated[
        bool,
        typer.Option("--watch", help="审查完后继续等待新上传的报告（供 systemd 服务常驻运行）"),
    ] = False,
) -> None:
    """审查“报告评估”中上传后待审查的报告，直到没有待审查的；gongkai serve 已在后台自动运行。"""
    from gongkai.web import runner

    runner.setup_django()
    from gongkai.evaluations import worker

    def told(total: int) -> None:
        out.print(f"已审查 {total} 份报告")

    try:
        with worker.stopped_by_sigterm():
            total = worker.run(watch=watch, progress=told)
    except KeyboardInterrupt as stopped:  # Ctrl+C, or SIGTERM (systemctl stop): a clean stop
        out.print("已停止：已审查完的报告已保存，未审查完的仍待审查，下次运行时审查")
        raise typer.Exit(0 if isinstance(stopped, worker.Stopped) else 130) from None
    out.print(f"没有待审查的报告（本次共审查 {total} 份）")


@app.command("fee")
def fee_command(
    requests: Annotated[
        str | None, typer.Option("--requests", help="按件计收：同一申请人本月的申请件数")
    ] = None,
    pages: Annotated[str | None, typer.Option("--pages", help="按量计收：提供信息的页数")] = None,
    already: Annotated[
        str | None,
        typer.Option(
            "--already",
            help="仅用于按件计收：同一申请人本月此前已申请的件数（按件累计）；按量计收不跨申请累计",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """计算信息处理费（《政府信息公开信息处理费管理办法》，超额累进）。"""
    from gongkai.core import fees, law

    if (requests is None) == (pages is None):
        fail("请在 --requests（按件）和 --pages（按量）中选择且只选择一种计收方式")
    if pages is not None and already is not None:
        fail(
            "--already 只用于按件计收（同一申请人本月此前已申请的件数，按件逐月累计）；"
            f"按量计收只按本件申请提供的页数计算，不与此前的申请累计（{law.FEE_ARTICLE}）。"
            "请去掉 --already，或改用 --requests"
        )
    if requests is not None:
        result = fees.fee_for_requests(
            parse_count(requests, "件数"), parse_count(already or "0", "本月此前已申请件数")
        )
    else:
        assert pages is not None
        result = fees.fee_for_pages(parse_count(pages, "页数"))
    if as_json:
        print_json(
            {
                "method": result.method.value,
                "units": result.units,
                "yuan": str(result.yuan),
                "bands": [
                    {"first": b.first, "last": b.last, "yuan_each": str(b.yuan_each)}
                    for b in result.bands
                ],
                "basis": result.basis,
            }
        )
        return
    out.print(f"[bold]信息处理费：{result.yuan:,} 元[/]（{result.method.label}）")
    for line in result.describe()[:-1]:
        out.print(f"  {line}")
    out.print(f"依据：{result.basis}")


# ---------------------------------------------------------------------------------------------
# gongkai check
# ---------------------------------------------------------------------------------------------


def load_report_json(path: Path, what: str) -> Any:
    from gongkai.core.inputs import read_regular_file
    from gongkai.core.model import AnnualReport

    data, problem = read_regular_file(path, limit=MAX_REPORT_JSON_BYTES)
    if data is None:
        fail(f"无法读取{what}文件 {path}：{problem}")
    problem = _json_shape_problem(data)
    if problem:
        fail(f"{what}文件 {path} 不是有效的年度报告：{problem}")
    return AnnualReport.from_json(data, source=str(path))


# A report's numbers are counts and amounts: no real one has more digits than this.
MAX_JSON_INTEGER_DIGITS = 18


def _json_shape_problem(data: bytes) -> str | None:
    """What makes the JSON unusable before its fields are looked at (nesting, huge numbers)."""

    def bounded_int(text: str) -> int:
        if len(text.lstrip("-")) > MAX_JSON_INTEGER_DIGITS:
            raise _JsonNumberError
        return int(text)

    def bounded_float(text: str) -> float:
        if len(text) > 2 * MAX_JSON_INTEGER_DIGITS:
            raise _JsonNumberError
        return float(text)

    try:
        json.loads(data, parse_int=bounded_int, parse_float=bounded_float)
    except RecursionError:
        return "JSON 嵌套层数过多"
    except _JsonNumberError:
        return f"JSON 中有超过 {MAX_JSON_INTEGER_DIGITS} 位的数字"
    except (ValueError, UnicodeDecodeError):
        return None  # from_json says what is wrong, in its own words
    return None


class _JsonNumberError(Exception):
    """A number in the JSON with more digits than any count or amount."""


# A structured report is a few tens of kilobytes; anything this large is not one.
MAX_REPORT_JSON_BYTES = 16 * 1024 * 1024


@app.command("check")
def check_command(
    report_path: Annotated[Path, typer.Argument(metavar="REPORT.json", help="结构化年度报告")],
    previous: Annotated[
        Path | None, typer.Option("--previous", help="上一年度的年度报告（跨年度核对）")
    ] = None,
    today: Annotated[str | None, typer.Option("--today", help="按此日期核对发布期限")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """按勾稽关系和格式要求核对一份结构化年度报告（JSON）。有错误时退出码为 1。"""
    from gongkai.core.rules import check_report

    report = load_report_json(report_path, "年度报告")
    last = load_report_json(previous, "上一年度报告") if previous else None
    on = parse_date(today, "核对日期") if today else None
    findings = check_report(report, previous=last, today=on)
    errors = sum(1 for f in findings if f.is_error)
    if as_json:
        print_json(
            {
                "file": str(report_path),
                "unit": report.meta.unit,
                "year": report.meta.year,
                "format": report.meta.format_version,
                "errors": errors,
                "findings": [f.model_dump(mode="json") for f in findings],
            }
        )
    else:
        meta = report.meta
        out.print(
            literal(
                styled(f"{meta.unit} {meta.year} 年度报告", "bold"),
                f"（{report.format.document} 格式）",
            )
        )
        print_findings(findings)
    raise typer.Exit(EXIT_ERRORS if errors else EXIT_OK)


SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def print_findings(findings: Sequence[Finding], *, indent: str = "") -> None:
    if not findings:
        out.print(literal(indent, styled("未发现问题。", "green")))
        return
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    out.print(
        Text(
            f"{indent}发现 {len(findings)} 个问题：错误 {counts[Severity.ERROR]}，"
            f"警告 {counts[Severity.WARNING]}，提示 {counts[Severity.INFO]}"
        )
    )
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("级别", no_wrap=True)
    table.add_column("规则", no_wrap=True)
    table.add_column("说明")
    for finding in findings:
        message = Text(finding.message)
        if finding.excerpt:
            message.append(f"\n原文：{finding.excerpt}", style="dim")
        table.add_row(
            styled(finding.severity.label, SEVERITY_STYLE[finding.severity]),
            Text(finding.rule),
            message,
        )
    out.print(table)


# ---------------------------------------------------------------------------------------------
# gongkai report
# ---------------------------------------------------------------------------------------------


def write_atomically(path: Path, text: str | bytes) -> None:
    """Write ``text`` (or bytes) to ``path`` through a temporary file in the same folder, so a
    reader never sees half a report; exit 2 when the folder cannot be written."""
    import os
    import tempfile

    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(text.encode("utf-8") if isinstance(text, str) else text)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        fail(f"无法写入文件 {path}（{error.strerror or error}）")


@app.command("report")
def report_command(
    unit: Annotated[str, typer.Option("--unit", help="单位名称（全称、简称或名称中的一段）")],
    year: Annotated[str, typer.Option("--year", help="报告年度，例如 2024")],
    output: Annotated[
        Path, typer.Option("--output", help="输出文件（.json/.html/.docx/.pdf/.xlsx/.txt）")
    ],
    own: Annotated[
        bool, typer.Option("--own", help="只生成本单位自己的报告，不汇总下级单位")
    ] = False,
) -> None:
    """由本系统数据库中的案件、复议诉讼和登记簿生成一个单位的年度报告，核对并写入文件。

    有下级单位的单位默认生成汇总报告（各单位已发布的该年度报告之和，须全部单位都已发布）；
    加 --own 只生成本单位自己的报告。有错误时仍写入文件，退出码为 1。
    """
    from gongkai.core.render.report_files import REPORT_SUFFIXES, render_report_file

    number = parse_year(year)
    if output.suffix.lower() not in REPORT_SUFFIXES:
        fail(
            f"暂不支持输出 {output.suffix or '无扩展名'} 文件，请使用 {'、'.join(REPORT_SUFFIXES)}"
        )
    if not output.parent.is_dir():
        fail(f"文件夹 {output.parent} 不存在")
    calendar_database()
    from gongkai.reports.checks import errors

    try:
        found, report, findings, what, previous, rollup = _report_for(unit, number, own=own)
    except GongkaiError as error:
        fail(str(error))
    from gongkai.core.render.charts import ChartInputs
    from gongkai.reports.charts import monthly_received

    # The month chart counts the unit's own cases; a roll-up sums published reports, not cases.
    monthly = None if rollup else monthly_received(unit=found, year=number)
    charts = ChartInputs(monthly=monthly, previous=previous)
    write_atomically(output, render_report_file(report, output, charts=charts))
    out.print(
        f"[bold]{found.name} {number} {what}[/]（{report.format.document} 格式）已写入 {output}"
    )
    print_findings(findings)
    raise typer.Exit(EXIT_ERRORS if errors(findings) else EXIT_OK)


ROLLUP_INCOMPLETE = (
    "“{unit}”的 {year} 年度汇总报告须包含全部 {total} 个单位已发布的年度报告，"
    "还有 {count} 个单位没有发布：{names}。各单位发布后再汇总；只要本单位自己的报告，请加 --own"
)


def _report_for(
    name: str, year: int, *, own: bool
) -> tuple[Any, Any, list[Finding], str, Any, bool]:
    """The unit ``name`` designates, its report for ``year`` with every rule's findings, what
    the report is, last year's report and whether this is a roll-up: the unit's own, or — for a
    unit with units below it, unless ``own`` — the roll-up of the whole subtree's published
    reports (refused while one is missing).

    A report the data still make exactly as it was last published is that publication, with
    its publication date (so the deadline rule can check it), not an undated copy."""
    from gongkai.reports.builder import build_report
    from gongkai.reports.checks import check_built
    from gongkai.reports.selectors import (
        has_subunits,
        latest_published,
        previous_report,
        rollup_of,
        unit_named,
    )

    found = unit_named(name)
    rollup = not own and has_subunits(found)
    if not rollup:
        report, what = build_report(unit=found, year=year), "年度报告"
    else:
        draft = rollup_of(unit=found, year=year)
        if draft.rollup is None or draft.missing:
            shown = "、".join(u.name for u in draft.missing[:12])
            if len(draft.missing) > 12:
                shown += " 等"
            raise GongkaiError(
                ROLLUP_INCOMPLETE.format(
                    unit=found.name,
                    year=year,
                    total=len(draft.sources) + len(draft.missing),
                    count=len(draft.missing),
                    names=shown,
                )
            )
        report, what = draft.rollup.report, f"年度汇总报告（{len(draft.sources)} 个单位）"
    published = latest_published(unit=found, year=year, rollup=rollup)
    if published is not None and published.report.with_meta(published=None) == report:
        report = published.report
    previous = previous_report(unit=found, year=year, rollup=rollup)
    return found, report, check_built(report, previous=previous), what, previous, rollup


# ---------------------------------------------------------------------------------------------
# gongkai report-import
# ---------------------------------------------------------------------------------------------


@app.command("report-import")
def report_import_command(
    file: Annotated[
        Path, typer.Argument(help="已发布的年度报告文件（Word、PDF、OFD、网页或文本）")
    ],
    unit: Annotated[str, typer.Option("--unit", help="单位名称（全称、简称或名称中的一段）")],
    year: Annotated[str, typer.Option("--year", help="报告年度，例如 2023")],
    rollup: Annotated[bool, typer.Option("--rollup", help="导入的是本单位的汇总年度报告")] = False,
) -> None:
    """导入单位往年已发布的年度报告（用审查工具读出），作为跨年度核对和逐年对比的依据。

    文件的年度（及读出的单位）须与所选一致，否则拒绝导入（退出码 2）；审查结果一并记录。
    """
    from gongkai.core.inputs import read_regular_file

    number = parse_year(year)
    data, problem = read_regular_file(file)
    if data is None:
        fail(f"无法读取文件 {file}：{problem}")
    calendar_database()
    from gongkai.reports.imports import SUPERSEDED, import_report_file
    from gongkai.reports.selectors import unit_named

    try:
        found = unit_named(unit)
        done = import_report_file(unit=found, year=number, name=file.name, data=data, rollup=rollup)
    except GongkaiError as error:
        fail(str(error))
    what = "汇总年度报告" if rollup else "年度报告"
    out.print(
        f"[bold]已导入 {found.name} {number} {what}[/]（{file.name}，"
        f"SHA-256 {done.record.source_sha256}）"
    )
    if done.superseded:
        out.print(literal("", styled(SUPERSEDED, "yellow")))
    print_findings(done.findings)
    raise typer.Exit(EXIT_OK)


# ---------------------------------------------------------------------------------------------
# gongkai audit
# ---------------------------------------------------------------------------------------------

# The words are the renderers' (core.render.labels), so the terminal, HTML and Excel agree.
STATUS_STYLES = {
    "ok": "green",
    "findings": "yellow",
    "errors": "bold red",
    "unreadable": "bold magenta",
}

# More processes than this only cost memory: the work is bounded by the machine's cores.
MAX_JOBS = 256


def status_label(status: str) -> Text:
    return styled(STATUS_LABELS[status], STATUS_STYLES[status])  # type: ignore[index]


class _StepInterruptedError(Exception):
    """Ctrl-C while a step was running; ``str()`` names the step, for the message."""


@app.command("audit")
def audit_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(metavar="PATH...", help="报告文件、文件夹或 zip 压缩包"),
    ] = None,
    previous: Annotated[
        list[Path] | None,
        typer.Option("--previous", help="上一年度的报告（跨年度核对、照搬检查），可多次"),
    ] = None,
    pair: Annotated[
        bool | None,
        typer.Option(
            "--pair/--no-pair",
            help="自动按单位配对同一批中的相邻年度（默认配对；集群模式下先写出不能配对的行，"
            "其余在整批审查完后配对写出，--no-pair 则逐份写出）",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出全部结果")] = False,
    xlsx: Annotated[
        Path | None, typer.Option("--xlsx", help="写出 Excel 工作簿（报告表、问题表）")
    ] = None,
    html: Annotated[
        Path | None, typer.Option("--html", help="写出 HTML 页面（每份报告一页及索引页）")
    ] = None,
    jobs: Annotated[str | None, typer.Option("--jobs", help="并行进程数，默认全部 CPU")] = None,
    today: Annotated[str | None, typer.Option("--today", help="按此日期核对发布期限")] = None,
    verbose: Annotated[bool, typer.Option("--all", help="也列出“提示”级别的问题")] = False,
    jsonl: Annotated[
        Path | None,
        typer.Option(
            "--jsonl",
            metavar="FILE",
            help="逐行写出 JSONL（每份报告一行：index、path、unit、year、kind、错误数、问题），"
            "“-” 为标准输出",
        ),
    ] = None,
    files_from: Annotated[
        Path | None,
        typer.Option(
            "--files-from",
            metavar="LIST",
            help="从列表文件逐行读取要审查的路径（“-” 为标准输入），适合数以万计的文件",
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="tcp://HOST:PORT",
            help="在 Dask 分布式集群上审查：结果按完成顺序逐行写出 JSONL（默认标准输出，"
            "index 为输入序号；加 --json、--xlsx 或 --html 时只写到 --jsonl 指定处，"
            "--json、--xlsx、--html 在全部审查完后按输入顺序写出）；各工作节点须安装 gongkai",
        ),
    ] = None,
    shared_files: Annotated[
        bool,
        typer.Option(
            "--shared-files",
            help="集群模式：工作节点能以同样的路径读到这些文件（共享存储），只发送路径，"
            "由工作节点读取",
        ),
    ] = False,
    chunk: Annotated[
        str | None,
        typer.Option("--chunk", metavar="N", help="集群模式：每个任务审查的报告份数（默认 16）"),
    ] = None,
    time_limit: Annotated[
        str | None,
        typer.Option("--time-limit", metavar="SECONDS", help="每份文件审查的最长秒数（默认 60）"),
    ] = None,
    connect_timeout: Annotated[
        str, typer.Option("--connect-timeout", metavar="SECONDS", help="连接调度器的最长秒数")
    ] = "10",
) -> None:
    """审查已发布的年度报告（文本、HTML、DOCX、PDF、OFD）：表格勾稽、正文与表格、跨年度、发布期限。

    加 --scheduler 时在 Dask 集群上审查：每份报告一行 JSONL，按完成顺序写出。

    每行的 index 是输入序号；--jsonl 在单机模式下按输入顺序写出同样的行。

    退出码：0 无错误；1 有报告存在错误；2 有输入无法读取。
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from gongkai.core import audit

    if scheduler is not None:
        _audit_on_cluster(
            scheduler,
            paths or [],
            files_from=files_from,
            jsonl=jsonl,
            timeout=parse_count(connect_timeout, "连接调度器的秒数", most=3600),
            pair=pair is not False,
            shared_files=shared_files,
            chunk=parse_count(chunk, "每个任务的报告份数", most=10_000) if chunk else None,
            time_limit=_time_limit(time_limit),
            previous=previous or [],
            as_json=as_json,
            xlsx=xlsx,
            html=html,
            refused={"--jobs": jobs is not None},
            today=parse_date(today, "核对日期") if today else None,
        )
    if shared_files or chunk is not None:
        fail("--shared-files 和 --chunk 只用于集群模式（--scheduler）")
    if jsonl is not None and as_json and str(jsonl) == "-":
        fail("--json 与 --jsonl - 不能同时写到标准输出")
    workers = parse_count(jobs, "并行进程数", most=MAX_JOBS) if jobs is not None else None
    if workers == 0:
        fail("并行进程数至少为 1")
    on = parse_date(today, "核对日期") if today else None
    for path in [*(paths or []), *(previous or [])]:
        if _missing(path):
            fail(f"文件或文件夹不存在：{path}")
    # A listed path that is missing is that line's finding, as in cluster mode: in a list of
    # thousands, one stale entry must not stop the batch.
    paths = [*(paths or []), *_listed_paths(files_from)]
    if not paths:
        fail(NO_AUDIT_PATHS)
    earlier = _audit_previous(previous or [], today=on)
    with Progress(
        TextColumn("审查中"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}", markup=False),
        console=err,
        transient=True,
        disable=as_json or not err.is_terminal,
    ) as bar:
        task = bar.add_task("", total=None)
        try:
            results = audit.audit_paths(
                paths,
                jobs=workers,
                earlier=earlier,
                pair_years=pair is not False,
                today=on,
                time_limit=_time_limit(time_limit),
                progress=lambda r: bar.update(task, advance=1, description=Path(r.file).name),
            )
        except KeyboardInterrupt:
            raise _StepInterruptedError("审查尚未完成，没有写出任何结果") from None
    if not results:
        fail("没有找到可审查的报告文件（支持 .txt .html .htm .docx .doc .wps .pdf 及 .zip）")
    if xlsx is not None:
        from gongkai.core.render.audit_xlsx import write_audit_xlsx

        try:
            write_audit_xlsx(results, xlsx)
        except KeyboardInterrupt:
            raise _StepInterruptedError(f"Excel 工作簿 {xlsx} 未写出，原有文件保持不变") from None
    if html is not None:
        from gongkai.core.render.audit_html import write_audit_html

        try:
            write_audit_html(results, html)
        except KeyboardInterrupt:
            raise _StepInterruptedError(f"HTML 页面 {html} 未写出，原有页面保持不变") from None
    for r in results:
        if not r.readable:
            # The README promises the reasons on stderr, also with --json on stdout.
            err.print(literal(styled("无法读取：", "bold magenta"), f"{r.file}：{r.reason}"))
    if jsonl is not None:
        from gongkai.core.batch import result_line

        with _jsonl_sink(jsonl) as sink:
            for index, r in enumerate(results):
                sink(result_line(index, r))
    if as_json:
        print_json([r.model_dump(mode="json") for r in results])
    elif jsonl is None or str(jsonl) != "-":
        print_audit(results, verbose=verbose)
        if xlsx is not None:
            out.print(Text(f"Excel 工作簿已写出：{xlsx}"))
        if html is not None:
            out.print(Text(f"HTML 页面已写出：{html / 'index.html'}"))
    raise typer.Exit(audit.exit_status(results))


NO_AUDIT_PATHS = (
    "缺少必需的参数 PATH...：请给出要审查的报告文件或文件夹，或用 --files-from 给出路径列表"
)


def _listed_paths(files_from: Path | None) -> Iterator[Path]:
    """The paths of a ``--files-from`` list, read one line at a time (never all at once)."""
    if files_from is None:
        return
    from gongkai.core.batch import read_path_list

    if str(files_from) == "-":
        yield from read_path_list(sys.stdin)
        return
    try:
        handle = open(files_from, encoding="utf-8", errors="surrogateescape")  # noqa: SIM115
    except OSError as exc:
        fail(f"无法读取路径列表 {files_from}：{_os_reason(exc)}")
    with handle:
        try:
            yield from read_path_list(handle)
        except OSError as exc:
            fail(f"读取路径列表 {files_from} 时出错：{_os_reason(exc)}")


@contextlib.contextmanager
def _jsonl_sink(target: Path) -> Iterator[Callable[[str], None]]:
    """A function writing one line to ``target`` (``-`` = stdout) and flushing it at once.

    Line by line, so that a reader (``tail -f``, a pipe) sees each report as it is done and an
    interrupted batch keeps every line already written.
    """
    if str(target) == "-":
        handle = sys.stdout
        close = False
    else:
        try:
            handle = open(target, "w", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            fail(f"无法写入文件 {target}（{_os_reason(exc)}）")
        close = True

    def write(line: str) -> None:
        handle.write(line + "\n")
        handle.flush()

    try:
        yield write
    except OSError as exc:
        if close:
            fail(f"无法写入文件 {target}（{_os_reason(exc)}）")
        raise
    finally:
        if close:
            handle.close()


def _audit_on_cluster(
    address: str,
    paths: Sequence[Path],
    *,
    files_from: Path | None,
    jsonl: Path | None,
    timeout: int,
    pair: bool,
    shared_files: bool,
    chunk: int | None,
    time_limit: float,
    previous: Sequence[Path],
    as_json: bool,
    xlsx: Path | None,
    html: Path | None,
    refused: dict[str, bool],
    today: dt.date | None,
) -> NoReturn:
    """``gongkai audit --scheduler``: the batch on a Dask cluster, streamed to JSONL.

    The client reads the files (so the workers need no shared disk) unless ``--shared-files``
    says the workers see them too; it keeps only a small window of tasks in flight, and each
    line is written and flushed as its report completes. Pairing years keeps the reports that
    may pair in an index on disk (a temporary folder) until the batch is done; last year's
    reports named by ``--previous`` (a few) are audited here first and join that index.

    ``--json``, ``--xlsx`` and ``--html`` need every result in input order: each result is
    kept on disk as it arrives (:class:`gongkai.core.batch.ResultStore`) and they are written
    from there at the end, one result at a time; the JSONL lines then go only to ``--jsonl``
    if given.
    """
    import tempfile
    from itertools import chain

    from rich.progress import MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from gongkai.core import batch

    options = [name for name, given in refused.items() if given]
    if options:
        fail(
            f"集群模式（--scheduler）不能与 {'、'.join(options)} 同用（进程数由集群的工作节点决定）"
        )
    if jsonl is not None and as_json and str(jsonl) == "-":
        fail("--json 与 --jsonl - 不能同时写到标准输出")
    if timeout < 1:
        fail("连接调度器的秒数至少为 1")
    if chunk is not None and chunk < 1:
        fail("每个任务的报告份数至少为 1")
    address = batch.scheduler_address(address)
    if not paths and files_from is None:
        fail(NO_AUDIT_PATHS)
    for path in [*paths, *previous]:
        if _missing(path):
            fail(f"文件或文件夹不存在：{path}")
    earlier = _audit_previous(previous, today=today)
    whole = as_json or xlsx is not None or html is not None
    # With --json, --xlsx or --html the lines go only where --jsonl says, as on one machine.
    target = jsonl if jsonl is not None else None if whole else Path("-")
    stats = batch.BatchStats()
    size = chunk or batch.CHUNK_DOCUMENTS
    with (
        _quiet_loggers("distributed"),
        tempfile.TemporaryDirectory(prefix="gongkai-years-") as folder,
        contextlib.closing(batch.ResultStore(Path(folder) / "results.sqlite")) as store,
    ):
        client = batch.connect(address, timeout=timeout)
        try:
            docs = batch.iter_sources(
                chain(paths, _listed_paths(files_from)), on_workers=shared_files
            )
            if pair or earlier:
                lines = batch.stream_paired(
                    client,
                    docs,
                    folder=Path(folder),
                    today=today,
                    chunk=size,
                    time_limit=time_limit,
                    stats=stats,
                    earlier=earlier,
                    pair_years=pair,
                    store=store if whole else None,
                )
            else:
                lines = batch.stream_on_cluster(
                    client,
                    docs,
                    today=today,
                    chunk=size,
                    time_limit=time_limit,
                    stats=stats,
                    store=store if whole else None,
                )
            with (
                _jsonl_sink(target) if target is not None else _no_sink() as sink,
                Progress(
                    TextColumn("集群审查中"),
                    MofNCompleteColumn(),
                    TimeElapsedColumn(),
                    console=err,
                    transient=True,
                    # Lines on the terminal's stdout would tear through the bar.
                    disable=not err.is_terminal or str(target) == "-" or as_json,
                ) as bar,
            ):
                task = bar.add_task("", total=None)
                for line in lines:
                    sink(line)
                    bar.update(task, advance=1)
        except KeyboardInterrupt:
            raise _StepInterruptedError(
                f"集群审查尚未完成，已写出 {stats.lines} 行（按完成顺序，index 为输入序号）"
            ) from None
        finally:
            with contextlib.suppress(Exception):
                client.close(timeout=5)
        if not stats.lines:
            fail("没有找到可审查的报告文件（支持 .txt .html .htm .docx .doc .wps .pdf 及 .zip）")
        if xlsx is not None:
            from gongkai.core.render.audit_xlsx import write_audit_xlsx

            try:
                write_audit_xlsx(store.view(), xlsx)
            except KeyboardInterrupt:
                raise _StepInterruptedError(
                    f"Excel 工作簿 {xlsx} 未写出，原有文件保持不变"
                ) from None
            err.print(Text(f"Excel 工作簿已写出：{xlsx}"))
        if html is not None:
            from gongkai.core.render.audit_html import write_audit_html

            try:
                write_audit_html(store.results(), html)
            except KeyboardInterrupt:
                raise _StepInterruptedError(f"HTML 页面 {html} 未写出，原有页面保持不变") from None
            err.print(Text(f"HTML 页面已写出：{html / 'index.html'}"))
        if as_json:
            _print_json_stream(r.model_dump(mode="json") for r in store.results())
    where = ""
    if target is not None:
        where = f"；JSONL 已写到{'标准输出' if str(target) == '-' else target}"
    paired = ""
    if pair or earlier:
        count, renamed = stats.extra.get("paired", 0), stats.extra.get("renamed", 0)
        paired = f"；与同一单位上一年度报告配对 {count} 份（其中单位名称变更 {renamed} 份）"
    err.print(
        Text(
            f"集群审查完成：{stats.lines} 份报告（{stats.workers} 个工作进程），"
            f"有错误 {stats.errors} 份，无法读取 {stats.unreadable} 份{paired}{where}"
        )
    )
    raise typer.Exit(stats.status)


@contextlib.contextmanager
def _no_sink() -> Iterator[Callable[[str], None]]:
    yield lambda line: None


def _print_json_stream(items: Iterable[object]) -> None:
    """What :func:`print_json` prints for the list of ``items``, one item at a time."""
    write = sys.stdout.write
    first = True
    for item in items:
        text = json.dumps(item, ensure_ascii=False, indent=2, default=_json_default)
        write(("[\n" if first else ",\n") + "\n".join("  " + part for part in text.split("\n")))
        first = False
    write("[]\n" if first else "\n]\n")


@contextlib.contextmanager
def _quiet_loggers(*names: str) -> Iterator[None]:
    """Libraries' own log lines (English, for operators) stay out of the user's terminal:
    Dask's on a cluster; pdfminer's on a damaged PDF (「Data-loss while decompressing corrupted
    data」), whose result already says in Chinese what could not be read."""
    import logging

    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _time_limit(value: str | None) -> float:
    """``--time-limit``: whole seconds, at least 1 (default: the core's per-file limit)."""
    from gongkai.core.audit import FILE_TIME_LIMIT

    if value is None:
        return FILE_TIME_LIMIT
    seconds = parse_count(value, "每份文件的最长秒数", most=86_400)
    if seconds < 1:
        fail("每份文件的最长秒数至少为 1")
    return float(seconds)


def _missing(path: Path) -> bool:
    """Only a path that is certainly absent; any other error is the batch's finding for it."""
    try:
        os.lstat(path)
    except FileNotFoundError:
        return True
    except (OSError, ValueError):
        return False
    return False


def _audit_previous(paths: Sequence[Path], *, today: dt.date | None) -> list[Any]:
    """Last year's reports; one that cannot be read is an error, not silently left out."""
    from gongkai.core import audit

    earlier = audit.audit_previous(paths, today=today)
    bad = [r for r in earlier if not r.readable]
    if bad:
        reasons = "；".join(f"{r.file}：{r.reason}" for r in bad)
        fail(f"无法读取上一年度的报告（--previous）：{reasons}")
    return earlier


def print_audit(results: Sequence[Any], *, verbose: bool) -> None:
    table = Table(title=f"审查了 {len(results)} 份报告", header_style="bold", show_lines=False)
    for name in ("文件", "单位", "年度", "格式", "错误", "警告", "状态"):
        table.add_column(name, no_wrap=name in ("年度", "格式", "错误", "警告"))
    for r in results:
        table.add_row(
            Text(r.file),
            Text(r.unit or "—"),
            Text(str(r.year or "—")),
            Text(r.format or "—"),
            Text(str(r.errors)),
            Text(str(r.warnings)),
            status_label(r.status),
        )
    out.print(table)
    for r in results:
        out.print()
        title = f"{r.unit} {r.year} 年度" if r.readable else "无法读取"
        out.print(literal(styled(r.file, "bold"), f"（{title}）"))
        if not r.readable:
            out.print(literal("  ", styled(r.reason or "", "bold magenta")))
            continue
        shown = [f for f in r.findings if verbose or f.severity is not Severity.INFO]
        hidden = len(r.findings) - len(shown)
        print_findings(shown, indent="  ")
        if hidden:
            out.print(Text(f"  （另有 {hidden} 条提示，加 --all 显示）"))


# ---------------------------------------------------------------------------------------------
# gongkai schema
# ---------------------------------------------------------------------------------------------


@app.command("schema")
def schema_command() -> None:
    """输出结构化年度报告的 JSON Schema（供其他系统对接）。"""
    from gongkai.core.model import json_schema

    print_json(json_schema())


# ---------------------------------------------------------------------------------------------
# gongkai api-token: the tokens other systems call the API with (gongkai.api)
# ---------------------------------------------------------------------------------------------

api_token_app = typer.Typer(
    help="接口令牌：签发、列出、吊销其他系统调用 /api/ 所用的令牌（每个令牌属于一个单位）。",
    no_args_is_help=True,
)
app.add_typer(api_token_app, name="api-token")


@api_token_app.command("create")
def api_token_create_command(
    unit: Annotated[str, typer.Option("--unit", help="单位名称（全称、简称或名称中的一段）")],
    name: Annotated[str, typer.Option("--name", help="令牌名称（调用系统的名称）")],
    scopes: Annotated[
        list[str],
        typer.Option("--scope", help="权限范围，可多次，如 applications:read"),
    ],
) -> None:
    """签发一个接口令牌；令牌只显示这一次，请立即交给调用系统保存。"""
    calendar_database()
    from gongkai.api.services import api_token_create
    from gongkai.reports.selectors import unit_named

    try:
        token, secret = api_token_create(
            acting_user=None, unit=unit_named(unit), name=name, scopes=scopes
        )
    except GongkaiError as error:
        fail(str(error))
    out.print(f"已为“{token.unit.name}”签发接口令牌 {token.pk}（{token.name}）：")
    out.print(secret, markup=False)
    out.print("[bold yellow]令牌只显示这一次[/]，系统只保存其 SHA-256 摘要，遗失后只能吊销重签。")


@api_token_app.command("list")
def api_token_list_command(
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """列出全部接口令牌（不含令牌本身，只有前缀）。"""
    calendar_database()
    from gongkai.api.selectors import all_tokens

    tokens = list(all_tokens())
    if as_json:
        print_json(
            [
                {
                    "id": t.pk,
                    "unit": t.unit.name,
                    "name": t.name,
                    "prefix": t.prefix,
                    "scopes": t.scopes,
                    "created_at": t.created_at.isoformat(),
                    "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
                    "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
                }
                for t in tokens
            ]
        )
        return
    table = Table("编号", "单位", "名称", "前缀", "权限范围", "最近使用", "状态")
    for t in tokens:
        used = t.last_used_at.strftime("%Y-%m-%d %H:%M") if t.last_used_at else "—"
        table.add_row(
            str(t.pk),
            t.unit.name,
            t.name,
            t.prefix + "…",
            "、".join(t.scopes),
            used,
            "已吊销" if t.revoked_at else "有效",
        )
    out.print(table)


@api_token_app.command("revoke")
def api_token_revoke_command(
    token_id: Annotated[str, typer.Argument(metavar="ID", help="令牌编号（见 list）")],
) -> None:
    """吊销一个接口令牌：其后的调用一律拒绝。"""
    calendar_database()
    from gongkai.api.services import api_token_revoke

    try:
        token = api_token_revoke(acting_user=None, token_id=token_id.strip())
    except GongkaiError as error:
        fail(str(error))
    out.print(f"已吊销“{token.unit.name}”的接口令牌 {token.pk}（{token.name}）")


# ---------------------------------------------------------------------------------------------
# gongkai demo / gongkai serve (the staff web application; bodies in gongkai.web.runner)
# ---------------------------------------------------------------------------------------------


@app.command("demo")
def demo_command(
    db: Annotated[Path, typer.Option("--db", help="演示数据库文件（SQLite），已存在则重建")] = Path(
        "gongkai-demo.sqlite3"
    ),
    port: Annotated[int, typer.Option("--port", help="网页服务端口")] = 8000,
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="建好后是否启动网页服务")
    ] = True,
) -> None:
    """建立演示数据库（泉港区：区政府办、镇街、20 多个部门、一年的申请），然后启动网页服务。"""
    from gongkai.web import runner

    path = db.resolve()
    summary = runner.build_demo_database(path)
    out.print(f"演示数据库：{path}")
    out.print(
        f"{summary.units} 个单位；{summary.since.isoformat()} 至 {summary.today.isoformat()} "
        f"收到申请 {summary.applications} 件，已办结 {sum(summary.results.values())} 件，"
        f"未办结 {summary.open} 件；近 30 天的文书 {summary.letters} 份已发出"
        "（“我的案件”→“打印当日文书”可按日期打印）"
    )
    if summary.seed_year is not None:
        out.print(
            f"另有种子报告的 {summary.seed_year} 年度（examples/quangang-2021.txt）："
            f"申请 {summary.seed_applications} 件，复议和登记簿齐全，"
            "各单位年度报告和区汇总报告均已发布；汇总报告也可用命令生成："
            f"gongkai report --unit 泉港区 --year {summary.seed_year} --output 报告.json"
        )
    table = Table("用户名", "密码", "单位", "角色", title="登录账号")
    for username, password, unit, role in summary.logins:
        table.add_row(username, password, unit, role)
    out.print(table)
    if serve:
        out.print(f"在浏览器中打开 http://127.0.0.1:{port}/ ；按 Ctrl+C 停止。")
        runner.run_server(host="127.0.0.1", port=port)


@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option("--host", help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口")] = 8000,
) -> None:
    """启动网页服务：设置了 DATABASE_URL 时用 PostgreSQL，否则用本地 SQLite；先执行迁移。"""
    from gongkai.web import runner

    runner.setup_django()
    runner.check_secret_key()
    out.print(f"已完成数据库迁移：{runner.migrate()}")
    out.print(f"网页服务：http://{host}:{port}/ ；按 Ctrl+C 停止。")
    runner.run_server(host=host, port=port)


# ---------------------------------------------------------------------------------------------
# gongkai backup / gongkai restore (bodies in gongkai.backup)
# ---------------------------------------------------------------------------------------------


@app.command("backup")
def backup_command(
    archive: Annotated[Path, typer.Argument(help="备份文件，例如 gongkai-2025-06-18.tar.gz")],
) -> None:
    """备份数据库（SQLite 或 PostgreSQL）和全部上传文件到一个 .tar.gz 文件。"""
    from gongkai import backup
    from gongkai.web import runner

    runner.setup_django()
    summary = backup.backup(archive)
    rows = sum(summary.rows.values())
    size, file_size = summary.size / 1024 / 1024, summary.file_bytes / 1024 / 1024
    out.print(
        f"已备份到 {summary.path}（{size:.1f} MB）：数据库（{summary.vendor}）"
        f"{rows} 条记录，文件 {summary.files} 个（{file_size:.1f} MB）"
    )
    for name in summary.missing_files:
        err.print(
            literal(styled("警告：", "bold yellow"), f"数据库记录的文件 {name} 不存在，未备份")
        )


@app.command("restore")
def restore_command(
    archive: Annotated[Path, typer.Argument(help="gongkai backup 写出的备份文件")],
    force: Annotated[
        bool, typer.Option("--force", help="数据库或文件目录不是空的时，仍然用备份替换其内容")
    ] = False,
) -> None:
    """从备份恢复数据库和上传文件；全部成功才生效，否则什么都不改。"""
    from gongkai import backup
    from gongkai.web import runner

    runner.setup_django()
    summary = backup.restore(archive, force=force)
    if summary.replaced:
        replaced = "、".join(f"{name} {count} 条" for name, count in summary.replaced.items())
        out.print(f"已替换原有数据：{replaced}")
    out.print(
        f"已恢复 {summary.created_at} 的备份（来自 {summary.source_vendor}）："
        f"{sum(summary.rows.values())} 条记录，文件 {summary.files} 个"
        f"（{summary.file_bytes / 1024 / 1024:.1f} MB）"
    )
    if summary.migrated_forward:
        out.print(f"备份的数据库结构较旧，载入后已执行 {summary.migrated_forward} 个迁移")


# ---------------------------------------------------------------------------------------------
# Entry point: translate every way a command can fail into Chinese and an exit status.
# ---------------------------------------------------------------------------------------------


def _param_name(param: Any) -> str:
    metavar = getattr(param, "metavar", None)
    if getattr(param, "param_type_name", "") == "argument" and metavar:
        return str(metavar)
    return "/".join(getattr(param, "opts", None) or [getattr(param, "name", "") or ""])


def _usage_message(exc: click_exceptions.UsageError) -> str:
    if isinstance(exc, click_exceptions.MissingParameter) and exc.param is not None:
        return f"缺少必需的参数 {_param_name(exc.param)}"
    if isinstance(exc, click_exceptions.NoSuchOption):
        return f"没有这个选项：{exc.option_name}"
    if isinstance(exc, click_exceptions.BadOptionUsage):
        return f"选项 {exc.option_name} 的用法有误（是否缺少它的值？）"
    if isinstance(exc, click_exceptions.BadParameter) and exc.param is not None:
        return f"参数 {_param_name(exc.param)} 的值无效：{exc.message}"
    if "No such command" in exc.message:
        name = exc.message.split("'")[1] if "'" in exc.message else ""
        return f"没有这个命令：{name}"
    return f"命令用法有误：{exc.message}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status instead of raising (also used by the tests)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        with _quiet_loggers("pdfminer"):
            status = _run(args)
        sys.stdout.flush()
    except OSError as exc:
        # stdout is full or closed (`> /dev/full`, a pipe whose reader left): say so once.
        _silence_stdout()
        with _suppress_os_errors():
            err.print(error_line(f"无法写出结果（标准输出）：{_os_reason(exc)}"))
        return EXIT_BAD_INPUT
    return status


def _run(args: list[str]) -> int:
    try:
        result = app(args=args, standalone_mode=False, prog_name="gongkai")
    except typer.Exit as exc:
        return int(exc.exit_code)
    except click_exceptions.NoArgsIsHelpError:
        return EXIT_OK  # the help text has been printed: asking for it is not an error
    except click_exceptions.UsageError as exc:
        err.print(error_line(f"{_usage_message(exc)}（运行 gongkai --help 查看用法）"))
        return EXIT_BAD_INPUT
    except typer.Abort:
        err.print(styled("已中止。", "bold red"))
        return EXIT_BAD_INPUT
    except GongkaiError as exc:
        err.print(error_line(str(exc)))
        return EXIT_BAD_INPUT
    except _StepInterruptedError as exc:
        err.print(literal(styled("已中断：", "bold red"), str(exc)))
        return 130
    except KeyboardInterrupt:
        err.print(styled("已中断。", "bold red"))
        return 130
    return int(result) if isinstance(result, int) else EXIT_OK


def _os_reason(exc: OSError) -> str:
    reasons = {errno.ENOSPC: "磁盘空间不足", errno.EPIPE: "输出管道已关闭"}
    return reasons.get(exc.errno or 0, exc.strerror or type(exc).__name__)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush cannot fail again."""
    with _suppress_os_errors():
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


def _suppress_os_errors() -> Any:
    import contextlib

    return contextlib.suppress(OSError, ValueError)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
