"""The case clock: every deadline of one application, computed from its history of events.

An application's history is append-only; its status, due dates, days left and "overdue" are
derived from it by :func:`case_clock`, never stored as the truth (DESIGN.md, "Case clock"). The
rules are those of LEGAL.md §5.1, with every period read from :mod:`gongkai.core.law`:

* The reply is due 20 working days after the day of receipt (Art 33 ¶2); the day of receipt is
  fixed by the channel (Art 31, :data:`law.RECEIPT_RULES`) and is not itself counted.
* A 补正 request stops the clock; the supplement **restarts** the 20 days from the day it is
  received (Art 30). It may be requested once, before the decision; the notice is due within
  7 working days of receipt, and a later request is accepted but flagged
  (:attr:`ClockState.correction_requested_late`), because the applicant's duty to supplement
  does not lapse with the agency's delay.
* Third-party and inter-agency consultations are not counted (Art 33 ¶3). A consultation pauses
  the clock from the day after the letter is sent up to and including the day the answer arrives
  or, if none arrives, the last day of the 15-working-day window (Arts 32, 34): after that the
  agency decides alone, so the clock runs again. Overlapping consultations pause once.
* An extension adds at most 20 working days, once, granted on or before the due date.
* The fee-payment period pauses the clock when ``law.ClockPolicy.fee_payment_pauses_clock`` is
  set (UNVERIFIED, LEGAL.md §8.5), from the day after the notice up to the payment, or to the end
  of the 20-working-day payment period.

A pause whose end is not yet known on the day asked about (a consultation still unanswered, a
fee still unpaid) is counted up to that day only. The due date shown is therefore the earliest
the case can be due; it moves later each working day the pause lasts, and never earlier.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Final, NamedTuple, NoReturn
from zoneinfo import ZoneInfo

from gongkai.core import law
from gongkai.core.calendar import WorkCalendar, national_calendar
from gongkai.core.errors import GongkaiError
from gongkai.core.law import Channel, ClockPolicy, ReceiptRule

__all__ = [
    "CHINA_TZ",
    "CaseStatus",
    "ClockError",
    "ClockState",
    "ClosedReason",
    "ConsultationAnswered",
    "ConsultationParty",
    "ConsultationSent",
    "ConsultationWindow",
    "CorrectionAbandoned",
    "CorrectionRequested",
    "Decided",
    "Event",
    "ExtensionGranted",
    "FeeNotPaid",
    "FeeNoticeSent",
    "FeePaid",
    "Pause",
    "Received",
    "ReplySent",
    "SupplementReceived",
    "Withdrawn",
    "case_clock",
    "due_date",
    "reply_due",
]

CHINA_TZ = ZoneInfo("Asia/Shanghai")


class ClockError(GongkaiError):
    """An impossible case history; the message names the event and the dates involved."""


def _d(day: dt.date) -> str:
    return day.isoformat()


# ---------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------


_FIELD_NAMES: Final[dict[str, str]] = {
    "on": "日期",
    "signed_for_on": "签收日期",
    "confirmed_on": "确认日期",
    "supplement_by": "补正期限",
    "delivered_on": "送达日期",
}


class _Checked:
    """Checks the fields every event shares when it is built, so that a wrong type (a string
    for a date, a datetime, a bool for a count) is a Chinese error naming the event and the
    field, never a ``TypeError`` deep inside the clock."""

    __slots__ = ()
    label: ClassVar[str]

    def __post_init__(self) -> None:
        _check_fields(self)


def _check_fields(event: _Checked) -> None:
    for field in fields(event):  # type: ignore[arg-type]
        name = field.name
        value = getattr(event, name)
        if name in _FIELD_NAMES:
            if value is None and name != "on":
                continue
            if type(value) is not dt.date:
                raise ClockError(
                    f"「{event.label}」的{_FIELD_NAMES[name]}应为日期（YYYY-MM-DD），"
                    f"收到的是 {value!r}。"
                )
        elif name == "party" and not isinstance(value, ConsultationParty):
            try:
                object.__setattr__(event, name, ConsultationParty(value))
            except ValueError:
                raise ClockError(
                    f"「{event.label}」的征求意见对象 {value!r} 不可识别，可选：third_party"
                    "（第三方，《条例》第三十二条）、agency（有关机关，《条例》第三十四条）。"
                ) from None
        elif name == "ref" and not isinstance(value, str):
            raise ClockError(f"「{event.label}」的对象编号应为文字，收到的是 {value!r}。")
        elif name == "working_days" and (type(value) is not int):
            raise ClockError(f"「{event.label}」的工作日数应为整数，收到的是 {value!r}。")


@dataclass(frozen=True, slots=True)
class Received(_Checked):
    """The application reached the agency.

    ``on`` is the day it arrived or was handed in. Which day counts as the day of receipt
    depends on the channel (Art 31): mail that must be signed for needs ``signed_for_on``;
    ordinary letters, the internet platform and fax need ``confirmed_on``, the day the office
    confirmed with the applicant. Data a channel does not use is rejected, so that a wrong
    channel is noticed rather than silently producing a different deadline.
    """

    on: dt.date
    channel: Channel
    signed_for_on: dt.date | None = None
    confirmed_on: dt.date | None = None

    label: ClassVar[str] = "收到申请"

    def __post_init__(self) -> None:
        _check_fields(self)
        if not isinstance(self.channel, Channel):
            try:
                object.__setattr__(self, "channel", Channel(self.channel))
            except ValueError:
                known = "、".join(c.value for c in Channel)
                raise ClockError(f"未知的申请渠道“{self.channel}”，可选：{known}。") from None
        channel_label = law.CHANNEL_LABELS[self.channel]
        rule = law.RECEIPT_RULES[self.channel]
        needed = {
            ReceiptRule.SUBMITTED: None,
            ReceiptRule.SIGNED_FOR: "signed_for_on",
            ReceiptRule.CONFIRMED: "confirmed_on",
        }[rule]
        names = {"signed_for_on": "签收日期", "confirmed_on": "与申请人确认的日期"}
        for field, name in names.items():
            value = getattr(self, field)
            if field == needed and value is None:
                raise ClockError(
                    f"以“{channel_label}”方式提出的申请（{_d(self.on)} 到达），须填写{name}："
                    f"依照{law.RECEIPT_ARTICLE}，该日为收到申请之日。"
                )
            if field != needed and value is not None:
                raise ClockError(
                    f"以“{channel_label}”方式提出的申请不使用{name}（填写了 {_d(value)}）："
                    f"依照{law.RECEIPT_ARTICLE}，请检查申请渠道是否填错。"
                )
            if value is not None and value < self.on:
                raise ClockError(f"{name} {_d(value)} 早于申请到达之日 {_d(self.on)}，不可能发生。")

    @property
    def receipt_date(self) -> dt.date:
        """The day of receipt under Art 31, from which every period counts."""
        return self.signed_for_on or self.confirmed_on or self.on


@dataclass(frozen=True, slots=True)
class CorrectionRequested(_Checked):
    """The agency told the applicant, once, what to supplement (补正, Art 30).

    ``supplement_by`` is the reasonable deadline the notice gave, if any.
    """

    on: dt.date
    supplement_by: dt.date | None = None

    label: ClassVar[str] = "告知补正"


@dataclass(frozen=True, slots=True)
class SupplementReceived(_Checked):
    """The supplemented application arrived; the reply period restarts from this day."""

    on: dt.date

    label: ClassVar[str] = "收到补正材料"


@dataclass(frozen=True, slots=True)
class CorrectionAbandoned(_Checked):
    """No supplement by the deadline: the application is deemed withdrawn (Art 30)."""

    on: dt.date

    label: ClassVar[str] = "逾期未补正视为放弃申请"


class ConsultationParty(enum.StrEnum):
    """Whom the agency consulted; each has its own article and 15-working-day window."""

    THIRD_PARTY = "third_party"  # Art 32
    AGENCY = "agency"  # Art 34

    @property
    def period(self) -> law.Period:
        return _PARTY_PERIODS[self]

    @property
    def noun(self) -> str:
        return _PARTY_NOUNS[self]


_PARTY_PERIODS: Final[dict[ConsultationParty, law.Period]] = {
    ConsultationParty.THIRD_PARTY: law.THIRD_PARTY_CONSULTATION_PERIOD,
    ConsultationParty.AGENCY: law.INTER_AGENCY_CONSULTATION_PERIOD,
}
_PARTY_DAYS: Final[dict[ConsultationParty, int]] = {
    party: period.working_days for party, period in _PARTY_PERIODS.items()
}
_PARTY_NOUNS: Final[dict[ConsultationParty, str]] = {
    ConsultationParty.THIRD_PARTY: "第三方",
    ConsultationParty.AGENCY: "有关机关",
}


@dataclass(frozen=True, slots=True)
class ConsultationSent(_Checked):
    """A written consultation letter went out.

    ``ref`` tells apart several letters to different parties; ``delivered_on`` is the day the
    party received it, which starts its window (Arts 32, 34); unknown, the sending day is used.
    """

    on: dt.date
    party: ConsultationParty
    ref: str = ""
    delivered_on: dt.date | None = None

    label: ClassVar[str] = "发出征求意见函"


@dataclass(frozen=True, slots=True)
class ConsultationAnswered(_Checked):
    """The consulted party's answer (matching ``party`` and ``ref`` of the letter) arrived."""

    on: dt.date
    party: ConsultationParty
    ref: str = ""

    label: ClassVar[str] = "收到征求意见答复"


