"""The bridge between stored :class:`ApplicationEvent` rows and the core's case clock.

The core (:mod:`gongkai.core.clock`) knows the law's deadlines and refuses impossible histories;
this module only translates rows into its event values, adds the two rules that concern the
office's own workflow rather than the deadlines — an extension is *requested* by the clerk and
then approved or refused by the head; a reply needs a recorded decision with its result row — and
reads the table 三 result a history ends in. No working-day arithmetic happens here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, assert_never

from django.conf import settings

from gongkai.applications import events as ev
from gongkai.applications.models import ApplicationEvent
from gongkai.core import clock as core
from gongkai.core import law
from gongkai.core.calendar import WorkCalendar, national_calendar
from gongkai.core.errors import GongkaiError
from gongkai.core.formats import (
    LATEST_FORMAT,
    T3_FEE_UNPAID,
    T3_NO_CORRECTION,
    T3_OTHER_OTHER,
    format_for_year,
)
from gongkai.core.results import result_label, result_rows


class WorkflowError(GongkaiError):
    """A step the office's workflow does not allow, explained in Chinese."""


def consultation_party(value: str) -> core.ConsultationParty:
    """The core's consultation party named by ``value``, or a :class:`WorkflowError`."""
    try:
        return core.ConsultationParty(value)
    except ValueError:
        raise WorkflowError(
            f"未知的征求意见对象类型 {value!r}，可选：third_party（第三方，《条例》第三十二条）、"
            "agency（有关机关，《条例》第三十四条）"
        ) from None


_T3 = LATEST_FORMAT.table3
# Results a case reaches through a workflow event rather than a decision ([R] Art 30, [FEE]);
# reading the codes through the format makes a renamed row fail at import, not at year end.
RESULT_NO_CORRECTION: Final = T3_NO_CORRECTION
RESULT_FEE_UNPAID: Final = T3_FEE_UNPAID
RESULT_OTHER: Final = T3_OTHER_OTHER
_CLOSED_RESULTS: Final[dict[core.ClosedReason, str]] = {
    core.ClosedReason.CORRECTION_ABANDONED: RESULT_NO_CORRECTION,
    core.ClosedReason.FEE_NOT_PAID: RESULT_FEE_UNPAID,
    core.ClosedReason.WITHDRAWN: RESULT_OTHER,
}
_WORKFLOW_RESULTS: Final[dict[str, str]] = {
    RESULT_NO_CORRECTION: "逾期未补正",
    RESULT_FEE_UNPAID: "逾期未缴费",
}


def check_result(result: str, on: dt.date) -> None:
    """Refuse a result that is not a table 三 result row of the format in force on ``on``."""
    fmt = format_for_year(on.year)
    rows = result_rows(fmt.table3)
    codes = {row.code for row, _ in rows}
    if result not in codes:
        allowed = "、".join(f"{result_label(row, group)}（{row.code}）" for row, group in rows)
        raise WorkflowError(
            f"办理结果 {result!r} 不是{fmt.document}年度报告格式表三中的办理结果行"
            f"（{on.year} 年适用该格式），可选：{allowed}"
        )
    if result in _WORKFLOW_RESULTS:
        raise WorkflowError(
            f"“{_WORKFLOW_RESULTS[result]}”不能直接作为答复决定，"
            f"请在办理记录中使用“{_WORKFLOW_RESULTS[result]}”操作，系统会据此结案"
        )


@dataclass(frozen=True, slots=True)
class CaseState:
    """What the services cache on the application, plus the full core clock state."""

    clock: core.ClockState
    result: str | None
    result_year: law.ResultYearBasis = law.ResultYearBasis.DECISION

    @property
    def status(self) -> str:
        return self.clock.status.value

    @property
    def due_date(self) -> dt.date | None:
        return self.clock.due

    @property
    def received_on(self) -> dt.date:
        return self.clock.received_on

    @property
    def decided_on(self) -> dt.date | None:
        """The day table 三 counts the result by (``law.ClockPolicy.result_year``): by default
        the decision; under ``REPLY`` the day the reply was sent, so a decided but unsent case
        has no year yet. A case ended without a reply (deemed withdrawn, fee unpaid,
        withdrawn) counts by the day it ended under both."""
        if not self.result:
            return None
        if self.result_year is law.ResultYearBasis.REPLY:
            return self.clock.replied_on or self.clock.closed_on
        return self.clock.decided_on or self.clock.closed_on

    @property
    def closed_on(self) -> dt.date | None:
        return self.clock.replied_on or self.clock.closed_on


