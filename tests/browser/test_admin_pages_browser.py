"""系统管理 in headless Chromium: the district's administrator and a township's, by clicks only.

The district's 系统管理员 (guanli) builds a small subtree, renames a unit, moves the subtree under
a township, creates that township's own administrator and a clerk, and resets the clerk's
password. Both new people log in with the one-time password and are sent to 修改密码 before
anything else. The township's administrator then manages only the township: another unit's
accounts are refused with the Chinese message. Every change is in 管理记录.

Screenshots: /tmp/gongkai-screens/admin-*.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from gongkai.agencies.gatekeeper import MEMBER_NOT_FOUND
from gongkai.agencies.models import AdminEvent, Membership, Unit
from gongkai.agencies.views_admin import NOT_ADMIN
from tests.browser.conftest import LIVE_SITE, DemoSite, Login, shot

TODAY = dt.date(2026, 12, 9)
TOWNSHIP = "泉港区山腰街道办事处"
ONE_TIME = "Linshi-2026-mima"
OWN = "Ziji-Xuanze-2026!"

pytestmark = LIVE_SITE


@pytest.fixture
def site(demo_site: DemoSite) -> str:
    return demo_site(TODAY)


def option_value(page: Any, select: str, label: str) -> str:
    """The value of the option of ``select`` whose text, stripped of indentation, is ``label``."""
    for option in page.locator(f"{select} option").all():
        if option.inner_text().strip().strip("　").strip() == label:
            return str(option.get_attribute("value"))
    raise AssertionError(f"{label} not among {page.locator(select).inner_text()}")


def submit(page: Any, form: str) -> None:
    page.locator(f"{form} button[type=submit]").first.click()
    page.wait_for_load_state()


def create_unit(page: Any, site: str, *, parent: str, name: str, short: str) -> None:
    page.goto(f"{site}/accounts/admin/units/")
    page.select_option("#id_new-parent", option_value(page, "#id_new-parent", parent))
    page.fill("#id_new-name", name)
    page.fill("#id_new-short_name", short)
    page.select_option("#id_new-kind", index=0)
    submit(page, "#unit-new")
    assert f"已新建单位“{name}”" in page.locator("body").inner_text(), page.content()


def create_member(page: Any, site: str, *, username: str, unit: str, role: str) -> None:
    page.goto(f"{site}/accounts/new/")
    page.fill("#id_username", username)
    page.fill("#id_full_name", f"{username}本人")
    page.select_option("#id_unit", option_value(page, "#id_unit", unit))
    page.select_option("#id_role", label=role)
    page.fill("#id_new_password1", ONE_TIME)
    page.fill("#id_new_password2", ONE_TIME)
    submit(page, "main form")
    assert f"已新建账号“{username}”" in page.locator("body").inner_text(), page.content()


def first_login(browser: Any, site: str, username: str, password: str) -> Any:
    """Log in with an administrator's password: every page leads to 修改密码 until changed."""
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page.goto(f"{site}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/password/"), page.url
    assert "只能使用一次" in page.locator("body").inner_text()
    page.goto(f"{site}/")
    assert page.url.endswith("/password/"), page.url
    shot(page, f"admin-forced-change-{username}")
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", OWN)
    page.fill("#id_new_password2", OWN)
    submit(page, "main form")
    assert "密码已修改" in page.locator("body").inner_text(), page.content()
    page.goto(f"{site}/")
    assert not page.url.endswith("/password/")
    return page


