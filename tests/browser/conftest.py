"""What every browser test shares: Debian's Chromium driven by Playwright, never a browser
download; as root it needs --no-sandbox, and this machine's closed network wants no background
connections. And what the tests of the live staff site share, written once: their marks, the
demo district served on a pinned day, logging in, and screenshots for a person to look at."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from gongkai import demo
from gongkai.agencies.models import Role
from gongkai.agencies.services import member_create, unit_create
from tests.web.conftest import TodayIs, today_is  # noqa: F401 (a fixture of demo_site)

CHROMIUM = Path("/usr/bin/chromium")
SCREENS = Path("/tmp/gongkai-screens")
VIEWPORT = {"width": 1366, "height": 900}

# The marks of a test against the live site (``pytestmark = LIVE_SITE``): skipped without
# Chromium, slow, and on a database the live server's threads see (committed, not a
# rolled-back transaction).
LIVE_SITE = [
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="/usr/bin/chromium 未安装（scripts/setup 会安装）"
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
]

DemoSite = Callable[[dt.date], str]
Login = Callable[..., Any]


@pytest.fixture
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def demo_site(
    live_server: Any,
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
    tmp_path: Path,
    today_is: TodayIs,  # noqa: F811
) -> DemoSite:
    """``demo_site(day)``: the demo district built on ``day``, every source of "today" moved to
    it (:func:`tests.web.conftest.today_is`), served by the live server; its URL.

    Passwords are hashed cheaply (the demo's accounts are many), uploads go to the test's own
    folder, and the ORM calls in a test body are allowed beside Playwright's event loop."""

    def build(day: dt.date) -> str:
        today_is(day)
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        settings.MEDIA_ROOT = str(tmp_path / "media")
        demo.populate(today=day)
        # Playwright's sync API runs an event loop in this thread; the ORM calls in the test
        # body are ordinary blocking checks, which Django would otherwise refuse under it.
        monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        return str(live_server.url)

    return build


@pytest.fixture
def login(browser: Any, site: str) -> Login:
    """``login(username, password=demo.DEMO_PASSWORD, **page)``: a new page of the test's
    ``site`` (a desktop's unless ``page`` says otherwise) logged in as ``username``."""

    def log_in(username: str, password: str = demo.DEMO_PASSWORD, **options: Any) -> Any:
        page = browser.new_page(**{"viewport": VIEWPORT, "locale": "zh-CN", **options})
        page.goto(f"{site}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        return page

    return log_in


def shot(page: Any, name: str) -> None:
    """A full-page screenshot in /tmp/gongkai-screens, for a person to look at."""
    SCREENS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


EVALUATOR_PASSWORD = "评估-browser-2025"


def evaluator_site(live_server: Any, monkeypatch: pytest.MonkeyPatch, settings: Any) -> str:
    """The live site with one evaluator (「pinggu」, of 淮安市政府办), for the workspace's
    tests: their ``site`` fixture returns this."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    office = unit_create(name="淮安市人民政府", short_name="淮安市政府办", kind="government")
    member_create(
        username="pinggu",
        password=EVALUATOR_PASSWORD,
        unit=office,
        role=Role.EVALUATOR,
        full_name="赵评估",
    )
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    return str(live_server.url)


def upload_batch(page: Any, files: Any, *, title: str = "", audit: bool = True) -> str:
    """On the workspace's start page, upload ``files`` (paths, or Playwright's payloads of name,
    type and bytes) as one batch, titled ``title`` if given, and wait for the batch's page; its
    message is returned. Unless told not to, do what the worker does then (audit every pending
    report, here in the test) and reload the page with the results."""
    if title:
        page.fill("#id_title", title)
    page.set_input_files("#id_files", files)
    page.click("#upload button[type=submit]")
    page.wait_for_load_state()
    said = str(page.locator(".messages .success").inner_text())
    if audit:
        audit_pending()
        page.reload()
        page.wait_for_load_state()
    return said


def audit_pending() -> None:
    """The workspace's worker, run in the test until no report is pending."""
    from gongkai.evaluations import services

    while services.audit_pending():
        pass