@dataclass(frozen=True, slots=True)
class ExtensionGranted(_Checked):
    """The head of the disclosure office extended the reply period (Art 33 ¶2)."""

    on: dt.date
    working_days: int

    label: ClassVar[str] = "延长答复期限"


@dataclass(frozen=True, slots=True)
class FeeNoticeSent(_Checked):
    """A 收费通知 went out; ``delivered_on`` is when the applicant received it, if known."""

    on: dt.date
    delivered_on: dt.date | None = None

    label: ClassVar[str] = "发出收费通知"


@dataclass(frozen=True, slots=True)
class FeePaid(_Checked):
    """The applicant paid the 信息处理费."""

    on: dt.date

    label: ClassVar[str] = "缴纳信息处理费"


@dataclass(frozen=True, slots=True)
class FeeNotPaid(_Checked):
    """The payment period expired unpaid: the application is deemed abandoned ([FEE])."""

    on: dt.date

    label: ClassVar[str] = "逾期未缴费视为放弃申请"


@dataclass(frozen=True, slots=True)
class Decided(_Checked):
    """The agency decided how to answer (the reply letter may follow later)."""

    on: dt.date

    label: ClassVar[str] = "作出答复决定"


@dataclass(frozen=True, slots=True)
class ReplySent(_Checked):
    """The reply was sent to the applicant: the clock stops here."""

    on: dt.date

    label: ClassVar[str] = "送达答复"


