"""The case clock follows LEGAL.md §5.1: receipt, 补正 restart, pauses, extension, fees."""

from __future__ import annotations

import datetime as dt
import importlib.util
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core import law
from gongkai.core.calendar import national_calendar
from gongkai.core.clock import (
    CHINA_TZ,
    CaseStatus,
    ClockError,
    ClockState,
    ClosedReason,
    ConsultationAnswered,
    ConsultationParty,
    ConsultationSent,
    CorrectionAbandoned,
    CorrectionRequested,
    Decided,
    Event,
    ExtensionGranted,
    FeeNoticeDelivered,
    FeeNoticeSent,
    FeeNotPaid,
    FeePaid,
    Pause,
    Received,
    ReplySent,
    SupplementReceived,
    Withdrawn,
    case_clock,
    due_date,
    reply_due,
)
from gongkai.core.clock import replay as clock_replay
from gongkai.core.clock.errors import times
from gongkai.core.errors import GongkaiError
from gongkai.core.law import Channel, ClockPolicy

D = dt.date
CAL = national_calendar()
THIRD = ConsultationParty.THIRD_PARTY
AGENCY = ConsultationParty.AGENCY

# The running example: an application handed in on Friday 2024-09-27, just before National Day.
# Working days after it: 09-29 (make-up Sunday), 09-30, then 10-08 … 10-11, 10-12 (make-up
# Saturday), 10-14 …; the 20th is 2024-10-30.
RECEIVED = Received(D(2024, 9, 27), Channel.IN_PERSON)


def clock(*events: Event, on: dt.date, policy: ClockPolicy | None = None) -> ClockState:
    if policy is None:
        return case_clock([RECEIVED, *events], calendar=CAL, on=on)
    return case_clock([RECEIVED, *events], calendar=CAL, on=on, policy=policy)


def _load_bench() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_clock.py"
    spec = importlib.util.spec_from_file_location("bench_clock", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_clock"] = module
    spec.loader.exec_module(module)
    return module


BENCH = _load_bench()


def counted(a: dt.date, b: dt.date, pauses: Sequence[Pause]) -> int:
    """Oracle: walk day by day, counting working days in (a, b] outside every pause."""
    total = 0
    day = a + dt.timedelta(days=1)
    while day <= b:
        if CAL.is_workday(day) and not any(p.after < day <= p.through for p in pauses):
            total += 1
        day += dt.timedelta(days=1)
    return total


# --- receipt (Art 31) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "received", "expected"),
    [
        (
            "in person: the day handed in",
            Received(D(2024, 9, 27), Channel.IN_PERSON),
            D(2024, 9, 27),
        ),
        ("oral: recorded in person", Received(D(2024, 9, 27), Channel.ORAL), D(2024, 9, 27)),
        (
            "e-mail: an internet channel, the day both sides confirmed (Art 31(三))",
            Received(D(2024, 9, 26), Channel.EMAIL, confirmed_on=D(2024, 9, 27)),
            D(2024, 9, 27),
        ),
        (
            "registered mail: the day signed for",
            Received(D(2024, 9, 26), Channel.REGISTERED_MAIL, signed_for_on=D(2024, 9, 27)),
            D(2024, 9, 27),
        ),
        (
            "online: the day both sides confirmed",
            Received(D(2024, 9, 25), Channel.ONLINE, confirmed_on=D(2024, 9, 27)),
            D(2024, 9, 27),
        ),
        (
            "ordinary letter: the confirmation day",
            Received(D(2024, 9, 27), Channel.ORDINARY_MAIL, confirmed_on=D(2024, 9, 27)),
            D(2024, 9, 27),
        ),
        (
            "fax: the confirmation day",
            Received(D(2024, 9, 26), Channel.FAX, confirmed_on=D(2024, 9, 27)),
            D(2024, 9, 27),
        ),
    ],
)
def test_receipt_day_follows_the_channel(_case: str, received: Received, expected: dt.date) -> None:
    state = case_clock([received], calendar=CAL, on=D(2024, 10, 8))

    assert state.received_on == expected
    assert state.reply_due == D(2024, 10, 30)


