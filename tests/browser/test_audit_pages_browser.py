"""The auditor's HTML output (``gongkai audit --html DIR``) in headless Chromium (Debian's).

The pages are made as a user makes them, by the real command on real published reports from
``../shared/reports`` — a pair of years (022 with two real 表四 errors, 023 the next year), a
text report, an HTML report — and one unreadable file, then opened over file:// URLs: no
server, as when the folder is mailed or archived. What the pages must show is judged against
the same run's ``--json`` output and, for 022, against the corpus' answer key (its 表四 group
totals printed 0). Screenshots land in /tmp/gongkai-screens for a human to look at.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from gongkai.cli import main
from gongkai.core.findings import WHOLE_ROW
from gongkai.core.formats import get_format
from gongkai.core.names import enclosing_groups
from gongkai.core.render.audit_html import INDEX_NAME, SITE_TITLE
from gongkai.core.render.labels import STATUS_LABELS

CHROMIUM = Path("/usr/bin/chromium")
SCREENS = Path("/tmp/gongkai-screens")
SEVERITIES = ("error", "warning", "info")  # the index's 错误 · 警告 · 提示 columns, in order
HAN = re.compile(r"[\u4e00-\u9fff]")
# The answer key (reports/answers.tsv, 022): 表四's 行政复议 and 行政诉讼（复议后起诉）totals
# are printed 0 although their parts add up to 11 and 5.
WRONG_TOTALS_022 = {"t4/reconsideration/total", "t4/litigation_after/total"}

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="/usr/bin/chromium 未安装（scripts/setup 会安装）"
    ),
    pytest.mark.slow,
]


def cell_key(ref: dict[str, str]) -> str:
    return f"{ref['table']}/{ref['row']}/{ref['column']}"


def status_of(result: dict[str, Any]) -> str:
    """The status a result must be listed with, worked out from its findings."""
    if not result["readable"]:
        return "unreadable"
    severities = {f["severity"] for f in result["findings"]}
    if "error" in severities:
        return "errors"
    return "findings" if severities else "ok"


@pytest.fixture
def audited(
    shared_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[Path, list[Path], list[dict[str, Any]]]:
    """Run ``gongkai audit --json --html`` on the five inputs; the folder, inputs and results."""
    reports = shared_dir / "reports"
    names = ("022.pdf", "023.pdf", "001.txt", "017.html")
    if not all((reports / name).is_file() for name in names):
        pytest.skip("../shared/reports lacks 022.pdf, 023.pdf, 001.txt or 017.html")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"\x00\x01\x02\xff not a report at all \x00" * 20)
    inputs = [*(reports / name for name in names), broken]
    out = tmp_path / "html"
    status = main(["audit", "--json", "--jobs", "1", "--html", str(out), *map(str, inputs)])
    assert status == 2  # an input could not be read
    results = json.loads(capsys.readouterr().out)
    assert [r["file"] for r in results] == [str(p) for p in inputs]
    return out, inputs, results


def watch(page: Any) -> list[str]:
    """Everything that went wrong while the page ran: console errors, failures, non-file loads."""
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None,
    )
    page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    page.on("requestfailed", lambda req: problems.append(f"failed: {req.url}"))

    def outside(request: Any) -> None:
        if not request.url.startswith("file://"):
            problems.append(f"external: {request.url}")

    page.on("request", outside)
    return problems


def shot(page: Any, name: str) -> None:
    SCREENS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENS / f"audit-{name}.png"), full_page=True)


def one_line_verdicts(page: Any) -> list[tuple[str, float, float]]:
    """Each index row's verdict badge whose box is taller than one line: (label, height, line)."""
    return [
        (label, height, line)
        for label, height, line in page.locator("table.list td.verdict .status").evaluate_all(
            "els => els.map(e => [e.innerText, e.getBoundingClientRect().height,"
            " parseFloat(getComputedStyle(e).lineHeight)])"
        )
        if height > 1.5 * line
    ]


def tables_cut_off(page: Any) -> list[str]:
    """Captions of the redrawn tables too wide for the page (scrolled sideways, cut at 1366)."""
    return page.locator(".table-wrap").evaluate_all(
        "els => els.filter(e => e.scrollWidth > e.clientWidth + 1)"
        ".map(e => e.querySelector('caption')?.innerText ?? e.innerText.slice(0, 20))"
    )


