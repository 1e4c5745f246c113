"""An evaluator's whole day in the workspace, in headless Chromium (Debian's), on real reports.

A zipped folder of published reports from ../shared/reports (text, HTML, the three 江苏 PDFs
and a DOCX), with what real folders also hold: an empty file, a program renamed .pdf, a
district's own zip inside, a very long name, a name written in GBK by a Windows zip tool and a
text in GBK. The evaluator uploads it, reads the results list and filters it, opens a report,
confirms and dismisses findings (Enter in a note submits nothing), re-runs the batch, checks
coverage against a list, reads the summary, exports the workbook and finds in it what the pages
show, and reads the report page on a phone. Screenshots land in /tmp/gongkai-screens.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from gongkai.core.parse.dispatch import parse_document
from gongkai.core.render.report_docx import build_report_docx
from gongkai.evaluations.models import Batch
from tests.browser.conftest import (
    EVALUATOR_PASSWORD,
    LIVE_SITE,
    Login,
    audit_pending,
    evaluator_site,
    shot,
    upload_batch,
)

PASSWORD = EVALUATOR_PASSWORD
REAL = ("003.txt", "004.txt", "016.txt", "017.html", "018.txt", "022.pdf", "023.pdf", "024.pdf")
LONG = "很长的文件名" * 40 + "-平潭国资局2021.txt"
GBK_NAME = "年报/淮安市2024年报告.txt"

pytestmark = LIVE_SITE


@pytest.fixture
def site(live_server: Any, monkeypatch: pytest.MonkeyPatch, settings: Any) -> str:
    return evaluator_site(live_server, monkeypatch, settings)


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def folder(shared_dir: Path, tmp_path: Path) -> Path:
    reports = shared_dir / "reports"
    parsed = parse_document((reports / "010.txt").read_bytes(), name="010.txt").report
    assert parsed is not None
    docx = io.BytesIO()
    build_report_docx(parsed).save(docx)
    members = {f"年报/{n}": (reports / n).read_bytes() for n in REAL}
    members |= {
        "年报/平潭财政金融局2020.docx": docx.getvalue(),
        "年报/公安局-GBK.txt": (reports / "016.txt").read_text("utf-8").encode("gbk", "replace"),
        "年报/坏文件/空文件.txt": b"",
        "年报/坏文件/病毒.pdf": b"MZ\x90\x00" + bytes(200) + b"This program cannot be run",
        "年报/坏文件/平潭.zip": zip_of({"006.txt": (reports / "006.txt").read_bytes()}),
        f"年报/坏文件/{LONG}": (reports / "020.txt").read_bytes(),
    }
    # A Windows zip tool writes the name's GBK bytes without the UTF-8 flag.
    stand_in = "x" * len(GBK_NAME.encode("gbk"))
    members[stand_in] = (reports / "018.txt").read_bytes()
    path = tmp_path / "年报.zip"
    path.write_bytes(zip_of(members).replace(stand_in.encode(), GBK_NAME.encode("gbk")))
    return path


def texts(page: Any, selector: str) -> list[str]:
    return [t.strip() for t in page.locator(selector).all_inner_texts()]


def as_sheet(row: list[str]) -> list[str]:
    """A summary row of the page as the workbook has it: the page's 「错误」 and 「警告」 cells
    (「4（另有已排除 1）」) are the sheet's two columns each, those left and those dismissed."""
    return [*row[:6], *split_dismissed(row[6]), *split_dismissed(row[7]), *row[8:]]


def split_dismissed(cell: str) -> list[str]:
    left, _, dismissed = cell.partition("（另有已排除 ")
    return [left, dismissed.removesuffix("）") or "0"]


