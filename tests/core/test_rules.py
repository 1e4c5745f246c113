"""The consistency rules, as a specification.

Two consistent real reports, one per format version, pass every rule:

* ``seed_quangang_2021.json`` — the seed (泉港区 2021, 2021 format), hand-verified.
* ``shanghai_2019.json`` — 上海市人民政府办公厅 2019 (``shared/reports/017.html``, 2019 trial
  format), read by hand from the HTML table. The published table leaves 135 cells blank
  (``&nbsp;``): every zero, and the 总计 cell of every result row. This fixture holds 0 for the
  blank applicant cells (each column's official balance and (七)总计 hold only if they are 0,
  and the answer key ``answers.tsv`` reads them so) and the row sum for each blank 总计 cell
  (e.g. 予以公开 272 = 258 + 12 + 1 + 1, the figure answers.tsv gives). The table exactly as
  published, blanks kept, is ``shanghai_2019_as_published.json``; it is what the blank rules
  are tested on.

Then every rule is broken by a mutated copy that breaks that rule alone, on both formats where
the rule applies, and the findings must be exactly that rule's.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from gongkai.core.errors import GongkaiError
from gongkai.core.findings import Category, Finding, Severity
from gongkai.core.formats import SECTIONS
from gongkai.core.model import AnnualReport, ReportKind
from gongkai.core.rules import RULES, check_report, read_fee_statement, rule_by_id

REPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "reports"


def load(name: str) -> AnnualReport:
    return AnnualReport.from_json((REPORTS / f"{name}.json").read_text(encoding="utf-8"))


SEED = load("seed_quangang_2021")
# The published prose says 「予以公开及部分公开258件，占33.9%」 where 258 of 805 is 32.0%: a
# real slip that narrative.share finds (test_the_real_share_slip_is_found). The bases of the
# other tests state the share as 258 gives it, so that each case finds only its own rule.
SHARE_SLIP = "予以公开及部分公开258件，占33.9%"


def _share_slip_fixed(report: AnnualReport) -> AnnualReport:
    narrative = {
        k: v.replace(SHARE_SLIP, SHARE_SLIP[:-5] + "32.0%") for k, v in report.narrative.items()
    }
    return report.model_copy(update={"narrative": narrative})


SHANGHAI = _share_slip_fixed(load("shanghai_2019"))
SHANGHAI_AS_PUBLISHED = _share_slip_fixed(load("shanghai_2019_as_published"))
BASES = {"2021": SEED, "2019": SHANGHAI}

CellKey = tuple[str, str, str]


def with_cells(report: AnnualReport, changes: dict[CellKey, Any]) -> AnnualReport:
    """Several cells changed at once (one validation, so no half-changed report exists)."""
    tables = {t: {r: dict(c) for r, c in rows.items()} for t, rows in report.tables.items()}
    for (table, row, column), value in changes.items():
        assert column in tables[table][row], (table, row, column)
        tables[table][row][column] = value
    return AnnualReport.model_validate(
        {"meta": report.meta.model_dump(), "tables": tables, "narrative": report.narrative}
    )


def with_narrative(report: AnnualReport, section: str, text: str) -> AnnualReport:
    narrative = {**report.narrative, section: text}
    return AnnualReport.model_validate(
        {"meta": report.meta.model_dump(), "tables": report.tables, "narrative": narrative}
    )


def without_section(report: AnnualReport, section: str) -> AnnualReport:
    narrative = {k: v for k, v in report.narrative.items() if k != section}
    return AnnualReport.model_validate(
        {"meta": report.meta.model_dump(), "tables": report.tables, "narrative": narrative}
    )


def next_year(previous: AnnualReport) -> AnnualReport:
    """A consistent report of the same unit for the following year.

    It carries in exactly what ``previous`` carried out, keeps the other cells, and moves the
    carried-out figures so that the official balance still holds; 现行有效件数 (2021 format)
    follows last year's figure + issued − repealed.
    """
    year = previous.meta.year + 1
    changes: dict[CellKey, Any] = {}
    t3 = previous.tables["t3"]
    for column, carried in t3["carried_out"].items():
        changes[("t3", "carried_in", column)] = carried
        new, results = t3["new"][column], t3["results_total"][column]
        changes[("t3", "carried_out", column)] = new + carried - results
    if previous.meta.format_version == "2021":
        for row, cells in previous.tables["s2.art20_1"].items():
            changes[("s2.art20_1", row, "in_force")] = (
                cells["in_force"] + cells["issued"] - cells["repealed"]
            )
    else:
        for table in ("s2.art20_5", "s2.art20_6", "s2.art20_8"):
            for row, cells in previous.tables[table].items():
                changes[(table, row, "items_last_year")] = (
                    cells["items_last_year"] + cells["items_change"]
                )
    report = with_cells(previous, changes)
    # Last year's rates against the year before it (「较去年回落12.3%」) do not hold a year on.
    narrative = {k: _RATE.sub("", v) for k, v in report.narrative.items()}
    report = report.model_copy(update={"narrative": narrative})
    return report.with_meta(year=year, published=dt.date(year + 1, 1, 20))


_RATE = re.compile(r"[，,；;]?[^，,。；;]*(?:同比|较去年|较上年)[^，,。；;]*%")


# ---------------------------------------------------------------------------------------------
# Consistent reports pass
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2021", "2019"])
def test_consistent_real_report_has_no_finding(version: str) -> None:
    assert check_report(BASES[version]) == []


@pytest.mark.parametrize("version", ["2021", "2019"])
def test_consistent_next_year_has_no_finding(version: str) -> None:
    base = BASES[version]
    assert check_report(next_year(base), previous=base) == []


def test_seed_passes_every_table_rule() -> None:
    """LEGAL.md §2.7 worked example: 67 + 0 = 61 + 6, rows and table 四 hold."""
    table_rules = [r for r in check_report(SEED) if r.category is Category.TABLE]
    assert table_rules == []


# ---------------------------------------------------------------------------------------------
# One mutation per rule (and per format), each breaking exactly that rule
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mutation:
    name: str
    rule: str
    version: str
    build: Callable[[AnnualReport], tuple[AnnualReport, AnnualReport | None, dt.date | None]]
    severity: Severity | None = None
    messages: tuple[str, ...] = ()  # exact messages, when the case pins them
    # The section headings as printed (code, numeral, heading), for the structure rules.
    headings: tuple[tuple[str, str, str], ...] | None = None


def cells(changes: dict[CellKey, Any]) -> Callable[[AnnualReport], Any]:
    return lambda base: (with_cells(base, changes), None, None)


def shifted(*specs: tuple[str, str, str, int]) -> Callable[[AnnualReport], Any]:
    """Add ``delta`` to cells, whatever the base holds."""

    def build(base: AnnualReport) -> Any:
        changes = {(t, r, c): base.tables[t][r][c] + d for t, r, c, d in specs}
        return with_cells(base, changes), None, None

    return build


def meta(**changes: Any) -> Callable[[AnnualReport], Any]:
    return lambda base: (base.with_meta(**changes), None, None)


def narrative(text: str, *more: dict[CellKey, Any]) -> Callable[[AnnualReport], Any]:
    def build(base: AnnualReport) -> Any:
        report = with_narrative(base, "other", text)
        for changes in more:
            report = with_cells(report, changes)
        return report, None, None

    return build


def cross_year(
    change_current: Callable[[AnnualReport], AnnualReport] = lambda r: r,
    change_previous: Callable[[AnnualReport], AnnualReport] = lambda r: r,
) -> Callable[[AnnualReport], Any]:
    def build(base: AnnualReport) -> Any:
        return change_current(next_year(base)), change_previous(base), None

    return build


def both(
    name: str,
    rule: str,
    build: Callable[[AnnualReport], Any],
    *,
    severity: Severity | None = None,
    messages_2021: tuple[str, ...] = (),
    messages_2019: tuple[str, ...] = (),
) -> list[Mutation]:
    return [
        Mutation(name, rule, "2021", build, severity, messages_2021),
        Mutation(name, rule, "2019", build, severity, messages_2019),
    ]


def carry_in_one_short(report: AnnualReport) -> AnnualReport:
    """One application fewer carried in, one more new: the balance still holds."""
    t3 = report.tables["t3"]
    return with_cells(
        report,
        {
            ("t3", "carried_in", "natural_person"): t3["carried_in"]["natural_person"] - 1,
            ("t3", "carried_in", "total"): t3["carried_in"]["total"] - 1,
            ("t3", "new", "natural_person"): t3["new"]["natural_person"] + 1,
            ("t3", "new", "total"): t3["new"]["total"] + 1,
        },
    )


UNPAID_ONE = {
    ("t3", "other.fee_unpaid", "natural_person"): 1,
    ("t3", "other.fee_unpaid", "total"): 1,
    ("t3", "other.other", "natural_person"): 6,
    ("t3", "other.other", "total"): 6,
}

MUTATIONS: list[Mutation] = [
    *both(
        "carried_out_plus_one",
        "t3.balance",
        shifted(("t3", "carried_out", "natural_person", 1), ("t3", "carried_out", "total", 1)),
        messages_2021=(
            "「自然人」列：第一项 67 + 第二项 0 = 67，但第三项总计 61 + 第四项 7 = 68",
            "「总计」列：第一项 67 + 第二项 0 = 67，但第三项总计 61 + 第四项 7 = 68",
        ),
        messages_2019=(
            "「自然人」列：第一项 821 + 第二项 18 = 839，但第三项总计 767 + 第四项 73 = 840",
            "「总计」列：第一项 859 + 第二项 18 = 877，但第三项总计 805 + 第四项 73 = 878",
        ),
    ),
    *both(
        "row_total_moved_between_rows",
        "t3.row_total",
        shifted(("t3", "disclosed", "total", 1), ("t3", "partly_disclosed", "total", -1)),
        messages_2021=(
            "表三「予以公开」：自然人 36 + 商业企业 0 + 科研机构 0 + 社会公益组织 0 + "
            "法律服务机构 0 + 其他 0 = 36，但「总计」为 37",
            "表三「部分公开」：自然人 2 + 商业企业 0 + 科研机构 0 + 社会公益组织 0 + "
            "法律服务机构 0 + 其他 0 = 2，但「总计」为 1",
        ),
    ),
    *both(
        "result_leaf_plus_one",
        "t3.results_total",
        shifted(("t3", "disclosed", "natural_person", 1), ("t3", "disclosed", "total", 1)),
        messages_2021=(
            "「自然人」列：各项办理结果 予以公开 37 + 部分公开 2 + "
            "无法提供 1.本机关不掌握相关政府信息 15 + 其他处理 逾期不补正 1 + 其他处理 其他 7 = 62"
            "（其余各项为 0），但「（七）总计」为 61",
            "「总计」列：各项办理结果 予以公开 37 + 部分公开 2 + "
            "无法提供 1.本机关不掌握相关政府信息 15 + 其他处理 逾期不补正 1 + 其他处理 其他 7 = 62"
            "（其余各项为 0），但「（七）总计」为 61",
        ),
    ),
    # (六)其他处理 is one row in 2019 and three in 2021: the (七)总计 rule follows the format.
    Mutation(
        "other_single_row_2019",
        "t3.results_total",
        "2019",
        shifted(("t3", "other", "research", 1), ("t3", "other", "total", 1)),
    ),
    Mutation(
        "other_sub_row_2021",
        "t3.results_total",
        "2021",
        shifted(
            ("t3", "other.no_correction", "research", 1), ("t3", "other.no_correction", "total", 1)
        ),
    ),
    *both(
        "reconsideration_total_plus_one",
        "t4.group_total",
        shifted(("t4", "reconsideration", "total", 1)),
        messages_2021=(
            "表四「行政复议」：结果维持 3 + 结果纠正 0 + 其他结果 0 + 尚未审结 0 = 3，"
            "但「总计」为 4",
        ),
    ),
    *both(
        "litigation_pending_plus_one",
        "t4.group_total",
        shifted(("t4", "litigation_after", "pending", 1)),
    ),
    *both(
        "negative_licensing_decisions",
        "cells.non_negative",
        cells({("s2.art20_5", "licensing", "decisions"): -1}),
        messages_2021=(
            "第二部分第二十条第（五）项「行政许可」「本年处理决定数量」为 -1，件数不能为负数",
        ),
    ),
    *both(
        "blank_penalty_decisions",
        "cells.blank",
        cells({("s2.art20_6", "penalty", "decisions"): None}),
        messages_2021=(
            "第二部分第二十条第（六）项有 1 个单元格空白（没有数据应填 0）："
            "第二部分第二十条第（六）项「行政处罚」（本年处理决定数量）",
        ),
    ),
    Mutation(
        "fee_in_yuan",
        "s2.fee_unit",
        "2021",
        cells({("s2.art20_8", "admin_fees", "amount"): Decimal("225981")}),
        messages=(
            "第二部分第二十条第（八）项「行政事业性收费」「本年收费金额（单位：万元）」"
            "为 225981 万元，即 22.5981 亿元，超过一个单位行政事业性收费的合理上限 100000 万元，"
            "可能把元填成了万元",
        ),
    ),
    Mutation(
        "fee_whole_thousands",
        "s2.fee_unit",
        "2021",
        cells({("s2.art20_8", "admin_fees", "amount"): Decimal("5000")}),
    ),
    Mutation(
        "seed_says_2020",
        "format.year_mismatch",
        "2021",
        meta(year=2020, published=dt.date(2021, 1, 10)),
        messages=(
            "2020 年度报告应使用《中华人民共和国政府信息公开工作年度报告格式（试行）》"
            "（国办公开办函〔2019〕60号），但本报告采用的是"
            "《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）",
        ),
    ),
    Mutation(
        "shanghai_says_2021",
        "format.year_mismatch",
        "2019",
        meta(year=2021, published=dt.date(2022, 1, 20)),
    ),
    Mutation(
        "rollup_published_in_april",
        "publication.deadline",
        "2021",
        meta(published=dt.date(2022, 4, 5)),
        messages=(
            "发布日期 2022-04-05 晚于公布期限 2022-03-31（汇总报告适用政府报告的期限），逾期 5 天",
        ),
    ),
    Mutation(
        "department_published_in_february",
        "publication.deadline",
        "2019",
        meta(published=dt.date(2020, 2, 1)),
        messages=(
            "发布日期 2020-02-01 晚于公布期限 2020-01-31（政府部门适用政府部门报告的期限），"
            "逾期 1 天",
        ),
    ),
    Mutation(
        "no_fee_statement",
        "fees.statement",
        "2021",
        narrative("无。"),
        messages=(
            "第六部分「其他需要报告的事项」没有提到信息处理费，应说明发出收费通知的件数和金额"
            "以及实际收取的金额（未收取的也应写明）",
        ),
    ),
    Mutation(
        "empty_section_six",
        "fees.statement",
        "2021",
        narrative(""),
    ),
    Mutation(
        "unpaid_without_notice_count",
        "fees.coherence",
        "2021",
        narrative("2021 年泉港区未收取信息处理费。", UNPAID_ONE),
        messages=(
            "表三「其他处理 逾期未缴费」总计 1 件（申请人逾期未缴费），"
            "但第六部分没有写明发出收费通知的件数",
        ),
    ),
    Mutation(
        "unpaid_more_than_notices",
        "fees.coherence",
        "2021",
        narrative(
            "本年度发出收费通知 0 件，未收取信息处理费。",
            {**UNPAID_ONE},
        ),
    ),
    Mutation(
        "collected_without_notice",
        "fees.coherence",
        "2021",
        narrative("本年度未发出收费通知，收取信息处理费 300 元。"),
        messages=(
            "第六部分写明收取信息处理费 300 元，却又写明没有发出收费通知（收费必须先发出收费通知）",
        ),
    ),
    *both(
        "previous_of_another_unit",
        "cross_year.previous",
        cross_year(change_previous=lambda r: r.with_meta(unit="惠安县")),
    ),
    *both(
        "previous_two_years_back",
        "cross_year.previous",
        cross_year(change_previous=lambda r: r.with_meta(year=r.meta.year - 1)),
    ),
    *both(
        "carry_in_one_short",
        "cross_year.carry_in",
        cross_year(change_current=carry_in_one_short),
        messages_2021=(
            "「自然人」列：本年「上年结转」为 5，但 2021 年度报告「结转下年度继续办理」为 6",
            "「总计」列：本年「上年结转」为 5，但 2021 年度报告「结转下年度继续办理」为 6",
        ),
    ),
    Mutation(
        "in_force_one_too_many",
        "cross_year.in_force",
        "2021",
        cross_year(
            change_current=lambda r: with_cells(
                r, {("s2.art20_1", "normative_documents", "in_force"): 224}
            )
        ),
        messages=(
            "「行政规范性文件」：2021 年度现行有效件数 242 + 本年制发件数 21 − "
            "本年废止件数 40 = 223，但本年现行有效件数为 224",
        ),
    ),
    Mutation(
        "items_last_year_drift",
        "s2.items_change_2019",
        "2019",
        cross_year(
            change_current=lambda r: with_cells(
                r, {("s2.art20_5", "licensing", "items_last_year"): 5}
            )
        ),
        messages=(
            "第二部分第二十条第（五）项「行政许可」：2019 年度上一年项目数量 0 + 本年增/减 +0 = 0，"
            "但本年上一年项目数量为 5",
        ),
    ),
    *(
        Mutation(
            f"section_{code}_missing",
            "structure.sections",
            version,
            lambda base, code=code: (without_section(base, code), None, None),
        )
        for version in ("2021", "2019")
        for code in ("overview", "problems")
    ),
    *(
        Mutation(
            f"section_five_says_{text or 'nothing'}",
            "structure.problems",
            version,
            lambda base, text=text: (with_narrative(base, "problems", text), None, None),
        )
        for version in ("2021", "2019")
        for text in ("", "无。")
    ),
    *(
        Mutation(
            "doubled_word",
            "wording.doubled_word",
            version,
            lambda base: (
                with_narrative(base, "problems", "二是规范审核审核发布机制。"),
                None,
                None,
            ),
            messages=(
                "第五部分「五、存在的主要问题及改进情况」「二是规范审核审核发布机制」中「审核」"
                "连写了两次，疑为多打",
            ),
        )
        for version in ("2021", "2019")
    ),
    *(
        Mutation(
            "sentence_opens_with_an_old_year",
            "wording.other_year",
            version,
            lambda base: (
                with_narrative(base, "problems", f"{base.meta.year - 3}年，我局公开工作仍有不足。"),
                None,
                None,
            ),
        )
        for version in ("2021", "2019")
    ),
    *(
        Mutation(
            "this_year_written_as_another",
            "wording.this_year",
            version,
            lambda base: (
                with_narrative(
                    base, "overview", f"本年度（{base.meta.year - 1}年），我局认真贯彻《条例》。"
                ),
                None,
                None,
            ),
        )
        for version in ("2021", "2019")
    ),
    *(
        Mutation(
            "all_closed_with_a_carry_over",
            "narrative.all_closed",
            version,
            lambda base: (
                with_narrative(base, "problems", "全年收到的申请均已按期办结。"),
                None,
                None,
            ),
        )
        for version in ("2021", "2019")
    ),
    *(
        Mutation(
            "share_not_the_count_over_the_total",
            "narrative.share",
            version,
            lambda base: (
                with_narrative(
                    base,
                    "overview",
                    f"予以公开{base.cell('t3', 'disclosed', 'total')}件，占99.9%。",
                ),
                None,
                None,
            ),
        )
        for version in ("2021", "2019")
    ),
    *(
        Mutation(
            "change_not_from_the_two_counts_written",
            "narrative.change",
            version,
            lambda base: (
                with_narrative(
                    base,
                    "overview",
                    f"收到申请{base.cell('t3', 'new', 'total')}件，较上年的1000件增长99.9%。",
                ),
                None,
                None,
            ),
        )
        for version in ("2021", "2019")
    ),
    *(
        Mutation(
            "year_on_year_rate_not_the_two_years",
            "cross_year.yoy_rate",
            version,
            cross_year(
                change_current=lambda r: with_narrative(
                    r,
                    "overview",
                    f"收到政府信息公开申请{r.cell('t3', 'new', 'total')}件，同比增长99.9%。",
                )
            ),
        )
        for version in ("2021", "2019")
    ),
    *(
        Mutation(
            "share_without_a_count_not_the_tables",
            "narrative.rate",
            version,
            lambda base: (
                with_narrative(
                    base, "overview", "收到政府信息公开申请，予以公开占办结总数的99.9%。"
                ),
                None,
                None,
            ),
        )
        for version in ("2021", "2019")
    ),
    *(
        Mutation(
            "year_on_year_rate_without_a_count_not_the_two_tables",
            "cross_year.yoy_subject",
            version,
            cross_year(
                change_current=lambda r: with_narrative(
                    r, "overview", "收到的政府信息公开申请同比增长99.9%。"
                )
            ),
        )
        for version in ("2021", "2019")
    ),
    Mutation(
        "information_fee_collected_in_the_overview_but_none_in_section_six",
        "fees.stated_twice",
        "2021",
        lambda base: (
            with_narrative(base, "overview", "全年收取信息处理费200元。"),
            None,
            None,
        ),
    ),
    Mutation(
        "admin_fee_in_prose_not_the_table",
        "fees.admin_amount",
        "2021",
        lambda base: (
            with_narrative(base, "overview", "全年收取行政事业性收费99.9万元。"),
            None,
            None,
        ),
    ),
    *(
        Mutation(
            "sections_numbered_one_to_five",
            "structure.numbering",
            version,
            lambda base: (base, None, None),
            headings=tuple(
                (s.code, "一二三四五"[i - 1], f"{'一二三四五'[i - 1]}、{s.heading}")
                for i, s in enumerate(SECTIONS)
                if i
            ),
        )
        for version in ("2021", "2019")
    ),
    *(
        Mutation(
            "sections_five_and_six_swapped",
            "structure.order",
            version,
            lambda base: (base, None, None),
            headings=tuple(
                (s.code, s.number, f"{s.number}、{s.heading}")
                for s in (*SECTIONS[:4], SECTIONS[5], SECTIONS[4])
            ),
        )
        for version in ("2021", "2019")
    ),
]


def run(mutation: Mutation) -> list[Finding]:
    report, previous, today = mutation.build(BASES[mutation.version])
    return check_report(report, previous=previous, today=today, headings=mutation.headings)


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: f"{m.version}-{m.name}")
def test_mutation_breaks_exactly_its_rule(mutation: Mutation) -> None:
    findings = run(mutation)
    assert findings, f"{mutation.name} produced no finding"
    assert {f.rule for f in findings} == {mutation.rule}
    rule = rule_by_id(mutation.rule)
    for finding in findings:
        assert finding.severity is (mutation.severity or rule.severity)
        assert finding.category is rule.category
        assert finding.citation == rule.citation
    if mutation.messages:
        assert [f.message for f in findings] == sorted(mutation.messages)


def test_every_rule_has_a_breaking_mutation() -> None:
    """Adding a rule without a mutation that breaks it fails here."""
    assert {m.rule for m in MUTATIONS} == {r.id for r in RULES}


@pytest.mark.parametrize("version", ["2021", "2019"])
def test_every_rule_of_a_format_is_broken_on_that_format(version: str) -> None:
    applicable = {r.id for r in RULES if version in r.versions}
    assert {m.rule for m in MUTATIONS if m.version == version} == applicable


def test_findings_name_the_cells_to_highlight() -> None:
    (finding,) = [f for f in run(MUTATIONS[0]) if f.message.startswith("「自然人」")]
    assert {(c.table, c.row, c.column) for c in finding.cells} >= {
        ("t3", "new", "natural_person"),
        ("t3", "carried_in", "natural_person"),
        ("t3", "results_total", "natural_person"),
    }


def test_the_engine_reports_every_broken_rule_at_once() -> None:
    report = with_cells(
        SEED,
        {
            ("t3", "carried_out", "natural_person"): 7,  # balance and row total
            ("t4", "reconsideration", "total"): 4,
            ("s2.art20_5", "licensing", "decisions"): -1,
        },
    ).with_meta(published=dt.date(2022, 4, 1))
    findings = check_report(with_narrative(report, "other", "无。"))
    assert {f.rule for f in findings} == {
        "t3.balance",
        "t3.row_total",
        "t4.group_total",
        "cells.non_negative",
        "publication.deadline",
        "fees.statement",
    }
    ranks = [f.severity.rank for f in findings]
    assert ranks == sorted(ranks)


def test_findings_built_without_validation_are_what_validation_gives() -> None:
    """The engine builds findings without re-validating them (speed): every one must be the
    finding validation would give, and must survive a JSON round trip unchanged."""
    report = with_cells(
        load("shanghai_2019_as_published"), {("t3", "carried_out", "natural_person"): 7}
    )
    findings = check_report(report)
    assert any(f.cells for f in findings)
    for finding in findings:
        assert Finding.model_validate(finding.model_dump()) == finding
        assert Finding.model_validate_json(finding.model_dump_json()) == finding


def test_cell_references_stay_right_when_their_cache_is_emptied(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from gongkai.core.rules import engine

    monkeypatch.setattr(engine, "_CELL_REFS_LIMIT", 3)
    engine._CELL_REFS.clear()
    cells = tuple(("t3", row, "total") for row in ("new", "carried_in", "results_total", "new"))
    for _ in range(2):  # once building the references, once finding them kept
        refs = engine._cell_refs(cells)
        assert [(r.table, r.row, r.column) for r in refs] == list(cells)
    engine._CELL_REFS.clear()


# ---------------------------------------------------------------------------------------------
# Blank cells: a warning for the blanks, and rules that cannot run say so
# ---------------------------------------------------------------------------------------------


def test_shanghai_as_published_has_only_blank_findings() -> None:
    """answers.tsv: the balance holds; the report leaves zeros and most 总计 cells blank."""
    findings = check_report(SHANGHAI_AS_PUBLISHED)
    assert not [f for f in findings if f.is_error]
    warnings = [f for f in findings if f.severity is Severity.WARNING]
    assert {f.rule for f in warnings} == {"cells.blank"}
    assert sum(len(f.cells) for f in warnings) == 135
    infos = {f.rule for f in findings if f.severity is Severity.INFO}
    assert infos == {"t3.balance", "t3.row_total", "t3.results_total", "t4.group_total"}


def test_a_blank_total_cell_is_named_not_skipped() -> None:
    report = with_cells(SEED, {("t3", "disclosed", "total"): None})
    findings = check_report(report)
    assert not [f for f in findings if f.is_error]
    by_rule = {f.rule: f for f in findings}
    assert set(by_rule) == {"cells.blank", "t3.row_total", "t3.results_total"}
    assert by_rule["cells.blank"].severity is Severity.WARNING
    assert by_rule["t3.row_total"].message == (
        "表三「予以公开」：因单元格空白，无法核对总计是否等于各项之和。"
        "空白单元格：表三「予以公开」（总计）"
    )
    assert by_rule["t3.results_total"].severity is Severity.INFO
    assert "「总计」列" in by_rule["t3.results_total"].message


def test_a_blank_balance_cell_is_named_not_skipped() -> None:
    report = with_cells(
        SEED, {("t3", "carried_in", "research"): None, ("t3", "carried_in", "total"): None}
    )
    by_rule = {f.rule: f for f in check_report(report)}
    assert by_rule["t3.balance"].severity is Severity.INFO
    assert by_rule["t3.balance"].message.startswith("「科研机构」列、「总计」列：因单元格空白")


# ---------------------------------------------------------------------------------------------
# Cells: what non-negative means per value kind; the fee unit
# ---------------------------------------------------------------------------------------------


def test_signed_change_may_be_negative() -> None:
    report = with_cells(SHANGHAI, {("s2.art20_5", "licensing", "items_change"): -8})
    assert check_report(report) == []


def test_procurement_amount_may_not_be_negative() -> None:
    report = with_cells(SHANGHAI, {("s2.art20_9", "procurement", "amount"): Decimal("-1.5")})
    (finding,) = check_report(report)
    assert (
        finding.message
        == "第二部分第二十条第（九）项「政府集中采购」「采购总金额」为 -1.5，金额不能为负数"
    )


def test_a_fractional_count_that_slipped_past_validation_is_an_error() -> None:
    tables = {t: {r: dict(c) for r, c in rows.items()} for t, rows in SEED.tables.items()}
    tables["s2.art20_6"]["coercion"]["decisions"] = Decimal("10.5")
    report = AnnualReport.model_construct(meta=SEED.meta, tables=tables, narrative=SEED.narrative)
    (finding,) = check_report(report)
    assert finding.rule == "cells.non_negative"
    assert "件数应为整数" in finding.message


@pytest.mark.parametrize(
    ("amount", "suspicious"),
    [
        (Decimal("22.5981"), False),  # the seed
        (Decimal("24252.311082"), False),  # report 003: 6 decimals, plausibly 万元
        (Decimal("999"), False),
        (Decimal("1000.00"), False),  # written with decimals
        (Decimal("1000"), True),
        (Decimal("100000"), True),
        (Decimal("100000.5"), True),  # above law.FEE_WAN_YUAN_PLAUSIBLE_MAX
        (Decimal("0"), False),
    ],
)
def test_fee_unit_plausibility(amount: Decimal, suspicious: bool) -> None:
    report = with_cells(SEED, {("s2.art20_8", "admin_fees", "amount"): amount})
    assert [f.rule for f in check_report(report)] == (["s2.fee_unit"] if suspicious else [])


FEE_CELL = ("s2.art20_8", "admin_fees", "amount")


def _fee_findings(report: AnnualReport, previous: AnnualReport | None = None) -> list[Finding]:
    return [f for f in check_report(report, previous=previous) if f.rule == "s2.fee_unit"]


def test_fee_unit_is_confirmed_by_the_prose_in_wan_yuan() -> None:
    report = with_narrative(
        with_cells(SEED, {FEE_CELL: Decimal("5000")}), "other", "本年行政事业性收费 5,000 万元。"
    )
    assert _fee_findings(report) == []


def test_fee_unit_prose_in_yuan_is_quoted() -> None:
    report = with_narrative(
        with_cells(SEED, {FEE_CELL: Decimal("5000")}), "other", "本年行政事业性收费 5000 元。"
    )
    (finding,) = _fee_findings(report)
    assert "正文也写作“5000 元”" in finding.message


def test_fee_unit_of_the_same_order_as_last_year_is_not_suspected() -> None:
    previous = with_cells(SEED, {FEE_CELL: Decimal("4800")})
    current = with_cells(next_year(previous), {FEE_CELL: Decimal("5000")})
    assert _fee_findings(current, previous) == []


def test_fee_unit_ten_thousand_times_last_year_says_so() -> None:
    previous = with_cells(SEED, {FEE_CELL: Decimal("0.5")})
    current = with_cells(next_year(previous), {FEE_CELL: Decimal("5000")})
    (finding,) = _fee_findings(current, previous)
    assert "上年为 0.5 万元，本年约为其 10000 倍" in finding.message


# ---------------------------------------------------------------------------------------------
# Format version and publication date
# ---------------------------------------------------------------------------------------------


def test_a_year_before_the_2019_revision_has_no_format() -> None:
    report = SHANGHAI.with_meta(year=2018, published=dt.date(2019, 1, 20))
    (finding,) = check_report(report)
    assert finding.rule == "format.year_mismatch"
    assert finding.message.startswith("2018 年度没有适用的全国统一年度报告格式")


@pytest.mark.parametrize(
    ("kind", "published", "severity", "days_late"),
    [
        ("department", dt.date(2022, 1, 31), None, None),
        ("department", dt.date(2022, 2, 1), Severity.ERROR, 1),
        ("township", dt.date(2022, 2, 10), Severity.INFO, None),  # Art 49 sets townships none
        ("township", dt.date(2022, 9, 30), Severity.INFO, None),
        ("township", dt.date(2021, 12, 30), Severity.WARNING, None),  # before the year ended
        ("government", dt.date(2022, 3, 31), None, None),
        ("government", dt.date(2022, 4, 30), Severity.ERROR, 30),
        ("rollup", dt.date(2022, 3, 1), None, None),
        (None, dt.date(2022, 1, 31), None, None),
        (None, dt.date(2022, 3, 1), Severity.INFO, 29),  # late only if it is a department's
        (None, dt.date(2022, 4, 1), Severity.ERROR, 1),
        ("department", dt.date(2021, 12, 30), Severity.WARNING, None),  # before the year ended
    ],
)
def test_publication_deadline(
    kind: str | None, published: dt.date, severity: Severity | None, days_late: int | None
) -> None:
    report = SEED.with_meta(kind=None if kind is None else ReportKind(kind), published=published)
    findings = check_report(report)
    if severity is None:
        assert findings == []
        return
    (finding,) = findings
    assert (finding.rule, finding.severity) == ("publication.deadline", severity)
    assert finding.category is Category.PUBLICATION
    assert finding.citation == "《条例》第四十九条"
    if days_late is not None:
        assert f"逾期 {days_late} 天" in finding.message


def test_a_township_report_has_no_national_deadline() -> None:
    report = SEED.with_meta(kind=ReportKind.TOWNSHIP, published=dt.date(2022, 5, 10))
    (finding,) = check_report(report)
    assert finding.severity is Severity.INFO
    assert "没有全国统一的乡镇报告公布期限" in finding.message


def test_a_province_may_set_its_townships_a_deadline() -> None:
    from gongkai.core.law import MonthDay, PublicationPolicy

    huaihua = PublicationPolicy(MonthDay(2, 20), "怀化市通知")
    late = SEED.with_meta(kind=ReportKind.TOWNSHIP, published=dt.date(2022, 2, 21))
    on_time = late.with_meta(published=dt.date(2022, 2, 20))

    (finding,) = check_report(late, publication=huaihua)
    assert finding.severity is Severity.ERROR
    assert "晚于公布期限 2022-02-20（乡镇（街道）报告适用怀化市通知的期限" in finding.message
    assert "逾期 1 天" in finding.message
    assert check_report(on_time, publication=huaihua) == []


@pytest.mark.parametrize(
    ("today", "severity"),
    [
        (None, Severity.INFO),
        (dt.date(2022, 3, 1), Severity.INFO),
        (dt.date(2022, 4, 2), Severity.WARNING),
    ],
)
def test_unpublished_report(today: dt.date | None, severity: Severity) -> None:
    report = SEED.with_meta(published=None)
    (finding,) = check_report(report, today=today)
    assert (finding.rule, finding.severity) == ("publication.deadline", severity)
    if severity is Severity.WARNING:
        assert finding.message == (
            "2021 年度报告尚未填写发布日期；应于 2022-03-31 前公布（汇总报告适用政府报告的期限），"
            "至今日（2022-04-02）已超过 2 天"
        )


# ---------------------------------------------------------------------------------------------
# Cross-year
# ---------------------------------------------------------------------------------------------


def test_a_mismatched_previous_report_runs_no_cross_year_rule() -> None:
    current = with_cells(next_year(SEED), {("s2.art20_1", "normative_documents", "in_force"): 1})
    stranger = SEED.with_meta(unit="惠安县")
    (finding,) = check_report(current, previous=stranger)
    assert finding.rule == "cross_year.previous"
    assert (
        finding.message
        == "提供的上一年度报告是「惠安县」2021 年度，不是「泉港区」2021 年度，跨年度规则未执行"
    )


def test_cross_year_across_format_versions_compares_table_three_only() -> None:
    """2020 (trial format) → 2021: carry-over is compared; 现行有效件数 did not exist in 2020."""
    previous = SHANGHAI.with_meta(year=2020, published=dt.date(2021, 1, 20))
    current = SEED.with_meta(unit="上海市人民政府办公厅", kind=ReportKind.DEPARTMENT)
    findings = check_report(current, previous=previous)
    assert {f.rule for f in findings} == {"cross_year.carry_in"}
    assert [f.message for f in findings] == [
        "「总计」列：本年「上年结转」为 0，但 2020 年度报告「结转下年度继续办理」为 72",
        "「自然人」列：本年「上年结转」为 0，但 2020 年度报告「结转下年度继续办理」为 72",
    ]


def test_blank_carry_in_is_named() -> None:
    current = with_cells(next_year(SEED), {("t3", "carried_in", "research"): None})
    findings = check_report(current, previous=SEED)
    carry = [f for f in findings if f.rule == "cross_year.carry_in"]
    assert [f.severity for f in carry] == [Severity.INFO]
    assert "「科研机构」列" in carry[0].message


# ---------------------------------------------------------------------------------------------
# Section 六: what the small regexes read, and what they leave alone
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mentioned", "notices", "collected"),
    [
        ("2021 年泉港区未收取信息处理费。", True, None, Decimal(0)),
        ("本年度共发出收费通知 2 件，总金额 500 元，实际收取 300 元。", True, 2, Decimal(300)),
        ("本机关共发出收费通知书3份，收取信息处理费共计1200元。", True, 3, Decimal(1200)),
        ("本年度未发出收费通知，未收取信息处理费。", True, 0, Decimal(0)),
        ("发出收费通知的件数为0件。", True, 0, None),
        ("向 4 件收费通知的申请人收取信息处理费 0.12 万元。", True, 4, Decimal(1200)),
        ("无。", False, None, None),
        ("本机关依申请公开信息数22条。", False, None, None),
        # Limits: Chinese numerals and "分别为" sentences are not read (figures stay None).
        ("发出收费通知两件。", True, None, None),
        ("发出收费通知的件数和总金额分别为2件、600元。", True, None, None),
    ],
)
def test_read_fee_statement(
    text: str, mentioned: bool, notices: int | None, collected: Decimal | None
) -> None:
    statement = read_fee_statement(text)
    assert (statement.mentioned, statement.notices, statement.collected_yuan) == (
        mentioned,
        notices,
        collected,
    )


def test_notices_at_least_unpaid_is_coherent() -> None:
    report = with_cells(
        with_narrative(SEED, "other", "本年度共发出收费通知 2 件，未收取信息处理费。"), UNPAID_ONE
    )
    assert check_report(report) == []


CARRIED_IN_ONE = {
    ("t3", "carried_in", "natural_person"): 1,
    ("t3", "carried_in", "total"): 1,
    ("t3", "carried_out", "natural_person"): 7,  # balanced: one more in, one more open
    ("t3", "carried_out", "total"): 7,
}


def test_an_unpaid_fee_noticed_last_december_is_not_a_contradiction() -> None:
    report = with_narrative(
        with_cells(SEED, {**UNPAID_ONE, **CARRIED_IN_ONE}),
        "other",
        "本年度发出收费通知 0 件，未收取信息处理费。",
    )
    (finding,) = check_report(report)
    assert (finding.rule, finding.severity) == ("fees.coherence", Severity.INFO)
    assert "不超过上年结转的 1 件" in finding.message


def test_more_unpaid_than_notices_and_carried_over_is_still_a_warning() -> None:
    two_unpaid = {
        ("t3", "other.fee_unpaid", "natural_person"): 2,
        ("t3", "other.fee_unpaid", "total"): 2,
        ("t3", "other.other", "natural_person"): 5,
        ("t3", "other.other", "total"): 5,
    }
    report = with_narrative(
        with_cells(SEED, {**two_unpaid, **CARRIED_IN_ONE}),
        "other",
        "本年度发出收费通知 0 件，未收取信息处理费。",
    )
    (finding,) = check_report(report)
    assert (finding.rule, finding.severity) == ("fees.coherence", Severity.WARNING)
    assert "上年结转的 1 件至多解释其中 1 件" in finding.message


def test_fees_collected_for_last_years_notice_are_not_a_contradiction() -> None:
    report = with_narrative(
        with_cells(SEED, CARRIED_IN_ONE), "other", "本年度未发出收费通知，收取信息处理费 300 元。"
    )
    (finding,) = check_report(report)
    assert (finding.rule, finding.severity) == ("fees.coherence", Severity.INFO)


def test_collected_without_notice_count_is_info() -> None:
    report = with_narrative(SEED, "other", "本年度收取信息处理费 300 元。")
    (finding,) = check_report(report)
    assert (finding.rule, finding.severity) == ("fees.coherence", Severity.INFO)


def test_a_report_without_text_says_the_fee_statement_was_not_checked() -> None:
    report = AnnualReport.model_validate(
        {"meta": SEED.meta.model_dump(), "tables": SEED.tables, "narrative": {}}
    )
    (finding,) = check_report(report)
    assert (finding.rule, finding.severity) == ("fees.statement", Severity.INFO)


def test_fee_rules_do_not_apply_to_the_trial_format() -> None:
    """The fee measures (国办函〔2020〕109号) postdate the 2019 trial format's row (六)."""
    report = with_narrative(SHANGHAI, "other", "")
    assert check_report(report) == []


