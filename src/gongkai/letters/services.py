"""Every write about letters: template versions, the letterhead, and sending (archiving) a letter.

Sending is the one step that matters legally: the DOCX and PDF produced from the template in
force are stored byte for byte with their SHA-256 and the sender, and the application gets a
``letter_sent`` event through the applications' own step function (gatekeeper, optimistic
lock, clock) in the same transaction — so a letter is archived exactly when the case history
says it was sent. There is deliberately no service that changes or deletes a sent letter.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.template import Context as TemplateContext
from django.template import Engine, TemplateSyntaxError
from django.utils import timezone

from gongkai.agencies.gatekeeper import Action, access_application_by_id, require
from gongkai.agencies.models import Unit
from gongkai.applications import events as ev
from gongkai.applications.clock import deployment_clock_policy
from gongkai.applications.models import (
    Application,
    ApplicationEvent,
    Delivery,
    EventKind,
    RequestedForm,
)
from gongkai.applications.services import application_append_event
from gongkai.applications.services.base import not_in_future
from gongkai.applications.services.base import today as services_today
from gongkai.core import fees, law
from gongkai.core.calendar import national_calendar
from gongkai.core.errors import GongkaiError
from gongkai.core.formats import format_for_year
from gongkai.core.reasons import WITHHELD_GROUNDS
from gongkai.core.results import basis_for, default_legal_basis, result_rows
from gongkai.letters.context import (
    FORMAL_CHANNELS,
    BuiltLetter,
    ConsultationVars,
    CorrectionVars,
    DecisionVars,
    ExtensionVars,
    FeeVars,
    LetterError,
    LetterVars,
    build_letter,
    chinese_date,
    full_citation,
    letterhead_values,
    reference_text,
    remedies_sentence,
    result_group,
)
from gongkai.letters.document import LetterDocument, parse_letter
from gongkai.letters.models import (
    BACKFILLED_WHY,
    REPLY_PREFIX,
    Letterhead,
    LetterKind,
    LetterNumber,
    LetterTemplate,
    SentLetter,
)
from gongkai.letters.render_docx import render_docx
from gongkai.letters.render_pdf import render_pdf

MAX_TEMPLATE_CHARS: Final = 20_000

# Letters are plain text: no HTML autoescaping (the PDF writer escapes), no template loaders
# (a unit's template cannot include files from the server), only the built-in tags and filters.
# The engine's ``autoescape`` only reaches contexts the engine builds itself; a ``Context`` made
# here autoescapes by default, which printed 泉州A&B贸易有限公司 as "A&amp;B" in every letter.
_ENGINE: Final = Engine(autoescape=False, loaders=[])


def default_template(kind: LetterKind | str) -> str:
    """The template shipped with gongkai for ``kind`` (``letters/templates/letters/<kind>.txt``)."""
    return _default_template(LetterKind(kind).value)


@cache
def _default_template(kind: str) -> str:
    path = resources.files("gongkai.letters").joinpath("templates", "letters", f"{kind}.txt")
    return path.read_text(encoding="utf-8")


def current_template(unit: Unit, kind: LetterKind | str) -> str:
    """The body in force for ``unit``: its newest version, else the shipped default."""
    body = (
        LetterTemplate.objects.filter(unit=unit, kind=LetterKind(kind).value)
        .order_by("-id")
        .values_list("body", flat=True)
        .first()
    )
    return body if body is not None else default_template(kind)


def render_template(body: str, context: dict[str, Any], *, kind: LetterKind) -> LetterDocument:
    """Render a template body into a letter; every failure is a :class:`LetterError`."""
    try:
        template = _ENGINE.from_string(body)
    except TemplateSyntaxError as error:
        raise LetterError(f"“{kind.label}”模板有语法错误：{error}") from None
    try:
        rendered = template.render(TemplateContext(context, autoescape=_ENGINE.autoescape))
    except Exception as error:  # a template tag may fail in many ways; all are the template's
        raise LetterError(f"“{kind.label}”模板无法生成文书：{error}") from None
    try:
        return parse_letter(rendered)
    except GongkaiError as error:
        raise LetterError(f"“{kind.label}”{error}") from None


@dataclass(frozen=True, slots=True)
class RenderedLetter:
    kind: LetterKind
    recipient: str
    letter_date: dt.date
    template_body: str
    document: LetterDocument
    docx: bytes
    pdf: bytes
    reference: str = ""
    # Dates the letter states that were counted over a provisional calendar year.
    provisional: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return self.document.title


def _render(
    application: Application,
    kind: LetterKind,
    on: dt.date,
    party: str,
    *,
    serial: int | None = None,
) -> tuple[RenderedLetter, BuiltLetter]:
    events = list(application.events.order_by("id"))
    built = build_letter(
        application=application,
        events=events,
        kind=kind,
        letter_date=on,
        party=party,
        serial=serial,
    )
    body = current_template(application.unit, kind)
    document = render_template(body, built.context, kind=kind)
    issuer = str(built.context["issuer"])
    return RenderedLetter(
        kind=kind,
        recipient=built.recipient,
        letter_date=on,
        template_body=body,
        document=document,
        docx=render_docx(document, author=issuer),
        pdf=render_pdf(document, author=issuer),
        reference=str(built.context["reference"]),
        provisional=built.provisional,
    ), built


def _kind(kind: LetterKind | str) -> LetterKind:
    try:
        return LetterKind(str(kind))
    except ValueError:
        allowed = "、".join(f"{k.label}（{k.value}）" for k in LetterKind)
        raise LetterError(f"未知的文书类型 {kind!r}，可选：{allowed}") from None


def letter_preview(
    *,
    user: Any,
    application_id: int,
    kind: LetterKind | str,
    party: str = "",
    on: dt.date | None = None,
) -> RenderedLetter:
    """The letter as it would be sent today (or ``on``), without archiving anything."""
    letter_kind = _kind(kind)
    application = access_application_by_id(user, application_id)
    rendered, _ = _render(application, letter_kind, on or timezone.localdate(), party)
    return rendered


DUPLICATE_NUMBER: Final = (
    "文号“{reference}”已用于申请 {number} 的《{title}》（落款日期 {day}）。"
    "同一单位同一年度的文号不能重复，请核对纸质文书上实际使用的文号"
)
BAD_SERIAL: Final = "文号序号应为正整数（〔年度〕后的数字），不能是 {serial!r}"


def _allocate_serial(unit: Unit, year: int) -> int:
    """The next free 文号 serial of ``unit`` in ``year``, as the tracking numbers are allocated
    (:func:`gongkai.applications.services.registration._next_sequence`): the counter row is
    created once (``get_or_create`` survives the unique-constraint race), then incremented by
    ``UPDATE … SET last = last + 1``, whose row lock holds a concurrent sender of the same unit
    until this transaction commits — and a letter refused later rolls its number back, so the
    serials have no gaps. A serial a clerk already gave a back-filled letter by hand (the
    number on its paper copy) is skipped."""
    counter, _ = LetterNumber.objects.get_or_create(unit=unit, year=year)
    while True:
        LetterNumber.objects.filter(pk=counter.pk).update(last=F("last") + 1)
        serial: int = LetterNumber.objects.filter(pk=counter.pk).values_list("last", flat=True)[0]
        if not SentLetter.objects.filter(unit=unit, year=year, serial=serial).exists():
            return serial


def _refuse_used_number(unit: Unit, year: int, serial: int, reference: str) -> None:
    """Refuse, naming the letter that has it, a 文号 ``unit`` already used in ``year``."""
    used = (
        SentLetter.objects.filter(unit=unit, year=year, serial=serial)
        .select_related("application")
        .first()
    )
    if used is not None:
        raise LetterError(
            DUPLICATE_NUMBER.format(
                reference=used.reference or reference,
                number=used.application.tracking_number,
                title=used.title,
                day=used.letter_date.isoformat(),
            )
        )


@transaction.atomic
def letter_send(
    *,
    acting_user: Any,
    application_id: int,
    expected_version: int,
    kind: LetterKind | str,
    party: str = "",
    on: dt.date | None = None,
    confirm_provisional: bool = False,
    serial: int | None = None,
) -> SentLetter:
    """Generate the letter, archive its bytes and write the ``letter_sent`` event, atomically.

    ``on`` is the date printed on the letter and of the event (default today, never later).

    Its 文号 is of the year of ``on``. A clerk back-filling a letter sent earlier on paper gives
    the ``serial`` it actually bore, so the register matches the paper; left out, the letter
    takes the unit's next free serial of that year, and a letter dated before today is marked
    补录 (its number was given on entry, out of date order). A serial the unit already used that
    year is refused (:data:`DUPLICATE_NUMBER`; the database's constraint refuses it in a race).

    Refused (:class:`LetterError`, nothing
    written, no number used) when a reply lacks a reason the law requires, or when it states a
    date counted over a provisional calendar year and ``confirm_provisional`` is not set: the
    applicant relies on the date printed, so a person checks it against the year's official
    schedule (or accepts it) before it leaves the office; the confirmation is in the history.
    """
    letter_kind = _kind(kind)
    day = on or services_today()
    not_in_future(day, "落款日期")
    application = access_application_by_id(acting_user, application_id, for_change=True)
    # Check before a number is taken (the lock below is held to the end of the transaction).
    _, checked = _render(application, letter_kind, day, party)
    if checked.missing:
        raise LetterError(
            f"“{letter_kind.label}”缺少答复书必须写明的理由：{'、'.join(checked.missing)}。"
            "请在答复决定中写明后再发送"
        )
    if checked.provisional and not confirm_provisional:
        raise LetterError(
            f"“{letter_kind.label}”中的{'、'.join(checked.provisional)}是按暂定日历计算的"
            "（该年度放假安排尚未录入）。请核对该日期后勾选“已核对暂定日期”再发送，"
            "或先录入该年度的放假安排"
        )
    unit = application.unit
    backfilled = False
    if serial is not None:
        if isinstance(serial, bool) or not isinstance(serial, int) or serial < 1:
            raise LetterError(BAD_SERIAL.format(serial=serial))
        _refuse_used_number(unit, day.year, serial, "")
    else:
        serial = _allocate_serial(unit, day.year)
        backfilled = day < services_today()
    rendered, _ = _render(application, letter_kind, day, party, serial=serial)
    confirmed = (
        f"；暂定日期经发文人核对：{'、'.join(rendered.provisional)}" if rendered.provisional else ""
    )
    if backfilled:
        confirmed += f"；补录：{BACKFILLED_WHY}"
    docx_sha = hashlib.sha256(rendered.docx).hexdigest()
    pdf_sha = hashlib.sha256(rendered.pdf).hexdigest()
    application_append_event(
        acting_user=acting_user,
        application_id=application_id,
        expected_version=expected_version,
        payload=ev.LetterSent(
            # What the case page's history prints for this event.
            summary_text=f"发出《{rendered.title}》（{rendered.reference}，"
            f"文书类型：{letter_kind.label}），收件人：{rendered.recipient}{confirmed}",
            letter=letter_kind.value,
            title=rendered.title,
            recipient=rendered.recipient,
            docx_sha256=docx_sha,
            pdf_sha256=pdf_sha,
        ),
        on=day,
    )
    event = ApplicationEvent.objects.filter(
        application_id=application_id, kind=EventKind.LETTER_SENT
    ).latest("id")
    letter = SentLetter(
        application=application,
        event=event,
        kind=letter_kind.value,
        title=rendered.title,
        recipient=rendered.recipient,
        letter_date=day,
        reference=rendered.reference,
        unit=unit,
        year=day.year,
        serial=serial,
        backfilled=backfilled,
        text=rendered.document.text,
        template_body=rendered.template_body,
        docx=rendered.docx,
        docx_sha256=docx_sha,
        pdf=rendered.pdf,
        pdf_sha256=pdf_sha,
        sent_by=acting_user,
    )
    try:
        with transaction.atomic():
            letter.save()
    except IntegrityError:
        # Another clerk took the number between the check above and here.
        _refuse_used_number(unit, day.year, serial, rendered.reference)
        raise LetterError(
            f"文号“{rendered.reference}”已被本单位同一年度的其他文书使用，请核对后重新发送"
        ) from None
    return letter


# ---------------------------------------------------------------------------------------------
# Templates and letterhead, edited by the unit's head or an administrator above it.
# ---------------------------------------------------------------------------------------------


# What the sample case says where the law has nothing to say (the clerk writes these for real).
_SAMPLE_ITEMS: Final = "请写明所需政府信息的名称、文号或者其他足以确定该信息的特征描述"
_SAMPLE_REASON: Final = "需要调取档案并逐页审查"
_SAMPLE_FACTS: Final = "经查阅本机关2024年度收文、发文登记簿及档案室案卷，未发现相关记载。"
_SAMPLE_WITHHELD_PART: Final = "发放明细中领取人的身份证号码、银行账号"
_SAMPLE_PARTY: Final = {
    LetterKind.CONSULTATION_THIRD_PARTY: "某某有限公司",
    LetterKind.CONSULTATION_AGENCY: "某某局",
}
# The sample letter is dated today, but no later than this many days before the end of the
# working-day calendar, so that its deadlines (at most two reply periods) can be counted.
_SAMPLE_CALENDAR_MARGIN: Final = dt.timedelta(days=75)


def _sample_result(kind: LetterKind, year: int) -> str:
    """A result row of table 三 for a reply ``kind``: the first row of its group."""
    table3 = format_for_year(year).table3
    wanted = kind.value.removeprefix(REPLY_PREFIX) if kind.value.startswith(REPLY_PREFIX) else ""
    rows = result_rows(table3)
    for row, group in rows:
        if (group or row).code == wanted:
            return row.code
    # Not a reply: any decision will do for a variable the template does not normally use.
    return next(row.code for row, group in rows if group is not None)


def sample_context(unit: Unit, kind: LetterKind | str | None = None) -> dict[str, Any]:
    """A complete context for trying a template before saving it (every key any kind uses).

    Every value is what a real case would print — articles and periods from
    :mod:`gongkai.core.law`, deadlines counted on the working-day calendar, fee lines priced by
    :mod:`gongkai.core.fees`, a result row of table 三 for the reply ``kind`` — so a preview
    shows the letter a unit will actually send, not one with gaps (「根据的规定」).
    """
    letter_kind = _kind(kind) if kind is not None else LetterKind.REPLY_DISCLOSED
    cal = national_calendar()
    day = max(cal.first_day, min(timezone.localdate(), cal.last_day - _SAMPLE_CALENDAR_MARGIN))
    head = letterhead_values(unit)
    consultation_period = (
        law.INTER_AGENCY_CONSULTATION_PERIOD
        if letter_kind is LetterKind.CONSULTATION_AGENCY
        else law.THIRD_PARTY_CONSULTATION_PERIOD
    )
    party = _SAMPLE_PARTY.get(letter_kind, _SAMPLE_PARTY[LetterKind.CONSULTATION_THIRD_PARTY])
    reply_due = cal.add_working_days(day, law.REPLY_PERIOD.working_days)
    pages = max(band.last for band in law.PER_PAGE_BANDS if band.last is not None)
    priced = fees.fee_for_pages(pages)
    result = _sample_result(letter_kind, day.year)
    _, label, ground = result_group(result, day.year)
    _, _, withheld_ground = result_group(WITHHELD_GROUNDS[0], day.year)
    return LetterVars(
        issuer=head["issuer"],
        unit_address=head["address"],
        unit_phone=head["phone"],
        number=f"{unit.short_name}-{day.year}-0001",
        reference=reference_text(head["prefix"], day.year, 1),
        applicant="张某某",
        applicant_address="某某市某某区某某街道1号",
        description="某某区2024年度城乡居民最低生活保障资金发放明细",
        channel=FORMAL_CHANNELS[law.Channel.ONLINE],
        submitted_on=chinese_date(day),
        received_on=chinese_date(day),
        form=RequestedForm.ELECTRONIC.label,
        delivery=Delivery.EMAIL.label,
        letter_date=chinese_date(day),
        regulation=law.REGULATION_NAME,
        remedies=remedies_sentence(
            reconsideration_body=head["body"], court=head["court"], result=result, served_on=day
        ),
        correction=CorrectionVars(
            items=_SAMPLE_ITEMS,
            # The clerk sets the real supplement deadline; the sample allows the notice period.
            deadline=chinese_date(
                cal.add_working_days(day, law.CORRECTION_NOTICE_PERIOD.working_days)
            ),
            requested_on=chinese_date(day),
            article=full_citation(law.CORRECTION_NOTICE_PERIOD.article),
        ),
        extension=ExtensionVars(
            working_days=law.EXTENSION_MAX.working_days,
            reason=_SAMPLE_REASON,
            due=chinese_date(cal.add_working_days(reply_due, law.EXTENSION_MAX.working_days)),
            article=full_citation(law.EXTENSION_MAX.article),
        ),
        consultation=ConsultationVars(
            party=party,
            article=full_citation(consultation_period.article),
            period=consultation_period.working_days,
            answer_due=chinese_date(cal.add_working_days(day, consultation_period.working_days)),
            sent_on=chinese_date(day),
        ),
        fee=FeeVars(
            lines=priced.describe(),
            yuan=str(priced.yuan),
            method=priced.method.label,
            basis=priced.basis,
            period=law.FEE_PAYMENT_PERIOD.working_days,
            pay_by=chinese_date(cal.add_working_days(day, law.FEE_PAYMENT_PERIOD.working_days)),
            pauses_clock=deployment_clock_policy().fee_payment_pauses_clock,
        ),
        decision=DecisionVars(
            result=label,
            ground=ground,
            reason=basis_for(result).reason,
            legal_basis=full_citation(default_legal_basis(result)),
            decided_on=chinese_date(day),
            facts=_SAMPLE_FACTS,
            withheld_part=_SAMPLE_WITHHELD_PART,
            withheld_ground=withheld_ground,
            withheld_basis=full_citation(default_legal_basis(WITHHELD_GROUNDS[0])),
        ),
    ).as_context()


@transaction.atomic
def letter_template_update(
    *, acting_user: Any, unit: Unit, kind: LetterKind | str, body: str
) -> LetterTemplate:
    """Save a new version of ``unit``'s template for ``kind``, after trying it on a sample."""
    require(acting_user, Action.MANAGE_LETTER_TEMPLATES, unit)
    letter_kind = _kind(kind)
    body = body.replace("\r\n", "\n").strip() + "\n"
    if len(body) > MAX_TEMPLATE_CHARS:
        raise LetterError(
            f"“{letter_kind.label}”模板共 {len(body)} 个字符，超过上限 {MAX_TEMPLATE_CHARS} 个字符"
        )
    render_template(body, sample_context(unit, letter_kind), kind=letter_kind)
    template = LetterTemplate(unit=unit, kind=letter_kind.value, body=body, created_by=acting_user)
    template.save()
    return template


@transaction.atomic
def letter_template_reset(
    *, acting_user: Any, unit: Unit, kind: LetterKind | str
) -> LetterTemplate:
    """Go back to the shipped default, as a new version (the edited ones stay in the history)."""
    return letter_template_update(
        acting_user=acting_user, unit=unit, kind=kind, body=default_template(_kind(kind))
    )


@transaction.atomic
def letterhead_update(
    *,
    acting_user: Any,
    unit: Unit,
    issuer: str,
    address: str = "",
    phone: str = "",
    reconsideration_body: str = "",
    court: str = "",
    number_prefix: str = "",
) -> Letterhead:
    """Set what ``unit`` prints on its letters (issuer, contacts, the remedies' bodies, and the
    prefix of its 文号)."""
    require(acting_user, Action.MANAGE_LETTER_TEMPLATES, unit)
    issuer = issuer.strip()
    if not issuer:
        raise LetterError("落款机关名称不能为空")
    values = {
        "issuer": issuer,
        "address": address.strip(),
        "phone": phone.strip(),
        "reconsideration_body": reconsideration_body.strip(),
        "court": court.strip(),
        "number_prefix": number_prefix.strip(),
        "updated_by": acting_user,
    }
    for name, value in values.items():
        field = Letterhead._meta.get_field(name)
        if not isinstance(field, models.CharField) or not isinstance(value, str):
            continue
        if field.max_length is not None and len(value) > field.max_length:
            raise LetterError(f"{field.verbose_name}“{value[:20]}”超过 {field.max_length} 个字符")
    head, _ = Letterhead.objects.update_or_create(unit=unit, defaults=values)
    return head
