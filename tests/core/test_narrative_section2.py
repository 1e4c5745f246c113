"""Prose against section 二: 规章 and 规范性文件 (制发, 废止, 现行有效) and the decisions of
行政许可, 行政处罚 and 行政强制.

The seed (泉港区 2021): 行政规范性文件 制发 21, 废止 40, 现行有效 242; 行政许可 643, 行政处罚
292, 行政强制 10 decisions. A document count that differs is an error; a decisions count only
a warning (prose may count cases where the table counts decisions).
"""

from __future__ import annotations

import pytest

from gongkai.core.findings import Severity
from gongkai.core.model import AnnualReport
from gongkai.core.narrative import check_narrative


def _findings(report: AnnualReport, sentence: str) -> list[tuple[str, Severity, str]]:
    said = report.model_copy(update={"narrative": {"overview": sentence}})
    return [(f.rule, f.severity, f.message) for f in check_narrative(said)]


@pytest.mark.parametrize(
    ("sentence", "severity", "says"),
    [
        ("现行有效行政规范性文件120件。", Severity.ERROR, "行政规范性文件现行有效件数为 242 件"),
        ("本年制发行政规范性文件21件，废止41件。", Severity.ERROR, "本年废止件数为 40 件"),
        ("制发规范性文件22件，其中以区政府名义制发15件。", Severity.ERROR, "本年制发件数为 21 件"),
        ("与上年度相比，本年度制发规范性文件22件。", Severity.ERROR, "本年制发件数为 21 件"),
        ("制发规范性文件21件，废止40件，现行有效241件。", Severity.ERROR, "现行有效件数为 242 件"),
        ("全年行政许可640件。", Severity.WARNING, "行政许可本年处理决定数量为 643 件"),
        ("共作出行政处罚决定290件。", Severity.WARNING, "行政处罚本年处理决定数量为 292 件"),
        ("实施行政强制11件。", Severity.WARNING, "行政强制本年处理决定数量为 10 件"),
    ],
)
def test_a_section_two_figure_that_differs_is_told(
    seed: AnnualReport, sentence: str, severity: Severity, says: str
) -> None:
    [(rule, got, message)] = _findings(seed, sentence)
    assert (rule, got) == ("narrative.mismatch", severity)
    assert says in message


@pytest.mark.parametrize(
    "sentence",
    [
        "现行有效行政规范性文件242件。",
        "本年制发行政规范性文件21件，废止40件，现行有效242件。",
        "本年度行政处罚292件，行政许可643件，行政强制10件。",
        "涉及行政许可的政府信息公开申请5件。",  # applications, not decisions
        "公示行政许可信息643条。",  # information items
        "梳理行政许可事项120件。",  # a list of items
        "行政处罚类申请3件。",
        "废止40件。",  # no documents named in the sentence: nothing to compare
        "累计公开规范性文件368件。",  # a running total, not this year's
        "对外公开规章总数量524件。",
        "公开规范性文件解读材料15份。",  # papers about the documents
        "清理行政规范性文件86件，其中废止12件，修改5件。",  # documents reviewed
        "全年行政处罚案件立案85件，结案80件。",  # cases, not decisions
        "公示行政处罚结果420件。",
        "申请公开行政处罚决定书的8件。",
        "制发规范性文件数量同比减少3件。",  # a difference
        # parts of the year's documents, and last year's
        "本年度制发规范性文件21件，其中以区政府名义制发15件，以区政府办名义制发6件。",
        "上年度制发规范性文件30件。",
        "去年废止规范性文件12件。",
    ],
)
def test_a_section_two_figure_that_agrees_or_names_something_else_is_silent(
    seed: AnnualReport, sentence: str
) -> None:
    assert [f for f in _findings(seed, sentence) if f[0] == "narrative.mismatch"] == []


@pytest.mark.parametrize(
    ("sentence", "read"),
    [
        # enforcement of decisions (by the office, or asked of a court): not the decisions
        ("行政强制执行3件。", False),
        ("全年依法实施行政强制执行3件。", False),
        ("作出行政强制执行决定3件。", False),
        ("行政处罚决定强制执行2件。", False),
        ("申请法院强制执行3件。", False),
        ("向人民法院提出强制执行申请3件。", False),
        ("强制执行申请3件。", False),
        ("行政强制执行12件，行政处罚决定292件。", False),  # the decisions still agree
        # the decisions themselves: still compared (10 in the table)
        ("作出行政强制决定3件。", True),
        ("实施行政强制措施3件。", True),
        ("行政强制执行12件，行政强制决定3件。", True),
        ("行政处罚决定290件，其中申请法院强制执行2件。", True),  # 290 of 292
    ],
)
def test_enforcement_is_not_the_decisions_of_coercion(
    seed: AnnualReport, sentence: str, read: bool
) -> None:
    """「行政强制执行」 is carrying a decision out (the office's own enforcement, or asking a
    court to enforce it), not the 行政强制 decisions section 二 counts (10 in the seed)."""
    mismatches = [f for f in _findings(seed, sentence) if f[0] == "narrative.mismatch"]
    assert bool(mismatches) is read, mismatches
