"""The audit pages: one self-contained, escaped page per report and an index of the batch."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.audit import audit_file, cross_year
from gongkai.core.audit_result import AuditResult, from_report
from gongkai.core.errors import GongkaiError
from gongkai.core.findings import Category, CellRef, Finding, Severity, sort_findings
from gongkai.core.formats import FORMAT_2021, get_format
from gongkai.core.model import AnnualReport
from gongkai.core.render import write_audit_html
from gongkai.core.render.audit_html import PageNamer, page_names, render_page
from gongkai.core.render.labels import describe_cell
from tests.render.conftest import cell
from tests.render.htmltree import Element, parse

EVIL = "<script>alert('x')</script>"


def read(path: Path) -> Element:
    return parse(path.read_text(encoding="utf-8"))


@pytest.fixture
def batch(audited: AuditResult, clean: AuditResult, garbage: AuditResult) -> list[AuditResult]:
    return [audited, clean, garbage]


def test_a_page_per_readable_report_and_an_index(tmp_path: Path, batch: list[AuditResult]) -> None:
    written = write_audit_html(batch, tmp_path / "out")
    assert written[0].name == "index.html"
    assert len(written) == 3  # the unreadable input has no page of its own
    assert all(p.is_file() and p.parent == tmp_path / "out" for p in written)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in written)


def test_file_names_are_deterministic_and_distinct(
    tmp_path: Path, batch: list[AuditResult]
) -> None:
    first = write_audit_html(batch, tmp_path / "a")
    second = write_audit_html(batch, tmp_path / "b")
    assert [p.name for p in first] == [p.name for p in second]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    # Both reports are called 000_seed.txt, in different folders.
    names = page_names(batch)
    assert names[0] != names[1] and names[2] is None
    assert all(n.startswith("000_seed-") for n in names[:2] if n)


def test_a_result_listed_twice_gets_two_pages(audited: AuditResult) -> None:
    names = page_names([audited, audited])
    assert names[0] != names[1]


def test_pages_are_self_contained_chinese_utf8(tmp_path: Path, batch: list[AuditResult]) -> None:
    for path in write_audit_html(batch, tmp_path):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("<!DOCTYPE html>")
        doc = parse(text)
        assert doc.find("html").attrs["lang"] == "zh-CN"
        assert doc.find("meta").attrs["charset"] == "utf-8"
        assert "td.blank" in doc.find("style").text()
        assert not doc.find_all("script") and not doc.find_all("link")
        assert not any("src" in e.attrs for e in doc.iter())


def test_the_page_shows_the_report_and_its_status(audited: AuditResult) -> None:
    doc = parse(render_page(audited))
    meta = dict(
        zip(
            (dt.text() for dt in doc.find("dl").find_all("dt")),
            (dd.text() for dd in doc.find("dl").find_all("dd")),
            strict=True,
        )
    )
    assert meta["文件"] == "corpus/000_seed.txt"
    assert meta["单位"] == "泉港区"
    assert meta["年度"] == "2021"
    assert meta["格式"] == "2021 年版（国办公开办函〔2021〕30号）"
    assert meta["单位类别"] == "汇总报告"
    assert meta["发布日期"] == "2022-01-10"
    assert meta["审查结论"] == "有错误"
    assert meta["问题"] == "错误 2 项，警告 1 项，提示 1 项"
    assert doc.find("title").text() == "泉港区2021 年度政府信息公开工作年度报告审查结果"


def test_the_summary_names_the_figures_in_chinese(audited: AuditResult) -> None:
    table = parse(render_page(audited)).find("table", class_="summary")
    figures = dict(
        zip(
            (th.text() for th in table.find_all("th")),
            (td.text() for td in table.find_all("td")),
            strict=True,
        )
    )
    assert figures == {
        "本年新收": "68",
        "上年结转": "0",
        "予以公开": "36",
        "部分公开": "2",
        "办理结果总计": "61",
        "结转下年度": "6",
        "行政复议总计": "3",
        "行政诉讼总计": "0",
    }


def test_every_finding_is_listed_with_its_labels(
    audited: AuditResult, narrative_error: Finding
) -> None:
    doc = parse(render_page(audited))
    items = doc.find("ol", class_="findings").find_all("li")
    # Errors first, then warnings, then information.
    assert [li.attrs["data-severity"] for li in items] == ["error", "error", "warning", "info"]
    assert [li.attrs["id"] for li in items] == [f"finding-{n}" for n in range(1, 5)]
    narrative = next(li for li in items if li.attrs["data-rule"] == narrative_error.rule)
    assert narrative.find("span", class_="sev sev-error").text() == "错误"
    assert narrative.find("span", class_="category").text() == "正文与表格"
    assert narrative.find("p", class_="message").text() == narrative_error.message
    assert narrative.find("p", class_="citation").text() == "依据：《条例》第五十条"
    assert (
        narrative.find("p", class_="cells").text() == "涉及单元格：表三「（四）无法提供」「总计」"
    )
    assert narrative_error.excerpt in narrative.find("blockquote").text()


def test_the_highlighted_cell_links_to_its_finding(
    audited: AuditResult, row_total_error: Finding, blank_warning: Finding
) -> None:
    doc = parse(render_page(audited))
    for finding, ref in [
        (row_total_error, "t3/new/total"),
        (blank_warning, "t3/carried_in/commercial"),
    ]:
        td = doc.find("td", **{"data-cell": ref})
        (number,) = td.attrs["data-findings"].split()
        assert doc.by_id(f"finding-{number}").find("p", class_="message").text() == finding.message
        assert f"hl-{finding.severity.value}" in td.classes
    blank = doc.find("td", **{"data-cell": "t3/carried_in/commercial"})
    assert "blank" in blank.classes


def test_each_table_is_followed_by_its_own_findings(audited: AuditResult) -> None:
    doc = parse(render_page(audited))
    lists = {ul.attrs["data-for"]: ul for ul in doc.find_all("ul", class_="table-findings")}
    assert set(lists) == {"table-t3"}  # no finding names section 二 or table 四
    assert len(lists["table-t3"].find_all("li")) == 3  # the publication finding names no cell


def test_a_clean_report_says_so(clean: AuditResult) -> None:
    doc = parse(render_page(clean))
    assert doc.find("p", class_="none").text() == "未发现问题。"
    assert not doc.find_all("ol")
    assert not [e for e in doc.iter() if "hl" in e.classes]
    every_cell = sum(len(list(t.cells())) for t in FORMAT_2021.tables)
    assert len(doc.find_all("td", class_="num")) == every_cell  # the tables are still drawn


def test_report_strings_are_escaped(tmp_path: Path, seed: AnnualReport) -> None:
    finding = Finding(
        rule="narrative.x",
        severity=Severity.WARNING,
        category=Category.NARRATIVE,
        message=f"正文称 {EVIL} 16 件",
        citation=EVIL,
        excerpt=f'"{EVIL}"',
        cells=(cell("t3", "new", "total"),),
    )
    result = from_report(f"dir/{EVIL}.txt", "text", seed.with_meta(unit=EVIL + "局"), [finding])
    for path in write_audit_html([result], tmp_path):
        raw = path.read_text(encoding="utf-8")
        assert "<script>" not in raw
        doc = parse(raw)
        assert not doc.find_all("script")
        assert EVIL in doc.text()  # shown as text, not run
    page = parse(write_audit_html([result], tmp_path)[1].read_text(encoding="utf-8"))
    td = page.find("td", **{"data-cell": "t3/new/total"})
    assert EVIL in td.attrs["title"]


def test_the_index_lists_every_input(tmp_path: Path, batch: list[AuditResult]) -> None:
    index = read(write_audit_html(batch, tmp_path)[0])
    rows = index.find("table").find("tbody").find_all("tr")
    assert [tr.find("th").text() for tr in rows] == [r.file for r in batch]
    cells = [[td.text() for td in tr.find_all("td")] for tr in rows]
    assert cells[0] == ["泉港区", "2021", "2021", "2", "1", "1", "有错误", "查看"]
    assert cells[1] == ["泉港区", "2021", "2021", "0", "0", "0", "未发现问题", "查看"]
    assert cells[2][-2:] == ["无法读取", batch[2].reason]
    links = [a.attrs["href"] for a in index.find_all("a")]
    assert links == [n for n in page_names(batch) if n]
    assert not rows[2].find_all("a")
    lead = index.find("p").text()
    assert lead == (
        "共 3 个文件：读取 2 份报告，"
        "其中有错误 1 份、有警告或提示 0 份、未发现问题 1 份；无法读取 1 个。"
    )


def test_results_are_read_once_as_they_come(tmp_path: Path, batch: list[AuditResult]) -> None:
    """A generator (a cluster's results read back from disk) works, is read exactly once, and
    each page is on disk before the next result is asked for: no result is held."""
    out = tmp_path / "out"
    pulled: list[str] = []

    def results() -> Iterator[AuditResult]:
        for result in batch:
            staged = list(out.glob(".gongkai-*/*.html"))
            # Every readable result before this one already has its page in the staging folder.
            assert len(staged) == sum(1 for r in batch[: len(pulled)] if r.readable)
            pulled.append(result.file)
            yield result

    streamed = write_audit_html(results(), out)
    assert pulled == [r.file for r in batch]
    listed = write_audit_html(batch, tmp_path / "listed")
    assert [p.name for p in streamed] == [p.name for p in listed]
    assert [p.read_bytes() for p in streamed] == [p.read_bytes() for p in listed]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in streamed)


def test_an_interrupted_batch_leaves_the_previous_pages(
    tmp_path: Path, batch: list[AuditResult]
) -> None:
    before = {p.name: p.read_bytes() for p in write_audit_html(batch[1:], tmp_path)}

    def interrupted() -> Iterator[AuditResult]:
        yield batch[0]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_audit_html(interrupted(), tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_an_empty_batch_still_writes_an_index(tmp_path: Path) -> None:
    (index,) = write_audit_html([], tmp_path / "new" / "dir")
    assert "共 0 个文件" in read(index).text()


def test_an_unwritable_directory_is_a_clear_error(tmp_path: Path, batch: list[AuditResult]) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    with pytest.raises(GongkaiError, match=r"无法创建 HTML 输出目录 .*taken"):
        write_audit_html(batch, blocker)


def test_findings_from_the_rules_engine_are_highlighted(mutated: AnnualReport) -> None:
    rules = pytest.importorskip("gongkai.core.rules")
    findings = rules.check_report(mutated)
    doc = parse(render_page(from_report("x.txt", "text", mutated, findings)))
    for finding in findings:
        for ref in finding.cells:
            td = doc.find("td", **{"data-cell": f"{ref.table}/{ref.row}/{ref.column}"})
            assert "hl" in td.classes
    marked = doc.find("td", **{"data-cell": "t3/new/total"})
    assert "hl-error" in marked.classes  # 68 breaks the row sum and the balance


def _blank_column_page(seed: AnnualReport) -> tuple[list[CellRef], Element]:
    """The page of one finding naming table 三's whole 科研机构 column (25 cells), and those."""
    column = [cell("t3", row.code, "research") for row in FORMAT_2021.table3.cell_rows]
    finding = Finding(
        rule="t3.balance",
        severity=Severity.INFO,
        category=Category.TABLE,
        message="「科研机构」列：因单元格空白，无法核对",
        cells=tuple(column),
    )
    return column, parse(render_page(from_report("x.txt", "text", seed, [finding])))


def test_a_finding_naming_many_cells_folds_the_list(seed: AnnualReport) -> None:
    _, doc = _blank_column_page(seed)
    folded = doc.find("details", class_="cells")
    assert folded.find("summary").text().startswith("涉及 25 个单元格")
    assert folded.find("p").text().count("「科研机构」") == 25
    assert not doc.find_all("p", class_="cells")
    marked = [td for td in doc.find_all("td") if "hl-info" in td.classes]
    assert len(marked) == 25


@settings(max_examples=30, deadline=None)
@given(unit=st.text(min_size=1, max_size=40), message=st.text(max_size=80))
def test_any_report_text_comes_back_as_the_same_text(
    seed: AnnualReport, unit: str, message: str
) -> None:
    finding = Finding(
        rule="narrative.x",
        severity=Severity.WARNING,
        category=Category.NARRATIVE,
        message=message,
        cells=(cell("t3", "new", "total"),),
    )
    doc = parse(render_page(from_report("x.txt", "text", seed.with_meta(unit=unit), [finding])))
    assert doc.find("p", class_="message").text() == message
    assert doc.find("td", **{"data-cell": "t3/new/total"}).attrs["title"].endswith(message)
    meta = dict(zip((e.text() for e in doc.find_all("dt")), doc.find_all("dd"), strict=True))
    assert meta["单位"].text() == unit
    assert not doc.find_all("script")


# -- the pairing with last year's report -----------------------------------------------------

# Brackets in both names: the file name must still be cut where the note's 「（单位 年度）」 starts.
LAST_FILE = "批次/上年（修订版）.txt"
UNIT = "泉港区人民政府办公室（外事办）"


def _years(seed: AnnualReport) -> tuple[AuditResult, AuditResult]:
    """Last year's and this year's reports of one unit, as the audit gives them."""
    last = from_report(LAST_FILE, "text", seed.with_meta(unit=UNIT, year=2020), [])
    this = from_report("批次/本年.txt", "text", seed.with_meta(unit=UNIT, year=2021), [])
    return last, this


def _previous_links(page: Element) -> list[Element]:
    return [a for a in page.find_all("a") if "previous-file" in a.classes]


def _meta(page: Element) -> dict[str, Element]:
    return dict(zip((e.text() for e in page.find_all("dt")), page.find_all("dd"), strict=True))


@pytest.mark.parametrize("last_first", [True, False], ids=["last-year-first", "this-year-first"])
def test_last_years_page_is_linked_in_either_order(
    tmp_path: Path, seed: AnnualReport, last_first: bool
) -> None:
    """Last year's page may be written after this year's: the link is right either way."""
    last, this = cross_year(list(_years(seed)))
    assert this.previous == LAST_FILE and last.previous is None
    batch = [last, this] if last_first else [this, last]
    out = tmp_path / "out"
    written = {p.name: p for p in write_audit_html(batch, out)}
    names = dict(zip((r.file for r in batch), page_names(batch), strict=True))
    page = read(written[names[this.file]])
    links = _previous_links(page)
    assert len(links) == 2  # the page's particulars and the pairing note in the findings
    for link in links:
        assert link.attrs["href"] == names[LAST_FILE]
        assert link.text() == LAST_FILE
        target = read(out / link.attrs["href"])  # relative: resolves next to this page
        assert _meta(target)["文件"].text() == LAST_FILE
        assert _meta(target)["年度"].text() == "2020"
    [paired] = [f for f in this.findings if f.rule == "cross_year.paired"]
    note = next(li for li in page.find_all("li") if li.attrs.get("data-rule") == paired.rule)
    assert note.find("p", class_="message").text() == paired.message  # the text is unchanged
    assert "本批已审查" in _meta(page)["上一年度报告"].text()
    # Last year's own page has no pairing of its own.
    assert not _previous_links(read(written[names[LAST_FILE]]))


def test_last_year_given_only_by_previous_is_named_as_text(
    tmp_path: Path, seed: AnnualReport
) -> None:
    last, this = _years(seed)
    [this] = cross_year([this], earlier=[last])
    _, path = write_audit_html([this], tmp_path)
    page = read(path)
    assert not _previous_links(page)
    named = _meta(page)["上一年度报告"]
    assert named.find("span", class_="previous-file").text() == LAST_FILE
    assert "--previous" in named.text() and "没有单独的结果页" in named.text()
    # Every link on the page leads to a file that exists, or within the page.
    for a in page.find_all("a"):
        href = a.attrs["href"]
        assert href.startswith("#") or (tmp_path / href).is_file(), href


def test_a_link_waits_for_the_page_that_really_is_last_years(
    tmp_path: Path, seed: AnnualReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should another input take the name last year's page was expected to get (names that
    hash alike), the link is corrected to the page last year's report really got."""
    last, this = cross_year(list(_years(seed)))
    other = from_report("别处/另一份.txt", "text", seed, [])
    real = PageNamer._candidates

    def alike(file: str) -> Iterator[str]:  # 另一份 and 上年 collide on their first name
        return real(LAST_FILE if file == other.file else file)

    monkeypatch.setattr(PageNamer, "_candidates", staticmethod(alike))
    batch = [this, other, last]
    written = write_audit_html(batch, tmp_path)
    names = page_names(batch)
    assert names[1] != names[2]
    links = _previous_links(read(tmp_path / names[0]))
    assert links and all(a.attrs["href"] == names[2] for a in links), names
    assert [p.name for p in written[1:]] == names


def test_a_second_report_of_the_year_links_to_the_first_ones_page(
    tmp_path: Path, seed: AnnualReport
) -> None:
    """The web page and its PDF of one report: the later page links to the earlier one's, in
    its particulars and in the copy note, which reads as written."""
    pdf, page = (
        from_report(name, "text", seed.with_meta(unit=UNIT, year=2021), [])
        for name in ("批次/本年.pdf", "批次/本年.html")
    )
    batch = cross_year([pdf, page])
    assert batch[1].copy_of == "批次/本年.pdf" and batch[0].copy_of is None
    written = write_audit_html(batch, tmp_path / "out")
    first, second = (read(path) for path in written[1:])

    links = _previous_links(second)
    assert [a.text() for a in links] == ["批次/本年.pdf", "批次/本年.pdf"]
    assert all(a.attrs["href"] == written[1].name for a in links)
    assert "本批已审查" in _meta(second)["同一年度的前一份报告"].text()
    [note] = [f for f in batch[1].findings if f.rule == "publication.copy"]
    item = next(li for li in second.find_all("li") if li.attrs.get("data-rule") == note.rule)
    assert item.find("p", class_="message").text() == note.message
    assert not _previous_links(first) and "同一年度的前一份报告" not in _meta(first)


def test_the_pairing_is_named_by_the_result_not_read_from_the_note(seed: AnnualReport) -> None:
    """The page links the file ``previous`` names, wherever the note prints it."""
    _, this = cross_year(list(_years(seed)))
    note = next(f for f in this.findings if f.rule == "cross_year.paired")
    page = parse(render_page(this, previous_href="last.html"))

    assert [a.text() for a in _previous_links(page)] == [LAST_FILE, LAST_FILE]
    [message] = [p for p in page.find_all("p") if "message" in p.classes and LAST_FILE in p.text()]
    assert message.text() == note.message  # the note reads as written, the file name linked
    # A note that does not name the file (the wording changed): the page still names it.
    reworded = this.model_copy(update={"findings": [f for f in this.findings if f is not note]})
    assert [a.text() for a in _previous_links(parse(render_page(reworded, previous_href="x")))] == [
        LAST_FILE
    ]


# --------------------------------------------------------------------------------------------
# From a finding to its cells: each cell the 涉及单元格 line names links to it in the table
# --------------------------------------------------------------------------------------------


def duplicate_ids(doc: Element) -> list[str]:
    ids = [e.attrs["id"] for e in doc.iter() if "id" in e.attrs]
    return sorted({i for i in ids if ids.count(i) > 1})


def dead_links(doc: Element) -> list[str]:
    """In-page links (``#id``) that lead to no element of the page."""
    ids = {e.attrs["id"] for e in doc.iter() if "id" in e.attrs}
    hrefs = [a.attrs.get("href", "") for a in doc.find_all("a")]
    return [h for h in hrefs if h.startswith("#") and h[1:] not in ids]


def cell_links(item: Element) -> list[Element]:
    return [a for a in item.find_all("a") if "cell-link" in a.classes]


def assert_cell_links_lead_to_their_cells(doc: Element, result: AuditResult) -> int:
    """Every cell a finding names is a link to a highlighted element carrying that finding's
    number; returns how many links there are."""
    fmt = get_format(result.format) if result.format else None
    assert fmt is not None
    links = 0
    items = doc.find("ol", class_="findings").find_all("li")
    for item, finding in zip(items, sort_findings(result.findings), strict=True):
        assert item.find("p", class_="message").text() == finding.message
        number = item.attrs["id"].removeprefix("finding-")
        found = cell_links(item)
        drawn = [ref for ref in finding.cells if ref.table in {t.code for t in fmt.tables}]
        assert [a.text() for a in found] == [describe_cell(fmt, ref) for ref in drawn]
        for a in found:
            target = doc.by_id(a.attrs["href"].removeprefix("#"))
            assert target.tag in {"td", "th"} and "hl" in target.classes
            assert f"#finding-{number}" in [x.attrs["href"] for x in target.find_all("a")]
        links += len(found)
    return links


def test_each_cell_a_finding_names_links_to_the_highlighted_cell(audited: AuditResult) -> None:
    doc = parse(render_page(audited))
    assert assert_cell_links_lead_to_their_cells(doc, audited) == 4
    assert dead_links(doc) == [] and duplicate_ids(doc) == []
    total = doc.find("a", href="#t3-d-new-total")
    assert total.text() == "表三「一、本年新收政府信息公开申请数量」「总计」"
    # The line reads as before; only the names became links.
    narrative = doc.find("li", **{"data-rule": "narrative.mismatch"})
    assert (
        narrative.find("p", class_="cells").text() == "涉及单元格：表三「（四）无法提供」「总计」"
    )
    assert cell_links(narrative)[0].attrs["href"] == "#t3-r-unavailable"  # the group's header


def test_a_folded_list_of_cells_links_each_cell(seed: AnnualReport) -> None:
    column, doc = _blank_column_page(seed)
    links = cell_links(doc.find("details", class_="cells"))
    assert [a.attrs["href"] for a in links] == [f"#t3-d-{ref.row}-research" for ref in column]
    assert dead_links(doc) == []


def test_a_cell_not_drawn_gets_no_link(seed: AnnualReport) -> None:
    """A table the format lacks is not drawn, nor is any table when the format is unknown:
    the cell is named as text, never a link that leads nowhere."""
    finding = Finding(
        rule="t9.odd",
        severity=Severity.WARNING,
        category=Category.TABLE,
        message="某表某格",
        cells=(CellRef(table="t9", row="new", column="total"), cell("t3", "new", "total")),
    )
    result = from_report("x.txt", "text", seed, [finding])
    doc = parse(render_page(result))
    line = doc.find("p", class_="cells")
    assert (
        line.text() == "涉及单元格：t9/new/total；表三「一、本年新收政府信息公开申请数量」「总计」"
    )
    assert [a.attrs["href"] for a in cell_links(line)] == ["#t3-d-new-total"]
    unknown = parse(render_page(result.model_copy(update={"format": None})))
    assert not unknown.find_all("table", class_="report-table")
    assert unknown.find("p", class_="cells").text() == "涉及单元格：t9/new/total；t3/new/total"
    assert cell_links(unknown) == [] and dead_links(unknown) == []


def test_real_report_pages_link_every_cell_and_repeat_no_id(shared_dir: Path) -> None:
    """The corpus' PDF pair, a text and an HTML report: whole rows, groups printed as one row,
    section 二's blocks and table 四 all take part."""
    from gongkai.core.audit import audit_paths

    names = ("022.pdf", "023.pdf", "001.txt", "017.html")
    paths = [shared_dir / "reports" / name for name in names]
    if not all(p.is_file() for p in paths):
        pytest.skip("../shared/reports lacks 022.pdf, 023.pdf, 001.txt or 017.html")
    for result in audit_paths(paths, jobs=1):
        doc = parse(render_page(result))
        assert duplicate_ids(doc) == [], result.file
        assert dead_links(doc) == [], result.file
        links = assert_cell_links_lead_to_their_cells(doc, result)
        assert links >= len({ref for f in result.findings for ref in f.cells}), result.file


def test_the_summary_says_which_figures_were_not_read(tmp_path: Path) -> None:
    """A figure of a row the parser could not find, or of a table not found, is 「未读出」, not
    「空白」: the report may well print it (a table pasted as a picture)."""
    seed = (Path(__file__).resolve().parents[2] / "examples" / "quangang-2021.txt").read_text(
        encoding="utf-8"
    )
    lines = seed.split("\n")
    no_row = [line for line in lines if not line.startswith("二、上年结转")]
    start = next(i for i, line in enumerate(lines) if line.startswith("一、本年新收"))
    end = next(i for i, line in enumerate(lines) if "四、结转下年度继续办理" in line)
    no_table = [*lines[:start], "（表格为图片）", *lines[end + 1 :]]
    figures = {}
    for name, text in (("row", no_row), ("table", no_table)):
        path = tmp_path / f"{name}.txt"
        path.write_text("\n".join(text), encoding="utf-8")
        table = parse(render_page(audit_file(path))).find("table", class_="summary")
        figures[name] = dict(
            zip(
                (th.text() for th in table.find_all("th")),
                (td.text() for td in table.find_all("td")),
                strict=True,
            )
        )

    assert figures["row"]["上年结转"] == "未读出"
    assert figures["row"]["本年新收"] == "67"
    assert set(figures["table"].values()) == {"未读出", "3", "0"}
    assert figures["table"]["本年新收"] == "未读出"
