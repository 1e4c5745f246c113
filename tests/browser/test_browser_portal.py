"""The public portal in headless Chromium (Debian's), against a live server.

A citizen applies on a 390 px phone; the clerk confirms receipt and sends a 补正 notice; the
citizen answers online; the clerk decides and replies; the citizen reads the decision and
downloads the reply letter; an outsider with a wrong second factor sees nothing. A reply sent on
paper whose reasons the office typed in afterwards shows those reasons to the citizen.
Screenshots at 390 px and at desktop width land in /tmp/gongkai-screens/portal-*.png for a
human to look at.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from gongkai.agencies.models import Membership
from gongkai.applications import services
from gongkai.applications.attachments import Upload
from gongkai.applications.models import (
    RESULT_PLAIN_LABELS,
    Application,
    EventKind,
    OnlineSubmission,
)
from gongkai.applications.services.online import (
    application_confirm_online,
    application_submit_online,
    format_public_number,
)
from gongkai.core.formats import T3_DISCLOSED, T3_PARTLY_DISCLOSED, T3_WITHHELD_THIRD_PARTY
from gongkai.core.results import default_legal_basis
from tests.browser.conftest import LIVE_SITE, SCREENS, Login
from tests.browser.test_browser import PNG, TODAY, site, take_step  # noqa: F401 (fixture)
from tests.web import samples

pytestmark = LIVE_SITE

DIGITS = "零一二三四五六七八九十"
PHONE = "13712345678"
ID_NUMBER = "350505198807071234"
PHONE_SIZE = {"width": 390, "height": 844}
DESKTOP_SIZE = {"width": 1366, "height": 900}


def shot(page: Any, name: str) -> None:
    SCREENS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENS / f"portal-{name}.png"), full_page=True)


def solve_captcha(page: Any) -> str:
    label = page.locator("label[for=id_captcha_answer]").inner_text()
    match = re.search(r"(.)加(.)等于几", label)
    assert match, label
    return str(DIGITS.index(match.group(1)) + DIGITS.index(match.group(2)))


def test_a_citizen_applies_and_follows_the_case(
    site: str,  # noqa: F811
    browser: Any,
    login: Login,
    tmp_path: Path,
) -> None:
    unit = Membership.objects.select_related("unit").get(user__username="jingban").unit
    proof = tmp_path / "身份证.png"
    proof.write_bytes(PNG)
    answer = tmp_path / "补正材料.pdf"
    answer.write_bytes(samples.pdf("supplement"))

    # A citizen applies on a phone.
    phone = browser.new_page(viewport=PHONE_SIZE, locale="zh-CN")
    phone.goto(f"{site}/public/apply/")
    shot(phone, "apply-390")
    phone.fill("#unit-filter", unit.name[-4:])
    phone.select_option("#id_unit", label=unit.name)
    phone.check("input[name=applicant_type][value=natural_person]")
    phone.fill("#id_applicant_name", "浏览器申请人<script>alert(1)</script>")
    phone.select_option("#id_id_document_type", "resident_id")
    phone.fill("#id_id_document_number", ID_NUMBER)
    phone.fill("#id_phone", PHONE)
    phone.fill("#id_address", "泉港区前黄镇 1 号")
    phone.fill("#id_description", "2025年前黄镇农村公路养护资金的分配情况")
    phone.check("input[name=requested_form][value=electronic]")
    phone.check("input[name=delivery][value=online]")
    phone.set_input_files("#id_proof", str(proof))
    phone.fill("#id_captcha_answer", solve_captcha(phone))
    phone.click("main button[type=submit]")
    phone.wait_for_load_state()
    assert phone.locator("h1").inner_text() == "申请已提交", phone.content()
    number = phone.locator(".number").inner_text()
    assert "3505**********1234" in phone.content() and ID_NUMBER not in phone.content()
    shot(phone, "receipt-390")
    with phone.expect_download() as pdf_info:
        phone.click("text=下载申请书（PDF）")
    assert Path(pdf_info.value.path()).read_bytes().startswith(b"%PDF")
    submission = OnlineSubmission.objects.get()
    assert submission.application is None

    # The clerk confirms receipt and sends a 补正 notice.
    clerk = login("jingban")
    clerk.click("#nav-online")
    clerk.wait_for_load_state()
    shot(clerk, "staff-pending-desktop")
    clerk.click("text=核对并确认收到")
    clerk.wait_for_load_state()
    clerk.click("#confirm-online button[type=submit]")
    clerk.wait_for_load_state()
    submission.refresh_from_db()
    application = Application.objects.get(pk=submission.application_id)
    assert clerk.url.endswith(f"/cases/{application.pk}/")
    take_step(
        clerk,
        "correction",
        {"items": "请写明具体的村道名称", "supplement_deadline": "2026-01-09", "on": "2025-12-19"},
    )
    clerk.click('#letters form.letter-send[data-kind="correction"] button[type=submit]')
    clerk.wait_for_load_state()
    assert "已发送并存档" in clerk.locator(".messages .success").inner_text()

    # The citizen looks the case up and answers online.
    phone.goto(f"{site}/public/track/")
    phone.fill("#id_number", number.lower())
    phone.fill("#id_factor", PHONE[-4:])
    phone.click("main button[type=submit]")
    phone.wait_for_load_state()
    assert "等待申请人补正" in phone.content() or "在线补正" in phone.content()
    assert "补正告知书" in phone.locator("#letters").inner_text()
    shot(phone, "track-correction-390")
    phone.fill("#id_text", "村道名称：前黄镇坑北村道")
    phone.set_input_files("#id_file", str(answer))
    phone.click("text=提交补正")
    phone.wait_for_load_state()
    assert "补正已提交" in phone.content(), phone.locator(".error").all_inner_texts()
    application.refresh_from_db()
    assert application.events.filter(kind=EventKind.SUPPLEMENT_RECEIVED).count() == 1

    # The clerk decides and replies, and sends the reply letter.
    clerk.reload()
    take_step(clerk, "decide", {"legal_basis": "《条例》第二十七条"}, {"result": "disclosed"})
    take_step(clerk, "reply", {}, {"delivery": "online"})
    clerk.click('#letters form.letter-send[data-kind="reply.disclosed"] button[type=submit]')
    clerk.wait_for_load_state()
    assert "已发送并存档" in clerk.locator(".messages .success").inner_text()

    # The citizen downloads the reply (desktop width this time).
    desktop = browser.new_page(viewport=DESKTOP_SIZE, locale="zh-CN")
    desktop.goto(f"{site}/public/track/")
    desktop.fill("#id_number", number)
    desktop.fill("#id_factor", ID_NUMBER[-4:])
    desktop.click("main button[type=submit]")
    desktop.wait_for_load_state()
    assert "答复书" in desktop.locator("#letters").inner_text()
    assert RESULT_PLAIN_LABELS[T3_DISCLOSED] in desktop.locator("#decision").inner_text()
    shot(desktop, "track-replied-desktop")
    with desktop.expect_download() as letter_info:
        desktop.locator("#letters li", has_text="答复书").locator("text=下载 PDF").click()
    assert Path(letter_info.value.path()).read_bytes().startswith(b"%PDF")

    # An outsider with the right number and a wrong factor sees nothing.
    outsider = browser.new_page(viewport=PHONE_SIZE, locale="zh-CN")
    outsider.goto(f"{site}/public/track/")
    outsider.fill("#id_number", number)
    outsider.fill("#id_factor", "0000")
    outsider.click("main button[type=submit]")
    outsider.wait_for_load_state()
    assert "未找到对应的申请" in outsider.locator(".error").inner_text()
    assert "浏览器申请人" not in outsider.content()
    shot(outsider, "track-refused-390")
    outsider.goto(f"{site}/public/track/{submission.public_number}/")
    assert "浏览器申请人" not in outsider.content()

    desktop.goto(f"{site}/public/apply/")
    shot(desktop, "apply-desktop")


def test_a_citizen_reads_reasons_the_office_added_afterwards(
    site: str,  # noqa: F811
    browser: Any,
) -> None:
    # A 部分公开 reply went out on paper; its reasons are typed in later (补录答复理由).
    clerk = Membership.objects.select_related("user", "unit").get(user__username="jingban")
    submission = application_submit_online(
        unit=clerk.unit,
        form_token="browser-reasons-later",
        client_address="192.0.2.77",
        applicant_type="natural_person",
        applicant_name="补录理由申请人",
        id_document_type="resident_id",
        id_document_number=ID_NUMBER,
        phone=PHONE,
        description="前黄镇2025年道路维修合同",
        requested_form="electronic",
        delivery="post",
        proof=Upload(name="id.png", data=PNG, kind="identity"),
    )
    user = clerk.user
    application = application_confirm_online(
        acting_user=user, submission_id=submission.pk, confirmed_on=TODAY
    )

    def version() -> int:
        return Application.objects.get(pk=application.pk).version

    services.application_decide(
        acting_user=user,
        application_id=application.pk,
        expected_version=version(),
        result=T3_PARTLY_DISCLOSED,
        legal_basis=default_legal_basis(T3_PARTLY_DISCLOSED),
        on=TODAY,
    )
    services.application_send_reply(
        acting_user=user,
        application_id=application.pk,
        expected_version=version(),
        delivery="post",
        note="纸质答复，理由待补录",
        on=TODAY,
    )
    part = "合同附件中施工单位的报价明细"
    services.application_add_reasons(
        acting_user=user,
        application_id=application.pk,
        expected_version=version(),
        withheld_part=part,
        withheld_ground=T3_WITHHELD_THIRD_PARTY,
        facts="报价明细属于施工单位的商业秘密，施工单位不同意公开",
    )

    # The citizen looks the case up on a phone and reads the reasons.
    phone = browser.new_page(viewport=PHONE_SIZE, locale="zh-CN")
    phone.goto(f"{site}/public/track/")
    phone.fill("#id_number", format_public_number(submission.public_number))
    phone.fill("#id_factor", ID_NUMBER[-4:])
    phone.click("main button[type=submit]")
    phone.wait_for_load_state()
    decision = phone.locator("#decision")
    assert decision.is_visible(), phone.content()
    text = decision.inner_text()
    assert RESULT_PLAIN_LABELS[T3_PARTLY_DISCLOSED] in text and part in text
    assert RESULT_PLAIN_LABELS[T3_WITHHELD_THIRD_PARTY] in text and "商业秘密" in text
    assert "理由待补录" not in phone.content()
    # The table fits the phone's width: nothing to scroll sideways.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_SIZE["width"]
    shot(phone, "track-reasons-added-390")
