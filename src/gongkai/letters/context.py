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
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Final, assert_never

from django.conf import settings

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
from gongkai.core.masking import mask_in_text
from gongkai.core.reasons import WITHHELD_GROUNDS, ReasonField, missing_reasons
from gongkai.core.remedy_routes import DEFAULT_REMEDY_POLICY, RemedyPolicy, Route, remedy_route
from gongkai.core.remedy_routes import remedies_sentence as routes_sentence
from gongkai.core.results import basis_for, default_legal_basis, result_rows
from gongkai.letters.models import REPLY_PREFIX, Letterhead, LetterKind

Context = dict[str, Any]

_ABBREVIATION: Final = "《条例》"
DEFAULT_RECONSIDERATION_BODY: Final = "有关行政复议机关"
DEFAULT_COURT: Final = "有管辖权的人民法院"

# How a letter names the channel ("您通过信函方式提出的申请"): the formal word, not the office's
# working labels, which say how the receipt date is fixed (CHANNEL_LABELS: "信函（需签收）").
FORMAL_CHANNELS: Final[dict[law.Channel, str]] = {
    law.Channel.IN_PERSON: "当面递交",
    law.Channel.REGISTERED_MAIL: "信函",
    law.Channel.ORDINARY_MAIL: "信函",
    law.Channel.ONLINE: "互联网",
    law.Channel.EMAIL: "电子邮件",
    law.Channel.FAX: "传真",
    law.Channel.ORAL: "口头",
}
# Printed where a reason the law requires was not recorded (a preview shows the gap; sending
# is refused, see BuiltLetter.missing).
MISSING_MARK: Final = "【未填写：{what}】"
# The serial of a 文号 not yet allocated (a preview): a blank the width of a number.
UNNUMBERED: Final = "\u3000\u3000"


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
    facts: str = field(metadata=_label("具体理由（无法提供：检索情况）"))
    withheld_part: str = field(metadata=_label("不予公开的部分"))
    withheld_ground: str = field(metadata=_label("不予公开部分的情形"))
    withheld_basis: str = field(metadata=_label("不予公开部分的法律依据"))


@dataclass(frozen=True, slots=True)
class LetterVars:
    """Everything a letter template may print. A real letter fills the section of its kind
    only; the sample context fills them all."""

    issuer: str = field(metadata=_label("落款机关"))
    unit_address: str = field(metadata=_label("机关地址"))
    unit_phone: str = field(metadata=_label("机关电话"))
    number: str = field(metadata=_label("受理编号"))
    reference: str = field(metadata=_label("文号"))
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


def deployment_remedy_policy() -> RemedyPolicy:
    """This deployment's reading of the contested remedies (``GONGKAI_REMEDY_POLICY`` in the
    settings, a :class:`~gongkai.core.remedy_routes.RemedyPolicy`; default: the table's)."""
    policy = getattr(settings, "GONGKAI_REMEDY_POLICY", DEFAULT_REMEDY_POLICY)
    if not isinstance(policy, RemedyPolicy):
        raise LetterError(f"GONGKAI_REMEDY_POLICY 应为 RemedyPolicy，而不是 {policy!r}")
    return policy


def remedies_sentence(
    *,
    reconsideration_body: str = "",
    court: str = "",
    result: str = "",
    served_on: dt.date | None = None,
) -> str:
    """The remedies a reply letter states ([R] Art 51; LEGAL.md §5.5), by the route
    :func:`gongkai.core.remedy_routes.remedy_route` gives ``result`` on ``served_on`` — the
    letter's date, the earliest day it can be served — under the deployment's policy. Without a
    result (a notice, not a reply) both routes are named."""
    route = (
        remedy_route(result, served_on, deployment_remedy_policy())
        if result and served_on is not None
        else Route.EITHER
    )
    return routes_sentence(
        route,
        reconsideration_body=reconsideration_body or DEFAULT_RECONSIDERATION_BODY,
        court=court or DEFAULT_COURT,
    )


