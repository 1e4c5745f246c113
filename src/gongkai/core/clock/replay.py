"""Replaying a history: one handler per event kind folds the events into a :class:`CaseRecord`.

This is where the law's rules about *order* live (LEGAL.md §5.1): what may happen after what,
and what is impossible (a second 补正, an extension after the due date, a reply while a fee is
unpaid). Each handler checks its event against the record and records it; the dates the officer
sees are derived afterwards, by :mod:`.fast`. An impossible history raises :class:`ClockError`
naming the event and the dates, whatever day the clock is asked about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, Final, NoReturn
from zoneinfo import ZoneInfo

from gongkai.core import law
from gongkai.core.calendar import WorkCalendar, national_calendar
from gongkai.core.clock import fast
from gongkai.core.clock.arithmetic import check_extension_size, regulation_of, supplement_restarts
from gongkai.core.clock.errors import ClockError, iso, times
from gongkai.core.clock.events import (
    PARTY_DAYS,
    ConsultationAnswered,
    ConsultationDelivered,
    ConsultationParty,
    ConsultationSent,
    CorrectionAbandoned,
    CorrectionRequested,
    Decided,
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
    Withdrawn,
    describe,
)
from gongkai.core.clock.record import CaseRecord
from gongkai.core.clock.state import ClockState, ClosedReason, ConsultationWindow
from gongkai.core.law import ClockPolicy

__all__ = ["CHINA_TZ", "Snapshot", "case_clock", "replay"]

CHINA_TZ = ZoneInfo("Asia/Shanghai")

# Turns the record into the answer for a day: :func:`.fast.state` in production; the property
# tests pass one that computes both :func:`.fast.state` and :func:`.plain.state` and compares.
Snapshot = Callable[[CaseRecord, dt.date], ClockState]

# Enum members used by the handlers, as module globals (see record.py for why).
_C_WITHDRAWN: Final = ClosedReason.WITHDRAWN
_C_CORRECTION_ABANDONED: Final = ClosedReason.CORRECTION_ABANDONED
_C_FEE_NOT_PAID: Final = ClosedReason.FEE_NOT_PAID
_FEE_DAYS: Final = law.FEE_PAYMENT_PERIOD.working_days
_THIRD_PARTY: Final = ConsultationParty.THIRD_PARTY
_EMAIL: Final = law.Channel.EMAIL
_ORDINARY_MAIL: Final = law.Channel.ORDINARY_MAIL
_IN_FORCE: Final = law.REGULATION_IN_FORCE
_REGULATION_2019: Final = law.REGULATION_2019
_REPLY_DAYS_2019: Final = law.REGULATION_2019.reply.working_days
_MAX_CORRECTIONS: Final = law.MAX_CORRECTION_REQUESTS
_MAX_EXTENSIONS: Final = law.MAX_EXTENSIONS


def _today_in_china() -> dt.date:
    return dt.datetime.now(CHINA_TZ).date()


def case_clock(
    events: Iterable[Event],
    *,
    calendar: WorkCalendar | None = None,
    on: dt.date | None = None,
    policy: ClockPolicy = law.DEFAULT_CLOCK_POLICY,
) -> ClockState:
    """Replay one application's history and return its deadlines as of the day ``on``.

    ``on`` defaults to today in China. Events dated after ``on`` were not yet known on that day,
    so they do not change the state returned (the same history answers "what did the clock say
    on day X"), but they are still checked: an impossible history is refused whatever day is
    asked about. The history must start with :class:`Received` and be in date order; any
    impossible history raises :class:`ClockError` naming the event and the dates.
    """
    # One replay answers from one set of calendar data (and skips the per-call check for news).
    cal = (calendar or national_calendar()).pinned()
    as_of = _today_in_china() if on is None else on
    return replay(events, cal, as_of, policy, fast.state)


def replay(
    events: Iterable[Event],
    cal: WorkCalendar,
    as_of: dt.date,
    policy: ClockPolicy,
    snapshot: Snapshot,
) -> ClockState:
    """:func:`case_clock` with every argument given, and the derivation as a parameter."""
    history = iter(events)
    first = next(history, None)
    if first is None:
        raise ClockError("申请没有任何办理记录，至少需要“收到申请”一项。")
    if not isinstance(first, Received):
        raise ClockError(f"办理记录必须以「收到申请」开始，而第一项是{describe(first)}。")
    channel = first.channel
    if channel is _EMAIL:
        receipt = first.receipt_under(policy)
    else:  # the same answer without the call, for the channels no policy changes
        receipt = first.signed_for_on or first.confirmed_on or first.on
    if as_of < receipt:
        raise ClockError(f"查询日期 {iso(as_of)} 早于收到申请之日 {iso(receipt)}，此时尚无期限。")
    if receipt >= _IN_FORCE:
        regulation, reply_days = _REGULATION_2019, _REPLY_DAYS_2019
    else:
        regulation = regulation_of(receipt)
        reply_days = regulation.reply.working_days
    late = channel is _ORDINARY_MAIL and receipt > first.on  # Art 31(二): confirm the same day
    record = CaseRecord(cal, policy, regulation, reply_days, receipt, receipt, late)
    previous: Event = first
    previous_day = first.on
    handlers = _HANDLERS
    state: ClockState | None = None
    for event in history:
        day = event.on
        if day > as_of and state is None:
            # What the clock said on ``as_of``; the rest is still replayed, only to validate it.
            state = snapshot(record, as_of)
        if day < previous_day or day < receipt:
            _refuse_out_of_order(event, previous, receipt)
        if record.replied_on is not None or record.closed_on is not None:
            _refuse_after_end(record, event)
        try:  # free on Python 3.11 when nothing is raised, unlike a .get() and a None test
            handler = handlers[type(event)]
        except KeyError:
            raise ClockError(f"无法识别的办理记录：{event!r}。") from None
        handler(record, event)
        previous = event
        previous_day = day
    return snapshot(record, as_of) if state is None else state


def _refuse_out_of_order(event: Event, previous: Event, receipt: dt.date) -> NoReturn:
    if event.on < receipt:
        raise ClockError(f"{describe(event)}早于收到申请之日（{iso(receipt)}），不可能发生。")
    raise ClockError(
        f"办理记录顺序错误：{describe(event)}记在{describe(previous)}之后，日期却更早。"
    )


def _refuse_after_end(record: CaseRecord, event: Event) -> NoReturn:
    ended = record.replied_on or record.closed_on
    assert ended is not None
    raise ClockError(f"该申请已于 {iso(ended)} 办结，之后不能再记录{describe(event)}。")


# --- one handler per event kind ----------------------------------------------------------------


def _on_received(record: CaseRecord, event: Received) -> None:
    raise ClockError(f"一件申请只能有一条「收到申请」记录，又出现了{describe(event)}。")


def _on_correction_requested(record: CaseRecord, event: CorrectionRequested) -> None:
    if record.corrections >= _MAX_CORRECTIONS:
        _refuse_another_correction(record, event)
    if record.decided_on is not None:
        _refuse_after_decision(record, event)
    if record.extension:
        raise ClockError(f"已延长答复期限的申请不能再{describe(event)}。")
    if record.delayed_due is not None:
        _refuse_after_delayed_reply(record, event)
    by = event.supplement_by
    if by is not None and by <= event.on:
        raise ClockError(
            f"{describe(event)}给出的补正期限 {iso(by)} 不晚于告知之日，申请人无法补正。"
        )
    # n working days span at least n calendar days, so a notice within reply_days calendar
    # days of the start is inside the period without computing the due date.
    late = (event.on - record.start).days > record.reply_days
    if late and not supplement_restarts(event.on, fast.current_due(record, event.on)):
        # Too late to restart anything: the period has run out, and a 补正 cannot undo that
        # (Art 30 restarts a period that is still running). Recorded, flagged, no restart.
        record.correction_after_due = True
    if record.correction_on is None:
        record.correction_on = event.on
    record.corrections += 1
    record.supplement_by = by
    record.awaiting_supplement = True


def _on_supplement_received(record: CaseRecord, event: SupplementReceived) -> None:
    if not record.awaiting_supplement:
        raise ClockError(f"没有待补正的告知，不能记录{describe(event)}。")
    record.awaiting_supplement = False
    if not record.correction_after_due:
        record.start = event.on


def _on_correction_abandoned(record: CaseRecord, event: CorrectionAbandoned) -> None:
    if not record.awaiting_supplement:
        raise ClockError(f"没有待补正的告知，不能记录{describe(event)}。")
    if record.supplement_by is not None and event.on <= record.supplement_by:
        raise ClockError(
            f"补正期限 {iso(record.supplement_by)} 尚未届满，不能记录{describe(event)}。"
        )
    record.closed_on = event.on
    record.closed_reason = _C_CORRECTION_ABANDONED


def _on_consultation_sent(record: CaseRecord, event: ConsultationSent) -> None:
    if record.awaiting_supplement:
        _refuse_while_awaiting_supplement(record, event)
    if record.decided_on is not None:
        _refuse_after_decision(record, event)
    on, party, ref, delivered = event.on, event.party, event.ref, event.delivered_on
    window = _window(record, event, party)
    if delivered is not None and delivered < on:
        raise ClockError(f"{describe(event)}的送达日 {iso(delivered)} 早于发出之日。")
    consultations = record.consultations if record.consultations is not None else {}
    record.consultations = consultations
    if (party, ref) in consultations:
        sent = consultations[(party, ref)].sent_on
        raise ClockError(
            f"已于 {iso(sent)} 向同一{party.noun}发出过征求意见函，{describe(event)}重复；"
            "向不同对象征求意见请分别填写编号。"
        )
    answer_due = None if window is None else record.cal.add_working_days(delivered or on, window)
    consultations[(party, ref)] = ConsultationWindow(party, ref, on, answer_due, None, delivered)


def _window(record: CaseRecord, event: Event, party: ConsultationParty) -> int | None:
    """The party's answer window in working days under the case's Regulation, ``None`` when
    that version gave none (the 2008 third party); a party it did not know is refused."""
    regulation = record.regulation
    if party is _THIRD_PARTY:
        period = regulation.third_party_window
        return None if period is None else period.working_days
    period = regulation.inter_agency_window
    if period is None:
        _refuse_under_regulation(record, event, "没有机关间征求意见的规定（现行第三十四条）")
    return period.working_days


def _on_consultation_delivered(record: CaseRecord, event: ConsultationDelivered) -> None:
    key = (event.party, event.ref)
    found = (record.consultations or {}).get(key)
    if found is None:
        raise ClockError(f"没有发出对应的征求意见函，不能记录{describe(event)}。")
    if found.delivered_on is not None:
        raise ClockError(
            f"该征求意见函已记录于 {iso(found.delivered_on)} 送达，{describe(event)}重复。"
        )
    if found.answered_on is not None:
        raise ClockError(
            f"该征求意见已于 {iso(found.answered_on)} 收到答复，之后不能再记录{describe(event)}。"
        )
    answer_due = found.answer_due
    if answer_due is not None:
        answer_due = record.cal.add_working_days(event.on, PARTY_DAYS[event.party])
    assert record.consultations is not None
    record.consultations[key] = found._replace(answer_due=answer_due, delivered_on=event.on)


def _on_consultation_answered(record: CaseRecord, event: ConsultationAnswered) -> None:
    key = (event.party, event.ref)
    consultations = record.consultations or {}
    found = consultations.get(key)
    if found is None:
        raise ClockError(f"没有发出对应的征求意见函，不能记录{describe(event)}。")
    if found.answered_on is not None:
        raise ClockError(
            f"该征求意见已于 {iso(found.answered_on)} 收到答复，{describe(event)}重复。"
        )
    consultations[key] = found._replace(answered_on=event.on)


def _on_extension_granted(record: CaseRecord, event: ExtensionGranted) -> None:
    if record.extensions >= _MAX_EXTENSIONS:
        raise ClockError(
            f"依照{law.EXTENSION_MAX.article}，答复期限只能延长{times(_MAX_EXTENSIONS)}；"
            f"已延长 {record.extension} 个工作日，不能再次{describe(event)}。"
        )
    # Each extension within the cap; while MAX_EXTENSIONS is 1 that is the cap on the total.
    check_extension_size(event.working_days, limit=record.regulation.extension_max)
    if record.awaiting_supplement:
        _refuse_while_awaiting_supplement(record, event)
    if record.delayed_due is not None:
        _refuse_after_delayed_reply(record, event)
    due = fast.current_due(record, event.on)
    if event.on > due:
        raise ClockError(f"{describe(event)}晚于答复期限 {iso(due)}：延期须在期限届满前决定。")
    record.extension += event.working_days
    record.extensions += 1


def _on_delayed_reply(record: CaseRecord, event: DelayedReplyNotified) -> None:
    if not record.regulation.delayed_reply:
        _refuse_under_regulation(record, event, "没有延迟答复的规定（2019年修订后第三十五条）")
    if record.delayed_due is not None:
        _refuse_after_delayed_reply(record, event)
    if record.awaiting_supplement:
        _refuse_while_awaiting_supplement(record, event)
    if record.decided_on is not None:
        _refuse_after_decision(record, event)
    due = fast.current_due(record, event.on)
    if event.on > due:
        raise ClockError(
            f"{describe(event)}晚于答复期限 {iso(due)}：依照{law.DELAYED_REPLY_ARTICLE}确定的"
            "合理答复期限须在原期限届满前告知申请人。"
        )
    if event.due <= due:
        raise ClockError(
            f"{describe(event)}确定的答复期限 {iso(event.due)} 不晚于原答复期限 {iso(due)}，"
            f"不是{law.DELAYED_REPLY_ARTICLE}所说的延迟答复。"
        )
    record.delayed_due = event.due


def _on_fee_notice_sent(record: CaseRecord, event: FeeNoticeSent) -> None:
    if not record.regulation.processing_fee:
        _refuse_under_regulation(record, event, "没有信息处理费（国办函〔2020〕109号）")
    if record.fee_notice_on is not None:
        raise ClockError(
            f"已于 {iso(record.fee_notice_on)} 发出收费通知，不能再次{describe(event)}。"
        )
    if record.awaiting_supplement:
        _refuse_while_awaiting_supplement(record, event)
    due = fast.current_due(record, event.on)
    if event.on > due:
        raise ClockError(f"{describe(event)}晚于答复期限 {iso(due)}：收费通知须在办理期限内发出。")
    delivered = event.delivered_on
    if delivered is not None and delivered < event.on:
        raise ClockError(f"{describe(event)}的送达日 {iso(delivered)} 早于发出之日。")
    record.fee_notice_on = event.on
    record.fee_due = record.cal.add_working_days(delivered or event.on, _FEE_DAYS)
    record.fee_delivered = delivered is not None


def _on_fee_notice_delivered(record: CaseRecord, event: FeeNoticeDelivered) -> None:
    if record.fee_notice_on is None:
        raise ClockError(f"没有发出收费通知，不能记录{describe(event)}。")
    if record.fee_delivered:
        raise ClockError(f"收费通知的送达已经记录，{describe(event)}重复。")
    if record.fee_paid_on is not None:
        raise ClockError(f"已于 {iso(record.fee_paid_on)} 缴费，之后不能再记录{describe(event)}。")
    record.fee_due = record.cal.add_working_days(event.on, _FEE_DAYS)
    record.fee_delivered = True


def _on_fee_paid(record: CaseRecord, event: FeePaid) -> None:
    fee_due = _pending_fee(record, event)
    # Without the delivery day the period may end later than fee_due: nothing is late yet.
    if event.on > fee_due and record.fee_delivered:
        raise ClockError(
            f"{describe(event)}晚于缴费期限 {iso(fee_due)}；期限届满未缴费的，"
            "应记录“逾期未缴费视为放弃申请”。"
        )
    record.fee_paid_on = event.on


def _on_fee_not_paid(record: CaseRecord, event: FeeNotPaid) -> None:
    fee_due = _pending_fee(record, event)
    if not record.fee_delivered:
        # [FEE]: the 20 working days count from the day the applicant received the notice.
        # Unknown, the period has no known end, so the case cannot be closed as unpaid.
        raise ClockError(
            f"收费通知的送达日期尚未记录，缴费期限自申请人收到通知之日起算，无法确定是否届满；"
            f"请先记录送达日期，再{describe(event)}。"
        )
    if event.on <= fee_due:
        raise ClockError(f"缴费期限 {iso(fee_due)} 尚未届满，不能记录{describe(event)}。")
    record.closed_on = event.on
    record.closed_reason = _C_FEE_NOT_PAID


def _on_decided(record: CaseRecord, event: Decided) -> None:
    if record.awaiting_supplement:
        _refuse_while_awaiting_supplement(record, event)
    if record.decided_on is not None:
        raise ClockError(f"已于 {iso(record.decided_on)} 作出答复决定，不能再次{describe(event)}。")
    record.decided_on = event.on


def _on_reply_sent(record: CaseRecord, event: ReplySent) -> None:
    if record.awaiting_supplement:
        _refuse_while_awaiting_supplement(record, event)
    if record.fee_notice_on is not None and record.fee_paid_on is None:
        raise ClockError(
            f"{iso(record.fee_notice_on)} 发出的收费通知尚未缴费，不能{describe(event)}；"
            "如已缴费请先记录缴费。"
        )
    if record.decided_on is None:
        record.decided_on = event.on
    record.replied_on = event.on


def _on_withdrawn(record: CaseRecord, event: Withdrawn) -> None:
    record.closed_on = event.on
    record.closed_reason = _C_WITHDRAWN


# One handler per event kind, looked up by exact type: a dict lookup instead of a chain of
# isinstance checks, because the benchmark replays half a million events.
_HANDLERS: dict[type, Callable[[CaseRecord, Any], None]] = {
    Received: _on_received,
    CorrectionRequested: _on_correction_requested,
    SupplementReceived: _on_supplement_received,
    CorrectionAbandoned: _on_correction_abandoned,
    ConsultationSent: _on_consultation_sent,
    ConsultationDelivered: _on_consultation_delivered,
    ConsultationAnswered: _on_consultation_answered,
    ExtensionGranted: _on_extension_granted,
    DelayedReplyNotified: _on_delayed_reply,
    FeeNoticeSent: _on_fee_notice_sent,
    FeeNoticeDelivered: _on_fee_notice_delivered,
    FeePaid: _on_fee_paid,
    FeeNotPaid: _on_fee_not_paid,
    Decided: _on_decided,
    ReplySent: _on_reply_sent,
    Withdrawn: _on_withdrawn,
}


# --- guards -----------------------------------------------------------------------------------
# They only raise; callers test the condition inline first, because a function call per event
# and guard is a measurable share of the benchmark.


def _refuse_while_awaiting_supplement(record: CaseRecord, event: Event) -> NoReturn:
    assert record.correction_on is not None
    raise ClockError(
        f"{iso(record.correction_on)} 已告知补正、尚未收到补正材料，此时不能{describe(event)}。"
    )


def _refuse_another_correction(record: CaseRecord, event: Event) -> NoReturn:
    assert record.correction_on is not None
    raise ClockError(
        f"依照{law.CORRECTION_NOTICE_PERIOD.article}，补正只能一次性告知；"
        f"已于 {iso(record.correction_on)} 告知补正，不能再次{describe(event)}。"
    )


def _refuse_after_decision(record: CaseRecord, event: Event) -> NoReturn:
    assert record.decided_on is not None
    raise ClockError(f"已于 {iso(record.decided_on)} 作出答复决定，之后不能{describe(event)}。")


def _refuse_after_delayed_reply(record: CaseRecord, event: Event) -> NoReturn:
    assert record.delayed_due is not None
    raise ClockError(
        f"已依照{law.DELAYED_REPLY_ARTICLE}告知于 {iso(record.delayed_due)} 前答复，"
        f"不能再{describe(event)}。"
    )


def _refuse_under_regulation(record: CaseRecord, event: Event, missing: str) -> NoReturn:
    raise ClockError(
        f"该申请于 {iso(record.receipt)} 收到，适用{record.regulation.name}；该版本{missing}，"
        f"不能记录{describe(event)}。"
    )


def _pending_fee(record: CaseRecord, event: Event) -> dt.date:
    if record.fee_due is None:
        raise ClockError(f"没有发出收费通知，不能记录{describe(event)}。")
    if record.fee_paid_on is not None:
        raise ClockError(f"已于 {iso(record.fee_paid_on)} 缴费，{describe(event)}重复。")
    return record.fee_due