def core_events(rows: Sequence[ApplicationEvent]) -> tuple[list[core.Event], str | None]:
    """Translate stored rows into core events, and find the decided result row, if any."""
    events: list[core.Event] = []
    pending_extension: tuple[ApplicationEvent, ev.ExtensionRequested] | None = None
    result: str | None = None
    for row in rows:
        on = row.date
        payload = row.payload
        match payload:
            case ev.Received():
                events.append(
                    core.Received(
                        on=on,
                        channel=payload.channel,
                        signed_for_on=payload.signed_for_on,
                        confirmed_on=payload.confirmed_on,
                    )
                )
            case ev.CorrectionRequested():
                events.append(
                    core.CorrectionRequested(on=on, supplement_by=payload.supplement_deadline)
                )
            case ev.SupplementReceived():
                events.append(core.SupplementReceived(on=on))
            case ev.CorrectionAbandoned():
                events.append(core.CorrectionAbandoned(on=on))
            case ev.ConsultationSent():
                events.append(
                    core.ConsultationSent(
                        on=on,
                        party=payload.consultation,
                        ref=payload.party,
                        delivered_on=payload.delivered_on,
                    )
                )
            case ev.ConsultationDelivered():
                events.append(
                    core.ConsultationDelivered(on=on, party=payload.consultation, ref=payload.party)
                )
            case ev.ConsultationAnswered():
                events.append(
                    core.ConsultationAnswered(on=on, party=payload.consultation, ref=payload.party)
                )
            case ev.ExtensionRequested():
                if pending_extension is not None:
                    raise WorkflowError(
                        f"已于 {pending_extension[0].date.isoformat()} 申请延期答复，"
                        "尚待负责人批准或驳回，不能重复申请"
                    )
                pending_extension = (row, payload)
            case ev.ExtensionApproved() | ev.ExtensionRefused():
                if pending_extension is None:
                    raise WorkflowError(
                        f"没有待审批的延期申请，不能{payload.kind.label}（须先由经办人申请延期答复）"
                    )
                if isinstance(payload, ev.ExtensionApproved):
                    days = pending_extension[1].working_days
                    events.append(core.ExtensionGranted(on=on, working_days=days))
                pending_extension = None
            case ev.FeeNoticeSent():
                events.append(core.FeeNoticeSent(on=on, delivered_on=payload.delivered_on))
            case ev.FeeNoticeDelivered():
                events.append(core.FeeNoticeDelivered(on=on))
            case ev.DelayedReply():
                events.append(core.DelayedReplyNotified(on=on, due=payload.due))
            case ev.FeePaid():
                events.append(core.FeePaid(on=on))
            case ev.FeeNotPaid():
                events.append(core.FeeNotPaid(on=on))
            case ev.Decided():
                events.append(core.Decided(on=on))
                result = payload.result
            case ev.ReplySent():
                if result is None:
                    raise WorkflowError(
                        f"尚未作出答复决定（办理结果），不能记录{on.isoformat()}送达答复"
                    )
                events.append(core.ReplySent(on=on))
            case ev.Withdrawn():
                events.append(core.Withdrawn(on=on))
            case (
                ev.LetterSent()
                | ev.CarriedOver()
                | ev.RemedyRegistered()
                | ev.RemedyDecided()
                | ev.AttachmentAdded()
                | ev.Assigned()
                | ev.ReasonsAdded()
            ):
                pass  # notes in the history, not steps of the clock
            case _:
                assert_never(payload)
    return events, result


def deployment_calendar() -> WorkCalendar:
    """The national calendar plus this deployment's local days off and extra working days."""
    days_off = getattr(settings, "GONGKAI_LOCAL_DAYS_OFF", [])
    workdays = getattr(settings, "GONGKAI_EXTRA_WORKDAYS", [])
    if not days_off and not workdays:
        return national_calendar()
    return _local_calendar(tuple(days_off), tuple(workdays))