def open_from_index(page: Any, index_url: str, row: int) -> None:
    """Back to the index and click the 查看 link of the row-th input."""
    page.goto(index_url)
    page.locator("table.list tbody tr").nth(row).get_by_role("link", name="查看").click()
    page.wait_for_load_state()
    assert page.url != index_url


def test_audit_pages_index_flagged_cells_pairing_and_links(
    audited: tuple[Path, list[Path], list[dict[str, Any]]], browser: Any
) -> None:
    out, inputs, results = audited
    index_url = (out / INDEX_NAME).as_uri()
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    problems = watch(page)

    # -- the index: every input, in input order, with its status and counts ------------------
    page.goto(index_url)
    assert page.locator("h1").inner_text() == SITE_TITLE
    assert f"共 {len(inputs)} 个文件：读取 {len(inputs) - 1} 份报告" in page.inner_text("body")
    rows = page.locator("table.list tbody tr")
    assert rows.count() == len(inputs)
    for i, result in enumerate(results):
        row = rows.nth(i)
        assert row.locator("th").inner_text() == str(inputs[i])
        status = status_of(result)
        assert row.get_attribute("data-status") == status
        assert row.locator(".status").inner_text() == STATUS_LABELS[status]
        counts = row.locator("td.n").all_inner_texts()
        if result["readable"]:
            expected = [
                str(sum(f["severity"] == s for f in result["findings"])) for s in SEVERITIES
            ]
            assert counts == expected, inputs[i].name
            assert row.get_by_role("link", name="查看").count() == 1
        else:
            assert counts == ["—"] * len(SEVERITIES)
            assert row.locator("a").count() == 0
    assert rows.nth(0).get_attribute("data-status") == "errors"  # 022's real 表四 errors
    # The unreadable file says why, in Chinese.
    reason = rows.nth(4).locator(".reason").inner_text()
    assert reason == results[4]["reason"]
    assert HAN.search(reason), reason
    # On a common office screen (1366×768) and a small one, no verdict wraps onto two lines
    # (the long path of the unreadable file gives way instead), and nothing runs off the side.
    for width in (1366, 1024):
        page.set_viewport_size({"width": width, "height": 768})
        assert one_line_verdicts(page) == [], width
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shot(page, f"index-{width}")
    page.set_viewport_size({"width": 1366, "height": 768})

    # -- 022: click its row; the wrong cells are highlighted, the findings quoted -------------
    page.get_by_role("row").filter(has_text=str(inputs[0])).get_by_role("link", name="查看").click()
    page.wait_for_load_state()
    r022 = results[0]
    assert "洪泽区人民政府" in page.locator("h1").inner_text()
    assert page.locator("table.report-table").count() >= 3
    # A whole-row reference (a parse note about a row, or a group printed as one row) marks
    # every cell of that row, or of the group's rows.
    fmt = get_format(r022["format"])
    whole = {
        (r["table"], r["row"])
        for f in r022["findings"]
        for r in f["cells"]
        if r["column"] == WHOLE_ROW
    }
    on_page = page.locator("td[data-cell]").evaluate_all("els => els.map(e => e.dataset.cell)")

    def in_whole_row(key: str) -> bool:
        table_code, row_code, _ = key.split("/")
        table = fmt.table(table_code)
        row = table.row(row_code)
        return any((table_code, r.code) in whole for r in (row, *enclosing_groups(table, row)))

    named = {cell_key(r) for f in r022["findings"] for r in f["cells"] if r["column"] != WHOLE_ROW}
    named |= {key for key in on_page if in_whole_row(key)}
    assert whole and not named.isdisjoint(on_page)
    # Such a reference is named as a reader sees it, never by its codes.
    assert "/" + WHOLE_ROW not in page.inner_text("body")
    named_by_errors = {
        cell_key(r) for f in r022["findings"] if f["severity"] == "error" for r in f["cells"]
    }
    flagged = set(page.locator("td.hl").evaluate_all("els => els.map(e => e.dataset.cell)"))
    assert flagged == named
    assert set(page.locator("td.hl-error").evaluate_all("els => els.map(e => e.dataset.cell)")) == (
        named_by_errors
    )
    assert named_by_errors >= WRONG_TOTALS_022
    assert tables_cut_off(page) == []
    # On a small screen too: table 四's fifteen columns still fit without sideways scrolling.
    page.set_viewport_size({"width": 1024, "height": 768})
    assert tables_cut_off(page) == []
    shot(page, "022-1024")
    page.set_viewport_size({"width": 1366, "height": 768})
    for key in WRONG_TOTALS_022:
        cell = page.locator(f'td[data-cell="{key}"]')
        assert cell.evaluate("e => e.firstChild.textContent.trim()") == "0"
        # Highlighted to the eye too, not only by class: its background is not a plain cell's.
        plain = page.locator("td.num:not(.hl)").first
        background = "e => getComputedStyle(e).backgroundColor"
        assert cell.evaluate(background) != plain.evaluate(background)
    messages = page.locator("ol.findings li.finding .message").all_inner_texts()
    assert sorted(messages) == sorted(f["message"] for f in r022["findings"])
    # A flagged cell's footnote leads to the finding that names it.
    error_no = page.locator('td[data-cell="t4/reconsideration/total"] sup.fn a').first
    error_no.click()
    target = page.locator(page.url[page.url.index("#") :])
    assert target.count() == 1, page.url
    assert target.get_attribute("data-severity") == "error"
    assert "行政复议" in target.locator(".message").inner_text()
    shot(page, "022")

    # -- the link back to the index -----------------------------------------------------------
    page.locator("nav.crumbs a").click()
    page.wait_for_load_state()
    assert page.url == index_url
    assert page.locator("table.list tbody tr").count() == len(inputs)

    # -- 023: its page says it was checked against 022, and leads to 022's page --------------
    open_from_index(page, index_url, 1)
    assert "2024" in page.locator("h1").inner_text()
    paired = page.locator('li.finding[data-rule="cross_year.paired"] .message')
    assert paired.count() == 1
    assert str(inputs[0]) in paired.inner_text()
    assert tables_cut_off(page) == []
    shot(page, "023")
    page_023 = page.url
    assert_leads_to_last_year(page, str(inputs[0]))
    page.go_back()
    page.wait_for_load_state()
    assert page.url == page_023

    # -- the text and HTML reports: their pages open and list their findings ----------------
    for row, name in ((2, "001"), (3, "017")):
        open_from_index(page, index_url, row)
        assert page.locator("li.finding").count() == len(results[row]["findings"])
        assert (results[row]["unit"] or "") in page.locator("h1").inner_text()
        # 017's table 四 has a row of cells each named by two findings: still no cut-off table.
        assert tables_cut_off(page) == [], name
        shot(page, name)
        page.locator("nav.crumbs a").click()
        page.wait_for_load_state()
        assert page.url == index_url

    assert problems == []
    page.close()


