"""Every form a person can reach, walked with boundary dates and values: never a 500.

The walker opens each page as the people who use it (clerk, head, administrator), reads every
``<form method="post">`` and every search form from the HTML as a browser would, and submits
it once per boundary value in each date, number and text field in turn, the other fields as the
page filled them. Before: a registration dated 0001-01-01 was a 500 (the duplicate search's
date arithmetic overflowed).
"""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.agencies import pages
from gongkai.agencies.models import Role
from gongkai.applications import services as s
from gongkai.applications.models import Application

from . import conftest
from .conftest import World

TODAY = dt.date(2025, 6, 18)

BOUNDARY_DATES = [
    "0001-01-01",
    "1900-01-01",
    "1970-01-01",
    "2025-02-29",
    "2100-12-31",
    "9999-12-31",
    "10000-01-01",
    "-2025-01-01",
    "2025-13-01",
    "２０２５-０６-１８",
]
BOUNDARY_NUMBERS = ["-1", "0", "2147483648", "9" * 40, "1e400", "NaN", "1.5", "０"]
BOUNDARY_TEXTS = ["", " ", "x" * 20000, "<script>alert(1)</script>", "\x00", "' OR 1=1 --"]


class Forms(HTMLParser):
    """The forms of a page: action, method and the fields with the values the page set."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(
                {"action": a.get("action", ""), "method": a.get("method", "get"), "fields": {}}
            )
        elif not self.forms:
            return
        fields = self.forms[-1]["fields"] if self.forms else {}
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                fields.setdefault(a["name"], ("choice", ""))
                return
            fields[a["name"]] = (a.get("type", "text"), a.get("value", ""))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            fields[a["name"]] = ("select", "")
        elif tag == "option" and self._select:
            kind, value = fields[self._select]
            if "selected" in a or (not value and a.get("value")):
                fields[self._select] = (kind, a.get("value", ""))
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            fields[a["name"]] = ("textarea", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] = ("textarea", data)


def forms_of(html: str) -> list[dict[str, Any]]:
    parser = Forms()
    parser.feed(html)
    return parser.forms


def values_for(kind: str, name: str) -> list[str]:
    if kind == "date" or name.endswith(("_on", "_date")):
        return BOUNDARY_DATES
    if kind == "number" or name in ("year", "days", "amount", "pages", "header_row", "page"):
        return BOUNDARY_NUMBERS
    if kind in ("text", "textarea", "search", "email", "tel"):
        return BOUNDARY_TEXTS
    return []


@pytest.fixture(autouse=True)
def pinned(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    monkeypatch.setattr(s, "_today", lambda: TODAY)
    monkeypatch.setattr(pages, "today", lambda: TODAY)


def walk(client: Client, url: str) -> tuple[int, list[str]]:
    """Submit every form on ``url`` with every boundary value; the submissions that were 500."""
    page = client.get(url)
    assert page.status_code == 200, url
    failures: list[str] = []
    submitted = 0
    for form in forms_of(page.content.decode()):
        action = form["action"] or url
        base = {name: value for name, (_, value) in form["fields"].items()}
        for name, (kind, _) in form["fields"].items():
            if name in ("csrfmiddlewaretoken", "version", "token") or name.endswith("-version"):
                continue
            for value in values_for(kind, name):
                data = {**base, name: value}
                if form["method"].lower() == "post":
                    response = client.post(action, data)
                else:
                    response = client.get(action, data)
                submitted += 1
                if response.status_code >= 500:
                    failures.append(f"{action} {name}={value[:30]!r}: {response.status_code}")
                # A successful step changes the version: read the form afresh for the next.
                if response.status_code == 302 and form["method"].lower() == "post":
                    fresh = forms_of(client.get(url).content.decode())
                    match = [f for f in fresh if f["action"] == form["action"]]
                    if match:
                        base = {n: v for n, (_, v) in match[0]["fields"].items()}
    return submitted, failures


def client_for(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_the_clerks_forms_never_answer_500(world: World, clerk: Any) -> None:
    open_case = conftest.register(clerk, world.district, submitted_on=dt.date(2025, 6, 3))
    client = client_for(clerk)
    urls = [
        reverse("applications:register"),
        reverse("applications:my_cases"),
        reverse("applications:search"),
        reverse("applications:import"),
        reverse("applications:dashboard", args=[world.district.pk]),
        reverse("applications:case", args=[open_case.pk]),
        reverse("remedies:list"),
        reverse("web:password_change"),
    ]
    total = 0
    failures: list[str] = []
    for url in urls:
        submitted, failed = walk(client, url)
        total += submitted
        failures += failed
    assert failures == []
    assert total > 200  # the walker really found the forms


def test_a_decided_case_and_its_remedy_forms_never_answer_500(world: World, head: Any) -> None:
    case = conftest.register(head, world.district, submitted_on=dt.date(2025, 6, 3))
    decided = s.application_decide(
        acting_user=head,
        application_id=case.pk,
        expected_version=case.version,
        result="disclosed",
        legal_basis="第二十七条",
        on=dt.date(2025, 6, 10),
    )
    assert isinstance(decided, Application)
    failures: list[str] = []
    submitted, failed = walk(client_for(head), reverse("applications:case", args=[case.pk]))
    failures += failed
    assert failures == []
    assert submitted > 20


def test_the_administrators_forms_never_answer_500(world: World) -> None:
    admin = world.member(Role.ADMIN)
    client = client_for(admin)
    failures: list[str] = []
    for url in (
        reverse("calendars:enter"),
        reverse("letters:templates"),
        reverse("agencies:members"),
    ):
        failures += walk(client, url)[1]
    assert failures == []


def test_a_registration_dated_0001_01_01_is_explained_not_a_500(world: World, clerk: Any) -> None:
    response = client_for(clerk).post(
        reverse("applications:register"),
        {
            "unit": world.district.pk,
            "channel": "in_person",
            "submitted_on": "0001-01-01",
            "applicant_type": "natural_person",
            "applicant_name": "张三",
            "id_document_type": "resident_id",
            "id_document_number": "350505199001011234",
            "description": "道路改造工程立项批复",
            "requested_form": "paper",
            "delivery": "post",
        },
    )
    assert response.status_code == 400
    assert Application.objects.count() == 0
