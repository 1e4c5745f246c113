"""The public disclosure guide (政府信息公开指南): generated from the unit's record and the law."""

from __future__ import annotations

from django.test import Client

from gongkai.core import law
from tests.web import conftest as web
from tests.web.conftest import World

# The web tests' units (no conftest here: the online-application tests share this folder).
world = web.world


def guide(client: Client, world: World) -> str:
    response = client.get(f"/public/guide/{world.township.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_guide_prints_the_units_contact_details(client: Client, world: World) -> None:
    unit = world.township
    unit.address = "泉港区山腰街道盐场路 8 号"
    unit.office_hours = "周一至周五 8:00–12:00，14:30–17:30"
    unit.phone = "0595-87000000"
    unit.email = "gk@example.gov.cn"
    unit.save()
    html = guide(client, world)
    assert "泉港区山腰街道办事处政府信息公开指南" in html
    for value in ("泉港区山腰街道盐场路 8 号", "8:00–12:00", "0595-87000000", "gk@example.gov.cn"):
        assert value in html
    assert "尚未填写" not in html


def test_a_unit_without_contact_details_says_so(client: Client, world: World) -> None:
    html = guide(client, world)
    assert "（本单位尚未填写，请电话咨询）" in html


def test_periods_fees_and_remedies_come_from_the_law(client: Client, world: World) -> None:
    html = guide(client, world)
    reply = law.REPLY_PERIOD
    assert f"{reply.working_days} 个工作日内答复（{reply.article}）" in html
    assert f"最长不超过 {law.EXTENSION_MAX.working_days} 个工作日" in html
    assert f"累计申请 {law.PER_REQUEST_FREE} 件以下（含）不收费" in html
    *paid, last = law.PER_PAGE_BANDS
    for band in paid:
        price = "免费" if band.yuan == 0 else f"每页{band.yuan:g}元"
        assert f"{band.first}–{band.last}页：{price}" in html
    assert f"{last.first}页及以上：每页{last.yuan:g}元" in html
    assert f"{law.RECONSIDERATION_PERIOD_DAYS} 日内" in html
    assert f"{law.LITIGATION_PERIOD_MONTHS} 个月内" in html
    assert law.FEE_ARTICLE in html


def test_the_guide_links_the_online_application_and_needs_no_login(
    client: Client, world: World
) -> None:
    html = guide(client, world)
    assert 'id="channels"' in html and "/public/apply" in html
    assert "当面申请" in html and "信函申请" in html and "网上申请" in html
    assert 'href="/reports/' not in html  # nothing of the staff side
