"""No printed or exported page of a case carries the applicant's full ID or phone number unless
someone with the right asks with a reason (and is logged): the letters (DOCX and PDF as
archived), their print pages and 送达回证 PDF, the case file, a day's batch, the chosen cases'
batch, and the workbook exports — including where the applicant's own description quotes them.

Today is 2024-03-20; the case's 补正告知书 quotes the description, which quotes both numbers.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import docx
import pdfplumber
import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.agencies.models import PersonalDataAccess, Role
from gongkai.core.masking import mask_id_number, mask_in_text, mask_phone
from gongkai.letters.models import SentLetter
from gongkai.web.case_page.print_case import FULL_PRINT

from .conftest import TodayIs, World, client_for, correction_letter

TODAY = dt.date(2024, 3, 20)
ID_NUMBER = "35050519880808123X"
PHONE = "13912345678"
OTHER_ID = "350521197001012345"  # a third party's, quoted by the applicant
DESCRIPTION = (
    f"本人（身份证号{ID_NUMBER.lower()}，电话{PHONE}）申请公开与邻居（身份证{OTHER_ID}）"
    "相关的宅基地审批文件"
)
FULL = (ID_NUMBER, ID_NUMBER.lower(), PHONE, OTHER_ID)


@pytest.fixture(autouse=True)
def _today(today_is: TodayIs) -> None:
    today_is(TODAY)


@pytest.fixture
def letter(clerk: Any, world: World) -> SentLetter:
    return correction_letter(
        clerk,
        world.district,
        dt.date(2024, 3, 18),
        id_document_number=ID_NUMBER,
        phone=PHONE,
        description=DESCRIPTION,
        address="泉港区前黄镇前黄村1号",
        postcode="362801",
    )


def assert_masked(text: str, *, quoted: bool = True) -> None:
    """No full number in ``text``; if it ``quoted`` the description, the masked ID instead."""
    for number in FULL:
        assert number not in text, number
    if quoted:
        assert mask_id_number(ID_NUMBER).lower() in text.lower()


def pdf_text(content: bytes) -> str:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return "".join(page.extract_text() or "" for page in pdf.pages).replace("\n", "")


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def proof_pdf(client: Client, letter: SentLetter) -> bytes:
    response = client.get(reverse("letters:print_proof", args=[letter.pk]), {"format": "pdf"})
    content: bytes = response.content
    assert content.startswith(b"%PDF")
    return content


def test_mask_in_text_keeps_other_numbers() -> None:
    text = f"电话{PHONE}，机关电话0595-87654321，受理编号泉港区政府办-2024-0001，{ID_NUMBER}"
    masked = mask_in_text(text, id_number=ID_NUMBER, phone=PHONE)
    assert mask_phone(PHONE) in masked and mask_id_number(ID_NUMBER) in masked
    assert "0595-87654321" in masked and "泉港区政府办-2024-0001" in masked
    # A longer digit run that merely contains the phone number is not the phone number.
    assert mask_in_text(f"9{PHONE}0", phone=PHONE) == f"9{PHONE}0"


def test_the_archived_letter_is_masked_in_docx_pdf_and_text(letter: SentLetter) -> None:
    assert "宅基地审批文件" in letter.text
    assert_masked(letter.text)
    assert mask_phone(PHONE) in letter.text
    docx_body = docx_text(bytes(letter.docx))
    assert "宅基地审批文件" in docx_body
    assert_masked(docx_body)
    pdf_body = pdf_text(bytes(letter.pdf))
    assert "宅基地" in pdf_body
    assert_masked(pdf_body)


def test_a_letter_archived_unmasked_is_printed_masked(clerk: Any, letter: SentLetter) -> None:
    """Letters sent before masking keep their text; every print page masks it anyway."""
    SentLetter.objects.filter(pk=letter.pk).update(
        text=letter.text.replace(mask_id_number(ID_NUMBER).lower(), ID_NUMBER)
    )
    client = client_for(clerk)
    app_id = letter.application_id
    proof = client.get(reverse("letters:print_proof", args=[letter.pk]))
    assert_masked(proof.content.decode(), quoted=False)
    assert_masked(pdf_text(proof_pdf(client, letter)), quoted=False)
    day = {"unit": letter.application.unit_id, "day": "2024-03-18"}
    pages = [
        client.get(reverse("letters:print_cases"), {"case": app_id}),
        client.get(reverse("letters:print_day"), day),
        client.get(reverse("applications:print", args=[app_id])),
    ]
    for response in pages:
        body = response.content.decode()
        assert response.status_code == 200, body[:300]
        assert "宅基地审批文件" in body
        assert_masked(body)
    day_pdf = client.get(
        reverse("letters:print_day"),
        {"unit": letter.application.unit_id, "day": "2024-03-18", "format": "pdf"},
    )
    text = pdf_text(day_pdf.content)
    assert "宅基地" in text
    assert_masked(text)
    assert PersonalDataAccess.objects.count() == 0


def test_the_case_file_prints_full_numbers_only_for_the_head_with_a_reason(
    world: World, clerk: Any, head: Any, letter: SentLetter
) -> None:
    url = reverse("applications:print", args=[letter.application_id])
    asked = {"personal": "1", "reason": "行政复议答复需要核对身份"}

    # The clerk: no form, and asking anyway is refused on the page, which stays masked.
    clerk_page = client_for(clerk).get(url).content.decode()
    assert 'id="print-full"' not in clerk_page
    refused = client_for(clerk).get(url, asked).content.decode()
    assert "没有导出申请人完整身份证明号码" in refused
    assert_masked(refused)

    # The head: the form; without a reason refused; with one, full numbers and a log entry.
    head_client = client_for(head)
    assert 'id="print-full"' in head_client.get(url).content.decode()
    no_reason = head_client.get(url, {"personal": "1", "reason": " "}).content.decode()
    assert "须说明事由" in no_reason
    assert_masked(no_reason)
    assert PersonalDataAccess.objects.count() == 0
    full = head_client.get(url, asked).content.decode()
    assert ID_NUMBER in full and PHONE in full and OTHER_ID in full
    entry = PersonalDataAccess.objects.get()
    assert (entry.kind, entry.user, entry.what) == ("export", head, FULL_PRINT)
    assert entry.reason == "行政复议答复需要核对身份"
    assert entry.application_id == letter.application_id
    # The letters attached to the file stay as posted: masked.
    letters_part = full.split('class="print-doc letter"', 1)[1]
    assert ID_NUMBER not in letters_part and mask_phone(PHONE) in letters_part

    # A head of another unit cannot print this case at all.
    other = world.member(Role.HEAD, world.other_district)
    assert client_for(other).get(url, asked).status_code == 404
    assert PersonalDataAccess.objects.count() == 1


def test_exports_mask_numbers_quoted_in_the_description(head: Any, letter: SentLetter) -> None:
    client = client_for(head)

    def description_cell(params: dict[str, str]) -> str:
        response = client.get(reverse("applications:search"), {"format": "xlsx", **params})
        sheet = load_workbook(io.BytesIO(response.content)).active
        header, row = list(sheet.iter_rows(values_only=True))[:2]
        return str(row[header.index("所需信息")])

    masked = description_cell({})
    assert "宅基地审批文件" in masked
    assert_masked(masked)
    full = description_cell({"personal": "1", "reason": "行政复议答复需要"})
    assert ID_NUMBER.lower() in full and PHONE in full

    bulk = client.post(
        reverse("applications:bulk"), {"action": "export", "ids": str(letter.application_id)}
    )
    sheet = load_workbook(io.BytesIO(bulk.content)).active
    cells = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
    assert "宅基地审批文件" in cells
    assert_masked(cells)
