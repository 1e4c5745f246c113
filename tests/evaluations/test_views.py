"""The workspace pages through Django's test client: upload, list, report, judge, coverage,
summary, export — and what each refuses."""

from __future__ import annotations

import io
import re
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.agencies.models import Role
from gongkai.evaluations import services, uploads
from gongkai.evaluations.models import Batch, EvaluatedReport, FindingJudgement
from tests.render.htmltree import parse

from .conftest import World, audit_all, zipped

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_upload(
    client: Client, files: dict[str, bytes], title: str = "测试批次", *, audit: bool = True
) -> Any:
    """Upload ``files`` as a batch, and unless told not to let the worker audit them."""
    response = client.post(
        reverse("evaluations:batches"),
        {"title": title, "files": [SimpleUploadedFile(n, d) for n, d in files.items()]},
    )
    if audit:
        audit_all()
    return response


@pytest.fixture
def uploaded(evaluator: Any, report_bytes: dict[str, bytes]) -> Batch:
    client = client_for(evaluator)
    response = post_upload(
        client, {"022.pdf": report_bytes["022.pdf"], "017.html": report_bytes["017.html"]}
    )
    assert response.status_code == 302
    batch = Batch.objects.get()
    assert response["Location"] == reverse("evaluations:batch", args=[batch.pk])
    return batch


def test_the_upload_page_states_its_limits_and_lists_batches(
    evaluator: Any, uploaded: Batch
) -> None:
    page = client_for(evaluator).get(reverse("evaluations:batches")).content.decode()

    assert f"每批最多 {uploads.MAX_REPORTS} 份报告" in page
    assert "测试批次" in page
    assert 'type="file"' in page


def test_the_results_list_filters_by_unit_year_kind_and_errors(
    evaluator: Any, uploaded: Batch
) -> None:
    client = client_for(evaluator)
    url = reverse("evaluations:batch", args=[uploaded.pk])

    def units(query: dict[str, str]) -> list[str]:
        page = client.get(url, query).content.decode()
        body = page.split('id="results"')[1].split("</table>")[0]
        return re.findall(r'/evaluations/reports/\d+/">([^<]+)</a>', body)

    assert units({}) == ["上海市人民政府办公厅", "洪泽区人民政府"]
    assert units({"unit": "洪泽"}) == ["洪泽区人民政府"]
    assert units({"year": "2019"}) == ["上海市人民政府办公厅"]
    assert units({"kind": "government"}) == ["洪泽区人民政府"]
    assert units({"has_errors": "1"}) == ["上海市人民政府办公厅", "洪泽区人民政府"]
    assert units({"year": "abcd", "unit": "x" * 500}) == []


def test_the_report_page_highlights_the_wrong_cells_and_quotes_the_sentence(
    evaluator: Any, uploaded: Batch
) -> None:
    client = client_for(evaluator)
    hongze = EvaluatedReport.objects.get(unit_name="洪泽区人民政府")
    shanghai = EvaluatedReport.objects.get(unit_name="上海市人民政府办公厅")

    page = client.get(reverse("evaluations:report", args=[hongze.pk])).content.decode()
    cell = re.search(r'<td[^>]*data-cell="t4/reconsideration/upheld"[^>]*>', page)
    assert cell is not None and "hl-error" in cell.group(0)
    assert "t4.group_total" in page
    assert page.count('name="verdict" value="dismissed"') == len(hongze.findings)
    # Each cell a finding names links to that cell in the redrawn table.
    links = re.findall(r'<a class="cell-link" href="#([^"]+)">', page)
    assert links and all(f'id="{target}"' in page for target in links)

    page = client.get(reverse("evaluations:report", args=[shanghai.pk])).content.decode()
    assert "原文：" in page
    assert "予以公开及部分公开258件" in page