@dataclass(frozen=True, slots=True)
class Withdrawn(_Checked):
    """The applicant withdrew the application."""

    on: dt.date

    label: ClassVar[str] = "申请人撤回申请"


Event = (
    Received
    | CorrectionRequested
    | SupplementReceived
    | CorrectionAbandoned
    | ConsultationSent
    | ConsultationAnswered
    | ExtensionGranted
    | FeeNoticeSent
    | FeePaid
    | FeeNotPaid
    | Decided
    | ReplySent
    | Withdrawn
)


def _describe(event: Event) -> str:
    if isinstance(event, ConsultationSent | ConsultationAnswered):
        verb = "发出" if isinstance(event, ConsultationSent) else "收到"
        what = "征求意见函" if isinstance(event, ConsultationSent) else "征求意见答复"
        ref = f"（{event.ref}）" if event.ref else ""
        return f"「{verb}{event.party.noun}{what}{ref}」（{_d(event.on)}）"
    return f"「{event.label}」（{_d(event.on)}）"


# ---------------------------------------------------------------------------------------------
# The state
# ---------------------------------------------------------------------------------------------


class CaseStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    AWAITING_SUPPLEMENT = "awaiting_supplement"
    PAUSED_CONSULTATION = "paused_consultation"
    AWAITING_PAYMENT = "awaiting_payment"
    DECIDED = "decided"
    REPLIED = "replied"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS: dict[CaseStatus, str] = {
    CaseStatus.IN_PROGRESS: "办理中",
    CaseStatus.AWAITING_SUPPLEMENT: "等待补正",
    CaseStatus.PAUSED_CONSULTATION: "征求意见中（暂停计时）",
    CaseStatus.AWAITING_PAYMENT: "等待缴费",
    CaseStatus.DECIDED: "已作出决定，待送达",
    CaseStatus.REPLIED: "已答复",
    CaseStatus.CLOSED: "已终止",
}


class ClosedReason(enum.StrEnum):
    """Why a case ended without a reply; the last two are table 三 rows 其他处理 (LEGAL.md §2.4)."""

    WITHDRAWN = "withdrawn"
    CORRECTION_ABANDONED = "correction_abandoned"
    FEE_NOT_PAID = "fee_not_paid"


# Module-level aliases of the enum members used on the hot path: attribute access on an Enum
# class costs several hundred nanoseconds on Python 3.11, a global lookup a few dozen.
_S_IN_PROGRESS: Final = CaseStatus.IN_PROGRESS
_S_AWAITING_SUPPLEMENT: Final = CaseStatus.AWAITING_SUPPLEMENT
_S_PAUSED_CONSULTATION: Final = CaseStatus.PAUSED_CONSULTATION
_S_AWAITING_PAYMENT: Final = CaseStatus.AWAITING_PAYMENT
_S_DECIDED: Final = CaseStatus.DECIDED
_S_REPLIED: Final = CaseStatus.REPLIED
_S_CLOSED: Final = CaseStatus.CLOSED
_C_WITHDRAWN: Final = ClosedReason.WITHDRAWN
_C_CORRECTION_ABANDONED: Final = ClosedReason.CORRECTION_ABANDONED
_C_FEE_NOT_PAID: Final = ClosedReason.FEE_NOT_PAID


