"""The public report pages: only published versions, for anyone, without logging in."""

from __future__ import annotations

import datetime as dt
import json
from io import BytesIO
from typing import Any
from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from docx import Document

from gongkai.agencies.models import Role, Unit
from gongkai.applications import services as s
from gongkai.core.errors import GongkaiError
from gongkai.core.formats import COL_TOTAL, T3, T3_NEW
from gongkai.core.model import AnnualReport
from gongkai.portal import page_cache, reports_views
from gongkai.portal import reports_content as content
from gongkai.reports import selectors
from gongkai.reports.services import report_publish, rollup_publish
from tests.web import conftest as web
from tests.web.conftest import World, register

# The web tests' units (no conftest here: the online-application tests share this folder).
world = web.world
D = dt.date
DISTRICT = "泉州市泉港区人民政府"


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s, "_today", lambda: D(2025, 3, 3))


def member(world: World, role: Role, unit: Unit | None = None) -> Any:
    unit = unit or world.district
    found = get_user_model().objects.filter(username=f"{role.value}_{unit.pk}").first()
    return found or world.member(role, unit)


def publish(world: World, unit: Unit, year: int, cases: int = 1, reason: str = "") -> Any:
    clerk = member(world, Role.CLERK, unit)
    for i in range(cases):
        register(clerk, unit, submitted_on=D(year, 3, 4 + i))
    return report_publish(
        acting_user=member(world, Role.HEAD, unit), unit_id=unit.pk, year=year, reason=reason
    )


def page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:500]
    return response.content.decode()


def filename(response: Any) -> str:
    encoded = response["Content-Disposition"].split("filename*=", 1)[1]
    return unquote(encoded.removeprefix("UTF-8''"), encoding="utf-8")


# -- selectors --------------------------------------------------------------------------------


def test_a_draft_is_never_public(world: World) -> None:
    register(member(world, Role.CLERK), world.district, submitted_on=D(2024, 3, 4))
    assert selectors.public_reports().rows == []
    with pytest.raises(GongkaiError, match="未找到"):
        selectors.public_version(unit_id=world.district.pk, year=2024)


def test_a_correction_is_a_new_version_with_its_reason(world: World) -> None:
    first = publish(world, world.district, 2024)
    second = publish(world, world.district, 2024, reason="补录漏登的一件申请")
    versions = selectors.public_versions(unit_id=world.district.pk, year=2024)
    assert [(v.version, v.reason) for v in versions] == [(1, ""), (2, "补录漏登的一件申请")]
    assert selectors.public_version(unit_id=world.district.pk, year=2024).pk == second.pk
    old = selectors.public_version(unit_id=world.district.pk, year=2024, version=1)
    assert old.pk == first.pk and old.report.cell(T3, T3_NEW, COL_TOTAL) == 1
    # The live data moved on (a third case); the public sees only what was published.
    register(member(world, Role.CLERK), world.district, submitted_on=D(2024, 9, 2))
    latest = selectors.public_download(unit_id=world.district.pk, year=2024).report
    assert latest.cell(T3, T3_NEW, COL_TOTAL) == 2


def test_the_index_lists_units_in_hierarchy_order_with_their_years(world: World) -> None:
    publish(world, world.department, 2024)
    publish(world, world.district, 2023)
    publish(world, world.district, 2024)
    found = selectors.public_reports()
    assert [r.unit.name for r in found.rows] == [DISTRICT, "泉港区教育局"]
    assert found.years == [2024, 2023]
    assert found.rows[0].years == {2023, 2024} and found.rows[1].years == {2024}


# -- pages ------------------------------------------------------------------------------------


def test_the_index_and_report_pages_need_no_login(client: Client, world: World) -> None:
    publish(world, world.district, 2024)
    index = page(client, "/public/reports/")
    assert f'href="/public/reports/{world.district.pk}/2024/"' in index
    html = page(client, f"/public/reports/{world.district.pk}/2024/")
    assert f"{DISTRICT}2024年政府信息公开工作年度报告" in html
    assert "第 1 版" in html and 'class="report-table"' in html
    assert "一、总体情况" in html and "六、其他需要报告的事项" in html
    # Nothing of the staff side leaks: no link into /reports/, no draft, no applicant.
    assert 'href="/reports/' not in html and "草稿" not in html
    assert "张三" not in html and "350505199001011234" not in html


