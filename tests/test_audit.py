"""The auditor end to end: real published reports in, the findings an evaluator would write out.

These tests run the whole pipeline (inputs → parser → rules → narrative checks → cross-year
pairing → output) on the seed and on the corpus in ``../shared/reports``, through the library
call and through the ``gongkai audit`` command.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.cli import main
from gongkai.core import audit, model
from gongkai.core.audit import audit_file, audit_paths, cross_year, exit_status, unit_core
from gongkai.core.audit_result import AuditResult, from_report
from gongkai.core.findings import Finding, Severity
from gongkai.core.formats import (
    COL_COMMERCIAL,
    COL_NATURAL_PERSON,
    COL_TOTAL,
    FORMAT_2019,
    FORMAT_2021,
    T3,
    T3_CARRIED_IN,
    T3_CARRIED_OUT,
    T3_DISCLOSED,
    T3_NOT_PROCESSED_REPEAT,
    T3_OTHER_OTHER,
    ReportFormat,
)
from gongkai.core.model import AnnualReport
from gongkai.core.parse.result import ParseProblem
from gongkai.core.render.report_html import render_report_html
from gongkai.core.rules import check_report
from tests.parse.synth import blank_zeros, render

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "quangang-2021.txt"
SEED_JSON = Path(__file__).resolve().parent / "fixtures" / "reports" / "seed_quangang_2021.json"


def errors(result: AuditResult) -> set[str]:
    return {f.rule for f in result.findings if f.severity is Severity.ERROR}


def messages(result: AuditResult) -> str:
    return "\n".join(f.message for f in result.findings)


# -- the seed: everything the issue names, exactly ----------------------------------------------


@pytest.fixture(scope="module")
def seed() -> AuditResult:
    return audit_file(EXAMPLE)


def test_seed_is_read_as_the_2021_format(seed: AuditResult) -> None:
    assert seed.readable
    assert seed.format == "2021"
    assert seed.year == 2021
    assert seed.summary == {
        "new": 67,
        "carried_in": 0,
        "disclosed": 36,
        "partly_disclosed": 2,
        "results_total": 61,
        "carried_out": 6,
        "reconsideration_total": 3,
        "litigation_total": 0,
    }


def test_seed_tables_are_consistent(seed: AuditResult) -> None:
    table_errors = {f.rule for f in seed.findings if f.category == "table" and f.is_error}
    assert table_errors == set()


def test_seed_prose_contradictions_are_all_found(seed: AuditResult) -> None:
    text = messages(seed)
    assert "16" in text and "15" in text  # 无法提供 16 vs 15
    assert "9" in text and "8" in text  # 其他处理 9 vs 8
    assert "部分公开" in text  # the 2 部分公开 the prose never mentions
    assert "国土城乡建设环保能源类" in text  # the category listed twice
    assert "1,012" in text or "1012" in text  # categories add up to 1,012, not 1,555
    narrative_rules = sorted(f.rule for f in seed.findings if f.category == "narrative")
    assert len(narrative_rules) == 5, narrative_rules


def test_seed_audit_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(EXAMPLE)]) == 1
    out = capsys.readouterr().out
    assert "无法提供" in out


# -- the corpus --------------------------------------------------------------------------------


def answers(shared: Path) -> dict[str, dict[str, str]]:
    with (shared / "reports" / "answers.tsv").open(encoding="utf-8") as handle:
        return {row["id"]: row for row in csv.DictReader(handle, delimiter="\t")}


@pytest.fixture(scope="module")
def corpus(shared_dir: Path) -> dict[str, AuditResult]:
    results = audit_paths([shared_dir / "reports"], jobs=2)
    return {Path(r.file).stem: r for r in results}


def test_every_corpus_report_is_read(corpus: dict[str, AuditResult], shared_dir: Path) -> None:
    unreadable = {name: r.reason for name, r in corpus.items() if not r.readable}
    assert unreadable == {}
    assert set(corpus) == set(answers(shared_dir))


@pytest.mark.parametrize(
    ("key", "column"),
    [
        ("new", "new_total"),
        ("carried_in", "carried_in_total"),
        ("disclosed", "disclosed_total"),
        ("partly_disclosed", "partly_total"),
        ("results_total", "result_total"),
        ("carried_out", "carried_out_total"),
    ],
)
def test_key_figures_match_the_hand_read_answers(
    corpus: dict[str, AuditResult], shared_dir: Path, key: str, column: str
) -> None:
    key_figures = answers(shared_dir)
    wrong = {}
    for report_id, row in key_figures.items():
        result = corpus[report_id]
        got = result.summary.get(key)
        if got is None:
            # 017 leaves several 总计 cells blank (answers.tsv gives the row's sum): the summary
            # keeps the blank, and the row's own cells must add up to the hand-read figure.
            cells = result.tables["t3"][key]
            got = sum(v for c, v in cells.items() if c != "total" and isinstance(v, int))
        if got != int(row[column]):
            wrong[report_id] = (got, row[column])
    assert wrong == {}


def test_balance_findings_match_the_answers(
    corpus: dict[str, AuditResult], shared_dir: Path
) -> None:
    for report_id, row in answers(shared_dir).items():
        broken = "t3.balance" in errors(corpus[report_id])
        assert broken == (row["balance_holds(yes|no)"] == "no"), report_id


def test_consecutive_years_of_one_unit_are_paired(corpus: dict[str, AuditResult]) -> None:
    # 平潭（汇总） 2021 (003) carried 1 out; 2022 (004) carried 1 in: paired, and consistent.
    assert not [f for f in corpus["004"].findings if f.rule == "cross_year.carry_in"]
    # 016 (公安局 2021) counted its one application twice; its pairing needs no other year.
    assert "t3.balance" in errors(corpus["016"])


def test_a_renamed_unit_is_paired_and_an_unrelated_one_is_not(
    corpus: dict[str, AuditResult],
) -> None:
    """洪泽区人民政府 2023 (022) became 淮安市洪泽区人民政府 2024 (023); 淮安市人民政府 2024 (024)
    is the city, another unit, with no 2023 report in the corpus."""
    [note] = _paired(corpus["023"])
    assert "022.pdf" in note and "淮安市" in note
    assert _paired(corpus["022"]) == [] and _paired(corpus["024"]) == []
    assert corpus["023"].previous == corpus["022"].file
    assert corpus["022"].previous is None and corpus["024"].previous is None
    # 023's 「区政府办代表区政府受理…17 件」 is one office's share of the district's 95: said, not
    # called a contradiction.
    rules = [f.rule for f in corpus["023"].findings if f.rule.startswith("narrative.")]
    assert rules == ["narrative.unchecked"]
    # Paired, 023's whole-number fee (7545 万元) stands beside 022's 7730.28 万元.
    assert "s2.fee_unit" not in {f.rule for f in corpus["023"].findings}


def test_a_group_printed_as_one_row_is_read_as_its_sum(corpus: dict[str, AuditResult]) -> None:
    """022 and 023 print （六）其他处理 as one row: its rows are unknown, nothing is false."""
    for name in ("022", "023"):
        result = corpus[name]
        assert {result.tables["t3"]["other.other"][c] for c in ("natural_person", "total")} == {
            None
        }
        notes = [f.message for f in result.findings if f.rule == "parse.collapsed_group"]
        assert len(notes) == 1 and "（七）总计等于各项办理结果之和" in notes[0], name


def test_batch_output_does_not_depend_on_parallelism(shared_dir: Path) -> None:
    one = audit_paths([shared_dir / "reports"], jobs=1)
    two = audit_paths([shared_dir / "reports"], jobs=2)
    assert [r.model_dump_json() for r in one] == [r.model_dump_json() for r in two]


# -- bad input never stops a batch --------------------------------------------------------------


def test_bad_files_are_listed_and_the_batch_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a-empty.txt").write_bytes(b"")
    (tmp_path / "b-garbage.pdf").write_bytes(b"%PDF-1.4 \x00\x01 garbage")
    (tmp_path / "c-not-a-report.html").write_text("<html><body>今日天气晴</body></html>")
    (tmp_path / "d-truncated.html").write_text("<html><body><table><tr><td>自然人")
    (tmp_path / "e-seed.txt").write_bytes(EXAMPLE.read_bytes())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../escape.txt", "x")
        archive.writestr("inner/seed.txt", EXAMPLE.read_bytes())
    (tmp_path / "f-archive.zip").write_bytes(buffer.getvalue())
    results = audit_paths([tmp_path], jobs=2)
    by_name = {Path(r.file.split("!")[-1]).name: r for r in results}
    assert by_name["e-seed.txt"].readable
    assert by_name["seed.txt"].readable
    for bad in ("a-empty.txt", "b-garbage.pdf", "c-not-a-report.html", "escape.txt"):
        assert not by_name[bad].readable, bad
        assert by_name[bad].reason
    assert "路径不安全" in (by_name["escape.txt"].reason or "")
    assert exit_status(results) == 2


# -- the command's outputs ----------------------------------------------------------------------


def test_audit_json_has_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["audit", str(EXAMPLE), "--json", "--jobs", "1"])
    [item] = json.loads(capsys.readouterr().out)
    assert status == 1
    assert {"file", "format", "unit", "year", "tables", "summary", "findings"} <= set(item)
    assert item["format"] == "2021"
    assert item["tables"]["t3"]["new"]["natural_person"] == 67
    finding = item["findings"][0]
    assert {"rule", "category", "severity", "message"} <= set(finding)
    assert finding["category"] in {"table", "narrative", "cross_year", "format", "publication"}


def test_audit_writes_excel_and_html(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    xlsx, html = tmp_path / "audit.xlsx", tmp_path / "html"
    main(["audit", str(EXAMPLE), "--xlsx", str(xlsx), "--html", str(html), "--jobs", "1"])
    capsys.readouterr()
    workbook = load_workbook(xlsx, read_only=True)
    assert {"报告", "问题"} <= set(workbook.sheetnames)
    assert (html / "index.html").exists()
    assert len(list(html.glob("*.html"))) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["audit"], "缺少必需的参数"),
        (["audit", "/nonexistent/reports"], "文件或文件夹不存在"),
        (["audit", str(EXAMPLE), "--jobs", "0"], "至少为 1"),
    ],
)
def test_audit_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_empty_folder_is_a_clear_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["audit", str(tmp_path)]) == 2
    assert "没有找到可审查的报告文件" in capsys.readouterr().err


# -- the findings a careful reader writes down, report by report --------------------------------


def test_corpus_findings_match_the_hand_checked_golden_file(
    corpus: dict[str, AuditResult], shared_dir: Path
) -> None:
    """tests/fixtures/audit/corpus_findings.json: every error and warning on every corpus report,
    read against the report and answers.tsv by hand (info-level notes are not pinned)."""
    golden_path = Path(__file__).resolve().parent / "fixtures" / "audit" / "corpus_findings.json"
    golden = json.loads(golden_path.read_text(encoding="utf-8"))
    seed = audit_file(EXAMPLE)
    for result in [*corpus.values(), seed]:
        name = Path(result.file).name
        got = [
            {"severity": f.severity.value, "rule": f.rule, "message": f.message}
            for f in result.findings
            if f.severity is not Severity.INFO
        ]
        assert got == golden[name], name


# -- pairing years: one unit key for the batch and for the rules ---------------------------------


def test_a_bracket_variant_of_the_unit_name_still_runs_the_cross_year_rules() -> None:
    """The batch pairs 泉港区（人民政府） 2022 with 泉港区(人民政府) 2021; the rules must agree
    that they are the same unit, or every cross-year rule is silently skipped."""
    fixture = Path(__file__).resolve().parent / "fixtures" / "reports" / "seed_quangang_2021.json"
    base = AnnualReport.from_json(fixture.read_text("utf-8"))
    last = base.with_meta(unit="泉港区(人民政府)", year=2021)
    carried_out = last.cell(T3, T3_CARRIED_OUT, COL_TOTAL)
    assert isinstance(carried_out, int)
    this = base.with_meta(unit="泉港区（人民政府）", year=2022, published=None)
    this = this.with_cell(T3, T3_CARRIED_IN, COL_TOTAL, carried_out + 1)
    results = [from_report("2022.txt", "text", this, []), from_report("2021.txt", "text", last, [])]

    paired = cross_year(results)

    rules = {f.rule for f in paired[0].findings}
    assert "cross_year.carry_in" in rules
    assert "cross_year.previous" not in rules


def test_the_rules_and_the_batch_share_one_unit_key() -> None:
    assert audit.unit_key is model.unit_key


# -- pairing a report with its unit's last year -------------------------------------------------


def _year_of(unit: str, year: int, *, carried_out: int = 6) -> AuditResult:
    """The seed as the report of ``unit`` for ``year`` (6 carried out in the 自然人 column)."""
    seed = AnnualReport.from_json(SEED_JSON.read_text(encoding="utf-8"))
    report = seed.with_meta(unit=unit, year=year).with_cell(
        "t3", "carried_out", "natural_person", carried_out
    )
    return from_report(f"{unit}-{year}.pdf", "pdf", report, [])


def _paired(result: AuditResult) -> list[str]:
    return [f.message for f in result.findings if f.rule == "cross_year.paired"]


@pytest.mark.parametrize(
    ("unit", "core"),
    [
        ("淮安市洪泽区人民政府", "洪泽区人民政府"),
        ("江苏省淮安市洪泽区人民政府", "洪泽区人民政府"),
        ("洪泽区人民政府", "洪泽区人民政府"),
        ("淮安市人民政府", "淮安市人民政府"),  # 「人民政府」 alone names no unit
        ("淮安市城市管理局", "淮安市城市管理局"),
        ("泉州市泉港区人民政府办公室", "泉港区人民政府办公室"),
    ],
)
def test_unit_core_drops_only_the_divisions_above_the_unit(unit: str, core: str) -> None:
    assert unit_core(unit) == core


def test_a_unit_that_added_its_city_to_its_name_is_paired_and_says_so() -> None:
    before = _year_of("洪泽区人民政府", 2023, carried_out=5)
    after = _year_of("淮安市洪泽区人民政府", 2024)
    city = _year_of("淮安市人民政府", 2024)
    _, paired, alone = cross_year([before, after, city])
    [note] = _paired(paired)
    assert "洪泽区人民政府-2023.pdf" in note
    assert "由「洪泽区人民政府」变为「淮安市洪泽区人民政府」" in note
    assert "淮安市" in note
    # The cross-year rules ran on the pair: last year carried 5 out, this year took 0 in.
    assert any(f.rule == "cross_year.carry_in" for f in paired.findings)
    assert _paired(alone) == [] and not [f for f in alone.findings if f.category == "cross_year"]


def test_a_unit_with_its_own_name_last_year_is_paired_by_name() -> None:
    _, paired = cross_year([_year_of("泉港区", 2020, carried_out=0), _year_of("泉港区", 2021)])
    [note] = _paired(paired)
    assert "单位名称相同" in note


def test_two_units_of_one_name_in_two_cities_are_not_guessed() -> None:
    """「鼓楼区人民政府」 last year could be 南京's or 福州's: neither is paired with it."""
    results = cross_year(
        [
            _year_of("鼓楼区人民政府", 2023),
            _year_of("南京市鼓楼区人民政府", 2024),
            _year_of("福州市鼓楼区人民政府", 2024),
        ]
    )
    assert [_paired(r) for r in results] == [[], [], []]


# -- a second report of one unit's year -----------------------------------------------------------


def _copies(result: AuditResult) -> list[Finding]:
    return [f for f in result.findings if f.rule == audit.COPY_RULE]


def _as_file(result: AuditResult, file: str, report: AnnualReport | None = None) -> AuditResult:
    kept = result.report if report is None else report
    assert kept is not None
    return from_report(file, "html", kept, list(result.findings))


def test_a_second_file_of_one_report_is_noted_as_a_copy_of_the_first() -> None:
    """The web page and its PDF, both downloaded: the later one says which came first and
    that their tables agree; the first is left as it was audited."""
    pdf = _year_of("泉港区", 2021)
    page = _as_file(pdf, "泉港区-2021.html")

    first, second = cross_year([pdf, page])

    assert first == pdf and _copies(first) == [] and first.copy_of is None
    assert second.copy_of == "泉港区-2021.pdf"
    [note] = _copies(second)
    assert note.severity is Severity.INFO and note.category == "publication"
    assert "泉港区-2021.pdf" in note.message and "完全一致" in note.message
    assert note.cells == ()


def test_a_second_version_with_other_figures_is_a_warning_with_the_cells_marked() -> None:
    pdf = _year_of("泉港区", 2021)
    report = pdf.report
    assert report is not None
    disclosed = report.cell(T3, T3_DISCLOSED, COL_TOTAL)
    assert isinstance(disclosed, int)
    other = report.with_cell(T3, T3_DISCLOSED, COL_TOTAL, disclosed + 1)

    _, page = cross_year([pdf, _as_file(pdf, "泉港区-2021.html", other)])

    [note] = _copies(page)
    assert note.severity is Severity.WARNING
    assert [(c.table, c.row, c.column) for c in note.cells] == [(T3, T3_DISCLOSED, COL_TOTAL)]
    assert "1 个数字不同" in note.message
    assert f"（本文件 {disclosed + 1}，另一份 {disclosed}）" in note.message
    assert "表三（一）予以公开总计" in note.message


def test_a_cell_one_copy_left_unread_is_not_a_difference() -> None:
    pdf = _year_of("泉港区", 2021)
    report = pdf.report
    assert report is not None
    unread = report.with_cell(T3, T3_DISCLOSED, COL_TOTAL, None)

    _, page = cross_year([pdf, _as_file(pdf, "泉港区-2021.html", unread)])

    [note] = _copies(page)
    assert note.severity is Severity.INFO and "完全一致" in note.message


def test_two_units_named_alike_are_not_called_two_versions() -> None:
    """Tables that differ in most figures are two units' reports whose titles name them alike
    (「人民政府办公室」): no cell is called wrong."""
    pdf = _year_of("人民政府办公室", 2021)
    report = pdf.report
    assert report is not None
    other = report
    for row, values in report.tables[T3].items():
        for column, value in values.items():
            if isinstance(value, int):
                other = other.with_cell(T3, row, column, value + 1)

    _, page = cross_year([pdf, _as_file(pdf, "另一单位.html", other)])

    [note] = _copies(page)
    assert note.severity is Severity.INFO and note.cells == ()
    assert "可能是名称相同的两个单位的报告" in note.message


def test_copies_of_which_one_read_no_figure_are_not_called_alike() -> None:
    pdf = _year_of("泉港区", 2021)
    report = pdf.report
    assert report is not None
    unread = report
    for table, rows in report.tables.items():
        for row, values in rows.items():
            for column in values:
                unread = unread.with_cell(table, row, column, None)

    _, scan = cross_year([pdf, _as_file(pdf, "扫描件.pdf", unread)])

    [note] = _copies(scan)
    assert "没有都读出的数字，无法比对" in note.message and "一致" not in note.message


def test_copies_are_told_apart_from_the_same_file_listed_twice_and_other_formats() -> None:
    pdf = _year_of("泉港区", 2021)
    shanghai = AnnualReport.from_json((SEED_JSON.parent / "shanghai_2019.json").read_text("utf-8"))
    old_format = _as_file(pdf, "泉港区-2021-旧.html", shanghai.with_meta(unit="泉港区", year=2021))
    results = cross_year([pdf, _as_file(pdf, "泉港区-2021.html"), pdf, old_format])

    notes = [[f.message for f in _copies(r)] for r in results]
    assert notes[0] == []
    assert "泉港区-2021.pdf" in notes[1][0]
    # The same file again: said so, not compared with the page that came between.
    assert notes[2] == ["该文件在本批次中出现了不止一次（泉港区-2021.pdf），已重复审查"]
    assert "不同的格式版本" in notes[3][0] and _copies(results[3])[0].severity is Severity.WARNING


def test_a_batch_not_paired_compares_no_two_of_its_reports() -> None:
    """``--no-pair``: each report alone, as on a cluster that streams every line at once."""
    pdf = _year_of("泉港区", 2021)
    results = cross_year([pdf, _as_file(pdf, "泉港区-2021.html"), pdf], pair_years=False)
    assert [_copies(r) for r in results] == [[], [], []]
    assert [r.copy_of for r in results] == [None, None, None]


def test_another_unit_or_year_is_no_copy() -> None:
    results = cross_year(
        [_year_of("泉港区", 2021), _year_of("泉港区", 2022), _year_of("惠安县", 2021)]
    )
    assert [_copies(r) for r in results] == [[], [], []]


def test_a_batch_of_two_files_of_one_report_marks_the_figures_that_differ(
    tmp_path: Path,
) -> None:
    """Real files: the report as published, and a copy whose table 三 prints 35 for 36."""
    text = EXAMPLE.read_text(encoding="utf-8")
    row = "三、本年度办理结果\t(一) 予以公开\t36\t0\t0\t0\t0\t0\t36"
    assert text.count(row) == 1
    (tmp_path / "1-附件.txt").write_text(text, encoding="utf-8")
    (tmp_path / "2-网页.txt").write_text(
        text.replace(row, row.replace("36", "35")), encoding="utf-8"
    )

    first, second = audit_paths([tmp_path], jobs=1)

    assert _copies(first) == []
    [note] = _copies(second)
    assert note.severity is Severity.WARNING and "1-附件.txt" in note.message
    assert {(c.table, c.row, c.column) for c in note.cells} == {
        (T3, T3_DISCLOSED, COL_NATURAL_PERSON),
        (T3, T3_DISCLOSED, COL_TOTAL),
    }


def test_a_whole_number_fee_is_settled_by_last_years_amount_in_wan_yuan() -> None:
    fee = ("s2.art20_8", "admin_fees", "amount")
    before = _year_of("洪泽区人民政府", 2023)
    before_report = before.report
    assert before_report is not None
    before = from_report(before.file, "pdf", before_report.with_cell(*fee, Decimal("7730.28")), [])
    after_report = _year_of("淮安市洪泽区人民政府", 2024).report
    assert after_report is not None
    after_report = after_report.with_cell(*fee, Decimal("7545"))
    alone = from_report("after.pdf", "pdf", after_report, check_report(after_report))
    assert "s2.fee_unit" in {f.rule for f in alone.findings}
    _, paired = cross_year([before, alone])
    assert "s2.fee_unit" not in {f.rule for f in paired.findings}


@pytest.mark.parametrize(
    ("fixture", "fmt", "other"),
    [
        ("seed_quangang_2021.json", FORMAT_2021, FORMAT_2019),
        ("shanghai_2019.json", FORMAT_2019, FORMAT_2021),
    ],
)
def test_a_parse_note_cites_the_format_the_report_was_read_against(
    tmp_path: Path, fixture: str, fmt: ReportFormat, other: ReportFormat
) -> None:
    """A row label misspelt in the published tables: the parser's note cites the statutory
    format whose labels it was measured by, that of the report's year."""
    report = AnnualReport.from_json((SEED_JSON.parent / fixture).read_text(encoding="utf-8"))
    html = render_report_html(report)
    assert html.count("其他法律行政法规禁止公开") == 1
    path = tmp_path / "report.html"
    misspelt = html.replace("其他法律行政法规禁止公开", "其他法律行政止公开")
    path.write_text(misspelt, encoding="utf-8")

    result = audit_file(path)

    assert result.format == fmt.version
    notes = [f for f in result.findings if f.rule.startswith("parse.")]
    assert "parse.label_guessed" in {f.rule for f in notes}
    for note in notes:
        assert fmt.document in note.citation and fmt.name in note.citation
        assert other.document not in note.citation