@pytest.mark.parametrize(
    ("_case", "make", "message"),
    [
        (
            "online without confirmation",
            lambda: Received(D(2024, 9, 27), Channel.ONLINE),
            "须填写与申请人确认的日期",
        ),
        (
            "registered mail without signing day",
            lambda: Received(D(2024, 9, 27), Channel.REGISTERED_MAIL),
            "须填写签收日期",
        ),
        (
            "in person with a confirmation day",
            lambda: Received(D(2024, 9, 27), Channel.IN_PERSON, confirmed_on=D(2024, 9, 28)),
            "不使用与申请人确认的日期（填写了 2024-09-28）",
        ),
        (
            "confirmation before arrival",
            lambda: Received(D(2024, 9, 27), Channel.FAX, confirmed_on=D(2024, 9, 26)),
            "2024-09-26 早于申请到达之日 2024-09-27",
        ),
        ("unknown channel", lambda: Received(D(2024, 9, 27), "pigeon"), "未知的申请渠道“pigeon”"),  # type: ignore[arg-type]
    ],
)
def test_receipt_data_is_validated(_case: str, make: object, message: str) -> None:
    assert callable(make)
    with pytest.raises(ClockError, match=message):
        make()


@pytest.mark.parametrize(
    ("_case", "make", "message"),
    [
        (
            "date as text",
            lambda: Decided("2024-10-09"),
            "「作出答复决定」的日期应为日期（YYYY-MM-DD），收到的是 '2024-10-09'",
        ),
        (
            "datetime for a date",
            lambda: ReplySent(dt.datetime(2024, 10, 9, 9, 30)),  # noqa: DTZ001
            "「送达答复」的日期应为日期",
        ),
        (
            "confirmation day as text",
            lambda: Received(D(2024, 9, 27), Channel.ONLINE, confirmed_on="9月27日"),
            "「收到申请」的确认日期应为日期",
        ),
        (
            "unknown consultation party",
            lambda: ConsultationSent(D(2024, 10, 8), "neighbour"),
            "征求意见对象 'neighbour' 不可识别",
        ),
        (
            "extension as text",
            lambda: ExtensionGranted(D(2024, 10, 8), "20"),
            "「延长答复期限」的工作日数应为整数",
        ),
        (
            "extension as bool",
            lambda: ExtensionGranted(D(2024, 10, 8), True),
            "工作日数应为整数，收到的是 True",
        ),
        (
            "letter number as a number",
            lambda: ConsultationSent(D(2024, 10, 8), THIRD, ref=1),
            "「发出征求意见函」的对象编号应为文字，收到的是 1",
        ),
    ],
)
def test_event_fields_are_type_checked_in_chinese(_case: str, make: object, message: str) -> None:
    assert callable(make)
    with pytest.raises(ClockError, match=message):
        make()


def test_consultation_party_given_as_text_is_accepted() -> None:
    assert ConsultationSent(D(2024, 10, 8), "agency").party is AGENCY  # type: ignore[arg-type]


def test_channel_given_as_text_is_accepted() -> None:
    assert Received(D(2024, 9, 27), "in_person").channel is Channel.IN_PERSON  # type: ignore[arg-type]


# --- the 20-working-day reply period (Art 33) ------------------------------------------------


def test_reply_due_across_national_day() -> None:
    state = clock(on=D(2024, 10, 8))

    assert state.status is CaseStatus.IN_PROGRESS
    assert state.clock_start == D(2024, 9, 27)
    assert state.reply_due == D(2024, 10, 30)
    assert state.due == D(2024, 10, 30)
    assert state.extended_due is None
    assert state.correction_notice_due == D(2024, 10, 12)
    assert state.working_days_left == 17
    assert state.overdue is False


@pytest.mark.parametrize(
    ("on", "days_left", "overdue"),
    [
        (D(2024, 9, 27), 20, False),
        (D(2024, 10, 1), 18, False),  # holidays do not count down
        (D(2024, 10, 30), 0, False),  # due today: not yet overdue
        (D(2024, 10, 31), -1, True),
        (D(2024, 11, 4), -3, True),
    ],
)
def test_days_left_count_down_working_days(on: dt.date, days_left: int, overdue: bool) -> None:
    state = clock(on=on)

    assert (state.working_days_left, state.overdue) == (days_left, overdue)


@pytest.mark.parametrize(("reply_on", "late"), [(D(2024, 10, 30), False), (D(2024, 10, 31), True)])
def test_reply_after_the_due_date_is_answered_late(reply_on: dt.date, late: bool) -> None:
    state = clock(Decided(D(2024, 10, 29)), ReplySent(reply_on), on=D(2024, 12, 1))

    assert state.status is CaseStatus.REPLIED
    assert state.replied_on == reply_on
    assert state.answered_late is late
    assert state.working_days_left is None
    assert state.overdue is False


def test_decided_but_not_yet_sent_keeps_the_clock_running() -> None:
    state = clock(Decided(D(2024, 10, 29)), on=D(2024, 10, 31))

    assert state.status is CaseStatus.DECIDED
    assert state.decided_on == D(2024, 10, 29)
    assert state.overdue is True


