"""Downloads from the report page: the draft and each published version, in every format."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from django.test import Client
from docx import Document

from gongkai.agencies.models import Role
from gongkai.applications import services as s
from gongkai.cli import main
from gongkai.core.formats import COL_TOTAL, T3, T3_NEW
from gongkai.core.model import AnnualReport
from gongkai.core.parse.dispatch import parse_document
from gongkai.reports.builder import build_report
from gongkai.reports.charts import monthly_received
from gongkai.reports.downloads import FORMATS
from gongkai.reports.services import report_publish

from .conftest import World, register

D = dt.date
TITLE = "泉州市泉港区人民政府2024年政府信息公开工作年度报告"


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s, "_today", lambda: D(2025, 3, 3))


def get(client: Client, user: Any, url: str) -> Any:
    client.force_login(user)
    return client.get(url)


def draft_url(world: World, fmt: str, year: int = 2024) -> str:
    return f"/reports/{world.district.pk}/{year}/download/{fmt}/"


def filename(response: Any) -> str:
    """The UTF-8 file name of an RFC 5987 ``filename*`` parameter."""
    header = response["Content-Disposition"]
    assert header.startswith("attachment; filename=")
    encoded = header.split("filename*=", 1)[1]
    assert encoded.startswith("UTF-8''")
    return unquote(encoded.removeprefix("UTF-8''"), encoding="utf-8")


MAGIC = {
    "docx": b"PK",
    "xlsx": b"PK",
    "pdf": b"%PDF",
    "html": b"<!DOCTYPE html>",
    "json": b"{",
    "txt": TITLE.encode(),
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_draft_in_every_format(client: Client, world: World, clerk: Any, fmt: str) -> None:
    register(clerk, world.district, submitted_on=D(2024, 3, 4))

    response = get(client, clerk, draft_url(world, fmt))

    assert response.status_code == 200
    assert response.content.startswith(MAGIC[fmt])
    assert filename(response) == f"{TITLE}（草稿）.{fmt}"
    # The header itself is ASCII: the Chinese name travels percent-encoded.
    response["Content-Disposition"].encode("ascii")
    if fmt in ("docx", "html", "pdf", "txt"):
        back = parse_document(response.content, name=f"r.{fmt}").report
        assert back is not None and back.cell(T3, T3_NEW, COL_TOTAL) == 1


def test_the_draft_has_the_month_chart(client: Client, world: World, clerk: Any) -> None:
    register(clerk, world.district, submitted_on=D(2024, 3, 4))

    html = get(client, clerk, draft_url(world, "html")).content.decode()
    document = Document(BytesIO(get(client, clerk, draft_url(world, "docx")).content))

    assert 'id="chart-monthly"' in html and 'id="chart-results"' in html
    names = [shape._inline.docPr.get("name") for shape in document.inline_shapes]
    assert names == ["chart-monthly", "chart-results"]


def test_month_counts_are_table_three_new_applications(world: World, clerk: Any) -> None:
    for day in (D(2024, 3, 4), D(2024, 3, 5), D(2024, 5, 6)):
        register(clerk, world.district, submitted_on=day)
    department = world.member(Role.CLERK, world.department)
    register(department, world.department, submitted_on=D(2024, 3, 4))  # another unit's
    register(clerk, world.district, submitted_on=D(2023, 12, 4))  # last year's

    counts = monthly_received(unit=world.district, year=2024)

    assert counts == (0, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0)
    assert sum(counts) == build_report(unit=world.district, year=2024).cell(T3, T3_NEW, COL_TOTAL)


def test_a_published_version_is_its_snapshot(
    client: Client, world: World, clerk: Any, head: Any
) -> None:
    register(clerk, world.district, submitted_on=D(2024, 3, 4))
    published = report_publish(acting_user=head, unit_id=world.district.pk, year=2024)
    register(clerk, world.district, submitted_on=D(2024, 6, 3))  # after publication
    url = f"/reports/{world.district.pk}/2024/v{published.version}/download/"

    snapshot = get(client, clerk, url + "json/")
    html = get(client, clerk, url + "html/").content.decode()
    draft = AnnualReport.from_json(get(client, clerk, draft_url(world, "json")).content)

    assert snapshot.content.decode() == published.content + "\n"
    assert filename(snapshot) == f"{TITLE}（第1版）.json"
    assert AnnualReport.from_json(snapshot.content).cell(T3, T3_NEW, COL_TOTAL) == 1
    assert draft.cell(T3, T3_NEW, COL_TOTAL) == 2
    # No month chart: the months live in the cases, which changed after publication.
    assert 'id="chart-monthly"' not in html and 'id="chart-results"' in html


def test_the_report_page_links_every_download(
    client: Client, world: World, clerk: Any, head: Any
) -> None:
    register(clerk, world.district, submitted_on=D(2024, 3, 4))
    report_publish(acting_user=head, unit_id=world.district.pk, year=2024)

    text = get(client, clerk, f"/reports/{world.district.pk}/2024/").content.decode()

    for fmt in FORMATS:
        assert f'href="{draft_url(world, fmt)}"' in text
        assert f'href="/reports/{world.district.pk}/2024/v1/download/{fmt}/"' in text


def test_an_unknown_format_is_a_chinese_404(client: Client, world: World, clerk: Any) -> None:
    response = get(client, clerk, draft_url(world, "odt"))

    assert response.status_code == 404
    assert "不支持下载“odt”格式的年度报告" in response.content.decode()


def test_another_units_report_or_a_missing_version_is_404(
    client: Client, world: World, clerk: Any, head: Any
) -> None:
    register(clerk, world.district, submitted_on=D(2024, 3, 4))
    report_publish(acting_user=head, unit_id=world.district.pk, year=2024)
    stranger = world.member(Role.HEAD, world.other_district)

    assert get(client, stranger, draft_url(world, "docx")).status_code == 404
    versioned = f"/reports/{world.district.pk}/2024/v1/download/json/"
    assert get(client, stranger, versioned).status_code == 404
    missing = get(client, clerk, f"/reports/{world.district.pk}/2024/v9/download/json/")
    assert missing.status_code == 404
    assert "第 9 版" in missing.content.decode()


def test_the_supervising_office_downloads_its_units_report(client: Client, world: World) -> None:
    township_clerk = world.member(Role.CLERK, world.township)
    register(township_clerk, world.township, submitted_on=D(2024, 3, 4))
    supervisor = world.member(Role.SUPERVISOR)

    response = get(client, supervisor, f"/reports/{world.township.pk}/2024/download/xlsx/")

    assert response.status_code == 200
    assert filename(response).startswith("泉港区山腰街道办事处2024年")


@pytest.mark.parametrize("suffix", [".txt", ".html"])
def test_the_command_line_writes_text_and_charts(
    world: World, clerk: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    """``gongkai report --output FILE.txt`` is the same text as the download; HTML has charts."""
    register(clerk, world.district, submitted_on=D(2024, 3, 4))
    target = tmp_path / f"report{suffix}"

    status = main(
        ["report", "--unit", "泉港区政府办", "--own", "--year", "2024", "--output", str(target)]
    )

    assert status == 0, capsys.readouterr().out
    if suffix == ".txt":
        back = parse_document(target.read_bytes(), name=target.name).report
        assert back is not None and back.cell(T3, T3_NEW, COL_TOTAL) == 1
    else:
        assert 'id="chart-monthly"' in target.read_text(encoding="utf-8")