def test_dismissing_with_a_note_removes_the_highlight_and_records_who(
    evaluator: Any, uploaded: Batch
) -> None:
    client = client_for(evaluator)
    hongze = EvaluatedReport.objects.get(unit_name="洪泽区人民政府")
    errors = [f for f in hongze.findings if f["severity"] == "error"]
    url = reverse("evaluations:report", args=[hongze.pk])

    for finding in errors:
        response = client.post(
            reverse("evaluations:judge", args=[hongze.pk]),
            {"fingerprint": finding["fingerprint"], "verdict": "dismissed", "note": "印刷错误"},
        )
        assert response.status_code == 302
        assert response["Location"].startswith(url)

    page = client.get(url).content.decode()
    open_count = len(hongze.findings) - len(errors)
    assert f"已确认 0 项，已排除 {len(errors)} 项，待评估 {open_count} 项" in page
    assert page.count("已排除") >= len(errors)
    assert "评估说明：印刷错误" in page
    assert "hl-error" not in page
    assert FindingJudgement.objects.filter(judged_by=evaluator).count() == len(errors)
    listing = client.get(reverse("evaluations:batch", args=[uploaded.pk])).content.decode()
    assert "排除问题" in listing  # the log


def test_every_page_counts_a_dismissed_error_apart_from_those_left(
    evaluator: Any, uploaded: Batch
) -> None:
    """The results list, its 「只看有错误」 filter, the batch list, the report page and the
    summary call an error only one not dismissed, and show the dismissed ones beside it."""
    client = client_for(evaluator)
    hongze = EvaluatedReport.objects.get(unit_name="洪泽区人民政府")
    for finding in [f for f in hongze.findings if f["severity"] == "error"]:
        client.post(
            reverse("evaluations:judge", args=[hongze.pk]),
            {"fingerprint": finding["fingerprint"], "verdict": "dismissed", "note": "印刷错误"},
        )
    url = reverse("evaluations:batch", args=[uploaded.pk])

    def results(query: dict[str, str]) -> dict[str, tuple[str, str, set[str]]]:
        table = parse(client.get(url, query).content.decode()).by_id("results")
        return {
            row.find("a").text(): (
                row.find("td", class_="num errors").text(),
                next(e.text() for e in row.find_all("span") if "badge" in e.classes),
                row.classes,
            )
            for row in table.find("tbody").find_all("tr")
        }

    listed = results({})
    assert listed["洪泽区人民政府"] == ("0（另有已排除 2）", "错误均已排除", set())
    assert listed["上海市人民政府办公厅"] == ("4", "有错误", {"has-errors"})
    assert list(results({"has_errors": "1"})) == ["上海市人民政府办公厅"]
    batches = parse(client.get(reverse("evaluations:batches")).content.decode())
    assert batches.by_id("batches").find("td", class_="num errors").text() == "4（另有已排除 2）"
    report = parse(client.get(reverse("evaluations:report", args=[hongze.pk])).content.decode())
    assert report.by_id("counts").text().startswith("错误 0 项（另有已排除 2 项），")
    summary = parse(client.get(reverse("evaluations:summary", args=[uploaded.pk])).content.decode())
    assert [td.text() for td in summary.by_id("summary").find_all("td", class_="num errors")] == [
        "4", "0（另有已排除 2）", "4（另有已排除 2）",
    ]  # fmt: skip


