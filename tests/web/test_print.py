"""Print pages: the case file, each letter's 送达回证 (page and PDF), the letters of chosen
cases, and a unit's letters dated one day; who may read a case may print it, nobody else.

Today is 2024-03-20. Each case gets a 补正告知书, dated as the test says."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pdfplumber
import pytest
from django.urls import reverse

from gongkai.agencies.models import Role
from gongkai.letters.models import SentLetter

from .conftest import TodayIs, World, client_for, correction_letter, html

D = dt.date
TODAY = D(2024, 3, 20)
ID_NUMBER = "350505199001011234"


@pytest.fixture(autouse=True)
def _today(today_is: TodayIs) -> None:
    today_is(TODAY)


@pytest.fixture
def early(clerk: Any, world: World) -> SentLetter:
    return correction_letter(
        clerk,
        world.district,
        D(2024, 3, 6),
        id_document_number=ID_NUMBER,
        phone="13812345678",
        address="泉港区前黄镇前黄村1号",
        postcode="362801",
    )


def test_the_case_file_prints_history_letters_and_attachments(
    clerk: Any, world: World, early: SentLetter
) -> None:
    app = early.application
    page = html(client_for(clerk).get(reverse("applications:print", args=[app.pk])))
    assert app.tracking_number in page and "政府信息公开申请案卷" in page
    # Personal numbers are masked on paper.
    assert ID_NUMBER not in page and "3505**********1234" in page
    assert "13812345678" not in page and "138****5678" in page
    # The history, the letter (text and 文号) and its proof, the attachments list.
    history = page.split('id="print-history"')[1].split("</table>")[0]
    assert "补正" in history and "发出《" in history
    assert early.reference and early.reference in page
    assert early.text.splitlines()[-1].strip() in page
    # The archived text laid out again: the title and the 文号 centred, the date flush right.
    assert f'<p class="title">{early.text.splitlines()[0]}</p>' in page
    assert f'<p class="center">{early.reference}</p>' in page
    assert f'<p class="right">{early.letter_date.year}年3月6日</p>' in page
    assert page.count("送 达 回 证") == 1
    assert "尚无附件" in page
    # No site navigation: only the print toolbar, hidden when printed.
    assert '<header class="site">' not in page and 'id="print-toolbar"' in page
    # The case page links to it.
    case_page = html(client_for(clerk).get(reverse("applications:case", args=[app.pk])))
    assert reverse("applications:print", args=[app.pk]) in case_page


def test_who_may_not_read_the_case_may_not_print_it(world: World, early: SentLetter) -> None:
    outsider = world.member(Role.CLERK, world.other_district, username="clerk_huian")
    client = client_for(outsider)
    app_id = early.application_id
    assert client.get(reverse("applications:print", args=[app_id])).status_code == 404
    assert client.get(reverse("letters:print_proof", args=[early.pk])).status_code == 404
    page = html(client.get(reverse("letters:print_cases"), {"case": app_id}))
    assert early.reference not in page and 'id="print-empty"' in page
    # A supervisor above the unit reads, so prints.
    supervisor = world.member(Role.SUPERVISOR)
    assert (
        client_for(supervisor).get(reverse("letters:print_proof", args=[early.pk])).status_code
        == 200
    )


def test_the_proof_of_service_has_the_standard_fields(clerk: Any, early: SentLetter) -> None:
    page = html(client_for(clerk).get(reverse("letters:print_proof", args=[early.pk])))
    proof = page.split(f'id="proof-{early.pk}"')[1].split("</section>")[0]
    for label in (
        "送达文书名称及文号",
        "受送达人",
        "送达地点",
        "送达方式",
        "送达人",
        "收件人签名",
        "备注",
    ):
        assert f"<th>{label}" in proof, label
    assert f"{early.title}（{early.reference}）" in proof
    assert '<td class="proof-recipient">张三</td>' in proof
    assert "泉港区前黄镇前黄村1号 362801" in proof and "<td>邮寄</td>" in proof
    assert "泉州市泉港区人民政府" in proof


def test_the_proof_of_service_downloads_as_pdf(clerk: Any, early: SentLetter) -> None:
    response = client_for(clerk).get(
        reverse("letters:print_proof", args=[early.pk]), {"format": "pdf"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
        assert len(pdf.pages) == 1
    assert "送 达 回 证" in text and early.reference in text
    assert "打印" not in text  # the toolbar is not in the PDF


def test_the_days_batch_lists_exactly_the_letters_dated_that_day(
    clerk: Any, world: World, early: SentLetter
) -> None:
    today_letter = correction_letter(clerk, world.district, TODAY)
    township = world.member(Role.CLERK, world.township, username="clerk_shanyao")
    below = correction_letter(township, world.township, TODAY)
    huian = world.member(Role.CLERK, world.other_district, username="clerk_huian")
    foreign = correction_letter(huian, world.other_district, TODAY)
    client = client_for(clerk)

    def listed(**params: Any) -> list[str]:
        page = html(client.get(reverse("letters:print_day"), params))
        if 'id="print-list"' not in page:
            return []
        items = page.split('id="print-list"')[1].split("</ol>")[0]
        return [r.reference for r in (early, today_letter, below, foreign) if r.reference in items]

    # Default: my unit, today. The township's and the other district's letters are not mine.
    assert listed() == [today_letter.reference]
    assert listed(unit=world.district.pk, day="2024-03-06") == [early.reference]
    assert listed(unit=world.district.pk, day="2024-03-07") == []
    page = html(client.get(reverse("letters:print_day")))
    # Each letter is printed in full, then its proof, each a page.
    assert page.count('class="sheet"') == 2 and today_letter.text.splitlines()[-1] in page
    # The day's batch as one PDF: each letter, then its proof, on pages of their own.
    response = client.get(
        reverse("letters:print_day"),
        {"unit": world.district.pk, "day": "2024-03-20", "format": "pdf"},
    )
    assert response["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        texts = [p.extract_text() or "" for p in pdf.pages]
    assert len(texts) == 2 and today_letter.reference in texts[0]
    assert "送 达 回 证" in texts[1] and "送 达 回 证" not in texts[0]
    # A unit the clerk may not read, or a bad date, is explained.
    bad = client.get(
        reverse("letters:print_day"), {"unit": world.other_district.pk, "day": "2024-03-20"}
    )
    assert "请选择您可以查看的单位" in html(bad, 400)
    bad = client.get(reverse("letters:print_day"), {"unit": world.district.pk, "day": "2024-02-30"})
    assert "不是有效日期" in html(bad, 400)
    # The supervisor chooses the township's day.
    supervisor = world.member(Role.SUPERVISOR)
    page = html(
        client_for(supervisor).get(
            reverse("letters:print_day"), {"unit": world.township.pk, "day": "2024-03-20"}
        )
    )
    assert below.reference in page and today_letter.reference not in page


def test_the_letters_of_chosen_cases_print_in_the_order_chosen(
    clerk: Any, world: World, early: SentLetter
) -> None:
    later = correction_letter(clerk, world.district, D(2024, 3, 8))
    page = html(
        client_for(clerk).get(
            reverse("letters:print_cases"),
            {"case": [later.application_id, early.application_id, "x"]},
        )
    )
    assert page.index(f'id="letter-{later.pk}"') < page.index(f'id="letter-{early.pk}"')
    assert page.count("送 达 回 证") == 2
    assert html(client_for(clerk).get(reverse("letters:print_cases")), 400)
