"""What a letter template may print, built from the case history and the law.

:class:`LetterVars` declares the context once: every variable with the label the template editor
shows. The real context of a case (:func:`build_context`), the sample context that previews a
template (:func:`gongkai.letters.services.sample_context`) and the list of variables beside the
editor (:data:`TEMPLATE_VARIABLES`) all derive from it, so a variable cannot be added to one and
forgotten in another: the type checker wants every field filled.

The context holds plain strings, numbers and lists only — never a model instance — so that a
template edited by a unit administrator can reach nothing but what is listed here (no attribute
walks into users, other cases or settings). Each letter kind needs the step it reports on to be
in the history (a 补正告知书 needs the 补正 event…); without it the letter is refused with a
message naming the missing step, rather than printed with blanks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Final, assert_never

from gongkai.agencies.models import Unit
from gongkai.applications import clock
from gongkai.applications import events as ev
from gongkai.applications.events import P
from gongkai.applications.models import (
    Application,
    ApplicationEvent,
    Delivery,
    RequestedForm,
)
from gongkai.core import law
from gongkai.core.clock import ConsultationParty
from gongkai.core.errors import GongkaiError
from gongkai.core.formats import format_for_year
from gongkai.core.results import basis_for, default_legal_basis, result_rows
from gongkai.letters.models import REPLY_PREFIX, Letterhead, LetterKind

Context = dict[str, Any]

_ABBREVIATION: Final = "《条例》"
DEFAULT_RECONSIDERATION_BODY: Final = "有关行政复议机关"
DEFAULT_COURT: Final = "有管辖权的人民法院"


class LetterError(GongkaiError):
    """A letter that cannot be produced yet, or a template that does not work, in Chinese."""


# ---------------------------------------------------------------------------------------------
# The template context, declared once
# ---------------------------------------------------------------------------------------------


def _label(text: str) -> dict[str, Any]:
    return {"label": text}


@dataclass(frozen=True, slots=True)
class CorrectionVars:
    """``{{ correction.… }}``: the 补正告知书 ([R] Art 30)."""

    items: str = field(metadata=_label("补正事项"))
    deadline: str = field(metadata=_label("补正期限"))
    requested_on: str = field(metadata=_label("告知日期"))
    article: str = field(metadata=_label("条款"))


@dataclass(frozen=True, slots=True)
class ExtensionVars:
    """``{{ extension.… }}``: the 延期答复告知书 ([R] Art 33 ¶2)."""

    working_days: int = field(metadata=_label("延期天数"))
    reason: str = field(metadata=_label("理由"))
    due: str = field(metadata=_label("期限"))
    article: str = field(metadata=_label("条款"))


@dataclass(frozen=True, slots=True)
class ConsultationVars:
    """``{{ consultation.… }}``: the 征求意见函 (Art 32 / Art 34)."""

    party: str = field(metadata=_label("征求意见对象"))
    period: int = field(metadata=_label("期限"))
    answer_due: str = field(metadata=_label("答复截止日期"))
    article: str = field(metadata=_label("条款"))
    sent_on: str = field(metadata=_label("发函日期"))


@dataclass(frozen=True, slots=True)
class FeeVars:
    """``{{ fee.… }}``: the 收费通知书, as priced when the notice was recorded ([FEE])."""

    lines: list[str] = field(metadata=_label("收费明细"))
    yuan: str = field(metadata=_label("金额"))
    method: str = field(metadata=_label("方式"))
    pay_by: str = field(metadata=_label("缴费期限"))
    basis: str = field(metadata=_label("依据"))
    period: int = field(metadata=_label("缴费期限（工作日）"))
    pauses_clock: bool = field(metadata=_label("缴费期间是否暂停计时"))


@dataclass(frozen=True, slots=True)
class DecisionVars:
    """``{{ decision.… }}``: the reply letters."""

    result: str = field(metadata=_label("办理结果"))
    ground: str = field(metadata=_label("理由"))
    reason: str = field(metadata=_label("理由说明"))
    legal_basis: str = field(metadata=_label("法律依据"))
    decided_on: str = field(metadata=_label("决定日期"))


@dataclass(frozen=True, slots=True)
class LetterVars:
    """Everything a letter template may print. A real letter fills the section of its kind
    only; the sample context fills them all."""

    issuer: str = field(metadata=_label("落款机关"))
    unit_address: str = field(metadata=_label("机关地址"))
    unit_phone: str = field(metadata=_label("机关电话"))
    number: str = field(metadata=_label("受理编号"))
    applicant: str = field(metadata=_label("申请人"))
    applicant_address: str = field(metadata=_label("申请人地址"))
    description: str = field(metadata=_label("所需信息"))
    channel: str = field(metadata=_label("申请方式"))
    submitted_on: str = field(metadata=_label("提交日期"))
    received_on: str = field(metadata=_label("收到日期"))
    form: str = field(metadata=_label("提供形式"))
    delivery: str = field(metadata=_label("获取方式"))
    letter_date: str = field(metadata=_label("落款日期"))
    regulation: str = field(metadata=_label("条例全称"))
    remedies: str = field(metadata=_label("救济途径（行政复议、行政诉讼）"))
    correction: CorrectionVars | None = field(
        default=None, metadata={"label": "补正告知", "section": CorrectionVars}
    )
    extension: ExtensionVars | None = field(
        default=None, metadata={"label": "延期答复", "section": ExtensionVars}
    )
    consultation: ConsultationVars | None = field(
        default=None, metadata={"label": "征求意见", "section": ConsultationVars}
    )
    fee: FeeVars | None = field(default=None, metadata={"label": "收费通知", "section": FeeVars})
    decision: DecisionVars | None = field(
        default=None, metadata={"label": "答复决定", "section": DecisionVars}
    )

    def as_context(self) -> Context:
        """The template context: plain values, and only the sections that are filled."""
        context: Context = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if "section" in f.metadata:
                if value is not None:
                    context[f.name] = asdict(value)
            else:
                context[f.name] = value
        return context


def _template_variables() -> tuple[tuple[str, str], ...]:
    rows: list[tuple[str, str]] = []
    for f in fields(LetterVars):
        section = f.metadata.get("section")
        if section is None:
            rows.append((f.name, f.metadata["label"]))
            continue
        names = [s.name for s in fields(section)]
        rows.append(
            (
                f"{f.name}.{names[0]} / " + " / ".join(f".{n}" for n in names[1:]),
                "、".join(s.metadata["label"] for s in fields(section)),
            )
        )
    return tuple(rows)


# What a template may use, shown beside the template editor.
TEMPLATE_VARIABLES: Final = _template_variables()


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def full_citation(text: str) -> str:
    """Expand the short 《条例》 of law.py's article strings into the Regulation's full name."""
    return text.replace(_ABBREVIATION, law.REGULATION_NAME, 1)


def remedies_sentence(*, reconsideration_body: str = "", court: str = "") -> str:
    """The remedies every decision letter states ([R] Art 51; periods from law.py)."""
    return (
        f"如对本答复不服，可以自收到本答复之日起{law.RECONSIDERATION_PERIOD_DAYS}日内"
        f"向{reconsideration_body or DEFAULT_RECONSIDERATION_BODY}申请行政复议，"
        f"也可以自收到本答复之日起{law.LITIGATION_PERIOD_MONTHS}个月内"
        f"向{court or DEFAULT_COURT}提起行政诉讼。"
    )


def letterhead_values(unit: Unit) -> dict[str, str]:
    """The unit's letterhead, or one built from the unit's name when none was set."""
    head = Letterhead.objects.filter(unit=unit).first()
    if head is None:
        return {"issuer": unit.name, "address": "", "phone": "", "body": "", "court": ""}
    return {
        "issuer": head.issuer,
        "address": head.address,
        "phone": head.phone,
        "body": head.reconsideration_body,
        "court": head.court,
    }


def _need(
    found: tuple[ApplicationEvent, P] | None, what: str, number: str, letter_date: dt.date
) -> tuple[ApplicationEvent, P]:
    if found is None:
        raise LetterError(f"申请 {number} 尚未{what}，不能生成该文书")
    event = found[0]
    if letter_date < event.date:
        raise LetterError(
            f"文书落款日期 {letter_date.isoformat()} 早于申请 {number} "
            f"“{what}”的日期 {event.date.isoformat()}，请核对落款日期"
        )
    return found


def result_group(result: str, year: int) -> tuple[str, str, str]:
    """(group code, full row label, row label without its number) of a result row."""
    for row, group in result_rows(format_for_year(year).table3):
        if row.code == result:
            ground = row.label.split(".", 1)[-1] if group else row.name
            return (group.code if group else row.code), row.label, ground
    raise LetterError(f"办理结果 {result!r} 不是表三的办理结果行，不能生成答复书")


def build_context(
    *,
    application: Application,
    events: Sequence[ApplicationEvent],
    kind: LetterKind,
    letter_date: dt.date,
    party: str = "",
) -> tuple[Context, str]:
    """The template context for ``kind`` and the recipient's name.

    ``party`` picks the consultation when several were sent (default: the latest of its kind).
    """
    head = letterhead_values(application.unit)
    number = application.tracking_number
    state = clock.evaluate(list(events), on=letter_date)
    recipient = application.applicant_name
    correction: CorrectionVars | None = None
    extension: ExtensionVars | None = None
    consultation: ConsultationVars | None = None
    fee: FeeVars | None = None
    decision: DecisionVars | None = None
    if kind is LetterKind.CORRECTION:
        event, requested = _need(
            ev.latest(events, ev.CorrectionRequested), "发出补正告知", number, letter_date
        )
        correction = CorrectionVars(
            items=requested.items,
            deadline=(
                chinese_date(requested.supplement_deadline) if requested.supplement_deadline else ""
            ),
            requested_on=chinese_date(event.date),
            article=full_citation(law.CORRECTION_NOTICE_PERIOD.article),
        )
    elif kind is LetterKind.EXTENSION:
        _need(ev.latest(events, ev.ExtensionApproved), "经负责人批准延期答复", number, letter_date)
        _, asked = _need(
            ev.latest(events, ev.ExtensionRequested), "申请延期答复", number, letter_date
        )
        due = state.clock.extended_due
        extension = ExtensionVars(
            working_days=asked.working_days,
            reason=asked.reason.rstrip("。"),
            due=chinese_date(due) if due else "",
            article=full_citation(law.EXTENSION_MAX.article),
        )
    elif kind in (LetterKind.CONSULTATION_THIRD_PARTY, LetterKind.CONSULTATION_AGENCY):
        consultation, recipient = _consultation(events, kind, party, state, number, letter_date)
    elif kind is LetterKind.FEE:
        _, notice = _need(ev.latest(events, ev.FeeNoticeSent), "发出收费通知", number, letter_date)
        pay_by = state.clock.fee_payment_due
        fee = FeeVars(
            # FeeResult.describe(): one line per band, then the total — recorded at sending.
            lines=list(notice.lines),
            yuan=str(notice.yuan),
            method=notice.method.label,
            basis=notice.basis or law.FEE_ARTICLE,
            period=law.FEE_PAYMENT_PERIOD.working_days,
            pay_by=chinese_date(pay_by) if pay_by else "",
            # UNVERIFIED point, a policy switch in law.py (LEGAL.md §8.5).
            pauses_clock=law.DEFAULT_CLOCK_POLICY.fee_payment_pauses_clock,
        )
    else:
        decision = _decision(events, kind, number, letter_date)
    variables = LetterVars(
        issuer=head["issuer"],
        unit_address=head["address"],
        unit_phone=head["phone"],
        number=number,
        applicant=application.applicant_name,
        applicant_address=application.address,
        description=application.description,
        channel=application.get_channel_display(),
        submitted_on=chinese_date(application.submitted_on),
        received_on=chinese_date(state.received_on),
        form=RequestedForm(application.requested_form).label,
        delivery=Delivery(application.delivery).label,
        letter_date=chinese_date(letter_date),
        regulation=law.REGULATION_NAME,
        remedies=remedies_sentence(reconsideration_body=head["body"], court=head["court"]),
        correction=correction,
        extension=extension,
        consultation=consultation,
        fee=fee,
        decision=decision,
    )
    return variables.as_context(), recipient


def _consultation(
    events: Sequence[ApplicationEvent],
    kind: LetterKind,
    party: str,
    state: clock.CaseState,
    number: str,
    letter_date: dt.date,
) -> tuple[ConsultationVars, str]:
    wanted = _CONSULTATION_PARTIES[kind]
    sent = [
        (e, p)
        for e in events
        if isinstance(p := e.payload, ev.ConsultationSent)
        and p.consultation is wanted
        and (not party or p.party == party.strip())
    ]
    who = f"（{party}）" if party else ""
    event, consultation = _need(
        sent[-1] if sent else None, f"向{wanted.noun}{who}发出征求意见", number, letter_date
    )
    period = wanted.period
    windows = [
        w
        for w in state.clock.consultations
        if w.ref == consultation.party and w.sent_on == event.date
    ]
    answer_due = windows[-1].answer_due if windows else None
    return ConsultationVars(
        party=consultation.party,
        article=full_citation(period.article),
        period=period.working_days,
        answer_due=chinese_date(answer_due) if answer_due else "",
        sent_on=chinese_date(event.date),
    ), consultation.party


def _decision(
    events: Sequence[ApplicationEvent],
    kind: LetterKind,
    number: str,
    letter_date: dt.date,
) -> DecisionVars:
    # The clock as of the letter date knows nothing decided after it, so the decision is read
    # from the whole history: a reply dated before its decision is refused, never back-dated.
    last_day = max((e.date for e in events), default=letter_date)
    known = clock.evaluate(list(events), on=max(letter_date, last_day))
    result = known.result
    day = known.decided_on
    if not result or day is None:
        raise LetterError(f"申请 {number} 尚未作出答复决定（办理结果），不能生成答复书")
    group, label, ground = result_group(result, day.year)
    if letter_date < day:
        raise LetterError(
            f"文书落款日期 {letter_date.isoformat()} 早于申请 {number} "
            f"作出答复决定（{label}）的日期 {day.isoformat()}，请核对落款日期"
        )
    wanted = kind.value.removeprefix(REPLY_PREFIX)
    if group != wanted:
        raise LetterError(
            f"申请 {number} 的办理结果是“{label}”，应使用“{_kind_for(group).label}”，"
            f"不能生成“{kind.label}”"
        )
    decided = ev.latest(events, ev.Decided)
    recorded = decided[1].legal_basis if decided is not None else ""
    basis = basis_for(result)
    return DecisionVars(
        result=label,
        ground=ground,
        reason=basis.reason,
        legal_basis=full_citation(recorded or default_legal_basis(result)),
        decided_on=chinese_date(day),
    )


_CONSULTATION_PARTIES: Final = {
    LetterKind.CONSULTATION_THIRD_PARTY: ConsultationParty.THIRD_PARTY,
    LetterKind.CONSULTATION_AGENCY: ConsultationParty.AGENCY,
}
_CONSULTATION_LETTERS: Final = {party: kind for kind, party in _CONSULTATION_PARTIES.items()}


def _kind_for(group: str) -> LetterKind:
    return LetterKind(f"{REPLY_PREFIX}{group}")


def reply_kind(application: Application) -> LetterKind | None:
    """The reply letter an application's result calls for, or ``None`` before a result."""
    if not application.result:
        return None
    day = application.decided_on or application.received_on
    group, _, _ = result_group(application.result, day.year)
    return _kind_for(group)