def test_every_page_counts_a_dismissed_warning_apart_from_those_left(
    evaluator: Any, uploaded: Batch
) -> None:
    """Warnings as errors: the results list, the batch list, the report page, the summary and
    the workbook count a warning only if not dismissed, the dismissed ones beside it."""
    client = client_for(evaluator)
    shanghai = EvaluatedReport.objects.get(unit_name="上海市人民政府办公厅")
    warnings = [f for f in shanghai.findings if f["severity"] == "warning"]
    assert len(warnings) == 3  # 017's three narrative.share warnings
    for finding in warnings:
        client.post(
            reverse("evaluations:judge", args=[shanghai.pk]),
            {"fingerprint": finding["fingerprint"], "verdict": "dismissed", "note": "口径不同"},
        )

    def cells(url: str, table: str) -> list[str]:
        page = parse(client.get(url).content.decode()).by_id(table)
        return [td.text() for td in page.find_all("td", class_="num warnings")]

    batch_url = reverse("evaluations:batch", args=[uploaded.pk])
    assert cells(batch_url, "results") == ["0（另有已排除 3）", "0"]
    assert cells(reverse("evaluations:batches"), "batches") == ["0（另有已排除 3）"]
    summary_url = reverse("evaluations:summary", args=[uploaded.pk])
    assert cells(summary_url, "summary") == ["0（另有已排除 3）", "0", "0（另有已排除 3）"]
    report = parse(
        client.get(reverse("evaluations:report", args=[shanghai.pk])).content.decode()
    ).by_id("counts")
    assert "警告 0 项（另有已排除 3 项）" in report.text()
    book = load_workbook(
        io.BytesIO(client.get(reverse("evaluations:export", args=[uploaded.pk])).content)
    )
    head, *rows = book["报告"].iter_rows(values_only=True)
    listed = dict(zip(head, rows[0], strict=True))
    assert (listed["警告（不含已排除）"], listed["已排除的警告"]) == (0, 3)
    head, *rows = book["汇总"].iter_rows(values_only=True)
    total = dict(zip(head, rows[-1], strict=True))
    assert (total["警告（不含已排除）"], total["已排除的警告"]) == (0, 3)


def test_a_dismissed_finding_keeps_its_number_on_its_cell_struck_through(
    evaluator: Any, uploaded: Batch
) -> None:
    """An evaluator must still see which cell a dismissed finding concerns: the cell keeps the
    finding's number (struck through, marked dismissed), unlit unless an open finding lights it,
    and the finding's cell link still leads there."""
    client = client_for(evaluator)
    hongze = EvaluatedReport.objects.get(unit_name="洪泽区人民政府")
    cell = "t4/reconsideration/upheld"
    named = [
        f
        for f in hongze.findings
        if any(f"{c['table']}/{c['row']}/{c['column']}" == cell for c in f["cells"])
    ]
    assert named  # the case: 022's real table 四 error names this cell
    url = reverse("evaluations:report", args=[hongze.pk])
    for finding in named:
        client.post(
            reverse("evaluations:judge", args=[hongze.pk]),
            {"fingerprint": finding["fingerprint"], "verdict": "dismissed", "note": "已核实"},
        )

    doc = parse(client.get(url).content.decode())

    td = doc.find("td", **{"data-cell": cell})
    entries = [e for e in doc.find_all("li") if e.attrs.get("data-fingerprint") in
               {f["fingerprint"] for f in named}]  # fmt: skip
    numbers = {int(e.attrs["id"].removeprefix("finding-")) for e in entries}
    assert numbers and all("verdict-dismissed" in e.classes for e in entries)
    shown = {int(n) for n in td.attrs["data-dismissed"].split()}
    assert numbers <= shown
    struck = {int(a.find("s").text()) for a in td.find_all("a", class_="dismissed")}
    assert numbers <= struck
    assert "hl-error" not in td.classes and "hl-dismissed" in td.classes
    assert "已排除的错误" in td.attrs["title"]
    for entry in entries:
        links = [a.attrs["href"][1:] for a in entry.find_all("a", class_="cell-link")]
        assert td.attrs["id"] in links


def test_enter_in_a_note_submits_no_verdict(evaluator: Any, uploaded: Batch) -> None:
    """Pressing Enter in a text field submits with the form's first submit button: it must
    be a disabled one, or typing a dismissal's reason and pressing Enter confirms the finding."""
    report = EvaluatedReport.objects.get(unit_name="洪泽区人民政府")
    page = client_for(evaluator).get(reverse("evaluations:report", args=[report.pk]))

    forms = parse(page.content.decode()).find_all("form", class_="judge")
    assert len(forms) == len(report.findings)
    for form in forms:
        first = form.find("button")
        assert first.attrs.get("type") == "submit" and "disabled" in first.attrs