def letterhead_values(unit: Unit) -> dict[str, str]:
    """The unit's letterhead, or one built from the unit's name when none was set."""
    head = Letterhead.objects.filter(unit=unit).first()
    if head is None:
        return {
            "issuer": unit.name,
            "address": "",
            "phone": "",
            "body": "",
            "court": "",
            "prefix": unit.short_name,
        }
    return {
        "issuer": head.issuer,
        "address": head.address,
        "phone": head.phone,
        "body": head.reconsideration_body,
        "court": head.court,
        "prefix": head.number_prefix or unit.short_name,
    }


def reference_text(prefix: str, year: int, serial: int | None) -> str:
    """The 文号 ``泉港政信〔2026〕3号``; ``serial`` ``None`` (a preview) leaves the number blank."""
    return f"{prefix}〔{year}〕{UNNUMBERED if serial is None else serial}号"


def _sentence(text: str) -> str:
    """A clerk's text as a sentence of the letter: trimmed, ending in a full stop."""
    text = text.strip()
    return text if not text or text[-1] in "。！？；.!?" else f"{text}。"


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


@dataclass(frozen=True, slots=True)
class BuiltLetter:
    """A letter's context, and what must be settled before it may be sent.

    ``missing``: the reasons the decision lacks (labels), printed as :data:`MISSING_MARK` —
    a reply letter with any is refused. ``provisional``: the dates it states that were counted
    over a provisional calendar year ("答复截止日期 2027年1月20日"), which the clerk must confirm.
    """

    context: Context
    recipient: str
    missing: tuple[str, ...] = ()
    provisional: tuple[str, ...] = ()


def build_context(
    *,
    application: Application,
    events: Sequence[ApplicationEvent],
    kind: LetterKind,
    letter_date: dt.date,
    party: str = "",
) -> tuple[Context, str]:
    """The template context for ``kind`` and the recipient's name (see :func:`build_letter`)."""
    built = build_letter(
        application=application, events=events, kind=kind, letter_date=letter_date, party=party
    )
    return built.context, built.recipient