# ---------------------------------------------------------------------------------------------
# The registry and the engine's input checks
# ---------------------------------------------------------------------------------------------


def test_registry_is_well_formed() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert rule.citation
        assert rule.versions
        assert any("\u4e00" <= ch <= "\u9fff" for ch in rule.title)
        assert rule.needs_previous == rule.id.startswith(("cross_year.", "s2.items_change"))


def test_unknown_rule_id_is_a_chinese_error() -> None:
    with pytest.raises(GongkaiError, match="没有编号为 'nope' 的规则"):
        rule_by_id("nope")


def test_check_report_refuses_what_is_not_a_report() -> None:
    with pytest.raises(GongkaiError, match="只能核对年度报告"):
        check_report({"meta": {}})  # type: ignore[arg-type]
    with pytest.raises(GongkaiError, match="上一年度报告应为年度报告"):
        check_report(SEED, previous="2020")  # type: ignore[arg-type]


@pytest.mark.parametrize("base", ["2021", "2019"])
@pytest.mark.parametrize(
    ("section", "heading"),
    [("overview", "一、总体情况"), ("remedies", "四、政府信息公开行政复议、行政诉讼情况")],
)
def test_a_section_not_found_is_named_with_its_heading(
    base: str, section: str, heading: str
) -> None:
    findings = [
        f
        for f in check_report(without_section(BASES[base], section))
        if f.rule.startswith("structure.")
    ]
    assert [(f.rule, f.severity) for f in findings] == [("structure.sections", Severity.WARNING)]
    assert f"「{heading}」" in findings[0].message