def test_reply_without_a_decision_event_implies_the_decision() -> None:
    assert clock(ReplySent(D(2024, 10, 9)), on=D(2024, 10, 9)).decided_on == D(2024, 10, 9)


def test_events_after_the_day_asked_are_not_yet_known() -> None:
    history = (Decided(D(2024, 10, 29)), ReplySent(D(2024, 10, 30)))

    assert clock(*history, on=D(2024, 10, 28)).status is CaseStatus.IN_PROGRESS
    assert clock(*history, on=D(2024, 10, 29)).status is CaseStatus.DECIDED
    assert clock(*history, on=D(2024, 10, 30)).status is CaseStatus.REPLIED


def test_events_after_the_day_asked_are_still_validated() -> None:
    with pytest.raises(ClockError, match="只能延长一次"):
        clock(
            ExtensionGranted(D(2024, 10, 20), 5),
            ExtensionGranted(D(2024, 10, 21), 5),
            on=D(2024, 10, 8),
        )


def test_on_defaults_to_today_in_china(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock_replay, "_today_in_china", lambda: D(2024, 10, 8))

    assert case_clock([RECEIVED], calendar=CAL).on == D(2024, 10, 8)


# --- 补正 (Art 30) -----------------------------------------------------------------------------


def test_supplement_restarts_the_twenty_days() -> None:
    history = (CorrectionRequested(D(2024, 10, 8), supplement_by=D(2024, 10, 18)),)

    waiting = clock(*history, on=D(2024, 10, 10))
    restarted = clock(*history, SupplementReceived(D(2024, 10, 14)), on=D(2024, 10, 14))

    assert waiting.status is CaseStatus.AWAITING_SUPPLEMENT
    assert (waiting.reply_due, waiting.working_days_left, waiting.overdue) == (None, None, False)
    assert waiting.supplement_due == D(2024, 10, 18)
    assert restarted.status is CaseStatus.IN_PROGRESS
    assert restarted.clock_start == D(2024, 10, 14)
    assert restarted.reply_due == D(2024, 11, 11)
    assert restarted.working_days_left == 20


@pytest.mark.parametrize(
    ("requested", "late"),
    [(D(2024, 10, 12), False), (D(2024, 10, 14), True)],
)
def test_correction_after_the_seven_day_notice_period_is_flagged(
    requested: dt.date, late: bool
) -> None:
    state = clock(CorrectionRequested(requested), on=requested)

    assert state.correction_requested_on == requested
    assert state.correction_requested_late is late


def test_no_supplement_by_the_deadline_closes_the_case() -> None:
    state = clock(
        CorrectionRequested(D(2024, 10, 8), supplement_by=D(2024, 10, 18)),
        CorrectionAbandoned(D(2024, 10, 21)),
        on=D(2024, 11, 30),
    )

    assert state.status is CaseStatus.CLOSED
    assert state.closed_reason is ClosedReason.CORRECTION_ABANDONED
    assert state.closed_on == D(2024, 10, 21)
    assert (state.reply_due, state.working_days_left, state.overdue) == (None, None, False)


# --- consultations (Arts 32–34) ----------------------------------------------------------------


def test_an_answered_consultation_pauses_the_clock() -> None:
    state = clock(
        ConsultationSent(D(2024, 10, 8), THIRD),
        ConsultationAnswered(D(2024, 10, 15), THIRD),
        on=D(2024, 10, 16),
    )

    assert state.pauses == (Pause(D(2024, 10, 8), D(2024, 10, 15), False, THIRD),)
    assert state.pauses[0].reason == "征求第三方意见"
    assert state.paused_working_days == 6
    assert state.reply_due == D(2024, 11, 7)
    assert state.consultations[0].answer_due == D(2024, 10, 28)
    assert state.consultations[0].answered_late is False
    assert state.status is CaseStatus.IN_PROGRESS


def test_overlapping_consultations_pause_once() -> None:
    state = clock(
        ConsultationSent(D(2024, 10, 8), THIRD),
        ConsultationSent(D(2024, 10, 10), AGENCY),
        ConsultationAnswered(D(2024, 10, 15), THIRD),
        ConsultationAnswered(D(2024, 10, 18), AGENCY),
        on=D(2024, 10, 18),
    )

    assert state.paused_working_days == 9
    assert state.reply_due == D(2024, 11, 12)


