"""A finding's text is short whatever the report held: long quotations, sentences and numbers
are cut where the finding is made (:mod:`gongkai.core.findings`), for every rule at once.

The hand-made cases are the three the 100,000-input fuzz run found (a 60,000-character table
label, a run-on sentence of 5,000 characters holding a share, a number of thousands of digits
in a category sentence), each spliced into the seed report; the property test damages the seed
at random and holds every finding of the audit to the bounds.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core.audit import audit_parsed
from gongkai.core.audit_result import AuditResult
from gongkai.core.findings import (
    CUT,
    EXCERPT_MAX,
    MESSAGE_MAX,
    NUMBER_MAX,
    QUOTE_MAX,
    RULE_FINDINGS_MAX,
    Category,
    CellRef,
    Finding,
    Severity,
    bound_excerpt,
    bound_message,
    cap_per_rule,
    excerpt_in,
    sort_findings,
)
from gongkai.core.model import AnnualReport
from gongkai.core.parse.dispatch import parse_document
from gongkai.core.render.report_html import render_report_html

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXT = (ROOT / "examples" / "quangang-2021.txt").read_text(encoding="utf-8")
SEED_JSON = ROOT / "tests" / "fixtures" / "reports" / "seed_quangang_2021.json"


def audit_text(text: str, name: str = "damaged.txt") -> AuditResult:
    parsed = parse_document(text.encode("utf-8"), name=name)
    return audit_parsed(name, "text", parsed)


def assert_bounded(result: AuditResult) -> None:
    for finding in result.findings:
        assert len(finding.message) <= MESSAGE_MAX, (finding.rule, len(finding.message))
        assert len(finding.citation) <= MESSAGE_MAX, (finding.rule, len(finding.citation))
        assert len(finding.excerpt or "") <= EXCERPT_MAX, (finding.rule, len(finding.excerpt))


def only(result: AuditResult, rule: str) -> Finding:
    [finding] = [f for f in result.findings if f.rule == rule]
    return finding


def test_a_table_label_of_60000_characters_is_quoted_by_its_head_and_tail() -> None:
    """The seed published as HTML, one row label misspelt and run on for 60,000 characters:
    the parser still reads the row by its closest label and says so, quoting the label cut."""
    html = render_report_html(AnnualReport.from_json(SEED_JSON.read_text(encoding="utf-8")))
    label = "其他法律行政法规禁止公开"
    assert html.count(label) == 1
    damaged = html.replace(label, "其他法律行政止公开（" + "注" * 60_000 + "）")

    result = audit_text(damaged, "damaged.html")

    finding = only(result, "parse.label_guessed")
    assert len(finding.message) < 300
    [quoted] = re.findall("行标签「([^」]*)」", finding.message)
    assert len(quoted) == QUOTE_MAX and CUT in quoted
    assert quoted.startswith("2.其他法律行政止公开（注") and quoted.endswith("注）")
    assert "按最接近的「2.其他法律行政法规禁止公开」行读取" in finding.message
    assert_bounded(result)
    # The parser's own result (``gongkai parse --json``) quotes it as bounded.
    parsed = parse_document(damaged.encode("utf-8"), name="damaged.html")
    [note] = [p for p in parsed.problems if p.code == "label_guessed"]
    assert note.message == finding.message
    assert note.to_dict()["message"] == finding.message


def test_a_run_on_sentence_of_5000_characters_is_quoted_cut_around_its_share() -> None:
    """A share in a sentence with no full stop for 5,000 characters: narrative.share quotes
    the sentence by its head and tail, and still says which figure and which share."""
    said = "“予以公开”的 36 件，"
    assert said in SEED_TEXT
    damaged = SEED_TEXT.replace(said, said + "占 90%，" + "并且" * 2_500 + "，", 1)

    result = audit_text(damaged)

    finding = only(result, "narrative.share")
    assert len(finding.message) < 400
    assert finding.message.startswith("正文「从办理结果来看，“予以公开”的 36 件，占 90%，并且")
    assert "」称「予以公开」36 件占 90%，而 36 件占" in finding.message
    # The other findings about that sentence quote it as 原文, cut in the middle.
    quoting = [f for f in result.findings if f.excerpt and "并且并且" in f.excerpt]
    assert quoting and all(len(f.excerpt or "") == EXCERPT_MAX for f in quoting)
    section = parse_document(damaged.encode("utf-8"), name="damaged.txt").narrative
    assert all(any(excerpt_in(f.excerpt or "", text) for text in section.values()) for f in quoting)
    assert_bounded(result)


def test_a_number_of_thousands_of_digits_is_told_by_its_digit_count() -> None:
    """A breakdown whose total and lines have 4,200 digits each (the most Python reads): the
    sum and the gap are told by their digit count, not printed."""
    sentence = "总数 1555 条，其中涉及机构职能类信息 211 条，规范性文件类信息 25 条"
    assert sentence in SEED_TEXT
    huge = "1" + "0" * 4_199
    damaged = SEED_TEXT.replace(
        sentence, f"总数 {huge} 条，其中涉及机构职能类信息 {huge} 条，规范性文件类信息 {huge} 条", 1
    )

    result = audit_text(damaged)

    finding = only(result, "narrative.category_sum")
    assert len(finding.message) < 300
    assert "（共 4200 位数字）" in finding.message
    assert "比总数多 " in finding.message
    assert not re.search(rf"\d{{{NUMBER_MAX + 1},}}", finding.message)
    assert_bounded(result)


# -- the bounds themselves ---------------------------------------------------------------------


def test_what_a_real_report_gives_is_left_whole() -> None:
    message = (
        "正文「予以公开及部分公开258件，占33.9%；不予公开35件，占4.34%」称「予以公开」258 件"
        "占 33.9%，而 258 件占（七）总计（761）的 33.9%，电话 13575394432"
    )
    assert bound_message(message) is message
    assert bound_excerpt("今年共收到申请 67 件。") == "今年共收到申请 67 件。"


def test_a_number_in_thousands_is_one_number_and_a_list_of_years_is_not() -> None:
    grouped = f"{10**40:,}"
    said = bound_message(f"合计为 {grouped} 条，超出")
    assert said == "合计为 10,0…,000（共 41 位数字） 条，超出"
    years = ",".join(str(year) for year in range(2000, 2030))
    assert bound_message(f"年份：{years}") == f"年份：{years}"


def test_findings_made_without_validation_are_bounded_too() -> None:
    """``model_construct`` skips validation, not the bound: a finding is bounded however made."""
    long = "「" + "字" * 10_000 + "」" + "9" * 5_000
    fields = {
        "rule": "x.y",
        "severity": Severity.INFO,
        "category": Category.FORMAT,
        "message": long,
        "citation": long,
        "excerpt": "句" * 10_000,
    }
    built = Finding.model_construct(**fields)  # type: ignore[arg-type]
    assert built == Finding(**fields)  # type: ignore[arg-type]
    assert built.message == "「" + "字" * 50 + CUT + "字" * 49 + "」9999…9999（共 5000 位数字）"
    assert len(built.excerpt or "") == EXCERPT_MAX


def test_a_cut_excerpt_still_stands_in_its_text() -> None:
    sentence = "开头" + "中" * 1_000 + "结尾。"
    text = "前一句。" + sentence + "后一句。"
    cut = bound_excerpt(sentence)
    assert cut != sentence and excerpt_in(cut, text)
    assert not excerpt_in(cut, "前一句。" + sentence[:400] + "后一句。")
    assert not excerpt_in(cut, sentence[-300:] + sentence[:400])


# Text a damaged file can hold: digits, separators, CJK, quotation brackets, cells.
_GARBAGE = st.text(
    alphabet=st.sampled_from(list("0123456789,，。、；「」（）()%占件条注需总数其中\t\n ")),
    min_size=1,
    max_size=6,
)


@settings(max_examples=200, derandomize=True)
@given(st.text(max_size=3_000) | _GARBAGE.map(lambda piece: piece * 800))
def test_a_bounded_message_is_short_and_bounding_it_again_changes_nothing(text: str) -> None:
    bounded = bound_message(text)
    assert len(bounded) <= MESSAGE_MAX
    assert bound_message(bounded) == bounded
    excerpt = bound_excerpt(text)
    assert len(excerpt) <= EXCERPT_MAX and excerpt_in(excerpt, text)


# Where a damaged file's garbage does most harm: in a table row's label, in a sentence with
# counts and shares, beside a stated total.
_PLACES = (
    "2. 其他法律行政法规禁止公开",
    "“予以公开”的 36 件，",
    "总数 1555 条",
    "(一) 主动公开情况",
)


@settings(
    max_examples=25,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    place=st.sampled_from(_PLACES) | st.integers(0, len(SEED_TEXT)),
    piece=_GARBAGE,
    times=st.integers(300, 8_000),
)
def test_every_finding_of_a_damaged_report_is_bounded(
    place: str | int, piece: str, times: int
) -> None:
    at = SEED_TEXT.index(place) + len(place) // 2 if isinstance(place, str) else place
    damaged = SEED_TEXT[:at] + piece * times + SEED_TEXT[at:]
    assert_bounded(audit_text(damaged))


def test_one_rule_lists_at_most_its_bound_and_counts_the_rest() -> None:
    """5,000 characters of 「并且」 in section 一 are 417 doubled words: the result lists the
    first 20 and one finding of the same rule that counts the other 397."""
    start = SEED_TEXT.index("一、总体情况")
    cut = SEED_TEXT.index("。", start) + 1
    result = audit_text(SEED_TEXT[:cut] + "并且" * 2500 + "。" + SEED_TEXT[cut:])
    doubled = [f for f in result.findings if f.rule == "wording.doubled_word"]
    assert len(doubled) == RULE_FINDINGS_MAX + 1
    [summary] = [f for f in doubled if "只逐一列出" in f.message]
    assert summary.message == (
        "本规则共发现 417 处，只逐一列出其中 20 处，其余 397 处请对照原文逐处核对"
    )
    assert summary.severity is Severity.WARNING
    assert summary.citation == doubled[0].citation
    # The other rules are untouched.
    assert {f.rule for f in result.findings} - {"wording.doubled_word"} == {
        f.rule for f in audit_text(SEED_TEXT).findings
    }


def test_the_count_finding_is_as_severe_as_the_worst_left_out() -> None:
    def finding(severity: Severity, n: int) -> Finding:
        return Finding(
            rule="t.x", severity=severity, category=Category.NARRATIVE, message=f"第{n}处"
        )

    findings = [finding(Severity.INFO, n) for n in range(RULE_FINDINGS_MAX)]
    findings += [finding(Severity.ERROR, 99), finding(Severity.INFO, 100)]
    findings.append(
        Finding(rule="t.y", severity=Severity.INFO, category=Category.TABLE, message="y")
    )
    capped = cap_per_rule(sort_findings(findings))
    assert len(capped) == RULE_FINDINGS_MAX + 2
    [summary] = [f for f in capped if "只逐一列出" in f.message]
    # Sorted errors first: the error is kept, and the two infos left out are counted as info.
    assert summary.severity is Severity.INFO and "其余 2 处" in summary.message
    assert any(f.severity is Severity.ERROR for f in capped)
    assert cap_per_rule(findings[:3]) == findings[:3]


def test_a_table_rule_lists_every_cell_it_finds() -> None:
    """A table rule's findings are bounded by the format's cells, and each marks its cell: a
    table whose 26 row totals are all wrong lists all 26."""
    findings = [
        Finding(
            rule="t3.row_total",
            severity=Severity.ERROR,
            category=Category.TABLE,
            message=f"第{n}行合计不符",
            cells=(CellRef(table="t3", row=f"r{n}", column="total"),),
        )
        for n in range(26)
    ]
    assert cap_per_rule(sort_findings(findings)) == sort_findings(findings)
