"""The import page: the 负责人 uploads last year's published report; the file's findings and
SHA-256 are listed; a wrong file is refused with its Chinese message; others cannot import."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.agencies.models import Role, Unit
from gongkai.applications import services as s
from gongkai.core.render.report_html import render_report_html
from gongkai.reports.builder import build_report
from gongkai.reports.models import ImportedReport

from .conftest import World

D = dt.date


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s, "_today", lambda: D(2025, 3, 3))


def _client(world: World, role: Role, unit: Unit) -> Client:
    found = get_user_model().objects.filter(username=f"{role.value}_{unit.pk}").first()
    client = Client()
    client.force_login(found or world.member(role, unit))
    return client


def _upload(client: Client, unit: Unit, year: int, data: bytes, **extra: Any) -> str:
    url = reverse("reports:import", args=[unit.pk, year])
    response = client.post(
        url, {"file": SimpleUploadedFile("年报.html", data), **extra}, follow=True
    )
    assert response.status_code in (200, 403)
    return response.content.decode()


def test_the_head_imports_from_the_page(world: World) -> None:
    data = render_report_html(build_report(unit=world.department, year=2023)).encode()
    head = _client(world, Role.HEAD, world.department)
    assert (
        "导入往年已发布的报告"
        in head.get(reverse("reports:report", args=[world.department.pk, 2024])).content.decode()
    )

    page = _upload(head, world.department, 2023, data)

    assert "已导入 2023 年度报告“年报.html”" in page
    assert hashlib.sha256(data).hexdigest() in page
    assert ImportedReport.objects.get().unit == world.department


def test_a_file_of_another_period_is_refused_on_the_page(world: World) -> None:
    data = render_report_html(build_report(unit=world.department, year=2023)).encode()
    page = _upload(_client(world, Role.HEAD, world.department), world.department, 2022, data)
    assert "文件“年报.html”是 2023 年度的报告，与所选的 2022 年度不符，未导入" in page
    assert not ImportedReport.objects.exists()


def test_an_empty_upload_is_refused_with_a_message(world: World) -> None:
    client = _client(world, Role.HEAD, world.department)
    url = reverse("reports:import", args=[world.department.pk, 2023])
    page = client.post(url, {}).content.decode()
    assert "请选择要导入的年度报告文件" in page


def test_the_clerk_reads_the_page_but_cannot_import(world: World) -> None:
    data = render_report_html(build_report(unit=world.department, year=2023)).encode()
    clerk = _client(world, Role.CLERK, world.department)
    url = reverse("reports:import", args=[world.department.pk, 2023])
    page = clerk.get(url).content.decode()
    assert "尚未导入 2023 年度报告" in page and 'id="import-form"' not in page

    _upload(clerk, world.department, 2023, data)

    assert not ImportedReport.objects.exists()


def test_a_sibling_unit_cannot_open_the_page(world: World) -> None:
    client = _client(world, Role.HEAD, world.township)
    response = client.get(reverse("reports:import", args=[world.department.pk, 2023]))
    assert response.status_code == 404
    assert "未找到单位" in response.content.decode()