def test_an_evaluator_works_through_a_zipped_folder(
    site: str, login: Login, folder: Path, tmp_path: Path
) -> None:
    page = login("pinggu", PASSWORD)
    page.click("header >> text=报告评估")
    said = upload_batch(page, folder, title="江苏 福建 上海")

    # The results list: every document of the folder, the bad ones said so in Chinese.
    assert said == "已上传 15 份报告，正在后台审查"
    rows = page.locator("#results tbody tr")
    assert rows.count() == 15
    files = texts(page, "#results td.file")
    assert {"淮安市2024年报告.txt", "006.txt", "空文件.txt", "病毒.pdf"} <= set(files)
    long = page.locator("#results td.file", has_text="…")
    assert long.get_attribute("title") == f"年报.zip!年报/坏文件/{LONG}"
    assert len(long.inner_text()) <= 40
    empty = page.locator("#results tr", has_text="空文件.txt")
    assert "无法读取" in empty.inner_text() and "文件为空" in empty.inner_text()
    assert "无法读取" in page.locator("#results tr", has_text="病毒.pdf").inner_text()
    copies = page.locator("#results tr", has_text="公安局-GBK.txt")
    assert "同一单位同一年度共 2 份" in copies.inner_text()
    assert "平潭综合实验区公安局" in copies.inner_text()  # the GBK text read as Chinese
    shot(page, "workspace_folder_list")

    # Filters.
    page.fill("#filters input[name=unit]", "洪泽")
    page.click("#filters button")
    page.wait_for_load_state()
    units = texts(page, "#results tbody td:first-child")
    assert units == ["洪泽区人民政府", "淮安市洪泽区人民政府"]
    page.select_option("#filters select[name=year]", "2024")
    page.click("#filters button")
    page.wait_for_load_state()
    assert texts(page, "#results tbody td:first-child") == ["淮安市洪泽区人民政府"]
    page.fill("#filters input[name=unit]", "")
    page.select_option("#filters select[name=year]", "")
    page.check("#filters input[name=has_errors]")
    page.click("#filters button")
    page.wait_for_load_state()
    errors = [int(t) for t in texts(page, "#results td.errors")]
    assert errors and all(errors)

    # A report: the wrong cells lit; a dismissal needs its reason; Enter confirms nothing.
    page.click("#results >> text=洪泽区人民政府")
    page.wait_for_load_state()
    assert page.locator('td.hl-error[data-cell="t4/reconsideration/upheld"]').count() == 1
    first, second = (page.locator("ol.findings > li").nth(i) for i in (0, 1))
    assert first.get_attribute("data-rule") == "t4.group_total"
    first.locator("button[value=dismissed]").click()
    page.wait_for_load_state()
    assert page.locator(".messages").inner_text() == "排除一项审查问题时必须写明理由"
    first = page.locator("ol.findings > li").nth(0)
    first.locator("input[name=note]").fill("总计栏为印刷遗漏，已与单位核实")
    page.evaluate("window.stillHere = true")
    first.locator("input[name=note]").press("Enter")
    page.wait_for_timeout(500)
    assert page.evaluate("window.stillHere === true")  # no submission, no new page
    assert "待评估" in page.locator("ol.findings > li").nth(0).locator(".verdict").inner_text()
    first.locator("button[value=dismissed]").focus()
    page.keyboard.press("Enter")  # the keyboard alone reaches and presses the button
    page.wait_for_load_state()
    second = page.locator("ol.findings > li").nth(1)
    second.locator("button[value=confirmed]").click()
    page.wait_for_load_state()
    verdicts = texts(page, "ol.findings > li .verdict")[:2]
    assert verdicts == ["已排除", "已确认"]
    dismissed = page.locator('td[data-cell="t4/reconsideration/upheld"] a.dismissed')
    assert dismissed.inner_text() == "1"
    shot(page, "workspace_folder_report")

    # Re-run: the verdicts stay.
    page.click("text=← 返回")
    page.click("#rerun")
    page.wait_for_load_state()
    assert "已作出的评估结论保留" in page.locator(".messages .success").inner_text()
    audit_pending()
    page.reload()
    page.click("#results >> text=洪泽区人民政府")
    page.wait_for_load_state()
    assert texts(page, "ol.findings > li .verdict")[:2] == ["已排除", "已确认"]

    # Coverage.
    page.click("text=← 返回")
    judged = page.locator("#results tr", has_text="022.pdf").locator("td.num")
    assert [t.strip() for t in judged.all_inner_texts()][-2:] == ["1", "1"]  # 已排除, 已确认
    listing = {
        tuple(t.strip() for t in row.split("\t")[:2]) for row in texts(page, "#results tbody tr")
    }
    page.click("text=报告覆盖情况")
    page.fill("#id_year", "2024")
    page.fill("#id_names", "淮安市人民政府\n洪泽区人民政府\n淮安市淮阴区人民政府")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "名单 3 个单位，1 个没有报告" in page.locator("#coverage-summary").inner_text()
    shot(page, "workspace_folder_coverage")

    # The summary totals the list.
    page.click("text=按地区和类别汇总")
    total = texts(page, "#summary tfoot td.num")
    # 15 files; 016 and 018 each uploaded twice (under another name), 13 reports; 2 unread.
    assert total[:3] == ["15", "13", "2"]  # files, reports, unreadable
    assert total[-2:] == ["1", "1"]  # dismissed, confirmed
    summary_page = [texts(page, f"#summary tbody tr:nth-child({i + 1}) td")
                    for i in range(page.locator("#summary tbody tr").count())]  # fmt: skip
    shot(page, "workspace_folder_summary")

    # The workbook holds what the pages show.
    with page.expect_download() as download:
        page.click("text=导出 Excel")
    batch = Batch.objects.get()
    assert download.value.suggested_filename == f"报告评估-{batch.pk}-江苏 福建 上海.xlsx"
    saved = tmp_path / "export.xlsx"
    download.value.save_as(saved)
    book = load_workbook(saved)
    reports = list(book["报告"].iter_rows(values_only=True))
    assert len(reports) - 1 == 15
    assert {(str(r[0] or ""), str(r[1] or "")) for r in reports[1:]} >= {
        pair for pair in listing if pair[0] != "（无法读取）"
    }
    findings = [
        dict(zip([c.value for c in book["审查问题"][1]], row, strict=True))
        for row in book["审查问题"].iter_rows(min_row=2, values_only=True)
    ]
    judged = [f for f in findings if f["评估结论"] != "待评估"]
    assert [(f["编号"], f["评估结论"], f["评估说明"]) for f in judged] == [
        (1, "已排除", "总计栏为印刷遗漏，已与单位核实"),
        (2, "已确认", None),
    ]
    assert all(f["评估人"] == "赵评估" for f in judged)
    summary_sheet = [
        [str(v) for v in row if v is not None]
        for row in book["汇总"].iter_rows(min_row=2, values_only=True)
    ]
    assert summary_sheet[:-1] == [[c for c in as_sheet(row) if c] for row in summary_page]
    for name in ("报告", "审查问题", "覆盖情况"):
        assert book[name].freeze_panes == "B2" and book[name].auto_filter.ref

    # A phone: nothing but the redrawn tables scrolls sideways; buttons keep their words.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{site}/evaluations/")
    page.click("#batches >> text=江苏 福建 上海")
    page.click("#results >> text=洪泽区人民政府")
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    button = page.locator("ol.findings > li").nth(2).locator("button[value=confirmed]")
    assert button.bounding_box()["height"] < 40  # one line
    label = page.locator("#table-t3 tbody th[scope=row]").nth(3)
    assert label.bounding_box()["width"] >= 100
    shot(page, "workspace_folder_report_phone")