def test_a_pending_consultation_holds_the_days_left() -> None:
    sent = ConsultationSent(D(2024, 10, 8), THIRD, ref="公司甲")

    day1 = clock(sent, on=D(2024, 10, 15))
    day2 = clock(sent, on=D(2024, 10, 16))

    assert day1.status is CaseStatus.PAUSED_CONSULTATION
    assert day1.pauses == (Pause(D(2024, 10, 8), D(2024, 10, 15), True, THIRD, "公司甲"),)
    assert day1.pauses[0].reason == "征求第三方意见（公司甲）"
    assert (day1.reply_due, day1.working_days_left) == (D(2024, 11, 7), 17)
    assert (day2.reply_due, day2.working_days_left) == (D(2024, 11, 8), 17)


def test_silence_ends_the_pause_at_the_end_of_the_fifteen_day_window() -> None:
    state = clock(ConsultationSent(D(2024, 10, 8), THIRD), on=D(2024, 11, 15))

    assert state.consultations[0].answer_due == D(2024, 10, 28)
    assert state.pauses == (Pause(D(2024, 10, 8), D(2024, 10, 28), False, THIRD),)
    assert state.reply_due == D(2024, 11, 20)
    assert state.status is CaseStatus.IN_PROGRESS


def test_the_window_counts_from_delivery_when_known() -> None:
    state = clock(
        ConsultationSent(D(2024, 10, 8), AGENCY, delivered_on=D(2024, 10, 10)), on=D(2024, 10, 10)
    )

    assert state.consultations[0].answer_due == D(2024, 10, 30)


def test_a_late_answer_is_flagged_and_does_not_extend_the_pause() -> None:
    state = clock(
        ConsultationSent(D(2024, 10, 8), THIRD),
        ConsultationAnswered(D(2024, 10, 30), THIRD),
        on=D(2024, 10, 30),
    )

    assert state.consultations[0].answered_late is True
    assert state.pauses[0].through == D(2024, 10, 28)


# --- extension (Art 33 ¶2) -------------------------------------------------------------------


@pytest.mark.parametrize(("days", "extended"), [(1, D(2024, 10, 31)), (20, D(2024, 11, 27))])
def test_extension_on_the_due_date_adds_working_days(days: int, extended: dt.date) -> None:
    state = clock(ExtensionGranted(D(2024, 10, 30), days), on=D(2024, 10, 30))

    assert state.reply_due == D(2024, 10, 30)
    assert state.extended_due == extended
    assert state.due == extended
    assert state.extension_working_days == days


def test_extension_and_pause_combine() -> None:
    state = clock(
        ConsultationSent(D(2024, 10, 8), THIRD),
        ConsultationAnswered(D(2024, 10, 15), THIRD),
        ExtensionGranted(D(2024, 11, 1), 20),
        on=D(2024, 11, 1),
    )

    assert (state.reply_due, state.extended_due) == (D(2024, 11, 7), D(2024, 12, 5))


def test_the_number_of_extensions_is_read_from_the_law(monkeypatch: pytest.MonkeyPatch) -> None:
    """law.MAX_EXTENSIONS bounds the extensions; raising it (a deployment's reading) would let
    a second one through, which adds to the first, and still stops the next."""
    assert law.MAX_EXTENSIONS == 1  # Art 33 ¶2 as practice reads it: one extension
    monkeypatch.setattr(clock_replay, "_MAX_EXTENSIONS", 2)
    twice = (ExtensionGranted(D(2024, 10, 9), 5), ExtensionGranted(D(2024, 10, 10), 5))

    state = clock(*twice, on=D(2024, 10, 10))

    assert state.extension_working_days == 10
    assert state.extended_due == CAL.add_working_days(D(2024, 10, 30), 10)
    with pytest.raises(ClockError, match="只能延长两次；已延长 10 个工作日"):
        clock(*twice, ExtensionGranted(D(2024, 10, 11), 5), on=D(2024, 10, 11))


def test_the_number_of_corrections_is_read_from_the_law(monkeypatch: pytest.MonkeyPatch) -> None:
    assert law.MAX_CORRECTION_REQUESTS == 1  # Art 30: 一次性告知
    monkeypatch.setattr(clock_replay, "_MAX_CORRECTIONS", 2)
    history = (
        CorrectionRequested(D(2024, 10, 8)),
        SupplementReceived(D(2024, 10, 9)),
        CorrectionRequested(D(2024, 10, 10)),
        SupplementReceived(D(2024, 10, 14)),
    )

    state = clock(*history, on=D(2024, 10, 14))

    # The first notice is the one checked against the 7-day period; the last supplement restarts.
    assert (state.correction_requested_on, state.clock_start) == (D(2024, 10, 8), D(2024, 10, 14))
    with pytest.raises(ClockError, match="补正只能一次性告知；已于 2024-10-08 告知补正"):
        clock(*history, CorrectionRequested(D(2024, 10, 15)), on=D(2024, 10, 15))