class Pause(NamedTuple):
    """Working days in (``after``, ``through``] do not count; ``open`` = end not yet known.

    ``party`` is whom the agency consulted, or ``None`` for the fee-payment period.
    """

    after: dt.date
    through: dt.date
    open: bool = False
    party: ConsultationParty | None = None
    ref: str = ""

    @property
    def reason(self) -> str:
        if self.party is None:
            return "等待缴费"
        return f"征求{self.party.noun}意见" + (f"（{self.ref}）" if self.ref else "")


class ConsultationWindow(NamedTuple):
    """One consultation letter and its party's answer window (15 working days)."""

    party: ConsultationParty
    ref: str
    sent_on: dt.date
    answer_due: dt.date  # last day of the party's 15-working-day window
    answered_on: dt.date | None

    @property
    def answered_late(self) -> bool:
        return self.answered_on is not None and self.answered_on > self.answer_due


class ClockState(NamedTuple):
    """Everything the officer needs to know about one case's deadlines on the day ``on``.

    A NamedTuple rather than a frozen dataclass: equally immutable, and several times cheaper
    to build, which matters when a dashboard recomputes every open case of a province.

    Dates that do not apply are ``None``: ``reply_due`` while the agency waits for a supplement
    (no period is running), ``extended_due`` without an extension, ``fee_payment_due`` without a
    fee notice. ``working_days_left`` is ``None`` once the case is replied or closed; otherwise
    it is the working days in (``on``, ``due``], negative when overdue.
    """

    on: dt.date
    status: CaseStatus
    received_on: dt.date
    correction_notice_due: dt.date
    correction_requested_on: dt.date | None
    correction_requested_late: bool
    supplement_due: dt.date | None
    clock_start: dt.date  # the day the 20 working days count from (receipt or supplement)
    reply_due: dt.date | None  # 20 working days plus pauses
    extended_due: dt.date | None  # reply_due plus the extension
    extension_working_days: int
    pauses: tuple[Pause, ...]
    paused_working_days: int
    consultations: tuple[ConsultationWindow, ...]
    fee_payment_due: dt.date | None
    decided_on: dt.date | None
    replied_on: dt.date | None
    closed_on: dt.date | None
    closed_reason: ClosedReason | None
    working_days_left: int | None
    overdue: bool
    answered_late: bool

    @property
    def due(self) -> dt.date | None:
        """The date that actually binds: the extended due date if extended."""
        return self.extended_due or self.reply_due


# ---------------------------------------------------------------------------------------------
# Due dates
# ---------------------------------------------------------------------------------------------


def _due_rank(start_rank: int, n: int, paused: Sequence[tuple[int, int]]) -> int:
    """Rank of the n-th counted working day after ``start_rank``, skipping paused ranks.

    ``paused`` holds (lo, hi) rank pairs sorted by lo: ranks lo+1..hi do not count. Overlaps
    are absorbed, so two consultations at once pause once.
    """
    pos = start_rank
    remaining = n
    for lo, hi in paused:
        if hi <= pos:
            continue
        if lo > pos:
            gap = lo - pos
            if gap >= remaining:
                break
            remaining -= gap
        pos = hi
    return pos + remaining


def due_date(
    start: dt.date,
    working_days: int,
    pauses: Iterable[tuple[dt.date, dt.date]] = (),
    *,
    calendar: WorkCalendar | None = None,
) -> dt.date:
    """The ``working_days``-th counted working day after ``start``.

    Each pause ``(after, through)`` removes the working days in (after, through]: the day a
    consultation letter goes out still counts, the day its answer arrives does not.
    """
    if working_days < 0:
        raise ClockError(f"期限的工作日数不能为负数（收到 {working_days}）。")
    cal = calendar or national_calendar()
    paused = sorted((cal.rank(a), cal.rank(b)) for a, b in pauses)
    return cal.workday_of_rank(_due_rank(cal.rank(start), working_days, paused), start)