def test_rows_read_for_their_total_only_are_one_finding_per_table(
    fixtures_dir: Path, tmp_path: Path
) -> None:
    """A unit printing blanks for zeros, flattened: one warning naming every such row (each
    marked), not one per row, and the rows' cells unread for last year's check too."""
    seed = AnnualReport.from_json(
        (fixtures_dir / "reports" / "seed_quangang_2021.json").read_text(encoding="utf-8")
    )
    path = tmp_path / "blank.txt"
    path.write_text(render(blank_zeros(seed), sep=""), encoding="utf-8")
    result = audit_file(path)
    [short] = [f for f in result.findings if f.rule == "parse.total_only"]
    rows = {cell.row for cell in short.cells}
    assert len(rows) == len(short.cells) > 10
    assert f"有 {len(rows)} 行只印出部分数字" in short.message and "等" in short.message
    assert all(seed.tables[T3][row][COL_TOTAL] == result.tables[T3][row][COL_TOTAL] for row in rows)
    unread = audit._not_read_in(result.report, result.findings)
    assert {(table, row) for table, row, _ in unread if table == T3} == {(T3, row) for row in rows}


def _seed_lines() -> list[str]:
    return EXAMPLE.read_text(encoding="utf-8").split("\n")


def test_a_row_not_found_is_not_called_blank_beside_a_blank_cell(tmp_path: Path) -> None:
    """cells.blank names the cells printed blank, not those of a row the parser did not find
    (its own finding says so); the sums it blocks say 「未读出」, not 「空白」."""
    lines = [line for line in _seed_lines() if not line.startswith("二、上年结转")]
    at = next(i for i, line in enumerate(lines) if "2. 重复申请" in line)
    lines[at] = lines[at].replace("\t0\t0\t", "\t0\t\t", 1)
    path = tmp_path / "missing.txt"
    path.write_text("\n".join(lines), encoding="utf-8")

    result = audit_file(path)

    assert any(f.rule == "parse.missing_row" for f in result.findings)
    (blank,) = [f for f in result.findings if f.rule == "cells.blank" and "表三" in f.message]
    assert [(c.row, c.column) for c in blank.cells] == [(T3_NOT_PROCESSED_REPEAT, COL_COMMERCIAL)]
    unchecked = [f for f in result.findings if f.rule == "t3.balance"]
    assert unchecked and all("未读出" in f.message for f in unchecked)


