"""The law applied exactly (issue 9 §2): a late 补正, e-mail receipt, the 2008 Regulation,
delivery dates, Art 35 delayed replies, and the ordinary letter confirmed late."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.core import law
from gongkai.core.calendar import national_calendar
from gongkai.core.clock import (
    CaseStatus,
    ClockError,
    ClockState,
    ConsultationAnswered,
    ConsultationDelivered,
    ConsultationParty,
    ConsultationSent,
    CorrectionRequested,
    DelayedReplyNotified,
    Event,
    ExtensionGranted,
    FeeNoticeDelivered,
    FeeNoticeSent,
    FeeNotPaid,
    FeePaid,
    Received,
    ReplySent,
    SupplementReceived,
    case_clock,
    reply_due,
)
from gongkai.core.law import Channel, ClockPolicy, ReceiptRule

D = dt.date
CAL = national_calendar()
THIRD = ConsultationParty.THIRD_PARTY
AGENCY = ConsultationParty.AGENCY


def clock(
    *events: Event, on: dt.date, policy: ClockPolicy = law.DEFAULT_CLOCK_POLICY
) -> ClockState:
    return case_clock(list(events), calendar=CAL, on=on, policy=policy)


# --- a late 补正 cannot erase lateness --------------------------------------------------------

MARCH = Received(D(2024, 3, 1), Channel.IN_PERSON)  # due 2024-03-29 (20 working days)


def test_a_correction_after_the_due_date_does_not_restart_the_clock() -> None:
    history = (CorrectionRequested(D(2024, 4, 15)), SupplementReceived(D(2024, 4, 20)))

    waiting = clock(MARCH, history[0], on=D(2024, 4, 16))
    after = clock(MARCH, *history, on=D(2024, 4, 25))
    replied = clock(MARCH, *history, ReplySent(D(2024, 5, 10)), on=D(2024, 5, 10))

    assert waiting.correction_after_due
    assert waiting.status is CaseStatus.AWAITING_SUPPLEMENT
    assert waiting.reply_due == D(2024, 3, 29)
    assert waiting.overdue
    assert after.clock_start == D(2024, 3, 1)
    assert after.due == D(2024, 3, 29)
    assert after.overdue
    assert replied.answered_late


def test_a_correction_on_the_due_date_still_restarts_it() -> None:
    state = clock(
        MARCH,
        CorrectionRequested(D(2024, 3, 29)),
        SupplementReceived(D(2024, 4, 1)),
        on=D(2024, 4, 2),
    )

    assert not state.correction_after_due
    assert state.clock_start == D(2024, 4, 1)
    assert not state.overdue


def test_reply_due_ignores_a_supplement_to_a_late_correction() -> None:
    late = reply_due(
        D(2024, 3, 1), supplement_received=D(2024, 4, 20), correction_sent=D(2024, 4, 15)
    )
    timely = reply_due(
        D(2024, 3, 1), supplement_received=D(2024, 3, 20), correction_sent=D(2024, 3, 8)
    )

    assert late == D(2024, 3, 29)
    assert timely == CAL.add_working_days(D(2024, 3, 20), 20)


# --- e-mail receipt: Art 31(三), a policy switch -----------------------------------------------


def test_email_is_received_the_day_both_sides_confirm() -> None:
    mail = Received(D(2024, 9, 26), Channel.EMAIL, confirmed_on=D(2024, 9, 27))

    assert clock(mail, on=D(2024, 10, 8)).received_on == D(2024, 9, 27)
    assert law.receipt_rule(Channel.EMAIL) is ReceiptRule.CONFIRMED


def test_email_without_confirmation_is_refused_by_default() -> None:
    with pytest.raises(ClockError, match="第三十一条（三）"):
        clock(Received(D(2024, 9, 26), Channel.EMAIL), on=D(2024, 10, 8))


def test_a_deployment_may_keep_the_2015_rule_for_email() -> None:
    t15 = ClockPolicy(email_receipt=ReceiptRule.SUBMITTED)
    mail = Received(D(2024, 9, 26), Channel.EMAIL, confirmed_on=D(2024, 9, 27))

    assert clock(mail, on=D(2024, 10, 8), policy=t15).received_on == D(2024, 9, 26)
    assert law.receipt_rule(Channel.EMAIL, t15) is ReceiptRule.SUBMITTED


def test_an_ordinary_letter_confirmed_after_it_arrived_is_flagged() -> None:
    late = Received(D(2024, 9, 26), Channel.ORDINARY_MAIL, confirmed_on=D(2024, 9, 27))
    same_day = Received(D(2024, 9, 27), Channel.ORDINARY_MAIL, confirmed_on=D(2024, 9, 27))

    assert clock(late, on=D(2024, 10, 8)).receipt_confirmed_late
    assert not clock(same_day, on=D(2024, 10, 8)).receipt_confirmed_late


# --- the 2008 Regulation for applications received before 2019-05-15 ------------------------

OLD = Received(D(2019, 3, 1), Channel.IN_PERSON)


def test_an_application_before_the_revision_gets_fifteen_working_days() -> None:
    state = clock(OLD, on=D(2019, 3, 4))

    assert state.regulation is law.REGULATION_2008
    assert state.reply_due == D(2019, 3, 22)
    assert state.correction_notice_due is None  # the 2008 text had no 7-day notice
    assert reply_due(D(2019, 3, 1)) == D(2019, 3, 22)


def test_the_revision_applies_from_the_day_it_came_into_force() -> None:
    assert law.regulation_for(law.REGULATION_IN_FORCE) is law.REGULATION_2019
    assert law.regulation_for(D(2019, 5, 14)) is law.REGULATION_2008
    with pytest.raises(law.NoRegulationError, match="没有法定的答复期限"):
        law.regulation_for(D(2008, 4, 30))


def test_the_2008_extension_is_at_most_fifteen_working_days() -> None:
    state = clock(OLD, ExtensionGranted(D(2019, 3, 20), 15), on=D(2019, 3, 20))

    assert state.extended_due == CAL.add_working_days(D(2019, 3, 22), 15)
    with pytest.raises(ClockError, match="最长不得超过 15 个工作日"):
        clock(OLD, ExtensionGranted(D(2019, 3, 20), 16), on=D(2019, 3, 20))


@pytest.mark.parametrize(
    ("event", "missing"),
    [
        (ConsultationSent(D(2019, 3, 5), AGENCY), "没有机关间征求意见的规定"),
        (FeeNoticeSent(D(2019, 3, 5)), "没有信息处理费"),
        (DelayedReplyNotified(D(2019, 3, 5), D(2019, 4, 30)), "没有延迟答复的规定"),
    ],
)
def test_steps_the_2008_regulation_did_not_know_are_refused(event: Event, missing: str) -> None:
    with pytest.raises(ClockError, match=f"适用2008年施行的《条例》.*{missing}"):
        clock(OLD, event, on=D(2019, 3, 6))


def test_a_2008_third_party_has_no_window_so_the_pause_lasts_until_the_answer() -> None:
    sent = ConsultationSent(D(2019, 3, 5), THIRD)
    waiting = clock(OLD, sent, on=D(2019, 4, 30))
    answered = clock(OLD, sent, ConsultationAnswered(D(2019, 4, 10), THIRD), on=D(2019, 4, 30))

    assert waiting.status is CaseStatus.PAUSED_CONSULTATION
    assert waiting.consultations[0].answer_due is None
    assert waiting.pauses[0].open
    assert answered.reply_due == reply_due(D(2019, 3, 1), pauses=[(D(2019, 3, 5), D(2019, 4, 10))])


def test_before_any_regulation_there_is_no_deadline() -> None:
    with pytest.raises(ClockError, match="2008-05-01"):
        clock(Received(D(2008, 4, 30), Channel.IN_PERSON), on=D(2008, 5, 5))


# --- delivery dates ---------------------------------------------------------------------------

SEPT = Received(D(2024, 9, 27), Channel.IN_PERSON)  # due 2024-10-30


def test_the_payment_period_is_provisional_until_delivery_is_recorded() -> None:
    notice = FeeNoticeSent(D(2024, 10, 10))
    before = clock(SEPT, notice, on=D(2024, 10, 11))
    after = clock(SEPT, notice, FeeNoticeDelivered(D(2024, 10, 14)), on=D(2024, 10, 15))

    assert before.fee_payment_due == D(2024, 11, 6)
    assert before.fee_payment_due_provisional
    assert after.fee_payment_due == CAL.add_working_days(D(2024, 10, 14), 20)
    assert not after.fee_payment_due_provisional


def test_an_unpaid_fee_cannot_close_the_case_before_delivery_is_recorded() -> None:
    with pytest.raises(ClockError, match="送达日期尚未记录"):
        clock(SEPT, FeeNoticeSent(D(2024, 10, 10)), FeeNotPaid(D(2024, 12, 20)), on=D(2024, 12, 20))


def test_a_payment_after_the_provisional_end_is_not_late() -> None:
    state = clock(SEPT, FeeNoticeSent(D(2024, 10, 10)), FeePaid(D(2024, 11, 8)), on=D(2024, 11, 8))

    assert state.status is CaseStatus.IN_PROGRESS


def test_a_consultation_window_counts_from_the_recorded_delivery() -> None:
    sent = ConsultationSent(D(2024, 10, 8), THIRD, "A")
    before = clock(SEPT, sent, on=D(2024, 10, 9))
    after = clock(
        SEPT, sent, ConsultationDelivered(D(2024, 10, 11), THIRD, "A"), on=D(2024, 10, 14)
    )

    assert before.consultations[0].provisional
    assert before.consultations[0].answer_due == CAL.add_working_days(D(2024, 10, 8), 15)
    assert not after.consultations[0].provisional
    assert after.consultations[0].answer_due == CAL.add_working_days(D(2024, 10, 11), 15)
    with pytest.raises(ClockError, match="重复"):
        clock(
            SEPT,
            sent,
            ConsultationDelivered(D(2024, 10, 11), THIRD, "A"),
            ConsultationDelivered(D(2024, 10, 12), THIRD, "A"),
            on=D(2024, 10, 14),
        )


def test_delivery_of_a_letter_never_sent_is_refused() -> None:
    with pytest.raises(ClockError, match="没有发出对应的征求意见函"):
        clock(SEPT, ConsultationDelivered(D(2024, 10, 11), THIRD), on=D(2024, 10, 14))
    with pytest.raises(ClockError, match="没有发出收费通知"):
        clock(SEPT, FeeNoticeDelivered(D(2024, 10, 11)), on=D(2024, 10, 14))


# --- Art 35: a notified, later due date ------------------------------------------------------


def test_a_delayed_reply_sets_the_binding_due_date() -> None:
    later = D(2024, 12, 20)
    state = clock(SEPT, DelayedReplyNotified(D(2024, 10, 29), later), on=D(2024, 11, 1))
    replied = clock(SEPT, DelayedReplyNotified(D(2024, 10, 29), later), ReplySent(later), on=later)

    assert state.delayed_due == later
    assert state.due == later
    assert state.reply_due == D(2024, 10, 30)
    assert state.working_days_left == CAL.working_days_between(D(2024, 11, 1), later)
    assert not state.overdue
    assert not replied.answered_late


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([DelayedReplyNotified(D(2024, 10, 31), D(2024, 12, 20))], "须在原期限届满前告知"),
        ([DelayedReplyNotified(D(2024, 10, 8), D(2024, 10, 30))], "不晚于原答复期限"),
        (
            [
                DelayedReplyNotified(D(2024, 10, 8), D(2024, 12, 20)),
                DelayedReplyNotified(D(2024, 10, 9), D(2024, 12, 27)),
            ],
            "不能再",
        ),
        (
            [
                DelayedReplyNotified(D(2024, 10, 8), D(2024, 12, 20)),
                ExtensionGranted(D(2024, 10, 9), 10),
            ],
            "不能再",
        ),
    ],
)
def test_impossible_delayed_replies_are_refused(events: list[Event], message: str) -> None:
    with pytest.raises(ClockError, match=message):
        clock(SEPT, *events, on=D(2024, 10, 10))