def assert_leads_to_last_year(page: Any, last_file: str) -> None:
    """On this year's page, both mentions of last year's file are links to its page: follow
    the one in the particulars and land on 022's page (洪泽区人民政府, 2023)."""
    links = page.locator("a.previous-file")
    assert links.all_inner_texts() == [last_file, last_file]
    assert len(set(links.evaluate_all("els => els.map(e => e.getAttribute('href'))"))) == 1
    links.first.click()
    page.wait_for_load_state()
    assert page.url.startswith("file://")
    meta = dict(
        zip(
            page.locator("dl.meta dt").all_inner_texts(),
            page.locator("dl.meta dd").all_inner_texts(),
            strict=True,
        )
    )
    assert meta["文件"] == last_file
    assert meta["年度"] == "2023"
    assert "洪泽区人民政府" in page.locator("h1").inner_text()


@pytest.mark.parametrize("how", ["this-year-first", "previous-only"])
def test_this_years_page_leads_to_last_years(
    shared_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], browser: Any, how: str
) -> None:
    """023 listed before 022 (its page is written before 022's exists), and 022 given only by
    --previous (no page of its own: named as plain text, and said why)."""
    reports = shared_dir / "reports"
    last, this = reports / "022.pdf", reports / "023.pdf"
    if not (last.is_file() and this.is_file()):
        pytest.skip("../shared/reports lacks 022.pdf or 023.pdf")
    out = tmp_path / "html"
    inputs = [str(this), str(last)] if how == "this-year-first" else [str(this)]
    extra = ["--previous", str(last)] if how == "previous-only" else []
    main(["audit", "--jobs", "1", "--html", str(out), *extra, *inputs])
    capsys.readouterr()
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    problems = watch(page)
    open_from_index(page, (out / INDEX_NAME).as_uri(), 0)
    assert "2024" in page.locator("h1").inner_text()
    if how == "this-year-first":
        assert_leads_to_last_year(page, str(last))
    else:
        assert page.locator("a.previous-file").count() == 0
        named = page.locator("dl.meta dd").filter(has=page.locator(".previous-file"))
        assert named.locator(".previous-file").inner_text() == str(last)
        assert "--previous" in named.inner_text()
        note = page.locator('li.finding[data-rule="cross_year.paired"] .message')
        assert str(last) in note.inner_text()
        shot(page, "023-previous-only")
    assert problems == []
    page.close()


