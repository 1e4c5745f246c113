"""The public application pages through the test client: the form, captcha, replay, escaping,
the receipt and its PDF."""

from __future__ import annotations

import io
import re
from typing import Any

import pdfplumber
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.applications.models import OnlineSubmission
from gongkai.core.law import REPLY_PERIOD
from tests.web.conftest import World

from .conftest import PDF

DIGITS = "零一二三四五六七八九十"
SCRIPT = '<script>alert("x")</script><b>粗</b>'


def solve(html: str) -> tuple[str, str]:
    """The captcha token and answer of a form page, read like a person would."""
    match = re.search(r"验证题：(.)加(.)等于几", html)
    assert match, "no captcha question on the page"
    token = re.search(r'name="captcha_token" value="([^"]+)"', html)
    assert token
    return token.group(1), str(DIGITS.index(match.group(1)) + DIGITS.index(match.group(2)))


def form_data(world: World, html: str, **overrides: Any) -> dict[str, Any]:
    token, answer = solve(html)
    data: dict[str, Any] = {
        "unit": str(world.district.pk),
        "applicant_type": "natural_person",
        "applicant_name": "王五",
        "id_document_type": "resident_id",
        "id_document_number": "35050519900101123X",
        "phone": "13800001234",
        "email": "",
        "address": "泉港区山腰街道 1 号",
        "postcode": "362800",
        "description": "2024年城区道路改造工程的立项批复",
        "purpose": "",
        "requested_form": "paper",
        "delivery": "post",
        "captcha_token": token,
        "captcha_answer": answer,
        "proof": SimpleUploadedFile("id.pdf", PDF, content_type="application/pdf"),
    }
    data.update(overrides)
    return data


@pytest.fixture
def client() -> Client:
    return Client(enforce_csrf_checks=True)


def get_form(client: Client) -> tuple[str, str]:
    response = client.get(reverse("portal:apply"))
    assert response.status_code == 200
    html = response.content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert csrf
    return html, csrf.group(1)


def post(client: Client, world: World, **overrides: Any) -> Any:
    html, csrf = get_form(client)
    data = form_data(world, html, **overrides)
    data["csrfmiddlewaretoken"] = csrf
    return client.post(reverse("portal:apply"), data), data


def test_form_explains_types_deadlines_and_lists_units(client: Client, world: World) -> None:
    html, _ = get_form(client)
    assert world.department.name in html and world.other_district.name in html
    assert "律师事务所" in html  # the legal-services column in plain words
    assert f"{REPLY_PERIOD.working_days} 个工作日内答复" in html
    assert "第三十一条第三项" in html
    for field in ("applicant_name", "id_document_number", "description", "phone"):
        assert f'for="id_{field}"' in html  # every input has its label


def test_submit_gives_receipt_and_pdf_with_masked_data(client: Client, world: World) -> None:
    response, _ = post(client, world, applicant_name=SCRIPT, description=SCRIPT)
    assert response.status_code == 302
    submission = OnlineSubmission.objects.get()
    receipt = client.get(response["Location"]).content.decode()
    assert "等待受理单位确认收到" in receipt
    assert "3505**********123X" in receipt and "35050519900101123X" not in receipt
    assert "138****1234" in receipt and "13800001234" not in receipt
    assert "<script>" not in receipt and "&lt;script&gt;" in receipt
    pdf = client.get(reverse("portal:apply_receipt_pdf", args=[submission.public_number]))
    assert pdf["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(pdf.content)) as document:
        text = "".join(page.extract_text() or "" for page in document.pages)
    assert "<script>" in text and "<b>粗</b>" in text  # printed as text, not markup
    assert "35050519900101123X" not in text


def test_receipt_is_not_shown_to_another_browser(client: Client, world: World) -> None:
    post(client, world)
    number = OnlineSubmission.objects.get().public_number
    stranger = Client()
    assert stranger.get(reverse("portal:apply_receipt", args=[number])).status_code == 404
    assert stranger.get(reverse("portal:apply_receipt_pdf", args=[number])).status_code == 404


def test_replayed_form_is_stored_once(client: Client, world: World) -> None:
    response, data = post(client, world)
    assert response.status_code == 302
    data["proof"] = SimpleUploadedFile("id.pdf", PDF, content_type="application/pdf")
    again = client.post(reverse("portal:apply"), data)
    assert again.status_code == 400
    assert "已经提交过" in again.content.decode()
    assert OnlineSubmission.objects.count() == 1


def test_wrong_captcha_refused_and_form_kept(client: Client, world: World) -> None:
    response, _ = post(client, world, captcha_answer="99", applicant_name="赵六")
    assert response.status_code == 400
    html = response.content.decode()
    assert "验证题答案不正确" in html and "赵六" in html
    assert OnlineSubmission.objects.count() == 0


def test_forged_token_refused(client: Client, world: World) -> None:
    response, _ = post(client, world, captcha_token="forged:token")
    assert response.status_code == 400
    assert OnlineSubmission.objects.count() == 0


def test_csrf_is_required(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    html, _ = get_form(client)
    response = client.post(reverse("portal:apply"), form_data(world, html))
    assert response.status_code == 403
    assert OnlineSubmission.objects.count() == 0


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("id.pdf", b"MZ\x90\x00 not a pdf"), "不是允许的文件类型"),
        (SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024)), "10 MB"),
        (SimpleUploadedFile("id.pdf", b""), "空文件"),
    ],
)
def test_bad_upload_gets_chinese_message(
    client: Client, world: World, upload: Any, message: str
) -> None:
    response, _ = post(client, world, proof=upload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert OnlineSubmission.objects.count() == 0


def test_missing_address_for_post_and_bad_unit(client: Client, world: World) -> None:
    response, _ = post(client, world, address="", unit="999999")
    html = response.content.decode()
    assert response.status_code == 400
    assert "选择邮寄时请填写通信地址" in html and "请从列表中选择一个单位" in html