def reply_due(
    received: dt.date,
    *,
    supplement_received: dt.date | None = None,
    pauses: Iterable[tuple[dt.date, dt.date]] = (),
    extension: int = 0,
    calendar: WorkCalendar | None = None,
) -> dt.date:
    """The reply due date for ``gongkai deadline`` without a full event history.

    ``received`` is the Art 31 day of receipt (for channels that need a confirmation, the
    confirmation day). ``pauses`` are consultation (or fee) intervals as in :func:`due_date`.
    """
    start = received
    if supplement_received is not None:
        if supplement_received < received:
            raise ClockError(
                f"收到补正材料之日 {_d(supplement_received)} 早于收到申请之日 {_d(received)}。"
            )
        start = supplement_received
    pause_list = list(pauses)
    for after, through in pause_list:
        if through < after:
            raise ClockError(f"暂停区间 {_d(after)}:{_d(through)} 的结束日早于开始日。")
        if after < received:
            raise ClockError(
                f"暂停区间 {_d(after)}:{_d(through)} 开始于收到申请之日 {_d(received)} 之前。"
            )
    _check_extension_size(extension, allow_zero=True)
    return due_date(start, law.REPLY_PERIOD.working_days + extension, pause_list, calendar=calendar)


def _check_extension_size(working_days: int, *, allow_zero: bool = False) -> None:
    limit = law.EXTENSION_MAX.working_days
    low = 0 if allow_zero else 1
    if not low <= working_days <= limit:
        raise ClockError(
            f"延长答复期限 {working_days} 个工作日不合法：依照{law.EXTENSION_MAX.article}，"
            f"延长期限最长不得超过 {limit} 个工作日（且至少 1 个工作日）。"
        )


# ---------------------------------------------------------------------------------------------
# The clock
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Run:
    """Mutable bookkeeping while one history is replayed; never leaves this module."""

    cal: WorkCalendar
    policy: ClockPolicy
    receipt: dt.date
    start: dt.date
    correction_on: dt.date | None = None
    supplement_by: dt.date | None = None
    awaiting_supplement: bool = False
    extension: int = 0
    # Keyed by (party, ref); None until the first letter, to keep the common case allocation-free.
    consultations: dict[tuple[ConsultationParty, str], ConsultationWindow] | None = None
    fee_notice_on: dt.date | None = None
    fee_due: dt.date | None = None
    fee_paid_on: dt.date | None = None
    decided_on: dt.date | None = None
    replied_on: dt.date | None = None
    closed_on: dt.date | None = None
    closed_reason: ClosedReason | None = None

    def pauses(
        self, until: dt.date, describe: bool = True
    ) -> tuple[list[Pause], list[tuple[int, int]]]:
        """The non-empty pauses as known on ``until`` (open ones cut there), and the same as
        rank pairs sorted by start, the form :func:`_due_rank` walks.

        ``describe=False`` skips building the :class:`Pause` values when only the due date is
        wanted (checking an extension or a fee notice against it).
        """
        out: list[Pause] = []
        ranks: list[tuple[int, int]] = []
        rank = self.cal.rank
        if self.consultations:
            for c in self.consultations.values():
                end = c.answer_due
                if c.answered_on is not None and c.answered_on < end:
                    end = c.answered_on
                is_open = end > until
                if is_open:
                    end = until
                if end > c.sent_on:
                    if describe:
                        out.append(Pause(c.sent_on, end, is_open, c.party, c.ref))
                    ranks.append((rank(c.sent_on), rank(end)))
        if (
            self.fee_notice_on is not None
            and self.fee_due is not None
            and self.policy.fee_payment_pauses_clock
        ):
            end = self.fee_due if self.fee_paid_on is None else self.fee_paid_on
            is_open = end > until
            if is_open:
                end = until
            if end > self.fee_notice_on:
                if describe:
                    out.append(Pause(self.fee_notice_on, end, is_open))
                ranks.append((rank(self.fee_notice_on), rank(end)))
        if len(ranks) > 1:
            ranks.sort()
        return out, ranks

    def due(self, paused: Sequence[tuple[int, int]], working_days: int) -> dt.date:
        cal = self.cal
        return cal.workday_of_rank(
            _due_rank(cal.rank(self.start), working_days, paused), self.start
        )

    def current_due(self, until: dt.date) -> dt.date:
        return self.due(self.pauses(until, False)[1], _REPLY_DAYS + self.extension)