def in_view(locator: Any) -> bool:
    """Whether the element's box lies wholly inside the window."""
    return bool(
        locator.evaluate(
            "e => { const r = e.getBoundingClientRect();"
            " return r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight"
            " && r.right <= innerWidth; }"
        )
    )


def test_a_findings_cell_link_leads_to_the_marked_cell(
    audited: tuple[Path, list[Path], list[dict[str, Any]]], browser: Any
) -> None:
    """From the 问题清单 to the table: each cell named in a finding's 涉及单元格 line is a link;
    followed (no script: JavaScript is off), the page scrolls to the highlighted cell and rings
    it, and the cell's footnote leads back to the same finding."""
    out, _, results = audited
    page = browser.new_page(
        viewport={"width": 1366, "height": 768}, locale="zh-CN", java_script_enabled=False
    )
    problems = watch(page)
    open_from_index(page, (out / INDEX_NAME).as_uri(), 0)
    # 022's wrong 行政复议 total (the answer key's), named by an error.
    key = "t4/reconsideration/total"
    cell = page.locator(f'td[data-cell="{key}"]')
    ident = cell.get_attribute("id")
    assert ident
    link = page.locator(f'li.finding[data-severity="error"] a.cell-link[href="#{ident}"]').first
    assert "「行政复议」「总计」" in link.inner_text()
    finding = page.locator("li.finding").filter(has=page.locator(f'a.cell-link[href="#{ident}"]'))
    number = finding.first.get_attribute("id")
    link.scroll_into_view_if_needed()
    assert not in_view(cell)  # the tables are below the list: the link must take us there
    ring = "e => [getComputedStyle(e).outlineColor, getComputedStyle(e).boxShadow]"
    before = cell.evaluate(ring)
    link.click()
    assert page.url.endswith(f"#{ident}")
    assert cell.evaluate("e => e.matches(':target')")
    assert in_view(cell)
    # Ringed to the eye: its outline and shadow change, and it keeps its error highlight.
    assert cell.evaluate(ring) != before
    assert "hl-error" in (cell.get_attribute("class") or "")
    assert f"#{number}" in cell.locator("sup.fn a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    shot(page, "022-cell-link")

    # A whole row (a parse note about a row, or a group printed as one row) leads to the first
    # cell of that row, drawn and ringed as well.
    whole = page.locator("a.cell-link").filter(has_text="整行")
    assert whole.count() >= 1
    target = (whole.first.get_attribute("href") or "#")[1:]
    whole.first.click()
    marked = page.locator(f'[id="{target}"]')  # codes have dots: not an #id selector
    assert marked.evaluate("e => e.matches(':target') && e.classList.contains('hl')")
    assert in_view(marked)
    assert marked.evaluate("e => e.parentElement.querySelector('td') === e")
    table_code, row_code, _ = (marked.get_attribute("data-cell") or "").split("/")
    fmt = get_format(results[0]["format"])
    table = fmt.table(table_code)
    rows = {r.code for r in (table.row(row_code), *enclosing_groups(table, table.row(row_code)))}
    named_rows = {
        c["row"]
        for f in results[0]["findings"]
        for c in f["cells"]
        if c["column"] == WHOLE_ROW and c["table"] == table_code
    }
    assert rows & named_rows
    shot(page, "022-row-link")
    assert problems == []
    page.close()
