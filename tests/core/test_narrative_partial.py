"""No false alarm from a partial read, and no count read from a slogan.

When any row of a group was not read, a prose figure for that group is not compared with the
part that was read: the finding is ``narrative.unchecked`` (info) saying which row was not
read and why. A sentence that is a slogan or a description (「一件事一次办」「每一件申请都依法
答复」) states no count.
"""

from __future__ import annotations

import pytest

from gongkai.core.audit import audit_parsed
from gongkai.core.findings import Severity
from gongkai.core.formats import T3, T4
from gongkai.core.model import AnnualReport
from gongkai.core.narrative import check_narrative
from gongkai.core.narrative.claims import extract_claims
from gongkai.core.parse.text import parse_text
from tests.parse.synth import render


def _with_prose(report: AnnualReport, sentence: str) -> AnnualReport:
    return report.model_copy(update={"narrative": {**report.narrative, "overview": sentence}})


def _blank_row(report: AnnualReport, table: str, row: str) -> AnnualReport:
    tables = {t: {r: dict(c) for r, c in rows.items()} for t, rows in report.tables.items()}
    tables[table][row] = {column: None for column in tables[table][row]}
    return report.model_copy(update={"tables": tables}).revalidated()


# A correct sentence about a group, the group's row that is not read, and why.
PARTIAL = [
    ("本年度无法提供15件。", "unavailable.needs_creation", "missing_row"),
    ("本年度无法提供15件。", "unavailable.not_held", "ambiguous_row"),
    ("其他处理8件。", "other.other", "unreadable_row"),
    ("其他处理8件。", "other", "collapsed_group"),
    ("本年新收政府信息公开申请67件。", "new", "missing_row"),
    ("共收到政府信息公开申请67件，其中予以公开36件。", "disclosed", "ambiguous_row"),
]


@pytest.mark.parametrize(("sentence", "row", "reason"), PARTIAL)
def test_a_figure_for_a_group_not_read_in_full_is_not_compared(
    seed: AnnualReport, sentence: str, row: str, reason: str
) -> None:
    table = seed.format.table(T3)
    members = table.row(row).sum_of if not table.row(row).has_cells else (row,)
    damaged = _with_prose(seed, sentence)
    for member in members:
        damaged = _blank_row(damaged, T3, member)
    findings = check_narrative(damaged, unread={(T3, row): "未找到"})
    assert not [f for f in findings if f.rule == "narrative.mismatch"]
    [note] = [f for f in findings if f.rule == "narrative.unchecked"]
    assert note.severity is Severity.INFO
    assert "未与" in note.message and "未找到" in note.message
    assert note.excerpt.startswith(sentence.rstrip("。"))


def test_the_same_figure_is_compared_when_the_group_was_read(seed: AnnualReport) -> None:
    wrong = _with_prose(seed, "本年度无法提供16件。")
    [finding] = [f for f in check_narrative(wrong, unread={}) if f.rule == "narrative.mismatch"]
    assert finding.severity is Severity.ERROR


def test_a_whole_table_not_read_leaves_its_figures_unchecked(seed: AnnualReport) -> None:
    report = _with_prose(seed, "行政复议4件。")
    findings = check_narrative(_blank_row(report, T4, "reconsideration"), unread={(T4, "*"): "x"})
    assert [f.rule for f in findings] == ["narrative.unchecked"]


def test_received_including_carried_over_is_not_an_error_when_carried_over_was_not_read(
    seed: AnnualReport,
) -> None:
    """「收到申请69件」 may be 一+二: with 二 unread, neither reading can be told."""
    report = _blank_row(_with_prose(seed, "共收到政府信息公开申请69件。"), T3, "carried_in")
    findings = check_narrative(report, unread={(T3, "carried_in"): "未找到"})
    assert [f.severity for f in findings] == [Severity.INFO]


def test_a_deleted_row_in_a_real_text_gives_no_error(seed: AnnualReport) -> None:
    """Through the parser: 「1.本机关不掌握相关政府信息」 deleted, the prose about 无法提供 kept."""
    text = render(seed, sep="\t").replace("本单位认真贯彻《条例》。", "本年度无法提供15件。")
    lines = ["（四）无法提供" if "本机关不掌握" in line else line for line in text.split("\n")]
    parsed = parse_text("\n".join(lines))
    assert parsed.report is not None
    result = audit_parsed("damaged.txt", "text", parsed)
    assert not [f for f in result.findings if f.severity is Severity.ERROR]
    [note] = [f for f in result.findings if f.rule == "narrative.unchecked"]
    assert "本机关不掌握" in note.message


# -- slogans and descriptions are not counts -------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "对收到的每一件申请都依法答复。",
        "确保每一件申请都依法答复。",
        "推进「一件事一次办」改革。",
        "围绕办好一件事，收到的申请件件有回音。",
        "坚持一件一策、一件一档。",
        "对任何一件申请均按期办结。",
    ],
)
def test_a_slogan_states_no_count(sentence: str) -> None:
    assert extract_claims({"overview": sentence}) == []


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("本年度收到政府信息公开申请一件。", 1),
        ("推进「一件事一次办」改革，收到申请10件。", 10),
        ("全年共办结申请12件，做到每件申请按期答复。", 12),
    ],
)
def test_a_count_next_to_a_slogan_is_still_read(sentence: str, value: int) -> None:
    assert [c.value for c in extract_claims({"overview": sentence})] == [value]