@lru_cache(maxsize=4)
def _local_calendar(days_off: tuple[str, ...], workdays: tuple[str, ...]) -> WorkCalendar:
    def dates(values: tuple[str, ...], what: str) -> list[dt.date]:
        try:
            return [dt.date.fromisoformat(v.strip()) for v in values]
        except ValueError:
            raise GongkaiError(
                f"{what}中有无效日期（应为 YYYY-MM-DD）：{', '.join(values)}"
            ) from None

    return WorkCalendar(
        extra_days_off=dates(days_off, "GONGKAI_LOCAL_DAYS_OFF"),
        extra_workdays=dates(workdays, "GONGKAI_EXTRA_WORKDAYS"),
    )


def deployment_clock_policy() -> law.ClockPolicy:
    """This deployment's reading of the points the law leaves open (:class:`law.ClockPolicy`).

    ``settings.GONGKAI_CLOCK_POLICY`` is a dict of field names and values (enum values as
    text), e.g. ``{"email_receipt": "submitted"}``, or a ready ``ClockPolicy``; absent, the
    documented defaults. Letters
    and pages read the same policy through this function, so they state what the clock counts.
    """
    overrides = getattr(settings, "GONGKAI_CLOCK_POLICY", None) or {}
    if isinstance(overrides, law.ClockPolicy):  # a settings module may build the policy itself
        return overrides
    if not isinstance(overrides, dict):
        raise GongkaiError(
            "GONGKAI_CLOCK_POLICY 应为设置名到取值的字典（或 gongkai.core.law.ClockPolicy），"
            f"而不是 {overrides!r}"
        )
    return _clock_policy(tuple(sorted(overrides.items())))