# The periods the clock uses on every case, read once from law (the hot path then pays a
# global lookup instead of two attribute lookups per use).
_REPLY_DAYS: Final = law.REPLY_PERIOD.working_days
_NOTICE_DAYS: Final = law.CORRECTION_NOTICE_PERIOD.working_days
_FEE_DAYS: Final = law.FEE_PAYMENT_PERIOD.working_days


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
    cal = calendar or national_calendar()
    as_of = _today_in_china() if on is None else on
    history = iter(events)
    first = next(history, None)
    if first is None:
        raise ClockError("申请没有任何办理记录，至少需要“收到申请”一项。")
    if not isinstance(first, Received):
        raise ClockError(f"办理记录必须以「收到申请」开始，而第一项是{_describe(first)}。")
    receipt = first.receipt_date
    if as_of < receipt:
        raise ClockError(f"查询日期 {_d(as_of)} 早于收到申请之日 {_d(receipt)}，此时尚无期限。")
    run = _Run(cal, policy, receipt, receipt)
    previous: Event = first
    previous_day = first.on
    handlers = _HANDLERS
    state: ClockState | None = None
    for event in history:
        day = event.on
        if day > as_of and state is None:
            # What the clock said on ``as_of``; the rest is still replayed, only to validate it.
            state = _state(run, as_of)
        if day < previous_day or day < receipt:
            _refuse_out_of_order(event, previous, receipt)
        if run.replied_on is not None or run.closed_on is not None:
            _refuse_after_end(run, event)
        handler = handlers.get(type(event))
        if handler is None:
            raise ClockError(f"无法识别的办理记录：{event!r}。")
        handler(run, event)
        previous = event
        previous_day = day
    return _state(run, as_of) if state is None else state


def _refuse_out_of_order(event: Event, previous: Event, receipt: dt.date) -> NoReturn:
    if event.on < receipt:
        raise ClockError(f"{_describe(event)}早于收到申请之日（{_d(receipt)}），不可能发生。")
    raise ClockError(
        f"办理记录顺序错误：{_describe(event)}记在{_describe(previous)}之后，日期却更早。"
    )


def _refuse_after_end(run: _Run, event: Event) -> NoReturn:
    ended = run.replied_on or run.closed_on
    assert ended is not None
    raise ClockError(f"该申请已于 {_d(ended)} 办结，之后不能再记录{_describe(event)}。")


def _on_received(run: _Run, event: Received) -> None:
    raise ClockError(f"一件申请只能有一条「收到申请」记录，又出现了{_describe(event)}。")


def _on_correction_requested(run: _Run, event: CorrectionRequested) -> None:
    if run.correction_on is not None:
        raise ClockError(
            f"依照{law.CORRECTION_NOTICE_PERIOD.article}，补正只能一次性告知；"
            f"已于 {_d(run.correction_on)} 告知补正，不能再次{_describe(event)}。"
        )
    if run.decided_on is not None:
        _refuse_after_decision(run, event)
    if run.extension:
        raise ClockError(f"已延长答复期限的申请不能再{_describe(event)}。")
    by = event.supplement_by
    if by is not None and by <= event.on:
        raise ClockError(
            f"{_describe(event)}给出的补正期限 {_d(by)} 不晚于告知之日，申请人无法补正。"
        )
    run.correction_on = event.on
    run.supplement_by = by
    run.awaiting_supplement = True


def _on_supplement_received(run: _Run, event: SupplementReceived) -> None:
    if not run.awaiting_supplement:
        raise ClockError(f"没有待补正的告知，不能记录{_describe(event)}。")
    run.awaiting_supplement = False
    run.start = event.on


def _on_correction_abandoned(run: _Run, event: CorrectionAbandoned) -> None:
    if not run.awaiting_supplement:
        raise ClockError(f"没有待补正的告知，不能记录{_describe(event)}。")
    if run.supplement_by is not None and event.on <= run.supplement_by:
        raise ClockError(f"补正期限 {_d(run.supplement_by)} 尚未届满，不能记录{_describe(event)}。")
    run.closed_on = event.on
    run.closed_reason = _C_CORRECTION_ABANDONED


def _on_consultation_sent(run: _Run, event: ConsultationSent) -> None:
    if run.awaiting_supplement:
        _refuse_while_awaiting_supplement(run, event)
    if run.decided_on is not None:
        _refuse_after_decision(run, event)
    on, party, ref, delivered = event.on, event.party, event.ref, event.delivered_on
    if delivered is not None and delivered < on:
        raise ClockError(f"{_describe(event)}的送达日 {_d(delivered)} 早于发出之日。")
    consultations = run.consultations if run.consultations is not None else {}
    run.consultations = consultations
    if (party, ref) in consultations:
        sent = consultations[(party, ref)].sent_on
        raise ClockError(
            f"已于 {_d(sent)} 向同一{party.noun}发出过征求意见函，{_describe(event)}重复；"
            "向不同对象征求意见请分别填写编号。"
        )
    window_start = delivered or on
    answer_due = run.cal.add_working_days(window_start, _PARTY_DAYS[party])
    consultations[(party, ref)] = ConsultationWindow(party, ref, on, answer_due, None)


