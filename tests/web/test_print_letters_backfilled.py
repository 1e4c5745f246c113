"""The letters' own print pages mark a letter sent earlier on paper and numbered on entry (补录编号)
as the printed case file does, in the same words: the list of chosen cases' letters, a day's
letters, each letter's page and its 送达回证 (page and PDF). A day's letters are listed by 文号,
the ones numbered on entry last, and the page says why their numbers are out of order.

The letter itself (its DOCX and PDF, sent to the applicant) is a legal document and carries no
internal 补录 mark.

The office sends letters on 6 and 8 March 2024; on 20 March a clerk enters a paper letter of
6 March without its number."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import docx
import pdfplumber
import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.letters.models import SentLetter

from .conftest import TodayIs, World, client_for, correction_letter, html

D = dt.date
SENT_ON = D(2024, 3, 6)
NEXT_DAY = D(2024, 3, 8)
ENTERED_ON = D(2024, 3, 20)
MARK = "【补录】"
# The words of the printed case file (web/templates/web/print_case.html).
WHY = "文号按录入时的顺序取得，与落款日期的先后不一致"


class Office:
    """Two letters sent on 6 March, one on 8 March; on 20 March a paper letter of 6 March
    entered without its number (补录, the next serial), then one entered with the serial it
    bore on paper (not 补录)."""

    def __init__(self, clerk: Any, world: World, today_is: TodayIs) -> None:
        today_is(SENT_ON)
        self.first = correction_letter(clerk, world.district, SENT_ON)
        self.second = correction_letter(clerk, world.district, SENT_ON)
        today_is(NEXT_DAY)
        self.next_day = correction_letter(clerk, world.district, NEXT_DAY)
        today_is(ENTERED_ON)
        self.entered = correction_letter(clerk, world.district, SENT_ON)
        self.paper_number = correction_letter(clerk, world.district, SENT_ON, serial=40)


@pytest.fixture
def office(clerk: Any, world: World, today_is: TodayIs) -> Office:
    made = Office(clerk, world, today_is)
    assert [made.first.serial, made.second.serial, made.next_day.serial] == [1, 2, 3]
    assert (made.entered.serial, made.entered.backfilled) == (4, True)
    assert (made.paper_number.serial, made.paper_number.backfilled) == (40, False)
    return made


def entered_day(letter: SentLetter) -> str:
    return timezone.localdate(letter.sent_at).isoformat()


def list_items(page: str) -> list[str]:
    listed = page.split('id="print-list"')[1].split("</ol>")[0]
    return listed.split("<li>")[1:]


def text_of(page: str, element_id: str) -> str:
    """The text of the element ``element_id`` (up to its closing tag), tags removed."""
    found = re.search(rf'id="{element_id}">(.*?)</(p|div)>', page, re.S)
    assert found, element_id
    return re.sub(r"<[^>]+>", "", found.group(1))


def test_a_days_letters_list_by_number_with_the_entered_one_last_and_explained(
    clerk: Any, world: World, office: Office
) -> None:
    page = html(
        client_for(clerk).get(
            reverse("letters:print_day"), {"unit": world.district.pk, "day": "2024-03-06"}
        )
    )
    items = list_items(page)
    order = [office.first, office.second, office.paper_number, office.entered]
    assert len(items) == len(order)
    for item, letter in zip(items, order, strict=True):
        assert letter.reference in item
        assert (MARK in item) is (letter is office.entered), letter.reference
    assert f"{WHY}（存档于 {entered_day(office.entered)}）" in items[-1]
    # The page says above the list how many were entered and why they come last.
    note = text_of(page, "print-backfilled-note")
    assert "其中 1 份为补录" in note and "排在最后" in note and WHY in note
    # The letter's own page and its proof carry the mark; the others' do not.
    assert page.count(f'id="backfilled-{office.entered.pk}"') == 1
    assert page.count(f'id="proof-backfilled-{office.entered.pk}"') == 1
    assert page.count('id="backfilled-') == 1 and page.count('id="proof-backfilled-') == 1
    # The sheets follow the list's order.
    sheets = [page.index(f'id="letter-{letter.pk}"') for letter in order]
    assert sheets == sorted(sheets)


def test_a_day_without_entered_letters_says_nothing_of_补录(
    clerk: Any, world: World, office: Office
) -> None:
    page = html(
        client_for(clerk).get(
            reverse("letters:print_day"), {"unit": world.district.pk, "day": "2024-03-08"}
        )
    )
    assert office.next_day.reference in page
    assert MARK not in page and "print-backfilled-note" not in page


def test_the_days_pdf_marks_the_entered_letter_and_its_proof(
    clerk: Any, world: World, office: Office
) -> None:
    response = client_for(clerk).get(
        reverse("letters:print_day"),
        {"unit": world.district.pk, "day": "2024-03-06", "format": "pdf"},
    )
    assert response["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        texts = [(p.extract_text() or "").replace("\n", "") for p in pdf.pages]
    # Four letters, each followed by its proof; the last two pages are the entered letter's.
    assert len(texts) == 8
    assert all(MARK not in text for text in texts[:6])
    assert office.entered.reference in texts[6] and MARK in texts[6] and WHY in texts[6]
    assert "送 达 回 证" in texts[7] and MARK in texts[7]


def test_chosen_cases_mark_only_the_entered_letter(clerk: Any, office: Office) -> None:
    chosen = [office.entered, office.first]
    page = html(
        client_for(clerk).get(
            reverse("letters:print_cases"), {"case": [c.application_id for c in chosen]}
        )
    )
    items = list_items(page)
    assert office.entered.reference in items[0] and MARK in items[0] and WHY in items[0]
    assert office.first.reference in items[1] and MARK not in items[1]
    assert "print-backfilled-note" not in page  # by case, not by 文号: nothing to put last
    sheet = text_of(page, f"backfilled-{office.entered.pk}")
    assert sheet.startswith(MARK) and entered_day(office.entered) in sheet
    assert f'id="proof-backfilled-{office.entered.pk}"' in page
    assert f'id="backfilled-{office.first.pk}"' not in page
    assert f'id="proof-backfilled-{office.first.pk}"' not in page


def test_a_single_proof_of_service_is_marked_on_screen_and_in_its_pdf(
    clerk: Any, office: Office
) -> None:
    client = client_for(clerk)
    url = reverse("letters:print_proof", args=[office.entered.pk])
    proof = html(client.get(url)).split(f'id="proof-{office.entered.pk}"')[1]
    note = proof.split('<td class="note">')[1].split("</td>")[0]
    assert MARK in note and f"{WHY}（存档于 {entered_day(office.entered)}）" in note
    response = client.get(url, {"format": "pdf"})
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        assert len(pdf.pages) == 1  # the note fits the proof's one page
        text = (pdf.pages[0].extract_text() or "").replace("\n", "")
    assert MARK in text and WHY in text and office.entered.reference in text
    # A letter sent on its day, or entered with its paper number, is not marked.
    for letter in (office.first, office.paper_number):
        url = reverse("letters:print_proof", args=[letter.pk])
        assert MARK not in html(client.get(url))


def test_the_mark_reads_as_on_the_printed_case_file(clerk: Any, office: Office) -> None:
    client = client_for(clerk)
    letter = office.entered
    case_file = html(client.get(reverse("applications:print", args=[letter.application_id])))
    chosen = html(client.get(reverse("letters:print_cases"), {"case": [letter.application_id]}))
    element = f"backfilled-{letter.pk}"
    assert text_of(chosen, element) == text_of(case_file, element)
    assert text_of(chosen, f"proof-{element}") == text_of(case_file, element)


def test_the_letter_sent_to_the_applicant_carries_no_补录_mark(office: Office) -> None:
    """The DOCX and PDF are what the applicant receives (and what a reviewing body reads); 补录
    is the office's own bookkeeping, so it stays on the registers and prints, never on the
    letter. The letter still bears its 文号 and its date."""
    for letter in (office.entered, office.first):
        stored = SentLetter.objects.get(pk=letter.pk)
        words = "".join(p.text for p in docx.Document(io.BytesIO(bytes(stored.docx))).paragraphs)
        with pdfplumber.open(io.BytesIO(bytes(stored.pdf))) as pdf:
            printed = "".join(page.extract_text() or "" for page in pdf.pages)
        for text in (words, printed.replace("\n", ""), stored.text):
            assert stored.reference in text and "2024年3月6日" in text
            assert "补录" not in text and WHY not in text