def test_district_and_township_administrators(site: str, browser: Any, login: Login) -> None:
    page = login("guanli")
    page.click("nav >> text=系统管理")
    page.wait_for_load_state()
    links = page.locator("#admin-links").inner_text()
    for name in ("单位和层级", "人员账号", "工作日历", "告知书模板和版头", "部署设置", "管理记录"):
        assert name in links
    shot(page, "admin-home-district")

    # Units: a subtree under the district office, renamed, then moved under the township.
    root = "泉州市泉港区人民政府办公室"
    create_unit(page, site, parent=root, name="区数据中心", short="数据中心")
    create_unit(page, site, parent="区数据中心", name="区数据中心网络科", short="网络科")
    centre = Unit.objects.get(name="区数据中心")
    page.goto(f"{site}/accounts/admin/units/{centre.pk}/")
    page.fill("#id_name", "山腰街道数据中心")
    page.fill("#id_short_name", "山腰数据")
    submit(page, "#unit-form")
    assert "单位信息已保存" in page.locator("body").inner_text()
    page.goto(f"{site}/accounts/admin/units/{centre.pk}/")
    page.select_option("#id_parent", option_value(page, "#id_parent", TOWNSHIP))
    submit(page, "#move-form")
    assert "已调整“山腰街道数据中心”的上级单位" in page.locator("body").inner_text()
    township = Unit.objects.get(name=TOWNSHIP)
    child = Unit.objects.get(name="区数据中心网络科")
    assert Unit.objects.get(pk=centre.pk).parent_id == township.pk
    assert child.path.startswith(Unit.objects.get(pk=centre.pk).path)  # the subtree moved
    units = page.locator("#units").inner_text()
    assert "山腰街道数据中心" in units and "区数据中心网络科" in units
    shot(page, "admin-units-district")

    # Accounts: the township's own administrator and a clerk; the clerk's password reset.
    create_member(page, site, username="shanyao_guanli", unit=TOWNSHIP, role="系统管理员")
    create_member(page, site, username="shanyao_jingban", unit=TOWNSHIP, role="经办人")
    shot(page, "admin-members-district")
    clerk = Membership.objects.get(user__username="shanyao_jingban")
    page.goto(f"{site}/accounts/{clerk.pk}/password/")
    page.fill("#id_new_password1", "Chongzhi-2026-mima")
    page.fill("#id_new_password2", "Chongzhi-2026-mima")
    submit(page, "main form")
    assert "一次性密码" in page.locator("body").inner_text()

    # The other administration pages open from the home page's links.
    page.goto(f"{site}/accounts/admin/")
    page.click("#admin-links >> text=工作日历")
    page.wait_for_load_state()
    assert page.url.endswith("/calendar/")
    assert "工作日历" in page.locator("h1").inner_text()
    page.goto(f"{site}/accounts/admin/")
    page.click("#admin-links >> text=告知书模板和版头")
    page.wait_for_load_state()
    assert "/letters/templates/" in page.url
    shot(page, "admin-templates")
    page.goto(f"{site}/accounts/admin/")
    page.click("#admin-links >> text=部署设置")
    page.wait_for_load_state()
    deployment = page.locator("main").inner_text()
    assert "数据库" in deployment and connection.vendor in deployment and "时区" in deployment
    assert "SECRET" not in deployment.upper()
    shot(page, "admin-deployment")

    # The clerk's first login with the reset password: 修改密码 first.
    first_login(browser, site, "shanyao_jingban", "Chongzhi-2026-mima")

    # The township's administrator: sees only the township's subtree and its people.
    township_page = first_login(browser, site, "shanyao_guanli", ONE_TIME)
    township_page.goto(f"{site}/accounts/admin/units/")
    names = [
        cell.strip().strip("　")
        for cell in township_page.locator("#units tbody td:first-child").all_inner_texts()
    ]
    assert names == [TOWNSHIP, "山腰街道数据中心", "区数据中心网络科"], names
    create_unit(township_page, site, parent=TOWNSHIP, name="山腰街道综合科", short="综合科")
    shot(township_page, "admin-units-township")
    township_page.goto(f"{site}/accounts/")
    usernames = set(township_page.locator("#members tbody td:first-child").all_inner_texts())
    expected = Membership.objects.filter(unit__path__startswith=township.path)
    assert usernames == set(expected.values_list("user__username", flat=True)), usernames
    assert {"shanyao_jingban", "shanyao_guanli"} <= usernames
    assert not usernames & {"jingban", "fuzeren", "guanli"}
    shot(township_page, "admin-members-township")

    # Another unit's account: refused, in Chinese, for the password and the role alike.
    district_clerk = Membership.objects.get(user__username="jingban")
    for url in (
        f"/accounts/{district_clerk.pk}/password/",
        f"/accounts/{district_clerk.pk}/edit/",
    ):
        response = township_page.goto(f"{site}{url}")
        assert response.status == 404
        refusal = MEMBER_NOT_FOUND.format(id=district_clerk.pk)
        assert refusal in township_page.locator("main").inner_text()
    shot(township_page, "admin-refused")
    before = get_user_model().objects.get(username="jingban").password
    township_page.goto(f"{site}/accounts/admin/units/{Unit.objects.get(name=root).pk}/")
    assert "修改“" not in township_page.locator("main").inner_text()
    assert get_user_model().objects.get(username="jingban").password == before

    # 管理记录: each change, by whom. The township's administrator sees the township's.
    page.goto(f"{site}/accounts/admin/history/")
    history = page.locator("#admin-history").inner_text()
    shot(page, "admin-history-district")
    for what in ("区数据中心", "山腰街道数据中心", "shanyao_guanli", "shanyao_jingban"):
        assert what in history, what
    assert AdminEvent.objects.count() >= 7
    kinds = set(AdminEvent.objects.values_list("kind", flat=True))
    assert len(kinds) >= 4, kinds
    township_page.goto(f"{site}/accounts/admin/history/")
    own = township_page.locator("#admin-history").inner_text()
    assert "山腰街道综合科" in own
    assert "区数据中心网络科" not in own or "shanyao_guanli" in own

    # A clerk has no 系统管理 at all.
    clerk_page = login("jingban")
    clerk_page.goto(f"{site}/accounts/admin/")
    assert NOT_ADMIN in clerk_page.locator("main").inner_text()
