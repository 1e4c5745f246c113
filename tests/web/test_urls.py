"""The URLs and their names stay what they were when the case page moved to ``gongkai.web``."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import resolve, reverse

ROUTES: list[tuple[str, list[Any], str, str]] = [
    ("applications:my_cases", [], "/cases/", "gongkai.applications.views"),
    ("applications:search", [], "/cases/search/", "gongkai.applications.views"),
    ("applications:register", [], "/cases/new/", "gongkai.applications.views"),
    ("applications:import", [], "/cases/import/", "gongkai.applications.views_import"),
    ("applications:overview", [], "/cases/overview/", "gongkai.applications.views"),
    ("applications:dashboard", [3], "/cases/units/3/dashboard/", "gongkai.web.dashboard"),
    (
        "applications:carry_over",
        [3],
        "/cases/units/3/carry-over/",
        "gongkai.applications.views_import",
    ),
    (
        "applications:attachment_download",
        [5],
        "/cases/attachments/5/",
        "gongkai.applications.views_attachments",
    ),
    ("applications:case", [7], "/cases/7/", "gongkai.web.case_page.views"),
    (
        "applications:attachment_upload",
        [7],
        "/cases/7/attachments/",
        "gongkai.web.case_page.attachments",
    ),
    ("applications:step", [7, "decide"], "/cases/7/decide/", "gongkai.web.case_page.views"),
    (
        "letters:preview",
        [7, "fee", "pdf"],
        "/letters/cases/7/preview/fee/pdf/",
        "gongkai.web.case_page.letters",
    ),
    ("letters:send", [7], "/letters/cases/7/send/", "gongkai.web.case_page.letters"),
    ("letters:download", [9, "docx"], "/letters/9/docx/", "gongkai.letters.views"),
    ("letters:templates", [], "/letters/templates/", "gongkai.letters.views"),
    ("letters:letterhead", [], "/letters/templates/letterhead/", "gongkai.letters.views"),
    ("remedies:list", [], "/remedies/", "gongkai.remedies.views"),
    (
        "remedies:register",
        [7],
        "/remedies/cases/7/register/",
        "gongkai.web.case_page.remedies",
    ),
    ("remedies:result", [2], "/remedies/2/result/", "gongkai.web.case_page.remedies"),
]


@pytest.mark.parametrize(("name", "args", "path", "module"), ROUTES, ids=[r[0] for r in ROUTES])
def test_a_route_keeps_its_url_and_name(name: str, args: list[Any], path: str, module: str) -> None:
    assert reverse(name, args=args) == path
    match = resolve(path)
    assert f"{match.namespace}:{match.url_name}" == name
    assert match.func.__module__ == module