@pytest.mark.parametrize(("n", "text"), [(1, "一次"), (2, "两次"), (10, "十次"), (11, "11 次")])
def test_counts_in_messages(n: int, text: str) -> None:
    assert times(n) == text


# --- fees ([FEE]) ----------------------------------------------------------------------------


def test_fee_payment_period_and_pause() -> None:
    history = (FeeNoticeSent(D(2024, 10, 10)), FeePaid(D(2024, 10, 17)))

    awaiting = clock(history[0], on=D(2024, 10, 11))
    paid = clock(*history, on=D(2024, 10, 17))
    no_pause = clock(
        *history, on=D(2024, 10, 17), policy=ClockPolicy(fee_payment_pauses_clock=False)
    )

    assert awaiting.status is CaseStatus.AWAITING_PAYMENT
    assert awaiting.fee_payment_due == D(2024, 11, 6)
    assert paid.status is CaseStatus.IN_PROGRESS
    assert paid.pauses == (Pause(D(2024, 10, 10), D(2024, 10, 17), False),)
    assert paid.pauses[0].reason == "等待缴费"
    assert paid.reply_due == D(2024, 11, 7)
    assert no_pause.reply_due == D(2024, 10, 30)
    assert no_pause.pauses == ()


def test_fee_not_paid_in_time_closes_the_case() -> None:
    state = clock(
        FeeNoticeSent(D(2024, 10, 10)),
        FeeNoticeDelivered(D(2024, 10, 10)),
        FeeNotPaid(D(2024, 11, 7)),
        on=D(2024, 11, 30),
    )

    assert state.status is CaseStatus.CLOSED
    assert state.closed_reason is ClosedReason.FEE_NOT_PAID


def test_withdrawal_closes_the_case() -> None:
    state = clock(Withdrawn(D(2024, 10, 9)), on=D(2024, 11, 30))

    assert (state.status, state.closed_reason) == (CaseStatus.CLOSED, ClosedReason.WITHDRAWN)
    assert state.working_days_left is None


