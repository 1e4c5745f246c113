"""Reads for printing letters with their 送达回证: one letter, the letters of chosen cases, and
the letters of a unit dated one day (the day's mail-out).

A sent letter is part of the case file, so whoever may read the case may print its letters and
their proofs of service, and nobody else (the gatekeeper's ``VIEW_CASES``); a letter or a case
the user may not see is left out or "not found", never told apart from a missing one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from django.db.models import F, QuerySet

from gongkai.agencies.gatekeeper import (
    AccessDeniedError,
    Action,
    applications_for,
    require,
    units_for,
)
from gongkai.agencies.models import Unit
from gongkai.applications.models import Delivery
from gongkai.core.masking import mask_in_text
from gongkai.letters.models import Letterhead, SentLetter
from gongkai.letters.selectors import LETTER_NOT_FOUND

_DATE: Final = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")

# The most letters one print page holds (a day's mail-out of a busy office is far fewer).
PRINT_LIMIT: Final = 300


@dataclass(frozen=True, slots=True)
class ProofOfService:
    """A letter with what its 送达回证 prints (the fields a clerk would otherwise copy by hand).

    送达地点 and 送达方式 follow the way the applicant asked to receive the answer ([R] Art 29
    (三)): a letter to a third party or an agency (征求意见) has no address on the case, so the
    place is left blank for the clerk to fill in. 送达人, the signature and the date are always
    written by hand.
    """

    letter: SentLetter
    issuer: str  # the agency that serves it (the letterhead's 落款, else the unit's name)
    method: str
    place: str

    @property
    def lines(self) -> list[tuple[str, str]]:
        """The archived text as (layout, line) for the print page. The archive keeps plain text
        (the template's layout marks are gone), so the layout is read back from what each line
        is: the title and the 文号 centred, the closing issuer and dates flush right.

        A letter archived before letters were masked may quote the applicant's ID or phone
        number; the print masks them as the letter built today would."""
        app = self.letter.application
        text = mask_in_text(self.letter.text, id_number=app.id_document_number, phone=app.phone)
        lines = [line for line in text.splitlines() if line.strip()]
        laid: list[tuple[str, str]] = []
        for index, line in enumerate(lines):
            text = line.strip()
            if index == 0 or text == self.letter.reference:
                layout = "center" if index else "title"
            elif text == self.issuer or (_DATE.fullmatch(text) and index >= len(lines) - 3):
                layout = "right"
            else:
                layout = "plain"
            laid.append((layout, text))
        return laid

    @property
    def document(self) -> str:
        """送达文书名称及文号."""
        reference = f"（{self.letter.reference}）" if self.letter.reference else ""
        return f"{self.letter.title}{reference}"


def _to_applicant(letter: SentLetter) -> bool:
    return letter.recipient.strip() == letter.application.applicant_name.strip()


def _place(letter: SentLetter) -> str:
    """Where the letter goes, from the case: the postal address or the e-mail address; blank
    (filled in by hand) for a letter to someone else, a pick-up or an online delivery."""
    app = letter.application
    if not _to_applicant(letter):
        return ""
    if app.delivery == Delivery.POST:
        return " ".join(part for part in (app.address, app.postcode) if part)
    if app.delivery == Delivery.EMAIL:
        return app.email
    return ""


def _proofs(letters: Iterable[SentLetter]) -> list[ProofOfService]:
    listed = list(letters)
    units = {letter.application.unit_id for letter in listed}
    issuers = {head.unit_id: head.issuer for head in Letterhead.objects.filter(unit_id__in=units)}
    proofs = []
    for letter in listed:
        app = letter.application
        method = app.get_delivery_display() if _to_applicant(letter) else ""
        issuer = issuers.get(app.unit_id) or app.unit.name
        proofs.append(ProofOfService(letter, issuer, method, _place(letter)))
    return proofs


def _letters(user: Any) -> QuerySet[SentLetter]:
    return (
        SentLetter.objects.filter(application__in=applications_for(user, Action.VIEW_CASES))
        .defer("docx", "pdf", "template_body")
        .select_related("application", "application__unit", "sent_by")
    )


def letter_proof(*, user: Any, letter_id: int) -> ProofOfService:
    """One letter with its 送达回证; "not found" when the user may not read its case."""
    letter = _letters(user).filter(pk=letter_id).first()
    if letter is None:
        raise AccessDeniedError(LETTER_NOT_FOUND.format(id=letter_id))
    return _proofs([letter])[0]


def letters_of_cases(*, user: Any, application_ids: Iterable[int]) -> list[ProofOfService]:
    """The letters of the chosen cases the user may read, case by case, oldest first."""
    wanted = list(dict.fromkeys(application_ids))
    letters = _letters(user).filter(application_id__in=wanted).order_by("application_id", "id")
    order = {pk: index for index, pk in enumerate(wanted)}
    listed = sorted(
        letters[:PRINT_LIMIT], key=lambda letter: (order[letter.application_id], letter.pk)
    )
    return _proofs(listed)


def letters_dated(*, user: Any, unit: Unit, day: dt.date) -> list[ProofOfService]:
    """The letters of ``unit``'s cases dated ``day`` (落款日期: the day they go out, also when a
    letter was entered later), by 文号. Refused unless the user may read the unit's cases; the
    unit's own cases only, not its subunits' (each prints its own mail).

    A letter numbered on entry (补录, ``backfilled``) comes after the others: its 文号 was given
    the day it was typed in, so among the day's numbers it would sit out of order and read as a
    gap or a mistake on the day's register. Listed last, each marked, the day's own numbers run
    in sequence and the later ones are explained. Letters archived before 文号 were given (no
    serial) come first, by the order they were sent."""
    require(user, Action.VIEW_CASES, unit)
    letters = (
        _letters(user)
        .filter(application__unit=unit, letter_date=day)
        .order_by("backfilled", F("serial").asc(nulls_first=True), "id")
    )
    return _proofs(letters[:PRINT_LIMIT])


def print_units(*, user: Any) -> list[Unit]:
    """The units whose day's letters the user may print, in tree order."""
    return sorted(units_for(user, Action.VIEW_CASES), key=lambda unit: unit.path)