def test_a_dismissal_without_a_note_is_refused_in_chinese(evaluator: Any, uploaded: Batch) -> None:
    client = client_for(evaluator)
    report = EvaluatedReport.objects.get(unit_name="洪泽区人民政府")

    response = client.post(
        reverse("evaluations:judge", args=[report.pk]),
        {"fingerprint": report.findings[0]["fingerprint"], "verdict": "dismissed", "note": ""},
        follow=True,
    )

    assert "排除一项审查问题时必须写明理由" in response.content.decode()
    assert not FindingJudgement.objects.exists()


def test_rerun_keeps_verdicts(evaluator: Any, uploaded: Batch) -> None:
    client = client_for(evaluator)
    report = EvaluatedReport.objects.get(unit_name="洪泽区人民政府")
    fingerprint = report.findings[0]["fingerprint"]
    client.post(
        reverse("evaluations:judge", args=[report.pk]),
        {"fingerprint": fingerprint, "verdict": "dismissed", "note": "已核实"},
    )

    response = client.post(reverse("evaluations:rerun", args=[uploaded.pk]), follow=True)
    audit_all()

    assert "已作出的评估结论保留" in response.content.decode()
    page = client.get(reverse("evaluations:report", args=[report.pk])).content.decode()
    item = re.search(rf'<li[^>]*data-fingerprint="{fingerprint}"[^>]*>', page)
    assert item is not None and "verdict-dismissed" in item.group(0)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"virus.exe": b"MZ"}, "文件类型不受支持"),
        ({"t.zip": zipped({"../evil.txt": b"x"})}, "不安全"),
        ({"bomb.zip": zipped({"b.txt": b"0" * (3 * 1024 * 1024)})}, "疑似压缩炸弹"),
        ({"bad.zip": b"PK\x03\x04broken"}, "不是有效的 zip 压缩包"),
    ],
)
def test_bad_uploads_get_a_specific_chinese_error_and_store_nothing(
    evaluator: Any, files: dict[str, bytes], message: str
) -> None:
    response = post_upload(client_for(evaluator), files)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Batch.objects.exists()


def test_a_refused_upload_keeps_the_title_typed(evaluator: Any) -> None:
    response = post_upload(client_for(evaluator), {"virus.exe": b"MZ"}, title="2024 年度各区县")

    assert response.status_code == 400
    assert 'value="2024 年度各区县"' in response.content.decode()


def test_a_zipped_folder_with_a_zip_and_an_empty_file_is_audited_as_one_batch(
    evaluator: Any, report_bytes: dict[str, bytes]
) -> None:
    client = client_for(evaluator)
    folder = zipped(
        {
            "年报/017.html": report_bytes["017.html"],
            "年报/洪泽区.zip": zipped({"022.pdf": report_bytes["022.pdf"]}),
            "年报/空文件.pdf": b"",
        }
    )

    response = post_upload(client, {"年报.zip": folder})

    assert response.status_code == 302
    rows = dict(EvaluatedReport.objects.values_list("file_name", "reason"))
    assert rows == {
        "年报.zip!年报/017.html": "",
        "年报.zip!年报/洪泽区.zip!022.pdf": "",
        "年报.zip!年报/空文件.pdf": "文件为空",
    }


def test_the_list_shortens_a_long_name_and_says_which_reports_are_copies(
    evaluator: Any, report_bytes: dict[str, bytes]
) -> None:
    client = client_for(evaluator)
    long = "很长的文件名" * 40 + ".pdf"
    post_upload(client, {"022.pdf": report_bytes["022.pdf"], long: report_bytes["022.pdf"]})
    batch = Batch.objects.get()

    page = client.get(reverse("evaluations:batch", args=[batch.pk])).content.decode()

    assert page.count("同一单位同一年度共 2 份") == 2
    assert f'title="{long}"' in page and f">{long}<" not in page