@pytest.mark.parametrize("base", ["2021", "2019"])
def test_every_section_found_or_no_text_at_all_is_no_structure_finding(base: str) -> None:
    report = BASES[base]
    no_text = AnnualReport.model_validate(
        {"meta": report.meta.model_dump(), "tables": report.tables, "narrative": {}}
    )
    for candidate in (report, no_text):
        assert not [f for f in check_report(candidate) if f.rule.startswith("structure.")]


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("", True),
        ("无", True),
        ("无。", True),
        ("  暂无。 ", True),
        ("没有", True),
        ("一是政策解读形式不够丰富。下一步将加强解读。", False),
        ("无明显问题，但仍需加强政策解读。", False),
    ],
)
def test_section_five_empty_or_only_none(text: str, fires: bool) -> None:
    report = with_narrative(SEED, "problems", text)
    findings = [f for f in check_report(report) if f.rule == "structure.problems"]
    assert bool(findings) is fires
    if fires:
        assert findings[0].severity is Severity.WARNING
        assert "「五、存在的主要问题及改进情况」" in findings[0].message


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("加强工作工作机制建设。", "「加强工作工作机制建设」中「工作」"),
        ("一是加强组织领导。二是规范审核审核发布机制。", "「二是规范审核审核发布机制」中「审核」"),
        ("提高政务公开政务公开质量", "「提高政务公开政务公开质量」中「政务公开」"),
        ("⺠⽣⺠⽣工程", "「⺠⽣⺠⽣工程」中「⺠⽣」"),  # radicals read as 民生
    ],
)
def test_doubled_word_is_quoted_in_its_sentence(text: str, quoted: str) -> None:
    report = with_narrative(SEED, "overview", text)
    (finding,) = [f for f in check_report(report) if f.rule == "wording.doubled_word"]
    assert finding.severity is Severity.WARNING
    assert finding.message.startswith("第一部分「一、总体情况」" + quoted)


