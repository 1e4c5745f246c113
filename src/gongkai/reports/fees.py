"""Section 六's fee figures, from the fee notices recorded in the cases.

A notice counts in the year it was sent (the ``fee_notice_sent`` event's date), with the amount it
notified; money counts as collected in the year the fee was paid (``fee_paid``), at the amount of
the case's last notice sent by then. So a notice sent in December and paid in January counts as
notified this year and collected next year — the cross-year margin the fee rules allow for.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from gongkai.agencies.models import Unit
from gongkai.applications import events as ev
from gongkai.applications.models import ApplicationEvent, EventKind

_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class FeeFigures:
    """What section 六 states about fees for one unit and year."""

    notices: int  # 收费通知 sent in the year
    notified_yuan: Decimal  # their total amount
    collected_yuan: Decimal  # fees paid in the year

    def statement(self) -> str:
        """The sentence of section 六 (read back by ``core.narrative.fees.read_fee_statement``)."""
        if not self.notices and not self.collected_yuan:
            return "本年度未发出收费通知，未收取信息处理费。"
        return (
            f"本年度发出收费通知 {self.notices} 件，通知金额 {yuan(self.notified_yuan)} 元，"
            f"实际收取信息处理费 {yuan(self.collected_yuan)} 元。"
        )


def yuan(amount: Decimal) -> str:
    """An amount in 元 as a report prints it: ``600``, ``12.5``, never ``6E+2``."""
    return format(amount.quantize(_CENT).normalize(), "f")


def fee_figures(*, unit: Unit, year: int) -> FeeFigures:
    """The fee figures of ``unit``'s own cases for ``year`` (asks no permission: see the
    builder). One query over the fee events of the cases touched by a notice."""
    events = (
        ApplicationEvent.objects.filter(
            application__unit=unit,
            kind__in=(EventKind.FEE_NOTICE_SENT, EventKind.FEE_PAID),
            date__year__lte=year,
        )
        .order_by("application_id", "date", "id")
        .only("application_id", "kind", "date", "data")
    )
    notices, notified, collected = 0, Decimal(0), Decimal(0)
    last_notice: dict[int, Decimal] = {}
    for event in events:
        if event.kind == EventKind.FEE_NOTICE_SENT:
            payload = event.payload
            assert isinstance(payload, ev.FeeNoticeSent)
            last_notice[event.application_id] = payload.yuan
            if event.date.year == year:
                notices += 1
                notified += payload.yuan
        elif event.date.year == year:
            collected += last_notice.get(event.application_id, Decimal(0))
    return FeeFigures(notices=notices, notified_yuan=notified, collected_yuan=collected)