@lru_cache(maxsize=4)
def _clock_policy(items: tuple[tuple[str, object], ...]) -> law.ClockPolicy:
    values = dict(items)
    known = {f.name for f in dataclasses.fields(law.ClockPolicy)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise GongkaiError(
            f"GONGKAI_CLOCK_POLICY 中有无法识别的设置：{'、'.join(unknown)}；"
            f"可用的设置：{'、'.join(sorted(known))}"
        )
    try:
        if "email_receipt" in values:
            values["email_receipt"] = law.ReceiptRule(str(values["email_receipt"]))
        if "result_year" in values:
            values["result_year"] = law.ResultYearBasis(str(values["result_year"]))
    except ValueError as error:
        raise GongkaiError(f"GONGKAI_CLOCK_POLICY 的取值无效：{error}") from None
    return law.ClockPolicy(**values)  # type: ignore[arg-type]


def evaluate(rows: Sequence[ApplicationEvent], *, on: dt.date | None = None) -> CaseState:
    """The case clock of a stored history as of ``on`` (default: today in China).

    Raises :class:`~gongkai.core.errors.GongkaiError` (the core's ``ClockError`` or
    :class:`WorkflowError`) when the history is impossible; the services rely on that to refuse
    a step before anything is written.
    """
    events, result = core_events(rows)
    policy = deployment_clock_policy()
    state = core.case_clock(events, on=on, calendar=deployment_calendar(), policy=policy)
    if state.closed_reason is not None:
        result = _CLOSED_RESULTS[state.closed_reason]
    return CaseState(clock=state, result=result, result_year=policy.result_year)


# ---------------------------------------------------------------------------------------------
# Provisional deadlines (LEGAL.md §5.4)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProvisionalDeadlines:
    """Which dates of one case's clock count a day of a year whose notice nobody has entered.

    Such a date is 暂定 (provisional): it was counted on the calendar the holiday law gives
    (LEGAL.md §5.4) and moves when the year's 国务院办公厅 notice is entered with its 调休 days.
    Each flag asks :meth:`~gongkai.core.calendar.WorkCalendar.provisional_between` over the
    days the period counts; the calendar's arrays are in memory, so this never queries.
    A date the clerk typed (the 补正 deadline given in the notice) is never provisional.
    """

    due: bool = False  # the date that binds: the extended due date if extended
    reply_due: bool = False
    extended_due: bool = False
    correction_notice_due: bool = False
    fee_payment_due: bool = False
    days_left: bool = False  # the working days left (or overdue) count a provisional day
    consultations: tuple[tuple[core.ConsultationWindow, bool], ...] = ()  # answer due dates
    years: tuple[int, ...] = ()  # the provisional years these periods count, oldest first
    # A deadline still to be met is provisional: the running reply period, a 补正 notice not
    # yet sent, an unpaid fee, an unanswered consultation. What the clerk's notice, the
    # 暂定期限 filter and the dashboards count.
    pending: bool = False

    def __bool__(self) -> bool:
        """Whether any date or count shown is provisional (the case page's explanation)."""
        return (
            self.due
            or self.days_left
            or self.reply_due
            or self.correction_notice_due
            or self.fee_payment_due
            or any(provisional for _, provisional in self.consultations)
        )


NOT_PROVISIONAL: Final = ProvisionalDeadlines()


def counts_provisional_day(years: frozenset[int], a: dt.date, b: dt.date) -> bool:
    """Whether a day of (a, b] (or (b, a]) lies in one of ``years``.

    :meth:`WorkCalendar.provisional_between` on the calendar's provisional years, answered
    without asking the calendar again for each date (a test holds the two equal): several
    times cheaper, which counts on a supervisor's overview of every open case in December.
    """
    if a > b:
        a, b = b, a
    if a == b:
        return False
    year = a.year + 1 if (a.month, a.day) == (12, 31) else a.year
    while year <= b.year:
        if year in years:
            return True
        year += 1
    return False


def provisional_deadlines(
    state: core.ClockState, calendar: WorkCalendar | None = None
) -> ProvisionalDeadlines:
    """The 暂定 marks of ``state``'s dates, on ``calendar`` (default: the deployment's).

    A period is provisional when a day it counts lies in a provisional year: from the day it
    starts (receipt, the supplement, the letter) to the date it ends. The fee notice's date is
    not in the clock state, so its period is taken from the receipt, an earlier day: that can
    only add a year the reply period, which runs at least as long, counts too.

    Runs once per open case on the dashboards, so a case whose dates all lie before the first
    provisional year (most of the year, every case) is answered from one comparison.
    """
    cal = calendar or deployment_calendar()
    years = cal.provisional_years
    if not years:
        return NOT_PROVISIONAL
    received, start, on = state.received_on, state.clock_start, state.on
    reply, extended, fee = state.reply_due, state.extended_due, state.fee_payment_due
    windows = state.consultations
    notice = state.correction_notice_due  # None under the 2008 Regulation: no such period
    first = min(years)
    latest = max(on, notice or on, extended or reply or on, fee or on)
    answers = [w.answer_due for w in windows if w.answer_due is not None]
    if latest.year < first and all(day.year < first for day in answers):
        return NOT_PROVISIONAL  # every period ends before the first provisional year
    dates = [received, on]
    dates += [d for d in (notice, reply, extended, fee) if d is not None]
    dates += answers
    low, high = min(dates).year, max(dates).year
    counted = tuple(y for y in sorted(years) if low <= y <= high)
    if not counted:
        return NOT_PROVISIONAL
    due = extended or reply

    def between(a: dt.date, b: dt.date) -> bool:
        return counts_provisional_day(years, a, b)

    consultations = tuple(
        (w, w.answer_due is not None and between(w.sent_on, w.answer_due)) for w in windows
    )
    due_mark = due is not None and between(start, due)
    correction_mark = notice is not None and between(received, notice)
    fee_mark = fee is not None and between(received, fee)
    running = state.replied_on is None and state.closed_on is None
    pending = running and (
        (due_mark and state.working_days_left is not None)
        or (correction_mark and state.correction_requested_on is None)
        or (fee_mark and state.status is core.CaseStatus.AWAITING_PAYMENT)
        or any(provisional and w.answered_on is None for w, provisional in consultations)
    )
    return ProvisionalDeadlines(
        due=due_mark,
        reply_due=reply is not None and between(start, reply),
        extended_due=extended is not None and between(start, extended),
        correction_notice_due=correction_mark,
        fee_payment_due=fee_mark,
        days_left=state.working_days_left is not None and due is not None and between(on, due),
        consultations=consultations,
        years=counted,
        pending=pending,
    )