def test_an_earlier_version_shows_the_correction_history(client: Client, world: World) -> None:
    publish(world, world.district, 2024)
    publish(world, world.district, 2024, reason="补录漏登的一件申请")
    base = f"/public/reports/{world.district.pk}/2024/"
    latest = page(client, base)
    assert "第 2 版" in latest and "补录漏登的一件申请" in latest and 'id="versions"' in latest
    old = page(client, base + "v1/")
    assert "这是较早的版本" in old and f'href="{base}v2/"' in old


@pytest.mark.parametrize(
    ("fmt", "media", "magic"),
    [
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
        ("pdf", "application/pdf", b"%PDF"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
        ("json", "application/json", b"{"),
    ],
)
def test_downloads(client: Client, world: World, fmt: str, media: str, magic: bytes) -> None:
    publish(world, world.district, 2024, cases=2)
    response = client.get(f"/public/reports/{world.district.pk}/2024/v1/{fmt}/")
    assert response.status_code == 200
    assert response["Content-Type"] == media
    assert response.content.startswith(magic)
    assert filename(response) == f"{DISTRICT}2024年政府信息公开工作年度报告（第1版）.{fmt}"
    assert "immutable" in response["Cache-Control"] and response["ETag"]
    if fmt == "json":
        assert AnnualReport.from_json(response.content).cell(T3, T3_NEW, COL_TOTAL) == 2
    if fmt == "docx":
        text = "\n".join(p.text for p in Document(BytesIO(response.content)).paragraphs)
        assert "一、总体情况" in text


def test_staff_only_formats_and_unknown_pages_are_chinese_404s(
    client: Client, world: World
) -> None:
    publish(world, world.district, 2024)
    base = f"/public/reports/{world.district.pk}/"
    assert "不提供“txt”格式的下载" in page(client, base + "2024/v1/txt/", 404)
    assert "未找到“泉州市泉港区人民政府”已发布的 2023 年度" in page(client, base + "2023/", 404)
    assert "第 9 版" in page(client, base + "2024/v9/", 404)
    assert "未找到该单位" in page(client, "/public/reports/99999/2024/", 404)
    assert "未找到该单位" in page(client, "/public/guide/99999/", 404)


def test_a_version_page_is_cached_and_revalidated(client: Client, world: World) -> None:
    publish(world, world.district, 2024)
    url = f"/public/reports/{world.district.pk}/2024/v1/"
    first = client.get(url)
    assert first["Cache-Control"] == "public, max-age=86400"
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    # A correction changes version 1's page (its notice, its list of versions): a new ETag.
    publish(world, world.district, 2024, reason="补录漏登的一件申请")
    after = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200 and "这是较早的版本" in after.content.decode()
    latest = client.get(f"/public/reports/{world.district.pk}/2024/")
    assert "max-age=300" in latest["Cache-Control"] and latest["ETag"] != first["ETag"]


def test_the_roll_up_names_the_units_it_includes(client: Client, world: World) -> None:
    for unit in (world.district, world.township, world.department):
        publish(world, unit, 2024)
    rollup_publish(acting_user=member(world, Role.SUPERVISOR), unit_id=world.district.pk, year=2024)
    assert f'href="/public/reports/{world.district.pk}/2024/rollup/"' in page(
        client, "/public/reports/"
    )
    html = page(client, f"/public/reports/{world.district.pk}/2024/rollup/")
    assert "汇总报告" in html and 'id="rollup-units"' in html
    assert "包括以下 3 个单位" in html
    assert "泉港区山腰街道办事处" in html and "泉港区教育局" in html
    data = client.get(f"/public/reports/{world.district.pk}/2024/rollup/v1/json/")
    assert json.loads(data.content)["tables"]
    assert AnnualReport.from_json(data.content).cell(T3, T3_NEW, COL_TOTAL) == 3
    assert "汇总·第1版" in filename(data)

    # A source unit renamed: the kept page lists it by its new name at once.
    Unit.objects.filter(pk=world.township.pk).update(name="泉港区山腰街道（新）")
    html = page(client, f"/public/reports/{world.district.pk}/2024/rollup/")
    assert "泉港区山腰街道（新）" in html and "泉港区山腰街道办事处" not in html


def test_a_units_figures_across_years(client: Client, world: World) -> None:
    publish(world, world.district, 2023, cases=3)
    publish(world, world.district, 2024, cases=1)
    html = page(client, f"/public/reports/{world.district.pk}/")
    assert 'id="series"' in html
    row = html.split('<th scope="row">本年新收</th>', 1)[1].split("</tr>", 1)[0]
    assert row.index(">3<") < row.index(">1<")  # 2023 before 2024
    assert "予以公开" in html and "行政复议" in html
    assert 'id="chart-series"' in html and "data:image/svg+xml;base64," in html


# -- the rendered pages kept for every server process -------------------------------------------


def as_another_process() -> None:
    """Forget what this process holds in memory, as a second server process would not have
    it; what is in the shared cache (a database table) stays."""
    page_cache.forget_local()
    content._sections.clear()


@pytest.mark.parametrize("path", ["", "{unit}/", "{unit}/2024/", "{unit}/2024/v1/"])
def test_a_page_is_rendered_once_for_all_processes(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    publish(world, world.district, 2024)
    url = "/public/reports/" + path.format(unit=world.district.pk)
    first = client.get(url)
    as_another_process()

    def fail(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("rendered again")

    monkeypatch.setattr(reports_views, "_html", fail)
    again = client.get(url)
    assert again.status_code == 200 and again.content == first.content
    assert again["ETag"] == first["ETag"]


def test_a_kept_page_reads_no_report_content(
    client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    publish(world, world.district, 2023)
    publish(world, world.district, 2024)
    for url in (
        f"/public/reports/{world.district.pk}/",
        f"/public/reports/{world.district.pk}/2024/",
    ):
        client.get(url)
        # The unit and its published versions without content (one query on a report's page),
        # and the shared cache's row once this process has forgotten the page.
        as_another_process()
        with django_assert_max_num_queries(2 if url.endswith("2024/") else 3) as captured:
            assert client.get(url).status_code == 200
        read = " ".join(q["sql"] for q in captured.captured_queries)
        assert '"content"' not in read


def test_a_changed_unit_shows_at_once_with_a_new_etag(client: Client, world: World) -> None:
    publish(world, world.district, 2024)
    pages = ["/public/reports/", f"/public/guide/{world.district.pk}/"]
    pages += [f"/public/reports/{world.district.pk}/", f"/public/reports/{world.district.pk}/2024/"]
    before = {url: client.get(url) for url in pages}
    Unit.objects.filter(pk=world.district.pk).update(name="泉州市泉港区人民政府（新）")
    for url in pages:
        after = client.get(url, HTTP_IF_NONE_MATCH=before[url]["ETag"])
        assert after.status_code == 200, url
        assert "泉州市泉港区人民政府（新）" in after.content.decode(), url
        assert after["ETag"] != before[url]["ETag"]


def test_the_index_unit_and_guide_pages_are_revalidated(client: Client, world: World) -> None:
    publish(world, world.district, 2023)
    for url in ("/public/reports/", f"/public/reports/{world.district.pk}/"):
        first = client.get(url)
        assert first["Cache-Control"] == "public, max-age=300" and first["ETag"]
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        # A new year published: the index and the unit's page show it under a new ETag.
        publish(world, world.district, 2024 if url.endswith("reports/") else 2022)
        after = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert after.status_code == 200 and after["ETag"] != first["ETag"]
    guide = f"/public/guide/{world.district.pk}/"
    first = client.get(guide)
    assert client.get(guide, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_new_release_renders_its_pages_afresh(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shared cache outlives a deployment: pages kept by the last release's templates are
    not served by the next one."""
    publish(world, world.district, 2024)
    url = f"/public/reports/{world.district.pk}/2024/"
    first = client.get(url)
    as_another_process()
    monkeypatch.setattr(page_cache, "build_stamp", lambda: "next-release")
    monkeypatch.setattr(reports_views, "_html", lambda *a: b"<p>next release</p>")
    after = client.get(url)
    assert after.content == b"<p>next release</p>" and after["ETag"] != first["ETag"]
