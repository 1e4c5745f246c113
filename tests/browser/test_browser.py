"""The staff site in headless Chromium (Debian's, never a downloaded one), against a live server.

A clerk logs in, registers an application and takes it through 补正 → supplement → extension
(approved by the head) → decision → reply, using only what a person can click and type; a
screenshot of each main page lands in /tmp/gongkai-screens for a human to look at. The data is
the demo district with "today" pinned to Friday 2025-12-19.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import docx
import pytest
from openpyxl import Workbook

from gongkai import demo
from gongkai.agencies import pages
from gongkai.applications import services as s
from gongkai.applications.exports import XLSX_CONTENT_TYPE as XLSX_TYPE
from gongkai.applications.models import Application, EventKind
from gongkai.core import law
from tests.browser.conftest import LIVE_SITE, Login, shot
from tests.web import samples

PNG = samples.png()
TODAY = dt.date(2025, 12, 19)

pytestmark = LIVE_SITE


@pytest.fixture
def site(live_server: Any, monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> str:
    monkeypatch.setattr(s, "_today", lambda: TODAY)
    monkeypatch.setattr(pages, "today", lambda: TODAY)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    demo.populate(today=TODAY)
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the test body
    # are ordinary blocking checks, which Django would otherwise refuse under a running loop.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    return str(live_server.url)


def small_ledger() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["申请人姓名", "身份证号码", "申请人类型", "申请方式", "收到日期", "申请公开内容"])
    sheet.append(
        ["台账导入人", "350505199303031234", "自然人", "当面", "2025-12-01", "垃圾分类方案"]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def take_step(
    page: Any, step: str, fields: dict[str, str], selects: dict[str, str] | None = None
) -> None:
    page.click(f"#step-{step} > summary")
    for name, value in fields.items():
        page.fill(f"#id_{step}-{name}", value)
    for name, value in (selects or {}).items():
        page.select_option(f"#id_{step}-{name}", value)
    page.click(f"#step-{step} button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".messages .success").count() == 1, page.content()


def test_a_clerk_takes_a_case_from_registration_to_reply(
    site: str, browser: Any, login: Login
) -> None:
    login_page = browser.new_page(viewport={"width": 1366, "height": 900})
    login_page.goto(f"{site}/login/")
    shot(login_page, "login")
    login_page.fill("#id_username", "jingban")
    login_page.fill("#id_password", "wrong")
    login_page.click("main button[type=submit]")
    login_page.wait_for_load_state()
    assert "用户名或密码不正确" in login_page.locator(".error").inner_text()

    page = login("jingban")
    assert page.locator("h1").inner_text() == "我的案件"
    assert page.locator("tr.overdue").count() >= 1
    assert "已超期" in page.locator("tr.overdue").first.inner_text()
    shot(page, "my_cases")

    page.click("text=单位工作台")
    assert "单位工作台" in page.locator("h1").inner_text()
    shot(page, "dashboard")

    page.click("header >> text=登记申请")
    shot(page, "register")
    page.select_option("#id_channel", "in_person")
    page.fill("#id_submitted_on", "2025-12-01")
    page.select_option("#id_applicant_type", "natural_person")
    page.fill("#id_applicant_name", "浏览器测试人")
    page.fill("#id_id_document_number", "350505199001011234")
    page.fill("#id_description", "泉港区2024年度道路建设项目竣工验收报告")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    app = Application.objects.get(applicant_name="浏览器测试人")
    assert page.url.endswith(f"/cases/{app.pk}/")

    take_step(
        page,
        "correction",
        {"items": "请写明道路名称", "supplement_deadline": "2025-12-12", "on": "2025-12-02"},
    )
    take_step(page, "supplement", {"on": "2025-12-04"})
    take_step(page, "extension", {"working_days": "10", "reason": "需调取竣工档案"})
    assert "待负责人审批" in page.content()
    shot(page, "case_pending_extension")

    head = login("fuzeren")
    head.goto(f"{site}/cases/{app.pk}/")
    take_step(head, "extension_approve", {})

    page.reload()
    take_step(
        page,
        "decide",
        {"legal_basis": "《条例》第二十七条"},
        {"result": "disclosed"},
    )
    take_step(page, "reply", {}, {"delivery": "post"})
    assert "本案已办结" in page.content()
    shot(page, "case")

    kinds = list(app.events.order_by("id").values_list("kind", flat=True))
    assert kinds == [
        EventKind.RECEIVED,
        EventKind.CORRECTION_REQUESTED,
        EventKind.SUPPLEMENT_RECEIVED,
        EventKind.EXTENSION_REQUESTED,
        EventKind.EXTENSION_APPROVED,
        EventKind.DECIDED,
        EventKind.REPLY_SENT,
    ]

    # The reply letter: 发送并存档, then download the archived Word file and read it.
    page.click('#letters form.letter-send[data-kind="reply.disclosed"] button[type=submit]')
    page.wait_for_load_state()
    assert "已发送并存档" in page.locator(".messages .success").inner_text()
    with page.expect_download() as download_info:
        page.click("#letters ol.history >> text=Word")
    download = download_info.value
    assert download.suggested_filename == f"{app.tracking_number}-答复书（予以公开）-20251219.docx"
    letter = docx.Document(download.path())
    text = "\n".join(p.text for p in letter.paragraphs)
    assert "浏览器测试人" in text
    assert app.tracking_number in text
    assert "《中华人民共和国政府信息公开条例》第二十七条" in text
    assert f"自收到本答复之日起{law.RECONSIDERATION_PERIOD_DAYS}日内" in text
    assert f"{law.LITIGATION_PERIOD_MONTHS}个月内" in text

    # An identity proof attached on the case page, and a reconsideration registered.
    page.set_input_files(
        "#id_attachment-upload",
        files=[{"name": "身份证.png", "mimeType": "image/png", "buffer": PNG}],
    )
    page.click("#attachments button[type=submit]")
    page.wait_for_load_state()
    assert "已上传附件：身份证.png" in page.locator(".messages .success").inner_text()
    page.click("#remedy-register > summary")
    page.fill("#id_remedy-authority", "泉州市泉港区人民政府")
    page.fill("#id_remedy-filed_on", "2025-12-19")
    page.click("#remedy-register button[type=submit]")
    page.wait_for_load_state()
    assert "已登记行政复议" in page.locator(".messages .success").inner_text()
    shot(page, "case_letters_remedies_attachments")
    kinds = list(app.events.order_by("id").values_list("kind", flat=True))
    assert kinds[-3:] == [
        EventKind.LETTER_SENT,
        EventKind.ATTACHMENT_ADDED,
        EventKind.REMEDY_REGISTERED,
    ]
    page.click("text=单位工作台")
    assert "按年度报告表四" in page.content()
    shot(page, "dashboard_table4")
    page.goto(f"{site}/remedies/")
    shot(page, "remedies")

    # A ledger imported through the preview and mapping page.
    page.click("header >> text=导入台账")
    page.set_input_files(
        "#id_file",
        files=[{"name": "台账.xlsx", "mimeType": XLSX_TYPE, "buffer": small_ledger()}],
    )
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "表头在第 1 行" in page.content()
    shot(page, "import_preview")
    page.click("text=全部导入")
    page.wait_for_load_state()
    assert "已导入 1 件申请" in page.locator("h1").inner_text()
    shot(page, "import_done")

    # The head's template editor: preview a changed template.
    head.goto(f"{site}/")
    head.click("header >> text=告知书模板")
    shot(head, "templates")
    head.click("tr:has-text('补正告知书') >> text=编辑")
    body = head.input_value("#id_body")
    head.fill("#id_body", body.replace("请您于", "请您务必于"))
    head.click("button[value=preview]")
    head.wait_for_load_state()
    assert "请您务必于" in head.locator("#preview").inner_text()
    shot(head, "template_edit")

    supervisor = login("huizong")
    assert "各单位办理情况" in supervisor.locator("h1").inner_text()
    shot(supervisor, "overview")
    supervisor.goto(f"{site}/cases/search/?status=open")
    shot(supervisor, "search")


PHONE = {"width": 390, "height": 844}


def overflow(page: Any) -> list[str]:
    """What sticks out to the right of a phone's screen: the page's width and the widest
    elements, so a failure says what to fix."""
    return page.evaluate(
        """() => {
        const width = document.documentElement.clientWidth;
        const out = [];
        if (document.documentElement.scrollWidth > width) {
            out.push('page ' + document.documentElement.scrollWidth + 'px');
        }
        for (const el of document.querySelectorAll('main *, header *')) {
            const r = el.getBoundingClientRect();
            if (r.right > width + 1 && !el.closest('.table-wrap')) {
                out.push(el.tagName.toLowerCase() + '.' + el.className + ' ' + Math.round(r.right));
            }
        }
        return out.slice(0, 10);
    }"""
    )


def test_the_case_page_dashboard_and_my_cases_fit_a_phone(site: str, login: Login) -> None:
    """Before: the case page was 434–587 px wide on a 390 px screen, the dashboard 427 px, and
    我的案件's deadline columns were off-screen. Screenshots: /tmp/gongkai-screens/phone_*.png."""
    page = login("jingban", viewport=PHONE, device_scale_factor=1)
    assert page.locator("h1").inner_text() == "我的案件"
    assert overflow(page) == []
    # The deadline is visible without scrolling sideways.
    days_left = page.locator("table.list tbody tr").first.locator("td").last
    assert "工作日" in days_left.inner_text() or "补正" in days_left.inner_text()
    box = days_left.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    shot(page, "phone_my_cases")

    member = page.locator("header .who")
    assert member.is_visible()
    page.goto(f"{site}/")
    page.click("text=单位工作台")
    page.wait_for_load_state()
    assert overflow(page) == []
    shot(page, "phone_dashboard")

    cases = Application.objects.filter(unit__memberships__user__username="jingban")
    open_case = cases.filter(closed_on=None).first()
    decided = cases.exclude(closed_on=None).first()
    for name, app in (("phone_case_open", open_case), ("phone_case_decided", decided)):
        assert app is not None
        page.goto(f"{site}/cases/{app.pk}/")
        for summary in page.locator("details.step > summary").all()[:3]:
            summary.click()
        assert overflow(page) == [], name
        shot(page, name)