# --- impossible histories --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "events", "message"),
    [
        (
            "reply before receipt",
            [ReplySent(D(2024, 9, 26))],
            "「送达答复」（2024-09-26）早于收到申请之日（2024-09-27）",
        ),
        (
            "out of date order",
            [Decided(D(2024, 10, 10)), ConsultationSent(D(2024, 10, 9), THIRD)],
            "「发出第三方征求意见函」（2024-10-09）记在「作出答复决定」（2024-10-10）之后，日期却更早",
        ),
        ("second receipt", [Received(D(2024, 10, 8), Channel.EMAIL)], "只能有一条「收到申请」"),
        (
            "second extension",
            [ExtensionGranted(D(2024, 10, 20), 5), ExtensionGranted(D(2024, 10, 21), 5)],
            "只能延长一次；已延长 5 个工作日",
        ),
        (
            "extension after the due date",
            [ExtensionGranted(D(2024, 10, 31), 10)],
            "「延长答复期限」（2024-10-31）晚于答复期限 2024-10-30",
        ),
        (
            "extension too long",
            [ExtensionGranted(D(2024, 10, 9), 21)],
            "延长答复期限 21 个工作日不合法",
        ),
        (
            "extension of zero",
            [ExtensionGranted(D(2024, 10, 9), 0)],
            "延长答复期限 0 个工作日不合法",
        ),
        (
            "second 补正",
            [
                CorrectionRequested(D(2024, 10, 8)),
                SupplementReceived(D(2024, 10, 9)),
                CorrectionRequested(D(2024, 10, 10)),
            ],
            "补正只能一次性告知；已于 2024-10-08 告知补正",
        ),
        ("supplement without a request", [SupplementReceived(D(2024, 10, 9))], "没有待补正的告知"),
        (
            "补正 after the decision",
            [Decided(D(2024, 10, 9)), CorrectionRequested(D(2024, 10, 10))],
            "已于 2024-10-09 作出答复决定，之后不能「告知补正」",
        ),
        (
            "补正 deadline not after the request",
            [CorrectionRequested(D(2024, 10, 8), supplement_by=D(2024, 10, 8))],
            "补正期限 2024-10-08 不晚于告知之日",
        ),
        (
            "abandoned before the 补正 deadline",
            [
                CorrectionRequested(D(2024, 10, 8), supplement_by=D(2024, 10, 18)),
                CorrectionAbandoned(D(2024, 10, 18)),
            ],
            "补正期限 2024-10-18 尚未届满",
        ),
        (
            "decision while awaiting the supplement",
            [CorrectionRequested(D(2024, 10, 8)), Decided(D(2024, 10, 9))],
            "2024-10-08 已告知补正、尚未收到补正材料，此时不能「作出答复决定」",
        ),
        (
            "answer without a consultation",
            [ConsultationAnswered(D(2024, 10, 9), AGENCY)],
            "没有发出对应的征求意见函，不能记录「收到有关机关征求意见答复」（2024-10-09）",
        ),
        (
            "the same consultation twice",
            [ConsultationSent(D(2024, 10, 8), THIRD), ConsultationSent(D(2024, 10, 9), THIRD)],
            "已于 2024-10-08 向同一第三方发出过征求意见函",
        ),
        (
            "answered twice",
            [
                ConsultationSent(D(2024, 10, 8), THIRD),
                ConsultationAnswered(D(2024, 10, 9), THIRD),
                ConsultationAnswered(D(2024, 10, 10), THIRD),
            ],
            "该征求意见已于 2024-10-09 收到答复",
        ),
        (
            "event after the reply",
            [ReplySent(D(2024, 10, 9)), ExtensionGranted(D(2024, 10, 10), 5)],
            "该申请已于 2024-10-09 办结，之后不能再记录「延长答复期限」（2024-10-10）",
        ),
        (
            "event after withdrawal",
            [Withdrawn(D(2024, 10, 9)), ReplySent(D(2024, 10, 10))],
            "该申请已于 2024-10-09 办结",
        ),
        (
            "second decision",
            [Decided(D(2024, 10, 9)), Decided(D(2024, 10, 10))],
            "不能再次「作出答复决定」",
        ),
        ("fee paid without notice", [FeePaid(D(2024, 10, 9))], "没有发出收费通知"),
        (
            "consultation delivered before it was sent",
            [ConsultationSent(D(2024, 10, 9), AGENCY, delivered_on=D(2024, 10, 8))],
            "「发出有关机关征求意见函」（2024-10-09）的送达日 2024-10-08 早于发出之日",
        ),
        (
            "fee notice delivered before it was sent",
            [FeeNoticeSent(D(2024, 10, 9), delivered_on=D(2024, 10, 8))],
            "「发出收费通知」（2024-10-09）的送达日 2024-10-08 早于发出之日",
        ),
        (
            "fee notice while awaiting the supplement",
            [CorrectionRequested(D(2024, 10, 8)), FeeNoticeSent(D(2024, 10, 9))],
            "尚未收到补正材料，此时不能「发出收费通知」",
        ),
        (
            "reply while awaiting the supplement",
            [CorrectionRequested(D(2024, 10, 8)), ReplySent(D(2024, 10, 9))],
            "2024-10-08 已告知补正、尚未收到补正材料，此时不能「送达答复」",
        ),
        (
            "second fee notice",
            [
                FeeNoticeSent(D(2024, 10, 8)),
                FeePaid(D(2024, 10, 9)),
                FeeNoticeSent(D(2024, 10, 10)),
            ],
            "已于 2024-10-08 发出收费通知",
        ),
        (
            "fee notice after the due date",
            [FeeNoticeSent(D(2024, 10, 31))],
            "收费通知须在办理期限内发出",
        ),
        (
            "fee paid after the payment period",
            [FeeNoticeSent(D(2024, 10, 10), D(2024, 10, 10)), FeePaid(D(2024, 11, 7))],
            "晚于缴费期限 2024-11-06",
        ),
        (
            "not paid recorded too early",
            [FeeNoticeSent(D(2024, 10, 10), D(2024, 10, 10)), FeeNotPaid(D(2024, 11, 6))],
            "缴费期限 2024-11-06 尚未届满",
        ),
        (
            "reply while the fee is unpaid",
            [FeeNoticeSent(D(2024, 10, 10)), ReplySent(D(2024, 10, 11))],
            "2024-10-10 发出的收费通知尚未缴费",
        ),
    ],
)
def test_impossible_histories_are_rejected(_case: str, events: list[Event], message: str) -> None:
    with pytest.raises(ClockError, match=message):
        clock(*events, on=D(2024, 12, 31))


def test_an_unknown_event_is_refused_by_name() -> None:
    @dataclass(frozen=True)
    class Appealed:  # a workflow step without a handler yet
        on: dt.date

    history = [RECEIVED, Appealed(D(2024, 10, 9))]
    with pytest.raises(ClockError, match=r"无法识别的办理记录：.*Appealed"):
        case_clock(history, calendar=CAL, on=D(2024, 10, 9))  # type: ignore[arg-type]


def test_today_is_the_day_in_china() -> None:
    before = dt.datetime.now(CHINA_TZ).date()
    today = clock_replay._today_in_china()

    assert before <= today <= dt.datetime.now(CHINA_TZ).date()