@pytest.mark.parametrize(
    ("section", "text"),
    [
        ("overview", "一个一个落实，一步一步推进。"),  # reduplication that starts with 一
        ("overview", "天天公开，常常更新，认认真真。"),  # one-character repeats are words
        ("overview", "公开工作，工作公开。"),  # not adjacent
        ("requests", "行政复议行政复议"),  # sections with tables are not read
    ],
)
def test_no_doubled_word_finding(section: str, text: str) -> None:
    report = with_narrative(SEED, section, text)
    assert not [f for f in check_report(report) if f.rule == "wording.doubled_word"]


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("2019年，我局政府信息公开工作取得成效。", True),  # SEED is 2021
        ("工作有序推进。２０１８ 年度，我局完善制度。", True),
        ("2021年，我局政府信息公开工作取得成效。", False),  # the report's year
        ("2020年，我局收到申请3件。", False),  # last year: comparisons
        ("2022年，我局将加强政策解读。", False),  # next year: plans
        ("到2025年，基本建成公开体系。", False),  # not at a sentence's start
        ("依据《2018年政府信息公开工作要点》开展工作。", False),  # a cited document
        ("2008年5月1日《条例》施行以来，工作不断推进。", False),  # a date, not 「年，」
    ],
)
def test_sentence_opening_with_another_year(text: str, fires: bool) -> None:
    report = with_narrative(SEED, "overview", text)
    findings = [f for f in check_report(report) if f.rule == "wording.other_year"]
    assert bool(findings) is fires
    if fires:
        assert findings[0].severity is Severity.INFO
        assert findings[0].message.startswith("第一部分「一、总体情况」「")
        assert "本报告是 2021 年度的" in findings[0].message


def test_the_real_share_slip_is_found() -> None:
    findings = [f for f in check_report(load("shanghai_2019")) if f.rule == "narrative.share"]
    assert [f.severity for f in findings] == [Severity.WARNING]
    assert "「予以公开及部分公开」" not in findings[0].message or "258 件占" in findings[0].message
    assert "占 33.9%" in findings[0].message and "32.05%" in findings[0].message