def build_letter(
    *,
    application: Application,
    events: Sequence[ApplicationEvent],
    kind: LetterKind,
    letter_date: dt.date,
    party: str = "",
    serial: int | None = None,
    letterhead: dict[str, str] | None = None,
) -> BuiltLetter:
    """The letter ``kind`` of the case as of ``letter_date``, numbered ``serial`` (``None``: a
    preview, the 文号 left blank).

    ``party`` picks the consultation when several were sent (default: the latest of its kind).
    ``letterhead`` is :func:`letterhead_values` of the unit, when the caller already has it.
    """
    head = letterhead if letterhead is not None else letterhead_values(application.unit)
    number = application.tracking_number
    state = clock.evaluate(list(events), on=letter_date)
    cal = clock.deployment_calendar()
    recipient = application.applicant_name
    provisional: list[str] = []

    def dated(what: str, start: dt.date, day: dt.date | None) -> str:
        """``day`` in words, noted when a provisional calendar year was counted to reach it."""
        if day is None:
            return ""
        if cal.provisional_between(start, day):
            provisional.append(f"{what} {chinese_date(day)}")
        return chinese_date(day)

    correction: CorrectionVars | None = None
    extension: ExtensionVars | None = None
    consultation: ConsultationVars | None = None
    fee: FeeVars | None = None
    decision: DecisionVars | None = None
    decision_result = ""
    missing: tuple[str, ...] = ()
    if kind is LetterKind.CORRECTION:
        event, requested = _need(
            ev.latest(events, ev.CorrectionRequested), "发出补正告知", number, letter_date
        )
        correction = CorrectionVars(
            items=requested.items,
            deadline=dated("补正期限", event.date, requested.supplement_deadline),
            requested_on=chinese_date(event.date),
            article=full_citation(law.CORRECTION_NOTICE_PERIOD.article),
        )
    elif kind is LetterKind.EXTENSION:
        _need(ev.latest(events, ev.ExtensionApproved), "经负责人批准延期答复", number, letter_date)
        _, asked = _need(
            ev.latest(events, ev.ExtensionRequested), "申请延期答复", number, letter_date
        )
        extension = ExtensionVars(
            working_days=asked.working_days,
            reason=asked.reason.rstrip("。"),
            due=dated("延期后的答复期限", state.received_on, state.clock.extended_due),
            article=full_citation(law.EXTENSION_MAX.article),
        )
    elif kind in (LetterKind.CONSULTATION_THIRD_PARTY, LetterKind.CONSULTATION_AGENCY):
        consultation, recipient = _consultation(
            events, kind, party, state, number, letter_date, dated
        )
    elif kind is LetterKind.FEE:
        sent, notice = _need(
            ev.latest(events, ev.FeeNoticeSent), "发出收费通知", number, letter_date
        )
        fee = FeeVars(
            # FeeResult.describe(): one line per band, then the total — recorded at sending.
            lines=list(notice.lines),
            yuan=str(notice.yuan),
            method=notice.method.label,
            basis=notice.basis or law.FEE_ARTICLE,
            period=law.FEE_PAYMENT_PERIOD.working_days,
            pay_by=dated("缴费期限", sent.date, state.clock.fee_payment_due),
            # UNVERIFIED point, a policy switch in law.py (LEGAL.md §8.5), as this deployment
            # sets it for its clock.
            pauses_clock=clock.deployment_clock_policy().fee_payment_pauses_clock,
        )
    else:
        decision, decision_result, missing = _decision(events, kind, number, letter_date)
    variables = LetterVars(
        issuer=head["issuer"],
        unit_address=head["address"],
        unit_phone=head["phone"],
        number=number,
        reference=reference_text(head["prefix"], letter_date.year, serial),
        applicant=application.applicant_name,
        applicant_address=application.address,
        description=application.description,
        channel=FORMAL_CHANNELS[law.Channel(application.channel)],
        submitted_on=chinese_date(application.submitted_on),
        received_on=chinese_date(state.received_on),
        form=RequestedForm(application.requested_form).label,
        delivery=Delivery(application.delivery).label,
        letter_date=chinese_date(letter_date),
        regulation=law.REGULATION_NAME,
        remedies=remedies_sentence(
            reconsideration_body=head["body"],
            court=head["court"],
            result=decision_result,
            served_on=letter_date,
        ),
        correction=correction,
        extension=extension,
        consultation=consultation,
        fee=fee,
        decision=decision,
    )
    return BuiltLetter(
        context=_masked(
            variables.as_context(),
            id_number=application.id_document_number,
            phone=application.phone,
        ),
        recipient=recipient,
        missing=missing,
        provisional=tuple(provisional),
    )


# The letterhead's own values: the unit's telephone number is printed whole.
_LETTERHEAD_KEYS: Final = frozenset({"issuer", "unit_address", "unit_phone"})


def _masked(value: Any, *, id_number: str, phone: str, key: str = "") -> Any:
    """``value`` (a context, a section, a list or a text) with the applicant's ID and phone
    numbers masked wherever a free text quotes them: a letter is posted to the applicant and
    filed, and no letter needs either number in full (:func:`gongkai.core.masking.mask_in_text`).
    """
    if isinstance(value, str):
        if key in _LETTERHEAD_KEYS:
            return value
        return mask_in_text(value, id_number=id_number, phone=phone)
    if isinstance(value, dict):
        return {k: _masked(v, id_number=id_number, phone=phone, key=k) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_masked(v, id_number=id_number, phone=phone) for v in value)
    return value