def test_a_table_not_found_is_not_called_blank(tmp_path: Path) -> None:
    """Table 三 pasted as a picture into a text: not one of its cells is called blank."""
    lines = _seed_lines()
    start = next(i for i, line in enumerate(lines) if line.startswith("一、本年新收"))
    end = next(i for i, line in enumerate(lines) if "四、结转下年度继续办理" in line)
    lines[start : end + 1] = ["（表格为图片）"]
    path = tmp_path / "picture.txt"
    path.write_text("\n".join(lines), encoding="utf-8")

    result = audit_file(path)

    assert any(f.rule == "parse.missing_table" for f in result.findings)
    assert not [f for f in result.findings if f.rule == "cells.blank"]


def test_the_one_empty_row_found_of_a_table_otherwise_not_found_is_not_read() -> None:
    """As a PDF gives table 三 pasted as a picture: every row not found but one that the prose
    names (「3.其他」), found with no numbers. Nothing of the table was read, so none of its
    cells is blank, and the sums it blocks say 「未读出」 (175 cells were called blank)."""
    seed = AnnualReport.from_json(SEED_JSON.read_text(encoding="utf-8"))
    tables = {
        code: {row: dict.fromkeys(cells) for row, cells in rows.items()} if code == T3 else rows
        for code, rows in seed.tables.items()
    }
    report = seed.model_copy(update={"tables": tables})
    problems = [
        ParseProblem("missing_row", "未找到", table=T3, row=row)
        for row in tables[T3]
        if row != T3_OTHER_OTHER
    ]

    not_read = audit._not_read(report, problems)
    findings = check_report(report, unread=not_read)

    assert {(t, r) for t, r, _c in not_read} == {(T3, row) for row in tables[T3]}
    assert not [f for f in findings if f.rule == "cells.blank"]
    assert all("未读出" in f.message for f in findings if f.rule == "t3.row_total")


def test_the_rows_of_a_table_not_found_are_one_finding(tmp_path: Path) -> None:
    """Rows not found are one warning per table naming them (a table pasted as a picture
    gave 24), each row marked; a single row keeps its own message."""
    gone = ("二、上年结转", "\t\t2. 重复申请", "\t\t3. 要求提供公开出版物")
    lines = [line for line in _seed_lines() if not line.startswith(gone)]
    path = tmp_path / "missing.txt"
    path.write_text("\n".join(lines), encoding="utf-8")

    [missing] = [f for f in audit_file(path).findings if f.rule == "parse.missing_row"]

    assert missing.message.startswith("表三有 3 行未找到：「上年结转」")
    assert len(missing.cells) == 3
