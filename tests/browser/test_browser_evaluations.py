"""The evaluator's workspace in headless Chromium (Debian's), against a live server.

An evaluator of a district logs in, uploads two real published reports from
../shared/reports, sees the results list, opens a report with its wrong cells highlighted,
dismisses a finding with a note, re-runs the batch and finds the finding still dismissed;
then checks coverage against a list and opens the summary. Screenshots of each page land in
/tmp/gongkai-screens for a person to look at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gongkai.evaluations import services
from gongkai.evaluations.models import EventKind, FindingJudgement, Verdict
from tests.browser.conftest import (
    EVALUATOR_PASSWORD,
    LIVE_SITE,
    SCREENS,
    Login,
    audit_pending,
    evaluator_site,
    shot,
    upload_batch,
)
from tests.evaluations.conftest import zipped

PASSWORD = EVALUATOR_PASSWORD
REPORTS = ("022.pdf", "023.pdf", "024.pdf", "017.html")

pytestmark = LIVE_SITE


@pytest.fixture
def site(live_server: Any, monkeypatch: pytest.MonkeyPatch, settings: Any) -> str:
    return evaluator_site(live_server, monkeypatch, settings)


def test_an_evaluator_uploads_judges_and_reruns(site: str, login: Login, shared_dir: Path) -> None:
    reports = shared_dir / "reports"
    page = login("pinggu", PASSWORD)

    page.click("header >> text=报告评估")
    said = upload_batch(page, [reports / "022.pdf", reports / "017.html"], title="江苏与上海样本")
    assert said == "已上传 2 份报告，正在后台审查"
    rows = page.locator("#results tbody tr")
    assert rows.count() == 2
    assert page.locator("#results tr.has-errors").count() == 2
    shot(page, "evaluations_list")

    page.click("#results >> text=洪泽区人民政府")
    page.wait_for_load_state()
    assert "洪泽区人民政府 2023 年度" in page.locator("h1").inner_text()
    lit = page.locator('td.hl-error[data-cell="t4/reconsideration/upheld"]')
    assert lit.count() == 1
    shot(page, "evaluations_report")

    finding = page.locator('li[data-rule="t4.group_total"]').first
    fingerprint = finding.get_attribute("data-fingerprint")
    finding.locator("input[name=note]").fill("总计栏为印刷遗漏，已与单位核实")
    finding.locator("button[value=dismissed]").click()
    page.wait_for_load_state()
    judged = page.locator(f'li[data-fingerprint="{fingerprint}"]')
    assert "已排除" in judged.locator(".verdict").inner_text()
    assert "总计栏为印刷遗漏" in judged.inner_text()
    # The cell still shows the dismissed finding's number, struck through and grey.
    number = (judged.get_attribute("id") or "").removeprefix("finding-")
    struck = page.locator(f'td sup.fn a.dismissed[href="#finding-{number}"]').first
    assert struck.is_visible() and struck.inner_text() == number
    assert struck.evaluate("a => getComputedStyle(a.querySelector('s')).textDecorationLine") == (
        "line-through"
    )
    page.locator("#table-t4").screenshot(path=str(SCREENS / "evaluations_dismissed_cell.png"))

    page.click("text=← 返回")
    page.click("#rerun")
    page.wait_for_load_state()
    assert "已作出的评估结论保留" in page.locator(".messages .success").inner_text()
    audit_pending()
    page.reload()
    page.click("#results >> text=洪泽区人民政府")
    page.wait_for_load_state()
    again = page.locator(f'li[data-fingerprint="{fingerprint}"]')
    assert "verdict-dismissed" in (again.get_attribute("class") or "")
    assert "已排除" in again.locator(".verdict").inner_text()
    judgement = FindingJudgement.objects.get(fingerprint=fingerprint)
    assert judgement.verdict == Verdict.DISMISSED
    assert judgement.judged_by.username == "pinggu"
    kinds = list(judgement.unit.evaluation_batches.get().events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.UPLOADED, EventKind.AUDITED, EventKind.DISMISSED, EventKind.RERUN,
        EventKind.AUDITED,
    ]  # fmt: skip
    shot(page, "evaluations_report_after_rerun")

    page.click("text=← 返回")
    page.click("text=报告覆盖情况")
    page.fill("#id_year", "2023")
    page.fill("#id_names", "淮安市洪泽区人民政府\n淮安市淮阴区人民政府")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "名单 2 个单位，1 个没有报告" in page.locator("#coverage-summary").inner_text()
    assert page.locator("#coverage tr.overdue").inner_text().startswith("淮安市淮阴区人民政府")
    shot(page, "evaluations_coverage")
    page.click("text=按地区和类别汇总")
    assert page.locator("#summary tbody tr").count() == 2
    shot(page, "evaluations_summary")


def test_a_double_click_uploads_the_batch_once(site: str, login: Login, shared_dir: Path) -> None:
    """A batch takes a while to send and store; a second click meanwhile must not upload the
    batch again, and the page says that it is working."""
    from gongkai.evaluations.models import Batch

    page = login("pinggu", PASSWORD)
    page.goto(f"{site}/evaluations/")
    page.set_input_files("#id_files", [str(shared_dir / "reports" / n) for n in REPORTS])
    with page.expect_navigation(timeout=60_000):
        # Two submits in one go, as a double click gives; the second must be cancelled.
        first_says, second_cancelled = page.evaluate(
            """() => {
                const form = document.querySelector("#upload form");
                form.requestSubmit();
                const says = form.querySelector(".busy").textContent;
                let cancelled = false;
                form.addEventListener("submit", (e) => { cancelled = e.defaultPrevented; });
                form.requestSubmit();
                return [says, cancelled];
            }"""
        )
    assert "正在上传" in first_says and second_cancelled
    page.wait_for_load_state()
    said = page.locator(".messages .success").inner_text()
    assert said == f"已上传 {len(REPORTS)} 份报告，正在后台审查"
    assert Batch.objects.count() == 1


def test_a_page_shown_again_from_the_cache_takes_submits_again(site: str, login: Login) -> None:
    """Back from the results, the browser may show the upload page from its cache as it was
    left, busy: it must take a submit again, not ignore every one until reloaded."""
    page = login("pinggu", PASSWORD)
    page.goto(f"{site}/evaluations/")
    busy_after = page.evaluate(
        """() => {
            const form = document.querySelector("#upload form");
            form.setAttribute("aria-busy", "true");
            form.querySelector(".busy").textContent = "正在上传并审查";
            window.dispatchEvent(new PageTransitionEvent("pageshow", {persisted: false}));
            const fresh = form.getAttribute("aria-busy");
            window.dispatchEvent(new PageTransitionEvent("pageshow", {persisted: true}));
            return [fresh, form.getAttribute("aria-busy"), form.querySelector(".busy").textContent];
        }"""
    )
    assert busy_after == ["true", None, ""]


def test_dismissing_a_report_s_only_error_changes_its_status_in_the_list(
    site: str, login: Login, shared_dir: Path
) -> None:
    """010 with a sentence its table 三 contradicts: one error. Dismissed, the report is no
    longer 「有错误」 in the list nor under 「只看有错误的」, and its count says why."""
    text = (shared_dir / "reports" / "010.txt").read_text("utf-8")
    said = "2020年主动公开政府信息148份，"
    assert said in text
    one_error = text.replace(said, said + "全年共收到政府信息公开申请5件，")
    page = login("pinggu", PASSWORD)
    page.goto(f"{site}/evaluations/")
    upload_batch(
        page, [{"name": "010.txt", "mimeType": "text/plain", "buffer": one_error.encode("utf-8")}]
    )
    row = page.locator("#results tbody tr")
    assert row.locator(".badge").inner_text() == "有错误"
    assert row.locator("td.errors").inner_text() == "1"

    page.click("#results >> text=平潭综合实验区财政金融局")
    page.wait_for_load_state()
    [error] = page.locator("ol.findings > li.sev-border-error").all()
    error.locator("input[name=note]").fill("申请数含咨询，已与单位核实")
    error.locator("button[value=dismissed]").click()
    page.wait_for_load_state()
    assert page.locator("#counts").inner_text().startswith("错误 0 项（另有已排除 1 项）")
    shot(page, "evaluations_report_error_dismissed")
    page.click("text=← 返回")
    page.wait_for_load_state()

    row = page.locator("#results tbody tr")
    assert row.locator(".badge").inner_text() == "错误均已排除"
    assert row.locator("td.errors").inner_text() == "0（另有已排除 1）"
    assert "has-errors" not in (row.get_attribute("class") or "")
    shot(page, "evaluations_list_errors_dismissed")
    page.check("#filters input[name=has_errors]")
    page.click("#filters button")
    page.wait_for_load_state()
    assert page.locator("#results tbody").inner_text().strip() == "没有符合条件的报告。"
    page.click("header >> text=报告评估")
    page.wait_for_load_state()
    assert page.locator("#batches td.errors").inner_text() == "0（另有已排除 1）"
    shot(page, "evaluations_batches_errors_dismissed")


def test_a_zipped_batch_is_audited_in_the_background_and_its_page_follows(
    site: str, login: Login, shared_dir: Path
) -> None:
    """A province's zip is stored by the upload and audited by the worker (here: the service,
    called by the test); the batch page shows how far it is and reloads itself until done."""
    reports = shared_dir / "reports"
    folder = zipped({f"江苏/{n}": (reports / n).read_bytes() for n in ("022.pdf", "023.pdf")})
    page = login("pinggu", PASSWORD)
    page.goto(f"{site}/evaluations/")

    said = upload_batch(
        page,
        [{"name": "江苏.zip", "mimeType": "application/zip", "buffer": folder}],
        title="江苏全省",
        audit=False,
    )

    assert said == "已上传 2 份报告，正在后台审查"
    progress = page.locator("#progress")
    assert "已审查 0 / 2 份，其余正在后台审查" in progress.inner_text()
    assert page.locator("#results .badge.pending").count() == 2
    shot(page, "evaluations_batch_pending")

    assert services.audit_pending(limit=1) == 1
    # No reload by the test: the page reloads itself (refresh.js).
    page.locator("#progress", has_text="已审查 1 / 2 份").wait_for(timeout=15_000)
    audit_pending()
    progress.wait_for(state="detached", timeout=15_000)

    rows = page.locator("#results tbody tr")
    assert rows.count() == 2 and page.locator("#results .badge.pending").count() == 0
    assert page.locator("#results tr.has-errors").count() == 1  # 022's table 四
    assert "审查完成：2 份报告" in page.locator("#history").inner_text()
    page.click("text=按地区和类别汇总")
    assert page.locator("#progress").count() == 0
    assert page.locator("#summary tbody tr").count() == 1
    shot(page, "evaluations_batch_audited")