def _consultation(
    events: Sequence[ApplicationEvent],
    kind: LetterKind,
    party: str,
    state: clock.CaseState,
    number: str,
    letter_date: dt.date,
    dated: Callable[[str, dt.date, dt.date | None], str],
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
    return (
        ConsultationVars(
            party=consultation.party,
            article=full_citation(period.article),
            period=period.working_days,
            answer_due=dated("答复截止日期", event.date, answer_due),
            sent_on=chinese_date(event.date),
        ),
        consultation.party,
    )


def _decision(
    events: Sequence[ApplicationEvent],
    kind: LetterKind,
    number: str,
    letter_date: dt.date,
) -> tuple[DecisionVars, str, tuple[str, ...]]:
    """The decision's variables, its result row and the reasons it lacks."""
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
    decided = ev.decision(events)
    payload = decided[1] if decided is not None else ev.Decided(result=result)
    recorded = {
        ReasonField.FACTS: payload.facts,
        ReasonField.WITHHELD_PART: payload.withheld_part,
        ReasonField.WITHHELD_GROUND: payload.withheld_ground,
    }
    lacking = missing_reasons(result, recorded)
    gaps = {need.field: MISSING_MARK.format(what=need.label) for need in lacking}
    withheld_ground = withheld_basis = ""
    if payload.withheld_ground in WITHHELD_GROUNDS:
        _, _, withheld_ground = result_group(payload.withheld_ground, day.year)
        withheld_basis = full_citation(default_legal_basis(payload.withheld_ground))
    basis = basis_for(result)
    variables = DecisionVars(
        result=label,
        ground=ground,
        reason=basis.reason,
        legal_basis=full_citation(payload.legal_basis or default_legal_basis(result)),
        decided_on=chinese_date(day),
        facts=gaps.get(ReasonField.FACTS, _sentence(payload.facts)),
        withheld_part=gaps.get(ReasonField.WITHHELD_PART, payload.withheld_part.rstrip("。")),
        withheld_ground=gaps.get(ReasonField.WITHHELD_GROUND, withheld_ground),
        withheld_basis=withheld_basis,
    )
    return variables, result, tuple(need.label for need in lacking)


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


# What build_letter needs of a letterhead when only the letter's dates are read (no query).
_NO_LETTERHEAD: Final = {
    "issuer": "",
    "address": "",
    "phone": "",
    "body": "",
    "court": "",
    "prefix": "",
}


def provisional_dates(
    application: Application,
    events: Sequence[ApplicationEvent],
    kind: LetterKind,
    letter_date: dt.date,
    party: str = "",
) -> tuple[str, ...]:
    """The dates letter ``kind`` would state that were counted over a provisional calendar
    year (see :attr:`BuiltLetter.provisional`); ``()`` also when it cannot be made yet. Reads
    no letterhead, so the case page can ask for every letter it offers without a query."""
    try:
        built = build_letter(
            application=application,
            events=events,
            kind=kind,
            letter_date=letter_date,
            party=party,
            letterhead=_NO_LETTERHEAD,
        )
    except GongkaiError:
        return ()  # the preview explains why the letter cannot be made
    return built.provisional


def letter_step_on(
    application: Application, events: Sequence[ApplicationEvent], kind: LetterKind, party: str
) -> dt.date | None:
    """The date of the step a letter reports — the 补正, the approved extension, the
    consultation, the fee notice, the decision (or the day the case closed without one) — which
    is the letter's date by default, so that a case typed in from paper gets its letters dated
    as they were rather than today. ``None`` when the history has no such step."""
    wanted: tuple[type[ev.Payload], ...]
    if kind is LetterKind.CORRECTION:
        wanted = (ev.CorrectionRequested,)
    elif kind is LetterKind.EXTENSION:
        wanted = (ev.ExtensionApproved,)
    elif kind is LetterKind.FEE:
        wanted = (ev.FeeNoticeSent,)
    elif kind in _CONSULTATION_PARTIES:
        days = [
            e.date
            for e in events
            if isinstance(p := e.payload, ev.ConsultationSent)
            and p.consultation is _CONSULTATION_PARTIES[kind]
            and (not party or p.party == party)
        ]
        return days[-1] if days else None
    else:
        wanted = (ev.Decided,)
    days = [e.date for e in events if isinstance(e.payload, wanted)]
    return days[-1] if days else application.decided_on


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
                | ev.Assigned()
                | ev.ReasonsAdded()
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