def test_a_batch_being_audited_shows_its_progress_on_every_page_until_done(
    evaluator: Any, report_bytes: dict[str, bytes]
) -> None:
    """The upload only stores: the batch page says how far the worker is and reloads itself;
    the batch list, the summary, coverage and the workbook say the batch is not complete."""
    client = client_for(evaluator)
    files = {"022.pdf": report_bytes["022.pdf"], "017.html": report_bytes["017.html"]}
    response = post_upload(client, files, audit=False)
    batch = Batch.objects.get()
    page = client.get(response["Location"]).content.decode()

    assert "已上传 2 份报告，正在后台审查" in page
    progress = parse(page).by_id("progress")
    assert "已审查 0 / 2 份，其余正在后台审查" in progress.text()
    assert progress.attrs["data-refresh"] == "5" and "evaluations/refresh.js" in page
    assert page.count('class="badge pending"') == 2 and "待审查" in page
    # Not audited: no count yet, not zeros that read as "no problem found".
    results = parse(page).by_id("results")
    for kind in ("num errors", "num warnings", "num"):
        assert {td.text() for td in results.find_all("td", class_=kind)} == {"—"}, kind
    listed = client.get(reverse("evaluations:batches")).content.decode()
    assert "已审查 0/2" in listed
    for name in ("summary", "coverage"):
        shown = client.get(reverse(f"evaluations:{name}", args=[batch.pk])).content.decode()
        assert "本批次尚未审查完：已审查 0 / 2 份" in shown, name
    report = client.get(reverse("evaluations:report", args=[batch.reports.first().pk]))
    assert "本报告尚未审查" in report.content.decode()
    book = load_workbook(
        io.BytesIO(client.get(reverse("evaluations:export", args=[batch.pk])).content)
    )
    assert book.sheetnames[0] == "未审查完"
    assert "已审查 0 / 2 份" in book["未审查完"]["A1"].value
    head, *rows = book["报告"].iter_rows(values_only=True)
    assert {dict(zip(head, r, strict=True))["状态"] for r in rows} == {"待审查"}

    services.audit_pending(limit=1)
    page = client.get(response["Location"]).content.decode()
    assert "已审查 1 / 2 份" in parse(page).by_id("progress").text()

    services.audit_pending(limit=1)
    page = client.get(response["Location"]).content.decode()
    assert 'id="progress"' not in page and "待审查" not in page
    assert "审查完成：2 份报告" in page
    book = load_workbook(
        io.BytesIO(client.get(reverse("evaluations:export", args=[batch.pk])).content)
    )
    assert "未审查完" not in book.sheetnames


