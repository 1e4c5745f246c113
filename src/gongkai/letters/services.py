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

from django.db import models, transaction
from django.template import Context as TemplateContext
from django.template import Engine, TemplateSyntaxError
from django.utils import timezone

from gongkai.agencies.gatekeeper import Action, access_application_by_id, require
from gongkai.agencies.models import Unit
from gongkai.applications.models import Application, ApplicationEvent, EventKind
from gongkai.applications.services import application_append_event
from gongkai.core.errors import GongkaiError
from gongkai.letters.context import LetterError, build_context, chinese_date, remedies_sentence
from gongkai.letters.document import LetterDocument, parse_letter
from gongkai.letters.models import Letterhead, LetterKind, LetterTemplate, SentLetter
from gongkai.letters.render_docx import render_docx
from gongkai.letters.render_pdf import render_pdf

MAX_TEMPLATE_CHARS: Final = 20_000

# Letters are plain text: no HTML autoescaping (the PDF writer escapes), no template loaders
# (a unit's template cannot include files from the server), only the built-in tags and filters.
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
        rendered = template.render(TemplateContext(context))
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

    @property
    def title(self) -> str:
        return self.document.title


def _render(application: Application, kind: LetterKind, on: dt.date, party: str) -> RenderedLetter:
    events = list(application.events.order_by("id"))
    context, recipient = build_context(
        application=application, events=events, kind=kind, letter_date=on, party=party
    )
    body = current_template(application.unit, kind)
    document = render_template(body, context, kind=kind)
    issuer = str(context["issuer"])
    return RenderedLetter(
        kind=kind,
        recipient=recipient,
        letter_date=on,
        template_body=body,
        document=document,
        docx=render_docx(document, author=issuer),
        pdf=render_pdf(document, author=issuer),
    )


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
    return _render(application, letter_kind, on or timezone.localdate(), party)


@transaction.atomic
def letter_send(
    *,
    acting_user: Any,
    application_id: int,
    expected_version: int,
    kind: LetterKind | str,
    party: str = "",
    on: dt.date | None = None,
) -> SentLetter:
    """Generate the letter, archive its bytes and write the ``letter_sent`` event, atomically.

    ``on`` is the date printed on the letter and of the event (default today, never later).
    """
    letter_kind = _kind(kind)
    day = on or timezone.localdate()
    application = access_application_by_id(acting_user, application_id, for_change=True)
    rendered = _render(application, letter_kind, day, party)
    docx_sha = hashlib.sha256(rendered.docx).hexdigest()
    pdf_sha = hashlib.sha256(rendered.pdf).hexdigest()
    application_append_event(
        acting_user=acting_user,
        application_id=application_id,
        expected_version=expected_version,
        kind=EventKind.LETTER_SENT,
        on=day,
        data={
            "letter": letter_kind.value,
            "title": rendered.title,
            "recipient": rendered.recipient,
            "docx_sha256": docx_sha,
            "pdf_sha256": pdf_sha,
        },
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
        text=rendered.document.text,
        template_body=rendered.template_body,
        docx=rendered.docx,
        docx_sha256=docx_sha,
        pdf=rendered.pdf,
        pdf_sha256=pdf_sha,
        sent_by=acting_user,
    )
    letter.save()
    return letter


# ---------------------------------------------------------------------------------------------
# Templates and letterhead, edited by the unit's head or an administrator above it.
# ---------------------------------------------------------------------------------------------


def sample_context(unit: Unit) -> dict[str, Any]:
    """A complete context for trying a template before saving it (every key any kind uses)."""
    day = timezone.localdate()
    return {
        "issuer": unit.name,
        "unit_address": "",
        "unit_phone": "",
        "number": f"{unit.short_name}-{day.year}-0001",
        "applicant": "申请人",
        "applicant_address": "",
        "description": "所需政府信息的描述",
        "channel": "网络平台",
        "submitted_on": chinese_date(day),
        "received_on": chinese_date(day),
        "form": "电子",
        "delivery": "电子邮件",
        "letter_date": chinese_date(day),
        "regulation": "《中华人民共和国政府信息公开条例》",
        "remedies": remedies_sentence(),
        "correction": {"items": "事项", "deadline": "", "requested_on": "", "article": ""},
        "extension": {"working_days": 0, "reason": "", "due": "", "article": ""},
        "consultation": {"party": "", "article": "", "period": 0, "answer_due": "", "sent_on": ""},
        "fee": {
            "lines": [],
            "yuan": "0",
            "method": "",
            "basis": "",
            "period": 0,
            "pay_by": "",
            "pauses_clock": True,
        },
        "decision": {"result": "", "ground": "", "reason": "", "legal_basis": "", "decided_on": ""},
    }


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
    render_template(body, sample_context(unit), kind=letter_kind)
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
) -> Letterhead:
    """Set what ``unit`` prints on its letters (issuer, contacts, the remedies' bodies)."""
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