def test_parties_and_statuses_carry_their_law_and_labels() -> None:
    assert THIRD.period is law.THIRD_PARTY_CONSULTATION_PERIOD
    assert AGENCY.period is law.INTER_AGENCY_CONSULTATION_PERIOD
    labels = [status.label for status in CaseStatus]
    assert len(set(labels)) == len(CaseStatus)
    assert CaseStatus.PAUSED_CONSULTATION.label == "征求意见中（暂停计时）"


def test_events_count_from_the_confirmed_receipt_day_not_the_arrival() -> None:
    online = Received(D(2024, 9, 25), Channel.ONLINE, confirmed_on=D(2024, 9, 27))

    with pytest.raises(
        ClockError, match="「作出答复决定」（2024-09-26）早于收到申请之日（2024-09-27）"
    ):
        case_clock([online, Decided(D(2024, 9, 26))], calendar=CAL, on=D(2024, 10, 9))


def test_history_must_start_with_receipt() -> None:
    with pytest.raises(ClockError, match="必须以「收到申请」开始，而第一项是「作出答复决定」"):
        case_clock([Decided(D(2024, 10, 9))], calendar=CAL, on=D(2024, 10, 9))


def test_empty_history_is_rejected() -> None:
    with pytest.raises(ClockError, match="没有任何办理记录"):
        case_clock([], calendar=CAL, on=D(2024, 10, 9))


def test_asking_before_receipt_is_rejected() -> None:
    with pytest.raises(ClockError, match="查询日期 2024-09-26 早于收到申请之日 2024-09-27"):
        clock(on=D(2024, 9, 26))


def test_clock_error_is_a_gongkai_error() -> None:
    assert issubclass(ClockError, GongkaiError)


# --- the CLI's convenience -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "kwargs", "expected"),
    [
        ("plain", {}, D(2024, 10, 30)),
        ("restarted by a supplement", {"supplement_received": D(2024, 10, 14)}, D(2024, 11, 11)),
        ("paused", {"pauses": [(D(2024, 10, 8), D(2024, 10, 15))]}, D(2024, 11, 7)),
        ("extended", {"extension": 20}, D(2024, 11, 27)),
    ],
)
def test_reply_due(_case: str, kwargs: dict[str, object], expected: dt.date) -> None:
    assert reply_due(D(2024, 9, 27), **kwargs) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("_case", "kwargs", "message"),
    [
        ("extension too long", {"extension": 21}, "延长答复期限 21 个工作日不合法"),
        ("supplement before receipt", {"supplement_received": D(2024, 9, 1)}, "早于收到申请之日"),
        ("pause reversed", {"pauses": [(D(2024, 10, 15), D(2024, 10, 8))]}, "结束日早于开始日"),
        (
            "pause before receipt",
            {"pauses": [(D(2024, 9, 20), D(2024, 10, 8))]},
            "开始于收到申请之日 2024-09-27 之前",
        ),
    ],
)
def test_reply_due_rejects_bad_input(_case: str, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ClockError, match=message):
        reply_due(D(2024, 9, 27), **kwargs)  # type: ignore[arg-type]


def test_due_date_refuses_a_negative_period() -> None:
    with pytest.raises(ClockError, match="不能为负数（收到 -1）"):
        due_date(D(2024, 9, 27), -1, calendar=CAL)


def test_due_date_beyond_the_calendar_data_is_a_range_error() -> None:
    last = CAL.last_day
    with pytest.raises(GongkaiError, match=f"从 {last.isoformat()} 起算的期限超出"):
        due_date(last, 20, calendar=CAL)


def test_a_case_whose_period_runs_past_the_calendar_data_is_an_explicit_error() -> None:
    from gongkai.core.calendar import CalendarRangeError

    late = Received(D(CAL.last_day.year, 12, 20), Channel.IN_PERSON)
    with pytest.raises(CalendarRangeError, match="超出了工作日历的数据范围"):
        case_clock([late], calendar=CAL, on=late.on)


# --- properties over random valid histories --------------------------------------------------

histories = st.randoms(use_true_random=False).map(
    lambda rng: BENCH.random_history(random.Random(rng.getrandbits(64)), CAL)
)


@settings(max_examples=300, deadline=None)
@given(histories)
def test_due_dates_are_exactly_the_counted_working_days(case: tuple[list[Event], dt.date]) -> None:
    events, on = case
    state = case_clock(events, calendar=CAL, on=on)

    if state.reply_due is not None:
        start, pauses = state.clock_start, state.pauses
        assert CAL.is_workday(state.reply_due)
        period = state.regulation.reply.working_days
        assert counted(start, state.reply_due, pauses) == period
        assert counted(start, state.reply_due - dt.timedelta(days=1), pauses) == period - 1
        if state.extended_due is not None:
            n = period + state.extension_working_days
            assert counted(start, state.extended_due, pauses) == n
            assert counted(start, state.extended_due - dt.timedelta(days=1), pauses) == n - 1
    if state.working_days_left is not None and state.working_days_left >= 0:
        assert state.due is not None
        assert counted(on, state.due, state.pauses) == state.working_days_left


