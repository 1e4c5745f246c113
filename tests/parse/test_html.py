"""The HTML front end: real published pages, and real reports rendered the way sites publish them.

017.html (上海市人民政府办公厅 2019) is checked cell by cell against its hand-verified golden file
(tests/fixtures/golden/html/017.json, which equals the maintainers' hand-read
tests/fixtures/reports/shanghai_2019_as_published.json); the seed and the 2019 report are
rendered to pages with rowspan/colspan, in UTF-8 and GBK, inside layout tables, with ``<br>``
in cells and cut off mid-table, and must come back with the cells they were made from.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core.formats import T3, T4
from gongkai.core.model import AnnualReport
from gongkai.core.parse.document import (
    MAX_GRID_COLUMNS,
    Grid,
    SourceCell,
    clean_cell,
    expand_spans,
    fill_merged,
)
from gongkai.core.parse.html import html_blocks, parse_html
from tests.fixtures.rendered.make_fixtures import SOURCES, golden_ids, load, load_golden, page_html

GOLDEN = Path(__file__).resolve().parent.parent / "fixtures" / "golden" / "html" / "017.json"


@pytest.fixture(scope="module")
def golden() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(GOLDEN.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def shanghai_page(shared_dir: Path) -> bytes:
    return (shared_dir / "reports" / "017.html").read_bytes()


@pytest.fixture(scope="module")
def reports() -> dict[str, AnnualReport]:
    return {name: load(name) for name in SOURCES}


# -- 017.html, a real page --------------------------------------------------------------------


def test_017_every_cell_matches_the_golden_file(
    shanghai_page: bytes, golden: dict[str, Any]
) -> None:
    result = parse_html(shanghai_page, source="reports/017.html")
    assert result.report is not None, result.reason
    assert result.to_dict()["tables"] == golden["tables"]


def test_017_golden_file_is_the_hand_read_fixture(
    golden: dict[str, Any], fixtures_dir: Path
) -> None:
    hand = AnnualReport.from_json(
        (fixtures_dir / "reports" / "shanghai_2019_as_published.json").read_text("utf-8")
    )
    from_golden = AnnualReport.model_validate(
        {"meta": hand.meta.model_dump(), "tables": golden["tables"]}
    )
    assert from_golden.tables == hand.tables


def test_017_metadata_and_problems(shanghai_page: bytes, golden: dict[str, Any]) -> None:
    result = parse_html(shanghai_page, source="reports/017.html")
    meta = result.meta.to_dict()
    meta.pop("evidence")
    assert meta == golden["meta"]
    assert (
        sorted([p.code, p.table or "", p.row or ""] for p in result.problems) == golden["problems"]
    )
    assert result.ambiguous == ()


def test_017_blank_cells_stay_blank(shanghai_page: bytes) -> None:
    """The 总计 cells of 予以公开 and 部分公开 are &nbsp; on the page: None, never 0."""
    report = parse_html(shanghai_page).report
    assert report is not None
    assert report.cell(T3, "disclosed", "total") is None
    assert report.cell(T3, "partly_disclosed", "total") is None
    assert report.cell(T3, "new", "research") is None
    assert report.cell(T4, "litigation_after", "total") is None
    assert report.cell(T3, "new", "total") == 859


def test_017_key_figures_match_answers(shanghai_page: bytes, shared_dir: Path) -> None:
    with (shared_dir / "reports" / "answers.tsv").open(encoding="utf-8") as handle:
        answer = next(a for a in csv.DictReader(handle, delimiter="\t") if a["id"] == "017")
    report = parse_html(shanghai_page).report
    assert report is not None
    t3 = report.tables[T3]
    stated = {
        "new_total": "new",
        "carried_in_total": "carried_in",
        "result_total": "results_total",
        "carried_out_total": "carried_out",
    }
    for key, row in stated.items():
        assert t3[row]["total"] == int(answer[key])
    # The page leaves these 总计 cells blank; the hand key gives the row's sum.
    for key, row in [("disclosed_total", "disclosed"), ("partly_total", "partly_disclosed")]:
        assert t3[row]["total"] is None
        assert sum(v or 0 for c, v in t3[row].items() if c != "total") == int(answer[key])


def test_017_narrative_is_the_text_outside_the_tables(
    shanghai_page: bytes, fixtures_dir: Path
) -> None:
    hand = json.loads(
        (fixtures_dir / "reports" / "shanghai_2019_as_published.json").read_text("utf-8")
    )
    narrative = parse_html(shanghai_page).narrative
    squeeze = lambda text: "".join(text.split())  # noqa: E731
    assert {k: squeeze(v) for k, v in narrative.items()} == {
        k: squeeze(v) for k, v in hand["narrative"].items()
    }
    assert "结果维持" not in narrative["remedies"]


# -- real reports rendered as pages -----------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SOURCES))
@pytest.mark.parametrize(
    ("charset", "encoding"),
    [("utf-8", "utf-8"), ("gbk", "gbk"), ("gb2312", "gb18030"), (None, "gb18030")],
)
def test_rendered_page_round_trips(
    reports: dict[str, AnnualReport], name: str, charset: str | None, encoding: str
) -> None:
    page = page_html(reports[name], charset=charset or "utf-8")
    if charset is None:
        page = page.replace('<meta charset="utf-8">', "")
    result = parse_html(page.encode(encoding), source=f"{name}.html")
    assert result.report is not None, result.reason
    assert result.report.tables == reports[name].tables
    assert result.report.meta.year == reports[name].meta.year
    assert result.report.meta.unit == reports[name].meta.unit
    assert result.report.meta.format_version == reports[name].meta.format_version


@pytest.mark.parametrize("ident", golden_ids())
def test_every_hand_verified_corpus_report_round_trips_as_a_gbk_page(ident: str) -> None:
    report = load_golden(ident)
    result = parse_html(page_html(report, charset="gbk").encode("gbk"), source=f"{ident}.html")
    assert result.report is not None, result.reason
    assert result.report.tables == report.tables


def test_rendered_page_really_uses_spans(reports: dict[str, AnnualReport]) -> None:
    page = page_html(reports["seed_2021"])
    assert re.search(r'rowspan="\d+"', page) and re.search(r'colspan="\d+"', page)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_nested_layout_tables_are_unwrapped(reports: dict[str, AnnualReport], name: str) -> None:
    page = page_html(reports[name])
    body = page[page.index("<body>") + 6 : page.index("</body>")]
    wrapped = (
        "<body><table width='100%'><tr><td colspan=2>网站导航 首页 政务公开</td></tr>"
        "<tr><td width='20%'>栏目</td><td><table><tr><td>"
        f"{body}</td></tr></table></td></tr></table></body>"
    )
    result = parse_html(page.replace(f"<body>{body}</body>", wrapped))
    assert result.report is not None, result.reason
    assert result.report.tables == reports[name].tables


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_line_breaks_inside_cells(reports: dict[str, AnnualReport], name: str) -> None:
    page = page_html(reports[name])
    broken = re.sub(r"(<th[^>]*>[^<]{4})([^<]{3,})", r"\1<br>\2", page)
    broken = re.sub(r"(<td[^>]*>)(\d+)(</td>)", r"\1\2<br/>\3", broken)
    assert broken.count("<br") > 30
    result = parse_html(broken)
    assert result.report is not None, result.reason
    assert result.report.tables == reports[name].tables


def test_page_cut_off_in_table_three(reports: dict[str, AnnualReport]) -> None:
    report = reports["seed_2021"]
    page = page_html(report)
    cut = page[: page.index("（四）无法提供")]
    result = parse_html(cut)
    assert result.report is not None, result.reason
    t3 = result.report.tables[T3]
    assert t3["new"] == report.tables[T3]["new"]
    assert t3["withheld.query_matter"] == report.tables[T3]["withheld.query_matter"]
    missing = {p.row for p in result.problems if p.code == "missing_row" and p.table == T3}
    assert {"unavailable.not_held", "results_total", "carried_out"} <= missing
    assert any(p.code == "missing_table" and p.table == T4 for p in result.problems)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(fraction=st.floats(min_value=0.0, max_value=1.0))
def test_any_truncation_of_a_real_page_is_read_or_explained(
    shanghai_page: bytes, fraction: float
) -> None:
    data = shanghai_page[: int(len(shanghai_page) * fraction)]
    result = parse_html(data)
    assert result.report is not None or result.reason


@pytest.mark.parametrize(
    ("page", "reason"),
    [
        (b"", "网页中没有任何文字"),
        (b"<html><body><script>var a = 1;</script></body></html>", "网页中没有任何文字"),
        ("<p>欢迎访问本网站</p>".encode(), "不是政府信息公开工作年度报告"),
    ],
)
def test_pages_that_are_not_reports_say_why(page: bytes, reason: str) -> None:
    result = parse_html(page)
    assert result.report is None
    assert reason in result.reason


# -- merged cells -----------------------------------------------------------------------------


def _cells(*rows: list[tuple[str, int, int]]) -> list[list[SourceCell]]:
    return [[SourceCell(text, rowspan, colspan) for text, rowspan, colspan in row] for row in rows]


@pytest.mark.parametrize(
    ("rows", "grid"),
    [
        # a label merged across three columns fills them all
        (_cells([("一、本年新收", 1, 3), ("5", 1, 1)]), (("一、本年新收",) * 3 + ("5",),)),
        # a label merged down is repeated in the rows below
        (
            _cells(
                [("（三）不予公开", 2, 1), ("1.属于国家秘密", 1, 1), ("1", 1, 1)],
                [("2.其他法律", 1, 1), ("", 1, 1)],
            ),
            (("（三）不予公开", "1.属于国家秘密", "1"), ("（三）不予公开", "2.其他法律", "")),
        ),
        # a value merged across is one cell, a value merged down is stated once
        (_cells([("行政许可", 1, 1), ("643", 1, 3)]), (("行政许可", "643"),)),
        (_cells([("a", 1, 1), ("7", 2, 1)], [("b", 1, 1)]), (("a", "7"), ("b", ""))),
        # a short row keeps its columns where a cell merged down from above sits further right
        (
            _cells([("a", 1, 1), ("b", 1, 1), ("合计", 2, 1)], [("c", 1, 1)]),
            (("a", "b", "合计"), ("c", "", "合计")),
        ),
        # absurd spans are clipped, not allocated
        (_cells([("x", 1, 10**9)]), (("x",) * 64,)),
    ],
)
def test_spans_expand_by_the_shared_rule(
    rows: list[list[SourceCell]], grid: tuple[tuple[str, ...], ...]
) -> None:
    assert expand_spans(rows) == Grid(grid)


def test_pdf_style_covered_cells_follow_the_same_rule() -> None:
    rows = [
        ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密", "1"],
        [None, None, "2.其他法律", ""],
        ["一、本年新收", None, None, "5"],
    ]
    assert fill_merged(rows).rows == (
        ("三、本年度办理结果", "（三）不予公开", "1.属于国家秘密", "1"),
        ("三、本年度办理结果", "（三）不予公开", "2.其他法律", ""),
        ("一、本年新收", "一、本年新收", "一、本年新收", "5"),
    )


def test_scripts_styles_and_comments_are_not_text() -> None:
    blocks = html_blocks(
        "<p>一、总体情况<!-- 注释 --></p><style>p{}</style><script>alert(1)</script><p>正文</p>"
    )
    assert [getattr(b, "text", None) for b in blocks] == ["一、总体情况", "正文"]


_TEXTS = st.sampled_from(["", "3", "1,234", "12元", "-", "（三）不予公开", "总计"])


@given(
    rows=st.lists(
        st.lists(st.tuples(_TEXTS, st.integers(0, 10**6), st.integers(0, 10**6)), max_size=8),
        max_size=12,
    )
)
def test_any_spans_give_a_bounded_grid(rows: list[list[tuple[str, int, int]]]) -> None:
    grid = expand_spans(_cells(*rows))
    assert len(grid.rows) == len(rows)
    assert all(len(row) <= MAX_GRID_COLUMNS for row in grid.rows)


@given(rows=st.lists(st.lists(st.text(max_size=6), max_size=MAX_GRID_COLUMNS), max_size=10))
def test_without_merges_the_grid_is_the_table(rows: list[list[str]]) -> None:
    expected = tuple(tuple(clean_cell(text) for text in row) for row in rows)
    assert expand_spans(_cells(*[[(t, 1, 1) for t in row] for row in rows])).rows == expected
    assert fill_merged(rows).rows == expected


@pytest.mark.parametrize(
    ("written", "read_as"), [("²", "1"), ("٣", "1"), ("2²", "2"), (" 3 ", "3")]
)
def test_a_span_is_read_by_its_ascii_digits_as_browsers_do(
    reports: dict[str, AnnualReport], written: str, read_as: str
) -> None:
    """「²」 and 「٣」 are digits to Python's str.isdigit, and int() refuses 「²」: a span
    written with them must read as a browser reads it, never raise."""
    page = page_html(reports["seed_2021"])
    span = re.search(r'rowspan="(\d+)"', page)
    assert span is not None
    at = span.start(1), span.end(1)

    def with_span(value: str) -> str:
        return page[: at[0]] + value + page[at[1] :]

    odd = parse_html(with_span(written))
    plain = parse_html(with_span(read_as))
    assert odd.report is not None and plain.report is not None
    assert odd.report.tables == plain.report.tables