def test_an_upload_over_the_report_cap_is_refused_with_the_cap(
    evaluator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(uploads, "MAX_REPORTS", 2)
    folder = zipped({f"{i}.txt": "某区2024年度报告".encode() for i in range(3)})

    response = post_upload(client_for(evaluator), {"省.zip": folder})

    assert response.status_code == 400
    assert "一个批次最多 2 份报告（含压缩包内的文件）" in response.content.decode()
    assert not Batch.objects.exists()


def test_an_oversized_request_is_refused_before_it_is_read(
    evaluator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 1000)

    response = post_upload(client_for(evaluator), {"a.txt": b"x" * 2000})

    assert response.status_code == 400
    assert "请分成几个批次上传" in response.content.decode()


def test_an_upload_of_something_that_is_no_report_is_listed_as_unreadable(
    evaluator: Any,
) -> None:
    client = client_for(evaluator)
    post_upload(client, {"notes.txt": "会议纪要：今天天气很好。".encode()})

    report = EvaluatedReport.objects.get()
    assert report.readable is False and report.reason
    page = client.get(reverse("evaluations:batch", args=[report.batch_id])).content.decode()
    assert "无法读取" in page
    page = client.get(reverse("evaluations:report", args=[report.pk])).content.decode()
    assert report.reason in page
    # Not 「未发现问题」: nothing was checked. The file is named, its type in Chinese.
    assert "未发现问题" not in page and "未能审查" in page
    assert "<h1>notes.txt（无法读取）</h1>" in page
    assert "<dt>文件类型</dt><dd>文本</dd>" in page


def test_coverage_from_a_pasted_list_and_an_uploaded_file(evaluator: Any, uploaded: Batch) -> None:
    client = client_for(evaluator)
    url = reverse("evaluations:coverage", args=[uploaded.pk])

    response = client.post(
        url,
        {
            "year": "2023",
            "names": "淮安市洪泽区人民政府",
            "list": SimpleUploadedFile("list.csv", "单位名称\n盱眙县人民政府\n".encode()),
        },
        follow=True,
    )

    page = response.content.decode()
    assert "名单 2 个单位，<strong>1</strong> 个没有报告" in page
    assert "盱眙县人民政府" in page
    response = client.post(url, {"year": "", "names": "甲"})
    assert response.status_code == 400
    assert "请填写年度" in response.content.decode()


def test_summary_by_region_and_kind(evaluator: Any, uploaded: Batch) -> None:
    page = (
        client_for(evaluator)
        .get(reverse("evaluations:summary", args=[uploaded.pk]))
        .content.decode()
    )

    rows = re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td>", page)
    assert rows == [("上海市", "政府部门"), ("洪泽区", "人民政府")]
    total = parse(page).find("tfoot")
    # 017 has three warnings since narrative.share reads its 「258件，占33.9%」 (it is 32.0%).
    assert [td.text() for td in total.find_all("td")][2:] == [
        "2", "2", "0", "2", "6", "3", "0", "0"
    ]  # fmt: skip


def test_the_export_has_every_sheet_with_the_verdicts(evaluator: Any, uploaded: Batch) -> None:
    client = client_for(evaluator)
    report = EvaluatedReport.objects.get(unit_name="洪泽区人民政府")
    fingerprint = report.findings[0]["fingerprint"]
    client.post(
        reverse("evaluations:judge", args=[report.pk]),
        {"fingerprint": fingerprint, "verdict": "dismissed", "note": "=1+1 不是公式"},
    )
    client.post(
        reverse("evaluations:coverage", args=[uploaded.pk]),
        {"year": "2023", "names": "淮安市洪泽区人民政府\n盱眙县人民政府"},
    )

    response = client.get(reverse("evaluations:export", args=[uploaded.pk]))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''" + quote("报告评估-") in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["报告", "审查问题", "覆盖情况", "汇总"]
    reports = list(book["报告"].iter_rows(values_only=True))
    assert reports[0][:5] == ("单位", "年度", "单位类别", "地区", "文件")
    # The results list's order and counts.
    assert [r[0] for r in reports[1:]] == ["上海市人民政府办公厅", "洪泽区人民政府"]
    [hongze] = [dict(zip(reports[0], r, strict=True)) for r in reports if r[0] == "洪泽区人民政府"]
    # The errors as the results list counts them: those left, those dismissed beside them.
    assert (hongze["年度"], hongze["错误（不含已排除）"], hongze["已排除的错误"]) == (2023, 1, 1)
    assert (hongze["已排除"], hongze["状态"]) == (1, "有错误")
    findings = list(book["审查问题"].iter_rows(values_only=True))
    head = findings[0]
    assert len(findings) - 1 == sum(len(r.findings) for r in EvaluatedReport.objects.all())
    [dismissed] = [dict(zip(head, r, strict=True)) for r in findings if r[-1] == fingerprint]
    # As the report page shows it: its number there, cells by name, the note as typed.
    page = parse(client.get(reverse("evaluations:report", args=[report.pk])).content.decode())
    entry = next(e for e in page.find_all("li") if e.attrs.get("data-fingerprint") == fingerprint)
    assert dismissed["编号"] == int(entry.attrs["id"].removeprefix("finding-"))
    shown = "；".join(a.text() for a in entry.find_all("a", class_="cell-link"))
    assert dismissed["涉及单元格"] == shown and "表四" in shown
    assert (dismissed["评估结论"], dismissed["评估说明"]) == ("已排除", "=1+1 不是公式")
    assert dismissed["评估人"] and dismissed["评估时间"] is not None
    coverage = list(book["覆盖情况"].iter_rows(values_only=True))
    assert coverage[1:] == [
        ("淮安市洪泽区人民政府", 2023, "有", "洪泽区人民政府", coverage[1][4]),
        ("盱眙县人民政府", 2023, "无", None, None),
    ]
    summary = list(book["汇总"].iter_rows(values_only=True))
    # Alone in this batch, 洪泽区 is its own region; one of its two errors dismissed.
    assert summary[0][2:4] == ("文件数", "报告数（同一单位年度的多份文件计一份）")
    assert summary[0][5:8] == ("有错误的报告（不含已排除）", "错误（不含已排除）", "已排除的错误")
    assert ("洪泽区", "人民政府", 1, 1, 0, 1, 1, 1, 0, 0, 1, 0) in summary
    assert summary[-1] == ("合计", None, 2, 2, 0, 2, 5, 1, 3, 0, 1, 0)
    # What an evaluator expects of a sheet: the header frozen, filters, readable widths.
    for name in ("报告", "审查问题", "覆盖情况"):
        sheet = book[name]
        assert sheet.freeze_panes == "B2"
        assert sheet.auto_filter.ref.startswith("A1:")
        assert all(d.width >= 6 for d in sheet.column_dimensions.values())
    assert book["审查问题"].column_dimensions["G"].width >= 40  # 说明
    assert book["审查问题"]["G2"].alignment.wrap_text


def test_a_clerk_sees_neither_the_menu_nor_the_pages(
    world: World, clerk: Any, uploaded: Batch
) -> None:
    client = client_for(clerk)
    report = uploaded.reports.first()
    assert report is not None

    assert "报告评估" not in client.get(reverse("applications:my_cases")).content.decode()
    for url in (
        reverse("evaluations:batches"),
        reverse("evaluations:batch", args=[uploaded.pk]),
        reverse("evaluations:report", args=[report.pk]),
        reverse("evaluations:summary", args=[uploaded.pk]),
        reverse("evaluations:coverage", args=[uploaded.pk]),
        reverse("evaluations:export", args=[uploaded.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("evaluations:rerun", args=[uploaded.pk])).status_code == 302
    # The upload and its audit only: the re-run was refused.
    assert list(uploaded.events.values_list("kind", flat=True)) == ["uploaded", "audited"]
    assert post_upload(client, {"a.txt": b"x"}).status_code == 404


def test_another_district_cannot_see_the_batch_and_the_office_above_reads_it(
    world: World, uploaded: Batch
) -> None:
    outsider = client_for(world.member(Role.EVALUATOR, world.other_district))
    assert outsider.get(reverse("evaluations:batch", args=[uploaded.pk])).status_code == 404
    assert "测试批次" not in outsider.get(reverse("evaluations:batches")).content.decode()

    supervisor = client_for(world.member(Role.SUPERVISOR))
    page = supervisor.get(reverse("evaluations:batch", args=[uploaded.pk])).content.decode()
    assert "洪泽区人民政府" in page
    assert "报告评估" in page  # the menu


def test_an_evaluator_starts_in_the_workspace(evaluator: Any) -> None:
    response = client_for(evaluator).get("/")

    assert response.status_code == 302
    assert response["Location"] == reverse("evaluations:batches")


def test_a_judgement_with_a_forged_fingerprint_is_refused_without_a_broken_redirect(
    evaluator: Any, uploaded: Batch
) -> None:
    report = EvaluatedReport.objects.get(unit_name="洪泽区人民政府")

    response = client_for(evaluator).post(
        reverse("evaluations:judge", args=[report.pk]),
        {"fingerprint": "x\r\nSet-Cookie: a=b", "verdict": "confirmed", "note": ""},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("evaluations:report", args=[report.pk])
    assert not FindingJudgement.objects.exists()


def test_the_admin_shows_the_workspace_read_only(admin_client: Any, uploaded: Batch) -> None:
    report = uploaded.reports.first()
    assert report is not None

    for url in (
        "/admin/evaluations/batch/",
        "/admin/evaluations/evaluatedreport/",
        "/admin/evaluations/findingjudgement/",
        "/admin/evaluations/evaluationevent/",
        f"/admin/evaluations/evaluatedreport/{report.pk}/change/",
    ):
        assert admin_client.get(url).status_code == 200, url
    assert admin_client.get("/admin/evaluations/batch/add/").status_code == 403