@settings(max_examples=200, deadline=None)
@given(histories, st.integers(min_value=1, max_value=40))
def test_days_left_decrease_by_one_per_working_day(
    case: tuple[list[Event], dt.date], later_by: int
) -> None:
    events, on = case
    later = on + dt.timedelta(days=later_by)
    now = case_clock(events, calendar=CAL, on=on)
    then = case_clock(events, calendar=CAL, on=later)

    if now.working_days_left is None:
        assert then.working_days_left is None
        assert then.status is now.status
    elif not any(p.open for p in now.pauses):
        assert then.due == now.due
        assert now.working_days_left - then.working_days_left == CAL.working_days_between(on, later)
    else:  # an open pause only ever moves the due date later
        assert then.due is not None and now.due is not None
        assert then.due >= now.due


@settings(max_examples=200, deadline=None)
@given(histories)
def test_status_agrees_with_the_dates(case: tuple[list[Event], dt.date]) -> None:
    events, on = case
    state = case_clock(events, calendar=CAL, on=on)

    assert (state.replied_on is not None) == (state.status is CaseStatus.REPLIED)
    assert (state.closed_reason is not None) == (state.status is CaseStatus.CLOSED)
    waiting_for_supplement = state.status is CaseStatus.AWAITING_SUPPLEMENT
    abandoned = state.closed_reason is ClosedReason.CORRECTION_ABANDONED
    no_period = (waiting_for_supplement or abandoned) and not state.correction_after_due
    assert (state.reply_due is None) == no_period
    if state.answered_late:
        assert state.replied_on is not None and state.due is not None
        assert state.replied_on > state.due
    assert state.overdue == (state.working_days_left is not None and state.working_days_left < 0)


# Receipts under the 2019 Regulation (20 + up to 20 working days); 2008's are tested apart.
days = st.dates(min_value=law.REGULATION_IN_FORCE, max_value=D(2025, 6, 30))
pause_lists = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 30)), max_size=4)


def _pauses(start: dt.date, raw: list[tuple[int, int]]) -> list[tuple[dt.date, dt.date]]:
    return [
        (start + dt.timedelta(days=a), start + dt.timedelta(days=a + length)) for a, length in raw
    ]


@given(days, pause_lists, st.tuples(st.integers(0, 60), st.integers(0, 30)))
def test_pausing_never_makes_a_due_date_earlier(
    start: dt.date, raw: list[tuple[int, int]], extra: tuple[int, int]
) -> None:
    before = due_date(start, 20, _pauses(start, raw), calendar=CAL)
    after = due_date(start, 20, _pauses(start, [*raw, extra]), calendar=CAL)

    assert after >= before


@given(days, st.integers(0, 30), pause_lists)
def test_a_restart_never_makes_the_due_date_earlier(
    received: dt.date, later_by: int, raw: list[tuple[int, int]]
) -> None:
    pauses = _pauses(received, raw)
    supplement = received + dt.timedelta(days=later_by)

    assert reply_due(received, supplement_received=supplement, pauses=pauses) >= reply_due(
        received, pauses=pauses
    )


@given(days, st.integers(1, 20), pause_lists)
def test_an_extension_of_n_moves_the_due_date_by_n_counted_working_days(
    received: dt.date, n: int, raw: list[tuple[int, int]]
) -> None:
    pauses = _pauses(received, raw)
    base = reply_due(received, pauses=pauses)
    extended = reply_due(received, pauses=pauses, extension=n)
    as_pauses = [Pause(a, b) for a, b in pauses]

    assert counted(base, extended, as_pauses) == n
    assert CAL.is_workday(extended)


@given(days, st.integers(1, 20))
def test_without_pauses_an_extension_is_n_plain_working_days(received: dt.date, n: int) -> None:
    base = reply_due(received)

    assert reply_due(received, extension=n) == CAL.add_working_days(base, n)


# --- the benchmark ----------------------------------------------------------------------------


def test_benchmark_runs_on_a_small_sample(capsys: pytest.CaptureFixture[str]) -> None:
    elapsed = BENCH.main(["--cases", "300", "--seed", "7"])

    out = capsys.readouterr().out
    assert "histories: 300" in out
    assert "case_clock:" in out
    assert elapsed > 0