def _on_consultation_answered(run: _Run, event: ConsultationAnswered) -> None:
    key = (event.party, event.ref)
    consultations = run.consultations or {}
    found = consultations.get(key)
    if found is None:
        raise ClockError(f"没有发出对应的征求意见函，不能记录{_describe(event)}。")
    if found.answered_on is not None:
        raise ClockError(
            f"该征求意见已于 {_d(found.answered_on)} 收到答复，{_describe(event)}重复。"
        )
    consultations[key] = ConsultationWindow(
        found.party, found.ref, found.sent_on, found.answer_due, event.on
    )


def _on_extension_granted(run: _Run, event: ExtensionGranted) -> None:
    if run.extension:
        raise ClockError(
            f"依照{law.EXTENSION_MAX.article}，答复期限只能延长一次；"
            f"已延长 {run.extension} 个工作日，不能再次{_describe(event)}。"
        )
    _check_extension_size(event.working_days)
    if run.awaiting_supplement:
        _refuse_while_awaiting_supplement(run, event)
    due = run.current_due(event.on)
    if event.on > due:
        raise ClockError(f"{_describe(event)}晚于答复期限 {_d(due)}：延期须在期限届满前决定。")
    run.extension = event.working_days


def _on_fee_notice_sent(run: _Run, event: FeeNoticeSent) -> None:
    if run.fee_notice_on is not None:
        raise ClockError(f"已于 {_d(run.fee_notice_on)} 发出收费通知，不能再次{_describe(event)}。")
    if run.awaiting_supplement:
        _refuse_while_awaiting_supplement(run, event)
    due = run.current_due(event.on)
    if event.on > due:
        raise ClockError(f"{_describe(event)}晚于答复期限 {_d(due)}：收费通知须在办理期限内发出。")
    delivered = event.delivered_on
    if delivered is not None and delivered < event.on:
        raise ClockError(f"{_describe(event)}的送达日 {_d(delivered)} 早于发出之日。")
    run.fee_notice_on = event.on
    run.fee_due = run.cal.add_working_days(delivered or event.on, _FEE_DAYS)


def _on_fee_paid(run: _Run, event: FeePaid) -> None:
    fee_due = _pending_fee(run, event)
    if event.on > fee_due:
        raise ClockError(
            f"{_describe(event)}晚于缴费期限 {_d(fee_due)}；期限届满未缴费的，"
            "应记录“逾期未缴费视为放弃申请”。"
        )
    run.fee_paid_on = event.on


def _on_fee_not_paid(run: _Run, event: FeeNotPaid) -> None:
    fee_due = _pending_fee(run, event)
    if event.on <= fee_due:
        raise ClockError(f"缴费期限 {_d(fee_due)} 尚未届满，不能记录{_describe(event)}。")
    run.closed_on = event.on
    run.closed_reason = _C_FEE_NOT_PAID


def _on_decided(run: _Run, event: Decided) -> None:
    if run.awaiting_supplement:
        _refuse_while_awaiting_supplement(run, event)
    if run.decided_on is not None:
        raise ClockError(f"已于 {_d(run.decided_on)} 作出答复决定，不能再次{_describe(event)}。")
    run.decided_on = event.on


def _on_reply_sent(run: _Run, event: ReplySent) -> None:
    if run.awaiting_supplement:
        _refuse_while_awaiting_supplement(run, event)
    if run.fee_notice_on is not None and run.fee_paid_on is None:
        raise ClockError(
            f"{_d(run.fee_notice_on)} 发出的收费通知尚未缴费，不能{_describe(event)}；"
            "如已缴费请先记录缴费。"
        )
    if run.decided_on is None:
        run.decided_on = event.on
    run.replied_on = event.on


def _on_withdrawn(run: _Run, event: Withdrawn) -> None:
    run.closed_on = event.on
    run.closed_reason = _C_WITHDRAWN


# One handler per event kind, looked up by exact type: a dict lookup instead of a chain of
# isinstance checks, because the benchmark replays half a million events.
_HANDLERS: dict[type, Callable[[_Run, Any], None]] = {
    Received: _on_received,
    CorrectionRequested: _on_correction_requested,
    SupplementReceived: _on_supplement_received,
    CorrectionAbandoned: _on_correction_abandoned,
    ConsultationSent: _on_consultation_sent,
    ConsultationAnswered: _on_consultation_answered,
    ExtensionGranted: _on_extension_granted,
    FeeNoticeSent: _on_fee_notice_sent,
    FeePaid: _on_fee_paid,
    FeeNotPaid: _on_fee_not_paid,
    Decided: _on_decided,
    ReplySent: _on_reply_sent,
    Withdrawn: _on_withdrawn,
}


