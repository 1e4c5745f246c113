"""The events the case clock consumes: one frozen type per step of an application's history.

An application's history is an append-only list of these (DESIGN.md, "Case clock"). Each type
checks its own fields when it is built, so a wrong type or a channel without its Art 31 date is
a Chinese error at the place the event is made, not a ``TypeError`` deep inside the replay. A
new workflow step starts here: its event type, then its handler in :mod:`.replay`.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, fields
from typing import ClassVar, Final

from gongkai.core import law
from gongkai.core.clock.errors import ClockError, iso
from gongkai.core.law import Channel, ReceiptRule

__all__ = [
    "PARTY_DAYS",
    "ConsultationAnswered",
    "ConsultationDelivered",
    "ConsultationParty",
    "ConsultationSent",
    "CorrectionAbandoned",
    "CorrectionRequested",
    "Decided",
    "DelayedReplyNotified",
    "Event",
    "ExtensionGranted",
    "FeeNotPaid",
    "FeeNoticeDelivered",
    "FeeNoticeSent",
    "FeePaid",
    "Received",
    "ReplySent",
    "SupplementReceived",
    "Withdrawn",
    "describe",
]

_FIELD_NAMES: Final[dict[str, str]] = {
    "on": "日期",
    "signed_for_on": "签收日期",
    "confirmed_on": "确认日期",
    "supplement_by": "补正期限",
    "delivered_on": "送达日期",
    "due": "答复期限",
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
        needed = _NEEDED[rule]
        # E-mail's rule is a policy switch (law.ClockPolicy.email_receipt): a confirmation day is
        # allowed here and required, or ignored, by :meth:`receipt_under` in the replay.
        optional = self.channel is Channel.EMAIL
        for field, name in _RECEIPT_NAMES.items():
            value = getattr(self, field)
            if field == needed and value is None and not optional:
                raise ClockError(
                    f"以“{channel_label}”方式提出的申请（{iso(self.on)} 到达），须填写{name}："
                    f"依照{law.RECEIPT_ARTICLE}，该日为收到申请之日。"
                )
            if field != needed and value is not None:
                raise ClockError(
                    f"以“{channel_label}”方式提出的申请不使用{name}（填写了 {iso(value)}）："
                    f"依照{law.RECEIPT_ARTICLE}，请检查申请渠道是否填错。"
                )
            if value is not None and value < self.on:
                raise ClockError(
                    f"{name} {iso(value)} 早于申请到达之日 {iso(self.on)}，不可能发生。"
                )

    @property
    def receipt_date(self) -> dt.date:
        """The day of receipt under Art 31 and the default policy, from which periods count."""
        return self.receipt_under(law.DEFAULT_CLOCK_POLICY)

    def receipt_under(self, policy: law.ClockPolicy) -> dt.date:
        """The day of receipt under Art 31 as ``policy`` reads it (e-mail, LEGAL.md §5.6)."""
        if self.channel is Channel.EMAIL:
            if policy.email_receipt is ReceiptRule.SUBMITTED:
                return self.on
            if self.confirmed_on is None:
                raise ClockError(
                    f"以“电子邮件”方式提出的申请（{iso(self.on)} 到达），须填写与申请人确认的日期："
                    f"依照{law.RECEIPT_ARTICLE}（三），双方确认之日为收到申请之日。"
                )
        return self.signed_for_on or self.confirmed_on or self.on

    @property
    def confirmed_late(self) -> bool:
        """An ordinary letter confirmed after the day it arrived (Art 31(二): the same day)."""
        return (
            self.channel is Channel.ORDINARY_MAIL
            and self.confirmed_on is not None
            and self.confirmed_on > self.on
        )


_NEEDED: Final[dict[ReceiptRule, str | None]] = {
    ReceiptRule.SUBMITTED: None,
    ReceiptRule.SIGNED_FOR: "signed_for_on",
    ReceiptRule.CONFIRMED: "confirmed_on",
}
_RECEIPT_NAMES: Final = {"signed_for_on": "签收日期", "confirmed_on": "与申请人确认的日期"}


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
# The window length per party as a plain int: the replay reads it for every letter it sees.
PARTY_DAYS: Final[dict[ConsultationParty, int]] = {
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
class ConsultationDelivered(_Checked):
    """The consulted party received the letter (``party`` and ``ref`` of the letter) on ``on``.

    Its window counts from this day (Arts 32, 34); until it is recorded the window is counted
    from the sending day and shown as provisional.
    """

    on: dt.date
    party: ConsultationParty
    ref: str = ""

    label: ClassVar[str] = "征求意见函送达"


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
class FeeNoticeDelivered(_Checked):
    """The applicant received the 收费通知 on ``on``: the payment period counts from this day.

    Until it is recorded the period is counted from the sending day and shown as provisional,
    and the case cannot be closed as 逾期未缴费 ([FEE]: 20 working days from receipt).
    """

    on: dt.date

    label: ClassVar[str] = "收费通知送达"


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
class DelayedReplyNotified(_Checked):
    """Art 35: the agency set a reasonable later due date ``due`` and notified the applicant.

    For requests clearly excessive in number or frequency whose reasons are reasonable but which
    cannot be answered within the Art 33 periods. The reasons are the workflow's record; the
    clock only needs the date, which then binds instead of the Art 33 due date.
    """

    on: dt.date
    due: dt.date

    label: ClassVar[str] = "告知延迟答复"


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
    | ConsultationDelivered
    | ConsultationAnswered
    | ExtensionGranted
    | DelayedReplyNotified
    | FeeNoticeSent
    | FeeNoticeDelivered
    | FeePaid
    | FeeNotPaid
    | Decided
    | ReplySent
    | Withdrawn
)


def describe(event: Event) -> str:
    """How an error message names ``event``: its label, the party and ref of a letter, the day."""
    if isinstance(event, ConsultationSent | ConsultationAnswered | ConsultationDelivered):
        verb = {ConsultationSent: "发出", ConsultationAnswered: "收到"}.get(type(event), "")
        what = {ConsultationSent: "征求意见函", ConsultationAnswered: "征求意见答复"}.get(
            type(event), "征求意见函送达"
        )
        ref = f"（{event.ref}）" if event.ref else ""
        return f"「{verb}{event.party.noun}{what}{ref}」（{iso(event.on)}）"
    return f"「{event.label}」（{iso(event.on)}）"