def letter_choices(
    application: Application, events: Sequence[ApplicationEvent]
) -> list[tuple[LetterKind, str]]:
    """(kind, party) of every notice the history has a step for, then the reply letter."""
    options: list[tuple[LetterKind, str]] = []

    def add(kind: LetterKind, party: str = "") -> None:
        if (kind, party) not in options:
            options.append((kind, party))

    for event in events:
        payload = event.payload
        match payload:
            case ev.CorrectionRequested():
                add(LetterKind.CORRECTION)
            case ev.ExtensionApproved():
                add(LetterKind.EXTENSION)
            case ev.ConsultationSent():
                add(_CONSULTATION_LETTERS[payload.consultation], payload.party)
            case ev.FeeNoticeSent():
                add(LetterKind.FEE)
            case (
                ev.Received()
                | ev.SupplementReceived()
                | ev.CorrectionAbandoned()
                | ev.ConsultationAnswered()
                | ev.ConsultationDelivered()
                | ev.FeeNoticeDelivered()
                | ev.DelayedReply()  # its Art 35 notice letter is not built yet
                | ev.ExtensionRequested()
                | ev.ExtensionRefused()
                | ev.FeePaid()
                | ev.FeeNotPaid()
                | ev.Decided()
                | ev.ReplySent()
                | ev.Withdrawn()
                | ev.LetterSent()
                | ev.CarriedOver()
                | ev.RemedyRegistered()
                | ev.RemedyDecided()
                | ev.AttachmentAdded()
            ):
                pass  # no notice of its own (the decision's letter is the reply, below)
            case _:
                assert_never(payload)
    try:
        reply = reply_kind(application)
    except GongkaiError:
        reply = None
    if reply is not None:
        add(reply)
    return options