# The guards below only raise; callers test the condition inline first, because a function
# call per event and guard is a measurable share of the benchmark.


def _refuse_while_awaiting_supplement(run: _Run, event: Event) -> NoReturn:
    assert run.correction_on is not None
    raise ClockError(
        f"{_d(run.correction_on)} 已告知补正、尚未收到补正材料，此时不能{_describe(event)}。"
    )


def _refuse_after_decision(run: _Run, event: Event) -> NoReturn:
    assert run.decided_on is not None
    raise ClockError(f"已于 {_d(run.decided_on)} 作出答复决定，之后不能{_describe(event)}。")


def _pending_fee(run: _Run, event: Event) -> dt.date:
    if run.fee_due is None:
        raise ClockError(f"没有发出收费通知，不能记录{_describe(event)}。")
    if run.fee_paid_on is not None:
        raise ClockError(f"已于 {_d(run.fee_paid_on)} 缴费，{_describe(event)}重复。")
    return run.fee_due


def _state(run: _Run, as_of: dt.date) -> ClockState:
    cal = run.cal
    ended = run.replied_on or run.closed_on
    until = ended or as_of
    pauses: tuple[Pause, ...] = ()
    paused: list[tuple[int, int]] = []
    if run.consultations or run.fee_notice_on is not None:
        pause_list, paused = run.pauses(until)
        pauses = tuple(pause_list)
    # Work in ranks and convert to dates only for the answer: a date round trip per value
    # would double the cost of the whole function.
    reply_due: dt.date | None = None
    extended_due: dt.date | None = None
    days_left: int | None = None
    rank = cal.rank
    start_rank = rank(run.start)
    if not run.awaiting_supplement:
        due_rank = (
            _due_rank(start_rank, _REPLY_DAYS, paused) if paused else start_rank + _REPLY_DAYS
        )
        reply_due = cal.workday_of_rank(due_rank, run.start)
        if run.extension:
            due_rank = _due_rank(start_rank, _REPLY_DAYS + run.extension, paused)
            extended_due = cal.workday_of_rank(due_rank, run.start)
        if ended is None:
            # Every pause ends on or before as_of, so no paused day lies in (as_of, due].
            days_left = due_rank - rank(as_of)
    due = extended_due or reply_due
    consultations: tuple[ConsultationWindow, ...] = ()
    if run.consultations:
        consultations = tuple(run.consultations.values())
    receipt_rank = start_rank if run.start is run.receipt else rank(run.receipt)
    notice_due = cal.workday_of_rank(receipt_rank + _NOTICE_DAYS, run.receipt)
    late_correction = run.correction_on is not None and run.correction_on > notice_due
    # Positional, in field order (each line names its field): keyword construction of a
    # 22-field NamedTuple costs twice as much, and this runs once per case per page view.
    return ClockState(
        as_of,  # on
        _status(run, as_of, consultations),  # status
        run.receipt,  # received_on
        notice_due,  # correction_notice_due
        run.correction_on,  # correction_requested_on
        late_correction,  # correction_requested_late
        run.supplement_by,  # supplement_due
        run.start,  # clock_start
        reply_due,  # reply_due
        extended_due,  # extended_due
        run.extension,  # extension_working_days
        pauses,  # pauses
        _union_length(start_rank, paused) if paused else 0,  # paused_working_days
        consultations,  # consultations
        run.fee_due,  # fee_payment_due
        run.decided_on,  # decided_on
        run.replied_on,  # replied_on
        run.closed_on,  # closed_on
        run.closed_reason,  # closed_reason
        days_left,  # working_days_left
        days_left is not None and days_left < 0,  # overdue
        run.replied_on is not None and due is not None and run.replied_on > due,  # answered_late
    )


def _union_length(start_rank: int, paused: Sequence[tuple[int, int]]) -> int:
    """Working days after the clock start covered by at least one pause (counted once)."""
    total = 0
    reached = start_rank
    for lo, hi in paused:
        lo = max(lo, reached)
        if hi > lo:
            total += hi - lo
            reached = hi
    return total


def _status(run: _Run, as_of: dt.date, consultations: Sequence[ConsultationWindow]) -> CaseStatus:
    if run.replied_on is not None:
        return _S_REPLIED
    if run.closed_on is not None:
        return _S_CLOSED
    if run.awaiting_supplement:
        return _S_AWAITING_SUPPLEMENT
    if run.fee_due is not None and run.fee_paid_on is None:
        return _S_AWAITING_PAYMENT
    for c in consultations:
        if c.answered_on is None and c.answer_due >= as_of:
            return _S_PAUSED_CONSULTATION
    if run.decided_on is not None:
        return _S_DECIDED
    return _S_IN_PROGRESS
